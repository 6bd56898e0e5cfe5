"""Opening the archive: WAL, busy timeout, migrations, the index lock, and one-line errors.

Every failure that a user can cause (a missing, read-only, locked, foreign or full database) is raised as
:class:`ArchiveError` whose ``str()`` is one line naming the database file.
"""

from __future__ import annotations

import errno
import os
import socket
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

from .schema import LATEST, SchemaTooNew, migrate

DEFAULT_BUSY_TIMEOUT = 10.0


class ArchiveError(Exception):
    """A problem with the archive database; ``str(exc)`` is one line that names the file."""

    def __init__(self, db: str | os.PathLike, message: str):
        self.db = str(db)
        self.message = message
        super().__init__(f"{self.db}: {message}")


class ArchiveLocked(ArchiveError):
    """Another ``congvan index`` holds the writer lock."""


def explain(db: str | os.PathLike, exc: BaseException) -> ArchiveError:
    """Turn an sqlite3/OS exception into a one-line ArchiveError."""
    if isinstance(exc, ArchiveError):
        return exc
    text = str(exc)
    low = text.lower()
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC or "disk is full" in low or "disk full" in low:
        return ArchiveError(db, "disk full while writing; the unfinished batch was rolled back, "
                                "free some space and rerun to resume")
    if "readonly" in low or "read-only" in low or (isinstance(exc, OSError) and exc.errno in (errno.EROFS,
                                                                                               errno.EACCES)):
        return ArchiveError(db, "database is read-only (no write permission on the file or its folder)")
    if "locked" in low or "busy" in low:
        return ArchiveError(db, "database is locked by another program; close it or retry later")
    if "not a database" in low or "malformed" in low or "file is encrypted" in low:
        return ArchiveError(db, f"not a congvan archive or damaged ({text})")
    if "unable to open" in low:
        return ArchiveError(db, "cannot open the database file (missing folder or no permission)")
    if "no such table" in low:
        return ArchiveError(db, f"not a congvan archive ({text})")
    return ArchiveError(db, f"{type(exc).__name__}: {text}")


def _configure(conn: sqlite3.Connection, busy_timeout: float, readonly: bool) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    if not readonly:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"cannot switch to WAL journal (got {mode})")
        # WAL + NORMAL: a committed batch survives a process crash (kill -9); only power loss can lose the
        # last batches, and never corrupts the file.
        conn.execute("PRAGMA synchronous = NORMAL")
    else:
        conn.execute("PRAGMA query_only = ON")


def check_location(db: str | os.PathLike) -> None:
    """Refuse a database path that cannot work (a folder, a missing folder) before anything is created."""
    path = Path(db)
    if path.is_dir():
        raise ArchiveError(db, "is a folder, not a database file")
    if not path.exists() and not path.parent.exists():
        raise ArchiveError(db, f"folder {path.parent} does not exist")


def open_db(db: str | os.PathLike, *, readonly: bool = False, create: bool = True,
            busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> sqlite3.Connection:
    """Open (and create or upgrade) the archive. ``readonly`` connections never create or migrate anything.

    The connection is in autocommit mode: callers use explicit BEGIN/COMMIT (see writer.Writer)."""
    path = Path(db)
    exists = path.exists()
    if not exists and (readonly or not create) and not path.is_dir():
        raise ArchiveError(db, "no such archive (create it with `congvan index FOLDER --db "
                               f"{db}`)")
    check_location(db)
    try:
        if readonly:
            conn = _open_readonly(path, busy_timeout)
        else:
            if exists and not os.access(path, os.W_OK):
                raise ArchiveError(db, "database is read-only (no write permission on the file)")
            if not os.access(path.parent, os.W_OK):
                raise ArchiveError(db, f"database is read-only (cannot write in folder {path.parent})")
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            _configure(conn, busy_timeout, readonly=False)
            migrate(conn)
    except ArchiveError:
        raise
    except SchemaTooNew as exc:
        raise ArchiveError(db, str(exc)) from None
    except (sqlite3.Error, OSError) as exc:
        raise explain(db, exc) from None
    return conn


def _open_readonly(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """A reader: never creates files, never migrates. Falls back to ``mode=ro`` when the file is not writable."""
    from .schema import current_version

    try:
        if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        else:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                                   check_same_thread=False)
        _configure(conn, busy_timeout, readonly=True)
        version = current_version(conn)
    except sqlite3.Error as exc:
        raise explain(path, exc) from None
    if version == 0:
        conn.close()
        raise ArchiveError(path, "not a congvan archive (no schema_version table)")
    if version > LATEST:
        conn.close()
        raise ArchiveError(path, f"schema version {version} is newer than this congvan understands ({LATEST}); "
                                 "upgrade congvan")
    if version < LATEST:
        conn.close()
        raise ArchiveError(path, f"archive schema is version {version}; run `congvan index --db {path}` once "
                                 f"to upgrade it to {LATEST}")
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection, db: str | os.PathLike = "archive"):
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error (a half-written batch never survives)."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise explain(db, exc) from None
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        if isinstance(exc, sqlite3.Error | OSError):
            raise explain(db, exc) from None
        raise


class IndexLock:
    """One writer per archive: an exclusive ``flock`` on ``<db>.lock``.

    The kernel releases it when the process dies (kill -9 included), so a crashed run never leaves a stale
    lock. ``wait`` seconds are spent retrying before :class:`ArchiveLocked` is raised.
    """

    def __init__(self, db: str | os.PathLike, wait: float = 0.0):
        self.db = str(db)
        self.path = self.db + ".lock"
        self.wait = wait
        self._fd: int | None = None

    def acquire(self) -> IndexLock:
        try:
            import fcntl
        except ImportError:  # Windows: no flock; SQLite's own locking still prevents corruption
            return self
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise explain(self.db, exc) from None
        deadline = time.monotonic() + max(self.wait, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = self._holder(fd)
                    os.close(fd)
                    who = f" (pid {holder})" if holder else ""
                    hint = "wait for it to finish or pass --wait SECONDS" if self.wait <= 0 else \
                        f"still busy after waiting {self.wait:g} s"
                    raise ArchiveLocked(self.db, f"another `congvan index`{who} is writing to this archive; "
                                                 f"{hint}") from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {socket.gethostname()}\n".encode())
        self._fd = fd
        return self

    @staticmethod
    def _holder(fd: int) -> str | None:
        try:
            data = os.pread(fd, 200, 0).decode("utf-8", "replace").split()
            return data[0] if data else None
        except OSError:
            return None

    def release(self) -> None:
        if self._fd is not None:
            try:
                os.ftruncate(self._fd, 0)
            except OSError:
                pass
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None

    def __enter__(self) -> IndexLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
