"""congvan: Vietnamese administrative documents → structured records → citation graph.

Public API::

    from pipeline import extract, extract_text, read
    rec = extract("1244-LDLD.txt")      # -> Dispatch (typed record); rec.to_dict() matches the JSON schema
    refs = find_references("Thực hiện Kế hoạch số 12-KH/TU ngày 05/3/2024 của Tỉnh ủy …")  # -> [Reference]
"""

from __future__ import annotations

# The stage subpackages share names with the API functions below (pipeline.extract is both the
# extract stage and extract()). Import them first so the functions defined afterwards win the
# package attribute; `from pipeline.extract import …` still reaches the subpackage via sys.modules.
from . import extract as _extract_stage  # noqa: F401
from . import read as _read_stage  # noqa: F401
from .models import Dispatch, ErrorRecord, Reference, Task, Text

__all__ = ["extract", "extract_text", "extract_many", "find_references", "read", "Dispatch", "ErrorRecord", "Reference", "Task",
           "Text", "__version__"]
from ._version import __version__  # noqa: E402


def read(path, options=None) -> Text:
    from .read import read as _read

    return _read(path, options)


def extract(path, options=None) -> Dispatch:
    """Read a file (any supported format) and extract its record. Raises ReadError on unreadable input."""
    from .extract import extract_path

    return extract_path(path, options)


def extract_text(text, path: str = "<text>", fmt: str = "txt") -> Dispatch:
    """Extract a record from an already-decoded string (or a ``Text`` from the read stage)."""
    from .extract import extract_from_text

    return extract_from_text(text, path=path, fmt=fmt)


def extract_many(paths, options=None):
    """Yield ``Dispatch`` or ``ErrorRecord`` for each path; one bad file never stops the batch."""
    from .extract import extract_batch

    yield from extract_batch(paths, options)


def find_references(text, own_number: str | None = None) -> list[Reference]:
    """Citations of other documents in any text (a title, a sentence, a page), without a letterhead: typed
    ``Reference`` records with offsets, relation, date, issuer and ``via`` (like eyecite's ``get_citations``)."""
    from .extract.references import find_references as _find

    return _find(text.text if isinstance(text, Text) else text, own_number)
