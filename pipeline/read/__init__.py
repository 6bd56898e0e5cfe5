"""The read stage: ``read(path) -> Text``.

The reader is chosen from the file's content (magic bytes), never from its extension, so a
PDF saved as ``.txt`` or a DOCX renamed ``.doc`` is still read correctly. Every failure is a
:class:`ReadError` with a one-line message; nothing else escapes.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import stat
from pathlib import Path

from ..models import Source, Text
from ..paths import path_text
from .errors import (
    CorruptFile,
    EmptyFile,
    EncryptedFile,
    NoText,
    NotVietnamese,
    ReadError,
    ReadTimeout,
    TooLarge,
    Unreadable,
    UnsupportedFormat,
)
from .options import ReadOptions
from .sniff import sniff

__all__ = [
    "read",
    "read_bytes_as_text",
    "ReadOptions",
    "ReadError",
    "EmptyFile",
    "UnsupportedFormat",
    "CorruptFile",
    "EncryptedFile",
    "TooLarge",
    "NotVietnamese",
    "NoText",
    "ReadTimeout",
    "Unreadable",
    "sha256_file",
    "SUPPORTED_SUFFIXES",
]

# kind (from sniff) -> "module:function"; each function takes (path, source, options) -> Text
READERS = {
    "txt": "txt:read_txt",
    "docx": "docx:read_docx",
    "pdf": "pdf:read_pdf",
    "doc": "doc:read_doc",
    "rtf": "doc:read_doc",
    "html": "html:read_html",
    "image": "ocr:read_image",
}

# Suffixes a folder walk picks up (content still decides the reader).
from .files import SUPPORTED_SUFFIXES, iter_files  # noqa: E402,F401  (one walker, one suffix list)

SOURCE_FORMAT = {"txt": "txt", "docx": "docx", "pdf": "pdf", "doc": "doc", "rtf": "doc", "html": "html",
                 "image": "pdf"}


def sha256_file(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read(path: str | os.PathLike, options: ReadOptions | None = None) -> Text:
    """Read any supported file into NFC text. Raises ReadError (one-line message) on failure."""
    options = options or ReadOptions()
    p = str(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise Unreadable(p, "file not found (deleted or moved?)") from None
    except PermissionError:
        raise Unreadable(p, "permission denied") from None
    except OSError as exc:
        raise Unreadable(p, f"cannot stat file: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise Unreadable(p, "is a directory")
    if not stat.S_ISREG(st.st_mode):  # a FIFO would block the read, /dev/zero never ends: both have size 0
        raise Unreadable(p, "not a regular file (a device, FIFO or socket)")
    if st.st_size == 0:
        raise EmptyFile(p, "file is empty (0 bytes)")
    if st.st_size > options.max_bytes:
        raise TooLarge(p, f"file is {st.st_size / 1e6:.0f} MB, over the {options.max_bytes / 1e6:.0f} MB limit "
                          "(raise --max-mb to read it)")
    try:
        with open(p, "rb") as fh:
            head = fh.read(8192)
        digest = sha256_file(p)
    except PermissionError:
        raise Unreadable(p, "permission denied") from None
    except OSError as exc:
        raise Unreadable(p, f"cannot read file: {exc.strerror or exc}") from None

    kind = sniff(head, p)
    if kind in ("binary", "zip"):
        what = "a ZIP archive that is not a Word document" if kind == "zip" else "binary data of no known format"
        raise UnsupportedFormat(p, f"content is {what}")
    target = READERS.get(kind)
    if target is None:
        raise UnsupportedFormat(p, f"no reader for {kind} content")
    module_name, func_name = target.split(":")
    try:
        module = importlib.import_module(f".{module_name}", __name__)
    except ImportError as exc:
        raise UnsupportedFormat(p, f"the {kind} reader is not available: {exc}") from None
    # the record carries the lossless UTF-8 text form of the name (bytes that are not UTF-8 as \xNN); the
    # readers get the native path to open
    source = Source(path=path_text(p), sha256=digest, format=SOURCE_FORMAT.get(kind, "txt"), size=st.st_size)
    reader = getattr(module, func_name)
    try:
        text = reader(p, source, options)
    except ReadError:
        raise
    except MemoryError:
        raise TooLarge(p, "ran out of memory while reading") from None
    except Exception as exc:  # a reader bug or a library choking on a hostile file: still one line
        raise CorruptFile(p, f"{kind} reader failed: {type(exc).__name__}: {str(exc)[:200]}") from None
    if not text.text.strip():
        raise NoText(p, f"no text found in this {kind} file")
    return text


def read_bytes_as_text(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode bytes of unknown encoding; returns (text, encoding). Used by txt and html readers."""
    from .txt import decode_bytes

    return decode_bytes(data, path)


def display_path(path: str | os.PathLike) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
