"""Document numbers and symbols (số, ký hiệu) of every family: legal (35/2023/NĐ-CP), state
(223/STP-BTTP), Party (01-KL/TW), unions (6713/TLĐ-TG, 1244/LĐLĐ). Spec §2."""

from __future__ import annotations

import re

from ..lexicons import issuer_codes, symbol_type_codes
from ..models import DocNumber
from .patterns import GLUED_CODES, NUMBER_RE

_UNION_CODES = ("TLĐ", "LĐLĐ", "CĐ", "CĐN", "CĐVC", "CĐCS", "CĐKCN")


_WS = re.compile(r"\s+")
_GLUED = re.compile(r"^(\d[\d.]*[A-Za-z]?)(?=(?:" + GLUED_CODES + r")/)")
_NQ_QH = re.compile(r"/NQ-(QH\d+)$")
_PARTS = re.compile(r"(?P<serial>\d{1,5}(?:\.\d{1,3})?[A-Za-z]?)?(?P<rest>[-/].+)")
_LEGAL = re.compile(r"/(?P<year>(?:19|20)\d\d\d?)/(?P<symbol>.+)")
_NA = re.compile(r"(?:UBTV)?QH\d+")
_PARTY = re.compile(r"-(?P<type>[^/]+)/(?P<issuer>.+)")
_SLASH = re.compile(r"/(?P<symbol>.+)")


def compact(text: str) -> str:
    """Printed number → normalized form: no spaces or line breaks, NQ-QH15 → QH15 (spec §2.2)."""
    s = _WS.sub("", text)
    s = _GLUED.sub(r"\1-", s)
    s = _NQ_QH.sub(r"/\1", s)
    return s


def parse_number(printed: str) -> DocNumber | None:
    """Parse one printed number into its parts; None if it is not a document number."""
    text = " ".join(printed.split())
    s = compact(printed)
    if not s:
        return None
    m = _PARTS.fullmatch(s)
    if not m:
        return None
    serial = m.group("serial")
    rest = m.group("rest")
    types = symbol_type_codes()
    # Legal normative: serial/year/symbol
    lm = _LEGAL.fullmatch(rest)
    if lm:
        year_text = lm.group("year")
        year = int(year_text[:4]) if len(year_text) == 4 else None
        symbol = lm.group("symbol")
        family = "national_assembly" if _NA.fullmatch(symbol) else "legal"
        parts = symbol.split("-")
        type_code = parts[0] if parts[0] in types else None
        issuer_code = parts[1] if type_code and len(parts) > 1 else parts[0]
        return DocNumber(text=text, serial=serial, year=year, symbol=symbol, normalized=s, family=family,
                         type_code=type_code, issuer_code=issuer_code)
    # Party order: serial-TYPE/ISSUER(-UNIT)*
    pm = _PARTY.fullmatch(rest)
    if pm:
        return DocNumber(text=text, serial=serial, year=None, symbol=f"{pm.group('type')}/{pm.group('issuer')}",
                         normalized=s, family="party", type_code=pm.group("type"),
                         issuer_code=pm.group("issuer").split("-")[0])
    sm = _SLASH.fullmatch(rest)
    if not sm:
        return None
    symbol = sm.group("symbol")
    parts = symbol.split("-")
    if parts[0] in types and len(parts) > 1 and types[parts[0]]:
        type_code, issuer_code = parts[0], parts[1]
    else:
        type_code, issuer_code = None, parts[0]
    family = "union" if issuer_code in _UNION_CODES or issuer_code.startswith("CĐ") else "state"
    ic = issuer_codes().get(issuer_code)
    if ic is not None and ic.family in ("P", "F") and family == "state":
        family = "party" if ic.family == "P" else "front"
    return DocNumber(text=text, serial=serial, year=None, symbol=symbol, normalized=s, family=family,
                     type_code=type_code, issuer_code=issuer_code)


def find_numbers(text: str, start: int = 0, end: int | None = None):
    """Yield (start, end, DocNumber) for every document number in text[start:end]."""
    end = len(text) if end is None else end
    for m in NUMBER_RE.finditer(text, start, end):
        raw = m.group(0)
        # A date like 25/5/2023 never matches (the part after '/' must start with a capital),
        # but "2021-2025" style ranges with a code after them are rejected here too.
        num = parse_number(raw)
        if num is None:
            continue
        if num.family == "party" and "/" in (num.symbol or "") and num.type_code not in symbol_type_codes():
            # "2021 - CNVCLĐ/..." is not a Party number: the part before '/' must be a type code.
            continue
        num.start, num.end = m.start(), m.end()
        yield m.start(), m.end(), num
