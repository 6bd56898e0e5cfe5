"""The segment stage: find the layout zones of a dispatch (spec §1, §5-§7, §12).

Works on normalized text and returns offsets only, so every later stage slices values from the
text as read. Layout text from PDFs keeps two columns side by side on one line (``cells``), DOCX
and HTML flatten them to consecutive lines; both are handled by reading *cells*, not lines.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from ..lexicons import authority_heads, mottos, type_by_name
from ..normalize import canon_tones, fold
from .dates import DateLine, find_date_line
from .patterns import CODE_CHAIN, NUMBER_LABEL_RE, NUMBER_RE, WIDE_SERIAL_RE

Span = tuple[int, int]

# Cells of a layout line are separated by a tab or three or more spaces.
_CELL_RE = re.compile(r"[^\s](?:[^\t\n]*?[^\s])??(?= *\t|   |\s*$)")
_RULE_RE = re.compile(r"^[\s\-_=.~*…]{3,}$")
AUTHORITY_RE = re.compile(r"^(?P<prefix>T/M|K/T|T/L|TM|KT|TL|TUQ|Q)(?:\.|\s)\s*(?P<rest>\S.*)$")
_KINH_GUI = "kinh gui"
_TYPE_BEFORE_LABEL = re.compile(r"(?i)(?:nghị quyết(?: liên tịch)?|quyết định|bộ luật|luật|nghị định|thông tư(?: liên tịch)?|"
                                r"pháp lệnh|lệnh|chỉ thị|văn bản hợp nhất)\s+(?=số)")
# The symbol part after a wide blank ("565    /TB-UBND") and the continuation of a number wrapped in a narrow
# header cell ("Số: 1856/TLĐ-" then "TG" on the next line).
_SYMBOL_AFTER_GAP = re.compile(r"/[ \t]{0,3}" + CODE_CHAIN + r"(?![\w/])")
_BLANK_SYMBOL = re.compile(r"/[ \t]{0,3}" + CODE_CHAIN + r"(?![\w/])|/[ \t]*[A-ZĐ][\w\-Đđ/]*")
_GARBLED_SERIAL = re.compile(r"[^\s/]{1,6}(?:[ \t][^\s/]{1,3})?[ \t]{0,14}/[ \t]{0,3}" + CODE_CHAIN + r"(?![\w/])")
_NOI_NHAN = ("noi nhan", "noi gui")
_NEAR_NUMBER = re.compile(r"(?m)(?:^|\s)(?:S[ốôoổỗ6]|SỐ|SÔ|Sè)[ \t]*[:.]?[ \t]*[\d/\-]")


@dataclass
class TextLine:
    index: int
    start: int
    end: int
    cells: list[Span]

    @property
    def blank(self) -> bool:
        return not self.cells


@dataclass
class Zones:
    text: str
    lines: LineTable
    doc_start: int = 0
    doc_end: int = 0
    family_signal: str | None = None  # from the motto: state | party | front
    motto_line: int | None = None
    issuer_cells: list[Span] = field(default_factory=list)
    number: Span | None = None  # the printed number (without the "Số:" label)
    number_line: int | None = None
    number_cont: Span | None = None  # the rest of a number wrapped onto the next line of its header cell
    date_line: DateLine | None = None
    title: Span | None = None  # the type name line ("KẾ HOẠCH")
    subject: list[Span] = field(default_factory=list)
    subject_is_vv: bool = False
    subject_cut: bool = False  # the title subject reached the line limit (it may go on)
    recipients: list[Span] = field(default_factory=list)  # text of the Kính gửi block after the label
    secondary: list[Span] = field(default_factory=list)  # "Đồng kính gửi" block
    body: Span = (0, 0)
    cc_label_line: int | None = None
    cc: list[list[Span]] = field(default_factory=list)  # Nơi nhận items: cells of each item, markers included
    signature: list[Span] = field(default_factory=list)  # signature cells in reading order
    # the same cells cut into one list per signature block (joint documents sign several times: side by
    # side in a grid, or one block after the other); one block for an ordinary document
    signature_blocks: list[list[Span]] = field(default_factory=list)
    header_end: int = 0
    warnings: list[str] = field(default_factory=list)

    def slice(self, span: Span) -> str:
        return self.text[span[0]:span[1]]


class LineTable:
    """The lines of a text, built on demand: a 1 MB text of blank lines must not cost a million objects."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._cache: dict[int, TextLine] = {}

    def __len__(self) -> int:
        return len(self.starts)

    def _line(self, i: int) -> TextLine:
        ln = self._cache.get(i)
        if ln is None:
            start = self.starts[i]
            end = self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(self.text)
            ln = TextLine(i, start, end, _cells(self.text[start:end], start))
            self._cache[i] = ln
        return ln

    def __getitem__(self, key):
        if isinstance(key, slice):
            return [self._line(i) for i in range(*key.indices(len(self.starts)))]
        if key < 0:
            key += len(self.starts)
        if not 0 <= key < len(self.starts):
            raise IndexError(key)
        return self._line(key)

    def __iter__(self):
        return (self._line(i) for i in range(len(self.starts)))


def _cells(raw: str, pos: int) -> list[Span]:
    stripped = raw.strip()
    if not stripped:
        return []
    if "\t" not in raw and "   " not in stripped:
        # one cell: the common case, no regex needed
        lead = len(raw) - len(raw.lstrip())
        return [(pos + lead, pos + lead + len(stripped))]
    return [(pos + m.start(), pos + m.end()) for m in _CELL_RE.finditer(raw)]


def split_lines(text: str) -> LineTable:
    return LineTable(text)


