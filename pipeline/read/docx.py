"""Word 2007+ documents (.docx, also .docm/.dotx): the text in reading order.

The package is read with zipfile and its XML walked with lxml (python-docx's ``paragraphs``/``tables`` skip
most of what an office document holds, and its package loader refuses hand-made packages that Word opens):

- body paragraphs and tables in document order; each table cell once (row by row, merged cells once), nested
  tables inside their cell, so a two-column letterhead comes out as the left cell's lines then the right's;
- content controls (``w:sdt``), custom XML, smart tags and hyperlinks are walked through;
- tracked changes are accepted: inserted/moved-to text kept, deleted/moved-from text dropped;
- fields show their result, never their instruction;
- text boxes (``w:txbxContent``, DrawingML or VML, only one of an ``mc:AlternateContent`` pair) follow the
  paragraph that anchors them;
- Word automatic numbering (``w:numPr``, directly or through the paragraph style) is rebuilt from
  ``numbering.xml`` and printed before the paragraph text ("1. ", "a) ", "- ");
- footnotes and endnotes come after the body, then the header/footer lines (page numbers dropped).
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from urllib.parse import unquote

from lxml import etree

from ..models import Source, Text
from .errors import CorruptFile, EncryptedFile, TooLarge
from .options import ReadOptions

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


P, R, T, TBL, TR, TC = _w("p"), _w("r"), _w("t"), _w("tbl"), _w("tr"), _w("tc")
PPR, RPR, TCPR, TRPR = _w("pPr"), _w("rPr"), _w("tcPr"), _w("trPr")
TAB, PTAB, BR, CR = _w("tab"), _w("ptab"), _w("br"), _w("cr")
NO_BREAK_HYPHEN, SYM = _w("noBreakHyphen"), _w("sym")
INS, DEL, MOVE_TO, MOVE_FROM = _w("ins"), _w("del"), _w("moveTo"), _w("moveFrom")
HYPERLINK, SMART_TAG, CUSTOM_XML, FLD_SIMPLE = _w("hyperlink"), _w("smartTag"), _w("customXml"), _w("fldSimple")
SDT, SDT_CONTENT, DIR, BDO = _w("sdt"), _w("sdtContent"), _w("dir"), _w("bdo")
FLD_CHAR, INSTR_TEXT, DEL_TEXT = _w("fldChar"), _w("instrText"), _w("delText")
TXBX_CONTENT, FOOTNOTE_REF, ENDNOTE_REF = _w("txbxContent"), _w("footnoteReference"), _w("endnoteReference")
NUM_PR, V_MERGE = _w("numPr"), _w("vMerge")
SECT_PR = _w("sectPr")
ALT_CONTENT, MC_CHOICE, MC_FALLBACK = f"{{{MC_NS}}}AlternateContent", f"{{{MC_NS}}}Choice", f"{{{MC_NS}}}Fallback"
M_T, M_OMATH, M_OMATH_PARA = f"{{{M_NS}}}t", f"{{{M_NS}}}oMath", f"{{{M_NS}}}oMathPara"
VAL = _w("val")

_INLINE_CONTAINERS = {HYPERLINK, SMART_TAG, CUSTOM_XML, INS, MOVE_TO, FLD_SIMPLE, DIR, BDO, SDT_CONTENT}

NUMBERING_WARNING = "list numbering rebuilt from Word numbering definitions"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_ZIP_ENTRIES = 10_000
_MAX_RATIO = 500  # uncompressed/compressed: real XML stays under 100, deflate bombs sit near 1000
_PAGE_NUMBER_RE = re.compile(r"^\W*(?:trang|page)?\s*\d{1,4}(?:\s*(?:/|of|trên)\s*\d{1,4})?\W*$", re.IGNORECASE)

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


# --- numbering -----------------------------------------------------------------------------------------------


@dataclass
class Level:
    num_fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None  # w:lvlRestart: restart after a level <= this (1-based); 0 = never
    legal: bool = False  # w:isLgl: show every level in decimal
    suffix: str = "tab"
    style: str | None = None  # w:pStyle: the paragraph style bound to this level


def _attr(el: etree._Element | None, tag: str) -> str | None:
    if el is None:
        return None
    child = el.find(_w(tag))
    return None if child is None else child.get(VAL)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _parse_level(lvl: etree._Element) -> Level:
    level = Level()
    level.num_fmt = _attr(lvl, "numFmt") or "decimal"
    text = _attr(lvl, "lvlText")
    level.text = text if text is not None else ""
    level.start = _int(_attr(lvl, "start"), 0 if level.num_fmt in ("decimalZero",) else 1)
    restart = _attr(lvl, "lvlRestart")
    level.restart = _int(restart, 0) if restart is not None else None
    legal = lvl.find(_w("isLgl"))
    level.legal = legal is not None and legal.get(VAL, "1") not in ("0", "false", "off")
    level.suffix = _attr(lvl, "suff") or "tab"
    level.style = _attr(lvl, "pStyle")
    return level


def _roman(n: int) -> str:
    if n <= 0:
        return str(n)
    out = []
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)  # Word: ..., z, aa, bb, ...


def format_number(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)  # decimal, ordinal, decimalEnclosed*, and formats without a plain-text form


def _bullet(text: str) -> str:
    glyph = text.strip()
    return "+" if glyph == "+" else "-"  # "-", "–", "•", Symbol/Wingdings private-use glyphs ... -> "-"


class Numbering:
    """Word's list counters, advanced paragraph by paragraph in reading order."""

    def __init__(self, numbering: etree._Element | None, styles: Styles):
        self.styles = styles
        self.abstract: dict[str, dict[int, Level]] = {}
        self.style_link: dict[str, str] = {}  # abstractNum -> w:numStyleLink style id
        self.nums: dict[str, tuple[str, dict[int, tuple[int | None, Level | None]]]] = {}
        if numbering is not None:
            for absnum in numbering.iter(_w("abstractNum")):
                abs_id = absnum.get(_w("abstractNumId"))
                levels = {}
                for lvl in absnum.findall(_w("lvl")):
                    levels[_int(lvl.get(_w("ilvl")), 0)] = _parse_level(lvl)
                self.abstract[abs_id] = levels
                link = _attr(absnum, "numStyleLink")
                if link:
                    self.style_link[abs_id] = link
            for num in numbering.iter(_w("num")):
                overrides: dict[int, tuple[int | None, Level | None]] = {}
                for ov in num.findall(_w("lvlOverride")):
                    ilvl = _int(ov.get(_w("ilvl")), 0)
                    start = _attr(ov, "startOverride")
                    lvl = ov.find(_w("lvl"))
                    overrides[ilvl] = (_int(start, 1) if start is not None else None,
                                       _parse_level(lvl) if lvl is not None else None)
                self.nums[num.get(_w("numId"))] = (_attr(num, "abstractNumId") or "", overrides)
        self.counters: dict[str, dict[int, int]] = {}
        self.seen: set[str] = set()
        self.used = False

    def _levels(self, num_id: str) -> tuple[str, dict[int, Level]] | None:
        entry = self.nums.get(num_id)
        if entry is None:
            return None
        abs_id, overrides = entry
        for _ in range(5):  # follow w:numStyleLink -> style -> numId -> abstractNum
            link = self.style_link.get(abs_id)
            if not link or self.abstract.get(abs_id):
                break
            linked = self.styles.numbering(link)[0]
            if linked is None or linked not in self.nums:
                break
            abs_id = self.nums[linked][0]
        levels = dict(self.abstract.get(abs_id, {}))
        for ilvl, (_start, lvl) in overrides.items():
            if lvl is not None:
                levels[ilvl] = lvl
        return abs_id, levels

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        found = self._levels(num_id)
        if found:
            for ilvl, lvl in found[1].items():
                if lvl.style == style_id:
                    return ilvl
        return None

    def label(self, num_id: str, ilvl: int) -> str | None:
        found = self._levels(num_id)
        if found is None:
            return None
        abs_id, levels = found
        level = levels.get(ilvl)
        if level is None:
            return None
        counters = self.counters.setdefault(abs_id, {})
        if num_id not in self.seen:
            self.seen.add(num_id)
            for lv, (start, _lvl) in self.nums[num_id][1].items():
                if start is not None:
                    counters[lv] = start - 1
        counters[ilvl] = level.start if ilvl not in counters else counters[ilvl] + 1
        for deeper, dl in levels.items():
            if deeper > ilvl and (dl.restart is None or (dl.restart != 0 and ilvl < dl.restart)):
                counters.pop(deeper, None)
        if level.num_fmt == "bullet":
            text = _bullet(level.text)
        else:
            def sub(m: re.Match[str]) -> str:
                k = int(m.group(1)) - 1
                lk = levels.get(k)
                value = counters.get(k, lk.start if lk else 1)
                fmt = lk.num_fmt if lk else "decimal"
                if level.legal or fmt in ("bullet", "none"):
                    fmt = "decimal"
                return format_number(value, fmt)

            text = re.sub(r"%([1-9])", sub, level.text).strip()
            if level.num_fmt == "none" and not text:
                return None
        if not text:
            return None
        self.used = True
        return text + ("" if level.suffix == "nothing" else " ")


