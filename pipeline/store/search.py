"""Full-text search and filters over the archive.

Matching is forgiving the way Vietnamese users type: the FTS5 tokenizer drops tone and vowel marks on both
sides (``unicode61 remove_diacritics 2``), and the one letter it cannot fold, đ, is handled by asking for both
spellings of every query word that has a d (``doan`` → ``doan OR đoan``) plus a folded column (subject, issuer,
numbers with đ → d). Document numbers are matched in any spacing: ``01-KL/TW``, ``01 - KL / TW`` and
``01 kl tw`` are the same phrase of tokens.

Ranking, in two steps. FTS5's weighted bm25 (numbers, subject, issuer, signer above the body) picks the
candidates; they are then re-scored in Python with a fielded BM25 whose IDF never vanishes
(``ln(1 + (N - n + 0.5) / (n + 0.5))``: FTS5 clamps the IDF of a word found in more than half of the archive
to ~0, which made every score 0.0 on small archives), plus boosts when the whole multi-word query stands as a
phrase in a field (a signer's full name, "Bộ Công an" as the issuer itself) or its words stand close together
in the body. Results carry highlighted snippets in the original spelling and facet counts.

Cost is bounded: query units are deduplicated and capped (MAX_UNITS), and every statement runs under a
SQLite progress handler that stops it at the time limit or on Ctrl-C (:class:`SearchInterrupted`).
"""

from __future__ import annotations

import itertools
import math
import re
import signal
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..normalize import fold, normalize, squash
from .rows import number_key

MARK_START = "\ue000"  # private-use markers from snippet()/highlight(), replaced per output format
MARK_END = "\ue001"
MAX_VARIANTS = 16
MAX_UNITS = 24  # distinct words/phrases/numbers per query; more cost time and add nothing to the ranking
MAX_QUERY_CHARS = 2000
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000
DEFAULT_TIME_LIMIT = 10.0  # seconds per search (CLI); the web server uses less
CANDIDATES = 120  # re-scored in Python per page request
FACET_SAMPLE = 5_000  # facets count at most this many matches (exact below it; the total stays exact)
PHRASE_SCAN_MAX = 5_000  # matches above which documents beyond the bm25 window are not searched for the phrase
# bm25 column weights: subject, issuer (with governing body and province), body, numbers (the document's own
# number), refs (numbers it cites), folded (subject + issuer without diacritics), people (signer name, title,
# authority). The archive's FTS `rank` default uses the same (schema v4).
WEIGHTS = (8.0, 4.0, 1.0, 40.0, 4.0, 2.0, 8.0)
# Fielded re-scoring: weight of a unit found in each short field (the body counts through FTS5's bm25)
FIELD_WEIGHTS = {"numbers": 3.0, "subject": 1.5, "issuer": 1.25, "people": 1.5, "refs": 2.0}
# A bare number typed among words ("kết luận 01") names a cited document by its serial: it scores in the
# numbers cited (refs) only; a whole document number ("01-KL/TW") typed is pinned to its own document.
PHRASE_BOOST = {"numbers": 8.0, "subject": 4.0, "issuer": 6.0, "people": 8.0}
EXACT_FIELD_BOOST = 6.0  # the whole query is the field itself ("Bộ Công an" = the issuer)
NEAR_BOOST = 1.5
NAMED_BOOST = 4.0  # "Kết luận 01" typed and the document is, or cites, a Kết luận numbered 01  # every word of the query within a few words of each other in the body
K1 = 1.2
BM25_SCALE = 2.0  # FTS5's weighted bm25 (body, cited numbers) against the fielded score of the short fields
_BM25 = f"bm25(documents_fts, {', '.join(str(w) for w in WEIGHTS)})"

_QUOTED = re.compile(r'"([^"]*)"')
# 01-KL/TW, 01 - KL / TW, 01 KL/TW (a space may stand for the dash when a slash follows), 30/2020/NĐ-CP
_NUMBER = re.compile(r"(?<!\w)\d[\d.]*[^\W\d_]?(?:(?:\s*[-/]\s*|\s+(?=[^\W_]+\s*[-/]))[^\W_]+)+")
_WORD = re.compile(r"[^\W_]+\*?")
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


class QueryError(ValueError):
    """A query that cannot be run (nothing searchable in it, bad date ...)."""


