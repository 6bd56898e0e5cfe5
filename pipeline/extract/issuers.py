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

from ..lexicons import HERE, abbreviations, body_words, issuer_codes, org_names, provinces
from ..models import DocNumber, Issuer
from ..normalize import canon_tones, compare_key, fold, squash
from .segment import motto_fragment, starts_body

_CONTINUATIONS = ("TỈNH ", "THÀNH PHỐ", "TP.", "TP ", "HUYỆN ", "QUẬN ", "THỊ XÃ", "XÃ ", "PHƯỜNG ", "THỊ TRẤN",
                  "VIỆT NAM", "LAO ĐỘNG", "NHÂN DÂN", "TRUNG ƯƠNG", "ĐẶC KHU", "CÁC ", "VÀ ", "- ")
_TERRITORIAL = {"tỉnh ủy", "huyện ủy", "thành ủy", "quận ủy", "thị ủy", "tỉnh đoàn", "huyện đoàn", "tỉnh uỷ",
                "huyện uỷ", "thành uỷ"}
_PLACE_WORDS = ("tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn", "đặc khu")


# A body named by its kind alone needs the next line to complete it ("ỦY BAN NHÂN DÂN" / "XÃ ĐÔNG TIẾN",
# "BAN CHẤP HÀNH" / "ĐẢNG BỘ TỈNH …"): the next line continues it even when it starts like a body.
_INCOMPLETE = {"ỦY BAN NHÂN DÂN", "UBND", "HỘI ĐỒNG NHÂN DÂN", "HĐND", "BAN CHẤP HÀNH", "BCH", "ỦY BAN",
               "LIÊN ĐOÀN LAO ĐỘNG", "LĐLĐ", "BAN THƯỜNG VỤ", "BTV"}


def split_bodies(lines: list[str]) -> list[str]:
    """Join wrapped header lines into body names, top-down: ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"] -> one body;
    ["BỘ TÀI CHÍNH", "CỤC THUẾ", "THUẾ TỈNH NGHỆ AN"] -> three. Joint issuers printed with dashes ("BỘ CÔNG AN -" /
    "BỘ QUỐC PHÒNG") stay one body; motto pieces a layout left in the column are dropped."""

    bodies: list[str] = []
    joint_open = False
    for raw in lines:
        if motto_fragment(raw):
            continue
        dash_end = bool(re.search(r"\s[-–]\s*$", raw))
        dash_start = bool(re.match(r"\s*[-–]\s", raw))
        line = squash(raw).strip(" -–_*")
        if not line or line in ("*", "***"):
            continue
        up = canon_tones(line.upper())
        cont = any(up.startswith(c) for c in _CONTINUATIONS) and not re.match(r"(?:TỈNH|THÀNH|HUYỆN|QUẬN|THỊ) ỦY", up)
        prev = bodies[-1] if bodies else ""
        incomplete = canon_tones(prev.upper()) in {canon_tones(x) for x in _INCOMPLETE}
        if bodies and (joint_open or dash_start):
            bodies[-1] = f"{prev} - {line}"
        elif bodies and (cont or incomplete or not starts_body(line) or prev.rstrip().endswith(("VÀ", ","))):
            bodies[-1] = f"{prev} {line}"
        else:
            bodies.append(line)
        joint_open = dash_end
    # a gazette copy repeats the letterhead as a section banner above it: one body, not its own parent
    return [b for k, b in enumerate(bodies) if k == 0 or compare_key(b) != compare_key(bodies[k - 1])]


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


def _title(w: str) -> str:
    return w[:1].upper() + w[1:].lower()


@lru_cache(maxsize=1)
def _body_words() -> tuple[dict[str, str], int]:
    table = body_words()
    return table, max((len(k.split()) for k in table), default=1)


def _body_word_at(low: list[str], i: int, kind: str) -> int:
    """Length (in words) of the longest ``kind`` entry of body_words.tsv starting at word i, or 0."""
    table, longest = _body_words()
    for n in range(min(longest, len(low) - i), 0, -1):
        if table.get(" ".join(low[i:i + n])) == kind:
            return n
    return 0


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    from ..lexicons import signer_titles

    return frozenset(t.lower() for t in signer_titles())


def _title_at(low: list[str], i: int) -> int:
    """Length of an office title ("bộ trưởng", "phó chủ tịch") starting at word i, or 0."""
    for n in (4, 3, 2):
        if i + n <= len(low) and " ".join(low[i:i + n]) in _title_words():
            return n
    return 0


_ROMAN = re.compile(r"^(?:I{1,3}|IV|V|VI{0,3}|IX|X{1,3}I{0,3}|XI?V|XV?I{0,3})$")