@dataclass
class StyleEntry:
    based_on: str | None = None
    num_id: str | None = None
    ilvl: int | None = None


@dataclass
class Styles:
    entries: dict[str, StyleEntry] = field(default_factory=dict)
    default: str | None = None

    @classmethod
    def parse(cls, root: etree._Element | None) -> Styles:
        styles = cls()
        if root is None:
            return styles
        for st in root.iter(_w("style")):
            if st.get(_w("type")) not in (None, "paragraph", "numbering"):
                continue
            sid = st.get(_w("styleId"))
            if not sid:
                continue
            entry = StyleEntry(based_on=_attr(st, "basedOn"))
            ppr = st.find(PPR)
            numpr = ppr.find(NUM_PR) if ppr is not None else None
            if numpr is not None:
                entry.num_id = _attr(numpr, "numId")
                ilvl = _attr(numpr, "ilvl")
                entry.ilvl = _int(ilvl, 0) if ilvl is not None else None
            styles.entries[sid] = entry
            if st.get(_w("default")) in ("1", "true", "on") and st.get(_w("type")) in (None, "paragraph"):
                styles.default = sid
        return styles

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        """(numId, ilvl) a paragraph style carries, following w:basedOn."""
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            entry = self.entries.get(style_id)
            if entry is None:
                break
            if entry.num_id is not None:
                return entry.num_id, entry.ilvl
            style_id = entry.based_on
        return None, None


