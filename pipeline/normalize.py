"""The normalize stage: pure functions, text in, text out.

``normalize`` maps the text one character to one character (same length), so every offset found
in the normalized text is also an offset into the text as read: spans can be sliced from the
original and highlighted there. Length-changing clean-up (joining wrapped lines, dropping
``V/v``) happens on extracted values, never on the document.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# One-to-one replacements. Why each exists:
_CHAR_MAP = {
    # Đ look-alikes: Icelandic eth and African D are common in legacy conversions and web copies.
    "\u00d0": "Đ", "\u0189": "Đ", "\u00f0": "đ", "\u0256": "đ",
    # Dashes and minus signs inside numbers and mottos.
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\ufe63": "-", "\uff0d": "-",
    # Slashes.
    "\uff0f": "/", "\u2044": "/", "\u2215": "/",
    # Spaces of every width become a plain space; zero-width marks become a space too (same length).
    "\u00a0": " ", "\u2000": " ", "\u2001": " ", "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ",
    "\u2006": " ", "\u2007": " ", "\u2008": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ", "\u205f": " ",
    "\u3000": " ", "\u200b": " ", "\u200c": " ", "\u200d": " ", "\ufeff": " ", "\u00ad": " ",
    # Stray Markdown emphasis (`*…*`, `**…**`) and Party header stars are layout, not text.
    "*": " ",
    # Cyrillic homoglyphs used to dodge filters or produced by bad OCR.
    "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0445": "x", "\u0455": "s",
    "\u0456": "i", "\u0410": "A", "\u0415": "E", "\u041e": "O", "\u0420": "P", "\u0421": "C", "\u0425": "X",
    "\u041c": "M", "\u041d": "H", "\u0422": "T", "\u041a": "K", "\u0412": "B",
    "\u1d20": "v",
    "\f": "\n",  # form feeds (page breaks) become line breaks
    "\v": "\n",
}
_TRANS = str.maketrans(_CHAR_MAP)


def normalize(text: str) -> str:
    """NFC plus one-to-one character clean-up; ``len(normalize(t)) == len(nfc(t))``."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.translate(_TRANS)


# Old-style ("oà", "uỷ") and new-style ("òa", "ủy") tone placement are both correct Vietnamese;
# fold them to one form before comparing names.
_OLD_TO_NEW = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
    "Oà": "Òa", "Oá": "Óa", "Oả": "Ỏa", "Oã": "Õa", "Oạ": "Ọa",
    "Uỳ": "Ùy", "Uý": "Úy", "Uỷ": "Ủy", "Uỹ": "Ũy", "Uỵ": "Ụy",
    "OÀ": "ÒA", "OÁ": "ÓA", "OẢ": "ỎA", "OÃ": "ÕA", "OẠ": "ỌA",
    "UỲ": "ÙY", "UÝ": "ÚY", "UỶ": "ỦY", "UỸ": "ŨY", "UỴ": "ỤY",
}
_OLD_RE = re.compile("(?:" + "|".join(sorted(_OLD_TO_NEW, key=len, reverse=True)) + r")(?!\w)")


def canon_tones(text: str) -> str:
    """Move tone marks to the new-style position in syllable-final oa/oe/uy ("hoà" → "hòa", "uỷ" → "ủy")."""
    return _OLD_RE.sub(lambda m: _OLD_TO_NEW[m.group(0)], text)


def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFD", ch)
    return "".join(c for c in base if unicodedata.category(c) != "Mn")


# A translation table over Latin-1 and Latin Extended (Vietnamese letters live in U+00C0-U+1EFF):
# str.translate runs in C, ~20x faster than decomposing every character.
_FOLD_TABLE = {cp: _fold_char(chr(cp)).lower() for cp in range(0xC0, 0x1F00)
               if _fold_char(chr(cp)).lower() != chr(cp)}
_FOLD_TABLE.update({ord("đ"): "d", ord("Đ"): "d"})


def fold(text: str) -> str:
    """Lower-case, no diacritics, đ → d: for forgiving comparisons and search."""
    out = text.lower().translate(_FOLD_TABLE)
    if out.isascii():
        return out
    # combining marks (NFD input) and rarer scripts: the slow, exact path
    out = unicodedata.normalize("NFD", out)
    return "".join(ch for ch in out if unicodedata.category(ch) != "Mn")


def squash(text: str) -> str:
    """Collapse every run of whitespace (line breaks included) into one space and strip."""
    return " ".join(text.split())


def compare_key(text: str | None) -> str:
    """Key for comparing names and titles: tone placement, case, punctuation and spacing ignored."""
    if not text:
        return ""
    text = canon_tones(normalize(text)).lower()
    text = re.sub(r"[^\w/]+", " ", text)
    return squash(text)