class SearchInterrupted(Exception):
    """The search was stopped: Ctrl-C (``timed_out`` False) or the time limit."""

    def __init__(self, timed_out: bool, seconds: float):
        self.timed_out = timed_out
        self.seconds = seconds
        super().__init__(f"search stopped after {seconds:.1f} s (time limit)" if timed_out
                         else "search interrupted")


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
    needs_review: bool | None = None  # only records that need (True) / do not need (False) a person
    doc_format: str | None = None  # txt | pdf | docx …
    sort: str = "relevance"  # relevance | date (newest first) | date_asc
    limit: int = 20
    offset: int = 0
    time_limit: float | None = DEFAULT_TIME_LIMIT

    def check(self) -> None:
        """Out-of-range numbers are the user's error, not SQLite's OverflowError."""
        if not 1 <= self.limit <= MAX_LIMIT:
            raise QueryError(f"--limit must be between 1 and {MAX_LIMIT}, not {self.limit}")
        if not 0 <= self.offset <= MAX_OFFSET:
            raise QueryError(f"--offset must be between 0 and {MAX_OFFSET}, not {self.offset}")
        if self.year is not None and not 1 <= self.year <= 9999:
            raise QueryError(f"--year must be between 1 and 9999, not {self.year}")
        if self.sort not in ("relevance", "date", "date_asc"):
            raise QueryError(f"unknown sort {self.sort!r} (relevance, date or date_asc)")


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
    units: list[tuple[tuple[str, ...], bool]] = field(default_factory=list)  # folded tokens, prefix?
    expressions: list[str] = field(default_factory=list)  # the FTS5 expression of each unit
    dropped: int = 0  # units beyond MAX_UNITS (repeated ones are not counted)
    named: list[tuple[str, str]] = field(default_factory=list)  # ("01", "kl") from "Kết luận 01"

    @property
    def words(self) -> list[str]:
        """Every folded token of the query in order (the phrase the whole query forms)."""
        return [t for toks, _ in self.units for t in toks]


def parse_query(text: str) -> ParsedQuery:
    """User query → FTS5 MATCH expression. Units: "quoted phrases", document numbers in any spacing
    (01 - KL / TW), words, word* prefixes."""
    text = normalize(text[:MAX_QUERY_CHARS].replace("*", "\ue002")).replace("\ue002", "*")
    units: list[str] = []
    numbers: list[str] = []
    seen: dict[tuple[tuple[str, ...], bool], None] = {}
    dropped = 0

    def add(toks: list[str], prefix: bool = False) -> bool:
        nonlocal dropped
        key = (tuple(toks), prefix)
        if key in seen:  # "đoàn đoàn đoàn …": the same unit once
            return False
        if len(seen) >= MAX_UNITS:
            dropped += 1
            return False
        seen[key] = None
        units.append(_phrase(toks, prefix))
        return True

    def take_quoted(m: re.Match) -> str:
        toks = [t.rstrip("*") for t in _tokens(m.group(1))]
        if toks:
            add(toks)
        return " "

    rest = _QUOTED.sub(take_quoted, text)

    def take_number(m: re.Match) -> str:
        toks = [t.rstrip("*") for t in _tokens(m.group(0))]
        if toks and add(toks):
            key = number_key(m.group(0))
            if key:
                numbers.append(key)
        return " "

    rest = _NUMBER.sub(take_number, rest)
    for word in _tokens(rest):
        prefix = word.endswith("*")
        word = word.rstrip("*")
        if word:
            add([word], prefix)
    return ParsedQuery(" AND ".join(units) if units else None, numbers, list(seen), units, dropped,
                       named_numbers(text))


@lru_cache(maxsize=1)
def _type_names() -> tuple[tuple[str, str], ...]:
    """(folded type name, folded code) pairs, longest name first: ("ket luan", "kl"), ("chi thi", "ct") …"""
    from ..lexicons import doc_types

    pairs = {(fold(n), fold(t.code)) for t in doc_types() for n in t.names if len(n) > 3}
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def named_numbers(text: str) -> list[tuple[str, str]]:
    """Documents named the way offices speak of them: "Kết luận 01", "chỉ thị số 05" → (serial, type code).
    A document whose own or cited number has that serial and code ranks above one that only holds the
    words."""
    folded = " ".join(_WORD.findall(fold(text)))
    out = []
    for name, code in _type_names():
        for m in re.finditer(rf"(?<![a-z0-9]){re.escape(name)} (?:so )?(\d+)(?![a-z0-9])", folded):
            if (m.group(1), code) not in out:
                out.append((m.group(1), code))
    return out


