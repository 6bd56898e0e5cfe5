"""References to other documents and their relation to the citing one (spec §8).

Finding: numbered citations (``Công văn số 6713/TLĐ-TG ngày 25/5/2023 của …``), bare symbols,
documents cited by name only (``Luật Công đoàn năm 2024``, ``Nghị quyết Đại hội lần thứ XIII của
Đảng``), and short forms that point back to an earlier full citation (``Nghị quyết số 02``,
``(sau đây gọi tắt là Quy định 294)``).

Relating: the governing cue is the nearest cue phrase to the left in the same clause; a citation
inside the description of another (``… về tiếp tục thực hiện Chỉ thị 05-CT/TW``) is nested and
carries ``via``; coordinated citations (``… và Quyết định số …``) and the items of a list or table share
their cue. Cue phrases are data (``lexicons/cues.jsonl``: ``label`` a relation, ``passive``, ``describe`` or
``mentions``; ``blocks: true`` for a mention cue that governs what follows it even after a relation verb),
matched with any whitespace between words.

``find_references`` runs the same steps on any text without zones (no letterhead needed): the
references-only API, as eyecite's ``get_citations``. See docs/references.md.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from ..lexicons import titled_names, type_by_code, type_by_name
from ..models import DocType, Reference
from ..normalize import compare_key, squash
from .dates import make_date
from .issuers import expand_body_name, recase
from .number import find_numbers
from .patterns import BODY_DATE_RE, DATE_PHRASE_RE, TYPE_NUMBER_GAP_RE, TYPE_RE

Span = tuple[int, int]

RELATION_STRENGTH = ["mentions", "based_on", "implements", "continues", "responds_to", "guides", "amends",
                     "replaces", "repeals"]
RELATION_VI = {"based_on": "căn cứ", "implements": "thực hiện", "continues": "tiếp tục thực hiện",
               "guides": "hướng dẫn", "amends": "sửa đổi", "replaces": "thay thế", "repeals": "bãi bỏ",
               "responds_to": "trả lời", "mentions": "mention"}
VI_RELATION = {v: k for k, v in RELATION_VI.items()}
RELATION_LABELS = set(RELATION_VI) - {"mentions"}


@dataclass
class Cue:
    start: int
    end: int
    label: str  # a relation, or passive | describe | mentions
    blocks: bool = False  # a mention cue that governs what follows even after a relation verb (lexicon flag)


@dataclass
class _Cand:
    start: int
    end: int
    number: str | None
    type_entry: object | None
    title: str | None
    date: str | None
    issuer: str | None
    tail_end: int  # end of the date / issuer phrase that follows the span
    zone: str
    short: bool = False
    pinpoint: str | None = None


# A reference's issuer phrase ends at the first verb, preposition of destination or clause boundary
# ("Kế hoạch số … của Ban Thường vụ Tỉnh ủy đến toàn thể cán bộ": the issuer is "Ban Thường vụ Tỉnh ủy").
_ISSUER_STOP = re.compile(
    r"\s+(?:về|quy định|hướng dẫn|ban hành|sửa đổi|thay thế|bãi bỏ|tại|đã|được|để|và(?=\s+[A-ZĐ]\S*(?:\s+\S+){0,2}\s+(?:số|\d))|"
    r"trong|theo|nhằm|với|thì|có|là|do|cho|khóa|khoá|nhiệm kỳ|gửi|kèm|đến|tới|ngày|ký|thông qua|"
    r"yêu cầu|đề nghị|triển khai|thực hiện|quán triệt|xây dựng|tổ chức thực hiện|giao|nay|như sau|năm \d{4}|"
    r"đối với|trên địa bàn|nêu trên|này)(?!\w)|[,;.:()“”\"\n<>\[\]{}|*=#@]|\s{2,}"
)
_TITLED_RE = re.compile(
    r"(?<![\w])(?P<type>Bộ luật|BỘ LUẬT|Luật|LUẬT|Pháp lệnh|PHÁP LỆNH|Hiến pháp|HIẾN PHÁP|Điều lệ|ĐIỀU LỆ|Cương lĩnh|CƯƠNG LĨNH)"
    r"[ \t]+(?=\S)"
)
_CONGRESS_RE = re.compile(r"(?<![\w])(?:Nghị quyết|NGHỊ QUYẾT|Văn kiện)[ \t\n]+(?:của[ \t\n]+|CỦA[ \t\n]+)?"
                          r"(?:Đại[ \t\n]+hội|ĐẠI[ \t\n]+HỘI)\b")
# ", nhiệm kỳ 2025 - 2030" closes a congress resolution's name (the comma would end it otherwise)
_CONGRESS_TERM_RE = re.compile(r",?\s*(?:nhiệm\s+kỳ|NHIỆM\s+KỲ)\s+(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d")
_CONGRESS_STOP = re.compile(r"[,;.()“”\"]|\n[ \t]*\n|\s(?:và|về|đã|đạt|để|nhằm|trong|tại|theo|gắn|với|của(?!\s+Đảng\b))\b")
_NAME_STOP = re.compile(
    r"[;:()“”\"]|\.(?:\s|$)|,|\n[ \t]*\n|\s(?:số|ngày|năm\s+\d|được|đã|quy định|hướng dẫn|để|thì|nhằm|tại|theo|cho|có|là|"
    r"với|này|nêu trên|hiện hành|hoặc|không|sửa đổi, bổ sung(?! một số)|về|gồm|thuộc|đối với|"
    r"và(?=\s+(?:Luật|Bộ luật|Nghị|Quyết|Thông|Pháp|Chỉ|Kế|Hướng|Điều lệ|Quy|Văn|Công|các)\b))(?!\w)"
)
_LAW_BEFORE_NUMBER = re.compile(r"(?P<type>Bộ luật|Luật|Pháp lệnh|LUẬT)[ \t]+(?P<name>[^;\n]{2,120}?)[ \t\n]+số[ \t]*:?[ \t]*$")
_AMENDED_LAW_RE = re.compile(r"sửa\s+đổi,?\s+bổ\s+sung\s+(?:một\s+số\s+điều\s+)?(?:của\s+)?(?P<type>Bộ luật|Luật)\s+"
                            r"(?P<name>(?:(?!\bLuật\b)[^;\n])+?)$")
_OF_BODY_RE = re.compile(r"[ \t\n]+của[ \t\n]+(?=(?:Ban|Bộ|Ủy ban|Uỷ ban|UBND|Chính phủ|Thủ tướng|Quốc hội|Tỉnh ủy|Thành ủy|"
                         r"Huyện ủy|Đảng ủy|Hội đồng|Tổng Liên đoàn|Liên đoàn|Văn phòng|Sở|Cục|Tòa án|Viện)\b)")
_SELF_WORDS = re.compile(r"^\s*(?:này|nêu trên|trên|đó)\b", re.IGNORECASE)
_GENERIC_NAMED = re.compile(
    r"(?<![\w])(?P<type>Quy chế|Quy định)[ \t]+(?P<name>[^;.\n()]{3,160}?)"
    r"(?=[;.\n(]|,\s|$)"
)
_ALIAS_RE = re.compile(r"\(\s*sau\s+đây\s+(?:gọi\s+)?(?:tắt\s+)?(?:gọi\s+)?là\s*:?\s*[“\"]?(?P<alias>[^)”\"]{3,60}?)[”\"]?\s*\)",
                       re.IGNORECASE)
# a wrapped line may fall between any two words ("của Nghị" | "quyết 57")
_SHORT_RE = re.compile(r"(?<![\w])(?P<type>" + "|".join(
    t.replace(" ", r"\s+") for t in
    ["Nghị quyết", "Quyết định", "Chỉ thị", "Kết luận", "Công văn", "Kế hoạch", "Hướng dẫn", "Thông báo",
     "Quy định", "Thông tư", "Nghị định", "Tờ trình", "Báo cáo", "Chương trình"]) +
    r")\s+(?:số\s+)?(?P<serial>\d{1,5})(?![\d/\-\w]|\.\d)")
_MORE_SERIALS_RE = re.compile(r"(?:[ \t]*,[ \t]*(?:và[ \t]+)?|[ \t]+và[ \t]+)(?P<serial>\d{1,5})(?![\d/\-\w]|\.\d)")
_PINPOINT_RE = re.compile(r"((?:điểm\s+\w+\s+)?(?:khoản\s+\d+\s+)?(?:Điều|điều)\s+\d+\w?(?:\s+(?:Chương|chương)\s+[IVXLC]+)?|"
                          r"(?:Chương|chương)\s+[IVXLC]+)\s*$")


def _doc_type(entry) -> DocType | None:
    if entry is None or getattr(entry, "generic", False):
        return None
    return DocType(entry.code, entry.name)


def _type_from_number(number) -> object | None:
    from ..lexicons import symbol_type_codes

    codes = symbol_type_codes()
    if number.family in ("legal", "national_assembly"):
        if number.family == "national_assembly":
            return None
        code = codes.get(number.type_code or "")
        return type_by_code().get(code) if code else None
    if number.type_code:
        code = codes.get(number.type_code)
        if number.family == "party" and number.type_code == "QĐ":
            return type_by_code().get("QĐ")
        return type_by_code().get(code) if code else None
    return type_by_code().get("CV")


# What may stand between a citation and its date: a comma, an opening bracket, a verb of issue
# ("Quyết định số … ban hành ngày …", "Luật … được Quốc hội thông qua ngày …" is the issuer-first form below).
_DATE_LEAD_RE = re.compile(
    r"[ \t]*,?[ \t]*(?:\n[ \t]*)?(?P<open>\([ \t]*)?(?:(?:được[ \t]+)?(?:ký[ \t]+)?(?:ban[ \t]+hành|ký|thông[ \t]+qua)"
    r"[ \t]+(?=ng[àa]y))?")
_ISSUER_LEAD_RE = re.compile(r"[ \t]*,?[ \t]*(?:\n[ \t]*)?(?:của|do)[ \t\n]+(?P<rest>[^\n]{2,160})")


# "Luật … số 31/2024/QH15 được Quốc hội thông qua ngày …", "… do Chính phủ ban hành ngày …"
_PASSED_BY_RE = re.compile(r"[ \t]*,?[ \t]*(?:đã[ \t]+)?(?:được|do)[ \t]+(?P<body>[A-ZĐ][\wà-ỹ]*(?:(?:[ \t]+|[ \t]*\n[ \t]*)[\wà-ỹ]+){0,7}?)"
                           r"[ \t]+(?:đã[ \t]+)?(?:thông[ \t]+qua|ban[ \t]+hành|ký)"
                           r"(?=[ \t]+ng[àa]y)")


# The citation date in any case ("… NGÀY 14 THÁNG 10 NĂM 2015" in a capitalised title), and with the separator
# before the year lost by PDF text extraction ("ngày 26-52025" for 26-5-2025)
_DATE_RE = re.compile(DATE_PHRASE_RE.pattern, re.IGNORECASE)
_GLUED_DATE_RE = re.compile(r"[ \t]*,?[ \t]*(?:\n[ \t]*)?ng[àa]y[ \t]*(?P<d>\d{1,2})[ \t]*[/.\-][ \t]*(?:\n[ \t]*)?(?P<m>\d{1,2})"
                            r"(?P<y>(?:19|20)\d\d)(?!\d)", re.IGNORECASE)


def _date_at(text: str, pos: int, limit: int) -> tuple[str | None, int]:
    """A citation date starting at pos, in any printed form ("ngày 18 tháng 5 năm 2021", "ngày 08-7-2022",
    "(ngày 05/3/2024)", "ban hành ngày 16/6/2017", a date wrapped over a line): (ISO date, end offset)."""
    lead = _DATE_LEAD_RE.match(text, pos, limit)
    at = lead.end() if lead else pos
    m = _DATE_RE.match(text, at, limit) or _GLUED_DATE_RE.match(text, at, limit)
    if not m:
        return None, pos
    if m.group("d"):
        date = make_date(m.group("y"), m.group("m"), m.group("d"))
    else:
        date = make_date(m.group("y2"), m.group("m2"), m.group("d2"))
    if not date:
        return None, pos
    end = m.end()
    if lead and lead.group("open"):
        close = re.match(r"[ \t]*\)", text[end:limit])
        if close:
            end += close.end()
    return date, end


def _tail(text: str, pos: int, limit: int) -> tuple[str | None, str | None, int, int]:
    """Date and issuer following a citation: returns (date, issuer, span_end, tail_end).

    The date may stand before the issuer ("… ngày 18/5/2021 của Bộ Chính trị") or after it ("… của Bộ Chính
    trị ngày 18/5/2021"); the span covers the citation and a date that follows it directly."""
    date, span_end = _date_at(text, pos, limit)
    tail_end = span_end
    issuer = None
    if date is None:
        pm = _PASSED_BY_RE.match(text, pos, limit)
        if pm:
            date, after = _date_at(text, pm.end(), limit)
            if date:
                return date, expand_body_name(squash(pm.group("body"))), pos, after
    im = _ISSUER_LEAD_RE.match(text, span_end, limit)
    if im:
        rest_start = im.start("rest")
        rest = text[rest_start:min(limit, rest_start + 160)]
        stop = _ISSUER_STOP.search(rest)
        raw_name = rest[: stop.start()] if stop else rest
        name = re.sub(r"(?:\s+(?:và|hoặc|cùng|với))+$", "", squash(raw_name).strip(" ,.-"))
        words = name.split()
        if 1 <= len(words) <= 14 and (name[:1].isupper() or name.lower().startswith(("ủy ban", "bộ", "ban"))):
            issuer = expand_body_name(name)
            tail_end = rest_start + len(raw_name.rstrip(" ,.-"))
            if date is None:
                date, after = _date_at(text, tail_end, limit)
                if date:
                    tail_end = after
    return date, issuer, span_end, tail_end


def _titled_name(text: str, start: int, limit: int) -> int:
    """End offset of a document name starting at `start` (after the type word)."""
    end = _titled_name_once(text, start, limit)
    known = _known_name_re().match(text, start, min(limit, start + 200))
    # "Luật Phòng, chống …", "Luật An toàn, vệ sinh lao động": a comma after a one- or two-word head
    # continues the name when a short lower-case phrase follows (not another document or a list); a known name
    # ("Điều lệ Đảng, quy định của Bộ Chính trị") is complete
    if text[end:end + 1] == "," and len(text[start:end].split()) <= 2 and not (known and known.end() == end):
        m = re.match(r",[ \t]+([a-zđà-ỹ][^,;.\n()]{1,40})", text[end:limit])
        if m and not re.match(r"(?:và|các|những|đồng thời|trong|theo|nhằm|để|ngày|số|năm)\b", m.group(1)):
            return _titled_name_once(text, end + m.start(1), limit)
    return end


@lru_cache(maxsize=1)
def _known_name_re() -> re.Pattern:
    """The name part of documents usually cited without a number ("Phòng, chống ma túy" after "Luật")."""
    rests = set()
    for name in titled_names():
        for head in ("Bộ luật", "Luật", "Pháp lệnh", "Hiến pháp", "Điều lệ", "Cương lĩnh"):
            if name.startswith(head + " "):
                rests.add(r"\s+".join(re.escape(w) for w in name[len(head):].split()))
                break
    return re.compile(r"(?:" + "|".join(sorted(rests, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)


def _titled_name_once(text: str, start: int, limit: int) -> int:
    """End offset of a name starting at `start`: a known name, else up to the first stop word."""
    known = _known_name_re().match(text, start, min(limit, start + 200))
    if known:
        end = known.end()
    else:
        stop = _NAME_STOP.search(text, start, min(limit, start + 200))
        end = stop.start() if stop else min(limit, start + 200)
    # at most 14 words
    words = list(re.finditer(r"\S+", text[start:end]))
    if len(words) > 14:
        end = start + words[13].end()
    # a "khóa XIII" suffix is part of the name
    km = re.match(r"[ \t]+(?:khóa|khoá)[ \t]+[IVXLC]+\b", text[end:limit])
    if km:
        end += km.end()
    return end


MAX_REFERENCES = 1000  # a bound for hostile input; real documents cite at most a few hundred


def find_candidates(text: str, regions: list[tuple[int, int, str]], own_number: str | None) -> list[_Cand]:
    cands: list[_Cand] = []
    for r_start, r_end, zone in regions:
        if r_end <= r_start:
            continue
        # 1. numbered citations
        for tried, (n_start, n_end, num) in enumerate(find_numbers(text, r_start, r_end)):
            if len(cands) >= MAX_REFERENCES or tried > 4 * MAX_REFERENCES:
                break
            if own_number and num.normalized == own_number:
                continue
            start = n_start
            entry = None
            title = None
            look = text[max(r_start, n_start - 160):n_start]
            base = max(r_start, n_start - 160)
            for tm in TYPE_RE.finditer(look):
                gap = look[tm.end():]
                if TYPE_NUMBER_GAP_RE.match(gap):
                    entry = type_by_name().get(" ".join(tm.group("type").split()).lower())
                    start = base + tm.start()
                    break
            if entry is None:
                # "Luật Tổ chức Chính phủ số 63/2025/QH15": a law named before its number
                for lm in reversed(list(_LAW_BEFORE_NUMBER.finditer(look))):
                    name = lm.group("name")
                    am = _AMENDED_LAW_RE.search(name)
                    if am and not re.search(r"[;]|\.\s|\bsố\b|\bđược\b|\bbởi\b", am.group("name")):
                        # "Luật sửa đổi, bổ sung một số điều của Luật X số N": the number follows the nearest noun,
                        # the amended law (the enacting formula of an amending law cites it so)
                        entry = type_by_name().get(am.group("type").lower())
                        start = base + lm.start("name") + am.start("type")
                        title = squash(f"{am.group('type')} {am.group('name')}")
                        break
                    if re.search(r"[;]|\.\s|\bsố\b|\bđược\b|\bbởi\b|\bLuật\b", name):
                        continue
                    entry = type_by_name().get(lm.group("type").lower())
                    start = base + lm.start()
                    title = squash(f"{lm.group('type')} {name}")
                    break
            if entry is None:
                entry = _type_from_number(num)
            elif getattr(entry, "generic", False):
                entry = None
            date, issuer, span_end, tail_end = _tail(text, n_end, r_end)
            pin = _PINPOINT_RE.search(text[max(r_start, start - 40):start])
            cands.append(_Cand(start, span_end, num.normalized, entry, title, date, issuer, tail_end, zone,
                               pinpoint=squash(pin.group(1)) if pin else None))
        # 1b. a normative type with a number and year but no symbol ("Nghị định 15/2020", news and page titles);
        # only right after the type word, where "12/2024" cannot be a month
        for tried, m in enumerate(_YEAR_NUMBER_RE.finditer(text, r_start, r_end)):
            if len(cands) >= MAX_REFERENCES or tried > 4 * MAX_REFERENCES:
                break
            tm = _YEAR_NUMBER_TYPE_RE.search(text, max(r_start, m.start() - 40), m.start())
            if tm is None:
                continue
            entry = type_by_name().get(" ".join(tm.group("type").split()).lower())
            number = f"{tm.group('serial')}/{m.group('year')}"
            if entry is None or number == own_number:
                continue
            date, issuer, span_end, tail_end = _tail(text, m.end(), r_end)
            cands.append(_Cand(tm.start(), span_end, number, entry, None, date, issuer, tail_end, zone))
        # 2. documents cited by name
        for tried, m in enumerate(_TITLED_RE.finditer(text, r_start, r_end)):
            if len(cands) >= MAX_REFERENCES or tried > 4 * MAX_REFERENCES:
                break
            name_start = m.end()
            tword = m.group("type")
            nxt = text[name_start:name_start + 40]
            if _SELF_WORDS.match(nxt) or nxt.startswith(("số", "Số")):
                continue
            before = text[max(r_start, m.start() - 12):m.start()].lower()
            if re.search(r"(?:dự án|dự thảo|các|những)\s*$", before):
                continue
            first_word = nxt.split()[0] if nxt.split() else ""
            governed = re.search(r"(?:[Cc]ăn cứ|;)\s*$", text[max(r_start, m.start() - 12):m.start()])
            if tword.lower() in ("luật", "bộ luật", "pháp lệnh") and not (first_word[:1].isupper() or
                                                                          first_word.lower().startswith("sửa") or
                                                                          governed):
                continue  # "luật sư", "pháp luật": lower-case names only right after "Căn cứ"
            if tword.lower() == "điều lệ" and not first_word[:1].isupper():
                continue
            if tword.isupper() and not text[name_start:name_start + 20].split()[0].isupper():
                continue
            if tword[:1].islower():
                continue
            if re.match(r"sửa đổi", first_word, re.IGNORECASE) or first_word.lower() == "sửa":
                am = re.match(r"sửa đổi,?\s*bổ sung\s+(?:một số điều\s+)?(?:của\s+)?(?:các\s+)?(?:Luật|Bộ luật)\s+", text[name_start:r_end],
                              re.IGNORECASE)
                if not am:
                    continue
                end = _titled_name(text, name_start + am.end(), r_end)
                # "Luật sửa đổi, bổ sung một số điều của Luật A và Luật B": both amended laws are in the name
                for _ in range(4):
                    more = re.match(r"[ \t]*(?:,|\n)?[ \t\n]*(?:và[ \t\n]+)?(?:Luật|Bộ luật)[ \t\n]+(?=[A-ZĐ])", text[end:r_end])
                    if not more:
                        break
                    end = _titled_name(text, end + more.end(), r_end)
            else:
                end = _titled_name(text, name_start, r_end)
            name = squash(text[m.start():end])
            if len(name.split()) < 2:
                continue
            date, issuer, span_end, tail_end = _tail(text, end, r_end)
            ym = None
            if date is None:
                ym = re.match(r"[ \t]+(?:năm[ \t]+)?((?:19|20)\d\d)\b", text[end:r_end])
            span_end2 = end + ym.end() if ym else span_end
            title = name if not name.isupper() else _recase_title(name)
            entry = type_by_name().get(" ".join(tword.split()).lower())
            cands.append(_Cand(m.start(), span_end2, None, entry, title, date, issuer, max(tail_end, span_end2), zone))
        for m in _CONGRESS_RE.finditer(text, r_start, r_end):
            if len(cands) >= MAX_REFERENCES:
                break
            stop = _CONGRESS_STOP.search(text, m.end(), min(r_end, m.end() + 160))
            end = stop.start() if stop else min(r_end, m.end() + 160)
            words = list(re.finditer(r"\S+", text[m.end():end]))[:14]
            end = m.end() + (words[-1].end() if words else 0)
            term = _CONGRESS_TERM_RE.match(text, end, r_end)
            if term:
                end = term.end()
            title = squash(text[m.start():end])
            if not re.search(r"\b(?:[IVXLC]{1,6}|lần thứ|nhiệm kỳ|toàn quốc)\b", title, re.IGNORECASE):
                continue
            if re.search(r"(?:dự thảo|DỰ THẢO)\s*$", text[max(r_start, m.start() - 12):m.start()]):
                continue  # a draft under discussion is not a cited document (spec §8)
            cands.append(_Cand(m.start(), end, None, type_by_code().get("NQ"), title, None,
                               _congress_issuer(title), end, zone))
        # 3. generic named documents, only right after a governing cue ("Căn cứ Quy chế …")
        for m in _GENERIC_NAMED.finditer(text, r_start, r_end):
            if len(cands) >= MAX_REFERENCES:
                break
            before = text[max(r_start, m.start() - 30):m.start()]
            if not re.search(r"(?:[Cc]ăn cứ|[Tt]hực hiện|[Tt]riển khai|[Tt]heo)\s*$", before):
                continue
            name = m.group("name")
            if _SELF_WORDS.match(name) or not name.strip() or re.match(r"\s*(?:số|này|của|tại|về việc)\b", name):
                continue
            end = _titled_name(text, m.start("name"), r_end)
            # "Quy chế bầu cử trong Đảng của Ban Chấp hành Trung ương": the issuer is not part of the name
            of = _OF_BODY_RE.search(text, m.start("name"), end)
            if of and not re.search(r"(?:làm việc|hoạt động|phối hợp)$", text[m.start("name"):of.start()]):
                end = of.start()  # but "Quy chế làm việc của Ban Chấp hành …" is the committee's own rules
            if end <= m.start("name") + 2:
                continue
            title = squash(text[m.start():end])
            if len(title.split()) < 3:
                continue
            date, issuer, span_end, tail_end = _tail(text, end, r_end)
            cands.append(_Cand(m.start(), span_end, None, type_by_name().get(m.group("type").lower()), title, date,
                               issuer, tail_end, zone))
    cands = _dedupe(cands)
    _issuer_first(text, cands)
    _complete_year_numbers(cands)
    return cands


def _complete_year_numbers(cands: list[_Cand]) -> None:
    """"Thông tư liên tịch số 01/2017" after (or before) "… số 01/2017/TTLT-BCA-…" in the same text is that
    document: the short number takes the full one with that serial and year (the nearest earlier one, else the
    first later one)."""
    full: dict[str, list[_Cand]] = {}
    for c in cands:
        if c.number and c.number.count("/") >= 2:
            head = re.match(r"0*(\d+[a-z]?)/(\d{4})/", c.number)
            if head:
                full.setdefault(f"{head.group(1)}/{head.group(2)}", []).append(c)
    for c in cands:
        if c.number and re.fullmatch(r"\d+[a-z]?/\d{4}", c.number):
            match = full.get(c.number.lstrip("0") or c.number)
            if match:
                before = [o for o in match if o.start < c.start]
                c.number = (before[-1] if before else match[0]).number
                c.short = True


# found from its "/year" (a literal the regex engine scans for fast), then the serial and type word before it
_YEAR_NUMBER_RE = re.compile(r"/[ \t]*(?P<year>(?:19|20)\d\d)(?![\d/\w]|[ \t]*/|-\w)")
_YEAR_NUMBER_TYPE_RE = re.compile(
    r"(?<![\w])(?P<type>Luật|Bộ luật|Pháp lệnh|Nghị định|Nghị quyết|Quyết định|Thông tư liên tịch|Thông tư|Chỉ thị)"
    r"[ \t]+(?:số[ \t]*:?[ \t]*)?(?P<serial>\d{1,4}[a-z]?)[ \t]*$", re.IGNORECASE)

_DATE_WORDS = (r"(?:\d{1,2}[ \t]*[/.\-][ \t]*\d{1,2}[ \t]*[/.\-][ \t]*(?:19|20)\d\d"
               r"|\d{1,2}[ \t]+tháng[ \t]+\d{1,2}[ \t]+năm[ \t]+(?:19|20)\d\d)")
# News and reports name the issuer (and the date) before the citation: "Ngày 18/5/2021, Bộ Chính trị ban hành
# Quy định số …", "Bộ Giáo dục và Đào tạo vừa ban hành Thông tư …"
_ISSUER_FIRST_RE = re.compile(
    r"(?:(?:^|(?<=[\n.;:]))[ \t]*|(?<=[ \t]))(?:(?:[Nn]gày[ \t]+(?P<date>" + _DATE_WORDS + r")[ \t]*,?[ \t]+)"
    r"|(?<=[\n.;:][ \t]))?"
    r"(?P<body>(?:[A-ZĐ][\wà-ỹ]*|và|,)(?:[ \t]+(?:[A-ZĐ][\wà-ỹ]*|và|[a-zà-ỹđ]+)){0,12}?)"
    r"[ \t]+(?:đã[ \t]+|vừa[ \t]+|mới[ \t]+)?(?:có|ban[ \t]+hành|ký[ \t]+ban[ \t]+hành|ký|thông[ \t]+qua)[ \t]+$")


_ISSUE_VERB_BEFORE = re.compile(r"(?:có|hành|ký|qua)[ \t]+$")


def _issuer_first(text: str, cands: list[_Cand]) -> None:
    """Issuer (and date) printed before a numbered citation, in the sentence that introduces it."""
    for c in cands:
        if not c.number or (c.issuer and c.date):
            continue
        if not _ISSUE_VERB_BEFORE.search(text, max(0, c.start - 16), c.start):
            continue  # cheap test first: most citations do not follow a verb of issue
        lo = max(0, c.start - 160)
        m = _ISSUER_FIRST_RE.search(text[lo:c.start])
        if not m:
            continue
        body = squash(m.group("body")).strip(" ,")
        words = body.split()
        if not (1 <= len(words) <= 12) or not body[:1].isupper() or _NOT_A_BODY.match(body):
            continue
        if c.issuer is None:
            c.issuer = expand_body_name(body)
        if c.date is None and m.group("date"):
            dm = BODY_DATE_RE.search(m.group("date"))
            if dm:
                c.date = (make_date(dm.group("y"), dm.group("m"), dm.group("d")) if dm.group("full")
                          else make_date(dm.group("y2"), dm.group("m2"), dm.group("d2")))


# a sentence opening that is not an issuing body ("Theo đó", "Hiện nay", "Năm 2024")
_NOT_A_BODY = re.compile(r"(?:Theo|Hiện|Năm|Trong|Tuy|Đồng|Ngoài|Sau|Trước|Khi|Nếu|Để|Các|Những|Việc|Đến|Từ|Tại|Căn|Ông|Bà|"
                         r"Anh|Chị|Người)\b")


def _congress_issuer(title: str) -> str:
    m = re.search(r"lần\s+thứ\s+([IVXLC]+|\d+)", title) or re.search(r"Đại\s+hội\s+([IVXLC]+)\b", title)
    term = m.group(1) if m else ""
    rest = squash(title.split("hội", 1)[1]) if "hội" in title else ""
    if re.search(r"Đảng bộ|Công đoàn|Đoàn|Hội|Mặt trận", rest) or not re.search(r"của Đảng|toàn quốc", rest) and rest:
        if re.search(r"Đảng bộ|Công đoàn|Đoàn|Hội|Mặt trận", rest):
            return "Đại hội " + rest
    return f"Đại hội đại biểu toàn quốc lần thứ {term} của Đảng" if term else "Đại hội đại biểu toàn quốc của Đảng"


def _recase_title(name: str) -> str:
    key = compare_key(name)
    for known in titled_names():
        if compare_key(known) == key:
            return known
    return recase(name)


def _dedupe(cands: list[_Cand]) -> list[_Cand]:
    cands.sort(key=lambda c: (c.start, -(c.end - c.start), c.number is None))
    out: list[_Cand] = []
    for c in cands:
        if out and c.start < out[-1].end:
            prev = out[-1]
            # a numbered citation beats a name-only one over the same words
            if c.number and not prev.number:
                out[-1] = c
            continue
        out.append(c)
    return out


def _defines_alias(text: str, pos: int) -> bool:
    """Is pos inside "(sau đây gọi tắt là …)", where a short name is defined rather than used?"""
    return bool(re.search(r"(?:gọi\s+tắt\s+là|gọi\s+là|sau\s+đây\s+là)\s*[“\"]?\s*$", text[max(0, pos - 30):pos], re.I))


class _Taken:
    """Sorted, non-overlapping spans with an O(log n) overlap test."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]

    def free(self, s: int, e: int) -> bool:
        i = bisect_right(self.starts, s)
        if i > 0 and self.spans[i - 1][1] > s:
            return False
        return not (i < len(self.spans) and self.spans[i][0] < e)

    def add(self, s: int, e: int) -> None:
        i = bisect_left(self.starts, s)
        self.spans.insert(i, (s, e))
        self.starts.insert(i, s)


def add_short_forms(text: str, cands: list[_Cand], regions: list[tuple[int, int, str]]) -> list[_Cand]:
    """`Nghị quyết số 02`, `Quy định 294` and defined aliases resolve to the last full citation."""
    full = [c for c in cands if c.number]
    aliases: dict[str, _Cand] = {}
    for c in full:
        am = _ALIAS_RE.match(text, c.tail_end, min(len(text), c.tail_end + 200)) or \
            _ALIAS_RE.search(text, c.tail_end, min(len(text), c.tail_end + 160))
        if am and not [o for o in full if c.tail_end < o.start < am.start()]:
            aliases[squash(am.group("alias")).lower()] = c
    extra: list[_Cand] = []
    taken = _Taken([(c.start, c.end) for c in cands])
    by_type_serial: dict[tuple[str, int], list[_Cand]] = {}
    for c in full:
        sm = re.match(r"0*(\d+)", c.number or "")
        if sm and c.type_entry is not None:
            by_type_serial.setdefault((c.type_entry.names[0].lower(), int(sm.group(1))), []).append(c)

    for r_start, r_end, zone in regions:
        for m in _SHORT_RE.finditer(text, r_start, r_end):
            if len(cands) + len(extra) >= MAX_REFERENCES:
                break
            if not taken.free(m.start(), m.end()) or _defines_alias(text, m.start()):
                continue
            tkey = squash(m.group("type")).lower()
            prior = [c for c in by_type_serial.get((tkey, int(m.group("serial"))), []) if c.end <= m.start()]
            if prior:
                p = prior[-1]
                extra.append(_Cand(m.start(), m.end(), p.number, p.type_entry, None, None, p.issuer, m.end(), zone,
                                   short=True))
                taken.add(m.start(), m.end())
            # "Quy định 57, 75, 126 và 58": one type word, several short numbers
            pos = m.end()
            while (more := _MORE_SERIALS_RE.match(text, pos, r_end)) is not None:
                s, e = more.start("serial"), more.end("serial")
                pos = more.end()
                prior = [c for c in by_type_serial.get((tkey, int(more.group("serial"))), []) if c.end <= s]
                if prior and taken.free(s, e):
                    p = prior[-1]
                    extra.append(_Cand(s, e, p.number, p.type_entry, None, None, p.issuer, e, zone, short=True))
                    taken.add(s, e)
        for alias, target in aliases.items():
            alias_re = r"\s+".join(re.escape(w) for w in alias.split())
            for am in re.finditer(alias_re, text[r_start:r_end], re.IGNORECASE):
                s, e = r_start + am.start(), r_start + am.end()
                if s < target.end or not taken.free(s, e):
                    continue
                if _defines_alias(text, s):
                    continue
                extra.append(_Cand(s, e, target.number, target.type_entry, None, None, target.issuer, e, zone,
                                   short=True))
                taken.add(s, e)
    return sorted(cands + extra, key=lambda c: c.start)


# ---------------------------------------------------------------- relations


# A period ends a clause, except the marker of an inline list item ("Bãi bỏ các văn bản sau: 1. …; 2. …")
# A table row starts a clause too: its number alone on a line (DOCX/HTML cell text) or before a layout gap (PDF).
_CLAUSE_END = re.compile(r";|\.(?<![:;][ \t]\d\.)(?<![:;][ \t]\d\d\.)(?=\s+[A-ZĐ\d-])|\.\s*\n|:\s*\n|\n[ \t]*\n|"
                         r"\n(?=[ \t]*(?:[-+•]|\d{1,2}[.)]|[a-zđ]\)|[IVX]+[.-]|Căn cứ|Điều \d|\d{1,3}[ \t]*\n|\d{1,3}(?:\t|[ \t]{2,})\S))")


def clause_start(text: str, pos: int, floor: int, ends: list[int] | None = None) -> int:
    """Start of the clause containing pos: after the last clause end (';', sentence end, list item)."""
    if ends is not None:
        i = bisect_right(ends, pos) - 1
        return max(floor, ends[i]) if i >= 0 else floor
    start = floor
    for m in _CLAUSE_END.finditer(text, max(floor, pos - 1500), pos):
        start = m.end()
    return start


_QUOTE_RE = re.compile(r"“[^”\n]{1,300}”|\"[^\"\n]{1,300}\"")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTE_RE.finditer(text)]


def _main_clause_break(gap: str) -> bool:
    """Does the text between two citations start a new main clause (a new subject)?"""
    # ", Ban Thường vụ … yêu cầu …", "; đồng thời" (semicolons are clause ends already)
    return bool(re.search(r",\s+(?:(?:[A-ZĐ][\wà-ỹ]*\s+){1,6}(?:yêu cầu|đề nghị|chỉ đạo|giao|xây dựng|ban hành|"
                          r"hướng dẫn|quyết định|thông báo)|đồng thời|trong đó|đề nghị|yêu cầu)\b", gap))


def relate(text: str, cands: list[_Cand], cues: list[Cue], region_floor: dict[str, int]) -> list[Reference]:
    refs: list[Reference] = []
    taken = _Taken([(c.start, c.end) for c in cands])
    quoted = _Taken(quoted_spans(text))
    # a cue word inside a citation ("Hướng dẫn số 46") is the citation's type, and one inside a quoted title
    # (“Một số vấn đề cụ thể thi hành Điều lệ Đảng”) is the cited document's words: neither is a cue
    good = _Cues(sorted((q for q in cues if taken.free(q.start, q.end) and quoted.free(q.start, q.end)),
                        key=lambda q: (q.start, q.end)))
    good_cues = good
    blocking = _blocking_cues()
    for q in good.cues:
        if q.label == "mentions" and not q.blocks:
            q.blocks = " ".join(text[q.start:q.end].lower().split()) in blocking
    lo_all = min((c.start for c in cands), default=0)
    ends = [m.end() for m in _CLAUSE_END.finditer(text, max(0, lo_all - 2000), max((c.end for c in cands), default=0))]
    prev_clause = None
    prev: _Cand | None = None
    prev_ref: Reference | None = None
    for idx, c in enumerate(cands):
        floor = region_floor.get(c.zone, 0)
        cs = clause_start(text, c.start, floor, ends)
        if c.zone == "subject":
            cs = max(cs, floor)
        same_clause = prev is not None and prev_clause == cs and prev.zone == c.zone
        relation, via, cue_text, inverse = "mentions", None, None, False
        if not same_clause:
            q = _last_cue(good_cues, cs, c.start) or _straddling_cue(text, good_cues, cs, c.start)
            if q is not None:
                relation, cue_text = _cue_relation(q, good_cues), text[q.start:q.end]
                if relation == "implements" and _CONTINUE_BEFORE.search(text, max(cs, q.start - 60), q.start):
                    relation = "continues"  # "tiếp tục chỉ đạo khẩn trương thực hiện Kết luận …"
                if relation == "passive" and (lead := _leadin_cue(text, c.start, good_cues, floor)) is not None:
                    relation, cue_text = lead.label, text[lead.start:lead.end]  # "DANH MỤC VĂN BẢN BỊ BÃI BỎ"
                elif relation == "passive" or not _governs(text, q, relation, c.start):
                    relation = "mentions"
            elif (lead := _leadin_cue(text, c.start, good_cues, floor)) is not None:
                # "Bãi bỏ toàn bộ các nghị định sau đây:\n1. Nghị định số …": the lead-in's verb governs the items
                relation, cue_text = lead.label, text[lead.start:lead.end]
            elif prev_ref is not None and text[max(floor, cs - 3):cs].strip().endswith(";") \
                    and _LIST_ITEM_GAP.match(text, cs, c.start):
                # "Căn cứ A; B; C", "Công văn số A; số B và số C": items of one list share the cue
                relation, cue_text = prev_ref.relation, prev_ref.cue
        else:
            gap_lo = prev.end
            q = _last_cue(good_cues, gap_lo, c.start, include_passive=True)
            if q is not None and not _governs(text, q, _cue_relation(q, good_cues), c.start):
                q = None  # "… hướng dẫn về thể thức văn bản và Công văn số …": no cue between the two
            gap = text[prev.tail_end:c.start]
            if q is None:
                if re.search(r"(?:^|\s|,)(?:về|về việc|quy định|ban hành|kèm theo|phê duyệt)\s", text[prev.tail_end:c.start]) \
                        and not re.search(r"(?:,|và|hoặc)\s*$", gap.strip() + " "):
                    relation, via = "mentions", idx - 1
                else:
                    relation, via, cue_text = prev_ref.relation, prev_ref.via, prev_ref.cue
                    inverse = prev_ref.inverse
            else:
                label = _cue_relation(q, good_cues)
                between = text[prev.tail_end:q.start]
                if _main_clause_break(between):
                    relation, cue_text = (label if label != "passive" else "mentions"), text[q.start:q.end]
                else:
                    via = idx - 1
                    cue_text = text[q.start:q.end]
                    if label == "passive":
                        relation, inverse = _passive_relation(text[q.start:q.end]), True
                    else:
                        relation = label
        if relation == "guides" and " ".join((cue_text or "").lower().split()) == "thi hành" and c.zone != "subject":
            relation = "mentions"  # "chịu trách nhiệm thi hành", "quy định thi hành …": not this document's purpose
        if relation == "mentions" and via is None and not text[cs:c.start].strip(" \t\n-+•.0123456789)abcdđ"):
            # "3. Nghị quyết số … hết hiệu lực kể từ ngày Luật này có hiệu lực": the citing document ends it
            end_m = _EXPIRES_RE.search(text, c.end, min(len(text), c.end + 600))
            if end_m and not any(e < end_m.start() for e in ends[bisect_right(ends, c.end):][:1]):
                relation, cue_text = "repeals", text[end_m.start():end_m.end()]
        ref = Reference(
            text=text[c.start:c.end], start=c.start, end=c.end, relation=relation, doc_type=_doc_type(c.type_entry),
            number=c.number, title=c.title, date=c.date, issuer=c.issuer, via=via, cue=cue_text, zone=c.zone,
            pinpoint=c.pinpoint, inverse=inverse,
        )
        refs.append(ref)
        prev, prev_clause, prev_ref = c, cs, ref
    return refs


# Between a list's ';' and its next item: nothing but an item marker ("2.", "b)", "-")
_LIST_ITEM_GAP = re.compile(r"[ \t\n]*(?:[-+•]|\d{1,2}[.)]|[a-zđ]\))?[ \t\n]*(?:và[ \t\n]+)?(?:(?:số|Số)[ \t\n]*)?$")

# "hướng dẫn" governs a citation only when it names what is guided ("hướng dẫn thi hành một số điều của Nghị
# định …"); "Ban Tuyên giáo hướng dẫn nội dung tuyên truyền Nghị quyết …" is a task that mentions it.
_GUIDES_GAP = re.compile(r"\s*(?:(?:chi tiết|thi hành|thực hiện|triển khai|việc|một số điều|một số nội dung|các|"
                         r"nội dung|điều|khoản|điểm|Điều|Chương|chương|mục|của|và|tại|theo|[\dIVXLC]+\w?|[a-zđ]|,)\s+)*$")


def _governs(text: str, q: Cue, label: str, c_start: int) -> bool:
    if label != "guides" or text[q.start:q.end].lower().split()[0] != "hướng":
        return True
    return bool(_GUIDES_GAP.match(text, q.end, c_start)) or c_start - q.end <= 1


class _Cues:
    """Cue spans sorted by start, with range queries by bisection."""

    def __init__(self, cues: list[Cue]):
        self.cues = cues
        self.starts = [q.start for q in cues]

    def between(self, lo: int, hi: int) -> list[Cue]:
        return self.cues[bisect_left(self.starts, lo):bisect_left(self.starts, hi)]


# a cited document that opens its clause and "hết hiệu lực (kể) từ ngày …" there is ended by the citing one (the
# effect article of a law or decree); "đã hết hiệu lực" tells history instead
_EXPIRES_RE = re.compile(r"(?<!đã )hết\s+hiệu\s+lực(?:\s+thi\s+hành)?\s+(?:kể\s+)?từ\s+ngày\b", re.IGNORECASE)

# "tiếp tục" a few words before an implementing verb makes it a continuation
_CONTINUE_BEFORE = re.compile(r"(?<!\w)tiếp[ \t\n]+tục(?:[ \t\n,]+[a-zà-ỹđ]+){0,4}[ \t\n,]*$", re.IGNORECASE)


def _last_cue(cues: _Cues, lo: int, hi: int, include_passive: bool = True) -> Cue | None:
    """The governing cue in [lo, hi): the nearest relation verb (or passive marker) to the left; weak cues
    ("theo", "tại") only when the clause has no relation verb at all. A blocking mention cue ("theo đề nghị tại",
    "trên cơ sở đó", lexicon flag ``blocks``) governs what follows it even after a relation verb: "kết quả thực
    hiện công tác … theo đề nghị tại Công văn số …" mentions the letter."""
    best = weak = None
    for q in reversed(cues.between(lo, hi)):
        if q.end > hi:
            continue
        if q.label in RELATION_LABELS or (q.label == "passive" and include_passive):
            best = q
            break
        if q.label == "mentions" and weak is None:
            weak = q
            if q.blocks:
                return q
    return best or weak


@lru_cache(maxsize=1)
def _cue_labels() -> dict[str, str]:
    from ..lexicons import cue_patterns

    return {" ".join(p["pattern"].lower().split()): p["label"] for p in cue_patterns()}


@lru_cache(maxsize=1)
def _blocking_cues() -> frozenset[str]:
    from ..lexicons import cue_patterns

    return frozenset(" ".join(p["pattern"].lower().split()) for p in cue_patterns() if p.get("blocks"))


def _straddling_cue(text: str, cues: _Cues, lo: int, hi: int) -> Cue | None:
    """A cue phrase matched across the clause start ("QUY ĐỊNH" | "THI HÀNH ĐIỀU LỆ ĐẢNG": the title line,
    then the subject) yields its own cue for the words inside the clause, when they are a cue phrase."""
    for q in cues.between(max(0, lo - 80), lo):
        if q.start < lo < q.end <= hi:
            words = text[lo:q.end].split()
            label = _cue_labels().get(" ".join(words).lower())
            if label is not None:
                start = lo + len(text[lo:q.end]) - len(text[lo:q.end].lstrip())
                return Cue(start, q.end, label)
    return None


def _cue_relation(q: Cue, cues: _Cues) -> str:
    # a relation verb right after a passive marker ("được sửa đổi, bổ sung") is the passive
    for p in cues.between(q.start - 40, q.start + 1):
        if p.label == "passive" and p.start <= q.start < p.end + 1 and p is not q:
            return "passive"
    return q.label


# What may open a list item or table row before the citation: a bullet, "1.", "1)", "a)", a bare row number
# ("1   Quyết định số …" in a layout table), pinpoints ("khoản 2 Điều 5")
_ITEM_HEAD = re.compile(r"^[ \t]*(?:[-+•]|\d{1,3}[.)]?(?=[ \t])|[a-zđ]\))?[ \t]*(?:(?:điểm|khoản|Điều|điều|chương|Chương|mục|Mục)"
                        r"[ \t]+[\w.]+[ \t]*)*$")
_ITEM_LINE = re.compile(r"^(?:[-+•]|\d{1,3}[.)]?|[a-zđ]\))(?:\s|$)")
_ARTICLE_HEAD = re.compile(r"^(?:Điều|ĐIỀU)[ \t]+\d+\w?[ \t]*[.:]")
# a new part of the document: the list above it cannot govern what follows
_PART_HEAD = re.compile(r"^(?:[IVXLC]+[.\-][ \t]|Chương[ \t]|CHƯƠNG[ \t]|Mục[ \t]+\d|MỤC[ \t]+\d|Căn cứ|QUYẾT ĐỊNH|Nơi nhận)")
_LIST_REACH = 6000  # characters a list (or table) may run from its lead-in, page breaks included


def _leadin_cue(text: str, pos: int, cues: _Cues, floor: int) -> Cue | None:
    """For a citation that opens a list item or a table row, the relation verb of the list's lead-in: a line
    ending ':' ("Bãi bỏ các văn bản sau:"), an article heading ("Điều 1. Bãi bỏ toàn bộ 15 văn bản …") or a
    capitalised table title ("DANH MỤC VĂN BẢN BÃI BỎ"). Lines between (other items, their wrapped text, page
    chrome at a page break, table header cells) are passed over."""
    line_start = text.rfind("\n", floor, pos) + 1
    if not _ITEM_HEAD.match(text[line_start:pos]):
        return None
    i = line_start - 1
    for _ in range(200):
        if i <= floor or pos - i > _LIST_REACH:
            return None
        prev_start = text.rfind("\n", floor, i) + 1
        line_end = i
        line = text[prev_start:line_end].strip()
        i = prev_start - 1
        if not line or _ITEM_LINE.match(line):
            continue
        if _PART_HEAD.match(line):
            return None
        heading = line.endswith(":") or _ARTICLE_HEAD.match(line)
        title = len(line) > 8 and line.upper() == line and any(ch.isalpha() for ch in line)
        if not (heading or title):
            continue  # wrapped text of an earlier item, a table header cell
        best = None
        for q in cues.between(prev_start, line_end):
            if q.label in RELATION_LABELS:
                best = q
            elif q.label == "passive" and _passive_relation(text[q.start:q.end]) != "mentions":
                # "Các văn bản sau đây bị bãi bỏ:", "DANH MỤC VĂN BẢN BỊ THAY THẾ": the listed documents undergo it
                best = Cue(q.start, q.end, _passive_relation(text[q.start:q.end]))
        if best is None and title and not heading:
            continue  # page chrome ("CÔNG BÁO"), a column header in capitals
        return best
    return None


def _passive_relation(cue: str) -> str:
    c = cue.lower()
    if "sửa đổi" in c or "bổ sung" in c:
        return "amends"
    if "thay thế" in c:
        return "replaces"
    if "bãi bỏ" in c or "hủy bỏ" in c or "huỷ bỏ" in c:
        return "repeals"
    if "hướng dẫn" in c:
        return "guides"
    return "mentions"


def _rank(relation: str) -> int:
    # "tiếp tục thực hiện" and "thực hiện" are one kind of link; between them the governing (first) cue decides,
    # so a later task ("1. Tiếp tục quán triệt Kết luận …") does not rewrite the opening "Thực hiện Kết luận …"
    return RELATION_STRENGTH.index("implements" if relation == "continues" else relation)


def harmonize(refs: list[Reference]) -> None:
    """Every occurrence of one cited document carries the strongest relation read for it (per via target),
    and the issuer named at any occurrence (spec §8.2; dev gold convention). Of two relations of equal
    strength, the first in the text (the subject line, the opening cue) wins."""

    def key(r: Reference) -> str:
        return r.number or compare_key(re.sub(r"\s+(?:năm\s+\d{4}|ngày.*)$", "", r.title or ""))

    def target(r: Reference) -> str:
        return key(refs[r.via]) if r.via is not None and 0 <= r.via < len(refs) else ""

    best: dict[tuple[str, str], str] = {}
    issuers: dict[str, tuple[bool, str]] = {}
    for r in refs:
        k = (key(r), target(r))
        if _rank(r.relation) > _rank(best.get(k, "mentions")):
            best[k] = r.relation
        # the best-evidenced mention (issuer printed with a date) names the issuer for the others (issue 14)
        if r.issuer and (key(r) not in issuers or (r.date is not None and not issuers[key(r)][0])):
            issuers[key(r)] = (r.date is not None, r.issuer)
    for r in refs:
        k = (key(r), target(r))
        if k in best and _rank(best[k]) >= _rank(r.relation):
            r.relation = best[k]
        if not r.issuer and key(r) in issuers:
            r.issuer = issuers[key(r)][1]


def inherit_issuers(refs: list[Reference]) -> list[str]:
    """A nested citation of the same issuer family and code as its outer one, with no issuer of its own,
    is issued by the same body ("Kết luận 01-KL/TW của Bộ Chính trị về … Chỉ thị 05-CT/TW")."""
    notes = []
    for r in refs:
        if r.issuer or r.via is None or not r.number:
            continue
        outer = refs[r.via]
        if outer.issuer and outer.number and _issuer_code(outer.number) == _issuer_code(r.number):
            r.issuer = outer.issuer
            notes.append(f"issuer of {r.number} taken from {outer.number} (same issuing code)")
    return notes


def _issuer_code(number: str) -> str:
    return number.rsplit("/", 1)[-1]


# ---------------------------------------------------------------- references-only API


@lru_cache(maxsize=1)
def _cue_regex() -> re.Pattern:
    """The cue phrases of lexicons/cues.jsonl as one regex, any whitespace (one line break at most) between
    words: the same matching as the pipeline's ``congvan_cues`` component, without spaCy."""
    gap = r"(?:[ \t]+\n?[ \t]*|\n[ \t]*)"
    alts = sorted(_cue_labels(), key=len, reverse=True)
    first = "".join(sorted({ch for a in alts for ch in (a[0].lower(), a[0].upper())}))
    return re.compile(r"(?=[" + re.escape(first) + r"])(?<!\w)(?:"
                      + "|".join(gap.join(map(re.escape, a.split())) for a in alts) + r")(?!\w)", re.IGNORECASE)


def find_cues(text: str, limit: int = 20000) -> list[Cue]:
    """Cue phrases in normalized text; overlapping matches keep the longest ("tiếp tục thực hiện")."""
    labels = _cue_labels()
    found = []
    for m in _cue_regex().finditer(text):
        key = " ".join(m.group(0).lower().split())
        found.append(Cue(m.start(), m.end(), labels[key], key in _blocking_cues()))
        if len(found) >= limit:
            break
    return longest_cues(found)


def longest_cues(cues: list[Cue]) -> list[Cue]:
    """Overlapping cue matches: the longest wins ("tiếp tục thực hiện" over "thực hiện")."""
    if not cues:
        return []
    taken = bytearray(max(q.end for q in cues) + 1)
    out: list[Cue] = []
    for q in sorted(cues, key=lambda q: (-(q.end - q.start), q.start)):
        if not any(taken[q.start:q.end]):
            taken[q.start:q.end] = b"\x01" * (q.end - q.start)
            out.append(q)
    return sorted(out, key=lambda q: (q.start, q.end))


def find_references(text: str, own_number: str | None = None) -> list[Reference]:
    """Every citation in any Vietnamese text — a news paragraph, a page title, a clause, a whole document —
    with its offsets, relation, date, issuer and ``via`` (index of the citation whose description holds it).

    No letterhead is needed: the whole text is one body. ``own_number`` (normalized) is left out, as the
    extractor leaves out a document's own number. Offsets index ``text`` as given; ``Reference.text`` is
    sliced from it. The eyecite analogue is ``get_citations``."""
    from ..normalize import join_wrapped_lines, normalize

    if not text:
        return []
    norm = join_wrapped_lines(normalize(text))
    regions = [(0, len(norm), "body")]
    cands = find_candidates(norm, regions, own_number)
    cands = add_short_forms(norm, cands, regions)
    refs = relate(norm, cands, find_cues(norm), {"body": 0})
    harmonize(refs)
    inherit_issuers(refs)
    for r in refs:
        r.text = text[r.start:r.end]
    return refs
