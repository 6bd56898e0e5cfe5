"""Which files a run reads: one walker for every command (extract, tasks, index, shards), so a folder means the
same files everywhere. Folders are walked in sorted order; hidden files and folders (".git", "._x.pdf" from a
Mac) and files without a supported suffix are skipped; a path given by name is always taken as it is."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".text", ".docx", ".doc", ".rtf", ".pdf", ".html", ".htm",
                                ".xhtml", ".png", ".jpg", ".jpeg", ".tif", ".tiff"})


def supported(name: str) -> bool:
    """A file a folder walk picks up: not hidden, with a suffix a reader handles."""
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in SUPPORTED_SUFFIXES


def iter_files(paths: Iterable[str | os.PathLike], missing: list[str] | None = None, *,
               absolute: bool = False) -> Iterator[str]:
    """The files under ``paths``, streamed: a folder walked recursively, a file as given. Paths that do not exist
    are appended to ``missing`` (when given). ``absolute`` makes every path absolute (the archive's keys)."""
    for p in paths:
        p = os.fspath(p)
        if absolute:
            p = os.path.abspath(p)
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for n in sorted(names):
                    if supported(n):
                        yield os.path.join(root, n)
        elif os.path.lexists(p):
            yield p
        elif missing is not None:
            missing.append(p)