def _key(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", fold(s))


_MOTTO_KEYS = [(_key(m), fam) for m, fam in mottos()]


def _motto_in(s: str) -> tuple[str, int, int] | None:
    """Family and the character range of a motto inside s (case, accents, spaces ignored)."""
    k = _key(s)
    for mk, fam in _MOTTO_KEYS:
        pos = k.find(mk)
        if pos >= 0:
            # map key offsets back to s: walk s counting key characters
            start = end = None
            count = 0
            for idx, ch in enumerate(s):
                kc = _key(ch)
                if not kc:
                    continue
                if count == pos and start is None:
                    start = idx
                count += len(kc)
                if count >= pos + len(mk):
                    end = idx + 1
                    break
            if start is not None and end is not None:
                return fam, start, end
    return None


# words only a motto has: a cell holding one of them next to other motto words is a piece of the motto
_MOTTO_MARKS = ("conghoa", "chunghia", "doclap", "tudo", "hanhphuc", "congsan", "xahoichu")


def starts_body(line: str) -> bool:
    """A header line that opens the name of a body ("BỘ CÔNG AN", "CĐCS CÔNG TY …"), not its continuation
    (the heads are lexicons/body_heads.txt)."""
    up = canon_tones(line.upper())
    return any(up == h or up.startswith(h + " ") for h in _body_heads())


@lru_cache(maxsize=1)
def _body_heads() -> tuple[str, ...]:
    from ..lexicons import body_heads

    return tuple(canon_tones(h) for h in body_heads())


def motto_fragment(s: str) -> bool:
    """A piece of a motto a layout cut off ("HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do -", "ĐẢNG
    CỘNG SẢN"): a family signal, never an issuer. Short pieces that are also ordinary name words ("VIỆT NAM"
    under "TỔNG LIÊN ĐOÀN LAO ĐỘNG") are not taken for one."""
    k = _key(s)
    if len(k) < 6:
        return False
    if _motto_in(s):
        return True
    inside = any(k in mk for mk, _fam in _MOTTO_KEYS)
    return inside and (len(k) >= 12 or any(m in k for m in _MOTTO_MARKS))


_PLACE_START = ("tinh ", "thanh pho ", "huyen ", "quan ", "xa ", "phuong ", "thi xa ", "thi tran ", "dac khu ")


def _continues_left(s: str) -> bool:
    """A right-column cell that finishes the left column's name ("TỈNH LÀO CAI" beside "ỦY BAN NHÂN DÂN"): a
    place in capitals, not a piece of the motto, not a Party committee ("TỈNH ỦY …" names a body)."""
    f = fold(s) + " "
    return (is_caps(s) and f.startswith(_PLACE_START) and not motto_fragment(s)
            and not re.match(r"(?:tinh|thanh|huyen|quan|thi) uy\b", f) and find_date_line(s) is None)


def is_caps(s: str, threshold: float = 0.8) -> bool:
    letters = [c for c in s[:400] if c.isalpha()]  # headings are short; a sample decides
    if len(letters) < 2:
        return False
    return sum(1 for c in letters if c.isupper()) / len(letters) >= threshold


def is_rule(s: str) -> bool:
    return bool(_RULE_RE.match(s)) or not any(c.isalnum() for c in s)


def type_title(s: str) -> bool:
    """A cell that is a document type name in capitals ("KẾ HOẠCH", "QUYẾT ĐỊNH", "THÔNG BÁO KẾT LUẬN")."""
    return title_type_name(s) is not None


def title_type_name(s: str) -> str | None:
    t = " ".join(s.split())
    if not t or t.endswith(":") or not is_caps(t, 0.95):
        return None
    low = t.lower()
    if low in type_by_name():
        return low
    folded = _folded_types().get(fold(low))
    if folded:
        return folded  # OCR lost a tone mark ("QUYÉT ĐỊNH")
    words = low.split()
    for k in (3, 2, 1):
        head = " ".join(words[:k])
        if head in type_by_name() and 0 < len(words) - k <= 2 and words[k] in _TITLE_QUALIFIERS:
            return head
        # the pre-2011 title names its author: "QUYẾT ĐỊNH CỦA ỦY BAN NHÂN DÂN TỈNH …"
        if head in type_by_name() and len(words) > k + 1 and words[k] == "của" and len(words) <= k + 12:
            return head
    return None


@lru_cache(maxsize=1)
def _folded_types() -> dict[str, str]:
    return {fold(name): name for name in type_by_name()}


_TITLE_QUALIFIERS = {"kết", "liên", "phối", "khẩn", "chỉ", "thi", "tuyên", "hỏa", "chung", "hành"}


def segment(text: str) -> Zones:
    lines = split_lines(text)
    z = Zones(text=text, lines=lines, doc_end=len(text))
    cell = z.slice
    window = lines[: min(len(lines), 160)]

    # 1. motto, number and date line: the anchors of the letterhead.
    first_motto = None
    for ln in window:
        seg = text[ln.start:ln.end]
        found = _motto_in(seg) if seg.strip() and len(seg) < 400 else None
        if found and not (is_caps(seg[found[1]:found[2]]) or len(seg.strip()) < 80):
            found = None  # "… Công báo Nước Cộng hoà Xã hội Chủ nghĩa Việt Nam" inside a sentence
        if found:
            first_motto = first_motto or (found[0], ln.index)
            # A cover page repeats the motto above the title without number or date: the letterhead is the
            # next motto that has a number label or a date line beside it.
            near = text[ln.start: lines[min(len(lines) - 1, ln.index + 8)].end]
            if _NEAR_NUMBER.search(near) or find_date_line(near):
                z.family_signal, z.motto_line = found[0], ln.index
                break
    if z.motto_line is None and first_motto is not None:
        z.family_signal, z.motto_line = first_motto
    # the document's own letterhead: not a cover page's motto, not the letterhead of a form attached after the body
    header_limit = _own_letterhead(z, window)
    lo = max(0, (z.motto_line or 0) - 8)
    hi = min(len(lines), (z.motto_line if z.motto_line is not None else 0) + 16)
    if z.motto_line is None:
        hi = min(len(lines), 40, header_limit)
    for ln in lines[lo:hi]:
        for c in ln.cells:
            lead = _TYPE_BEFORE_LABEL.match(text, c[0], c[1])
            m = NUMBER_LABEL_RE.match(text, lead.end() if lead else c[0], c[1])
            if not (m and m.group("label")):
                continue
            pos = m.start("num") if m.group("num") else m.end("label")
            while pos < len(text) and text[pos] in " \t":
                pos += 1
            if text[pos:pos + 1] == "\n" and ln.index + 1 < len(lines) and lines[ln.index + 1].cells:
                # the label alone in its table cell, the number in the next one ("Số:" / "12/QĐ-UBND")
                nxt = lines[ln.index + 1].cells[0]
                if NUMBER_RE.match(text, nxt[0]):
                    pos = nxt[0]
            wide = WIDE_SERIAL_RE.match(text, pos)
            if wide:
                sym = _SYMBOL_AFTER_GAP.match(text, wide.end())
                if sym:
                    z.number, z.number_line = (pos, sym.end()), ln.index
                    break
            nm = NUMBER_RE.match(text, pos)
            if nm:
                z.number, z.number_line = (nm.start(), nm.end()), ln.index
                break
            blank = _BLANK_SYMBOL.match(text, pos, ln.end)  # "/TTr- CAT-PC04": spaces may split the symbol
            if blank:
                z.number, z.number_line = (pos, blank.end()), ln.index
                break
            # a serial OCR could not read ("(ở /QĐ-UBND", "# /CT-UBND"): keep it, the header reader judges it
            garbled = _GARBLED_SERIAL.match(text, pos, ln.end)
            if garbled:
                z.number, z.number_line = (pos, garbled.end()), ln.index
                break
            tok = re.match(r"[^\s,;]+", text[pos:c[1]])
            if tok and re.search(r"\d", tok.group(0)):
                z.number, z.number_line = (pos, pos + tok.end()), ln.index
                break
        if z.number:
            break
    if z.number is not None and z.number_line is not None:
        z.number_cont = _wrapped_number_rest(z, z.number, z.number_line)
        if z.number_cont is not None and text[z.number[1] - 1] not in "-/":
            z.number = (z.number[0], z.number[1] + 1)  # keep the '-' or '/' the line ends with
    if z.number is None:  # a bare number alone in the left column near the top
        for ln in lines[lo:hi]:
            if ln.cells:
                c = ln.cells[0]
                m = NUMBER_RE.fullmatch(text, c[0], c[1])
                if m:
                    z.number, z.number_line = (c[0], c[1]), ln.index
                    break
    anchor_lines = [i for i in (z.motto_line, z.number_line) if i is not None]
    date_lo = lines[min(anchor_lines)].start if anchor_lines else 0
    date_hi = lines[min(len(lines) - 1, (max(anchor_lines) if anchor_lines else 30) + 6)].end
    if header_limit < len(lines):
        date_hi = min(date_hi, lines[max(0, header_limit - 1)].start)
    z.date_line = find_date_line(text, date_lo, min(date_hi, date_lo + 4000))
    date_idx = _line_of(lines, z.date_line.start) if z.date_line else None

    # 2. issuer lines: caps cells above the motto/number, and left cells beside the motto.
    # A "Số" line the number grammar could not read ("Số -CTr/TU") still closes the names above it.
    label_idx = next((ln.index for ln in lines[lo:(z.motto_line or 0) + 1] if ln.cells and
                      re.match(r"(?:Số|SỐ|Sè)\b", z.slice(ln.cells[0]))), None) if z.number_line is None else None
    top_anchor = min([i for i in (z.motto_line, z.number_line, date_idx, label_idx) if i is not None], default=None)
    if top_anchor is not None:
        above: list[list[Span]] = []
        i = top_anchor - 1
        gap = 0
        while i >= 0 and len(above) < 6:
            ln = lines[i]
            if ln.blank:
                if above and not (i >= 1 and not lines[i - 1].blank and _letterhead_line(z, lines[i - 1])):
                    break  # one blank line may separate letterhead lines (HTML and DOCX copies): not two
                gap += 1
                i -= 1
                continue
            c = ln.cells[0]
            s = cell(c)
            if is_rule(s):
                i -= 1
                continue
            if not is_caps(s) or _motto_in(s) or motto_fragment(s):
                break
            if above and gap and not starts_body(s):
                break  # across a blank line only a line naming a body (the governing one) is still letterhead
            gap = 0
            # a name split across the two columns: "ỦY BAN NHÂN DÂN" ... "TỈNH LÀO CAI"
            above.append([c] + [c2 for c2 in ln.cells[1:] if _continues_left(cell(c2))])
            i -= 1
        z.issuer_cells = [c for row in reversed(above) for c in row]
        first_left = top_anchor
        last = max(i for i in (z.motto_line, z.number_line, date_idx) if i is not None)
        if z.number_line is None:
            last = min(len(lines) - 1, last + 3)
        for ln in lines[first_left:last + 1]:
            if ln.index == z.number_line:
                break
            if ln.cells and re.match(r"(?:Số|SỐ|Sè)\b", cell(ln.cells[0])):
                break  # an unparsed number line still ends the left column's names
            for c in ln.cells[:1]:
                s = cell(c)
                mot = _motto_in(s)
                if mot:
                    left = s[: mot[1]].rstrip()
                    if left and is_caps(left):
                        z.issuer_cells.append((c[0], c[0] + len(left)))
                    continue
                if is_rule(s) or find_date_line(s) or not is_caps(s) or type_title(s) or motto_fragment(s):
                    continue
                if (c[0] - ln.start) > 30 and len(ln.cells) == 1:
                    continue  # a lone cell far to the right is the right column
                z.issuer_cells.append(c)
                z.issuer_cells.extend(c2 for c2 in ln.cells[1:] if _continues_left(cell(c2)))
        starts = [c[0] for c in z.issuer_cells] + [lines[top_anchor].start]
        z.doc_start = lines[_line_of(lines, min(starts))].start
    header_last = max([i for i in (z.motto_line, z.number_line, date_idx) if i is not None], default=-1)
    if header_last < 0:
        # no letterhead anchors at all (a web copy of the body only): start at the type title, if any
        for ln in lines[: min(len(lines), 160)]:
            if len(ln.cells) == 1 and type_title(z.slice(ln.cells[0])):
                header_last = ln.index - 1
                z.doc_start = ln.start
                break

    # 3. type title and subject.
    cursor = header_last + 1
    for ln in lines[cursor: cursor + 8]:
        if any(type_title(cell(c)) for c in ln.cells):
            c = next(c for c in ln.cells if type_title(cell(c)))
            z.title = c
            cursor = ln.index + 1
            break
    if z.title is not None:
        z.subject = _title_subject(z, cursor)
    vv = _find_vv(z, max(0, (z.number_line if z.number_line is not None else header_last)), header_last + 10)
    if not z.subject and vv:
        z.subject, z.subject_is_vv = vv, True
    subject_end_line = _line_of(lines, z.subject[-1][1]) if z.subject else header_last
    if z.title is not None and not z.subject:
        subject_end_line = _line_of(lines, z.title[1])

    # 4. Kính gửi.
    body_start_line = subject_end_line + 1
    for ln in lines[max(0, header_last): subject_end_line + 14]:
        hit = next((c for c in ln.cells if fold(cell(c)).startswith(_KINH_GUI)), None)
        if hit:
            z.recipients, end_line = _kinh_gui_block(z, ln, hit)
            body_start_line = end_line + 1
            break
    if z.recipients:
        # "Đồng kính gửi:" directly after the Kính gửi block.
        for ln in lines[body_start_line: body_start_line + 3]:
            hit = next((c for c in ln.cells if fold(cell(c)).startswith("dong kinh gui")), None)
            if hit:
                z.secondary, end_line = _kinh_gui_block(z, ln, hit, label="dong kinh gui")
                body_start_line = end_line + 1
                break
    z.header_end = lines[min(body_start_line, len(lines) - 1)].start if lines else 0

    # 5. Nơi nhận and signature.
    body_end = len(text)
    chosen = None
    for tried, cc_line in enumerate(_cc_candidates(z, body_start_line)):
        if tried >= 25:  # a real document has one or two; hostile input may repeat the label endlessly
            break
        cc, sig_cells, _last = _cc_block(z, cc_line)
        body_end_c = cc_line.start
        if not _has_signature(z, sig_cells):
            before = _signature_before(z, cc_line.index)
            if before:
                sig_cells = before + sig_cells
                body_end_c = min(body_end_c, before[0][0])
        if chosen is None or (_has_signature(z, sig_cells) and not _has_signature(z, chosen[2])):
            chosen = (cc_line, cc, sig_cells, body_end_c)
        if _has_signature(z, sig_cells):
            break
    if chosen is not None:
        cc_line, z.cc, z.signature, body_end = chosen
        z.cc_label_line = cc_line.index
    else:
        sig = _signature_without_cc(z, body_start_line)
        if sig:
            z.signature = sig
            body_end = lines[_line_of(lines, sig[0][0])].start
    if z.signature:
        before, after = _more_signature_blocks(z)
        if before:
            body_end = min(body_end, z.lines[_line_of(z.lines, before[0][0])].start)
        z.signature = before + z.signature + after
        z.signature_blocks = signature_blocks(z, z.signature)
    z.body = (z.header_end, max(z.header_end, body_end))
    if z.signature:
        z.doc_end = _signature_end(z)
    return z


# a number label ("Số:", "Luật số:", "Nghị quyết số:") or a date line
_HEADER_EVIDENCE = re.compile(r"(?m)^[ \t]*(?:Số|SỐ|Sè)\b|^[ \t]*(?i:" + _TYPE_BEFORE_LABEL.pattern.removeprefix("(?i)")
                              + r"số)\b|"
                              r"ngày[ \t]+\S{0,6}[ \t]*tháng")


def _own_letterhead(z: Zones, window: list[TextLine]) -> int:
    """Settle which motto line is the document's letterhead (``z.motto_line``) and return the line before which
    header anchors are searched. A cover page prints the motto and the issuer without a number or a date line:
    the letterhead is the first motto with a "Số" or a date line near it. A letterhead that follows paragraphs
    of body text under a type title belongs to a form attached to a document that has none of its own: no
    motto then, and the anchors are searched above it only."""
    lines = z.lines
    if z.motto_line is None:
        return len(lines)
    candidates: list[tuple[int, str]] = []
    for ln in window[z.motto_line:]:
        seg = z.text[ln.start:ln.end]
        found = _motto_in(seg) if seg.strip() and len(seg) < 400 else None
        if found and (is_caps(seg[found[1]:found[2]]) or len(seg.strip()) < 80) and \
                not (candidates and ln.index - candidates[-1][0] <= 3):
            candidates.append((ln.index, found[0]))
            if len(candidates) >= 4:
                break

    def distance(m: int) -> int:
        """Lines from the motto to the nearest "Số" or date line around it (a large number when none)."""
        a = lines[max(0, m - 8)].start
        b = lines[min(len(lines) - 1, m + 16)].end
        hits = [abs(_line_of(lines, h.start()) - m) for h in _HEADER_EVIDENCE.finditer(z.text, a, b)]
        return min(hits, default=10_000)

    # A later motto replaces the first only across a cover page: no evidence close to the first one (a cover page
    # close above the letterhead may see the letterhead's "Số" too, but farther away) and no paragraph of text
    # between them. An OCR'd first page whose "Số" and date line are garbled keeps its own letterhead.
    chosen = candidates[0]
    if distance(chosen[0]) > 8:
        for c in candidates[1:]:
            between = lines[chosen[0] + 1:c[0]]
            if any(len(z.slice(ln.cells[0])) >= 60 and not is_caps(z.slice(ln.cells[0])) for ln in between if ln.cells):
                break
            if distance(c[0]) <= 8:
                chosen = c
                break
    title_seen = False
    prose = 0
    for ln in lines[: chosen[0]]:
        if not ln.cells:
            continue
        t = z.slice(ln.cells[0])
        if not title_seen:
            title_seen = len(ln.cells) == 1 and type_title(t)
            continue
        if len(t) >= 100 and not is_caps(t):
            prose += 1
    if title_seen and prose >= 5:
        limit = candidates[0][0]
        z.motto_line = z.family_signal = None
        return limit
    z.motto_line, z.family_signal = chosen
    return len(lines)


def _line_of(lines: LineTable, offset: int) -> int:
    return max(0, bisect_right(lines.starts, offset) - 1)


def _letterhead_line(z: Zones, ln: TextLine) -> bool:
    """A short caps line in the left column: a governing body or issuer line of the letterhead."""
    c = ln.cells[0]
    s = z.slice(c)
    return (len(s) < 80 and (c[0] - ln.start) < 30 and is_caps(s) and not is_rule(s) and not _motto_in(s)
            and not type_title(s) and not find_date_line(s))


def _wrapped_number_rest(z: Zones, num: Span, line_index: int) -> Span | None:
    """A number cut at '-' or '/' by a narrow header cell ("01/2022/TTLT-VKSNDTC-" | "TANDTC-BCA"): the rest is
    the first cell of the next non-blank line when that cell opens with a code and sits in the left column."""
    text, lines = z.text, z.lines
    end = num[1]
    if text[end - 1] in "-/":
        end -= 1  # the token taken after the label kept its trailing '/' ("Số: 1244/" then "LĐLĐ")
    elif end >= len(text) or text[end] not in "-/":
        return None
    after = text[end + 1: lines[line_index].end]
    if after.strip() and not re.match(r"[ \t]{2,}|\t", after):
        return None  # something else follows on the same cell: not a wrapped number
    x0 = num[0] - lines[line_index].start
    for ln in lines[line_index + 1: line_index + 3]:
        if ln.blank:
            continue
        c = ln.cells[0]
        if (c[0] - ln.start) > max(x0 + 12, 30):
            return None  # the right column (a date line), not the rest of the number
        m = re.match(CODE_CHAIN + r"(?![\w/])", text[c[0]:c[1]])
        if m and m.end() and not text[c[0] + 1: c[0] + 2].islower():  # a code, not a word ("Hà Nội")
            return (c[0], c[0] + m.end())
        return None
    return None


def _number_extent(text: str, start: int, cell_end: int) -> Span:
    """The printed number starting at `start`, following a line break inside it (spec §2.2)."""
    m = NUMBER_RE.match(text, start)
    if m:
        return (m.start(), m.end())
    end = cell_end
    # number broken at the end of the cell: "1244/" + next line "LĐLĐ"
    m2 = re.match(r"[^\s]+", text[start:cell_end])
    return (start, start + (m2.end() if m2 else end - start))


def _title_subject(z: Zones, first: int) -> list[Span]:
    spans: list[Span] = []
    pending_blank = 0
    first_x = 0
    first_centre = 0.0
    for ln in z.lines[first: first + 16]:
        if ln.blank:
            pending_blank += 1
            if pending_blank > 2:
                break
            continue
        c = ln.cells[0]
        s = z.slice(c)
        fs = fold(s)
        if is_rule(s):
            if spans:
                break
            continue
        if not spans and _opens_enacting_part(z, ln.index, s):
            break  # the title is followed directly by the enacting authority: no trích yếu
        if fs.startswith(("can cu", "kinh gui", "- can cu", "chuong i", "dieu 1", "phan i", "i.", "i-")) or \
                (spans and s[:1].isupper() and fs.startswith(("thuc hien", "xet ", "theo de nghi"))):
            break  # (a lower-case "thực hiện …" is the subject's wrapped line)
        if spans:
            prev = z.slice(spans[-1]).rstrip()
            if prev.endswith((".", ";", ":")):
                break
            dangling = bool(re.search(r"\b(?:của|và|về|với|tại|trong|cho|theo|các|những|số|CỦA|VÀ|VỀ|VỚI|TẠI|TRONG|"
                                      r"CHO|THEO|CÁC|NHỮNG)$", prev))
            if not dangling and _opens_enacting_part(z, ln.index, s):
                break  # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …": the enacting authority, not the subject
            # HTML copies put blank lines between the wrapped lines of a title: continue only when
            # the next line reads as the same title (same case, or a lower-case continuation).
            same_case = is_caps(prev) == is_caps(s) or s[:1].islower()
            longest = max(len(z.slice(sp).strip()) for sp in spans)
            if not pending_blank and not dangling and s[:1].isupper() and not is_caps(s) and \
                    len(prev) < 0.5 * longest:
                break  # the title's short last line is done; a capital starts the body (PDF text has no blank line)
            if not pending_blank and re.match(r"Ngày\s+\d{1,2}[/\-.]", s):
                break  # "Ngày 07/4/2025, …" opens the body
            if pending_blank and not (s[:1].islower() or (is_caps(prev) and is_caps(s)) or dangling):
                break
            if not pending_blank and not same_case and not prev.endswith((",", "và", "của", "về")):
                break
            if is_caps(s) and not is_caps(prev) and not s[:1].islower():
                break  # a caps line after a mixed-case title: the enacting body ("CHÍNH PHỦ")
        x = c[0] - ln.start
        centre = x + (c[1] - c[0]) / 2
        if spans and first_x >= 8 and x < first_x - 6 and abs(centre - first_centre) > 4:
            break  # a centred title ends where a line starts back at the left margin (PDF layout text);
            # a longer wrapped line of the same centred title starts further left but keeps the centre
        if not spans:
            first_x, first_centre = x, centre
        pending_blank = 0
        spans.append(c)
        if len(spans) >= 6:
            z.subject_cut = True
            break
    return spans


def _opens_enacting_part(z: Zones, index: int, s: str) -> bool:
    """An authority line that ends the trích yếu: the last caps line before the body. A caps line after it that is
    not its own continuation ("KHÓA XV, KỲ HỌP THỨ 9") means the title words were the subject's ("PHÊ CHUẨN KẾT QUẢ
    BẦU" / "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ …" / "NHIỆM KỲ 2026 - 2031")."""
    if not is_authority_line(s):
        return False
    for nxt in z.lines[index + 1: index + 5]:
        if nxt.blank:
            continue
        t = z.slice(nxt.cells[0]).strip()
        if is_rule(t):
            continue
        if fold(t).startswith("khoa "):
            return True
        return not (is_caps(t, 0.95) and not t.endswith(":") and not is_authority_line(t) and not type_title(t))
    return True


@lru_cache(maxsize=1)
def _authority_prefixes() -> tuple[str, ...]:
    """Enacting office titles and collective bodies (lexicons/authority_heads.txt), longest first."""
    return tuple(sorted({canon_tones(t.upper()) for t in authority_heads()}, key=len, reverse=True))


def is_authority_line(s: str) -> bool:
    """A caps line naming the enacting authority ("BỘ TRƯỞNG BỘ Y TẾ", "ỦY BAN NHÂN DÂN TỈNH …", "CHÍNH PHỦ") —
    compared with diacritics, since folding would make "TRƯỜNG" (school) a "TRƯỞNG" (head)."""
    t = " ".join(s.split())
    verb = re.search(r"\s(\w+)\s*:$", t)
    if verb and verb.group(1).islower():
        t = t[: verb.start()]  # "THỦ TƯỚNG CHÍNH PHỦ điện:" (a công điện), "CHÍNH PHỦ quyết nghị:"
    if not t or len(t) > 120 or t.endswith((",", ":")) or not is_caps(t, 0.95):
        return False
    key = canon_tones(t.upper())
    return any(key == prefix or key.startswith(prefix + " ") for prefix in _authority_prefixes())


def _find_vv(z: Zones, lo: int, hi: int) -> list[Span]:
    lines = z.lines
    for ln in lines[lo: min(len(lines), hi + 1)]:
        for c in ln.cells:
            s = z.slice(c)
            # a trích yếu may open with a bare "Về …" instead of "V/v": only right under the number, in the left
            # column, where nothing else is printed
            ve = re.match(r"Về\s+(\w)", s)
            bare = (ve is not None and ve.group(1).islower() and z.number_line is not None
                    and 0 < ln.index - z.number_line <= 4 and (c[0] - ln.start) < 30 and c is ln.cells[0])
            if bare or re.match(r"(?:V/v|V/V|v/v|Về việc|VỀ VIỆC)\b", s):
                spans = [c]
                gap = 0
                for nxt in lines[ln.index + 1: ln.index + 10]:
                    if nxt.blank:
                        gap += 1
                        if gap > 1:
                            break
                        continue
                    c2 = nxt.cells[0]
                    if gap and not z.slice(c2)[:1].islower():
                        break  # after a blank line only a lower-case continuation (HTML/DOCX copies) goes on
                    gap = 0
                    s2 = z.slice(c2)
                    f2 = fold(s2)
                    if f2.startswith((_KINH_GUI, "can cu", "thuc hien")) or find_date_line(s2) or _motto_in(s2):
                        break
                    if (c2[0] - nxt.start) > 40:
                        break  # right column (e.g. a date line below the number)
                    spans.append(c2)
                return spans
    return []


_MARKER_RE = re.compile(r"^\s*(?:[-+•·◦▪–]|\d{1,2}[.)])\s*")


def _kinh_gui_block(z: Zones, ln: TextLine, cell: Span, label: str = _KINH_GUI) -> tuple[list[Span], int]:
    text = z.text
    s = text[cell[0]:cell[1]]
    m = re.match(r"(?i)(?:đồng\s+)?kính\s+gửi\s*:?\s*", s)
    first = (cell[0] + (m.end() if m else 0), cell[1])
    spans = [first] if first[1] > first[0] else []
    last_line = ln.index
    prev_text = text[first[0]:first[1]].rstrip() if spans else ""
    for nxt in z.lines[ln.index + 1: ln.index + 25]:
        if nxt.blank:
            if spans and prev_text.endswith((".", "./.")):
                break
            if spans and not prev_text.endswith((",", ";", ":")):
                break
            continue
        c = nxt.cells[0]
        s2 = text[c[0]:c[1]]
        marker = bool(_MARKER_RE.match(s2))
        if not spans:
            spans.append(c)
        elif marker or prev_text.endswith((",", ":")) or (prev_text.endswith(";") and not _starts_sentence(s2)):
            spans.append(c)
        elif not prev_text.endswith((".", ";", ":")) and (s2[:1].islower() or
                                                          (len(s2) < 40 and not _starts_sentence(s2))):
            spans.append(c)  # a wrapped addressee ("… Công ty TNHH Chế biến thủy sản" / "Tân Lộc Phát")
        else:
            break
        prev_text = s2.rstrip()
        last_line = nxt.index
        if prev_text.endswith(".") and not prev_text.endswith("TP."):
            break
    return spans, last_line


def _starts_sentence(s: str) -> bool:
    f = fold(s)
    return f.startswith(("thuc hien", "can cu", "ngay ", "de ", "theo ", "nham ", "sau khi", "vua qua"))


_CC_LABEL_RE = re.compile(r"(?i)n[ơo]i[ \t]+(?:nh[ậa]n|g[ửu]i)")


def _cc_candidates(z: Zones, body_start_line: int):
    lo = z.lines[min(body_start_line, len(z.lines) - 1)].start if z.lines else 0
    seen = set()
    for m in _CC_LABEL_RE.finditer(z.text, lo):
        ln = z.lines[_line_of(z.lines, m.start())]
        if ln.index in seen:
            continue
        seen.add(ln.index)
        for c in ln.cells[:2]:
            raw = z.slice(c)
            if c[0] == m.start() and re.match(r"(?i)n[ơo]i\s+(?:nh[ậa]n|g[ửu]i)\s*:?", raw):
                rest = re.sub(r"(?i)^n[ơo]i\s+(?:nh[ậa]n|g[ửu]i)\s*:?\s*", "", raw)
                if rest and not _MARKER_RE.match(rest) and len(rest) > 40:
                    continue  # prose about "nơi nhận", not the heading
                if not raw.rstrip().endswith(":") and not rest and len(raw.split()) > 3:
                    continue
                yield ln
                break


def _cc_block(z: Zones, label_line: TextLine) -> tuple[list[list[Span]], list[Span], int]:
    cc: list[list[Span]] = []
    sig: list[Span] = []
    label_cell_idx = next(i for i, c in enumerate(label_line.cells[:2])
                          if fold(z.slice(c)).startswith(_NOI_NHAN))
    label_cell = label_line.cells[label_cell_idx]
    # the signature column can precede the label on its line (docx cell order) or follow it
    for c in label_line.cells[:label_cell_idx] + label_line.cells[label_cell_idx + 1:]:
        sig.append(c)
    lab = re.match(r"(?i)n[ơo]i\s+(?:nh[ậa]n|g[ửu]i)\s*:?\s*", z.slice(label_cell))
    if lab and label_cell[0] + lab.end() < label_cell[1]:
        rest = (label_cell[0] + lab.end(), label_cell[1])
        if (AUTHORITY_RE.match(z.slice(rest)) and is_caps(z.slice(rest), 0.95)) or _is_signer_title(z.slice(rest)):
            sig.append(rest)  # OCR glued the signature column to the label: "Nơi nhận: KT. CHỦ TỊCH"
        else:
            cc.append([rest])
    left_x = label_cell[0] - label_line.start
    open_item = bool(cc)
    ended = False
    sig_seen = False
    last = label_line.index
    blank_run = 0
    for ln in z.lines[label_line.index + 1: label_line.index + 60]:
        if ln.blank:
            blank_run += 1
            if blank_run > 6 and sig:
                break
            continue
        blank_run = 0
        cells = list(ln.cells)
        first = cells[0]
        s = z.slice(first)
        x = first[0] - ln.start
        is_marker = bool(_MARKER_RE.match(s)) and not _is_title_line(_MARKER_RE.sub("", s))
        right_only = len(cells) == 1 and x - left_x > 25 and not is_marker
        if not ended and not right_only and (is_marker or (open_item and (not sig_seen or abs(x - left_x) <= 6)
                                                          and not _looks_like_name(s) and _continues_item(z, cc, s))):
            first, glued = _split_glued(z, first)
            if is_marker or not cc:
                cc.append([first])
            else:
                cc[-1].append(first)  # wrapped item
            open_item = True
            if glued is not None and not is_speck(z.slice(glued)):
                sig.append(glued)
            sig.extend(cells[1:])
            last = ln.index
            if s.rstrip().endswith(".") and re.match(r"(?i)^\s*[-+•]?\s*lưu", s):
                ended = True
            continue
        sig_seen = True
        sig.extend(cells)
        last = ln.index
        if _looks_like_name(z.slice(cells[-1])) and any(AUTHORITY_RE.match(z.slice(c)) or is_caps(z.slice(c))
                                                         for c in sig[:-1]):
            break
    return cc, sig, last


_GLUE_RE = re.compile(r"(?<=[;.,:])[ \t]+(?=\S)")


def _split_glued(z: Zones, span: Span) -> tuple[Span, Span | None]:
    """A copy-list item with the signature column glued on by OCR's single spaces ("- Như trên; PHÓ CHỦ TỊCH",
    "- Lưu: VT, NN. H.C.N"): the item, and the glued title, prefix or seal debris (None when there is none)."""
    t = z.slice(span)
    for m in _GLUE_RE.finditer(t):  # the earliest boundary whose tail qualifies: the longest glued part
        tail = t[m.end():].strip()
        if (AUTHORITY_RE.match(tail) and is_caps(tail, 0.95)) or _is_signer_title(tail) or is_speck(tail) or \
                _looks_like_name(tail):
            return (span[0], span[0] + m.start()), (span[0] + m.end(), span[1])
    # no punctuation before it: the longest run of capitals closing the item that is a title or a prefix line
    # ("- Như trên PHÓ CHỦ TỊCH")
    words = list(re.finditer(r"\S+", t))
    for k in range(1, len(words)):
        tail = t[words[k].start():]
        if words[k - 1].group().isupper() or not all(w.group().isupper() for w in words[k:]):
            continue
        if (AUTHORITY_RE.match(tail) and is_caps(tail, 0.95)) or _is_signer_title(tail):
            return (span[0], span[0] + words[k - 1].end()), (span[0] + words[k].start(), span[1])
    return span, None


_TITLE_WORDS = ("TRƯỞNG", "PHÓ", "CHỦ TỊCH", "GIÁM ĐỐC", "BÍ THƯ", "THỦ TƯỚNG", "VĂN PHÒNG", "ỦY VIÊN", "UỶ VIÊN")


def _is_title_line(s: str) -> bool:
    """A caps office title ("TRƯỞNG BAN") that a layout glued to a list marker."""
    s = s.strip()
    return is_caps(s, 1.0) and len(s.split()) <= 4 and any(w in s for w in _TITLE_WORDS)


def _continues_item(z: Zones, cc: list[Span], s: str) -> bool:
    if not cc:
        return False
    prev = z.slice(cc[-1][-1]).rstrip()
    if prev.endswith((";", ".")) and not prev.endswith(("TP.", "đ/c.")):
        return False
    if AUTHORITY_RE.match(s):
        return False
    # a caps line is the signature column ("PHÓ CHỦ TỊCH"), unless it is a short tail that closes the wrapped
    # item with its own ";" ("… Đoàn Chủ tịch" + "TLĐ;"): titles and names never end with one
    if is_caps(s) and len(s) > 3 and not (s.rstrip().endswith(";") and len(s.split()) <= 3):
        return False
    return True


_NAME_WORD = re.compile(r"^[A-ZĐÂĂÊÔƠƯÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ][a-zà-ỹđ]*$")
_NOT_NAME = {"Nơi", "Như", "Kính", "Số", "Ngày", "Điều", "Căn", "Chủ", "Phó", "Giám", "Trưởng", "Bộ", "Ủy",
             "Ban", "Sở", "Văn", "Các", "Thủ", "Tổng", "Hội", "Cộng", "Độc", "Thực", "Trang", "Địa", "Điện", "Fax",
             "Email", "Đơn", "Cơ", "Phòng", "Ký", "Thời", "Công", "Đảng", "Chính", "Quốc", "Tỉnh", "Huyện", "Xã"}


@lru_cache(maxsize=1)
def _rank_keys() -> list[tuple[list[str], str]]:
    from ..lexicons import ranks

    return [(fold(r).replace(".", " ").split(), r) for r, _kind in ranks()]


def split_rank(s: str) -> tuple[str | None, str]:
    """A rank or academic title printed before a name, and the rest: "Thượng tướng Lê Văn A" ->
    ("Thượng tướng", "Lê Văn A"). Ranks come from lexicons/ranks.txt and match with tone marks folded."""
    s = s.strip()
    words = s.split()
    folded = fold(s).replace(".", " ").split()
    for key, printed in _rank_keys():
        if len(key) > 1 and folded and folded[0] == "".join(key) and len(words) > 1:
            return printed, " ".join(words[1:])  # OCR lost the space: "Thiếutường Lê Văn A"
        if folded[: len(key)] == key and len(folded) > len(key):
            # consume the printed words that make up the rank ("PGS.TS." is one word, "Đại tá" two)
            taken, k = 0, 0
            while k < len(key) and taken < len(words):
                k += len(fold(words[taken]).replace(".", " ").split())
                taken += 1
            if k == len(key):
                return printed, " ".join(words[taken:]).lstrip(" ,")
    return None, s


# OCR specks around a name: quotes, stray marks, a dot left by the seal ("' Nguyễn Văn An .")
_SPECK_EDGE = re.compile(r"^[^\wĐđ]+|[^\wĐđ]+$")


def strip_specks(s: str) -> str:
    return _SPECK_EDGE.sub("", s.strip())


def _looks_like_name(s: str) -> bool:
    s = strip_specks(s)
    s = split_rank(s)[1]
    words = s.split()
    if not 2 <= len(words) <= 5:
        return False
    if words[0] in _NOT_NAME:
        return False
    if all(w.isupper() for w in words):
        # names printed in capitals happen, but most caps lines are titles: take one only when it opens with a
        # family name and holds no word of a title or a body ("NGUYỄN THỊ HOA", not "PHÓ GIÁM ĐỐC")
        return caps_name(s)
    return all(_NAME_WORD.match(w) for w in words)


@lru_cache(maxsize=1)
def _surname_folds() -> frozenset[str]:
    from ..lexicons import surnames

    return frozenset(fold(x) for x in surnames())


_CAPS_NOT_NAME = {"ho chi minh", "viet nam", "trung uong", "nhan dan", "chinh phu", "quoc hoi"}


def caps_name(s: str) -> bool:
    """A personal name printed in capitals: two to five letter-only words, the first a family name of the
    lexicon, none of them a title word, not a place or body name."""
    words = s.split()
    if not 2 <= len(words) <= 5 or not all(w.isalpha() and w.isupper() for w in words):
        return False
    f = fold(s)
    if f in _CAPS_NOT_NAME or _is_signer_title(s) or any(w in _TITLE_WORDS for w in words):
        return False
    if any(fold(w) in ("ban", "bo", "so", "uy", "tinh", "huyen", "xa", "phong")
           for w in words[1:2]):
        return False
    return fold(words[0]) in _surname_folds()


def looks_like_name(s: str) -> bool:
    return _looks_like_name(s)


def _has_signature(z: Zones, cells: list[Span]) -> bool:
    return any(_looks_like_name(z.slice(c)) for c in cells)


def _signature_before(z: Zones, cc_index: int) -> list[Span]:
    """DOCX tables may put the signature cell before the Nơi nhận cell."""
    out: list[Span] = []
    for ln in z.lines[max(0, cc_index - 12): cc_index]:
        for c in ln.cells:
            s = z.slice(c)
            if out or AUTHORITY_RE.match(s):
                out.append(c)
    return out if any(_looks_like_name(z.slice(c)) for c in out) else []


def _signature_without_cc(z: Zones, body_start_line: int) -> list[Span]:
    lines = z.lines
    n = len(lines)
    # the signature sits at the end: look at the last 400 lines only
    lo = max(body_start_line, int(n * 0.3), n - 400)
    for ln in reversed(lines[lo:]):
        for ci, c in enumerate(ln.cells):
            if AUTHORITY_RE.match(z.slice(c)):
                out = [c] + list(ln.cells[ci + 1:])
                for nxt in lines[ln.index + 1: ln.index + 14]:
                    out.extend(nxt.cells)
                    if nxt.cells and _looks_like_name(z.slice(nxt.cells[-1])):
                        break
                return out
    # no authority prefix: a caps title followed by a name near the end (head signing in own right)
    for ln in reversed(lines[max(lo, n - 30):]):
        if ln.cells and _looks_like_name(z.slice(ln.cells[-1])):
            out = []
            for prev in lines[max(0, ln.index - 6): ln.index]:
                for c in prev.cells:
                    if is_caps(z.slice(c)) and not _motto_in(z.slice(c)):
                        out.append(c)
            if out:
                return out + [ln.cells[-1]]
    # a known title line ("CHỦ TỊCH QUỐC HỘI"), then only blank or "(Đã ký)" lines, then a name: a web copy
    # may add pages of site chrome after it, so the whole tail is searched, the last such block wins
    for ln in reversed(lines[lo:]):
        if len(ln.cells) != 1 or not _is_signer_title(z.slice(ln.cells[0])):
            continue
        for nxt in lines[ln.index + 1: ln.index + 8]:
            kind = _line_kind(z, nxt)
            if kind == "name":
                return [ln.cells[0], nxt.cells[-1]]
            if kind not in ("blank", "noise"):
                break
    return []


@lru_cache(maxsize=1)
def _signer_title_keys() -> tuple[str, ...]:
    from ..lexicons import signer_titles

    return tuple(sorted((fold(t) for t in signer_titles()), key=len, reverse=True))


def _is_signer_title(s: str) -> bool:
    """A caps line that is a signer's title, possibly followed by its body ("BỘ TRƯỞNG BỘ Y TẾ")."""
    s = s.strip()
    if not is_caps(s, 0.95) or len(s) > 70:
        return False
    f = fold(s)
    return any(f == k or f.startswith(k + " ") for k in _signer_title_keys())


def _signature_end(z: Zones) -> int:
    for c in z.signature:
        if _looks_like_name(z.slice(c)):
            return z.lines[_line_of(z.lines, c[1])].end
    return z.lines[_line_of(z.lines, z.signature[-1][1])].end


def _line_kind(z: Zones, ln: TextLine) -> str:
    """How a line of the signature area reads: name | authority | caps | noise | blank | other."""
    if ln.blank:
        return "blank"
    kinds = []
    for c in ln.cells:
        t = z.slice(c)
        if _looks_like_name(t):
            kinds.append("name")
        elif AUTHORITY_RE.match(t):
            kinds.append("authority")
        elif _SIG_NOISE.search(t) or is_speck(t):
            kinds.append("noise")
        elif is_caps(t) and len(t) < 80 and not _motto_in(t):
            kinds.append("caps")
        else:
            kinds.append("other")
    for k in ("other", "name", "authority", "caps"):
        if k in kinds:
            return k
    return "noise"


_SIG_NOISE = re.compile(r"(?i)^\(?\s*(?:đã\s*k[ýí]|ký tên|ký,? đóng dấu|ký,? ghi rõ|chữ ký|dấu)|^(?:Ký bởi|Thời gian ký)")


def is_speck(s: str) -> bool:
    """OCR debris from a seal or a signature: no word of two letters or more ("X,", "H.C.N", "' .")."""
    return not re.search(r"[^\W\d_]{2,}", s)


def _block_before(z: Zones, first_line: int) -> int | None:
    """The first line of a complete signature block (prefix or title lines, then a name) that ends just
    above ``first_line`` with only blank or noise lines between, or None."""
    i = first_line - 1
    gap = 0
    while i >= 0 and z.lines[i].blank and gap < 6:
        i -= 1
        gap += 1
    if i < 0 or _line_kind(z, z.lines[i]) != "name":
        return None
    start = None
    for j in range(i - 1, max(-1, i - 12), -1):
        kind = _line_kind(z, z.lines[j])
        if kind in ("blank", "noise", "caps"):
            continue
        if kind == "authority":
            start = j
            continue
        break
    # the topmost prefix line opens the block (caps lines above it belong to the body, not to the signature);
    # a block without any prefix line (a head in own right) is not taken from above
    return start


def _block_after(z: Zones, last_line: int) -> int | None:
    """The last line (its name) of a signature block that starts just below ``last_line``, or None."""
    n = len(z.lines)
    i = last_line + 1
    gap = 0
    while i < n and _line_kind(z, z.lines[i]) in ("blank", "noise") and gap < 6:
        i += 1
        gap += 1
    if i >= n or _line_kind(z, z.lines[i]) != "authority":
        return None
    for j in range(i + 1, min(n, i + 14)):
        kind = _line_kind(z, z.lines[j])
        if kind == "name":
            return j
        if kind not in ("blank", "noise", "caps", "authority"):
            return None
    return None


def _more_signature_blocks(z: Zones) -> tuple[list[Span], list[Span]]:
    """Signature blocks printed above or below the one found (joint documents): cells before, cells after."""
    lines = z.lines
    sig_lines = sorted({_line_of(lines, c[0]) for c in z.signature})
    names = [_line_of(lines, c[0]) for c in z.signature if _looks_like_name(z.slice(c))]
    if not names:
        return [], []
    before: list[Span] = []
    first = sig_lines[0]
    for _ in range(8):
        start = _block_before(z, first)
        if start is None:
            break
        before = [c for ln in lines[start:first] for c in ln.cells if not is_speck(z.slice(c))] + before
        first = start
    after: list[Span] = []
    last = max(names)
    taken = set(z.signature)
    for _ in range(8):
        end = _block_after(z, last)
        if end is None:
            break
        after += [c for ln in lines[last + 1:end + 1] for c in ln.cells if c not in taken]
        last = end
    return before, after


@dataclass
class _Block:
    col: int
    cells: list[Span] = field(default_factory=list)
    done: bool = False  # its name has been read


def signature_blocks(z: Zones, cells: list[Span]) -> list[list[Span]]:
    """Cut signature cells into blocks, one per signer, in reading order. A block ends with its name;
    side-by-side blocks (a 2 x N grid of a joint document) are told apart by the column each cell starts in, and
    a lone centred cell goes to the one block still open (the centred last block of a 2 + 1 grid)."""
    if not cells:
        return []
    starts = z.lines.starts
    rows: dict[int, list[Span]] = {}
    for c in cells:
        rows.setdefault(_line_of(z.lines, c[0]), []).append(c)

    def sig_like(c: Span) -> bool:
        t = z.slice(c)
        return bool(AUTHORITY_RE.match(t)) or _looks_like_name(t) or (is_caps(t) and len(t) >= 4 and not is_speck(t))

    # the column boundary: midway between where left and right cells of two-cell rows start
    wide = [r for r in (sorted(c for c in row if sig_like(c)) for row in rows.values()) if len(r) >= 2]
    split_x = None
    if wide:
        left = sum(r[0][0] - starts[_line_of(z.lines, r[0][0])] for r in wide) / len(wide)
        right = sum(r[-1][0] - starts[_line_of(z.lines, r[-1][0])] for r in wide) / len(wide)
        split_x = (left + right) / 2
    blocks: list[_Block] = []
    for idx in sorted(rows):
        row = sorted(rows[idx])
        for c in row:
            col = 0 if split_x is None else int(c[0] - starts[idx] >= split_x)
            if split_x is not None and len(row) == 1:
                still_open = [b for b in blocks if not b.done]
                if len(still_open) == 1:
                    col = still_open[0].col
            cur = next((b for b in reversed(blocks) if b.col == col and not b.done), None)
            if cur is None:
                cur = _Block(col)
                blocks.append(cur)
            cur.cells.append(c)
            cur.done = cur.done or _looks_like_name(z.slice(c))
    # a block of debris only (a speck line after the last name) is not a signer
    return [b.cells for b in blocks
            if any(AUTHORITY_RE.match(z.slice(c)) or is_caps(z.slice(c)) or _looks_like_name(z.slice(c)) for c in b.cells)]
