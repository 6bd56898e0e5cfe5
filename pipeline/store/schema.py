"""The archive's schema, as an ordered list of migrations recorded in ``schema_version``.

A migration is applied inside one transaction together with its ``schema_version`` row, so a database is
always at exactly one version: an interrupted upgrade leaves the previous version intact. Migrations are only
ever appended; an applied migration is never edited.

Tables (see docs/archive.md for every column):

- ``documents``   one row per distinct content (SHA-256): filter columns + the full record JSON
- ``texts``       subject, issuer, body text and folded keys of each document: the content of ``documents_fts``
- ``documents_fts`` FTS5 index over ``texts`` (unicode61, diacritics removed; bm25 ranking)
- ``files``       path → content hash, size, mtime, first/last seen
- ``references``  the citations of each document (one row each, with offsets into the body)
- ``tasks``       action items (flattened, with their parent)
- ``recipients``  Kính gửi / Nơi nhận / Đồng kính gửi
- ``errors``      files that could not be read or extracted (one row per path)
- ``runs``        one row per ``congvan index`` run
- ``corrections`` fields a person corrected (field, old, new, when, who), keyed by content: they survive
                  re-indexing and are applied to ``documents``/``texts``/FTS and the record (v4)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str
    # Python run after ``sql`` in the same transaction (derived columns recomputed from the stored records)
    fn: Callable[[sqlite3.Connection], None] | None = None


_V1_CORE = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running',   -- running | done | interrupted | failed | crashed
    engine TEXT,
    workers INTEGER,
    paths TEXT,                                -- JSON list of the paths given
    files_seen INTEGER NOT NULL DEFAULT 0,
    indexed INTEGER NOT NULL DEFAULT 0,        -- new documents written
    unchanged INTEGER NOT NULL DEFAULT 0,      -- files whose content was already in the archive
    failed INTEGER NOT NULL DEFAULT 0,
    known_errors INTEGER NOT NULL DEFAULT 0,   -- files skipped because they failed before (same content)
    pid INTEGER,
    host TEXT,
    congvan_version TEXT,
    message TEXT
);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    title TEXT,                                -- "Công văn 1856/TLĐ-TG (2024-03-14)": the label Datasette shows
    number TEXT,                               -- as printed, whitespace collapsed
    number_normalized TEXT,                    -- "1856/TLĐ-TG"
    number_key TEXT,                           -- folded, no spaces: "1856/tld-tg" (for --number)
    doc_type TEXT,                             -- CV, KH, QĐ ...
    doc_type_name TEXT,
    issuer TEXT,
    issuer_parent TEXT,
    issuer_code TEXT,                          -- the issuer abbreviation inside the number (LĐLĐ, TW, UBND)
    issuer_keys TEXT,                          -- folded abbreviations and names, space-padded (for --issuer)
    family TEXT,                               -- state | party | union | front | legal ...
    place TEXT,
    date TEXT,                                 -- ISO yyyy-mm-dd
    year INTEGER,
    subject TEXT,
    signer TEXT,
    signer_title TEXT,
    format TEXT,                               -- txt | pdf | docx | doc | html | md
    pages INTEGER,
    ocr INTEGER NOT NULL DEFAULT 0,
    size INTEGER,
    n_references INTEGER NOT NULL DEFAULT 0,
    n_tasks INTEGER NOT NULL DEFAULT 0,
    n_warnings INTEGER NOT NULL DEFAULT 0,
    schema_version TEXT,                       -- the record contract version
    record TEXT NOT NULL,                      -- Dispatch.to_dict() as JSON
    indexed_at TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id)
);
CREATE INDEX documents_date ON documents(date);
CREATE INDEX documents_year ON documents(year);
CREATE INDEX documents_type ON documents(doc_type);
CREATE INDEX documents_issuer ON documents(issuer);
CREATE INDEX documents_number_key ON documents(number_key);

CREATE TABLE files (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL REFERENCES documents(sha256),
    size INTEGER,
    mtime REAL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE INDEX files_sha256 ON files(sha256);

CREATE TABLE "references" (
    doc_id INTEGER NOT NULL REFERENCES documents(id),
    idx INTEGER NOT NULL,
    number TEXT,
    number_key TEXT,
    title TEXT,
    doc_type TEXT,
    date TEXT,
    issuer TEXT,
    relation TEXT,
    via INTEGER,
    "start" INTEGER,
    "end" INTEGER,
    text TEXT,
    PRIMARY KEY (doc_id, idx)
) WITHOUT ROWID;
CREATE INDEX references_number_key ON "references"(number_key);

CREATE TABLE tasks (
    doc_id INTEGER NOT NULL REFERENCES documents(id),
    idx INTEGER NOT NULL,
    task_id TEXT,                              -- "2.1"
    parent_id TEXT,
    text TEXT,
    actors TEXT,                               -- "; "-joined
    deadline_text TEXT,
    deadline_date TEXT,
    recurrence TEXT,
    kind TEXT,
    "start" INTEGER,
    "end" INTEGER,
    PRIMARY KEY (doc_id, idx)
) WITHOUT ROWID;

CREATE TABLE recipients (
    doc_id INTEGER NOT NULL REFERENCES documents(id),
    idx INTEGER NOT NULL,
    kind TEXT NOT NULL,                        -- to | cc | also_to
    name TEXT NOT NULL,
    PRIMARY KEY (doc_id, idx)
) WITHOUT ROWID;

CREATE TABLE errors (
    path TEXT PRIMARY KEY,
    sha256 TEXT,
    stage TEXT,                                -- read | extract | worker
    error TEXT,                                -- error class: EmptyFile, CorruptFile, NotVietnamese ...
    message TEXT,
    attempts INTEGER NOT NULL DEFAULT 1,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id)
);
"""

