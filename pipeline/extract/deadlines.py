"""Deadlines, recurrence and report targets of action items (spec §9): printed phrase → ISO date, RFC 5545 RRULE.

Pure functions over the text of one item. The document's issue date supplies a missing year:
"trước ngày 15/12" in a document of 2023-06-07 → 2023-12-15; a day already past in that year → the
next year. Every such guess is appended to ``notes`` (the caller turns notes into record warnings).

Public API (the task finder in ``tasks.py`` calls these):

- ``find_deadline(text, doc_date, notes) -> Deadline | None`` — the deadline of the item (the first one);
- ``find_deadlines(text, doc_date, notes) -> list[DeadlineMatch]`` — every deadline phrase, with offsets,
  so that a report deadline and a task deadline inside one item can each go to their own verb;
- ``find_recurrence(text) -> Recurrence | None`` — yearly, half-yearly, quarterly, monthly, weekly, daily;
- ``find_report(text, doc_date, notes) -> ReportClause | None`` and ``find_report_target(text) -> str | None``
  — "báo cáo kết quả về <Z> (qua <W>) trước ngày …": Z is whom to report to (a recipient, not an actor).

What the forms resolve to:

| printed                                               | ``Deadline.date``                   |
|-------------------------------------------------------|-------------------------------------|
| trước / chậm nhất / hạn chót / đến hết ngày d/m/yyyy, d-m-yyyy, d.m.yyyy, ngày d tháng m năm yyyy | that day |
| trước ngày 15/12, trước ngày 15 tháng 12 (no year)     | issue year, or the next one (noted) |
| trong quý III/2023, trong quý III                      | quarter end                         |
| trong tháng 7, trong tháng 7/2023, trong kỳ sinh hoạt chi bộ tháng 3/2025 | month end        |
| trong tuần đầu tháng 6                                | the 7th of that month               |
| 6 tháng đầu năm / 6 tháng cuối năm                    | 30 June / 31 December               |
| trong năm 2023, cuối năm 2023                         | 31 December                         |
| kể từ ngày ký                                         | the issue date                      |
| trước 15 ngày, trong 05 ngày làm việc kể từ ngày nhận | null (relative: text kept)          |
| trước ngày 20 hằng tháng, trước ngày 20 của tháng cuối quý | null (recurring: text kept)    |
| trước khi bắt đầu năm học 2024 - 2025, trước ngày khai giảng … | null (an event: text kept)  |
| thường xuyên                                          | null (ongoing: text kept, no recurrence) |
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from ..models import Deadline
from .dates import make_date

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_D = r"(?P<d>0?[1-9]|[12]\d|3[01])"
_M = r"(?P<m>0?[1-9]|1[0-2])"
_Y = r"(?P<y>(?:19|20)\d\d)"
_SEP = r"\s*[/\-.]\s*"
# An hour before the day: "trước 17h00 ngày 15/12/2023", "trước 16 giờ 30 ngày …".
_TIME = r"(?:\d{1,2}\s*(?:h|giờ|g)\s*(?:\d{1,2}\s*(?:'|phút|p)?)?\s*,?\s*)?"
# Words that lead a deadline. Longest first so the printed phrase keeps all of it.
_LEAD = (r"(?:chậm nhất(?: là)?(?: vào)?(?: trước)?|hạn chót(?: là)?(?: vào)?|thời hạn(?: hoàn thành| nộp| gửi)?"
         r"(?: là)?\s*:?|hạn (?:nộp|gửi|hoàn thành)(?: là)?\s*:?|không quá|không muộn hơn|xong trước|"
         r"hoàn thành trước|hoàn thành trong|hoàn thành vào|đến hết|đến|trước|trong|vào|kể từ|từ)")
# Leads after which "ngày" may be left out ("trước 15/12/2023").
_DEADLINE_LEAD = re.compile(r"(?i)(?:trước|chậm nhất|hạn|thời hạn|không quá|không muộn|đến|xong|hoàn thành)")
_NOT_RECURRING = r"(?!\s*(?:của\s+)?(?:hằng|hàng|mỗi)\s)"

_DEADLINE_PATTERNS: list[tuple[str, re.Pattern]] = [
    # the day of a recurring deadline: no single date
    ("recurring", re.compile(r"(?:trước|chậm nhất(?: là)?|vào)\s+(?:ngày\s+)?(?P<bmd>0?[1-9]|[12]\d|3[01])\s+"
                             r"(?:của\s+)?(?:(?:hằng|hàng|mỗi)\s+(?:tháng|quý)|tháng\s+cuối\s+(?:của\s+)?(?:mỗi\s+|"
                             r"hằng\s+|hàng\s+)?quý)", re.I)),
    ("dmy", re.compile(_LEAD + r"\s+" + _TIME + r"(?:ngày\s+)?" + _D + _SEP + _M + _SEP + _Y + r"(?!\d)", re.I)),
    ("dmy_words", re.compile(_LEAD + r"\s+" + _TIME + r"(?:ngày\s+)?" + _D + r"\s+tháng\s+" + _M + r"\s+năm\s+" + _Y + r"(?!\d)",
                             re.I)),
    ("dm", re.compile(_LEAD + r"\s+" + _TIME + r"(?:ngày\s+)?" + _D + _SEP + _M + r"(?![\d/\-.]*\d)" + _NOT_RECURRING,
                      re.I)),
    ("dm_words", re.compile(_LEAD + r"\s+" + _TIME + r"ngày\s+" + _D + r"\s+tháng\s+" + _M + r"(?!\d)(?!\s*(?:năm|/)\s*\d)"
                            + _NOT_RECURRING, re.I)),
    ("quarter", re.compile(r"(?:trong|trước|hết|đến hết|cuối|vào)\s+quý\s+(?P<q>IV|III|II|I|[1-4])(?![\w])"
                           r"(?:\s*(?:/|năm|-)\s*" + _Y + r")?", re.I)),
    ("week", re.compile(r"(?:trong|vào)\s+tuần\s+(?P<w>đầu|cuối|thứ nhất|thứ hai|thứ ba|thứ tư)\s+(?:của\s+)?"
                        r"tháng\s+" + _M + r"(?:\s*(?:/|năm)\s*" + _Y + r")?(?!\s*\d)", re.I)),
    ("session", re.compile(r"trong\s+(?:kỳ|buổi|phiên|hội nghị)\s+[^,;.:()\d]{0,40}?tháng\s+" + _M +
                           r"(?:\s*(?:/|năm)\s*" + _Y + r")?(?!\s*\d)", re.I)),
    ("month", re.compile(r"(?:trong|trước|hết|đến hết|cuối|vào)\s+tháng\s+" + _M + r"(?:\s*(?:/|năm)\s*" + _Y +
                         r")?(?!\s*[\d/])", re.I)),
    ("half", re.compile(r"(?:trong\s+)?(?:06|6)\s+tháng\s+(?P<which>đầu|cuối)\s+năm(?:\s+" + _Y + r")?", re.I)),
    ("year", re.compile(r"(?:trong|trước|hết|đến hết|cuối)\s+năm\s+" + _Y, re.I)),
    ("on_signing", re.compile(r"(?:kể\s+)?từ\s+ngày\s+ký(?:\s+ban\s+hành)?|ngay\s+sau\s+khi\s+(?:nhận|ký)", re.I)),
    # "trong 10 ngày kể từ ngày ký": counted from the issue date, so it has a date
    ("from_signing", re.compile(r"(?:trong|chậm nhất(?: là)?|không quá|sau)\s+(?:thời hạn\s+)?(?P<n>\d{1,3})\s+"
                                r"(?P<unit>ngày|tuần|tháng)(?:\s+làm\s+việc)?\s*,?\s*(?:kể\s+)?từ\s+ngày\s+(?:ký|ban\s+hành)"
                                r"(?:\s+(?:ban\s+hành|văn\s+bản|công\s+văn|quyết\s+định|kế\s+hoạch|thông\s+báo)(?:\s+này)?)?",
                                re.I)),
    ("relative", re.compile(r"(?:trước|trong|sau|chậm nhất(?: là)?|không quá)\s+(?:thời hạn\s+)?(?:\d{1,3}|một|hai|ba)"
                            r"\s+(?:ngày|tuần|tháng)(?:\s+làm\s+việc)?(?:\s+(?:kể\s+từ|từ|sau|trước)[^,;.]{0,40})?",
                            re.I)),
    ("day_only", re.compile(r"(?:trước|chậm nhất(?: là)?)\s+ngày\s+(?P<d>0?[1-9]|[12]\d|3[01])(?!\s*[/\-.]\s*\d)"
                            r"(?!\s*tháng)(?!\d)", re.I)),
    ("as_required", re.compile(r"theo\s+(?:đúng\s+)?thời\s+gian\s+quy\s+định|theo\s+quy\s+định\s+về\s+thời\s+gian",
                               re.I)),
    # weak: only when nothing else names a time
    ("event", re.compile(r"(?:trước|chậm nhất(?: là)?)\s+(?:khi|ngày|dịp|kỳ|thời điểm|lễ|tết)\s+(?![\d\s])"
                         r"[^,;.:()]{3,60}", re.I)),
    ("ongoing", re.compile(r"thường\s+xuyên", re.I)),
]
_WEAK = {"event", "ongoing"}
_PERIODS = {"quarter", "week", "session", "month", "half", "year"}
_DAYS = {"dmy", "dmy_words", "dm", "dm_words"}
_SUBMIT = re.compile(r"(?i)(?:gửi|nộp|báo cáo|hoàn thành|hoàn thiện|trình)\b")
_UNDATED = {"recurring", "relative", "as_required", "event", "ongoing"}


@dataclass
class Recurrence:
    kind: str  # yearly | half-yearly | quarterly | monthly | weekly | daily
    rrule: str  # RFC 5545, without the "RRULE:" prefix
    text: str  # the phrase as printed (whitespace collapsed)
    start: int | None = None
    end: int | None = None


@dataclass
class DeadlineMatch:
    deadline: Deadline
    kind: str  # dmy | dmy_words | dm | dm_words | quarter | week | session | month | half | year | on_signing
    #            | relative | recurring | day_only | as_required | event | ongoing
    start: int
    end: int
    notes: list[str]


@dataclass
class ReportClause:
    """ "báo cáo kết quả về <to> (qua <via>) trước ngày …" inside an item."""

    to: str | None  # whom to report to (a recipient, not an actor)
    via: str | None  # the office the report goes through ("qua Ban Tuyên giáo")
    text: str  # the report clause as printed (whitespace collapsed)
    start: int  # where the clause starts in the item text (after the previous ";" or sentence end)
    end: int
    leading: bool  # the report is the item's first action (only "tổng hợp", "sơ kết", … before it): a report task
    deadline: Deadline | None = None  # the deadline inside the clause, when there is one
    recurrence: Recurrence | None = None


# --------------------------------------------------------------------------- dates


def _month_end(y: int, m: int) -> str:
    return dt.date(y, m, calendar.monthrange(y, m)[1]).isoformat()


def _doc_day(doc_date: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(doc_date) if doc_date else None
    except ValueError:
        return None


def resolve_yearless(day: int, month: int, doc_date: str | None, notes: list[str]) -> str | None:
    """The first (day, month) on or after the issue date: the issue year, else the next year with that day
    (29/2 waits for a leap year). Notes say which year was taken."""
    d = _doc_day(doc_date)
    if d is None:
        notes.append(f"deadline {day}/{month} has no year and the document has no date")
        return None
    for year in range(d.year, d.year + 9):
        try:
            cand = dt.date(year, month, day)
        except ValueError:
            continue
        if cand >= d:
            if year == d.year:
                notes.append(f"deadline {day}/{month} has no year: read as {year}, the year of issue")
            else:
                notes.append(f"deadline {day}/{month} has no year and falls before the issue date: read as {year}")
            return cand.isoformat()
    return None


def _period_year(last_month: int, y: str | None, doc_date: str | None, what: str, notes: list[str]) -> int | None:
    """Year of a period (month, quarter) printed without one: the issue year, the next one if the period
    ended before the issue date."""
    if y:
        return int(y)
    d = _doc_day(doc_date)
    if d is None:
        notes.append(f"deadline '{what}' has no year and the document has no date")
        return None
    year = d.year
    if last_month < d.month:
        year += 1
        notes.append(f"deadline '{what}' has no year and ended before the issue date: read as {year}")
    else:
        notes.append(f"deadline '{what}' has no year: read as {year}, the year of issue")
    return year


def _resolve(kind: str, m: re.Match, doc_date: str | None, notes: list[str], text: str) -> str | None:
    gd = m.groupdict()
    phrase = " ".join(m.group(0).split())
    if kind in ("dmy", "dmy_words"):
        return make_date(gd["y"], gd["m"], gd["d"])
    if kind in ("dm", "dm_words"):
        return resolve_yearless(int(gd["d"]), int(gd["m"]), doc_date, notes)
    if kind == "quarter":
        q = _ROMAN.get(gd["q"].upper()) or int(gd["q"])
        y = _period_year(q * 3, gd.get("y"), doc_date, phrase, notes)
        return _month_end(y, q * 3) if y else None
    if kind in ("month", "session"):
        mo = int(gd["m"])
        y = _period_year(mo, gd.get("y"), doc_date, phrase, notes)
        return _month_end(y, mo) if y else None
    if kind == "week":
        mo = int(gd["m"])
        y = _period_year(mo, gd.get("y"), doc_date, phrase, notes)
        if not y:
            return None
        w = gd["w"].lower()
        if w == "cuối":
            return _month_end(y, mo)
        n = {"đầu": 1, "thứ nhất": 1, "thứ hai": 2, "thứ ba": 3, "thứ tư": 4}[w]
        return dt.date(y, mo, 7 * n).isoformat()
    if kind == "half":
        y = int(gd["y"]) if gd.get("y") else (int(doc_date[:4]) if _doc_day(doc_date) else None)
        if not y:
            return None
        return f"{y}-06-30" if gd["which"].lower() == "đầu" else f"{y}-12-31"
    if kind == "year":
        return f"{gd['y']}-12-31"
    if kind == "on_signing":
        return doc_date if _doc_day(doc_date) else None
    if kind == "from_signing":
        d = _doc_day(doc_date)
        if d is None:
            notes.append(f"deadline '{phrase}' counts from the issue date, which the document lacks")
            return None
        n, unit = int(gd["n"]), gd["unit"].lower()
        if "làm việc" in phrase.lower():
            # working days: skip Saturdays and Sundays (public holidays are not known here)
            day, left = d, n
            while left:
                day += dt.timedelta(days=1)
                if day.weekday() < 5:
                    left -= 1
            return day.isoformat()
        if unit == "ngày":
            return (d + dt.timedelta(days=n)).isoformat()
        if unit == "tuần":
            return (d + dt.timedelta(weeks=n)).isoformat()
        y, m = d.year + (d.month - 1 + n) // 12, (d.month - 1 + n) % 12 + 1
        return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1])).isoformat()
    if kind == "day_only":
        d = _doc_day(doc_date)
        if d is None:
            return None
        day = int(gd["d"])
        for k in range(0, 13):
            y, mo = d.year + (d.month - 1 + k) // 12, (d.month - 1 + k) % 12 + 1
            try:
                cand = dt.date(y, mo, day)
            except ValueError:
                continue
            if cand >= d:
                notes.append(f"deadline 'ngày {day}' has no month: read as {cand.isoformat()}")
                return cand.isoformat()
    return None


def _skip(kind: str, m: re.Match, text: str) -> bool:
    """Matches that name a date that is not a deadline."""
    lead = m.group(0).lower()
    if kind in ("dmy", "dmy_words", "dm", "dm_words"):
        # "vào ngày 12/5/2023" is an event, "từ ngày" / "kể từ ngày" a start: only deadline leads count
        if re.match(r"(?:trong|vào|từ|kể từ)\b", lead):
            before = text[max(0, m.start() - 30):m.start()]
            return not re.search(r"(?i)(?:trước|chậm nhất|hạn|xong|hoàn thành|đến)\s*$", before)
        if kind in ("dm", "dm_words") and not re.search(r"ngày", lead) and not _DEADLINE_LEAD.match(lead):
            return True
    if kind == "day_only":
        # "hằng tháng (trước ngày 25)": the day of a monthly deadline, no single date
        window = text[max(0, m.start() - 30):m.end() + 20].lower()
        return bool(re.search(r"(?:hằng|hàng|mỗi)\s+(?:tháng|quý)", window))
    return False


def find_deadlines(text: str, doc_date: str | None = None, notes: list[str] | None = None) -> list[DeadlineMatch]:
    """Every deadline phrase in `text`, in order of position, none overlapping (the earlier, then the longer,
    wins). Weak forms (events, "thường xuyên") are included; ``find_deadline`` uses them only as a last resort."""
    found: list[DeadlineMatch] = []
    for kind, pat in _DEADLINE_PATTERNS:
        for m in pat.finditer(text):
            if _skip(kind, m, text):
                continue
            local: list[str] = []
            date = None if kind in _UNDATED else _resolve(kind, m, doc_date, local, text)
            phrase = " ".join(m.group(0).split()).rstrip(" ,:")
            found.append(DeadlineMatch(Deadline(text=phrase, date=date), kind, m.start(), m.end(), local))
    # the "recurring" form sits before "day_only" so "trước ngày 20 hằng tháng" is read whole
    order = {k: i for i, (k, _) in enumerate(_DEADLINE_PATTERNS)}
    found.sort(key=lambda f: (f.start, -(f.end - f.start), order[f.kind]))
    out: list[DeadlineMatch] = []
    for f in found:
        if out and f.start < out[-1].end:
            continue
        out.append(f)
    if notes is not None:
        for f in out:
            notes.extend(f.notes)
    return out


def find_deadline(text: str, doc_date: str | None = None, notes: list[str] | None = None) -> Deadline | None:
    """The deadline of an item: the first deadline phrase in `text`, with its date when one can be computed.
    Notes about guessed years are appended to `notes`."""
    found = find_deadlines(text, doc_date)
    strong = [f for f in found if f.kind not in _WEAK]
    pick = strong[0] if strong else (found[0] if found else None)
    if pick is not None and pick.kind in _PERIODS:
        # "tổ chức hội nghị trong quý IV …, gửi báo cáo về … trước ngày 20/10": the submission day closes the item
        for f in strong[1:]:
            if f.kind in _DAYS and _SUBMIT.search(text, max(0, f.start - 80), f.start):
                pick = f
                break
    if pick is None:
        return None
    if notes is not None:
        notes.extend(pick.notes)
    return pick.deadline


def deadline_from_cell(value: str, doc_date: str | None = None, notes: list[str] | None = None) -> Deadline | None:
    """The deadline printed alone in a table cell or a role line ("Quý III/2025", "Tháng 8/2025", "30/9/2025",
    "Năm 2026", "Thường xuyên"): read as if led by "trong"/"trước"; the printed text is kept as it stands."""
    v = " ".join(value.split())
    if not v:
        return None
    for prefix in ("", "thời hạn ", "trong "):
        dl = find_deadline(prefix + v, doc_date, notes)
        if dl is not None:
            return Deadline(text=v, date=dl.date)
    return Deadline(text=v, date=None)


# --------------------------------------------------------------------------- recurrence

_RECURRENCE: list[tuple[re.Pattern, str, str]] = [
    (re.compile(r"(?:hằng|hàng|mỗi)\s+ngày", re.I), "daily", "FREQ=DAILY"),
    (re.compile(r"(?:hằng|hàng|mỗi)\s+tuần|định\s+kỳ\s+(?:hằng\s+|hàng\s+)?tuần|(?:01|1|một)\s+lần\s*/\s*tuần", re.I),
     "weekly", "FREQ=WEEKLY"),
    (re.compile(r"(?:(?:trước|vào)\s+ngày\s+(?P<bmd>0?[1-9]|[12]\d|3[01])\s+(?:của\s+)?)?"
                r"(?:tháng\s+cuối\s+(?:của\s+)?(?:mỗi\s+|hằng\s+|hàng\s+)?quý|(?:hằng|hàng|mỗi)\s+quý|"
                r"định\s+kỳ\s+(?:hằng\s+|hàng\s+)?quý|định\s+kỳ\s+(?:03|3)\s+tháng|(?:03|3)\s+tháng\s+(?:một|01|1)\s+lần|"
                r"(?:01|1|một)\s+lần\s*/\s*quý|báo\s+cáo\s+quý(?!\s*[IV\d]))", re.I),
     "quarterly", "FREQ=MONTHLY;INTERVAL=3"),
    (re.compile(r"(?:(?:trước|vào)\s+ngày\s+(?P<bmd>0?[1-9]|[12]\d|3[01])\s+(?:của\s+)?)?"
                r"(?:(?:hằng|hàng|mỗi)\s+tháng|định\s+kỳ\s+(?:hằng\s+|hàng\s+)?tháng(?!\s+(?:cuối|đầu))|"
                r"(?:01|1|một)\s+lần\s*/\s*tháng|báo\s+cáo\s+tháng(?!\s*\d))", re.I),
     "monthly", "FREQ=MONTHLY"),
    (re.compile(r"định\s+kỳ\s+(?:06|6)\s+tháng|sơ\s+kết\s+(?:06|6)\s+tháng|(?:06|6)\s+tháng\s+(?:một|01|1)\s+lần|"
                r"(?:hằng|hàng|mỗi)\s+(?:06|6)\s+tháng|nửa\s+năm\s+(?:một|01|1)\s+lần|(?:02|2|hai)\s+lần\s*/\s*năm", re.I),
     "half-yearly", "FREQ=MONTHLY;INTERVAL=6"),
    (re.compile(r"(?:định\s+kỳ\s+)?(?:hằng|hàng)\s+năm|định\s+kỳ\s+năm|mỗi\s+năm|năm\s+(?:một|01|1)\s+lần|"
                r"(?:01|1|một)\s+lần\s*/\s*năm", re.I), "yearly", "FREQ=YEARLY"),
]
# "(trước ngày 25)" right after "hằng tháng": the day of a monthly deadline
_DAY_AFTER = re.compile(r"\s*[(,]?\s*(?:trước|chậm nhất(?: là)?|vào)\s+ngày\s+(?P<bmd>0?[1-9]|[12]\d|3[01])"
                        r"(?!\s*[/\-.]\s*\d)(?!\s*tháng)(?!\d)", re.I)


def find_recurrence(text: str) -> Recurrence | None:
    """The first recurrence phrase in `text` (by position). "thường xuyên" (ongoing) is not a recurrence."""
    best: tuple[int, re.Match, str, str] | None = None
    for pat, kind, rrule in _RECURRENCE:
        m = pat.search(text)
        if m and (best is None or m.start() < best[0] or (m.start() == best[0] and m.end() > best[1].end())):
            best = (m.start(), m, kind, rrule)
    if best is None:
        return None
    _, m, kind, rrule = best
    end = m.end()
    bmd = m.groupdict().get("bmd")
    if kind in ("monthly", "quarterly") and not bmd:
        after = _DAY_AFTER.match(text, m.end())
        if after:
            bmd = after.group("bmd")
    if bmd and kind in ("monthly", "quarterly"):
        rrule = f"{rrule};BYMONTHDAY={int(bmd)}"
    return Recurrence(kind, rrule, " ".join(m.group(0).split()), m.start(), end)


# --------------------------------------------------------------------------- report target

# A body named as the report's addressee starts with a capital ("Sở Y tế", "Ban Thường vụ", "UBND tỉnh") or
# with one of these lower-case heads.
_UPPER = "".join(chr(c) for c in range(0xC0, 0x1EFA) if chr(c).isupper() and chr(c).isalpha() and
                 (c < 0x250 or c >= 0x1E00))
_ORG_LOWER = r"(?:cấp ủy|cấp uỷ|cấp trên|cơ quan|thường trực|ban\s|sở\s|ủy ban|uỷ ban|bộ\s)"
_TO = (r"(?P<to>(?:[A-Z" + _UPPER + r"]|" + _ORG_LOWER + r")[^;:.()\n]*?)"
       r"(?=\s*\(|\s*[,;:.\n]|\s+(?:trước|chậm nhất|trong|để|theo|định kỳ|hằng|hàng|kết quả|tình hình|về|bằng|khi|"
       r"sau|ngay|đúng|trên|thông qua|đồng thời|hoàn thành|xong|vào|chậm|qua|cùng|với|nhằm|số liệu|danh sách)\b|$)")
_VIA = r"(?:\s*\(\s*qua\s+(?P<via>[^)]+?)\s*\))?"
_REPORT_DIRECT = re.compile(r"(?i:báo\s+cáo)(?:\s+(?i:bằng\s+văn\s+bản))?\s+" + _TO + _VIA)
_REPORT_ABOUT = re.compile(r"(?i:báo\s+cáo)(?P<what>[^;.()]{0,80}?)\s+(?i:gửi về|về|lên|gửi)\s+" + _TO + _VIA)
_CLAUSE_START = re.compile(r"[;:]\s*|(?<=[.!?])\s+|\n")
# verbs that may come before "báo cáo" in an item that is still a report ("tổng hợp số liệu, báo cáo …")
_REPORT_COMPANIONS = {"báo cáo", "tổng hợp", "gửi", "thực hiện", "theo dõi", "đánh giá", "sơ kết", "tổng kết",
                      "thống kê", "cập nhật", "có trách nhiệm", "chịu trách nhiệm"}


@lru_cache(maxsize=1)
def _other_verbs() -> re.Pattern:
    """Action verbs of the task lexicon that make an item an action rather than a report."""
    from ..lexicons import HERE

    words = {ln.strip().lower() for ln in (HERE / "task_verbs.txt").read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")} - _REPORT_COMPANIONS
    alts = sorted(words, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in alts) + r")(?!\w)", re.I)


def _clean_org(s: str) -> str:
    s = " ".join(s.split()).strip(" ,-")
    s = re.sub(r"\s*\((?:b/c|để b/c|báo cáo)\)\s*$", "", s, flags=re.I)
    return s


def find_report(text: str, doc_date: str | None = None, notes: list[str] | None = None) -> ReportClause | None:
    """The first "báo cáo … về <Z> (qua <W>)" clause of an item: whom to report to, through whom, and the
    deadline and recurrence inside that clause (they can differ from the item's own)."""
    best: re.Match | None = None
    for pat in (_REPORT_ABOUT, _REPORT_DIRECT):
        for m in pat.finditer(text):
            to = m.group("to")
            if re.match(r"(?i)(?:kết quả|tình hình|việc|nội dung|số liệu|danh sách|tiến độ|định kỳ)\b", to):
                continue
            if best is None or m.start() < best.start():
                best = m
            break
    if best is None:
        return None
    # the clause: from the previous ";"/":"/sentence end to the next one
    cstart = 0
    for cm in _CLAUSE_START.finditer(text, 0, best.start()):
        cstart = cm.end()
    nxt = re.compile(r";|(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])|\.\s*$").search(text, best.end())
    cend = nxt.start() if nxt else len(text)
    clause = text[cstart:cend]
    local: list[str] = []
    # the clause's deadline, a submission day before an event period ("hội nghị trong quý IV …, gửi báo cáo …
    # trước ngày 20/10")
    strong = [f for f in find_deadlines(clause, doc_date) if f.kind not in _WEAK]
    deadline = find_deadline(clause, doc_date, local) if strong else None
    if notes is not None:
        notes.extend(local)
    lead_in = text[:cstart].strip()
    leading = (not lead_in or bool(re.fullmatch(r"[-+•\d.)a-zđ\s]*", lead_in))) and \
        not _other_verbs().search(text, cstart, best.start())
    rec = find_recurrence(clause)
    if rec:
        rec.start, rec.end = (rec.start or 0) + cstart, (rec.end or 0) + cstart
    return ReportClause(to=_clean_org(best.group("to")) or None,
                        via=_clean_org(best.group("via")) if best.group("via") else None,
                        text=" ".join(clause.split()), start=cstart, end=cend, leading=leading,
                        deadline=deadline, recurrence=rec)


def find_report_target(text: str) -> str | None:
    """Whom an item reports to: Z in "báo cáo kết quả về Z (qua W) trước ngày …", "báo cáo Z …"."""
    r = find_report(text)
    return r.to if r else None
