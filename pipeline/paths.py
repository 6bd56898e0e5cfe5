"""File names of any bytes: a lossless text form for storage and a one-line form for display.

POSIX file names are bytes. Python hands names that are not valid UTF-8 (unzipped Windows archives are full of
them) to us as ``str`` holding lone surrogates (PEP 383, ``surrogateescape``); such a string opens the file fine
but cannot be written to UTF-8 (JSON, SQLite, a terminal). Three forms, three uses:

- the *native* path (``str`` with surrogates, or whatever ``os.walk`` gave): only for opening the file;
- :func:`path_text`, the *stored* form: valid UTF-8, lossless (:func:`path_from_text` gives the native path back).
  It is the path itself for every name that is valid UTF-8 and has no backslash (all ordinary names); otherwise
  every undecodable byte is written ``\\xNN`` and a backslash ``\\\\``;
- :func:`display`, the *shown* form: the stored form with control characters (newline, ESC …) escaped too, so one
  error stays one line and a name cannot drive the terminal.
"""

from __future__ import annotations

import os
import re

_NEEDS_ESCAPE = re.compile(r"[\\\udc80-\udcff]")
_UNESCAPE = re.compile(r"\\(\\|x[0-9a-fA-F]{2})")
# C0/C1 controls and DEL, the line/paragraph separators and bidirectional overrides (they reorder what is shown)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def path_text(path: str | bytes | os.PathLike) -> str:
    """The lossless UTF-8 text form of a path (see the module docstring)."""
    p = os.fsdecode(path)
    if os.name == "nt" or not _NEEDS_ESCAPE.search(p):
        return p
    raw = os.fsencode(p)
    out: list[str] = []
    text = raw.decode("utf-8", "surrogateescape")
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif "\udc80" <= ch <= "\udcff":
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        else:
            out.append(ch)
    return "".join(out)


def path_from_text(text: str) -> str:
    """The native path back from :func:`path_text` (ready for ``open``)."""
    if os.name == "nt" or "\\" not in text:
        return text

    def bytes_of(m: re.Match) -> str:
        g = m.group(1)
        return "\\" if g == "\\" else chr(0xDC00 + int(g[1:], 16)) if int(g[1:], 16) >= 0x80 else chr(int(g[1:], 16))

    native = _UNESCAPE.sub(bytes_of, text)
    # normalise: bytes that happen to form valid UTF-8 again become their characters
    return os.fsdecode(os.fsencode(native))


def escape_controls(text: str) -> str:
    """``text`` with control characters written as escapes (``\\n``, ``\\x1b``, ``\\u202e``)."""
    def esc(m: re.Match) -> str:
        c = m.group()
        if c == "\n":
            return "\\n"
        if c == "\r":
            return "\\r"
        if c == "\t":
            return "\\t"
        n = ord(c)
        return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"

    return _CONTROL.sub(esc, text)


def display(path: str | bytes | os.PathLike) -> str:
    """A path as shown in messages and tables: valid UTF-8, one line, no terminal control sequences."""
    return escape_controls(path_text(path))
