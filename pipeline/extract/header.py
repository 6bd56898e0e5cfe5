"""Header fields: number, place and date, issuer (and parent), document type, subject."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ..lexicons import symbol_type_codes, type_by_code, type_by_name
from ..models import DocNumber, DocType, Issuer
from ..normalize import squash
from .dates import find_date_line, find_passage_date, make_date
from .issuers import family_of, infer_issuer, issuer_from_header, split_bodies
from .number import parse_number
from .segment import Zones, is_caps, title_type_name

# What may stand as a serial: digits, a dotted sub-serial ("66.15"), one letter ("65B").
_CLEAN_SERIAL = re.compile(r"\d{1,5}(?:\.\d{1,3})?[A-Za-z]?")
_SERIAL_HEAD = re.compile(r"^(?P<serial>[^/\-]*?)[ \t]*(?=[/\-][ \t]*[A-ZĐ0-9])")
# Below this mean word confidence (tesseract, 0-100) of the first page, a serial read by OCR is not trusted:
# serials are handwritten or stamped after signing, the worst-read marks on the page.
OCR_SERIAL_MIN_CONFIDENCE = 70.0


def serial_weakness(serial: str, ocr: bool, page_confidence: float | None) -> str | None:
    """Why the printed serial cannot be trusted, or None. A wrong serial files the document under another
    document's number, so doubtful evidence gives ``serial: null`` and a warning instead (issue 16)."""
    if not serial:
        return None
    if not _CLEAN_SERIAL.fullmatch(serial):
        return "digits mixed with marks"
    if not serial.strip("0.").strip():
        return "a serial of zeros"
    if ocr and len(serial) == 1:
        return "a lone digit where a serial belongs (serials below 10 are printed with a leading zero)"
    if ocr and page_confidence is not None and page_confidence < OCR_SERIAL_MIN_CONFIDENCE:
        return f"low OCR confidence on the page ({page_confidence:.0f})"
    return None


def read_number(z: Zones, raw: str, warnings: list[str], ocr: bool = False,
                page_confidence: float | None = None, evidence: dict | None = None) -> DocNumber | None:
    ev = evidence if evidence is not None else {}
    if z.number is None:
        warnings.append("number not found")
        return None
    printed = raw[z.number[0]:z.number[1]]
    if z.number_cont is not None:  # wrapped in a narrow header cell: "01/2022/TTLT-VKSNDTC-" + "TANDTC-BCA"
        printed += raw[z.number_cont[0]:z.number_cont[1]]
    # a number broken after '/' or '-' is printed as one token: "6713/TLĐ-\nTG" -> "6713/TLĐ-TG"
    text = squash(re.sub(r"([/\-])[ \t]*\n\s*", r"\1", printed))
    head = _SERIAL_HEAD.match(text)
    printed_serial = re.sub(r"\s+", "", head.group("serial")) if head else ""
    weak = serial_weakness(printed_serial, ocr, page_confidence) if head else None
    if text.startswith(("/", "-")) or weak:
        symbol_part = re.sub(r"\s+", "", text[head.end():] if weak else text)
        num = parse_number("0" + symbol_part)
        if weak:
            warnings.append(f"number: serial {printed_serial!r} not trusted ({weak}): serial is null, "
                            f"symbol kept")
            ev["number"] = (0.3, "weak_serial", weak)
        else:
            warnings.append("number has a blank serial (draft or numbered at signing)")
            ev["number"] = (0.5, "ocr" if ocr else "blank_serial",
                            "serial blank on an OCR'd page (unreadable?)" if ocr else "serial left blank")
        if num:
            num.serial = None
            num.normalized = symbol_part
    else:
        num = parse_number(printed)
    if num is None:
        warnings.append(f"number {text!r} does not follow a known grammar")
        ev["number"] = (0.3, "unparsed", "number does not follow a known grammar")
        return DocNumber(text=text, serial=None, year=None, symbol=None, start=z.number[0], end=z.number[1])
    num.text = text
    num.start, num.end = z.number[0], (z.number_cont or z.number)[1]
    if "/NQ-QH" in re.sub(r"\s+", "", printed):
        warnings.append("symbol NQ-QHxx normalised to QHxx")
    if z.number_cont is not None:
        ev.setdefault("number", (0.9, None, "number joined across a wrapped header cell"))
    return num


