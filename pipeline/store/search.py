"""Full-text search and filters over the archive.

Matching is forgiving the way Vietnamese users type: the FTS5 tokenizer drops tone and vowel marks on both
sides (``unicode61 remove_diacritics 2``), and the one letter it cannot fold, đ, is handled by asking for both
spellings of every query word that has a d (``doan`` → ``doan OR đoan``) plus a folded column (subject, issuer,
numbers with đ → d). Document numbers are matched in any spacing: ``01-KL/TW``, ``01 - KL / TW`` and
``01 kl tw`` are the same phrase of tokens. Results are ranked by bm25 (subject, issuer and numbers weigh more
than the body) and carry highlighted snippets in the original spelling.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from ..normalize import fold, normalize, squash
from .rows import number_key

MARK_START = "\ue000"  # private-use markers from snippet()/highlight(), replaced per output format
MARK_END = "\ue001"
MAX_VARIANTS = 16
# bm25 column weights: subject, issuer, body, numbers (the document's own number), refs (numbers it cites),
# folded (subject + issuer without diacritics). The archive's FTS `rank` default uses the same (schema v2).
WEIGHTS = (8.0, 4.0, 1.0, 40.0, 4.0, 2.0)
_BM25 = f"bm25(documents_fts, {', '.join(str(w) for w in WEIGHTS)})"

_QUOTED = re.compile(r'"([^"]*)"')
# 01-KL/TW, 01 - KL / TW, 01 KL/TW (a space may stand for the dash when a slash follows), 30/2020/NĐ-CP
_NUMBER = re.compile(r"(?<!\w)\d[\d.]*[^\W\d_]?(?:(?:\s*[-/]\s*|\s+(?=[^\W_]+\s*[-/]))[^\W_]+)+")
_WORD = re.compile(r"[^\W_]+\*?")
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


class QueryError(ValueError):
    """A query that cannot be run (nothing searchable in it, bad date ...)."""


@dataclass
class SearchQuery:
    text: str | None = None
    refs: list[str] = field(default_factory=list)  # documents citing these numbers (any spacing)
    number: str | None = None  # the document's own number
    issuer: str | None = None  # abbreviation (LĐLĐ, UBND, TU) or part of the name
    doc_type: str | None = None  # CV, KH, QĐ … (diacritics optional)
    date_from: str | None = None  # inclusive, yyyy[-mm[-dd]]
    date_to: str | None = None
    year: int | None = None
    family: str | None = None
    all_versions: bool = False  # include documents no file points at any more (superseded contents)
    limit: int = 20
    offset: int = 0


# -- the FTS5 expression -------------------------------------------------------------------------------------

def _d_variants(token: str) -> list[str]:
    """Both spellings of every d: "doan" → ["doan", "đoan"] (a folded query cannot know which was meant)."""
    positions = [i for i, ch in enumerate(token) if ch == "d"]
    if not positions:
        return [token]
    out = []
    for combo in itertools.product("dđ", repeat=min(len(positions), 4)):
        chars = list(token)
        for pos, ch in zip(positions, combo, strict=False):
            chars[pos] = ch
        out.append("".join(chars))
    return out


def _phrase(tokens: list[str], prefix: bool = False) -> str:
    """One unit of the query (a word or a phrase) → an FTS5 expression over every spelling of it."""
    star = "*" if prefix else ""
    options = [_d_variants(t) for t in tokens]
    count = 1
    for o in options:
        count *= len(o)
    if count > MAX_VARIANTS:  # very long phrase full of d's: the folded columns still find it
        return f'"{" ".join(tokens)}"{star}'
    phrases = [f'"{" ".join(combo)}"{star}' for combo in itertools.product(*options)]
    return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"


def _tokens(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if w.strip("*")]


@dataclass
class ParsedQuery:
    match: str | None  # the FTS5 expression (every unit must match)
    numbers: list[str]  # number keys of the document numbers typed (their own documents rank first)


def parse_query(text: str) -> ParsedQuery:
    """User query → FTS5 MATCH expression. Units: "quoted phrases", document numbers in any spacing
    (01 - KL / TW), words, word* prefixes."""
    text = normalize(text.replace("*", "\ue002")).replace("\ue002", "*")  # normalize() drops stray '*'s
    units: list[str] = []
    numbers: list[str] = []

    def take_quoted(m: re.Match) -> str:
        toks = [t.rstrip("*") for t in _tokens(m.group(1))]
        if toks:
            units.append(_phrase(toks))
        return " "

    rest = _QUOTED.sub(take_quoted, text)

    def take_number(m: re.Match) -> str:
        toks = [t.rstrip("*") for t in _tokens(m.group(0))]
        if toks:
            units.append(_phrase(toks))
            key = number_key(m.group(0))
            if key:
                numbers.append(key)
        return " "

    rest = _NUMBER.sub(take_number, rest)
    for word in _tokens(rest):
        prefix = word.endswith("*")
        word = word.rstrip("*")
        if word:
            units.append(_phrase([word], prefix))
    return ParsedQuery(" AND ".join(units) if units else None, numbers)


def build_match(text: str) -> str | None:
    return parse_query(text).match


# -- filters ---------------------------------------------------------------------------------------------------

def _check_date(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    if not _DATE.fullmatch(value):
        raise QueryError(f"{what} must be a date like 2023-01-01 (or 2023-01, 2023), not {value!r}")
    return value


def _filters(conn: sqlite3.Connection, q: SearchQuery) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    for ref in q.refs:
        key = number_key(ref.rstrip("*"))
        if not key:
            raise QueryError(f"--refs {ref!r} is not a document number")
        # IN (…) lets SQLite start from the references_number_key index instead of scanning documents
        if ref.endswith("*"):
            where.append('d.id IN (SELECT r.doc_id FROM "references" r WHERE r.number_key >= ? AND r.number_key < ?)')
            args += [key, key + "\U0010ffff"]
        else:
            where.append('d.id IN (SELECT r.doc_id FROM "references" r WHERE r.number_key = ?)')
            args.append(key)
    if q.number:
        where.append("d.number_key = ?")
        args.append(number_key(q.number))
    if q.issuer:
        key = fold(squash(q.issuer))
        if " " in key:
            where.append("d.issuer_keys LIKE ?")
            args.append(f"%{key}%")
        else:  # one word: an abbreviation (exact) or a whole word of the name
            where.append("d.issuer_keys LIKE ?")
            args.append(f"% {key} %")
    if q.doc_type:
        codes = [r[0] for r in conn.execute("SELECT DISTINCT doc_type FROM documents WHERE doc_type IS NOT NULL")
                 if fold(r[0]) == fold(q.doc_type)]
        where.append(f"d.doc_type IN ({', '.join('?' * len(codes)) or 'NULL'})")
        args += codes
    date_from = _check_date(q.date_from, "--from")
    date_to = _check_date(q.date_to, "--to")
    if date_from:
        where.append("d.date >= ?")
        args.append(date_from)
    if date_to:
        where.append("d.date <= ?")
        args.append(date_to + "-99" if len(date_to) < 10 else date_to)  # a partial date includes its month/year
    if q.year is not None:
        where.append("d.year = ?")
        args.append(q.year)
    if q.family:
        where.append("d.family = ?")
        args.append(q.family)
    if not q.all_versions:
        where.append(_CURRENT)
    return where, args


_CURRENT = "EXISTS (SELECT 1 FROM files f WHERE f.sha256 = d.sha256)"


def _rank_windowed(conn: sqlite3.Connection, q: SearchQuery, parsed: ParsedQuery, where: list[str],
                   args: list[Any]) -> list[tuple[int, float]] | None:
    """Rank on documents_fts alone (bm25 over every match is the cost that grows with the archive), then apply
    the filters to the best candidates only, widening the window until the page is full. Returns None when the
    filters are so selective that the window would cover most matches (the caller then joins in one query).
    Documents whose own number was typed come first."""
    need = q.offset + q.limit
    cond = " AND ".join(where) or "1"
    pinned: list[tuple[int, float]] = []
    if parsed.numbers:
        marks = ", ".join("?" * len(parsed.numbers))
        pinned = conn.execute(
            f"SELECT documents_fts.rowid, {_BM25} - 1000.0 AS score FROM documents_fts "
            f"JOIN documents d ON d.id = documents_fts.rowid WHERE documents_fts MATCH ? "
            f"AND d.number_key IN ({marks}) AND {cond} ORDER BY score",
            (parsed.match, *parsed.numbers, *args)).fetchall()
    seen = {r[0] for r in pinned}
    window = max(4 * need, 100)
    while True:
        rows = conn.execute(f"SELECT rowid, {_BM25} AS score FROM documents_fts WHERE documents_fts MATCH ? "
                            "ORDER BY score LIMIT ?", (parsed.match, window)).fetchall()
        exhausted = len(rows) < window
        rows = [r for r in rows if r[0] not in seen]
        if rows and where:
            ids = ", ".join(str(int(r[0])) for r in rows)
            keep = {r[0] for r in conn.execute(f"SELECT d.id FROM documents d WHERE d.id IN ({ids}) AND {cond}",
                                               args)}
            rows = [r for r in rows if r[0] in keep]
        if len(pinned) + len(rows) >= need or exhausted:
            return (pinned + rows)[q.offset:need]
        if window * 5 > 20_000:
            return None
        window *= 5


_DETAILS = """SELECT d.id, d.sha256, d.number_normalized, d.doc_type, d.doc_type_name, d.issuer, d.issuer_parent,
d.date, d.subject, d.format, coalesce((SELECT min(f.path) FROM files f WHERE f.sha256 = d.sha256),
json_extract(d.record, '$.source.path')) AS path FROM documents d WHERE d.id = ?"""


def search(conn: sqlite3.Connection, q: SearchQuery) -> list[dict[str, Any]]:
    """Ranked documents for a query and/or filters. Each hit: rank, score, number, doc_type, issuer, date,
    subject, path, sha256, and (for text queries) ``snippet``/``subject_highlight`` with MARK_START/MARK_END.

    Two steps: rank ids (bm25 over every match, the only cost that grows with the archive), then fetch the
    details and snippets of the page shown."""
    parsed = parse_query(q.text) if q.text and q.text.strip() else ParsedQuery(None, [])
    match = parsed.match
    if q.text and q.text.strip() and match is None:
        raise QueryError(f"nothing searchable in {q.text!r}")
    where, args = _filters(conn, q)
    cond = (" AND " + " AND ".join(where)) if where else ""
    try:
        ranked = _rank_windowed(conn, q, parsed, where, args) if match else None
    except sqlite3.OperationalError as exc:
        raise QueryError(f"cannot search for {q.text!r}: {exc}") from None
    if ranked is not None:
        sql = None
    elif match:
        # bm25 saturates, so a document whose own number was typed is put first explicitly
        boost = ""
        if parsed.numbers:
            boost = f" - 1000.0 * (d.number_key IN ({', '.join('?' * len(parsed.numbers))}))"
        sql = (f"SELECT d.id, {_BM25}{boost} AS score FROM documents_fts "
               f"JOIN documents d ON d.id = documents_fts.rowid WHERE documents_fts MATCH ?{cond} "
               f"ORDER BY score LIMIT ? OFFSET ?")
        params = [*parsed.numbers, match, *args, q.limit, q.offset]
    else:
        sql = (f"SELECT d.id, NULL AS score FROM documents d WHERE 1{cond} "
               f"ORDER BY d.date IS NULL, d.date DESC, d.id LIMIT ? OFFSET ?")
        params = [*args, q.limit, q.offset]
    try:
        if sql is not None:
            ranked = conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc).lower() or "syntax" in str(exc).lower():
            raise QueryError(f"cannot search for {q.text!r}: {exc}") from None
        raise
    hits = []
    for i, (doc_id, score) in enumerate(ranked):
        if score is not None and score < -500:  # ranked first for its own number: report its bm25 alone
            score += 1000.0
        r = conn.execute(_DETAILS, (doc_id,)).fetchone()
        hit = {"rank": q.offset + i + 1, "score": round(-score, 4) if score is not None else None,
               "number": r[2], "doc_type": r[3], "doc_type_name": r[4], "issuer": r[5], "issuer_parent": r[6],
               "date": r[7], "subject": r[8], "format": r[9], "path": r[10], "sha256": r[1], "id": r[0]}
        if match:
            hit.update(_snippets(conn, match, doc_id))
        hits.append(hit)
    return hits


def _snippets(conn: sqlite3.Connection, match: str, doc_id: int) -> dict[str, str]:
    """Snippets for one hit, computed after ranking (so only for the rows shown)."""
    row = conn.execute(
        "SELECT snippet(documents_fts, 2, ?, ?, '…', 24), highlight(documents_fts, 0, ?, ?) FROM documents_fts "
        "WHERE documents_fts MATCH ? AND rowid = ?",
        (MARK_START, MARK_END, MARK_START, MARK_END, match, doc_id)).fetchone()
    if row is None:
        return {"snippet": "", "subject_highlight": ""}
    snippet = squash(row[0] or "")
    if MARK_START not in snippet:  # matched elsewhere (subject, issuer, numbers): no body excerpt to show
        snippet = ""
    return {"snippet": snippet, "subject_highlight": squash(row[1] or "")}


def marks(text: str, start: str, end: str) -> str:
    return text.replace(MARK_START, start).replace(MARK_END, end)
