"""Deadlines and recurrence of action items (spec §9): printed phrase → ISO date and RFC 5545 RRULE.

Pure functions; the issue date supplies a missing year ("trước ngày 15/12" in a document of
2023-06-07 → 2023-12-15; a day already past in that year → the next year, with a note).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ..models import Deadline
from .dates import make_date

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_D = r"(?P<d>0?[1-9]|[12]\d|3[01])"
_M = r"(?P<m>0?[1-9]|1[0-2])"
_Y = r"(?P<y>(?:19|20)\d\d)"
_LEAD = (r"(?:trước|chậm nhất(?: là)?(?: vào)?|chậm nhất trước|hạn chót(?: là)?|không quá|không muộn hơn|"
         r"đến hết|đến|xong trước|hoàn thành trước|hoàn thành trong|trong|vào|kể từ|từ)")

_DEADLINE_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("dmy", re.compile(_LEAD + r"\s+(?:ngày\s+)?" + _D + r"\s*[/\-.]\s*" + _M + r"\s*[/\-.]\s*" + _Y, re.I)),
    ("dmy_words", re.compile(_LEAD + r"\s+ngày\s+" + _D + r"\s+tháng\s+" + _M + r"\s+năm\s+" + _Y, re.I)),
    ("dm", re.compile(_LEAD + r"\s+ngày\s+" + _D + r"\s*[/\-.]\s*" + _M + r"(?![\d/\-.]*\d)(?!\s*hằng|\s*hàng)", re.I)),
    ("dm_words", re.compile(_LEAD + r"\s+ngày\s+" + _D + r"\s+tháng\s+" + _M + r"(?!\s+năm)", re.I)),
    ("quarter", re.compile(r"(?:trong|trước|hết|đến hết|cuối)\s+quý\s+(?P<q>IV|III|II|I|[1-4])(?:\s*(?:/|năm)\s*" + _Y + r")?", re.I)),
    ("month", re.compile(r"(?:trong|trước|hết|đến hết|cuối|vào)\s+tháng\s+" + _M + r"(?:\s*(?:/|năm)\s*" + _Y + r")?(?!\s*\d)", re.I)),
    ("half", re.compile(r"(?:trong\s+)?6\s+tháng\s+(?P<which>đầu|cuối)\s+năm(?:\s+" + _Y + r")?", re.I)),
    ("year", re.compile(r"(?:trong|trước|hết|đến hết|cuối)\s+năm\s+" + _Y, re.I)),
    ("on_signing", re.compile(r"(?:kể\s+)?từ\s+ngày\s+ký(?:\s+ban\s+hành)?|ngay\s+sau\s+khi\s+(?:nhận|ký)", re.I)),
    ("relative", re.compile(r"(?:trước|trong|sau)\s+(?:thời hạn\s+)?\d{1,3}\s+ngày(?:\s+làm\s+việc)?(?:\s+kể\s+từ[^,;.]{0,40})?", re.I)),
    ("as_required", re.compile(r"theo\s+(?:đúng\s+)?thời\s+gian\s+quy\s+định|theo\s+quy\s+định\s+về\s+thời\s+gian", re.I)),
]

_RECURRENCE = [
    (re.compile(r"(?:hằng|hàng)\s+tuần", re.I), "weekly", "FREQ=WEEKLY"),
    (re.compile(r"(?:trước\s+ngày\s+(?P<bmd>\d{1,2})\s+)?(?:hằng|hàng)\s+tháng|định\s+kỳ\s+(?:hằng\s+|hàng\s+)?tháng", re.I),
     "monthly", "FREQ=MONTHLY"),
    (re.compile(r"(?:hằng|hàng)\s+quý|định\s+kỳ\s+(?:hằng\s+|hàng\s+)?quý|định\s+kỳ\s+3\s+tháng", re.I), "quarterly",
     "FREQ=MONTHLY;INTERVAL=3"),
    (re.compile(r"định\s+kỳ\s+(?:06|6)\s+tháng|sơ\s+kết\s+(?:06|6)\s+tháng|(?:06|6)\s+tháng\s+(?:một|1)\s+lần|"
                r"(?:hằng|hàng)\s+(?:06|6)\s+tháng|nửa\s+năm\s+một\s+lần", re.I), "half-yearly", "FREQ=MONTHLY;INTERVAL=6"),
    (re.compile(r"(?:định\s+kỳ\s+)?(?:hằng|hàng)\s+năm|định\s+kỳ\s+năm|mỗi\s+năm|năm\s+một\s+lần", re.I), "yearly",
     "FREQ=YEARLY"),
]


@dataclass
class Recurrence:
    kind: str  # yearly | half-yearly | quarterly | monthly | weekly
    rrule: str
    text: str


def _month_end(y: int, m: int) -> str:
    return dt.date(y, m, calendar.monthrange(y, m)[1]).isoformat()


def _year_for(month: int, day: int, doc_date: str | None, notes: list[str]) -> int | None:
    if not doc_date:
        notes.append("deadline has no year and the document has no date")
        return None
    d = dt.date.fromisoformat(doc_date)
    year = d.year
    try:
        if dt.date(year, month, day) < d:
            year += 1
            notes.append(f"deadline {day}/{month} is before the issue date: read as {year}")
        else:
            notes.append(f"deadline year taken from the issue date ({year})")
    except ValueError:
        return None
    return year


def find_deadline(text: str, doc_date: str | None = None, notes: list[str] | None = None) -> Deadline | None:
    """The first deadline phrase in `text` with its date when one can be computed."""
    notes = notes if notes is not None else []
    best: tuple[int, str, re.Match] | None = None
    for kind, pat in _DEADLINE_PATTERNS:
        for m in pat.finditer(text):
            if kind in ("dm", "dm_words") and re.match(r"\s*(?:hằng|hàng)", text[m.end():]):
                continue
            if kind in ("dmy", "dmy_words") and re.match(r"(?i)(?:trong|vào|từ|kể từ)\b", m.group(0)) and \
                    not re.search(r"(?i)(?:trước|chậm nhất|hạn|xong|hoàn thành|đến)\s*$", text[max(0, m.start() - 30):m.start()]):
                # "vào ngày 12/5/2023" is an event date, "từ ngày" a start: only deadline-led phrases count
                if not re.match(r"(?i)(?:trước|chậm nhất|hạn chót|không quá|đến)", m.group(0)):
                    continue
            if best is None or m.start() < best[0]:
                best = (m.start(), kind, m)
            break
    if best is None:
        return None
    _, kind, m = best
    phrase = " ".join(m.group(0).split())
    date = None
    gd = m.groupdict()
    if kind in ("dmy", "dmy_words"):
        date = make_date(gd["y"], gd["m"], gd["d"])
    elif kind in ("dm", "dm_words"):
        y = _year_for(int(gd["m"]), int(gd["d"]), doc_date, notes)
        date = make_date(y, gd["m"], gd["d"]) if y else None
    elif kind == "quarter":
        q = _ROMAN.get(gd["q"].upper(), None) or int(gd["q"])
        y = int(gd["y"]) if gd.get("y") else (int(doc_date[:4]) if doc_date else None)
        date = _month_end(y, q * 3) if y else None
    elif kind == "month":
        mo = int(gd["m"])
        if gd.get("y"):
            y = int(gd["y"])
        elif doc_date:
            y = int(doc_date[:4])
            if mo < int(doc_date[5:7]):
                y += 1
        else:
            y = None
        date = _month_end(y, mo) if y else None
    elif kind == "half":
        y = int(gd["y"]) if gd.get("y") else (int(doc_date[:4]) if doc_date else None)
        date = (f"{y}-06-30" if gd["which"].lower() == "đầu" else f"{y}-12-31") if y else None
    elif kind == "year":
        date = f"{gd['y']}-12-31"
    elif kind == "on_signing":
        date = doc_date
    return Deadline(text=phrase, date=date)


def find_recurrence(text: str) -> Recurrence | None:
    for pat, kind, rrule in _RECURRENCE:
        m = pat.search(text)
        if m:
            if kind == "monthly" and m.groupdict().get("bmd"):
                rrule = f"FREQ=MONTHLY;BYMONTHDAY={int(m.group('bmd'))}"
            return Recurrence(kind, rrule, " ".join(m.group(0).split()))
    return None
