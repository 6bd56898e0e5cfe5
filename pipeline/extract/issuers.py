"""Issuing body and the governing body above it (spec §1, §10, §11).

The letterhead prints names in capitals, wrapped over lines and sometimes abbreviated
(``UBND TỈNH BÌNH THUẬN`` over ``SỞ NỘI VỤ``). We join the lines into bodies, take the last as the
issuer and the one above as its parent, expand abbreviations from the lexicon and re-case them.
When the letterhead is missing we infer both from the symbol, the place and the body text, and
say so in ``warnings``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..lexicons import HERE, abbreviations, issuer_codes, org_names, provinces
from ..models import DocNumber, Issuer
from ..normalize import canon_tones, compare_key, fold, squash

# Words that open the name of a body: a line starting with one of them starts a new body.
_HEADS = [
    "TỔNG LIÊN ĐOÀN", "TỔNG LĐLĐ", "LIÊN ĐOÀN", "LĐLĐ", "CÔNG ĐOÀN", "BAN CHẤP HÀNH", "BCH", "BAN THƯỜNG VỤ",
    "ỦY BAN", "UỶ BAN", "UBND", "HĐND", "HỘI ĐỒNG", "BỘ", "SỞ", "BAN", "VĂN PHÒNG", "CỤC", "TỔNG CỤC", "VỤ",
    "PHÒNG", "CÔNG AN", "TRƯỜNG", "BỆNH VIỆN", "TỈNH ỦY", "TỈNH UỶ", "THÀNH ỦY", "THÀNH UỶ", "HUYỆN ỦY",
    "HUYỆN UỶ", "QUẬN ỦY", "THỊ ỦY", "ĐẢNG ỦY", "ĐẢNG UỶ", "ĐẢNG BỘ", "ĐẢNG ĐOÀN", "CHI BỘ", "ĐOÀN",
    "TỈNH ĐOÀN", "HUYỆN ĐOÀN", "MẶT TRẬN", "CHÍNH PHỦ", "QUỐC HỘI", "THỦ TƯỚNG", "TÒA ÁN", "TOÀ ÁN",
    "VIỆN", "KHO BẠC", "CHI CỤC", "TRUNG TÂM", "HỘI", "THANH TRA", "NGÂN HÀNG", "KIỂM TOÁN", "ĐẠI HỌC",
    "HỌC VIỆN", "TẬP ĐOÀN", "TỔNG CÔNG TY", "CÔNG TY", "BỘ CHỈ HUY", "BỘ TƯ LỆNH", "QUÂN", "ỦY BAN KIỂM TRA",
]
_CONTINUATIONS = ("TỈNH ", "THÀNH PHỐ", "TP.", "TP ", "HUYỆN ", "QUẬN ", "THỊ XÃ", "XÃ ", "PHƯỜNG ", "THỊ TRẤN",
                  "VIỆT NAM", "LAO ĐỘNG", "NHÂN DÂN", "TRUNG ƯƠNG", "ĐẶC KHU", "CÁC ", "VÀ ", "- ")
_TERRITORIAL = {"tỉnh ủy", "huyện ủy", "thành ủy", "quận ủy", "thị ủy", "tỉnh đoàn", "huyện đoàn", "tỉnh uỷ",
                "huyện uỷ", "thành uỷ"}
_PLACE_WORDS = ("tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn", "đặc khu")


def _starts_body(line: str) -> bool:
    up = canon_tones(line.upper())
    for h in _HEADS:
        if up.startswith(canon_tones(h) + " ") or up == canon_tones(h):
            return True
    return False


def split_bodies(lines: list[str]) -> list[str]:
    """Join wrapped header lines into body names: ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"] -> one body."""
    bodies: list[str] = []
    for raw in lines:
        line = squash(raw).strip(" -_*")
        if not line:
            continue
        up = canon_tones(line.upper())
        cont = any(up.startswith(c) for c in _CONTINUATIONS) and not re.match(r"(?:TỈNH|THÀNH|HUYỆN|QUẬN|THỊ) ỦY", up)
        if bodies and (cont or not _starts_body(line) or bodies[-1].rstrip().endswith(("VÀ", "-", ","))):
            bodies[-1] = f"{bodies[-1]} {line}"
        else:
            bodies.append(line)
    return bodies