# --- the walker ----------------------------------------------------------------------------------------------


class _Walker:
    def __init__(self, styles: Styles, numbering: Numbering):
        self.styles = styles
        self.numbering = numbering
        self.fields: list[str] = []  # stack of "instr" / "result" for complex fields
        self.note_order: dict[tuple[str, str], int] = {}

    # blocks -------------------------------------------------------------------------------------------------
    def blocks(self, container: etree._Element, out: list[str]) -> None:
        for child in container:
            tag = child.tag
            if tag == P:
                self.paragraph(child, out)
            elif tag == TBL:
                self.table(child, out)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self.blocks(content, out)
            elif tag in (CUSTOM_XML, INS, MOVE_TO, SDT_CONTENT):
                self.blocks(child, out)
            elif tag == ALT_CONTENT:
                branch = _pick_alternate(child)
                if branch is not None:
                    self.blocks(branch, out)

    def table(self, tbl: etree._Element, out: list[str]) -> None:
        for tr in _children(tbl, TR):
            trpr = tr.find(TRPR)
            if trpr is not None and trpr.find(DEL) is not None:
                continue  # a deleted row (tracked change)
            for tc in _children(tr, TC):
                tcpr = tc.find(TCPR)
                vmerge = tcpr.find(V_MERGE) if tcpr is not None else None
                if vmerge is not None and vmerge.get(VAL) in (None, "continue") and not _has_text(tc):
                    continue  # the lower part of a vertically merged cell
                self.blocks(tc, out)

    def paragraph(self, p: etree._Element, out: list[str]) -> None:
        parts: list[str] = []
        boxes: list[str] = []
        self.inline(p, parts, boxes)
        text = "".join(parts)
        label = self.list_label(p)
        if label and text.strip():
            text = label + text.lstrip(" ")
        out.append(text)
        out.extend(boxes)

    def list_label(self, p: etree._Element) -> str | None:
        ppr = p.find(PPR)
        num_id = ilvl = None
        style_id = None
        if ppr is not None:
            style_id = _attr(ppr, "pStyle")
            numpr = ppr.find(NUM_PR)
            if numpr is not None:
                num_id = _attr(numpr, "numId")
                lv = _attr(numpr, "ilvl")
                ilvl = _int(lv, 0) if lv is not None else None
        style_id = style_id or self.styles.default
        if num_id is None or ilvl is None:
            s_num, s_ilvl = self.styles.numbering(style_id)
            if num_id is None:
                num_id = s_num
            if ilvl is None and s_num is not None:
                ilvl = s_ilvl
                if ilvl is None and style_id:
                    ilvl = self.numbering.level_for_style(num_id or s_num, style_id)
        if num_id is None or num_id == "0":
            return None
        return self.numbering.label(num_id, ilvl or 0)

    # inline -------------------------------------------------------------------------------------------------
    def inline(self, el: etree._Element, parts: list[str], boxes: list[str]) -> None:
        for child in el:
            tag = child.tag
            if tag == R:
                self.run(child, parts, boxes)
            elif tag in _INLINE_CONTAINERS:
                self.inline(child, parts, boxes)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self.inline(content, parts, boxes)
            elif tag == ALT_CONTENT:
                branch = _pick_alternate(child)
                if branch is not None:
                    self.inline(branch, parts, boxes)
            elif tag in (M_OMATH, M_OMATH_PARA):
                parts.extend(t.text or "" for t in child.iter(M_T))

    def run(self, r: etree._Element, parts: list[str], boxes: list[str]) -> None:
        for child in r:
            tag = child.tag
            if tag == FLD_CHAR:
                kind = child.get(_w("fldCharType"))
                if kind == "begin":
                    self.fields.append("instr")
                elif kind == "separate" and self.fields:
                    self.fields[-1] = "result"
                elif kind == "end" and self.fields:
                    self.fields.pop()
                continue
            if self.fields and self.fields[-1] == "instr" and tag in (T, TAB, BR, CR):
                continue  # the field's code, not its shown result
            if tag == T:
                parts.append(child.text or "")
            elif tag in (TAB, PTAB):
                parts.append("\t")
            elif tag == BR:
                if child.get(_w("type")) in (None, "textWrapping"):
                    parts.append("\n")
            elif tag == CR:
                parts.append("\n")
            elif tag == NO_BREAK_HYPHEN:
                parts.append("-")
            elif tag == SYM:
                parts.append(_symbol(child.get(_w("char"))))
            elif tag in (FOOTNOTE_REF, ENDNOTE_REF):
                key = ("footnote" if tag == FOOTNOTE_REF else "endnote", child.get(_w("id")) or "")
                self.note_order.setdefault(key, len([k for k in self.note_order if k[0] == key[0]]) + 1)
            elif tag in (INS, MOVE_TO):  # some producers nest these in runs
                self.run(child, parts, boxes)
            elif tag not in (RPR, DEL_TEXT, INSTR_TEXT):
                for box in _top_level(child, TXBX_CONTENT):
                    self.blocks(box, boxes)