def recase(s: str) -> str:
    """A name printed in capitals, in running-text case (NĐ 30/2020 Phụ lục II): 'ỦY BAN NHÂN DÂN TỈNH LÂM
    ĐỒNG' -> 'Ủy ban nhân dân tỉnh Lâm Đồng', 'CỤC THUẾ' -> 'Cục Thuế', 'CÔNG ĐOÀN CƠ SỞ CÔNG TY TNHH ĐIỆN TỬ SAO
    MAI' -> 'Công đoàn cơ sở Công ty TNHH Điện tử Sao Mai'. Known names take their lexicon spelling, the kind of
    body and the first word of its field are capitalised, abbreviations (TNHH, CP, MTV, UBND) and Roman
    numerals stay in capitals, place names and a company's own name are capitalised word by word."""
    s = squash(s)
    if not s:
        return s
    words = s.split(" ")
    low = [w.lower() for w in words]
    out = list(low)
    keys = [compare_key(w) for w in words]
    i = 0
    canon = _canon_names()
    cap_next = False  # the word after a body kind (or after "và" / "-" inside such a name) opens its field
    in_body = False
    while i < len(words):
        if _body_word_at(low, i, "upper") or (words[i].isupper() and _ROMAN.match(words[i])):
            out[i] = words[i].upper()
            i += 1
            continue
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
            cap_next = False
            in_body = True
            # "Huyện ủy Nam Đàn", "Tỉnh đoàn Bắc Giang": a territorial committee is followed by its place
            if canon_last := out[i - 1].lower() if i else "":
                if canon_last in ("ủy", "uỷ", "đoàn") and " ".join(out[max(0, i - 2):i]).lower() in _TERRITORIAL:
                    while i < len(words) and low[i] not in _PLACE_WORDS and low[i] not in ("và", "của", "-"):
                        out[i] = _title(words[i])
                        i += 1
            continue
        # a company's own name follows "Công ty (TNHH|Cổ phần|CP)": its trade keeps lower case after its first
        # word ("Điện tử", "May xuất khẩu"), the rest is a proper name, capitalised word by word
        if i > 0 and " ".join(x for x in low[max(0, i - 4):i] if not _body_word_at([x], 0, "upper")
                              ).endswith(("công ty", "công ty cổ phần", "tổng công ty", "tập đoàn")):
            first = True
            while i < len(words) and low[i] not in ("của", "-"):
                if _body_word_at(low, i, "upper"):
                    out[i] = words[i].upper()
                    i += 1
                    continue
                n = _body_word_at(low, i, "field")
                if n and low[i] != "và":
                    out[i:i + n] = low[i:i + n]
                    if first:
                        out[i] = _title(words[i])
                    i += n
                elif low[i] == "và":
                    i += 1
                else:
                    out[i] = _title(words[i])
                    i += 1
                first = False
            continue
        # words after an administrative-unit word are a place name: capitalise them, and snap them to the
        # province lexicon when they only differ by accents (OCR: "LÂM ĐÒNG" is Lâm Đồng)
        if i > 0 and (low[i - 1] in _PLACE_WORDS or " ".join(low[i - 2:i]) in _PLACE_WORDS) and \
                not (low[i - 1] == "xã" and low[i] == "hội"):
            j = i
            while j < len(words) and low[j] not in _PLACE_WORDS and low[j] not in ("và", "của", "-"):
                out[j] = _title(words[j])
                j += 1
            known = _province_by_fold().get(fold(" ".join(words[i:j])))
            if known and len(known.split()) == j - i:
                out[i:j] = known.split()
            i = j
            cap_next = False
            continue
        title = _title_at(low, i)
        if title:  # an office ("BỘ TRƯỞNG BỘ Y TẾ", "CỤC TRƯỞNG"): one capital, then the body it heads
            out[i] = _title(words[i])
            i += title
            # "TRƯỞNG BAN DÂN VẬN": a title ending in a kind of body opens that body's field
            cap_next = in_body = bool(_body_word_at(low[i - 1:i], 0, "head"))
            continue
        head = _body_word_at(low, i, "head")
        if head and (i == 0 or cap_next or out[i - 1] in ("-",) or not in_body):
            out[i] = _title(words[i])
            i += head
            cap_next = in_body = True
            continue
        if cap_next and low[i] not in _PLACE_WORDS and low[i] not in ("và", "về", "của", "-"):
            out[i] = _title(words[i])
            cap_next = False
        elif in_body and low[i] in ("và", "-") and i + 1 < len(words) and low[i + 1] not in _PLACE_WORDS:
            cap_next = True
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


_UNIT_WORDS = {"tinh": "TỈNH", "huyen": "HUYỆN", "xa": "XÃ", "quan": "QUẬN", "phuong": "PHƯỜNG"}


def _fix_unit_words(up: str) -> str:
    """OCR misreads the unit word before a province ("TĨNH CAO BẰNG", "TÌNH QUẢNG NGÃI"): a word that is
    "tinh" without its marks, followed by a known province, is TỈNH."""
    words = up.split(" ")
    provinces_ = _province_by_fold()
    for i, w in enumerate(words[:-1]):
        if fold(w) == "tinh" and w != "TỈNH":
            for n in (3, 2, 1):
                if fold(" ".join(words[i + 1:i + 1 + n])) in provinces_:
                    words[i] = "TỈNH"
                    break
    return " ".join(words)


def name_from_header(printed: str) -> str:
    up = _fix_unit_words(canon_tones(squash(printed).upper()))
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
    # the last body issues; the one above governs it; a third line above that is kept in ``hierarchy``
    printed = bodies[-1]
    parent_printed = bodies[-2] if len(bodies) > 1 else None
    hierarchy = [name_from_header(b) for b in bodies]
    return Issuer(name=hierarchy[-1], parent=hierarchy[-2] if parent_printed else None,
                  printed=printed, parent_printed=parent_printed, hierarchy=hierarchy, joint=joint_bodies(printed))


def joint_bodies(printed: str) -> list[str]:
    """The bodies of a joint letterhead printed with dashes ("BỘ Y TẾ - BỘ CÔNG AN"), re-cased; [] when the dashes
    are inside one name ("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"): a piece that does not start a body joins the one
    before it."""
    parts: list[str] = []
    for piece in re.split(r"\s+[-–]\s+", printed.strip()):
        if parts and not starts_body(piece):
            parts[-1] = f"{parts[-1]} - {piece}"
        else:
            parts.append(piece)
    return [name_from_header(p) for p in parts] if len(parts) >= 2 else []


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
