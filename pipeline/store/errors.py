"""The archive's failure model: one error type whose message is one line naming the database, the translation of
sqlite3/OS errors into it, and the transaction every write goes through (below db, so that the schema's
migration steps and the corrections can use them without importing the connection layer)."""

from __future__ import annotations

import errno
import os
import sqlite3
from contextlib import contextmanager


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
