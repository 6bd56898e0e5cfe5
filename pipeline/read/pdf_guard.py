"""Decompression-bomb guard: a bounded pre-scan of a PDF's streams (Flate, LZW, RunLength, behind ASCII
filters) before pdfium inflates anything."""

from __future__ import annotations

import base64
import re
import zlib

from .errors import TooLarge
from .options import ReadOptions

_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/\w+)")
_NAME = re.compile(rb"/(\w+)")
_EXPANDING = {b"FlateDecode", b"Fl", b"LZWDecode", b"LZW", b"RunLengthDecode", b"RL"}
_ASCII = {b"ASCIIHexDecode", b"AHx", b"ASCII85Decode", b"A85"}
_STEP = 65536


def _ascii_decode(name: bytes, raw: bytes) -> bytes | None:
    """ASCIIHex/ASCII85 (they only shrink data), so a compressing filter behind them can be measured."""
    import binascii

    try:
        if name in (b"ASCIIHexDecode", b"AHx"):
            body = re.sub(rb"\s", b"", raw.split(b">", 1)[0])
            return binascii.unhexlify(body + b"0" * (len(body) % 2))
        body = re.sub(rb"\s", b"", raw.split(b"~>", 1)[0])
        return base64.a85decode(body[2:] if body.startswith(b"<~") else body)
    except (ValueError, binascii.Error):
        return None


def flate_size(data: bytes, start: int, cap: int) -> int:
    """Bytes a Flate stream at ``data[start:]`` inflates to, counted in 4 MB steps, stopping past ``cap``."""
    dec = zlib.decompressobj()
    pos, size = start, 0
    try:
        while not dec.eof and pos < len(data):
            buf = data[pos:pos + _STEP]
            pos += _STEP
            while buf:
                size += len(dec.decompress(buf, 1 << 22))
                if size > cap or dec.eof:
                    return size
                buf = dec.unconsumed_tail
    except zlib.error:
        pass  # encrypted or damaged stream: pdfium decides
    return size


def run_length_size(data: bytes, start: int, cap: int) -> int:
    """Decoded size of a RunLengthDecode stream (a length byte n: n+1 literal bytes, or 257-n repeats)."""
    pos, size, end = start, 0, len(data)
    while pos < end and size <= cap:
        n = data[pos]
        if n == 128:
            break
        if n < 128:
            size += n + 1
            pos += n + 2
        else:
            size += 257 - n
            pos += 2
    return size


def lzw_size(data: bytes, start: int, cap: int, early_change: int = 1) -> int:
    """Decoded size of an LZWDecode stream, tracking only the length of each table entry (PDF 32000 §7.4.4:
    9- to 12-bit codes, 256 clears the table, 257 ends the data, widths change one code early by default)."""
    lengths = [1] * 256 + [0, 0]
    next_code, width = 258, 9
    prev = -1  # length of the previous code's string; -1 right after a clear
    bits = nbits = size = 0
    pos, end = start, len(data)
    while size <= cap:
        while nbits < width:
            if pos >= end:
                return size
            bits = (bits << 8) | data[pos]
            pos += 1
            nbits += 8
        nbits -= width
        code = (bits >> nbits) & ((1 << width) - 1)
        bits &= (1 << nbits) - 1
        if code == 256:
            del lengths[258:]
            next_code, width, prev = 258, 9, -1
            continue
        if code == 257:
            break
        if code < next_code:
            n = lengths[code]
        elif code == next_code and prev > 0:
            n = prev + 1
        else:
            break  # damaged: pdfium stops there too
        if prev > 0 and next_code < 4096:
            lengths.append(prev + 1)
            next_code += 1
            if next_code + early_change >= (1 << width) and width < 12:
                width += 1
        prev = n
        size += n
    return size


def _stream_size(data: bytes, start: int, head: bytes, cap: int) -> int:
    m = _FILTER.search(head)
    if m is None:
        return 0
    names = _NAME.findall(m.group(1))
    k = 0
    while k < len(names) and names[k] in _ASCII:
        k += 1
    if k == len(names) or names[k] not in _EXPANDING:
        return 0
    if k:  # the compressed bytes sit behind ASCII filters: decode those first (bounded by the file size)
        raw = data[start:start + _stream_length(data, start)]
        for name in names[:k]:
            decoded = _ascii_decode(name, raw)
            if decoded is None:
                return 0
            raw = decoded
        data, start = raw, 0
    name = names[k]
    if name in (b"FlateDecode", b"Fl"):
        return flate_size(data, start, cap)
    if name in (b"RunLengthDecode", b"RL"):
        return run_length_size(data, start, cap)
    early = 0 if re.search(rb"/EarlyChange\s+0", head) else 1
    return lzw_size(data, start, cap, early)


def _stream_length(data: bytes, start: int) -> int:
    end = data.find(b"endstream", start)
    return (end if end >= 0 else len(data)) - start


def check_streams(path: str, options: ReadOptions) -> None:
    """Measure what every compressed stream (except images) decodes to, without keeping the output.

    pdfium decodes a content stream whole before parsing it: a 1 MB stream of zeros becomes 1 GB of RAM.
    Flate streams are inflated in 4 MB steps into a counter, LZW and RunLength streams are decoded as lengths
    only, and ASCIIHex/ASCII85 in front of them are undone first; a file whose streams decode past
    ``options.max_unzipped_bytes`` raises TooLarge. Images are skipped (their decoded size is bounded by their
    pixel size, checked before rendering).
    """
    with open(path, "rb") as fh:
        data = fh.read(options.max_bytes + 1)
    cap = options.max_unzipped_bytes
    total = 0
    for m in _STREAM.finditer(data):
        head = data[max(0, m.start() - 4096):m.start()]
        k = head.rfind(b" obj")
        head = head[k:] if k >= 0 else head[-1024:]
        if b"/Image" in head or b"/Filter" not in head:
            continue
        total += _stream_size(data, m.end(), head, cap - total)
        if total > cap:
            raise TooLarge(path, f"a PDF stream decodes past {cap / 1e6:.0f} MB (decompression bomb?)")


# --------------------------------------------------------------------------------------------
# The reader
# --------------------------------------------------------------------------------------------
