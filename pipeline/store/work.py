"""What an extraction worker runs for one file: read, extract, build the archive rows.

Runs in a worker process (local pool) or on a Dask worker; returns plain picklable data and never raises.
Reading and extraction are :func:`pipeline.extract.process_path`, the function behind ``extract_one``, so a
file fails here exactly as it fails there (see docs/design.md, "Failure model").
"""

from __future__ import annotations

import os
import tempfile

from ..errors import classify
from ..extract import process_path
from ..models import ErrorRecord
from ..normalize import normalize
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
    # the same process function as extract_one: one read, one extraction, failures classified where they happen
    # (a failed file is never extracted a second time to learn its error's name)
    text, record = process_path(local, options, name=path_text(path))
    if isinstance(record, ErrorRecord):
        return record
    try:
        return prepare(record, normalize(text.text))
    except Exception as exc:  # a bug in the row builder: still one line, still the batch goes on
        return classify(exc, "store", record.source.path, record.source.sha256)