_VIET_LETTERS = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
# The language check runs on every file before extraction: these counts are done by the regex engine and
# bytes.translate in C, never one character at a time in Python (that walk cost a fifth of extraction time).
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
_NON_LETTERS = re.compile(r"[\W\d_]+")
_LATIN = re.compile(r"[\u0000-\u024f\u1e00-\u1eff]+")
_NOT_ASCII_LETTER = bytes(range(256)).translate(None, b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


@dataclass(frozen=True)
class LetterCounts:
    ascii: int  # a-z, A-Z
    other_latin: int  # Latin letters beyond ASCII: Vietnamese ă â đ ê ô ơ ư and every toned vowel
    foreign: int  # letters of other scripts (CJK, Cyrillic, Arabic, ...)

    @property
    def total(self) -> int:
        return self.ascii + self.other_latin + self.foreign


def letter_counts(text: str) -> LetterCounts:
    """Letters of ``text`` by script, counted in C: ASCII letters through a byte table, the rest by regex."""
    ascii_letters = len(text.encode("utf-8", "ignore").translate(None, _NOT_ASCII_LETTER))
    non_ascii = _NON_LETTERS.sub("", _ASCII_RUNS.sub("", text))
    foreign = len(_LATIN.sub("", non_ascii))
    return LetterCounts(ascii_letters, len(non_ascii) - foreign, foreign)


def vietnamese_ratio(text: str, sample: int = 20000) -> float:
    """Share of letters that are Vietnamese-specific (diacritics, đ) in a sample of the text."""
    c = letter_counts(text[:sample])
    return c.other_latin / c.total if c.total else 0.0


def foreign_script_ratio(text: str, sample: int = 20000) -> float:
    """Share of letters outside the Latin script (CJK, Cyrillic, Arabic, ...)."""
    c = letter_counts(text[:sample])
    return c.foreign / c.total if c.total else 0.0


# --- header cells wrapped by a narrow column -------------------------------------------------------------------
# A letterhead cell is a third of the page wide: in a wider font (or a longer name) "Số: 1856/TLĐ-TG" breaks as
# "Số: 1856/TLĐ-" + "TG", the date line as "…năm" + "2024", the motto as "…CHỦ" + "NGHĨA VIỆT NAM". The joins
# below keep the text's length (the newline moves or becomes a space), so offsets stay valid.
HEADER_LINES = 40  # a letterhead never runs longer than this many lines
_NUMBER_TAIL = re.compile(r"^\s*(?:Số|SỐ|số)\b[^\n]*[-/]$")
_CODE_LINE = re.compile(r"^[A-ZĐ0-9][A-ZĐ0-9.\-/]{0,15}$")
# the place-and-date line of a letterhead cell: "Hà Nội, ngày 14 tháng 3 năm" (a place of a few words, then the
# date cut at a unit word); a body sentence that happens to wrap after "tháng" is longer or has more before it
_DATE_TAIL = re.compile(r"^\s*(?:[^\W\d_][^\d,;.:]{1,30},?\s+)?ngày\b[^\n]{0,25}\b(?:ngày|tháng|năm)$", re.IGNORECASE)
_DATE_HEAD = re.compile(r"^\s*\d{1,4}\b")


def unwrap_header_cells(text: str, mottos: frozenset[str] = frozenset()) -> str:
    """Rejoin the letterhead lines a narrow cell wrapped: the number, the place-and-date line and the motto
    (``mottos``: the motto lines, upper case without spaces, as :func:`pipeline.lexicons.motto_keys` gives)."""
    lines = text.split("\n")
    out: list[str] = []
    seen = i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        cur, tail = line.rstrip(), nxt.strip()
        if seen < HEADER_LINES and cur.strip() and tail:
            if _NUMBER_TAIL.match(cur) and _CODE_LINE.match(tail):
                # "Số: 1856/TLĐ-" + "TG": the code joins the number; the newline and the spaces around the code
                # trail the line, so the length holds
                out.append(cur + tail + line[len(cur):] + " " * (len(nxt) - len(tail) + 1))
                seen, i = seen + 1, i + 2
                continue
            if (_DATE_TAIL.match(cur) and _DATE_HEAD.match(tail)) or (
                    _squash_upper(cur + tail) in mottos and _squash_upper(cur) not in mottos):
                out.append(line + " " + nxt)  # one newline becomes one space
                seen, i = seen + 1, i + 2
                continue
        seen += bool(line.strip())
        out.append(line)
        i += 1
    return "\n".join(out)


def _squash_upper(s: str) -> str:
    return re.sub(r"\s+", "", s.upper())  # the form of lexicons.motto_keys()


_LINE_BREAK = re.compile(r"([^\s.;:!?])([ \t]*)\n(?=[ \t]*([^\W\d_]))")


def join_wrapped_lines(text: str) -> str:
    """Running text wrapped by a page's layout ("… Luật Phòng,\\nchống bệnh truyền nhiễm"): a line break
    that a lower-case word continues, after a line that does not end a sentence, becomes a space. Length kept,
    so offsets hold; paragraphs, list items and table cells (which start upper case or with a marker) stay apart."""
    def join(m: re.Match) -> str:
        return m.group(1) + m.group(2) + (" " if m.group(3).islower() else "\n")

    return _LINE_BREAK.sub(join, text)
