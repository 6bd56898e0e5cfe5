"""Who a task reaches: forgiving matching of one unit's name against a task's actors (``congvan tasks --for``).

Both sides are compared as keys: abbreviations expanded (LĐLĐ → Liên đoàn Lao động, UBND → Ủy ban nhân
dân, whatever the case), then lower-cased without diacritics, punctuation dropped. An actor phrase is read
into what it reaches:

- a named body ("Sở Y tế", "Văn phòng Tổng Liên đoàn"): matches when one name contains the other
  ("Sở Y tế tỉnh Thanh Hóa" ~ "Sở Y tế"), leading office titles ignored ("Giám đốc Sở Y tế" ~ "Sở Y tế");
- every unit of a kind ("các Công đoàn ngành", "các sở, ban, ngành", "các huyện ủy, thành ủy",
  "LĐLĐ các huyện, thành phố" = LĐLĐ huyện and LĐLĐ thành phố): matches a unit whose name starts with
  that kind ("Công đoàn ngành Giáo dục", "Sở Y tế", "LĐLĐ huyện Quỳnh Lưu");
- every level of a family ("các cấp công đoàn", "các cấp ủy"): matches any body of that family;
- everyone ("các đơn vị", "các cơ quan, đơn vị", "các địa phương").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..normalize import fold, normalize

# Abbreviations beyond the shared lexicon that appear in addressee lists.
_EXTRA_ABBREVIATIONS = {
    "CĐ": "Công đoàn",
    "CĐCS": "Công đoàn cơ sở",
    "UBMTTQVN": "Ủy ban Mặt trận Tổ quốc",
    "MTTQVN": "Mặt trận Tổ quốc",
    "LĐTBXH": "Lao động Thương binh và Xã hội",
    "LĐ-TB&XH": "Lao động Thương binh và Xã hội",
    "LĐTB&XH": "Lao động Thương binh và Xã hội",
    "GD&ĐT": "Giáo dục và Đào tạo",
    "GDĐT": "Giáo dục và Đào tạo",
    "TN&MT": "Tài nguyên và Môi trường",
    "KH&ĐT": "Kế hoạch và Đầu tư",
    "KH&CN": "Khoa học và Công nghệ",
    "TT&TT": "Thông tin và Truyền thông",
    "ĐTN": "Đoàn Thanh niên",
    "TW": "Trung ương",
}

_LEVELS = ("thanh pho", "thi xa", "thi tran", "dac khu", "to dan pho", "khu pho", "tinh", "huyen", "quan", "xa",
           "phuong", "thon", "xom")
# Kinds that reach every unit.
_EVERYONE = ("don vi", "co quan", "dia phuong", "to chuc", "co quan don vi", "ban nganh", "nganh dia phuong",
             "cap cac nganh", "cap")
# Trailing words that qualify a kind without naming it.
_QUALIFIERS = re.compile(r"\s(?:truc thuoc|thuoc|co lien quan|lien quan|trong tinh|trong huyen|tren dia ban|"
                         r"cung cap|va tuong duong|tuong duong|trung uong|toan quoc|dia phuong)(?:\s.*)?$")
# Office titles and organs before a body's name ("Chủ tịch Ủy ban nhân dân tỉnh", "Ban Thường vụ Huyện ủy").
_TITLES = re.compile(r"^(?:chu tich|pho chu tich|giam doc|pho giam doc|thu truong|chanh van phong|lanh dao|"
                     r"ban thuong vu|ban chap hanh|ban thuong truc|thuong truc|ban can su dang|dang doan|"
                     r"bi thu|truong ban|truong phong|ong|ba|dong chi)\s")
# What may stand before "các" in a lower-case segment: an office or organ ("thủ trưởng các đơn vị", "ủy ban
# nhân dân các xã"), not a verb left over from the sentence ("hướng dẫn các đơn vị").
_PREFIX_HEADS = re.compile(r"^(?:ban|uy ban|lien doan|cong doan|trung tam|phong|so|van phong|dang uy|chi bo|hoi|"
                           r"doan|mat tran|bo|cuc|chi cuc|benh vien|truong|thu truong|lanh dao|nguoi dung dau)\b")


# "các cấp <family>": words whose presence puts a unit in that family
_FAMILIES = {
    "cong doan": ("cong doan", "lien doan lao dong"),
    "uy": ("tinh uy", "huyen uy", "thanh uy", "thi uy", "quan uy", "dang uy", "chi uy", "cap uy", "chi bo",
           "dang bo", "to chuc dang"),
    "uy dang": ("tinh uy", "huyen uy", "thanh uy", "thi uy", "quan uy", "dang uy", "chi uy", "cap uy", "chi bo",
                "dang bo", "to chuc dang"),
    "chinh quyen": ("uy ban nhan dan",),
    "bo doan": ("doan thanh nien", "tinh doan", "huyen doan", "thanh doan", "thi doan", "chi doan", "doan co so",
                "doan truc thuoc"),
    "doan": ("doan thanh nien", "tinh doan", "huyen doan", "thanh doan", "thi doan", "chi doan", "doan co so",
             "doan truc thuoc"),
    "hoi": ("hoi",),
    "mat tran": ("mat tran to quoc",),
}


@lru_cache(maxsize=1)
def _abbreviation_table() -> tuple[re.Pattern, dict[str, str]]:
    from ..lexicons import abbreviations

    table: dict[str, str] = {}
    for abbr, full, _fam in abbreviations():
        table[_plain(abbr)] = _plain(full)
    for abbr, full in _EXTRA_ABBREVIATIONS.items():
        table[_plain(abbr)] = _plain(full)
    table.pop("", None)
    alts = sorted(table, key=len, reverse=True)
    pat = re.compile(r"(?<![\w&])(" + "|".join(re.escape(a) for a in alts) + r")(?![\w&])")
    return pat, table


def _plain(text: str) -> str:
    """Folded (lower case, no diacritics, đ → d), '&' kept, other punctuation → space."""
    s = fold(normalize(text))
    s = re.sub(r"[^\w&]+", " ", s)
    return " ".join(s.split())


def actor_key(text: str) -> str:
    """Comparison key of a unit name: abbreviations expanded, folded, punctuation dropped, "Việt Nam" dropped."""
    pat, table = _abbreviation_table()
    s = pat.sub(lambda m: table[m.group(1)], _plain(text))
    s = s.replace("&", " va ")
    s = re.sub(r"\bviet nam\b", " ", s)
    s = re.sub(r"\btong lien doan(?! lao dong)\b", "tong lien doan lao dong", s)
    return " ".join(s.split())


def _contains(hay: str, needle: str) -> bool:
    return bool(needle) and f" {needle} " in f" {hay} "


def _strip_titles(key: str) -> str:
    while True:
        new = _TITLES.sub("", key)
        if new == key:
            return key
        key = new


@dataclass(frozen=True)
class Reach:
    """One thing an actor phrase reaches. kind: name | kind | family | everyone."""

    kind: str
    key: str


def _split_level(key: str) -> tuple[str, str]:
    """'lien doan lao dong huyen' → ('lien doan lao dong', 'huyen')."""
    for lv in _LEVELS:
        if key == lv:
            return "", lv
        if key.endswith(" " + lv):
            return key[: -len(lv) - 1], lv
    return key, ""


def _kind_reach(prefix: str, rest: str) -> Reach | None:
    rest = _QUALIFIERS.sub("", f" {rest}").strip() if rest else rest
    rest = re.sub(r"^(?:toan the|moi|tung)\s", "", rest)
    if rest.startswith("cap ") or rest == "cap":
        fam = rest[4:].strip()
        if not fam or fam in _EVERYONE:
            return Reach("everyone", "")
        return Reach("family", fam)
    if not rest:
        return None
    if rest in _EVERYONE or rest.split()[0] in ("don", "co") and rest in _EVERYONE:
        return Reach("everyone", "")
    return Reach("kind", " ".join(x for x in (prefix, rest) if x))


@lru_cache(maxsize=4096)
def reaches(actor: str) -> tuple[Reach, ...]:
    """What an actor phrase reaches, read segment by segment ("," ";" "và" separate segments; a lower-case
    segment after a "các …" list continues that list: "LĐLĐ các huyện, thành phố")."""
    out: list[Reach] = []
    segments = [s for s in re.split(r"\s*[,;]\s*|\s+và\s+|\s+cùng\s+", normalize(actor)) if s.strip()]
    ctx: tuple[str, str] | None = None  # (prefix, head) of the last "các …" list
    for seg in segments:
        seg = seg.strip(" -–•+()")
        key = actor_key(seg)
        if not key:
            continue
        words = key.split()
        if "cac" in words:
            i = words.index("cac")
            raw_prefix = " ".join(words[:i])
            prefix = _strip_titles(raw_prefix)
            rest = " ".join(words[i + 1:])
            if raw_prefix and seg.lstrip()[:1].islower() and not (_TITLES.match(raw_prefix + " ") or
                                                                  _PREFIX_HEADS.match(raw_prefix)):
                ctx = None  # "hướng dẫn các đơn vị": a verb phrase caught in the list, not an addressee
                continue
            r = _kind_reach(prefix, rest)
            if r:
                out.append(r)
            head, _lv = _split_level(_QUALIFIERS.sub("", f" {rest}").strip())
            ctx = (prefix, head if r and r.kind == "kind" else "")
            continue
        first = seg.lstrip()[:1]
        continues = ctx is not None and (first.islower() or key in _LEVELS)
        if continues:
            prefix, head = ctx
            core = _QUALIFIERS.sub("", f" {key}").strip()
            if not core:
                continue
            if core in _LEVELS:
                r = _kind_reach(prefix, " ".join(x for x in (head, core) if x))
            else:
                r = _kind_reach(prefix, core)
            if r:
                out.append(r)
            continue
        ctx = None
        out.append(Reach("name", _strip_titles(key)))
    return tuple(out)


def _family_match(fam: str, q: str) -> bool:
    words = _FAMILIES.get(fam)
    if words is None:
        return _contains(q, fam)
    return any(_contains(q, w) for w in words)


def actor_matches(query: str, actor: str) -> bool:
    """True when the unit named by `query` is among those `actor` addresses."""
    q = _strip_titles(actor_key(query))
    q = re.sub(r"^cac\s", "", q)
    if not q:
        return False
    whole = actor_key(actor)
    if _contains(whole, q):
        return True
    for r in reaches(actor):
        if r.kind == "everyone":
            return True
        if r.kind == "family" and _family_match(r.key, q):
            return True
        if r.kind == "kind" and (q == r.key or q.startswith(r.key + " ")):
            return True
        if r.kind == "name" and r.key and (_contains(q, r.key) or _contains(r.key, q)):
            return True
    return False


# How a unit is reached, best first: named itself, then a kind of units it is one of ("các sở"), a family
# ("các cấp công đoàn"), everyone ("các cơ quan, đơn vị").
REASONS = ("name", "kind", "family", "everyone")


def match_reason(query: str, actor: str) -> str | None:
    """How `actor` reaches the unit named by `query`: "name", "kind", "family" or "everyone"; None when it
    does not. The best reason wins ("Sở Y tế và các đơn vị" names Sở Y tế)."""
    q = _strip_titles(actor_key(query))
    q = re.sub(r"^cac\s", "", q)
    if not q:
        return None
    found: set[str] = set()
    for r in reaches(actor):
        if r.kind == "everyone":
            found.add("everyone")
        elif r.kind == "family" and _family_match(r.key, q):
            found.add("family")
        elif r.kind == "kind" and (q == r.key or q.startswith(r.key + " ")):
            found.add("kind")
        elif r.kind == "name" and r.key and (_contains(r.key, q) or (_contains(q, r.key) and len(r.key.split()) >= 2)):
            found.add("name")  # a bare "Sở" left by a cut phrase names no one
    if not found and _contains(actor_key(actor), q):
        found.add("name")
    return next((r for r in REASONS if r in found), None)


def task_matches(query: str, actors: Iterable[str]) -> bool:
    """True when any of a task's actors reaches the unit named by `query`."""
    return any(actor_matches(query, a) for a in actors if a)
