"""Loaders for the data files in this folder (document types, abbreviations, issuer codes, cue
phrases, provinces, mottos). Data lives in files so domain experts can edit it without code."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).parent


def _rows(name: str) -> list[list[str]]:
    rows = []
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


@dataclass(frozen=True)
class DocTypeEntry:
    code: str
    names: tuple[str, ...]
    generic: bool = False
    no_symbol: bool = False

    @property
    def name(self) -> str:
        return self.names[0]


@lru_cache(maxsize=1)
def doc_types() -> tuple[DocTypeEntry, ...]:
    data = json.loads((HERE / "doc_types.json").read_text(encoding="utf-8"))
    return tuple(
        DocTypeEntry(t["code"], tuple(t["names"]), t.get("generic", False), t.get("no_symbol", False))
        for t in data["types"]
    )


@lru_cache(maxsize=1)
def symbol_type_codes() -> dict[str, str | None]:
    data = json.loads((HERE / "doc_types.json").read_text(encoding="utf-8"))
    return dict(data["symbol_codes"])


@lru_cache(maxsize=1)
def glued_type_codes() -> tuple[str, ...]:
    """Type codes printed glued to the serial ("12KH/…"): the one list the number patterns use."""
    data = json.loads((HERE / "doc_types.json").read_text(encoding="utf-8"))
    return tuple(data["glued_codes"])


@lru_cache(maxsize=1)
def type_by_code() -> dict[str, DocTypeEntry]:
    return {t.code: t for t in doc_types()}


@lru_cache(maxsize=1)
def type_by_name() -> dict[str, DocTypeEntry]:
    """Lower-cased printed name -> entry (longest names are distinct keys)."""
    out: dict[str, DocTypeEntry] = {}
    for t in doc_types():
        for n in t.names:
            out.setdefault(n.lower(), t)
    return out


@lru_cache(maxsize=1)
def abbreviations() -> list[tuple[str, str, str]]:
    rows = [(r[0], r[1], r[2] if len(r) > 2 else "X") for r in _rows("abbreviations.tsv")]
    return sorted(rows, key=lambda r: -len(r[0]))


@dataclass(frozen=True)
class IssuerCode:
    code: str
    name: str
    family: str
    level: str


@lru_cache(maxsize=1)
def issuer_codes() -> dict[str, IssuerCode]:
    return {r[0]: IssuerCode(r[0], r[1], r[2], r[3]) for r in _rows("issuer_codes.tsv")}


@lru_cache(maxsize=1)
def cue_patterns() -> list[dict]:
    return [json.loads(line) for line in (HERE / "cues.jsonl").read_text(encoding="utf-8").splitlines() if line]


@lru_cache(maxsize=1)
def mottos() -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in _rows("mottos.txt")]


@lru_cache(maxsize=1)
def body_heads() -> list[str]:
    """Words that open a body's name in a letterhead ("BỘ", "SỞ", "CĐCS", "CỤC THUẾ" …)."""
    return [r[0] for r in _rows("body_heads.txt")]


@lru_cache(maxsize=1)
def motto_keys() -> frozenset[str]:
    """Every motto line upper case without spaces, to recognise one a narrow cell wrapped."""
    return frozenset(re.sub(r"\s+", "", m.upper()) for m, _family in mottos())


@dataclass(frozen=True)
class Province:
    name: str
    kind: str
    valid_from: str
    valid_to: str | None
    successor: str | None


@lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    out = []
    for r in _rows("provinces.tsv"):
        r = r + [""] * (5 - len(r))
        out.append(Province(r[0], r[1], r[2], r[3] or None, r[4] or None))
    return tuple(out)


@lru_cache(maxsize=1)
def titled_names() -> tuple[str, ...]:
    """Names of documents usually cited without a number (laws, charters); commas inside are part of the name."""
    return tuple(r[0] for r in _rows("named_documents.tsv"))


@lru_cache(maxsize=1)
def org_names() -> tuple[str, ...]:
    """Canonical casing of body names, longest first (used to re-case names printed in capitals)."""
    names = {r[0] for r in _rows("org_names.txt")}
    names.update(ic.name for ic in issuer_codes().values())
    names.update(a[1] for a in abbreviations() if a[1][:1].isupper())
    return tuple(sorted(names, key=len, reverse=True))


@lru_cache(maxsize=1)
def signer_titles() -> tuple[str, ...]:
    """Titles printed above a signer's name, in capitals ("PHÓ GIÁM ĐỐC")."""
    return tuple(r[0].strip() for r in _rows("signer_titles.txt"))