def _children(el: etree._Element, tag: str):
    """Direct children with ``tag``, looking through content controls, custom XML and tracked insertions."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in (SDT, SDT_CONTENT, CUSTOM_XML, INS, MOVE_TO):
            yield from _children(child, tag)


def _has_text(el: etree._Element) -> bool:
    return any((t.text or "").strip() for t in el.iter(T))


def _pick_alternate(alt: etree._Element) -> etree._Element | None:
    """One branch of an mc:AlternateContent: the first Choice, unless only the Fallback holds text boxes."""
    choice = alt.find(MC_CHOICE)
    fallback = alt.find(MC_FALLBACK)
    if choice is not None and (fallback is None or _first(choice, TXBX_CONTENT) is not None
                               or _first(fallback, TXBX_CONTENT) is None):
        return choice
    return fallback


def _first(el: etree._Element, tag: str) -> etree._Element | None:
    for found in el.iter(tag):
        return found
    return None


def _top_level(el: etree._Element, tag: str):
    """Elements ``tag`` under ``el`` that are not inside another ``tag`` (nested text boxes come with their
    parent) and not in the unused branch of an mc:AlternateContent."""
    if el.tag == tag:
        yield el
        return
    if el.tag == ALT_CONTENT:
        branch = _pick_alternate(el)
        if branch is not None:
            yield from _top_level(branch, tag)
        return
    for child in el:
        if isinstance(child.tag, str):
            yield from _top_level(child, tag)


def _symbol(code: str | None) -> str:
    """w:sym: a Symbol/Wingdings glyph; bullets and dashes map to text, the rest is dropped."""
    if not code:
        return ""
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    if value >= 0xF000:
        value -= 0xF000
    return {0x2D: "-", 0x2B: "+", 0xB7: "-", 0xA7: "-", 0xD8: "-", 0xFC: "-", 0x9F: "-", 0x6C: "-", 0x6E: "-",
            0xB4: "x", 0xAE: "→"}.get(value, "")


# --- package ---------------------------------------------------------------------------------------------------


def _check_container(path: str, options: ReadOptions) -> None:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(_OLE_MAGIC):
        if is_encrypted_ole(path):
            raise EncryptedFile(path, "the Word document is password-protected (encrypted); save it without a "
                                      "password and read it again")
        raise CorruptFile(path, "not a DOCX (ZIP) package but an OLE compound file")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CorruptFile(path, f"not a readable DOCX (ZIP) package: {exc}") from None
    if len(infos) > _MAX_ZIP_ENTRIES:
        raise TooLarge(path, f"the DOCX package holds {len(infos):,} entries (over {_MAX_ZIP_ENTRIES:,})")
    total = sum(i.file_size for i in infos)
    if total > options.max_unzipped_bytes:
        raise TooLarge(path, f"the DOCX package unzips to {total / 1e6:.0f} MB, over the "
                             f"{options.max_unzipped_bytes / 1e6:.0f} MB limit")
    for info in infos:
        if info.file_size > 1_000_000 and info.file_size > _MAX_RATIO * max(info.compress_size, 1):
            raise TooLarge(path, f"{info.filename} would expand {info.file_size // max(info.compress_size, 1):,} "
                                 "times (a ZIP bomb?)")


def is_encrypted_ole(path: str) -> bool:
    """An OLE compound file holding an Office ``EncryptedPackage`` stream (an encrypted DOCX/XLSX/PPTX), or a
    Word 97-2003 file whose FIB says fEncrypted."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(4 * 1024 * 1024)
    except OSError:
        return False
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return True
    return _doc_fib_encrypted(data)