_V2_FTS = """
CREATE TABLE texts (
    doc_id INTEGER PRIMARY KEY REFERENCES documents(id),
    subject TEXT,
    issuer TEXT,                               -- issuer, parent, abbreviations, as printed (diacritics kept)
    body TEXT,                                 -- the normalized text; record offsets point into it
    numbers TEXT,                              -- the document's own number, folded ("1856/tld-tg")
    refs TEXT,                                 -- numbers of every cited document, folded
    folded TEXT                                -- subject and issuer folded: no diacritics, đ → d
);
CREATE VIRTUAL TABLE documents_fts USING fts5(
    subject, issuer, body, numbers, refs, folded,
    content='texts', content_rowid='doc_id',
    tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO documents_fts(documents_fts, rank) VALUES ('rank', 'bm25(8.0, 4.0, 1.0, 40.0, 4.0, 2.0)');
"""

_V3_VIEWS = """
CREATE VIEW document_files AS
    SELECT f.path, d.number_normalized AS number, d.doc_type, d.issuer, d.date, d.subject, f.size, f.last_seen,
           d.id AS doc_id, d.sha256
    FROM files f JOIN documents d ON d.sha256 = f.sha256;
CREATE VIEW citations AS
    SELECT d.number_normalized AS citing_number, d.issuer AS citing_issuer, d.date AS citing_date,
           r.relation, r.number AS cited_number, r.doc_type AS cited_type, r.date AS cited_date,
           r.issuer AS cited_issuer, c.id AS cited_doc_id, r.doc_id AS citing_doc_id, r.text
    FROM "references" r
    JOIN documents d ON d.id = r.doc_id
    LEFT JOIN documents c ON c.number_key = r.number_key AND r.number_key IS NOT NULL;
"""

# v4: ranking and review. The signer (name, title, authority line) gets its own FTS column ``people``; the
# issuer's province is stored and searchable; the year falls back to the symbol or the dates in the text;
# ``review`` lists why a record needs a person; ``corrections`` holds what people corrected. FTS5 columns
# cannot be added, so the (derived) index is recreated and rebuilt from ``texts``.
_V4_REVIEW = """
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,                      -- the content corrected (documents.sha256)
    path TEXT,                                 -- a file holding it: a changed version of that file inherits
    field TEXT NOT NULL,                       -- number | date | subject | issuer | parent_issuer | doc_type ...
    old TEXT,                                  -- the value before (as extracted, or the previous correction)
    new TEXT,
    at TEXT NOT NULL,                          -- ISO timestamp (UTC)
    who TEXT,
    note TEXT,
    active INTEGER NOT NULL DEFAULT 1          -- 0 once a later correction of the same field replaces it
);
CREATE INDEX corrections_sha256 ON corrections(sha256, field);
CREATE INDEX corrections_path ON corrections(path);
ALTER TABLE documents ADD COLUMN issuer_province TEXT;
ALTER TABLE documents ADD COLUMN year_source TEXT;   -- date | number | text
ALTER TABLE documents ADD COLUMN review TEXT;        -- "; "-joined reasons (number_missing, ocr ...)
CREATE INDEX documents_issuer_province ON documents(issuer_province);
-- covering index for search facets: the columns added above sit after the large `record` column in each row
CREATE INDEX documents_facets ON documents(doc_type, issuer, issuer_province, year, family, format, review, sha256);
CREATE INDEX documents_issuer_keys ON documents(issuer_keys, sha256);   -- --issuer scans this, not the rows
ALTER TABLE texts ADD COLUMN people TEXT;
DROP TABLE documents_fts;
CREATE VIRTUAL TABLE documents_fts USING fts5(
    subject, issuer, body, numbers, refs, folded, people,
    content='texts', content_rowid='doc_id',
    tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO documents_fts(documents_fts, rank) VALUES ('rank', 'bm25(8.0, 4.0, 1.0, 40.0, 4.0, 2.0, 8.0)');
"""


def _refresh_derived(conn: sqlite3.Connection) -> None:
    from .corrections import refresh_all

    refresh_all(conn)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "core tables", _V1_CORE),
    Migration(2, "full-text search", _V2_FTS),
    Migration(3, "views for browsing", _V3_VIEWS),
    Migration(4, "ranking columns, review reasons, corrections", _V4_REVIEW, _refresh_derived),
)

LATEST = MIGRATIONS[-1].version


class SchemaTooNew(Exception):
    """The database was written by a newer congvan."""


def current_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='schema_version'").fetchone()
    if row is None:
        return 0
    value = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    return int(value or 0)


def migrate(conn: sqlite3.Connection, target: int = LATEST) -> list[int]:
    """Bring the database up to ``target``; returns the versions applied. The connection must be in
    autocommit mode (``isolation_level=None``). Safe against concurrent openers: each step re-checks the
    version after taking the write lock."""
    applied: list[int] = []
    version = current_version(conn)
    if version > LATEST:
        raise SchemaTooNew(f"schema version {version} is newer than this congvan understands ({LATEST}); "
                           "upgrade congvan")
    for m in MIGRATIONS:
        if m.version <= version or m.version > target:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                         " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))")
            if current_version(conn) >= m.version:  # another process got there first
                conn.execute("COMMIT")
                continue
            for statement in _statements(m.sql):
                conn.execute(statement)
            if m.fn is not None:
                m.fn(conn)
            conn.execute("INSERT INTO schema_version(version, name) VALUES (?, ?)", (m.version, m.name))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(m.version)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration script into statements (``sqlite3.complete_statement`` keeps triggers whole)."""
    out: list[str] = []
    buf = ""
    for line in sql.splitlines(keepends=True):
        if not buf and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