@lru_cache(maxsize=1)
def authority_heads() -> tuple[str, ...]:
    """Office titles and collective bodies whose line opens the enacting part after a decision's trích yếu."""
    return tuple(r[0].strip() for r in _rows("authority_heads.txt"))


@lru_cache(maxsize=1)
def surnames() -> tuple[str, ...]:
    """Vietnamese family names (họ)."""
    return tuple(r[0].strip() for r in _rows("surnames.txt"))


@lru_cache(maxsize=1)
def ocr_phrases() -> tuple[str, ...]:
    """Phrases OCR text is checked against (:func:`pipeline.read.ocrfix.fix_phrases`): ocr_phrases.txt, body
    names, signer titles, mottos, and each province with its kind ("tỉnh Nghệ An"); two words at least."""
    names = {r[0] for r in _rows("ocr_phrases.txt")}
    names.update(org_names())
    names.update(signer_titles())
    names.update(m for m, _fam in mottos())
    names.update(f"{p.kind} {p.name}" for p in provinces())
    return tuple(sorted((n.strip() for n in names if len(n.split()) >= 2), key=len, reverse=True))


@lru_cache(maxsize=1)
def ranks() -> tuple[tuple[str, str], ...]:
    """(rank as printed, kind) of the ranks and titles printed before a signer's name, longest first."""
    rows = [(r[0].strip(), r[1].strip() if len(r) > 1 else "rank") for r in _rows("ranks.txt")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


@lru_cache(maxsize=1)
def body_words() -> dict[str, str]:
    """Lower-cased word or phrase of a body name -> head | upper | field (how a name in capitals is re-cased)."""
    return {r[0].strip(): r[1].strip() for r in _rows("body_words.tsv") if len(r) > 1}


@lru_cache(maxsize=1)
def province_names() -> dict[str, str]:
    """Folded province name -> the name as printed ("lam dong" -> "Lâm Đồng")."""
    from ..normalize import fold

    return {fold(p.name): p.name for p in provinces()}


def province_in(*texts: str | None) -> str | None:
    """A province named anywhere in the texts (its folded key), from the province lexicon."""
    from ..normalize import fold

    names = province_names()
    for text in texts:
        if not text:
            continue
        t = " ".join((" " + re.sub(r"[^a-z0-9 ]+", " ", fold(text)) + " ").split())
        for key in sorted(names, key=len, reverse=True):
            if re.search(r"(^| )" + re.escape(key) + r"( |$)", t):
                return key
    return None


@dataclass(frozen=True, eq=False)
class Lexicon:
    """The data files the spaCy pipeline is built from, loaded once and passed in (eyecite's ``tokenizer=``
    style): ``get_nlp(lexicon=…)`` / ``run_pipeline(…, nlp=get_nlp(lexicon=…))``. ``default_lexicon()`` is the
    bundled one; ``Lexicon.load(folder)`` reads another folder laid out like this one (a domain expert's edited
    copy) without touching the module's caches. Compared by identity, so it can key a cache."""

    folder: Path
    cue_patterns: tuple[dict, ...]  # lexicons/cues.jsonl, SpanRuler pattern format
    motto_keys: frozenset[str]  # mottos.txt, upper case without spaces (header cell repair)
    doc_types: tuple[DocTypeEntry, ...]  # doc_types.json "types"
    symbol_codes: dict[str, str | None]  # doc_types.json "symbol_codes"
    glued_codes: tuple[str, ...]  # doc_types.json "glued_codes"

    @classmethod
    def load(cls, folder: Path | str = HERE) -> Lexicon:
        folder = Path(folder)
        types = json.loads((folder / "doc_types.json").read_text(encoding="utf-8"))
        mottos_rows = [line.split("\t") for line in (folder / "mottos.txt").read_text(encoding="utf-8").splitlines()
                       if line.strip() and not line.startswith("#")]
        return cls(
            folder=folder,
            cue_patterns=tuple(json.loads(line) for line in
                               (folder / "cues.jsonl").read_text(encoding="utf-8").splitlines() if line),
            motto_keys=frozenset(re.sub(r"\s+", "", r[0].upper()) for r in mottos_rows),
            doc_types=tuple(DocTypeEntry(t["code"], tuple(t["names"]), t.get("generic", False),
                                         t.get("no_symbol", False)) for t in types["types"]),
            symbol_codes=dict(types["symbol_codes"]),
            glued_codes=tuple(types["glued_codes"]),
        )


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The bundled lexicon (this folder), loaded once per process."""
    return Lexicon.load(HERE)
