"""Errors the read stage raises. Each carries a one-line, user-facing message; the CLI prints
``<path>: <ErrorClass>: <message>`` and the batch goes on. :func:`pipeline.errors.classify` turns one into the
file's :class:`~pipeline.models.ErrorRecord` (see docs/design.md, "Failure model")."""

from __future__ import annotations

from ..errors import FileError


class ReadError(FileError):
    """Base class: the file could not be read into text. ``kind`` (the class name) is the error's name."""


class EmptyFile(ReadError):
    pass


class UnsupportedFormat(ReadError):
    pass


class CorruptFile(ReadError):
    pass


class EncryptedFile(ReadError):
    pass


class TooLarge(ReadError):
    pass


class NotVietnamese(ReadError):
    pass


class NoText(ReadError):
    """The file was read but holds no usable text (e.g. a scan without OCR)."""


class ReadTimeout(ReadError):
    pass


class Unreadable(ReadError):
    """Missing file, permission denied, a directory, ..."""
