"""Regular expressions shared by the extractors, kept apart from the logic that uses them
(as eyecite keeps regexes.py). Input is always normalized text (see ``pipeline.normalize``)."""

from __future__ import annotations

import re

from ..lexicons import doc_types

# Separators inside printed numbers: a few spaces, or a line break with indentation (spec §2.2).
SEP_GAP = r"[ \t]{0,3}(?:\n[ \t]*)?"
SERIAL = r"\d{1,5}(?:\.\d{1,3})?(?:[A-Za-z](?![A-Za-zĐđ]))?"
CODE = r"[A-ZĐ][A-Za-zĐđ0-9]{0,11}"
CODE_CHAIN = CODE + r"(?:" + SEP_GAP + r"-" + SEP_GAP + CODE + r")*(?:/[a-z]{1,4}\b)?"
YEAR = r"(?:19|20)\d\d"

# A document number in running text. Group `serial` may be empty (blank serial of a draft).
NUMBER_RE = re.compile(
    r"(?:(?<![\w/.\-])|(?<=số)|(?<=Số)|(?<=SỐ))"  # "số31-QĐ/TW": the label glued to the serial
    r"(?P<serial>" + SERIAL + r")"
    r"(?:"
    r"(?P<legal>" + SEP_GAP + r"/" + SEP_GAP + r"(?P<year>" + YEAR + r"\d?)" + SEP_GAP + r"/" + SEP_GAP + CODE_CHAIN + r")"
    r"|(?P<party>" + SEP_GAP + r"-" + SEP_GAP + CODE + SEP_GAP + r"/" + SEP_GAP + CODE_CHAIN + r")"
    r"|(?P<glued>(?<=\d)(?:QĐ|QĐi|HD|KH|NQ|KL|CT|TB|BC|CV|QyĐ|TTr|CTr)/" + CODE_CHAIN + r")"
    r"|(?P<slash>" + SEP_GAP + r"/" + SEP_GAP + CODE_CHAIN + r")"
    r")"
    r"(?![\w/])"
)

# The document's own number in the header, with its label.
NUMBER_LABEL_RE = re.compile(
    r"(?:^|(?<=[\s:]))(?P<label>(?:S[ốốôo]|s[ốo]|SỐ|Sè)\s*[:.]?)[ \t]*"
    r"(?P<num>(?:\d{1,5}(?:\.\d{1,3})?[A-Za-z]?)?[ \t]*(?:[-/][ \t]*)?"
    r"(?:" + YEAR + r"[ \t]*/[ \t]*)?[A-ZĐ][^\s,;]*(?:[ \t]{0,2}[-/][ \t]{0,2}[A-ZĐ][^\s,;]*)*)?",
)

# A blank-serial number: "Số:      /UBND-NC" (an unsigned draft).
BLANK_SERIAL_RE = re.compile(r"^[ \t]*/[ \t]*(?P<symbol>" + CODE_CHAIN + r")")

_MONTH = r"(?P<m>0?[1-9]|1[0-2])"
_DAY = r"(?P<d>0?[1-9]|[12]\d|3[01])"

# "Lai Châu, ngày 07 tháng 6 năm 2023"; the day may be blank (dots, ellipsis or spaces).
DATE_LINE_RE = re.compile(
    r"(?P<place>[A-ZĐÂÊÔƠƯÁÀẢÃẠĂẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ]"
    r"[^\n,;:]{0,40}?)\s*,\s*"
    r"(?P<ngay>ng[àa]y|ngảy|NGÀY)\s*(?P<d>\d{1,2}|\.{2,}|…+|_+|)\s*"
    r"(?P<thang>th[áa]ng|thảng|THÁNG)\s*(?P<m>\d{1,2}|[a-zà-ỹ ]{2,8}?)\s*"
    r"(?P<nam>n[ăa]?m|nărn|NĂM|th[áa]ng)\s*(?P<y>[12][0-9O]{3})"
)

# Dates inside running text.
BODY_DATE_RE = re.compile(
    r"(?P<full>" + _DAY + r"\s*[/.\-]\s*" + _MONTH + r"\s*[/.\-]\s*(?P<y>(?:19|20)\d\d)(?!\d))"
    r"|(?P<words>(?P<d2>\d{1,2})\s+th[áa]ng\s+(?P<m2>\d{1,2})\s+(?:n[ăa]m|th[áa]ng)\s+(?P<y2>(?:19|20)\d\d))"
)
DATE_PHRASE_RE = re.compile(
    r"[ \t]*,?[ \t]*(?:\n[ \t]*)?ng[àa]y[ \t]*(?:\n[ \t]*)?"
    r"(?:(?P<d>\d{1,2})[ \t]*(?:\n[ \t]*)?[/.\-][ \t]*(?:\n[ \t]*)?(?P<m>\d{1,2})[ \t]*(?:\n[ \t]*)?[/.\-][ \t]*(?:\n[ \t]*)?(?P<y>(?:19|20)\d\d)"
    r"|(?P<d2>\d{1,2})\s+th[áa]ng\s+(?P<m2>\d{1,2})\s+(?:n[ăa]m|th[áa]ng)\s+(?P<y2>(?:19|20)\d\d))"
)


def _type_alternation() -> str:
    names = sorted({n for t in doc_types() for n in t.names}, key=len, reverse=True)
    parts = []
    for n in names:
        words = [re.escape(w) for w in n.split()]
        parts.append(r"[ \t]*\n?[ \t]*".join(words).replace(r"\ ", " "))
    return "|".join(parts)


# A document-type word, in any case, words possibly wrapped over a line break.
TYPE_WORDS = _type_alternation()
TYPE_RE = re.compile(r"(?<!\w)(?P<type>" + TYPE_WORDS + r")(?!\w)", re.IGNORECASE)

# What may stand between a type word and its number: "số", "số:", nothing, line breaks.
TYPE_NUMBER_GAP_RE = re.compile(r"^[ \t]*(?:\n[ \t]*)?(?:(?:s[ốo]|SỐ)[ \t]*:?[ \t]*(?:\n[ \t]*)?)?$", re.IGNORECASE)
