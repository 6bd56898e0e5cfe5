"""Regular expressions shared by the extractors, kept apart from the logic that uses them
(as eyecite keeps regexes.py). Input is always normalized text (see ``pipeline.normalize``)."""

from __future__ import annotations

import re

from ..lexicons import doc_types, glued_type_codes

# Separators inside printed numbers: a few spaces, or a line break with indentation (spec §2.2).
SEP_GAP = r"[ \t]{0,3}(?:\n[ \t]*)?"
SERIAL = r"\d{1,5}(?:\.\d{1,3})?(?:[A-Za-z](?![A-Za-zĐđ]))?"
# A code may carry dotted parts ("VPCP-V.I", "BCA-V.01"): a dot only counts when a code character follows it,
# so the full stop of "… số 12/UBND-VX." stays outside the number.
# type codes printed glued to the serial ("12KH/…"), from lexicons/doc_types.json
GLUED_CODES = "|".join(map(re.escape, glued_type_codes()))
CODE = r"[A-ZĐ][A-Za-zĐđ0-9]{0,11}(?:\.[A-ZĐ0-9][A-Za-zĐđ0-9]{0,5})*"
CODE_CHAIN = CODE + r"(?:" + SEP_GAP + r"-" + SEP_GAP + CODE + r")*(?:/[a-z]{1,4}\b)?"
YEAR = r"(?:19|20)\d\d"

# A document number in running text. Group `serial` may be empty (blank serial of a draft).
NUMBER_RE = re.compile(
    r"(?:(?<![\w/.\-])|(?<=số)|(?<=Số)|(?<=SỐ))"  # "số31-QĐ/TW": the label glued to the serial
    r"(?P<serial>" + SERIAL + r")"
    r"(?:"
    r"(?P<legal>" + SEP_GAP + r"/" + SEP_GAP + r"(?P<year>" + YEAR + r"\d?)" + SEP_GAP + r"/" + SEP_GAP + CODE_CHAIN + r")"
    r"|(?P<party>" + SEP_GAP + r"-" + SEP_GAP + CODE + SEP_GAP + r"/" + SEP_GAP + CODE_CHAIN + r")"
    r"|(?P<glued>(?<=\d)(?:" + GLUED_CODES + r")/" + CODE_CHAIN + r")"
    r"|(?P<slash>" + SEP_GAP + r"/" + SEP_GAP + CODE_CHAIN + r")"
    r")"
    r"(?![\w/])"
)

# The document's own number in the header, with its label.
NUMBER_LABEL_RE = re.compile(
    # "Số" as typed, "Sè" from TCVN3, and as OCR misreads it ("Sô", "Sổ", "Sỗ", "S6", "SÔ")
    r"(?:^|(?<=[\s:]))(?P<label>(?:S[ốốôoổỗộồóỏõ6]|s[ốo]|SỐ|SÔ|SỔ|Sè)\s*[:.]?)[ \t]*"
    r"(?P<num>(?:\d{1,5}(?:\.\d{1,3})?[A-Za-z]?)?[ \t]*(?:[-/][ \t]*)?"
    r"(?:" + YEAR + r"[ \t]*/[ \t]*)?[A-ZĐ][^\s,;]*(?:[ \t]{0,2}[-/][ \t]{0,2}[A-ZĐ][^\s,;]*)*)?",
)

# A header serial separated from its symbol by the blank a stamp or a handwritten serial was meant to fill
# ("Số: 565    /TB-UBND", "Số: 779     /QĐ-UBND"): only after the label, where nothing else can stand.
WIDE_SERIAL_RE = re.compile(r"(?P<serial>\d{1,5}(?:\.\d{1,3})?)[ \t]{2,14}(?=/[ \t]{0,3}[A-ZĐ])")

# A blank-serial number: "Số:      /UBND-NC" (an unsigned draft).
BLANK_SERIAL_RE = re.compile(r"^[ \t]*/[ \t]*(?P<symbol>" + CODE_CHAIN + r")")

_MONTH = r"(?P<m>0?[1-9]|1[0-2])"
_DAY = r"(?P<d>0?[1-9]|[12]\d|3[01])"

# The date words as printed and as OCR damages them ("ngảy", "thảng", "nărn", "nãm").
NGAY = r"(?:ng[àaảáạã]y|NGÀY)"
THANG = r"(?:th[áaảàạ]ng|THÁNG)"
NAM = r"(?:n[ăaãâàắằ]?m|n[ăa]rn|NĂM)"
_UPPER = "A-ZĐÂÊÔƠƯÁÀẢÃẠĂẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
_DATE_TAIL = (r"(?P<ngay>" + NGAY + r")\s*(?P<d>\d{1,2}|[.…_]*)\s*"
              r"(?P<thang>" + THANG + r")\s*(?P<m>\d{1,2}|[.…_]+|[a-zà-ỹ ]{2,8}?)\s*"
              r"(?P<nam>" + NAM + r"|th[áa]ng)\s*(?P<y>[12][0-9O]{3})")