@lru_cache(maxsize=1)
def _abbr_regex() -> tuple[re.Pattern, dict[str, str]]:
    table = {a: full for a, full, _fam in abbreviations()}
    alts = sorted(table, key=len, reverse=True)
    pat = re.compile(r"(?<![\wĐđ])(" + "|".join(re.escape(a) for a in alts) + r")(?![\wĐđ])")
    return pat, table


def expand_abbreviations(s: str) -> str:
    pat, table = _abbr_regex()
    return pat.sub(lambda m: table[m.group(1)], s)


@lru_cache(maxsize=1)
def _canon_names() -> list[tuple[str, str]]:
    names = list(org_names()) + [p.name for p in provinces()]
    return sorted(((compare_key(n), n) for n in names), key=lambda kv: -len(kv[0]))


def recase(s: str) -> str:
    """A name printed in capitals, in running-text case: 'ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG' ->
    'Ủy ban nhân dân tỉnh Lâm Đồng'."""
    s = squash(s)
    if not s:
        return s
    words = s.split(" ")
    low = [w.lower() for w in words]
    out = list(low)
    keys = [compare_key(w) for w in words]
    i = 0
    canon = _canon_names()
    while i < len(words):
        matched = False
        for k, name in canon:
            n = len(name.split())
            if i + n <= len(words) and (" ".join(keys[i:i + n]) == k or
                                        ("-" in name and compare_key(" ".join(words[i:i + n])) == k)):
                out[i:i + n] = name.split()
                i += n
                matched = True
                break
        if matched:
            # "Huyện ủy Nam Đàn", "Tỉnh đoàn Bắc Giang": a territorial committee is followed by its place
            if canon_last := out[i - 1].lower() if i else "":
                if canon_last in ("ủy", "uỷ", "đoàn") and " ".join(out[max(0, i - 2):i]).lower() in _TERRITORIAL:
                    while i < len(words) and low[i] not in _PLACE_WORDS and low[i] not in ("và", "của"):
                        out[i] = words[i][:1].upper() + words[i][1:].lower()
                        i += 1
            continue
        # a company's own name follows "Công ty (TNHH|Cổ phần)": capitalise it as a proper name
        if i > 0 and " ".join(low[max(0, i - 3):i]).endswith(("công ty", "công ty tnhh", "công ty cổ phần")):
            while i < len(words) and low[i] not in ("và", "của"):
                out[i] = words[i][:1].upper() + words[i][1:].lower()
                i += 1
            continue
        # words after an administrative-unit word are a place name: capitalise them, and snap them to the
        # province lexicon when they only differ by accents (OCR: "LÂM ĐÒNG" is Lâm Đồng)
        if i > 0 and (low[i - 1] in _PLACE_WORDS or " ".join(low[i - 2:i]) in _PLACE_WORDS):
            j = i
            while j < len(words) and low[j] not in _PLACE_WORDS and low[j] not in ("và", "của"):
                out[j] = words[j][:1].upper() + words[j][1:].lower()
                j += 1
            known = _province_by_fold().get(fold(" ".join(words[i:j])))
            if known and len(known.split()) == j - i:
                out[i:j] = known.split()
            i = j
            continue
        i += 1
    result = " ".join(out)
    return result[:1].upper() + result[1:]


def expand_body_name(s: str) -> str:
    """A body named in running text, abbreviations expanded: 'Tổng LĐLĐ Việt Nam' -> full name."""
    s = squash(s)
    full = expand_abbreviations(s)
    full = re.sub(r"Tổng Liên đoàn Lao động Việt Nam Việt Nam", "Tổng Liên đoàn Lao động Việt Nam", full)
    if full.isupper():
        return recase(full)
    return full


def name_from_header(printed: str) -> str:
    up = canon_tones(squash(printed).upper())
    up = re.sub(r"^(?:TỔNG LĐLĐ|TLĐ)\b", "TỔNG LIÊN ĐOÀN LAO ĐỘNG", up)
    expanded = expand_abbreviations(up)
    return recase(expanded)


@lru_cache(maxsize=1)
def _province_by_fold() -> dict[str, str]:
    return {fold(p.name): p.name for p in provinces()}