def _doc_fib_encrypted(data: bytes) -> bool:
    """Word 97-2003: the WordDocument stream starts with the FIB (wIdent 0xA5EC); bit 0x0100 of its flags is
    fEncrypted. The stream usually starts in the first sector after the header; look for the FIB there."""
    for offset in range(512, min(len(data), 512 * 64), 512):
        n_fib = int.from_bytes(data[offset + 2:offset + 4], "little")
        if data[offset:offset + 2] == b"\xec\xa5" and 0x60 <= n_fib <= 0x200:
            flags = int.from_bytes(data[offset + 10:offset + 12], "little")
            return bool(flags & 0x0100)
    return False


class Package:
    """The parts of a DOCX (OPC) package that the reader needs, read straight from the ZIP: the main document
    and the parts its relationships point to. (Hand-made and damaged packages often lack ``_rels/.rels`` or
    content types; Word still opens them, so this does not insist on them.)"""

    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        self.names = set(zf.namelist())
        self.main = self._main_part()
        self.rels = self.relationships(self.main)

    def _main_part(self) -> str:
        for rtype, target in self.relationships("").values():
            if rtype.endswith("/officeDocument") and target in self.names:
                return target
        if "word/document.xml" in self.names:
            return "word/document.xml"
        raise KeyError("no main document part (word/document.xml)")

    def relationships(self, partname: str) -> dict[str, tuple[str, str]]:
        """rId -> (relationship type, target part name) for the internal relationships of ``partname``."""
        folder, base = posixpath.split(partname)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if rels_name not in self.names:
            return {}
        out = {}
        for rel in self.xml(rels_name):
            if not isinstance(rel.tag, str) or rel.get("TargetMode") == "External":
                continue
            target = unquote(rel.get("Target") or "")
            if not target:
                continue
            if target.startswith("/"):
                resolved = target.lstrip("/")
            else:
                resolved = posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id") or ""] = (rel.get("Type") or "", resolved)
        return out

    def xml(self, name: str) -> etree._Element:
        data = self.zf.read(name)
        if b"purl.oclc.org/ooxml/wordprocessingml/main" in data[:4096]:  # Strict OOXML: same vocabulary
            data = data.replace(b"http://purl.oclc.org/ooxml/wordprocessingml/main", W_NS.encode())
        return etree.fromstring(data, _PARSER)

    def related(self, reltype: str) -> etree._Element | None:
        """The main document's first part of relationship type ``reltype`` (its last path segment)."""
        for rtype, target in self.rels.values():
            if rtype.rsplit("/", 1)[-1] == reltype and target in self.names:
                return self.xml(target)
        return None

    def part_for(self, rid: str) -> etree._Element | None:
        found = self.rels.get(rid)
        if found is None or found[1] not in self.names:
            return None
        return self.xml(found[1])


