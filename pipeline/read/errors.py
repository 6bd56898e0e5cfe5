"""Errors the read stage raises. Each carries a one-line, user-facing message; the CLI prints
``<path>: <ErrorClass>: <message>`` and the batch goes on."""

from __future__ import annotations


class ReadError(Exception):
    """Base class: the file could not be read into text."""

    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path = path
        self.message = message

    @property
    def kind(self) -> str:
        return type(self).__name__


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
