"""Pick a reader from the file's content (magic bytes), not from its extension."""

from __future__ import annotations

import zipfile

MAGIC = [
    (b"%PDF-", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"),  # OLE2 compound file (Word 97-2003)
    (b"{\\rtf", "rtf"),
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
    (b"GIF8", "image"),
]


def sniff(head: bytes, path: str | None = None) -> str:
    """Return one of pdf, docx, doc, rtf, zip, image, html, txt, binary."""
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if path is not None:
            try:
                with zipfile.ZipFile(path) as zf:
                    names = set(zf.namelist())
            except (zipfile.BadZipFile, OSError, ValueError):
                return "zip"
            if "word/document.xml" in names:
                return "docx"
        return "zip"
    probe = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in probe[:1024] or b"<body" in probe:
        return "html"
    if _looks_binary(head):
        return "binary"
    return "txt"


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 with BOM is text
    sample = head[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return control / len(sample) > 0.05
