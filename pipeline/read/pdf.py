"""PDF reader: text layer with pypdfium2, OCR for scanned pages or a garbled text layer.

Every page's text comes from pdfium's text layer (fast, C). The first page (letterhead: issuer and
"Số" on the left, motto and place/date on the right) and the page holding "Nơi nhận" (copy list on
the left, signature on the right) go through a layout pass on pdfium's character boxes instead, so
the two columns come out as separate blocks in reading order instead of interleaved lines
(spec §12). Annotations on those pages are flattened first: signing software stamps the serial and
the day into widget annotations ("Số: 8151 /BNV-CCHC" has "8151" in a widget in d15).

Running headers/footers (a line repeated at the edge of most pages) and bare page numbers are
dropped. Pages are joined with ``PAGE_SEP`` and ``Text.page_starts`` records where each starts.

Pages without a text layer, or whose text layer is garbled (a broken font table, spec §12 / d16),
are rendered and OCRed by :mod:`pipeline.read.ocr`.

Bounds: more than ``options.max_pages`` pages → TooLarge (only the page count is read); a stream
that inflates past ``options.max_unzipped_bytes`` (a decompression bomb) → TooLarge, found by a
bounded pre-scan before pdfium inflates anything; encrypted files open with the empty user password
(with a warning) or raise EncryptedFile; damaged files raise CorruptFile.
"""

from __future__ import annotations

import base64
import functools
import re
import statistics
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass, field

from ..models import Source, Text
from .errors import CorruptFile, EncryptedFile, NoText, TooLarge, Unreadable
from .options import ReadOptions

PAGE_SEP = "\n\f\n"

# A page with fewer visible characters than this in its text layer counts as having none.
MIN_PAGE_CHARS = 40
# Pages with more characters than this keep pdfium's plain text (the layout pass is Python per char).
LAYOUT_MAX_CHARS = 30_000

# A list label or bullet glued to its first word by pdfium ("b)Điểm", "-Căn cứ"): the page shows a gap.
_GLUED_LABEL = re.compile(r"^(\s*(?:[a-zđ]\)|\d{1,2}\)|[-+•–]))(?=[^\W\d_])")


# --------------------------------------------------------------------------------------------
# Layout: words with boxes → visual lines → column blocks (shared with the OCR reader)
# --------------------------------------------------------------------------------------------