def _names_number(numbers: str, serial: str, code: str) -> bool:
    """Does one of the numbers (folded keys, " ; "-joined) have this serial and type code?"""
    for key in numbers.split(";"):
        parts = re.split(r"[-/. ]+", key.strip())
        if parts and parts[0].lstrip("0") == serial.lstrip("0") and code in parts[1:]:
            return True
    return False


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
    if q.doc_format:
        where.append("d.format = ?")
        args.append(q.doc_format)
    if q.needs_review is not None:
        where.append("d.review IS NOT NULL" if q.needs_review else "d.review IS NULL")
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
    if any(w != _CURRENT for w in where):
        # a real filter (type, year, issuer …): its documents are one id set (read from the indexes), and the
        # bm25 order of the match is walked once until the window is full of documents in the set
        allowed = {r[0] for r in conn.execute(f"SELECT d.id FROM documents d WHERE {cond}", args)}
        rows = []
        cur = conn.execute(f"SELECT rowid, {_BM25} AS score FROM documents_fts WHERE documents_fts MATCH ? "
                           "ORDER BY score", (parsed.match,))
        while len(rows) < window:
            batch = cur.fetchmany(500)
            if not batch:
                break
            rows += [r for r in batch if r[0] in allowed and r[0] not in seen]
        return (pinned + rows[:window])[q.offset:need]
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
json_extract(d.record, '$.source.path')) AS path, d.issuer_province, d.year, d.review, d.signer,
EXISTS (SELECT 1 FROM corrections c WHERE c.sha256 = d.sha256 AND c.active = 1)
FROM documents d WHERE d.id = ?"""


@contextmanager
def _bounded(conn: sqlite3.Connection, time_limit: float | None):
    """Run the statements inside under a progress handler that aborts them at the time limit or when Ctrl-C
    arrives (SQLite otherwise finishes the statement first: 16 s on a pathological query)."""
    started = time.monotonic()
    state = {"sigint": False}
    previous = None
    if threading.current_thread() is threading.main_thread():
        def on_sigint(signum, frame):
            state["sigint"] = True

        try:
            previous = signal.signal(signal.SIGINT, on_sigint)
        except ValueError:  # not the main interpreter
            previous = None

    def progress() -> int:
        if state["sigint"]:
            return 1
        return 1 if time_limit is not None and time.monotonic() - started > time_limit else 0

    conn.set_progress_handler(progress, 2000)
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "interrupt" in str(exc).lower():
            raise SearchInterrupted(not state["sigint"], time.monotonic() - started) from None
        raise
    finally:
        conn.set_progress_handler(None, 0)
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    elapsed = time.monotonic() - started
    if state["sigint"]:  # arrived between statements
        raise SearchInterrupted(False, elapsed)
    if time_limit is not None and elapsed > time_limit:  # over the limit in Python code between statements
        raise SearchInterrupted(True, elapsed)


def search(conn: sqlite3.Connection, q: SearchQuery) -> list[dict[str, Any]]:
    """Ranked documents for a query and/or filters. Each hit: rank, score, number, doc_type, issuer, date,
    subject, path, sha256, and (for text queries) ``snippet``/``subject_highlight`` with MARK_START/MARK_END.

    Two steps: rank ids (bm25 candidates re-scored, see the module doc), then fetch the details and snippets
    of the page shown. Raises :class:`QueryError` for a bad query, :class:`SearchInterrupted` when stopped."""
    return search_page(conn, q)["hits"]


def search_page(conn: sqlite3.Connection, q: SearchQuery, facets: bool = False) -> dict[str, Any]:
    """:func:`search` plus ``total`` (matches; ``total_exact`` False when it is a floor), ``facets`` (counts by type, issuer,
    year, family, format, needs review) when asked, and ``dropped`` (query units over MAX_UNITS)."""
    q.check()
    parsed = parse_query(q.text) if q.text and q.text.strip() else ParsedQuery(None, [])
    match = parsed.match
    if q.text and q.text.strip() and match is None:
        raise QueryError(f"nothing searchable in {q.text!r}")
    where, args = _filters(conn, q)
    with _bounded(conn, q.time_limit):
        try:
            ranked = _ranked(conn, q, parsed, where, args)
            out: dict[str, Any] = {"hits": _hits(conn, q, match, ranked), "dropped": parsed.dropped}
            if facets:
                out["total"], out["total_exact"], out["facets"] = _facets(conn, match, where, args)
        except sqlite3.OperationalError as exc:
            low = str(exc).lower()
            if "fts5" in low or "syntax" in low:
                raise QueryError(f"cannot search for {q.text!r}: {exc}") from None
            raise
    return out


def _ranked(conn: sqlite3.Connection, q: SearchQuery, parsed: ParsedQuery, where: list[str],
            args: list[Any]) -> list[tuple[int, float | None]]:
    cond = (" AND " + " AND ".join(where)) if where else ""
    match = parsed.match
    if not match or q.sort != "relevance":
        order = "d.date IS NULL, d.date ASC, d.id" if q.sort == "date_asc" else "d.date IS NULL, d.date DESC, d.id"
        if match:
            sql = (f"SELECT d.id, NULL FROM documents d WHERE d.id IN (SELECT rowid FROM documents_fts WHERE "
                   f"documents_fts MATCH ?){cond} ORDER BY {order} LIMIT ? OFFSET ?")
            return conn.execute(sql, [match, *args, q.limit, q.offset]).fetchall()
        sql = f"SELECT d.id, NULL FROM documents d WHERE 1{cond} ORDER BY {order} LIMIT ? OFFSET ?"
        return conn.execute(sql, [*args, q.limit, q.offset]).fetchall()
    need = q.offset + q.limit
    window = max(CANDIDATES, need)
    cq = SearchQuery(**{**q.__dict__, "limit": window, "offset": 0})
    candidates = _rank_windowed(conn, cq, parsed, where, args)
    if candidates is None:  # very selective filters: join in one query
        boost = ""
        if parsed.numbers:
            boost = f" - 1000.0 * (d.number_key IN ({', '.join('?' * len(parsed.numbers))}))"
        sql = (f"SELECT d.id, {_BM25}{boost} AS score FROM documents_fts "
               f"JOIN documents d ON d.id = documents_fts.rowid WHERE documents_fts MATCH ?{cond} "
               f"ORDER BY score LIMIT ?")
        candidates = conn.execute(sql, [*parsed.numbers, match, *args, window]).fetchall()
    # documents holding the whole query as a phrase in a short field may sit beyond the bm25 window
    # (skipped for broad queries: the phrase search walks every match's positions, and a document holding
    # the whole query in a short field is then in the bm25 window anyway)
    if len(parsed.words) > 1 and _df(conn, match, max(_doc_count(conn), 1)) < PHRASE_SCAN_MAX:
        extra = _field_phrase_ids(conn, parsed, window)
        have = {c[0] for c in candidates}
        extra = [i for i in extra if i not in have]
        if extra and where:
            ids = ", ".join(str(int(i)) for i in extra)
            keep = {r[0] for r in conn.execute(f"SELECT d.id FROM documents d WHERE d.id IN ({ids}){cond}", args)}
            extra = [i for i in extra if i in keep]
        if extra:
            ids = ", ".join(str(int(i)) for i in extra)
            candidates += conn.execute(f"SELECT rowid, {_BM25} FROM documents_fts WHERE documents_fts MATCH ? "
                                       f"AND rowid IN ({ids})", (match,)).fetchall()
    scored = rescore(conn, parsed, candidates)
    return scored[q.offset:need]


def _field_phrase_ids(conn: sqlite3.Connection, parsed: ParsedQuery, limit: int) -> list[int]:
    phrase = _phrase(list(parsed.words))
    return [r[0] for r in conn.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? LIMIT ?",
                                       ("{numbers subject issuer people} : " + phrase, limit))]


def _idf(n_docs: int, df: int) -> float:
    """BM25's IDF in the form that stays positive for a word found in most documents (Lucene's)."""
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


def _doc_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT max(doc_id) FROM texts").fetchone()[0] or 0


_DF_CACHE: dict[tuple[str, int, str], int] = {}


def _df(conn: sqlite3.Connection, expression: str, n_docs: int) -> int:
    """Documents matching one unit (capped at FACET_SAMPLE: the IDF barely moves beyond it); cached per
    archive state."""
    key = (_db_key(conn), n_docs, expression)
    if key not in _DF_CACHE:
        if len(_DF_CACHE) > 20_000:
            _DF_CACHE.clear()
        _DF_CACHE[key] = conn.execute("SELECT count(*) FROM (SELECT 1 FROM documents_fts WHERE documents_fts "
                                      "MATCH ? LIMIT ?)", (expression, FACET_SAMPLE)).fetchone()[0]
    return _DF_CACHE[key]


def _db_key(conn: sqlite3.Connection) -> str:
    row = conn.execute("PRAGMA database_list").fetchone()
    return str(row[2]) if row else ""


def _field_tokens(text: str | None) -> list[str]:
    return _WORD.findall(fold(text or "").replace("*", " "))


class _Field:
    """A short field's folded tokens with their positions, so a unit is found without scanning the field."""

    __slots__ = ("tokens", "positions")

    def __init__(self, text: str | None):
        self.tokens = _field_tokens(text)
        self.positions: dict[str, list[int]] = {}
        for i, tok in enumerate(self.tokens):
            self.positions.setdefault(tok, []).append(i)

    def __len__(self) -> int:
        return len(self.tokens)

    def count(self, unit: tuple[str, ...], prefix: bool = False) -> int:
        """How many times the unit's tokens stand in a row (the last one as a prefix if asked)."""
        k = len(unit)
        if prefix:
            starts = [i - (k - 1) for tok, pos in self.positions.items() if tok.startswith(unit[-1]) for i in pos]
        else:
            starts = [i - (k - 1) for i in self.positions.get(unit[-1], ())]
        if k == 1:
            return len(starts)
        toks = self.tokens
        return sum(1 for i in starts if i >= 0 and all(toks[i + j] == unit[j] for j in range(k - 1)))


