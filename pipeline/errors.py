"""The failure model: one record for "this file could not be turned into a record", one function that builds it.

Every path that handles one file — :func:`pipeline.extract.extract_one`, ``extract --jobs N`` (worker processes),
``congvan index`` (the archive's ``errors`` table) — turns a failure into the same
:class:`~pipeline.models.ErrorRecord` through :func:`classify`, so the same bad file reads the same everywhere:

    <path>: <error>: <message>            e.g.  scan.pdf: NoText: no text layer and OCR is off

- ``stage`` says where it failed: ``read`` (the file; :class:`FileError` subclasses such as ``EmptyFile``),
  ``extract`` (a bug or resource limit in the extractor), ``store`` (building archive rows), ``worker`` (the process
  running the file died or ran past the time limit: :func:`worker_failure`).
- ``error`` is the exception's ``kind`` (its class name), the name users and scripts match on.

Problems with the archive itself (locked, damaged, disk full) are not per-file failures: they stay exceptions
(:class:`pipeline.store.errors.ArchiveError`) and stop the command with one line.
"""

from __future__ import annotations

from .models import ErrorRecord

MESSAGE_LIMIT = 300  # characters of an unexpected exception's text kept in the record (one line, bounded)

STAGES = ("read", "extract", "store", "worker")

# Worker failures: the process running the file, not the file's own code, is what failed.
WORKER_CRASHED = "WorkerCrashed"
TIME_LIMIT = "TimeLimit"


class FileError(Exception):
    """Base of the expected, user-facing per-file errors (the read stage's ``ReadError`` family): a one-line
    ``message`` meant for the user, and ``kind`` (the class name) as the error's name."""

    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path = path
        self.message = message

    @property
    def kind(self) -> str:
        return type(self).__name__


# Resource exhaustion has no useful text of its own: say what it means.
_PLAIN_MESSAGES = {
    RecursionError: "text too deeply nested",
    MemoryError: "ran out of memory",
}


def classify(exc: BaseException, stage: str, path: str, sha256: str | None = None) -> ErrorRecord:
    """The :class:`ErrorRecord` for ``exc`` raised while handling ``path`` at ``stage``.

    An expected :class:`FileError` keeps its kind and message; anything else (an extractor bug) is named by its
    class and its text (bounded), so one bad file never stops a batch and never prints a traceback."""
    if isinstance(exc, FileError):
        return ErrorRecord(path=path, stage=stage, error=exc.kind, message=exc.message, sha256=sha256)
    for kind, message in _PLAIN_MESSAGES.items():
        if isinstance(exc, kind):
            return ErrorRecord(path=path, stage=stage, error=kind.__name__, message=message, sha256=sha256)
    message = str(exc)[:MESSAGE_LIMIT] or repr(exc)  # ErrorRecord.line() escapes any newline in it
    return ErrorRecord(path=path, stage=stage, error=type(exc).__name__, message=message, sha256=sha256)


def worker_failure(path: str, error: str, message: str, sha256: str | None = None) -> ErrorRecord:
    """The record for a file whose worker process failed (``WorkerCrashed``, ``TimeLimit``, a result that could
    not travel back, a lost Dask worker): the same shape as any other failure, at stage ``worker``."""
    return ErrorRecord(path=path, stage="worker", error=error, message=message[:MESSAGE_LIMIT], sha256=sha256)
