"""Document identity: which real document a number (plus date, issuer, place) names.

A number alone is ambiguous (spec §2.3): state and union serials restart every 1 January, Party serials run per
committee term, and the same symbol (``45-KH/TU``, ``1244/LĐLĐ``) is used in every province. An identity is

    family | number key | period | locality

- *period*: ``y2023`` (state, union, front: yearly numbering; the year of a normative number or of the date),
  ``tXIII`` (Party: the congress term the date falls in), ``?`` when unknown;
- *locality*: ``""`` for central issuers (TW, TTg, TLĐ …), the folded name of the issuing unit for local ones
  (``nghe an``, ``quynh luu``), ``?`` when a local issuer's place is unknown.

Citations are matched against known identities with :func:`compatible`; unknown parts are wildcards, known
parts must agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..lexicons import province_in
from ..normalize import compare_key, fold

# Party congress terms: a term starts the day after the national congress closes (spec §2.3, 36-HD/VPTW II.1.3).
# IX–XIII closing dates are public record; XIV (January 2026) closing date taken as 2026-01-23: check it.
PARTY_TERMS: tuple[tuple[str, str], ...] = (
    ("IX", "2001-04-23"),
    ("X", "2006-04-26"),
    ("XI", "2011-01-20"),
    ("XII", "2016-01-29"),
    ("XIII", "2021-02-02"),
    ("XIV", "2026-01-24"),
)
# Local Party committees (Tỉnh ủy, Huyện ủy, Đảng ủy) number per *their* term; their congresses close before the
# national one. Approximation: local terms start on 1 October of the local congress year.
LOCAL_PARTY_TERMS: tuple[tuple[str, str], ...] = (
    ("2005-2010", "2005-10-01"),
    ("2010-2015", "2010-10-01"),
    ("2015-2020", "2015-10-01"),
    ("2020-2025", "2020-10-01"),
    ("2025-2030", "2025-10-01"),
)
ROMAN = {"IX": 9, "X": 10, "XI": 11, "XII": 12, "XIII": 13, "XIV": 14}

FAMILY_BY_LETTER = {"P": "party", "F": "front", "U": "union", "S": "state"}
LEVELS = ("central", "province", "district", "commune", "grassroots")

_UNIT_WORDS = {
    # folded unit word → level
    "tinh": "province", "thanh pho": "province", "tp": "province", "tinh uy": "province", "thanh uy": "province",
    "tinh doan": "province", "thanh doan": "province",
    "huyen": "district", "quan": "district", "thi xa": "district", "huyen uy": "district", "quan uy": "district",
    "thi uy": "district", "huyen doan": "district", "quan doan": "district",
    "xa": "commune", "phuong": "commune", "thi tran": "commune", "dang uy xa": "commune",
    "dang uy phuong": "commune",
}
_UNIT_RE = re.compile(
    r"\b(tinh uy|thanh uy|tinh doan|thanh doan|huyen uy|quan uy|thi uy|huyen doan|quan doan|thi xa|thi tran|"
    r"thanh pho|tinh|huyen|quan|xa|phuong|tp)\b\.?\s*([a-z][a-z0-9 ]*)?")
# Words that end a unit name ("Liên đoàn Lao động tỉnh Nghệ An về …").
_NAME_STOP = {"ve", "cua", "va", "tai", "theo", "ngay", "so", "lan", "khoa", "nhiem", "ky", "de", "nghi",
              "ban", "thuong", "vu", "truc", "chap", "hanh", "dang", "bo", "uy", "lao", "dong", "cong", "ty", "co",
              "hoi", "nhan", "tong", "trien", "thuc", "huong", "dan", "lien", "doan"}
# Words that are part of many names and only stop one when they start a known phrase.
_NAME_STOP_PAIRS = {("nam", None), ("lien", "doan"), ("dan", "van"), ("doan", "thanh"), ("doan", "thanh")}


@lru_cache(maxsize=1)
def _codes():
    from ..lexicons import issuer_codes

    return issuer_codes()


# "TƯ" (Trung ương, printed with its diacritics) folds to "tu", the code of a Tỉnh ủy: map it before folding.
_CENTRAL_TU = re.compile(r"(?<![A-Za-zÀ-ỹĐđ])T[ƯỨ](?![A-Za-zÀ-ỹĐđ])")


@lru_cache(maxsize=65536)
def number_key(text: str | None) -> str | None:
    """One key for every printed variant of a number: ``02-NQ/TW``, ``02-NQ/TƯ``, ``02/NQ-TW`` and ``2-NQ/TW``
    → ``2-nq/tw``; ``6713/TLĐ-TG`` and ``6713/TLD-TG`` → ``6713-tld/tg``. Serial without leading zeros, the
    year of a normative number kept, symbol parts joined by ``/`` (the ``-`` / ``/`` order of the symbol varies
    in print, its parts do not)."""
    from ..extract.number import parse_number
    from ..store.rows import number_key as raw_key

    if not text:
        return None
    text = _CENTRAL_TU.sub("TW", text)
    parsed = parse_number(text)
    if parsed is None or not parsed.serial or not parsed.symbol:
        # not a number the parser accepts (a long serial, an OCR'd symbol): the same shape, read loosely
        raw = raw_key(text)
        m = re.fullmatch(r"0*(\d+)(?:/((?:19|20)\d\d))?[-/]([a-z0-9][a-z0-9/-]*)", raw or "")
        if not m:
            return raw
        parts = [p for p in re.split(r"[-/]+", m.group(3)) if p]
        return f"{m.group(1) or '0'}{'/' + m.group(2) if m.group(2) else ''}-{'/'.join(parts)}"
    serial = parsed.serial.lstrip("0") or "0"
    parts = [p for p in re.split(r"[-/\s]+", fold(parsed.symbol)) if p]
    if not parts:
        return raw_key(text)
    year = f"/{parsed.year}" if parsed.year else ""
    return f"{serial}{year}-{'/'.join(parts)}"


@lru_cache(maxsize=1)
def _issuer_stops() -> tuple[re.Pattern, frozenset[str]]:
    from ..lexicons import HERE, type_by_name

    phrases = []
    for line in (HERE / "citation_issuer_stops.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            phrases.append(line.split("\t")[1].strip())
    alt = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))
    # lower case only: "Ban Chỉ đạo", "Ban Tổ chức" are names, "chỉ đạo", "tổ chức" after a name are verbs
    pattern = re.compile(r"(?<![\wÀ-ỹ])(?:" + alt + r")(?![\wÀ-ỹ])")
    return pattern, frozenset(n.lower() for n in type_by_name())


# a stop word right after one of these heads is part of a body's name ("Ban chỉ đạo", "Ủy ban kiểm tra")
_NAME_HEADS = re.compile(r"(?:^|\s)(?:Ban|Ủy ban|Uỷ ban|Hội đồng|Văn phòng|Tổ|Đoàn)\s*$")
_CLAUSE = re.compile(r"[,;:()\[\]\n]|\s[-–]\s")


def clean_issuer(phrase: str | None) -> str | None:
    """The issuer of a citation, cut where the issuer ends: at the first clause boundary, preposition of
    destination ("đến", "cho", "tới"), subordinating word or verb printed in lower case, or "và" starting
    another document ("… Tỉnh ủy và Kế hoạch này"). Defensive: the extractor may hand over a longer phrase."""
    if not phrase:
        return phrase
    text = " ".join(phrase.split())
    m = _CLAUSE.search(text)
    if m:
        text = text[:m.start()]
    stops, type_names = _issuer_stops()
    for m in stops.finditer(text):
        if m.start() == 0 or _NAME_HEADS.search(text[:m.start()]):
            continue
        text = text[:m.start()]
        break
    for m in re.finditer(r"\svà\s+(\S+(?:\s+\S+)?)", text):
        nxt = m.group(1)
        if nxt[:1].islower() or nxt.lower() in type_names or nxt.split()[0].lower() in type_names:
            text = text[:m.start()]
            break
    text = text.strip(" .,-")
    return text or None


def party_term(date: str | None, local: bool = False) -> str | None:
    """The congress term a date falls in: ``XIII`` (national) or ``2020-2025`` (local committees)."""
    if not date or len(date) < 10:
        return None
    terms = LOCAL_PARTY_TERMS if local else PARTY_TERMS
    found = None
    for name, start in terms:
        if date >= start:
            found = name
    return found


_NAMED_TERM = re.compile(r"\bkhoa\s+(xiv|xiii|xii|xi|x|ix)\b")


def named_term(text: str | None) -> str | None:
    """``Chỉ thị số 05-CT/TW của Bộ Chính trị khóa XII`` → ``XII``."""
    if not text:
        return None
    m = _NAMED_TERM.search(fold(text))
    return m.group(1).upper() if m else None


@dataclass(frozen=True)
class NumberInfo:
    key: str            # folded number key
    family: str         # party | state | union | front | legal
    code: str | None    # issuer code inside the symbol (TW, LĐLĐ, UBND)
    type_code: str | None
    year: int | None    # the year printed in a normative number
    level: str | None   # central | province | district | commune (from the code)
    central: bool


@lru_cache(maxsize=65536)
def number_info(number: str) -> NumberInfo | None:
    from ..extract.number import parse_number

    key = number_key(number)
    if not key:
        return None
    parsed = parse_number(number)
    code = parsed.issuer_code if parsed else None
    type_code = parsed.type_code if parsed else None
    year = parsed.year if parsed else None
    family = (parsed.family if parsed else None) or "state"
    entry = _codes().get(code or "")
    level = entry.level if entry else None
    if entry is not None and family not in ("legal", "national_assembly"):
        family = FAMILY_BY_LETTER.get(entry.family, family)
    if family == "national_assembly":
        family = "legal"
    central = level == "central" or family == "legal" and (code or "").upper() not in ("UBND", "HĐND")
    if family == "legal" and code in ("UBND", "HĐND"):
        level = "province"
    if family == "legal" and level is None:
        level = "central"
    return NumberInfo(key, family, code, type_code, year, level, central)


def unit_of(text: str | None) -> tuple[str | None, str | None]:
    """The finest administrative unit named in an issuer/place text: (level, folded name). A unit word with no
    name after it ("Ban Thường vụ Tỉnh ủy") gives (level, None)."""
    if not text:
        return None, None
    t = fold(text)
    t = re.sub(r"[^a-z0-9 ]+", " ", t)
    best: tuple[int, str, str | None] | None = None
    for m in _UNIT_RE.finditer(t):
        word = m.group(1)
        if word == "xa" and (m.group(2) or "").startswith("hoi"):
            continue  # "xã hội" (social), not a commune
        level = _UNIT_WORDS.get(word)
        if level is None:
            continue
        words: list[str] = []
        toks = (m.group(2) or "").split()
        for i, w in enumerate(toks):
            nxt = toks[i + 1] if i + 1 < len(toks) else ""
            if len(words) >= 4 or w.isdigit():
                break
            if w == "nam" and (nxt.isdigit() or not words and not nxt):
                break
            if w in _NAME_STOP and not (words and w in ("lien", "dan", "doan") and nxt != "doan"
                                        and (w, nxt) not in _NAME_STOP_PAIRS):
                break
            words.append(w)
        name = " ".join(words) or None
        rank = LEVELS.index(level)
        if best is None or rank > best[0] or (rank == best[0] and name and not best[2]):
            best = (rank, level, name)
    if best is None:
        return None, None
    return best[1], best[2]


@dataclass
class Place:
    """Where a document (or a citation's issuer) sits: its own unit, its province, its level."""

    locality: str | None
    province: str | None
    level: str | None
    units: dict[str, str]  # level → folded name, every unit the texts name


def place_of(issuer: str | None, parent: str | None = None, place: str | None = None,
             code_level: str | None = None) -> Place:
    units: dict[str, str] = {}
    own_level, own_name = unit_of(issuer)
    for text in (issuer, parent):
        level, name = unit_of(text)
        if level and name and level not in units:
            units[level] = name
    province = province_in(issuer, parent) or units.get("province")
    if province is None and place:
        pf = province_in(place)
        if pf and code_level in ("province", "central", None):
            province = pf
    if province:
        units.setdefault("province", province)
    level = own_level or code_level
    locality = own_name
    if locality is None and issuer:
        if own_level is None and code_level in ("province", "district", "commune"):
            # "Sở Y tế" + parent "UBND tỉnh Thanh Hóa": the parent's unit at the code's level
            locality = units.get(code_level) or (fold(place).strip() if place else None)
        elif own_level is not None:
            locality = units.get(own_level)
    if locality is None and place and code_level != "central":
        locality = fold(place).strip()
    if issuer and re.search(r"\bco so\b|\bcdcs\b|cong ty", fold(issuer)):
        level = "grassroots"
    return Place(locality, province, level, units)


def doc_period(info: NumberInfo | None, date: str | None, text: str | None = None) -> str:
    """``y2024`` / ``tXIII`` / ``t2020-2025`` / ``?``."""
    if info is not None and info.year:
        return f"y{info.year}"
    if info is not None and info.family == "party":
        term = party_term(date, local=not info.central) if date else None
        if term is None and info.central:
            term = named_term(text)
        return f"t{term}" if term else "?"
    if date and len(date) >= 4:
        return f"y{date[:4]}"
    return "?"


def make_key(family: str, nkey: str, period: str, locality: str) -> str:
    return f"{family}|{nkey}|{period}|{locality}"


_TITLE_DROP = re.compile(r"\b(lan thu|dai bieu|toan quoc|so|cua dang cong san viet nam|nam \d{4}|ngay \d.*$|"
                         r"\d{4})\b")


def title_key(title: str) -> str:
    """A name-only reference ("Nghị quyết Đại hội lần thứ XIII của Đảng") → a comparable key."""
    t = compare_key(title)
    t = fold(t)
    t = _TITLE_DROP.sub(" ", t)
    return " ".join(t.split())


def title_is_local(title: str) -> bool:
    t = fold(title)
    return bool(re.search(r"\b(tinh|huyen|xa|phuong|dang bo|thanh pho)\b", t))


def compatible_locality(cited: str | None, candidate: Place | None, cand_locality: str | None) -> bool:
    """A citation's locality (None = unknown) against a candidate document's."""
    if not cited or cited == "?" or not cand_locality or cand_locality == "?":
        return True
    if cited == cand_locality:
        return True
    if candidate is not None and cited in candidate.units.values():
        return True
    return False
