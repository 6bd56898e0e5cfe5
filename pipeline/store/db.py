"""Opening the archive: WAL, busy timeout, migrations, the index lock, and one-line errors.

Every failure that a user can cause (a missing, read-only, locked, foreign or full database) is raised as
:class:`ArchiveError` whose ``str()`` is one line naming the database file.
"""

from __future__ import annotations

import errno
import os
import socket
import sqlite3
import stat
import time
from pathlib import Path

from .errors import ArchiveError, ArchiveLocked, explain, transaction  # noqa: F401  (the archive API)
from .schema import LATEST, SchemaTooNew, migrate

DEFAULT_BUSY_TIMEOUT = 10.0


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
            busy_timeout: float = DEFAULT_BUSY_TIMEOUT, force: bool = False) -> sqlite3.Connection:
    """Open (and create or upgrade) the archive. ``readonly`` connections never create or migrate anything: they
    open the file ``mode=ro`` (``immutable=1`` on a read-only mount or folder, see :func:`_open_readonly`).

    A writer refuses an existing SQLite file that holds tables but is not a congvan archive (another program's
    database) unless ``force``: adding 17 tables and switching it to WAL is not ours to do.

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
            if not force:
                try:
                    _refuse_foreign(conn, db)
                except BaseException:
                    conn.close()
                    raise
            _configure(conn, busy_timeout, readonly=False)
            migrate(conn)
    except ArchiveError:
        raise
    except SchemaTooNew as exc:
        raise ArchiveError(db, str(exc)) from None
    except (sqlite3.Error, OSError) as exc:
        raise explain(db, exc) from None
    return conn


def _refuse_foreign(conn: sqlite3.Connection, db: str | os.PathLike) -> None:
    """An existing SQLite file with tables but no ``schema_version`` is another program's database."""
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                                        "AND name NOT LIKE 'sqlite_%'")]
    if names and "schema_version" not in names:
        shown = ", ".join(names[:3]) + (" …" if len(names) > 3 else "")
        raise ArchiveError(db, f"is another program's SQLite database ({len(names)} table{'s' * (len(names) > 1)}: {shown}), "
                               "not a congvan "
                               "archive; refusing to add tables to it (choose another --db, or --force)")


def readonly_uri(path: str | os.PathLike, immutable: bool = False) -> str:
    """The ``file:`` URI of a read-only connection. ``immutable=1`` tells SQLite the file cannot change while it is
    open: no lock, no ``-shm`` file, so it works on a read-only mount or folder (where ``mode=ro`` on a WAL
    archive fails, since SQLite must create the ``-shm`` file); the price is that a concurrent writer's
    uncommitted WAL frames are not seen, which a read-only location rules out anyway."""
    return f"{Path(path).resolve().as_uri()}?{'immutable=1' if immutable else 'mode=ro'}"


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """``mode=ro`` first; ``immutable=1`` when that cannot open (read-only mount or folder, no ``-shm``)."""
    from .schema import current_version

    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True, isolation_level=None, check_same_thread=False)
        current_version(conn)  # the open is lazy: read once to know it works
        return conn
    except sqlite3.OperationalError as exc:
        low = str(exc).lower()
        if not ("unable to open" in low or "readonly" in low or "read-only" in low or "disk i/o" in low):
            raise
        try:
            conn.close()
        except (NameError, UnboundLocalError, sqlite3.Error):
            pass
    try:
        pending = os.path.getsize(f"{path}-wal") > 0
    except OSError:
        pending = False
    if pending:  # immutable=1 ignores the WAL: answers would silently miss the last committed batches
        raise ArchiveError(path, "cannot open read-only: the archive has committed changes still in its -wal file "
                                 "and its folder is read-only; copy the archive with its -wal file to a writable folder")
    return sqlite3.connect(readonly_uri(path, immutable=True), uri=True, isolation_level=None,
                           check_same_thread=False)


def _open_readonly(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """A reader: never creates files, never migrates, never writes (``mode=ro``, ``immutable=1`` as a fallback)."""
    from .schema import current_version

    try:
        conn = _connect_readonly(path)
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


class IndexLock:
    """One writer per archive: an exclusive ``flock`` on ``<db>.lock``.

    The kernel releases it when the process dies (kill -9 included), so a crashed run never leaves a stale
    lock. ``wait`` seconds are spent retrying before :class:`ArchiveLocked` is raised.
    """

    def __init__(self, db: str | os.PathLike, wait: float = 0.0):
        self.db = str(db)
        # the lock belongs to the file, not to the name: two runs through a symlink and the real path (or
        # ``./a.sqlite`` and ``/abs/a.sqlite``) must meet on the same lock
        self.path = os.path.realpath(self.db) + ".lock"
        self.wait = wait
        self._fd: int | None = None

    def acquire(self) -> IndexLock:
        try:
            import fcntl
        except ImportError:  # Windows: no flock; SQLite's own locking still prevents corruption
            return self
        # O_NOFOLLOW: a symlink planted at the lock path is refused, never followed (the lock is truncated and
        # written, which would clobber its target); O_NONBLOCK: a FIFO planted there cannot hang the open
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | \
            getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(self.path, flags, 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise ArchiveError(self.db, f"lock file {self.path} is a symbolic link; refusing to follow it "
                                            "(remove it if no `congvan index` is running)") from None
            raise explain(self.db, exc) from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise ArchiveError(self.db, f"lock file {self.path} is not a regular file; remove it")
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
