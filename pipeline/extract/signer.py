"""Signature block: authority prefix(es), title, name (spec §7)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..lexicons import signer_titles, surnames
from ..models import Signer
from ..normalize import fold, squash
from .issuers import joint_bodies, recase
from .segment import AUTHORITY_RE, is_caps, is_speck, looks_like_name, split_rank, strip_specks

_PREFIX = {"T/M": "TM.", "K/T": "KT.", "T/L": "TL.", "TM": "TM.", "KT": "KT.", "TL": "TL.", "TUQ": "TUQ.", "Q": "Q."}
_NOISE = re.compile(r"(?i)^\(?\s*(?:đã\s*k[ýí]|ký|ký tên|ký, đóng dấu|ký,? ghi rõ họ tên|chữ ký|dấu)\b.*\)?$|"
                    r"^(?:Ký bởi|Thời gian ký|Cơ quan|Email|Signature|Người ký)\b|^\d{1,2}[.:]\d{2}")


@lru_cache(maxsize=1)
def _titles() -> list[tuple[list[str], list[str]]]:
    """(folded words, printed words) of every known title, longest first."""
    return sorted(((fold(t).split(), t.split()) for t in signer_titles()), key=lambda r: -len(r[0]))


@lru_cache(maxsize=1)
def _surnames() -> dict[str, str]:
    """folded family name -> spelling, for the family names no other one shares without marks."""
    by_fold: dict[str, set[str]] = {}
    for r in surnames():
        by_fold.setdefault(fold(r), set()).add(r)
    return {k: next(iter(v)) for k, v in by_fold.items() if len(v) == 1}


def canonical_name(name: str) -> str:
    """The family name spelt as the lexicon has it when the printed one differs only in marks ("Đỉnh" ->
    "Đinh", OCR's misreading of a bold name). A name typed without any marks is left as typed."""
    first, _, rest = name.partition(" ")
    if not rest or first.isascii():
        return name
    spelling = _surnames().get(fold(first))
    if spelling is None or spelling == first:
        return name
    return (spelling.upper() if first.isupper() and len(first) > 1 else spelling) + " " + rest


def canonical_title(title: str) -> str:
    """Spell the known titles inside ``title`` as printed: words that equal a title once diacritics are dropped
    (OCR's "PHÓ GIÁM ĐÖC", "CHÚ TỊCH"; "PHO GIAM DOC" typed without marks) take the title's spelling. Other
    words are kept."""
    words = title.split()
    folded = [fold(w) for w in words]
    out: list[str] = []
    i = 0
    while i < len(words):
        for key, printed in _titles():
            if folded[i:i + len(key)] == key:
                out.extend(printed if words[i].isupper() else words[i:i + len(key)])
                i += len(key)
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def parse_signer(cells: list[str]) -> Signer | None:
    """One signature block (its cells in reading order) -> Signer. The prefix lines build the authority chain
    (a prefix line wrapped over two lines, "KT. BỘ TRƯỞNG" / "BỘ CÔNG AN", is joined), caps lines the title,
    the name line ends the block; a rank before the name goes to ``rank``; seal and signature debris is
    skipped."""
    if not cells:
        return None
    chain: list[str] = []
    title_parts: list[str] = []
    name = None
    rank = None
    for raw in cells:
        s = squash(raw).strip(" *")
        if not s or _NOISE.search(s) or is_speck(s):
            continue
        m = AUTHORITY_RE.match(s)
        if m and not title_parts:
            chain.append(f"{m.group('prefix')}{'.' if '/' not in m.group('prefix') else ''} {m.group('rest')}"
                         .replace("..", "."))
            continue
        alone = split_rank(s + " X")
        if alone[0] and alone[1] == "X":
            rank = alone[0]  # the rank on its own line above the name
            continue
        if looks_like_name(s):
            rank_, bare = split_rank(strip_specks(s))
            rank = rank_ or rank
            if bare.isupper():  # a name printed in capitals, in running-text case: "NGUYỄN THỊ HOA" -> "Nguyễn Thị Hoa"
                bare = " ".join(w[:1] + w[1:].lower() for w in bare.split())
            name = canonical_name(bare)
            break
        if is_caps(s) and len(s) < 80:
            if chain and not title_parts and _continues_authority(chain[-1], s):
                chain[-1] = f"{chain[-1]} {s}"  # "KT. CHÁNH ÁN" / "TÒA ÁN NHÂN DÂN TỐI CAO"
                continue
            title_parts.append(s)
    if name is None:
        name = _clipped_name(cells)
    if not (chain or title_parts or name):
        return None
    if not title_parts and chain and chain[-1].startswith("Q. "):
        title_parts = [chain[-1][3:]]  # an acting head ("Q. GIÁM ĐỐC") signs under the title of the post
    title = canonical_title(" ".join(title_parts)) or None
    first = AUTHORITY_RE.match(chain[0]) if chain else None
    return Signer(
        name=name,
        title=title,
        authority=_PREFIX.get(first.group("prefix")) if first else None,
        on_behalf_of=recase(first.group("rest")) if first else None,
        authority_line=chain[-1] if chain else None,
        authority_chain=chain,
        rank=rank,
    )


def _clipped_name(cells: list[str]) -> str | None:
    """A scan's name line whose first letters the OCR lost at the seal or the margin ("ạm Trường Thọ"): the
    block's last line, lower-case fragment first, then name words; the fragment must end exactly one family name
    of the lexicon, which restores it. Anything else is not a name."""
    for raw in reversed(cells):
        s = strip_specks(squash(raw))
        if not s or _NOISE.search(s) or is_speck(s):
            continue
        first, _, rest = s.partition(" ")
        given = rest.split()
        if not (first.isalpha() and first.islower() and 2 <= len(first) <= 5 and 1 <= len(given) <= 4 and
                all(w.isalpha() and w[:1].isupper() and w[1:].islower() for w in given)):
            return None
        matches = {n for n in surnames() if n.lower().endswith(first) and len(n) > len(first)}
        return f"{matches.pop()} {rest}" if len(matches) == 1 else None
    return None


def _continues_authority(prefix_line: str, s: str) -> bool:
    """A caps line under a prefix line that names a body, not a title: the prefix line wrapped. A title
    ("THỨ TRƯỞNG", "PHÓ CHÁNH ÁN") is a known title word sequence; a body starts with a body word."""
    f = fold(s)
    if any(f == " ".join(k) or f.startswith(" ".join(k) + " ") for k, _p in _titles()):
        return False
    return bool(re.match(r"(?:bo|so|uy ban|toa an|vien|ban|hoi dong|cuc|tong cuc|van phong|cong an|lien doan|"
                         r"cong doan|dang|tinh|huyen|thanh pho|xa|phuong|quan|mat tran|hoi)\b", f))


def parse_signers(blocks: list[list[str]]) -> list[Signer]:
    """Every signature block of a document, in reading order (see ``segment.signature_blocks``)."""
    out = []
    for cells in blocks:
        s = parse_signer(cells)
        if s is not None:
            out.append(s)
    return out


def host_first(signers: list[Signer], issuer_printed: str | None) -> list[Signer]:
    """Joint documents: put first the signer who signs for the first-named issuer of the letterhead (the host
    body), the rest in reading order. The signer whose authority and title share most words with it wins."""
    if len(signers) < 2 or not issuer_printed:
        return signers
    parts = joint_bodies(issuer_printed)
    if not parts:
        # not a joint letterhead ("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI" is one body): the reading order stays
        return signers
    first = parts[0]
    key = set(fold(first).split())
    if not key:
        return signers

    def score(s: Signer) -> float:
        words = set(fold(" ".join(s.authority_chain + [s.title or ""])).split())
        return len(words & key) / len(key)

    scores = [score(s) for s in signers]
    best = max(range(len(signers)), key=lambda i: (scores[i], -i))
    if scores[best] < 0.5 or scores.count(scores[best]) > 1:
        return signers
    return [signers[best]] + signers[:best] + signers[best + 1:]
