"""Place and date of issue, and dates inside the text (spec §4)."""

from __future__ import annotations

import datetime as dt
import re

from .patterns import (
    BODY_DATE_RE,
    DATE_LINE_DAMAGED_RE,
    DATE_LINE_NOCOMMA_RE,
    DATE_LINE_NUMERIC_RE,
    DATE_LINE_RE,
    PASSAGE_RE,
    PROMULGATION_RE,
    THANG,
)

_WORD_MONTHS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
                "mười": 10, "mười một": 11, "mười hai": 12, "giêng": 1, "chạp": 12}


def make_date(y: int | str, m: int | str, d: int | str) -> str | None:
    """ISO date if the parts form a real calendar day, else None."""
    try:
        return dt.date(int(y), int(m), int(d)).isoformat()
    except (TypeError, ValueError):
        return None


def _digits(s: str) -> str:
    return s.replace("O", "0").replace("o", "0").replace("l", "1")


class DateLine:
    def __init__(self, place: str | None, date: str | None, start: int, end: int, blank_day: bool,
                 month: int | None, year: int | None, source: str = "header"):
        self.place, self.date, self.start, self.end = place, date, start, end
        self.blank_day, self.month, self.year = blank_day, month, year
        # header: the "<place>, ngày …" line; header_nocomma: the same without its comma; passage: the
        # "Luật này được Quốc hội … thông qua ngày …" line; self_citation: the document's own number and date
        # cited in its annex heading
        self.source = source
        # the date words were OCR-damaged ("ngảy", "nărn", "2O23"): the date is less sure
        self.damaged = False


_THANG_RE = re.compile(THANG)
_NUMERIC_HINT = re.compile(r"\d[/.\-]\d{1,2}[/.\-](?:19|20)\d\d")
_CLEAN_WORDS = {"ngày", "NGÀY", "tháng", "THÁNG", "năm", "NĂM"}


def find_date_line(text: str, start: int = 0, end: int | None = None) -> DateLine | None:
    """The first "<place>, ngày .. tháng .. năm ...." in text[start:end] (or, failing that, the same line
    without its comma)."""
    end = len(text) if end is None else end
    if not _THANG_RE.search(text, start, end) and not _NUMERIC_HINT.search(text, start, end):
        return None  # most calls test a short cell: one cheap search instead of four patterns
    # a citation with a comma before its date ("… số 57/2014/QH13, ngày 20 tháng 11 năm 2014") is no date line:
    # a place never holds a symbol or the word "số"
    m = next((x for x in DATE_LINE_RE.finditer(text, start, end) if _is_place(x.group("place"))), None)
    source = "header"
    if not m:
        m = DATE_LINE_NOCOMMA_RE.search(text, start, end)
        source = "header_nocomma"
    if not m:
        num = DATE_LINE_NUMERIC_RE.search(text, start, end)
        if num is not None:
            out = DateLine(_place(num.group("place")), make_date(num.group("y"), num.group("m"), num.group("d")),
                           num.start(), num.end(), False, int(num.group("m")), int(num.group("y")), "header_numeric")
            return out
    if not m:
        m = next((x for x in DATE_LINE_DAMAGED_RE.finditer(text, start, end) if _is_place(x.group("place"))), None)
        if m is None:
            return None
        out = DateLine(_place(m.group("place")), None, m.start(), m.end(), False, None, None, "header")
        out.damaged = True
        return out
    place = _place(m.group("place"))
    y = int(_digits(m.group("y")))
    mon_raw = m.group("m").strip()
    if mon_raw.isdigit():
        month = int(mon_raw)
    else:
        month = _WORD_MONTHS.get(mon_raw.lower())
    d_raw = m.group("d")
    # a blank day or month (dots, ellipsis, spaces): an unsigned copy, or stamped at signing
    blank = not d_raw or not d_raw.isdigit() or (month is None and not mon_raw.isalpha())
    date = None if blank or month is None else make_date(y, month, int(d_raw))
    out = DateLine(place or None, date, m.start(), m.end(), blank, month, y, source)
    out.damaged = bool({m.group("ngay"), m.group("thang"), m.group("nam")} - _CLEAN_WORDS) or "O" in m.group("y")
    return out


def _is_place(raw: str) -> bool:
    # "Số: 12/UBND   Hà Nội" (the number column flattened before the place) is a date line; a citation's
    # lower-case "số 57/2014/QH13" or an opening "Căn cứ" is not
    return not re.search(r"\bsố\s*:?\s*\d", raw) and not re.match(r"\s*(?:Căn cứ|Theo|Thực hiện|Xét)\b", raw)


def _place(raw: str) -> str | None:
    # A flattened two-column line puts the number before the place: keep the last column only.
    tokens = re.split(r"\s{2,}|\t", raw.strip())[-1].split()
    while tokens and (re.search(r"[\d/]", tokens[0]) or ("-" in tokens[0] and tokens[0].isupper())):
        tokens.pop(0)
    return " ".join(tokens).strip(" .-") or None


def find_passage_date(text: str, start: int = 0, end: int | None = None) -> DateLine | None:
    """The passage line of a law, code, ordinance or National Assembly resolution ("Luật này được Quốc hội …
    thông qua ngày 11 tháng 12 năm 2025"): such texts print no header date line. The last one in the range wins,
    because the passage line closes the text while a cited law's passage may be quoted earlier. A Lệnh that
    promulgates a law ("NAY CÔNG BỐ … Đã được Quốc hội … thông qua ngày …") and prints no date of its own gets the
    promulgated law's passage date, marked ``source="promulgation"`` (the caller flags it as inferred)."""
    end = len(text) if end is None else end
    last = None
    source = "passage"
    for m in PASSAGE_RE.finditer(text, start, end):
        last = m
    if last is None:
        last = PROMULGATION_RE.search(text, start, end)
        source = "promulgation"
    if last is None:
        return None
    if last.group("m"):
        y, mon, d = int(last.group("y")), int(last.group("m")), int(last.group("d"))
    else:
        y, mon, d = int(last.group("y2")), int(last.group("m2")), int(last.group("d"))
    return DateLine(None, make_date(y, mon, d), last.start(), last.end(), False, mon, y, source)


def find_body_dates(text: str, start: int = 0, end: int | None = None):
    """Yield (start, end, iso) for dd/mm/yyyy, dd-mm-yyyy and 'dd tháng mm năm yyyy' dates."""
    for m in BODY_DATE_RE.finditer(text, start, len(text) if end is None else end):
        if m.group("full"):
            iso = make_date(m.group("y"), m.group("m"), m.group("d"))
        else:
            iso = make_date(m.group("y2"), m.group("m2"), m.group("d2"))
        if iso:
            yield m.start(), m.end(), iso