# "Lai Châu, ngày 07 tháng 6 năm 2023"; the day may be blank (dots, ellipsis or spaces).
DATE_LINE_RE = re.compile(r"(?P<place>[" + _UPPER + r"][^\n,;:]{0,40}?)\s*,\s*" + _DATE_TAIL)

# The line as a poor scan prints it: day, month or year OCR'd into marks ("ngày (D tháng 01 năm 201]"). Only the
# place is kept; the date is null (never guessed).
DATE_LINE_DAMAGED_RE = re.compile(
    r"(?P<place>[" + _UPPER + r"][^\n,;:]{0,40}?)\s*,\s*(?P<ngay>" + NGAY + r")\s*(?P<d>[^\s]{0,3})\s*"
    r"(?P<thang>" + THANG + r")\s*(?P<m>[^\s]{1,3})\s*(?P<nam>" + NAM + r")\s*(?P<y>[12][^\s]{2,4})")

# A header date in figures ("Hà Nội, ngày 05/3/2026"), as some bodies print it against NĐ 30/2020: the place must
# open a cell and be a short name, so a citation "…, ngày 05/3/2026" never passes for the date line.
DATE_LINE_NUMERIC_RE = re.compile(
    r"(?:^|(?<=\t)|(?<=  ))[ \t]*(?P<place>[" + _UPPER + r"][\w.]*(?: (?:[" + _UPPER + r"][\w.]*|phố|xã|thị)){0,4})"
    r"\s*,\s*(?P<ngay>" + NGAY + r")\s*(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>(?:19|20)\d\d)(?!\d)",
    re.MULTILINE)

# The same line without its comma ("Hà Nội ngày 01 tháng 12 năm 2025"): the place must then open a cell and be a
# short name (capitalised words, "phố"/"xã" inside "Thành phố …"), so "Căn cứ Nghị định … ngày …" never matches.
_PLACE_WORD = r"(?:[" + _UPPER + r"][\w.]*|phố|xã|thị)"
DATE_LINE_NOCOMMA_RE = re.compile(
    r"(?:^|(?<=\t)|(?<=  ))[ \t]*(?P<place>[" + _UPPER + r"][\w.]*(?: " + _PLACE_WORD + r"){0,4})[ \t]+" + _DATE_TAIL,
    re.MULTILINE)

# The passage line of a law, code, ordinance or resolution of the Quốc hội / UBTVQH, which prints no header
# date line: "Luật này được Quốc hội … khóa XV, kỳ họp thứ 10 thông qua ngày 11 tháng 12 năm 2025."
PASSAGE_RE = re.compile(
    r"(?P<what>(?:Bộ\s+luật|Luật|Pháp\s+lệnh|Nghị\s+quyết|Hiến\s+pháp|Lệnh)\s+này)\s+(?:đã\s+)?được\s+"
    r"[^.;]{0,250}?(?:thông\s+qua|ban\s+hành|công\s+bố)\s+(?:vào\s+)?" + NGAY
    + r"\s*(?P<d>\d{1,2})\s*(?:" + THANG + r"\s*(?P<m>\d{1,2})\s*" + NAM + r"\s*(?P<y>[12]\d{3})"
    r"|[/.\-]\s*(?P<m2>\d{1,2})\s*[/.\-]\s*(?P<y2>[12]\d{3}))")

# A Lệnh of the President promulgating a law ("NAY CÔNG BỐ / Luật … / Đã được Quốc hội … thông qua ngày …"):
# without its header date line the only date it prints is the promulgated law's passage.
PROMULGATION_RE = re.compile(
    r"NAY\s+CÔNG\s+BỐ[\s\S]{0,600}?[Đđ]ã\s+được\s+[^.;]{0,250}?thông\s+qua\s+(?:vào\s+)?" + NGAY
    + r"\s*(?P<d>\d{1,2})\s*(?:" + THANG + r"\s*(?P<m>\d{1,2})\s*" + NAM + r"\s*(?P<y>[12]\d{3})"
    r"|[/.\-]\s*(?P<m2>\d{1,2})\s*[/.\-]\s*(?P<y2>[12]\d{3}))", re.IGNORECASE)

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
