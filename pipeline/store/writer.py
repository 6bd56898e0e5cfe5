"""The single writer: buffers finished work and commits it in batches, one transaction each.

A batch holds whole units only (a document with all its rows and the file rows that point to it; an error
row; a "seen again" file row), so whatever moment the process dies at, the database holds either all of a
unit or none of it. The files table never points at a document that is not there.
"""

from __future__ import annotations

import sqlite3
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..models import ErrorRecord
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
class _Batch:
    docs: list[tuple[PreparedDoc, list[FileSeen]]] = field(default_factory=list)
    seen: list[FileSeen] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.docs) + len(self.errors) + len(self.seen) // 20


def _insert(table: str, columns: tuple[str, ...], extra: tuple[str, ...] = ()) -> str:
    cols = extra + columns
    quoted = ", ".join(f'"{c}"' for c in cols)
    return f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join("?" * len(cols))})'


_DOC_SQL = _insert("documents", DOC_COLUMNS + ("indexed_at", "run_id"), ("id",))
_MAX_PARAMS = 500  # host parameters per IN (...) lookup, well under SQLite's limit
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
    """Owns the archive's write connection during a run; called from one thread.

    With ``background=True`` the SQLite work of a full batch runs on a thread of its own while the caller
    goes on preparing the next batch (SQLite releases the GIL while it inserts and tokenizes, so on two cores
    the two overlap). At most one batch is in flight: the next hand-off, :meth:`flush` and :meth:`discard`
    wait for it, and an error it met is raised there. Lookups then use a second, read-only connection, which
    sees committed batches; the shas of the buffered and in-flight batches are checked first.
    """

    def __init__(self, conn: sqlite3.Connection, db: str, run_id: int | None, batch_size: int = 200,
                 commit_seconds: float = 2.0, background: bool = False):
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
        self.writer_cpu = 0.0  # CPU seconds spent committing on the background thread
        self._thread: ThreadPoolExecutor | None = None
        self._inflight: Future | None = None
        self._inflight_shas: set[str] = set()
        self._reader = conn
        if background:
            try:
                self._reader = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
                self._reader.execute("PRAGMA busy_timeout = 10000")
                self._reader.execute("PRAGMA query_only = ON")
            except sqlite3.Error as exc:
                raise explain(db, exc) from None
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="congvan-writer")

    def close(self) -> None:
        """Wait for the batch in flight (its error, if any, was or will be raised by flush/discard) and free
        the thread and the reader."""
        if self._thread is not None:
            self._thread.shutdown(wait=True)
            self._thread = None
        if self._reader is not self.conn:
            self._reader.close()
            self._reader = self.conn

    # -- lookups (see uncommitted work too) ---------------------------------------------------------------
    def has_document(self, sha256: str) -> bool:
        return self.document_run(sha256) is not False

    def document_run(self, sha256: str) -> int | None | bool:
        """The run that stored this content (None if unknown), or False when it is not in the archive."""
        if sha256 in self._pending_shas or sha256 in self._inflight_shas:
            return self.run_id
        try:
            row = self._reader.execute("SELECT run_id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        except sqlite3.Error as exc:
            raise explain(self.db, exc) from None
        return False if row is None else row[0]

    def known_error(self, path: str, sha256: str) -> bool:
        """True when this path already failed with this very content."""
        try:
            row = self._reader.execute("SELECT 1 FROM errors WHERE path = ? AND sha256 = ?",
                                       (path, sha256)).fetchone()
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

    def add_error(self, error: ErrorRecord) -> None:
        self._batch.errors.append(error)
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if len(self._batch) >= self.batch_size or time.monotonic() - self._last_commit >= self.commit_seconds:
            if self._thread is None:
                self.flush()
            else:
                self._hand_off()

    def _take(self) -> tuple[_Batch | None, set[str]]:
        batch, shas = self._batch, self._pending_shas
        self._batch, self._pending_shas = _Batch(), set()
        self._last_commit = time.monotonic()
        return (batch if (batch.docs or batch.seen or batch.errors) else None), shas

    def _hand_off(self) -> None:
        self._wait()
        batch, shas = self._take()
        if batch is not None:
            self._inflight_shas = shas
            self._inflight = self._thread.submit(self._commit_timed, batch)

    def _wait(self) -> None:
        """The batch in flight is committed (or its error raised). A Ctrl-C while waiting leaves it in flight,
        to be waited for again: the connection is never used by two threads at once."""
        fut = self._inflight
        if fut is None:
            return
        exc = fut.exception()
        self._inflight = None
        self._inflight_shas = set()
        if exc is not None:
            raise exc

    def flush(self) -> None:
        """Commit everything buffered in one transaction (or nothing, if it fails), and wait for it."""
        self._wait()
        batch, _ = self._take()
        if batch is not None:
            self._commit(batch)

    def _commit_timed(self, batch: _Batch) -> None:
        started = time.thread_time()
        try:
            self._commit(batch)
        finally:
            self.writer_cpu += time.thread_time() - started

    def _commit(self, batch: _Batch) -> None:
        """One transaction for the batch, table by table with one ``executemany`` each (a handful of
        statements per batch, not six per document): document ids are assigned here, under the write lock
        that BEGIN IMMEDIATE holds, so the child rows can be built before the documents are inserted."""
        stamp = now_iso()
        with transaction(self.conn, self.db) as c:
            if batch.docs:
                self._write_docs(c, batch.docs, stamp)
            if batch.seen:
                c.executemany(_FILE_SQL, [(f.path, f.sha256, f.size, f.mtime, stamp, stamp) for f in batch.seen])
                c.executemany("DELETE FROM errors WHERE path = ?", [(f.path,) for f in batch.seen])
            if batch.errors:
                c.executemany(_ERROR_SQL, [(e.path, e.sha256, e.stage, e.error, e.message, stamp, stamp,
                                            self.run_id) for e in batch.errors])
        self.committed_docs += len(batch.docs)
        self.commits += 1

    def _write_docs(self, c: sqlite3.Connection, docs: list[tuple[PreparedDoc, list[FileSeen]]], stamp: str) -> None:
        shas = [doc.sha256 for doc, _ in docs]
        stored: set[str] = set()  # the same content stored meanwhile (another path, a changed file)
        for i in range(0, len(shas), _MAX_PARAMS):
            chunk = shas[i:i + _MAX_PARAMS]
            stored.update(r[0] for r in c.execute(
                f"SELECT sha256 FROM documents WHERE sha256 IN ({','.join('?' * len(chunk))})", chunk))
        next_id = c.execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0]
        doc_rows, text_rows, ref_rows, task_rows, recipient_rows = [], [], [], [], []
        inserted: list[tuple[int, PreparedDoc]] = []
        for doc, _ in docs:
            if doc.sha256 in stored:
                continue
            doc_id = next_id
            next_id += 1
            inserted.append((doc_id, doc))
            doc_rows.append((doc_id,) + doc.doc + (stamp, self.run_id))
            text_rows.append((doc_id,) + doc.text)
            ref_rows.extend((doc_id,) + r for r in doc.references)
            task_rows.extend((doc_id,) + t for t in doc.tasks)
            recipient_rows.extend((doc_id,) + r for r in doc.recipients)
        c.executemany(_DOC_SQL, doc_rows)
        c.executemany(_TEXT_SQL, text_rows)
        c.executemany(_FTS_SQL, text_rows)
        c.executemany(_REF_SQL, ref_rows)
        c.executemany(_TASK_SQL, task_rows)
        c.executemany(_RECIPIENT_SQL, recipient_rows)
        for doc_id, doc in inserted:
            inherit_corrections(c, doc_id, doc.sha256, doc.path)  # a person's corrections survive re-indexing
        files = [f for _, fs in docs for f in fs]
        c.executemany(_FILE_SQL, [(f.path, doc.sha256, f.size, f.mtime, stamp, stamp)
                                  for doc, fs in docs for f in fs])
        c.executemany("DELETE FROM errors WHERE path = ?", [(f.path,) for f in files])

    def discard(self) -> None:
        """Forget the buffer (used when the run is abandoned after a write failure); a batch in flight is
        left to finish (it holds whole units only)."""
        try:
            self._wait()
        except Exception:  # noqa: BLE001 - the failure that made the caller give up, already reported
            pass
        self._batch = _Batch()
        self._pending_shas.clear()


# -- runs ---------------------------------------------------------------------------------------------------

def start_run(conn: sqlite3.Connection, db: str, *, engine: str, workers: int, paths: list[str]) -> int:
    import json
    import os
    import socket

    from .._version import __version__

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