def read_date_place(z: Zones, raw: str, warnings: list[str], number: DocNumber | None = None,
                    evidence: dict | None = None) -> tuple[str | None, str | None]:
    ev = evidence if evidence is not None else {}
    dl = z.date_line
    if dl is not None and dl.blank_day:
        warnings.append(f"day left blank in the date line (month {dl.month}, year {dl.year}): date is null")
        ev["date"] = (0.0, "blank_day", "day left blank (draft, or stamped at signing)")
        return dl.place, None
    if dl is not None and dl.date is not None:
        if dl.source == "header_nocomma":
            ev["date"] = (0.9, None, "date line without its comma")
        elif dl.source == "header_numeric":
            ev["date"] = (0.85, None, "date line in figures (dd/mm/yyyy)")
        if dl.damaged:
            ev["date"] = (0.7, "ocr", "date words damaged by OCR")
        _check_year(dl.date, number, warnings, ev)
        own = _own_citation_date(raw, number, z.header_end or 0)
        if own is not None and own != dl.date:
            # a stamped day or month over the typed template is misread more often than the annex heading
            warnings.append(f"date line says {dl.date} but the annex heading citing this number says {own}")
            ev["date"] = (0.4, "conflicting", f"the document's own annex heading gives {own}")
        return dl.place, dl.date
    # No usable header date: a law, code, ordinance or resolution of the Quốc hội / UBTVQH is dated by its
    # passage line; any document may cite its own number and date in an annex heading.
    lo = z.header_end if z.header_end else 0
    passage = find_passage_date(raw, lo)
    if passage is not None and passage.date is not None:
        z.date_line = z.date_line or passage
        if dl is not None:
            warnings.append("header date line unreadable: date taken from the passage line")
        if passage.source == "promulgation":
            warnings.append("no date line: date of the promulgated law's passage (a Lệnh is dated on or after it)")
            ev["date"] = (0.6, "inferred", "a Lệnh without its date line: the promulgated law's passage date")
        else:
            ev["date"] = (0.95 if dl is None else 0.7, None if dl is None else "conflicting",
                          "date of the passage line")
        ev["place"] = (0.9, None, "no place: the text is dated by its passage line")
        _check_year(passage.date, number, warnings, ev)
        return (dl.place if dl is not None else None), passage.date
    own = _own_citation_date(raw, number, lo)
    if own is not None and dl is not None:
        warnings.append(f"date line does not form a valid calendar date: date {own} taken from the document's own "
                        "number cited in its annex heading")
        ev["date"] = (0.6, "inferred", "date from the document's own number cited in an annex heading")
        return dl.place, own
    if dl is None:
        warnings.append("place and date line not found")
        ev["date"] = (0.0, "missing", "no date line")
        return None, None
    warnings.append("date line does not form a valid calendar date")
    ev["date"] = (0.0, "ocr" if dl.damaged else "invalid", "date line does not form a valid calendar date")
    return dl.place, None


def _check_year(date: str, number: DocNumber | None, warnings: list[str], ev: dict) -> None:
    """A normative number carries its year: a date of another year is conflicting evidence."""
    if number is not None and number.year and date and int(date[:4]) != number.year:
        warnings.append(f"date {date} is not in the year of the number ({number.year})")
        ev["date"] = (0.5, "conflicting", f"year differs from the number's ({number.year})")


def _own_citation_date(raw: str, number: DocNumber | None, start: int) -> str | None:
    """The date printed next to the document's own number in an annex heading ("(Kèm theo Quyết định số 15
    /QĐ-UBND ngày 15 / 5 /2026 …)"): the only date left when the stamped header date is unreadable."""
    if number is None or not number.serial or not number.symbol:
        return None
    printed = re.escape(number.serial) + r"\s*[/\-]\s*" + r"\s*".join(
        re.escape(part) for part in re.split(r"(?<=[/\-])|(?=[/\-])", (number.normalized or "")[len(number.serial) + 1:])
        if part)
    pat = re.compile(r"(?i)kèm\s+theo\s+[^()\n]{0,40}?số\s*:?\s*" + printed + r"\s*,?\s*ngày\s*"
                     r"(?P<d>\d{1,2})\s*(?:[/.\-]|tháng)\s*(?P<m>\d{1,2})\s*(?:[/.\-]|năm)\s*(?P<y>(?:19|20)\d\d)")
    m = pat.search(raw, start)
    return make_date(m.group("y"), m.group("m"), m.group("d")) if m else None


