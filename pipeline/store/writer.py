"""The single writer: buffers finished work and commits it in batches, one transaction each.

A batch holds whole units only (a document with all its rows and the file rows that point to it; an error
row; a "seen again" file row), so whatever moment the process dies at, the database holds either all of a
unit or none of it. The files table never points at a document that is not there.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .corrections import inherit as inherit_corrections
from .db import explain, transaction
from .rows import DOC_COLUMNS, RECIPIENT_COLUMNS, REFERENCE_COLUMNS, TASK_COLUMNS, TEXT_COLUMNS, PreparedDoc


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class FileSeen:
    path: str
    sha256: str
    size: int | None
    mtime: float | None


@dataclass
class ErrorRow:
    path: str
    sha256: str | None
    stage: str
    error: str
    message: str


@dataclass
class _Batch:
    docs: list[tuple[PreparedDoc, list[FileSeen]]] = field(default_factory=list)
    seen: list[FileSeen] = field(default_factory=list)
    errors: list[ErrorRow] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.docs) + len(self.errors) + len(self.seen) // 20


def _insert(table: str, columns: tuple[str, ...], extra: tuple[str, ...] = ()) -> str:
    cols = extra + columns
    quoted = ", ".join(f'"{c}"' for c in cols)
    return f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join("?" * len(cols))})'


_DOC_SQL = _insert("documents", DOC_COLUMNS + ("indexed_at", "run_id")) + " ON CONFLICT(sha256) DO NOTHING"
_TEXT_SQL = _insert("texts", TEXT_COLUMNS, ("doc_id",))
_FTS_SQL = _insert("documents_fts", TEXT_COLUMNS, ("rowid",))
_REF_SQL = _insert("references", REFERENCE_COLUMNS, ("doc_id",))
_TASK_SQL = _insert("tasks", TASK_COLUMNS, ("doc_id",))
_RECIPIENT_SQL = _insert("recipients", RECIPIENT_COLUMNS, ("doc_id",))
_FILE_SQL = """INSERT INTO files(path, sha256, size, mtime, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT(path) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, mtime = excluded.mtime,
last_seen = excluded.last_seen"""
_ERROR_SQL = """INSERT INTO errors(path, sha256, stage, error, message, attempts, first_seen, last_seen, run_id)
VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)
ON CONFLICT(path) DO UPDATE SET sha256 = excluded.sha256, stage = excluded.stage, error = excluded.error,
message = excluded.message, attempts = errors.attempts + 1, last_seen = excluded.last_seen, run_id = excluded.run_id"""


class Writer:
    """Owns the archive's write connection during a run. Not thread-safe: one writer, one thread."""

    def __init__(self, conn: sqlite3.Connection, db: str, run_id: int | None, batch_size: int = 200,
                 commit_seconds: float = 2.0):
        self.conn = conn
        self.db = db
        self.run_id = run_id
        self.batch_size = max(1, batch_size)
        self.commit_seconds = commit_seconds
        self._batch = _Batch()
        self._pending_shas: set[str] = set()
        self._last_commit = time.monotonic()
        self.committed_docs = 0
        self.commits = 0

    # -- lookups (see uncommitted work too) ---------------------------------------------------------------
    def has_document(self, sha256: str) -> bool:
        return self.document_run(sha256) is not False

    def document_run(self, sha256: str) -> int | None | bool:
        """The run that stored this content (None if unknown), or False when it is not in the archive."""
        if sha256 in self._pending_shas:
            return self.run_id
        try:
            row = self.conn.execute("SELECT run_id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        except sqlite3.Error as exc:
            raise explain(self.db, exc) from None
        return False if row is None else row[0]

    def known_error(self, path: str, sha256: str) -> bool:
        """True when this path already failed with this very content."""
        try:
            row = self.conn.execute("SELECT 1 FROM errors WHERE path = ? AND sha256 = ?", (path, sha256)).fetchone()
        except sqlite3.Error as exc:
            raise explain(self.db, exc) from None
        return row is not None

    # -- buffering ---------------------------------------------------------------------------------------
    def add_document(self, doc: PreparedDoc, files: list[FileSeen]) -> None:
        if doc.sha256 in self._pending_shas:
            self._batch.seen.extend(files)
        else:
            self._pending_shas.add(doc.sha256)
            self._batch.docs.append((doc, files))
        self._maybe_flush()

    def add_seen(self, seen: FileSeen) -> None:
        self._batch.seen.append(seen)
        self._maybe_flush()

    def add_error(self, error: ErrorRow) -> None:
        self._batch.errors.append(error)
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if len(self._batch) >= self.batch_size or time.monotonic() - self._last_commit >= self.commit_seconds:
            self.flush()

    def flush(self) -> None:
        """Commit everything buffered in one transaction (or nothing, if it fails)."""
        batch = self._batch
        if not (batch.docs or batch.seen or batch.errors):
            self._last_commit = time.monotonic()
            return
        stamp = now_iso()
        with transaction(self.conn, self.db) as c:
            for doc, files in batch.docs:
                self._write_doc(c, doc, stamp)
                for f in files:
                    c.execute(_FILE_SQL, (f.path, doc.sha256, f.size, f.mtime, stamp, stamp))
            if batch.docs:
                c.executemany("DELETE FROM errors WHERE path = ?",
                              [(f.path,) for _, files in batch.docs for f in files])
            if batch.seen:
                c.executemany(_FILE_SQL, [(f.path, f.sha256, f.size, f.mtime, stamp, stamp) for f in batch.seen])
                c.executemany("DELETE FROM errors WHERE path = ?", [(f.path,) for f in batch.seen])
            if batch.errors:
                c.executemany(_ERROR_SQL, [(e.path, e.sha256, e.stage, e.error, e.message, stamp, stamp,
                                            self.run_id) for e in batch.errors])
        self.committed_docs += len(batch.docs)
        self.commits += 1
        self._batch = _Batch()
        self._pending_shas.clear()
        self._last_commit = time.monotonic()

    def _write_doc(self, c: sqlite3.Connection, doc: PreparedDoc, stamp: str) -> None:
        cur = c.execute(_DOC_SQL, doc.doc + (stamp, self.run_id))
        if cur.rowcount == 0:  # the same content was stored meanwhile (another path, a changed file)
            return
        doc_id = cur.lastrowid
        c.execute(_TEXT_SQL, (doc_id,) + doc.text)
        c.execute(_FTS_SQL, (doc_id,) + doc.text)
        if doc.references:
            c.executemany(_REF_SQL, [(doc_id,) + r for r in doc.references])
        if doc.tasks:
            c.executemany(_TASK_SQL, [(doc_id,) + t for t in doc.tasks])
        if doc.recipients:
            c.executemany(_RECIPIENT_SQL, [(doc_id,) + r for r in doc.recipients])
        inherit_corrections(c, doc_id, doc.sha256, doc.path)  # a person's corrections survive re-indexing

    def discard(self) -> None:
        """Forget the buffer (used when the run is abandoned after a write failure)."""
        self._batch = _Batch()
        self._pending_shas.clear()


# -- runs ---------------------------------------------------------------------------------------------------

def start_run(conn: sqlite3.Connection, db: str, *, engine: str, workers: int, paths: list[str]) -> int:
    import json
    import os
    import socket

    from .. import __version__

    with transaction(conn, db) as c:
        # A run left 'running' by a process that no longer holds the lock was killed.
        c.execute("UPDATE runs SET status = 'crashed', message = 'process ended without finishing (killed?)' "
                  "WHERE status = 'running'")
        cur = c.execute("INSERT INTO runs(started_at, engine, workers, paths, pid, host, congvan_version) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (now_iso(), engine, workers, json.dumps(paths, ensure_ascii=False), os.getpid(),
                         socket.gethostname(), __version__))
        return int(cur.lastrowid)


def finish_run(conn: sqlite3.Connection, db: str, run_id: int, status: str, counts: dict[str, int],
               message: str | None = None) -> None:
    with transaction(conn, db) as c:
        c.execute("UPDATE runs SET finished_at = ?, status = ?, files_seen = ?, indexed = ?, unchanged = ?, "
                  "failed = ?, known_errors = ?, message = ? WHERE id = ?",
                  (now_iso(), status, counts.get("files_seen", 0), counts.get("indexed", 0),
                   counts.get("unchanged", 0), counts.get("failed", 0), counts.get("known_errors", 0), message,
                   run_id))