@dataclass
class Word:
    """A word with its box in top-down coordinates (``top < bottom``), any unit."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def h(self) -> float:
        return max(self.bottom - self.top, 1e-6)

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Line:
    words: list[Word] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def height(self) -> float:
        hs = [w.h for w in self.words]
        return max(statistics.median(hs), 0.6 * max(hs))

    def chunks(self, gap: float = 1.5) -> list[list[Word]]:
        """Runs of words separated by a horizontal gap wider than ``gap`` × line height."""
        out: list[list[Word]] = []
        limit = gap * self.height
        for w in self.words:
            if out and w.x0 - out[-1][-1].x1 <= limit:
                out[-1].append(w)
            else:
                out.append([w])
        return out


def _chunk_text(chunk: list[Word]) -> str:
    """Words joined by a space, except pieces that touch (a superscript and what follows it)."""
    parts = [chunk[0].text]
    for prev, w in zip(chunk, chunk[1:], strict=False):
        parts.append(w.text if _touching(prev, w) else " " + w.text)
    return "".join(parts)


def _line_text(line: Line) -> str:
    return _GLUED_LABEL.sub(r"\1 ", "   ".join(_chunk_text(c) for c in line.chunks()))


def build_lines(fragments: list[list[Word]], split_jumps: bool = True) -> list[Line]:
    """Merge text fragments (a pdfium text line, a tesseract line) into visual lines, top to bottom.

    Fragments that share a baseline band and do not overlap horizontally (the two columns of a
    letterhead, a widget stamped into a blank) become one visual line, words sorted by x.
    """
    frags: list[list[Word]] = []
    for frag in fragments:
        cur: list[Word] = []
        for w in frag:
            if split_jumps and cur and abs(w.yc - cur[-1].yc) > 0.5 * min(w.h, cur[-1].h):
                frags.append(cur)
                cur = []
            cur.append(w)
        if cur:
            frags.append(cur)
    frags.sort(key=lambda f: min(w.top for w in f))
    lines: list[Line] = []
    for frag in frags:
        ftop = min(w.top for w in frag)
        fbot = max(w.bottom for w in frag)
        for line in reversed(lines[-8:]):
            ltop, lbot = line.top, line.bottom
            overlap = min(fbot, lbot) - max(ftop, ltop)
            if overlap >= 0.5 * min(fbot - ftop, lbot - ltop) and not _x_overlap(frag, line.words):
                line.words.extend(frag)
                break
        else:
            lines.append(Line(list(frag)))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
        line.words = _merge_touching(line.words)
    lines.sort(key=lambda ln: (ln.top + ln.bottom) / 2)
    return lines


def _touching(prev: Word, w: Word) -> bool:
    return w.x0 - prev.x1 < 0.1 * min(w.h, prev.h) and abs(w.bottom - prev.bottom) < min(w.h, prev.h)


def _merge_touching(words: list[Word]) -> list[Word]:
    """Merge words (sorted by x) whose boxes touch into one word.

    LibreOffice draws letters missing from the main font (ơ ư ậ ộ ỉ from DejaVuSerif when Times New Roman is
    absent) as separate text objects, and pdfium lists them after the rest of their line: "N i nh n: ơ ậ".
    Sorted by x, the pieces of a word touch; merged, they read "Nơi nhận:" again.
    """
    out: list[Word] = []
    for w in words:
        if out and _touching(out[-1], w) and w.x0 > out[-1].x0:
            p = out[-1]
            out[-1] = Word(unicodedata.normalize("NFC", p.text + w.text), p.x0, max(p.x1, w.x1),
                           min(p.top, w.top), max(p.bottom, w.bottom))
        else:
            out.append(w)
    return out


def _x_overlap(a: list[Word], b: list[Word]) -> bool:
    if len(a) * len(b) > 100_000:  # a pathological page: do not merge, do not spend minutes deciding
        return True
    for u in a:
        for v in b:
            if min(u.x1, v.x1) - max(u.x0, v.x0) > 0.3 * min(u.x1 - u.x0, v.x1 - v.x0, u.h):
                return True
    return False


_KINH_GUI = re.compile(r"^\W*kính\s*gửi", re.I)
# also as OCR misreads it in small italics ("Noi nhận:", "Nơi nhậu:"); ocrfix restores the words afterwards
_NOI_NHAN = re.compile(r"^\W*(?:nơi\s*nhận|n[ơoóòở]i\s*nh[âậaạấầ][nu]\s*:)", re.I)


def _header_zone(lines: list[Line], width: float) -> tuple[int, float] | None:
    """(number of lines in the two-column letterhead, x where the right column starts), or None."""
    pairs = []  # (line index, left end, right start)
    for i, line in enumerate(lines[:6]):
        if i and line.top - lines[i - 1].bottom > 3 * line.height:
            break  # the letterhead is one compact band at the top
        chunks = line.chunks()
        best = None
        for j in range(len(chunks) - 1):
            left_end = max(w.x1 for w in chunks[j])
            right_start = chunks[j + 1][0].x0
            if right_start >= 0.35 * width and left_end <= 0.65 * width:
                if best is None or right_start - left_end > best[2] - best[1]:
                    best = (i, left_end, right_start)
        if best:
            pairs.append(best)
    if not pairs or pairs[0][0] > 2:
        return None
    split = min(p[2] for p in pairs)
    if max(p[1] for p in pairs) >= split:
        split = pairs[0][2]
    split -= 2
    last_pair = max(p[0] for p in pairs)
    end = 0
    for i, line in enumerate(lines):
        if i > last_pair:
            tol = 0.5 * line.height
            if _KINH_GUI.match(_line_text(line)) or _NOI_NHAN.match(_line_text(line)):
                break
            if any(c[0].x0 < split - tol and c[-1].x1 > split + tol for c in line.chunks()):
                break
            if line.top - lines[i - 1].bottom > 3 * line.height:
                break
        end = i + 1
    return end, split


def _signature_zone(lines: list[Line], width: float) -> tuple[int, int, float] | None:
    """(first line, end line, split x) of the "Nơi nhận" | signature block, or None."""
    idx = None
    for i, line in enumerate(lines):
        if _NOI_NHAN.match(line.words[0].text + " " + " ".join(w.text for w in line.words[1:3])) \
                and line.words[0].x0 < 0.45 * width:
            idx = i
    if idx is None:
        return None
    end = len(lines)
    for i in range(idx + 1, len(lines)):
        if any(c[0].x0 < 0.35 * width and c[-1].x1 > 0.7 * width for c in lines[i].chunks()):
            end = i
            break
    start = idx
    while start - 1 >= 0 and start > idx - 4 and lines[start - 1].words[0].x0 >= 0.45 * width:
        start -= 1
    right_starts = []
    for line in lines[start:end]:
        chunks = line.chunks()
        for k, c in enumerate(chunks):
            if c[0].x0 >= 0.4 * width and (k > 0 or c[0].x0 >= 0.45 * width):
                right_starts.append(c[0].x0)
                break
    if not right_starts:
        return None
    return start, end, min(right_starts) - 2


def _split_blocks(lines: list[Line], split: float) -> tuple[list[str], list[str]]:
    left: list[str] = []
    right: list[str] = []
    for line in lines:
        lparts, rparts = [], []
        tol = 0.5 * line.height
        for c in line.chunks():
            x0, x1 = c[0].x0, c[-1].x1
            if x0 >= split - tol or (x1 > split + tol and (x0 + x1) / 2 >= split):
                rparts.append(_chunk_text(c))
            else:
                lparts.append(_chunk_text(c))
        if lparts:
            left.append("   ".join(lparts))
        if rparts:
            right.append("   ".join(rparts))
    return left, right


def layout_text(lines: list[Line], width: float, *, header: bool, signature: bool) -> list[str]:
    """Page lines with the letterhead and the Nơi nhận/signature columns as separate blocks.

    A block is followed by an empty line, so "left block, right block, body" stay apart.
    """
    out: list[str] = []
    pos = 0
    if header and lines:
        zone = _header_zone(lines, width)
        if zone:
            end, split = zone
            left, right = _split_blocks(lines[:end], split)
            out += left + [""] + right + [""]
            pos = end
    sig = _signature_zone(lines[pos:], width) if signature else None
    if sig:
        start, end, split = sig
        start += pos
        end += pos
        out += [_line_text(ln) for ln in lines[pos:start]]
        left, right = _split_blocks(lines[start:end], split)
        out += ([""] if out and out[-1] else []) + left + [""] + right + [""]
        out += [_line_text(ln) for ln in lines[end:]]
    else:
        out += [_line_text(ln) for ln in lines[pos:]]
    while out and not out[-1]:
        out.pop()
    return out


# --------------------------------------------------------------------------------------------
# Text-layer quality: is this Vietnamese, or a garbled font table?
# --------------------------------------------------------------------------------------------

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_VI_BASE = set("aăâbcdđeêghiklmnoôơpqrstuưvxyfjwz")
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?[aăâeêioôơuưy]{1,3}(?:ch|ng|nh|[cmnpt])?$")
_EN_STOP = {"the", "of", "and", "to", "in", "is", "for", "on", "with", "by", "that", "this", "be", "are",
            "as", "at", "from", "or", "an", "it", "was", "which", "shall", "will", "not", "have", "has"}
_WORD = re.compile(r"[^\W\d_]+")


def _strip_tones(token: str) -> tuple[str, int]:
    d = unicodedata.normalize("NFD", token.lower())
    tones = sum(1 for c in d if c in _TONES)
    return unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES)), tones


@functools.lru_cache(maxsize=65536)
def is_vietnamese_syllable(token: str) -> bool:
    base, tones = _strip_tones(token)
    return tones <= 1 and bool(_SYLLABLE.match(base))


# Candidates for "odd": controls, Latin-1 / Latin Extended-A/B, private use, U+FFFD. Vietnamese letters in
# those blocks (â, đ, ơ, ư, à, ...) are filtered out afterwards.
_ODD_CANDIDATE = re.compile("[\x00-\x08\x0b\x0e-\x1f\xa0-\u024f\ue000-\uf8ff\ufffd]")
_MILD = frozenset("\u00a0«»°§©®±·×÷")


@functools.lru_cache(maxsize=4096)
def _odd_weight(c: str) -> float:
    if c.isalpha() and _strip_tones(c)[0] in _VI_BASE:
        return 0.0
    return 0.2 if c in _MILD else 1.0


def text_quality(text: str, sample: int = 6000) -> tuple[int, float, float]:
    """(letter tokens, share that are Vietnamese syllables, share of odd characters).

    Odd characters are what broken font tables produce: Latin-1/Latin Extended letters and symbols
    that Vietnamese does not use (Ø, Ñ, Ë, æ, °, £, ¥, ...), private-use code points, control
    characters and U+FFFD. Other scripts (CJK, Cyrillic) are not odd: they are real text in
    another language, for the language check to judge. Only the first ``sample`` characters count.
    """
    text = text[:sample]
    tokens = _WORD.findall(text)
    ok = sum(n for t, n in Counter(tokens).items() if is_vietnamese_syllable(t))
    visible = len("".join(text.split()))
    odd = sum(_odd_weight(c) for c in _ODD_CANDIDATE.findall(text))
    return len(tokens), ok / max(1, len(tokens)), odd / max(1, visible)


def looks_garbled(text: str) -> bool:
    """True when a text layer is mojibake from a broken font table rather than real text."""
    n, syllables, odd = text_quality(text)
    if odd >= 0.05:
        return True
    if n < 10:
        return False
    if odd >= 0.01 and syllables < 0.8:
        return True
    if n >= 20 and syllables < 0.3:
        en = sum(1 for t in _WORD.findall(text.lower()) if t in _EN_STOP)
        return en / n < 0.08  # neither Vietnamese nor English: a shifted or private encoding
    return False


# --------------------------------------------------------------------------------------------
# Running headers, footers and page numbers
# --------------------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^[\s\-–—.(]*(?:trang\s*)?(\d{1,4})(?:\s*/\s*\d{1,4})?[\s\-–—.)]*$", re.I)
_EDGE = 3


def _edge_key(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.strip().lower()))


def repeated_edge_lines(pages: list[list[str]]) -> set[str]:
    """Keys of lines found among the first/last few lines of most pages (running headers/footers)."""
    n = len(pages)
    if n < 3:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        body = [ln for ln in lines if ln.strip()]
        seen.update({_edge_key(ln) for ln in body[:_EDGE] + body[-_EDGE:]})
    return {k for k, c in seen.items() if k and c >= max(3, 0.6 * n)}


def _is_page_number(line: str, n_pages: int) -> bool:
    m = _PAGE_NUMBER.match(line)
    return bool(m) and 1 <= int(m.group(1)) <= n_pages + 20


def strip_page_chrome(pages: list[list[str]], repeated: set[str] | None = None) -> tuple[list[list[str]], int]:
    """Drop lines repeated at the top or bottom of most pages, and bare page numbers there."""
    n = len(pages)
    dropped = 0
    repeated = repeated_edge_lines(pages) if repeated is None else repeated
    if repeated:
        new_pages = []
        for lines in pages:
            idx = [i for i, ln in enumerate(lines) if ln.strip()]
            edge = set(idx[:_EDGE] + idx[-_EDGE:])
            keep = [ln for i, ln in enumerate(lines) if not (i in edge and _edge_key(ln) in repeated)]
            dropped += len(lines) - len(keep)
            new_pages.append(keep)
        pages = new_pages
    if n >= 2:
        new_pages = []
        for lines in pages:
            idx = [i for i, ln in enumerate(lines) if ln.strip()]
            drop = {i for i in idx[:2] + idx[-2:] if _is_page_number(lines[i], n)}
            dropped += len(drop)
            new_pages.append([ln for i, ln in enumerate(lines) if i not in drop])
        pages = new_pages
    return pages, dropped


def _drop_chrome_lines(lines: list[Line], repeated: set[str], n_pages: int) -> list[Line]:
    """The same rule on visual lines (before the layout pass, so a footer never joins a column)."""
    if not lines:
        return lines
    edge = set(range(min(_EDGE, len(lines)))) | set(range(max(0, len(lines) - _EDGE), len(lines)))
    near = set(range(min(2, len(lines)))) | set(range(max(0, len(lines) - 2), len(lines)))
    keep = []
    for i, line in enumerate(lines):
        text = _line_text(line)
        if i in edge and _edge_key(text) in repeated:
            continue
        if n_pages >= 2 and i in near and _is_page_number(text, n_pages):
            continue
        keep.append(line)
    return keep


# --------------------------------------------------------------------------------------------
# Bomb guard
# --------------------------------------------------------------------------------------------

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


def _open(path: str, warnings: list[str]):
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code is None:
            code = pdfium_c.FPDF_GetLastError()
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedFile(path, "PDF is encrypted and needs a password to open") from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedFile(path, "PDF uses an unsupported encryption scheme") from None
        if code == pdfium_c.FPDF_ERR_FORMAT:
            raise CorruptFile(path, "damaged PDF: its structure (xref) cannot be read or rebuilt") from None
        raise CorruptFile(path, f"cannot open PDF: {str(exc).splitlines()[0][:200]}") from None
    except OSError as exc:
        raise Unreadable(path, f"cannot open file: {exc.strerror or exc}") from None
    if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1:
        warnings.append("PDF is encrypted; opened with the empty user password")
    return pdf


def _page_lines_fast(textpage) -> list[str]:
    text = textpage.get_text_bounded()
    # pdfium reports a hyphen that ends a line as U+0002 and joins the two lines: undo both.
    text = text.replace("\x02", "-\n")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [_GLUED_LABEL.sub(r"\1 ", unicodedata.normalize("NFC", ln.rstrip())) for ln in lines]


# A line whose tail is short tokens of letters outside ASCII ("N i nh n: ơ ậ", "Vũ Th Thanh H i ị ả"): letters
# drawn from a fallback font that pdfium lists after the rest of their line.
_STRAY_TAIL = re.compile(r"(?:\s(?:(?![A-Za-zđĐ])[^\W\d_]){1,3})+\s*$")


def out_of_order(lines: list[str]) -> bool:
    """True when pdfium's plain text of a page has letters split out of their words to the line ends."""
    hits = 0
    for ln in lines:
        m = _STRAY_TAIL.search(ln)
        if m and len(m.group().split()) < len(ln.split()):
            hits += len(m.group().split())
            if hits >= 2:
                return True
    return False