@lru_cache(maxsize=1)
def _hierarchy() -> dict[str, str]:
    out = {}
    for line in (HERE / "hierarchy.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            parts = line.split("\t")
            out[parts[0]] = parts[1]
    return out


def province_of(*texts: str | None) -> str | None:
    names = sorted((p.name for p in provinces()), key=len, reverse=True)
    for t in texts:
        if not t:
            continue
        ft = fold(t)
        for n in names:
            if fold(n) in ft:
                return n
    return None


def issuer_from_header(bodies: list[str]) -> Issuer | None:
    if not bodies:
        return None
    printed = bodies[-1]
    parent_printed = bodies[-2] if len(bodies) > 1 else None
    return Issuer(name=name_from_header(printed), parent=name_from_header(parent_printed) if parent_printed else None,
                  printed=printed, parent_printed=parent_printed)


def infer_issuer(number: DocNumber | None, place: str | None, body: str, signer_on_behalf: str | None
                 ) -> tuple[Issuer | None, list[str]]:
    """No letterhead: infer the issuer from the symbol's issuer code, the place and the body text."""
    if number is None or not number.issuer_code:
        return None, []
    code = number.issuer_code.split("-")[0]
    ic = issuer_codes().get(code)
    if ic is None:
        return None, [f"letterhead missing and issuer code {code!r} is not in the lexicon: issuer unknown"]
    province = province_of(place)
    name = ic.name
    level = ic.level
    fb = fold(body[:6000])
    short = fold(code)
    # "Ban Thường vụ LĐLĐ tỉnh", "LĐLĐ huyện X": the body says which level the issuer is
    m = re.search(short + r" (tinh|huyen|thanh pho|quan|thi xa)\b", fb) if short else None
    unit = m.group(1) if m else None
    evidence = [f"the symbol {code}"]
    if level == "province" and ic.family in ("U", "S", "F") and province and name in (
            "Liên đoàn Lao động", "Ủy ban nhân dân", "Hội đồng nhân dân", "Công đoàn Viên chức", "Công đoàn ngành",
            "Ủy ban Mặt trận Tổ quốc", "Hội Liên hiệp Phụ nữ", "Hội Nông dân", "Hội Cựu chiến binh", "Công an tỉnh"):
        if unit in (None, "tinh"):
            name = f"{name} tỉnh {province}" if not name.endswith("tỉnh") else f"{name} {province}"
            evidence.append("the place")
        elif unit == "thanh pho":
            name = f"{name} thành phố {place}"
        else:
            name = f"{name} {unit.replace('huyen', 'huyện').replace('quan', 'quận')} {place}"
        if m:
            evidence.append("the body text")
    elif level == "province" and ic.family == "P" and province:
        name = f"{name} {province}"
        evidence.append("the place")
    elif level == "central":
        pass
    elif place:
        name = f"{name} {place}"
        evidence.append("the place")
    parent_tpl = _hierarchy().get(code)
    parent = None
    notes = [f"letterhead missing: issuer inferred from {', '.join(evidence)}"]
    if parent_tpl:
        if "{province}" in parent_tpl:
            parent = parent_tpl.format(province=province) if province else None
        else:
            parent = parent_tpl
        if parent:
            notes.append("governing body inferred from the issuer hierarchy, not printed")
    family = {"U": "union", "P": "party", "S": "state", "F": "front"}.get(ic.family)
    return Issuer(name=name, parent=parent, family=family, inferred=True), notes


def family_of(number: DocNumber | None, motto_family: str | None, issuer: Issuer | None) -> str | None:
    """state | party | union | front | national_assembly (spec §2.1, confirmed by the motto)."""
    if number is not None and number.family:
        fam = number.family
        if fam in ("legal", "national_assembly"):
            return "state"
        if fam == "party" and number.issuer_code and number.issuer_code.startswith(("TWĐTN", "TĐTN", "ĐTN", "HĐTN")):
            return "front"
        return fam
    if motto_family:
        if motto_family == "state" and issuer and re.search(r"(?i)công đoàn|liên đoàn lao động", issuer.name):
            return "union"
        return motto_family
    return None