def _notes(package: Package, kind: str, walker: _Walker) -> list[str]:
    root = package.related(kind + "s")
    if root is None:
        return []
    lines: list[str] = []
    order = {nid: n for (k, nid), n in walker.note_order.items() if k == kind}
    notes = []
    for note in root.findall(_w(kind)):
        if note.get(_w("type")) not in (None, "normal"):
            continue  # separators
        nid = note.get(_w("id")) or ""
        notes.append((order.get(nid, 10_000 + len(notes)), nid, note))
    for number, _nid, note in sorted(notes, key=lambda x: x[0]):
        body: list[str] = []
        walker.blocks(note, body)
        body = [b for b in body if b.strip()]
        if not body:
            continue
        mark = str(number) if number < 10_000 else "*"
        lines.append(f"[{mark}] {body[0].strip()}")
        lines.extend(body[1:])
    return lines


def _headers_footers(package: Package, body: etree._Element, walker: _Walker) -> list[str]:
    lines: list[str] = []
    seen_parts = set()
    seen_lines = set()
    for sect in body.iter(SECT_PR):
        for ref in sect:
            if ref.tag not in (_w("headerReference"), _w("footerReference")):
                continue
            rid = ref.get(f"{{{R_NS}}}id")
            if not rid or rid in seen_parts:
                continue
            seen_parts.add(rid)
            root = package.part_for(rid)
            if root is None:
                continue
            out: list[str] = []
            walker.blocks(root, out)
            for line in out:
                for piece in line.split("\n"):
                    key = piece.strip()
                    if not key or _PAGE_NUMBER_RE.match(key) or key in seen_lines:
                        continue
                    seen_lines.add(key)
                    lines.append(piece.rstrip())
    return lines


def extract_docx_text(path: str, options: ReadOptions | None = None) -> tuple[str, list[str]]:
    """The document's text (not yet NFC) and warnings."""
    options = options or ReadOptions()
    _check_container(path, options)
    try:
        with zipfile.ZipFile(path) as zf:
            return _extract(Package(zf), path)
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, etree.XMLSyntaxError, ValueError,
            NotImplementedError, OSError) as exc:
        raise CorruptFile(path, f"damaged DOCX package: {type(exc).__name__}: {str(exc)[:160]}") from None


def _extract(package: Package, path: str) -> tuple[str, list[str]]:
    root = package.xml(package.main)
    body = root.find(_w("body"))
    if body is None:
        raise CorruptFile(path, "the DOCX has no document body")
    styles = Styles.parse(package.related("styles"))
    numbering = Numbering(package.related("numbering"), styles)
    walker = _Walker(styles, numbering)

    lines: list[str] = []
    walker.blocks(body, lines)
    warnings = []
    if numbering.used:
        warnings.append(NUMBERING_WARNING)
    tail: list[str] = []
    tail.extend(_notes(package, "footnote", walker))
    tail.extend(_notes(package, "endnote", walker))
    walker.fields.clear()
    tail.extend(_headers_footers(package, body, walker))
    if tail:
        lines.append("")
        lines.extend(tail)
    return "\n".join(lines), warnings


def read_docx(path: str, source: Source, options: ReadOptions) -> Text:
    from .legacy import repair

    raw, warnings = extract_docx_text(path, options)
    if len(raw) > options.max_text_chars:
        raise TooLarge(path, f"text has {len(raw):,} characters, over the {options.max_text_chars:,} limit")
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").replace("\x0c", "\n")
    text, encoding = repair(text)
    text = unicodedata.normalize("NFC", text)
    source.format = "docx"
    if encoding:
        source.encoding_repaired = encoding
        warnings.append(f"legacy {encoding.upper()} text converted to Unicode")
    return Text(text=text, source=source, warnings=warnings)
