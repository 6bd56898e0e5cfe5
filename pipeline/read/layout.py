"""Page layout shared by the PDF and OCR readers: words with boxes → visual lines → column blocks in
reading order (letterhead and signature zones), and pages joined with ``PAGE_SEP``."""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field

PAGE_SEP = "\n\f\n"

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
class LayoutLine:
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


def _line_text(line: LayoutLine) -> str:
    return _GLUED_LABEL.sub(r"\1 ", "   ".join(_chunk_text(c) for c in line.chunks()))


def build_lines(fragments: list[list[Word]], split_jumps: bool = True) -> list[LayoutLine]:
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
    lines: list[LayoutLine] = []
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
            lines.append(LayoutLine(list(frag)))
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


def _header_zone(lines: list[LayoutLine], width: float) -> tuple[int, float] | None:
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


def _signature_zone(lines: list[LayoutLine], width: float) -> tuple[int, int, float] | None:
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


def _split_blocks(lines: list[LayoutLine], split: float) -> tuple[list[str], list[str]]:
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


def layout_text(lines: list[LayoutLine], width: float, *, header: bool, signature: bool) -> list[str]:
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


def join_pages(texts: list[str]) -> tuple[str, list[int]]:
    starts = []
    pos = 0
    for i, t in enumerate(texts):
        if i:
            pos += len(PAGE_SEP)
        starts.append(pos)
        pos += len(t)
    return PAGE_SEP.join(texts), starts