_EMPTY = _Field(None)


@lru_cache(maxsize=20_000)
def _fields(numbers: str | None, subject: str | None, issuer: str | None, people: str | None, refs: str | None
            ) -> dict[str, _Field]:
    """The short fields of a document, tokenized once per process (keyed by their text: a correction that
    changes a field is a new key)."""
    return {"numbers": _Field(numbers), "subject": _Field(subject), "issuer": _Field(issuer),
            "people": _Field(people), "refs": _Field(refs)}


def rescore(conn: sqlite3.Connection, parsed: ParsedQuery, candidates: list[tuple[int, float]]
            ) -> list[tuple[int, float]]:
    """Fielded BM25 over the short fields (numbers, subject, issuer, signer) with a non-vanishing IDF, plus
    FTS5's bm25 (the body's share) and phrase/proximity boosts; best first. Documents whose own number was
    typed stay first."""
    if not candidates:
        return []
    n_docs = max(_doc_count(conn), 1)
    idfs = [_idf(n_docs, _df(conn, e, n_docs)) for e in parsed.expressions]
    ids = [int(c[0]) for c in candidates]
    fields: dict[int, dict[str, _Field]] = {}
    raw_numbers: dict[int, tuple[str, str]] = {}
    raw: dict[int, dict[str, str]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for row in conn.execute(f"SELECT t.doc_id, t.numbers, t.subject, t.issuer, t.people, d.issuer, "
                                f"d.signer, t.refs FROM texts t JOIN documents d ON d.id = t.doc_id "
                                f"WHERE t.doc_id IN ({', '.join('?' * len(chunk))})", chunk):
            fields[row[0]] = _fields(row[1], row[2], row[3], row[4], row[7])
            raw_numbers[row[0]] = (row[1] or "", row[7] or "")
            raw[row[0]] = {"issuer": row[5] or "", "people": row[6] or ""}
    near: set[int] = set()
    words = parsed.words
    if len(words) > 1 and len(parsed.units) > 1:
        expr = "body : NEAR(" + " ".join(parsed.expressions) + f", {max(3, 2 * len(words))})"
        try:
            # one seek per candidate (rowid = ?): FTS5 would otherwise test NEAR on every match of the words
            for doc_id in ids:
                if conn.execute("SELECT 1 FROM documents_fts WHERE documents_fts MATCH ? AND rowid = ?",
                                (expr, doc_id)).fetchone():
                    near.add(doc_id)
        except sqlite3.OperationalError:  # NEAR takes plain phrases only; d-variant groups are not
            near = set()
    whole = tuple(words)
    out = []
    for doc_id, base in candidates:
        pinned = base is not None and base < -500
        bm = -(base + 1000.0 if pinned else (base or 0.0))
        score = BM25_SCALE * bm
        f = fields.get(doc_id, {})
        for (unit, prefix), idf in zip(parsed.units, idfs, strict=False):
            serial = len(unit) == 1 and unit[0].isdigit()
            for name, weight in FIELD_WEIGHTS.items():
                if serial and name != "refs":
                    continue
                fld = f.get(name, _EMPTY)
                tf = fld.count(unit, prefix)
                if tf:
                    # BM25 saturation with a length norm against a short field's typical length (12 tokens)
                    norm = 1 - 0.75 + 0.75 * len(fld) / 12.0
                    score += idf * weight * tf * (K1 + 1) / (tf + K1 * norm)
        if len(words) > 1:
            for name, boost in PHRASE_BOOST.items():
                if f.get(name, _EMPTY).count(whole):
                    score += boost * sum(idfs) / max(len(idfs), 1)
            r = raw.get(doc_id, {})
            if any(_field_tokens(r.get(k)) == list(whole) for k in ("issuer", "people")):
                score += EXACT_FIELD_BOOST * sum(idfs) / max(len(idfs), 1)
            if doc_id in near:
                score += NEAR_BOOST
        own, cited = raw_numbers.get(doc_id, ("", ""))
        for serial, code in parsed.named:
            if _names_number(own, serial, code) or _names_number(cited, serial, code):
                score += NAMED_BOOST * sum(idfs) / max(len(idfs), 1)
        out.append((doc_id, score + (1000.0 if pinned else 0.0), pinned))
    out.sort(key=lambda t: -t[1])
    return [(d, -s) for d, s, _ in out]


def _hits(conn: sqlite3.Connection, q: SearchQuery, match: str | None, ranked) -> list[dict[str, Any]]:
    hits = []
    for i, (doc_id, score) in enumerate(ranked):
        if score is not None and score < -500:  # ranked first for its own number: report its own score
            score += 1000.0
        r = conn.execute(_DETAILS, (doc_id,)).fetchone()
        hit = {"rank": q.offset + i + 1, "score": round(-score, 4) if score is not None else None,
               "number": r[2], "doc_type": r[3], "doc_type_name": r[4], "issuer": r[5], "issuer_parent": r[6],
               "date": r[7], "subject": r[8], "format": r[9], "path": r[10], "sha256": r[1], "id": r[0],
               "issuer_province": r[11], "year": r[12], "review": r[13].split("; ") if r[13] else [],
               "signer": r[14], "corrected": bool(r[15])}
        if match:
            hit.update(_snippets(conn, match, doc_id))
        hits.append(hit)
    return hits


FACETS = {
    "doc_type": "coalesce(d.doc_type, '?')",
    "issuer": "coalesce(d.issuer, '?') || coalesce(' · ' || d.issuer_province, '')",
    "province": "coalesce(d.issuer_province, '?')",
    "year": "coalesce(CAST(d.year AS TEXT), '?')",
    "family": "coalesce(d.family, '?')",
    "format": "coalesce(d.format, '?')",
    "needs_review": "CASE WHEN d.review IS NULL THEN 'no' ELSE 'yes' END",
}


def _facets(conn: sqlite3.Connection, match: str | None, where: list[str], args: list[Any], top: int = 12
            ) -> tuple[int, bool, dict[str, list[dict[str, Any]]]]:
    """(total, exact, facets): counts by type, issuer, province, year, family, format, needs review over the
    matches (the first FACET_SAMPLE of them for a very broad query): one pass over the matching rows. The
    total is exact unless a filtered query matches more than FACET_SAMPLE documents (then it is a floor)."""
    from collections import Counter

    cond = " AND ".join(where) or "1"
    cols = ", ".join(FACETS.values())
    if match:
        sql = (f"SELECT {cols} FROM documents d WHERE d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts "
               f"MATCH ? LIMIT {FACET_SAMPLE}) AND {cond}")
        params = [match, *args]
    else:
        sql = f"SELECT {cols} FROM documents d WHERE {cond} LIMIT {FACET_SAMPLE}"
        params = list(args)
    rows = conn.execute(sql, params).fetchall()
    total = len(rows)
    exact = True
    if total >= FACET_SAMPLE:  # a broad query: count all matches (cheap without the join), facets stay a sample
        if match and all(w == _CURRENT for w in where):  # (superseded contents are few: counted too)
            total = conn.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?",
                                 (match,)).fetchone()[0]
        else:  # filtered: counting every match would read every matching row; say "at least"
            exact = False
    counters = [Counter(col) for col in zip(*rows, strict=True)] if rows else [Counter() for _ in FACETS]
    out: dict[str, list[dict[str, Any]]] = {}
    for name, c in zip(FACETS, counters, strict=True):
        items = sorted(c.items(), key=(lambda kv: kv[0]) if name == "year" else (lambda kv: (-kv[1], kv[0])),
                       reverse=name == "year")[:top]
        out[name] = [{"key": k, "count": n} for k, n in items]
    return total, exact, out


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