def page_fragments(textpage, page_top: float, page_left: float = 0.0) -> list[list[Word]]:
    """Words from pdfium's character boxes, grouped by pdfium's own text lines.

    Boxes come in PDF user space (y up); words get top-down coordinates relative to the crop box's
    top-left corner (``page_top``, ``page_left``)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    raw = textpage.raw
    n = pdfium_c.FPDFText_CountChars(raw)
    rect = pdfium_c.FS_RECTF()
    get_unicode = pdfium_c.FPDFText_GetUnicode
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    rect_ref = ctypes.byref(rect)
    fragments: list[list[Word]] = []
    frag: list[Word] = []
    cur: list = []  # [chars, x0, x1, top, bottom]

    def flush_word():
        nonlocal cur
        if cur:
            frag.append(Word(unicodedata.normalize("NFC", "".join(cur[0])), cur[1], cur[2], cur[3], cur[4]))
            cur = []

    for i in range(n):
        u = get_unicode(raw, i)
        ch = "-" if u == 2 else chr(u) if 0 <= u < 0x110000 else "\ufffd"
        if ch in "\r\n":
            flush_word()
            if frag:
                fragments.append(frag)
                frag = []
            continue
        if ch.isspace() or u in (0, 0xFFFE, 0xFFFF):
            flush_word()
            continue
        if not get_box(raw, i, rect_ref):
            continue
        left, right = rect.left - page_left, rect.right - page_left
        top, bottom = page_top - rect.top, page_top - rect.bottom
        if cur and unicodedata.combining(ch):
            cur[0].append(ch)
            continue
        if cur:
            h = max(cur[4] - cur[3], bottom - top, 1e-6)
            if (left - cur[2] > 0.25 * h or left < cur[2] - 0.6 * h
                    or abs((top + bottom) - (cur[3] + cur[4])) > 3 * h):
                flush_word()
        if cur:
            cur[0].append(ch)
            cur[2] = max(cur[2], right)
            cur[3] = min(cur[3], top)
            cur[4] = max(cur[4], bottom)
        else:
            cur = [[ch], left, right, top, bottom]
    flush_word()
    if frag:
        fragments.append(frag)
    return fragments


def _has_images(page) -> bool:
    import pypdfium2.raw as pdfium_c

    objs = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2)
    return next(iter(objs), None) is not None


def read_pdf(path: str, source: Source, options: ReadOptions) -> Text:
    warnings: list[str] = []
    check_streams(path, options)
    pdf = _open(path, warnings)
    try:
        return _read_open_pdf(path, pdf, source, options, warnings)
    finally:
        pdf.close()


def _read_open_pdf(path: str, pdf, source: Source, options: ReadOptions, warnings: list[str]) -> Text:
    n = len(pdf)
    if n == 0:
        raise CorruptFile(path, "PDF has no pages (damaged or truncated)")
    if n > options.max_pages:
        raise TooLarge(path, f"PDF has {n:,} pages, over the {options.max_pages:,}-page limit "
                             "(raise max_pages to read it)")
    source.pages = n
    forms_ready = False
    try:
        pdf.init_forms()  # needed to flatten widget annotations (stamped serials and dates)
        forms_ready = True
    except Exception:  # noqa: BLE001 - a broken AcroForm only costs the widget text
        pass

    pages: list[list[str] | None] = [None] * n
    raw_text: list[str] = [""] * n
    to_ocr: list[tuple[int, str]] = []  # (page index, why)
    for i in range(n):
        try:
            page = pdf[i]
        except Exception as exc:  # noqa: BLE001 - pdfium raises PdfiumError on a broken page
            raise CorruptFile(path, f"page {i + 1} cannot be loaded: {str(exc).splitlines()[0][:120]}") from None
        try:
            tp = page.get_textpage()
            lines = _page_lines_fast(tp)
            tp.close()
            if out_of_order(lines) and page.get_rotation() % 360 == 0:
                try:  # order the characters of each line by x (the layout pass, without the columns)
                    lines = _layout_page(pdf, i, header=False, signature=False, flatten=False)
                except Exception:  # noqa: BLE001 - keep pdfium's plain text
                    warnings.append(f"page {i + 1}: characters out of order, could not be reordered")
            text = "\n".join(lines)
            visible = len("".join(text.split()))
            if visible < MIN_PAGE_CHARS:
                if _has_images(page):
                    to_ocr.append((i, "no text layer"))
                pages[i] = [ln for ln in lines if ln.strip()]
            elif looks_garbled(text):
                to_ocr.append((i, "garbled text layer"))
                pages[i] = lines
            else:
                pages[i] = lines
            raw_text[i] = text
        finally:
            page.close()

    # Layout pass: the first page, and the last page (of the last two) that holds "Nơi nhận".
    ocr_pages = {i for i, _ in to_ocr}
    sig_page = None
    for i in range(n - 1, max(-1, n - 3), -1):
        if i not in ocr_pages and any(_NOI_NHAN.match(ln.strip()) for ln in (pages[i] or [])):
            sig_page = i
            break
    repeated = repeated_edge_lines([p or [] for p in pages])
    for i in sorted({0, sig_page} - {None} - ocr_pages):
        if not raw_text[i].strip():
            continue
        try:
            pages[i] = _layout_page(pdf, i, header=(i == 0), signature=(i == sig_page), flatten=forms_ready,
                                    repeated=repeated, n_pages=n)
        except CorruptFile:
            raise
        except ValueError as exc:
            warnings.append(f"page {i + 1}: {exc}; columns not separated")
        except Exception as exc:  # noqa: BLE001 - keep the plain text of the page
            warnings.append(f"page {i + 1}: layout pass failed ({type(exc).__name__}); plain text kept")

    ocr_conf: list[float] | None = None
    if to_ocr:
        ocr_conf = _ocr_pages(path, pdf, to_ocr, pages, raw_text, source, options, warnings)

    page_lines, _ = strip_page_chrome([p or [] for p in pages], repeated)
    texts = [unicodedata.normalize("NFC", "\n".join(lines).strip("\n")) for lines in page_lines]
    text, starts = join_pages(texts)
    if to_ocr and not source.ocr and not text.strip():
        why = "OCR is off" if not options.ocr else f"tesseract ({options.ocr_lang}) is not installed"
        raise NoText(path, f"scanned PDF without a usable text layer, and {why}")
    if len(text) > options.max_text_chars:
        raise TooLarge(path, f"text has {len(text):,} characters, over the {options.max_text_chars:,} limit")
    if ocr_conf is not None:
        source.ocr_confidence = ocr_conf
    return Text(text=text, source=source, warnings=warnings, page_starts=starts)


def join_pages(texts: list[str]) -> tuple[str, list[int]]:
    starts = []
    pos = 0
    for i, t in enumerate(texts):
        if i:
            pos += len(PAGE_SEP)
        starts.append(pos)
        pos += len(t)
    return PAGE_SEP.join(texts), starts


def _layout_page(pdf, i: int, *, header: bool, signature: bool, flatten: bool, repeated: set[str] = frozenset(),
                 n_pages: int = 1) -> list[str]:
    import pypdfium2.raw as pdfium_c

    page = pdf[i]
    try:
        if page.get_rotation() % 360:
            raise ValueError("rotated page")  # char boxes are unrotated: keep pdfium's own order
        if flatten and pdfium_c.FPDFPage_GetAnnotCount(page.raw) > 0:
            page.flatten()
            page.close()
            page = pdf[i]
        left, _bottom, right, top = page.get_cropbox()
        width = right - left
        tp = page.get_textpage()
        try:
            if tp.count_chars() > LAYOUT_MAX_CHARS:
                raise ValueError("too many characters for the layout pass")
            frags = page_fragments(tp, top, left)
        finally:
            tp.close()
    finally:
        page.close()
    lines = _drop_chrome_lines(build_lines(frags), repeated, n_pages)
    return layout_text(lines, width, header=header, signature=signature)


def _ocr_pages(path, pdf, to_ocr, pages, raw_text, source, options, warnings) -> list[float] | None:
    from . import ocr

    if not options.ocr:
        warnings.append(f"{len(to_ocr)} page(s) need OCR (scanned or garbled text layer); OCR is off")
        return None
    if not ocr.tesseract_available(options.ocr_lang):
        warnings.append(f"{len(to_ocr)} page(s) need OCR but Tesseract ({options.ocr_lang}) is not installed")
        return None
    indices = [i for i, _ in to_ocr]
    results = ocr.ocr_pdf_pages(path, pdf, indices, options)
    conf = []
    garbled = [i + 1 for i, why in to_ocr if why.startswith("garbled")]
    if garbled:
        warnings.append(f"text layer of page(s) {', '.join(map(str, garbled))} is garbled "
                        "(broken font table); replaced by OCR")
    from .ocrfix import fix_consensus

    texts, fixes = fix_consensus(["\n".join(res.lines) for res in results])
    for (i, _), res, text in zip(to_ocr, results, texts, strict=True):
        pages[i] = text.split("\n") if res.lines else []
        conf.append(res.confidence)
        fixes += res.fixes
    source.ocr = True
    if fixes:
        warnings.append(f"OCR: {fixes} misreading(s) repaired (digits, dates, labels, known phrases)")
    low = [i + 1 for (i, _), c in zip(to_ocr, conf, strict=True) if c < 60]
    if low:
        warnings.append(f"low OCR confidence on page(s) {', '.join(map(str, low))}")
    return conf


def pdf_page_count(path: str) -> int:
    """Number of pages, without reading any page (for benchmarks and the CLI)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


__all__ = ["read_pdf", "looks_garbled", "text_quality", "strip_page_chrome", "check_streams", "Word", "Line",
           "build_lines", "layout_text", "join_pages", "PAGE_SEP", "pdf_page_count", "is_vietnamese_syllable"]
