"""Plain text in any encoding: UTF-8 (with or without BOM), UTF-16, Windows-1258, ..."""

from __future__ import annotations

import unicodedata

from ..models import Source, Text
from .errors import CorruptFile, TooLarge
from .legacy import repair, repair_bytes
from .options import ReadOptions


def decode_bytes(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:2_000_000]).best()
    if best is not None and best.encoding not in ("ascii",):
        enc = best.encoding
        try:
            return data.decode(enc, errors="replace"), enc
        except LookupError:
            pass
    # Windows-1258 is the legacy Vietnamese Windows code page; it decodes every byte.
    try:
        return data.decode("cp1258", errors="replace"), "cp1258"
    except Exception as exc:  # pragma: no cover - cp1258 decodes any byte string
        raise CorruptFile(path, f"cannot decode text: {exc}") from None


def read_txt(path: str, source: Source, options: ReadOptions) -> Text:
    with open(path, "rb") as fh:
        data = fh.read(options.max_bytes + 1)
    text, encoding = decode_bytes(data, path)
    legacy = None
    if not encoding.startswith(("utf", "ascii")):
        legacy = repair_bytes(data)  # TCVN3/VNI bytes: charset guessers pick a code page that scrambles them
        if legacy:
            text, encoding = legacy
    if len(text) > options.max_text_chars:
        raise TooLarge(path, f"text has {len(text):,} characters, over the {options.max_text_chars:,} limit")
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text, repaired = repair(text)
    repaired = repaired or (legacy[1] if legacy else None)
    source.format = "md" if path.lower().endswith(".md") else "txt"
    source.encoding = encoding
    warnings = []
    if encoding not in ("utf-8", "utf-8-sig", "ascii") and not legacy:
        warnings.append(f"text decoded as {encoding}")
    if repaired:
        source.encoding_repaired = repaired
        warnings.append(f"legacy {repaired.upper()} text converted to Unicode")
    return Text(text=text, source=source, warnings=warnings)