def read_doc_type(z: Zones, raw: str, number: DocNumber | None, evidence: dict | None = None) -> DocType | None:
    ev = evidence if evidence is not None else {}
    if z.title is not None:
        name = title_type_name(raw[z.title[0]:z.title[1]]) or ""
        entry = type_by_name().get(name)
        if entry:
            code = entry.code
            # Party symbols print QĐ for Quy định too (spec §3): keep the symbol's own code
            if number and number.type_code and symbol_type_codes().get(number.type_code) == entry.code:
                code = number.type_code
            elif number and number.family == "party" and entry.code == "QyĐ" and number.type_code in ("QĐ", "QĐi"):
                code = number.type_code
            elif number and number.type_code and symbol_type_codes().get(number.type_code) and \
                    not entry.generic and number.type_code not in ("QĐ", "QĐi", "QyĐ"):
                ev["doc_type"] = (0.6, "conflicting",
                                  f"title says {entry.name}, the symbol's type code is {number.type_code}")
            # a listed longer name is the type as printed ("Chương trình hành động", "Bộ luật")
            printed = next((n for n in entry.names if n.lower() == name), entry.name)
            return DocType(code, printed)
    if z.subject_is_vv:
        ev["doc_type"] = (0.85, None, "công văn: no type title, a V/v line")
        return DocType("CV", "Công văn")
    if number is not None and number.type_code:
        code = symbol_type_codes().get(number.type_code)
        if code:
            entry = type_by_code()[code]
            ev["doc_type"] = (0.75, "inferred", f"no type title: type from the symbol ({number.type_code})")
            return DocType(number.type_code if number.family == "party" else entry.code, entry.name)
    if number is not None and number.symbol and number.family in ("state", "union"):
        ev["doc_type"] = (0.6, "inferred", "no type title and no type code in the symbol: taken as a công văn")
        return DocType("CV", "Công văn")
    return None


# A document number wrapped in a narrow letterhead column ("Kế hoạch số 47/KH-" | "LĐLĐ", "số 168/" | "KH-UBND")
_NUMBER_CUT_RE = re.compile(r"\d[\w.]*/(?:[\wĐđ]+-)*$|\d[\w.]*/$")
_CODE_START_RE = re.compile(r"^[A-ZĐ]{2,}[A-ZĐ0-9]*[a-zđ]{0,2}(?!\w)")  # "LĐLĐ", "QH13", "TTg", "QĐi"


