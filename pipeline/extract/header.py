"""Header fields: number, place and date, issuer (and parent), document type, subject."""

from __future__ import annotations

import re

from ..lexicons import symbol_type_codes, type_by_code, type_by_name
from ..models import DocNumber, DocType, Issuer
from ..normalize import squash
from ..segment import Zones, title_type_name
from .issuers import family_of, infer_issuer, issuer_from_header, split_bodies
from .number import parse_number


def read_number(z: Zones, raw: str, warnings: list[str]) -> DocNumber | None:
    if z.number is None:
        warnings.append("number not found")
        return None
    printed = raw[z.number[0]:z.number[1]]
    # a number broken after '/' or '-' is printed as one token: "6713/TLĐ-\nTG" -> "6713/TLĐ-TG"
    text = squash(re.sub(r"([/\-])[ \t]*\n\s*", r"\1", printed))
    if text.startswith("/"):
        num = parse_number("0" + re.sub(r"\s+", "", text))
        warnings.append("number has a blank serial (draft or numbered at signing)")
        if num:
            num.serial = None
            num.normalized = re.sub(r"\s+", "", text)
    else:
        num = parse_number(printed)
    if num is None:
        warnings.append(f"number {text!r} does not follow a known grammar")
        return DocNumber(text=text, serial=None, year=None, symbol=None, start=z.number[0], end=z.number[1])
    num.text = text
    num.start, num.end = z.number
    if "/NQ-QH" in re.sub(r"\s+", "", printed):
        warnings.append("symbol NQ-QHxx normalised to QHxx")
    return num


def read_date_place(z: Zones, warnings: list[str]) -> tuple[str | None, str | None]:
    if z.date_line is None:
        warnings.append("place and date line not found")
        return None, None
    dl = z.date_line
    if dl.blank_day:
        warnings.append(f"day left blank in the date line (month {dl.month}, year {dl.year}): date is null")
    elif dl.date is None:
        warnings.append("date line does not form a valid calendar date")
    return dl.place, dl.date


def read_doc_type(z: Zones, raw: str, number: DocNumber | None) -> DocType | None:
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
            return DocType(code, entry.name)
    if z.subject_is_vv:
        return DocType("CV", "Công văn")
    if number is not None and number.type_code:
        code = symbol_type_codes().get(number.type_code)
        if code:
            entry = type_by_code()[code]
            return DocType(number.type_code if number.family == "party" else entry.code, entry.name)
    if number is not None and number.symbol and number.family in ("state", "union"):
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


def read_subject(z: Zones, raw: str) -> str | None:
    if not z.subject:
        return None
    s = squash(join_wrapped([raw[a:b] for a, b in z.subject]))
    s = re.sub(r"^(?:V/v|V/V|v/v|Về việc|VỀ VIỆC)\s*:?\s*", "", s).strip()
    return s or None


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
