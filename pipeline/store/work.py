"""What an extraction worker runs for one file: read, extract, build the archive rows.

Runs in a worker process (local pool) or on a Dask worker; returns plain picklable data and never raises.
Failures are classified exactly as :func:`pipeline.extract.extract_one` classifies them.
"""

from __future__ import annotations

import os
import tempfile

from ..models import ErrorRecord
from ..paths import path_text
from .rows import PreparedDoc, prepare


def extract_for_archive(path: str, options=None, data: bytes | None = None) -> PreparedDoc | ErrorRecord:
    """Read and extract ``path``; ``data`` (the file's bytes) lets a remote worker that cannot see the file
    work on a private copy. The record's ``source.path`` is always ``path``."""
    if data is None:
        return _extract(path, path, options)
    suffix = os.path.splitext(path)[1]
    with tempfile.TemporaryDirectory(prefix="congvan-") as tmp:
        local = os.path.join(tmp, "file" + suffix)
        with open(local, "wb") as fh:
            fh.write(data)
        return _extract(local, path, options)


def _extract(local: str, path: str, options) -> PreparedDoc | ErrorRecord:
    from ..extract import check_language, extract_from_text, extract_one
    from ..normalize import normalize
    from ..read import ReadError, read

    name = path_text(path)  # the record and the archive hold the lossless UTF-8 form of the name

    def as_error(rec, sha: str | None) -> ErrorRecord:
        if isinstance(rec, ErrorRecord):
            rec.path = name
            rec.sha256 = rec.sha256 or sha
            return rec
        return ErrorRecord(path=name, stage="extract", error="Flaky", sha256=sha,
                           message="extraction failed once and succeeded on retry; rerun --retry-errors")

    try:
        text = read(local, options)
        if options is None or getattr(options, "require_vietnamese", True):
            check_language(text)
    except ReadError as exc:
        return ErrorRecord(path=name, stage="read", error=exc.kind, message=exc.message)
    except Exception:  # not expected from read(); let extract_one name it
        return as_error(extract_one(local, options), None)
    text.source.path = name
    sha = text.source.sha256
    try:
        record = extract_from_text(text)
    except Exception:
        # extract_one is the single source of truth for how failures are named (RecursionError, ...).
        return as_error(extract_one(local, options), sha)
    try:
        return prepare(record, normalize(text.text))
    except Exception as exc:  # a bug in the row builder: still one line, still the batch goes on
        return ErrorRecord(path=name, stage="store", error=type(exc).__name__, message=str(exc)[:300] or repr(exc),
                           sha256=sha)