def join_wrapped(parts: list[str]) -> str:
    """Join the lines of a wrapped field with spaces, except inside a document number cut at ``-`` or ``/``."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and not (_NUMBER_CUT_RE.search(out) and _CODE_START_RE.match(part)):
            out += " "
        out += part
    return out


def read_subject(z: Zones, raw: str, evidence: dict | None = None) -> str | None:
    ev = evidence if evidence is not None else {}
    if not z.subject:
        ev["subject"] = (0.0, "missing", "no trích yếu under the number or the type title")
        return None
    s = squash(join_wrapped([raw[a:b] for a, b in z.subject]))
    s = re.sub(r"^(?:V/v|V/V|v/v|Về việc|VỀ VIỆC)\s*:?\s*", "", s).strip()
    if z.subject_cut:
        ev["subject"] = (0.6, "truncated", "the trích yếu hit the line limit and may go on")
    if len(_OCR_JUNK.findall(s)) >= 2:
        ev["subject"] = (0.5, "ocr", "the trích yếu holds OCR noise (stamp or seal text read into it?)")
    return s or None


# Marks that never stand in a trích yếu but do in OCR of stamps and seals ("T§6 .J}LŸ", "lpệ h #").
_OCR_JUNK = re.compile(r"[§#}{\]\[|~^@$£¥©®¶±¤]|[A-ZĐa-zđ][0-9]{2,}[A-Za-z]")


def read_issuer(z: Zones, raw: str, number: DocNumber | None, place: str | None, signer_on_behalf: str | None,
                warnings: list[str]) -> Issuer | None:
    # OCR may glue the number line to the issuer's ("TỈNH HẢI DƯƠNG Số: 68/QĐ-UBND"): cut at the label
    cells = [re.split(r"(?:^|\s+)S[ỐốÔôOo]\s*[:.]", raw[a:b], maxsplit=1)[0] for a, b in z.issuer_cells]
    bodies = split_bodies([c for c in cells if c.strip()])
    issuer = issuer_from_header(bodies)
    if issuer is None:
        issuer, notes = infer_issuer(number, place, raw[z.body[0]:z.body[1]], signer_on_behalf)
        warnings.extend(notes)
    elif (issuer.printed or "").upper() == "BAN CHẤP HÀNH TRUNG ƯƠNG" and signer_on_behalf and \
            signer_on_behalf.lower() not in ("ban chấp hành trung ương",):
        # Politburo / Secretariat documents print only the Central Committee (spec §1)
        warnings.append(f"issuer taken from the signature authority ({signer_on_behalf})")
        issuer = Issuer(name=signer_on_behalf, parent="Ban Chấp hành Trung ương Đảng", printed=issuer.printed)
    if issuer is not None:
        issuer.family = issuer.family or family_of(number, z.family_signal, issuer)
    return issuer


# The closing block of a consolidated text (Văn bản hợp nhất): its own number, date and signer stand here while
# the body repeats the heading of the original text.
_VBHN_BLOCK_RE = re.compile(r"(?im)^[ \t]*XÁC[ \t]+THỰC[ \t]+VĂN[ \t]+BẢN[ \t]+HỢP[ \t]+NHẤT\b")
_VBHN_NUMBER_RE = re.compile(r"(?<![\w/])\d{1,5}[ \t]{0,3}/[ \t]{0,3}VBHN[ \t]{0,3}-[ \t]{0,3}[A-ZĐ][A-Za-zĐđ0-9]*"
                             r"(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*")


@dataclass
class Consolidation:
    number: DocNumber | None
    doc_type: DocType
    date: str | None
    place: str | None
    from_block: bool = True  # number/date from the closing block (else the letterhead is the VBHN's own)
    issuer_cells: list[tuple[int, int]] | None = None  # the consolidating body's caps line(s) above its number


def read_consolidation(z: Zones, raw: str, warnings: list[str]) -> Consolidation | None:
    """A consolidated text (VBHN): number, type and date of the consolidation, not of the original.

    Its own number is either in the letterhead (``Số: 03/VBHN-VPQH``) or only in the closing
    "XÁC THỰC VĂN BẢN HỢP NHẤT" block, next to the date the consolidation was authenticated; the heading
    and passage line inside the body belong to the original text and must not date or number the record."""
    own_is_vbhn = z.number is not None and "VBHN" in raw[z.number[0]:z.number[1]]
    block = None
    for m in _VBHN_BLOCK_RE.finditer(raw, z.header_end or 0):
        block = m
    if block is None and not own_is_vbhn:
        return None
    entry = type_by_code()["VBHN"]
    dtype = DocType(entry.code, entry.name)
    if own_is_vbhn:
        return Consolidation(None, dtype, None, None, False)  # the letterhead's number and date line are the VBHN's
    # the block: a few lines before the heading (number and date may precede it) to ~20 lines after
    lo = max(0, raw.rfind("\n", 0, max(0, block.start() - 400)))
    hi = min(len(raw), block.end() + 1500)
    num_m = None
    for m in _VBHN_NUMBER_RE.finditer(raw, lo, hi):
        num_m = num_m or m
    number = None
    if num_m is not None:
        number = parse_number(num_m.group(0))
        if number is not None:
            number.text = squash(num_m.group(0))
            number.start, number.end = num_m.start(), num_m.end()
    dl = find_date_line(raw, block.start() if num_m is None else min(num_m.start(), block.start()), hi)
    date = dl.date if dl is not None else None
    issuer_cells = _caps_lines_above(z, num_m.start()) if num_m is not None else None
    warnings.append("consolidated text (VBHN): number, type and date taken from the 'XÁC THỰC VĂN BẢN HỢP NHẤT' "
                    "block; the heading in the body is the original's")
    if number is None:
        warnings.append("consolidated text: its VBHN number was not found")
    if date is None:
        warnings.append("consolidated text: no date in the authentication block (the header date is the original's)")
    return Consolidation(number, dtype, date, dl.place if dl is not None else None, True, issuer_cells or None)


def _caps_lines_above(z: Zones, pos: int) -> list[tuple[int, int]]:
    """The caps line(s) just above the line holding ``pos`` (one blank line between them at most): the body that
    consolidated the text, printed over its VBHN number."""
    lines = z.lines
    i = max(0, bisect_right(lines.starts, pos) - 1)
    out: list[tuple[int, int]] = []
    gap = 0
    for ln in reversed(lines[max(0, i - 5): i]):
        if ln.blank:
            gap += 1
            if gap > 1 or out:
                break
            continue
        c = ln.cells[0]
        s = z.slice(c)
        if not is_caps(s) or len(s) > 80 or _VBHN_BLOCK_RE.match(s):
            break
        out.insert(0, c)
        gap = 0
    return out
