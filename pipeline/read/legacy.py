"""Repair Vietnamese text written in the legacy 8-bit font encodings.

Before Unicode, Vietnamese offices typed in fonts whose byte values stand for Vietnamese letters:

- **TCVN3** (ABC, TCVN 5712:1993 VN3; fonts ``.VnTime``, ``.VnArial``, upper-case ``.VnTimeH``): one byte per
  letter, so ``Quyết định số`` shows up as ``QuyÕt ®Þnh sè`` once the font is lost;
- **VNI-Windows** (fonts ``VNI-Times`` ...): a base letter plus a mark byte, ``Việt`` shows up as ``Vieät``;
- **Windows-1258** read as Windows-1252: base letters plus combining tone bytes, ``Việt`` shows up as ``Viêòt``;
  and Windows-1258 combining tone marks left after a consonant (``Viêt`` + U+0323).

:func:`repair` finds such text and converts it back with the tables in ``pipeline/lexicons/tcvn3.tsv`` and
``vni.tsv``. Detection is by Vietnamese syllable structure (onset, rhyme, tone, tone placement): a line, or a run
of 8-bit words inside a Unicode line, is converted only when the conversion turns words that cannot be Vietnamese
syllables into words that can, and the encoding chosen is the one that does so most, so ordinary Unicode
Vietnamese is left alone. A page that mixes a Unicode frame with a legacy body (a vbpl.vn page) is repaired line by
line. Limits: TCVN3 has no toned capitals, so a capital typed with the normal font stays small ("ở đâu"), and a
text of two or three ambiguous words ("ña" is "đa" in VNI, "ủa" in TCVN3) is left as it is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

LEXICONS = Path(__file__).resolve().parent.parent / "lexicons"

TONE_MARKS = {"\u0300": "grave", "\u0301": "acute", "\u0303": "tilde", "\u0309": "hook", "\u0323": "dot"}

# A "word" for detection: ASCII letters, every Latin-1 character above the no-break space (each is a letter in
# TCVN3 or a mark in VNI), Vietnamese letters and combining marks.
WORD_RE = re.compile(r"[A-Za-z\u00a1-\u00ff\u0100-\u01b0\u1ea0-\u1ef9\u0300-\u036f]+")
# Any character a legacy 8-bit text cannot contain once read as Windows-1252/Latin-1.
_BEYOND_8BIT_RE = re.compile(r"[^\x00-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                             r"\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
# A Latin-1 character that is not a Vietnamese letter: TCVN3 and VNI codes, also when mixed into a Unicode line.
# (Legacy text made only of Vietnamese-looking Latin-1 letters, "bieân", is found through its 8-bit lines.)
_BEYOND_VIET_RE = re.compile(r"[\u00a1-\u00bf\u00c4-\u00c7\u00cb\u00ce-\u00d1\u00d6-\u00d8\u00db\u00dc\u00de-\u00df"
                             r"\u00e4-\u00e7\u00eb\u00ee-\u00f1\u00f6-\u00f8\u00fb\u00fc\u00fe\u00ff]")

# --- Vietnamese syllable structure -------------------------------------------------------------------------

_ONSETS = ("ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr",
           "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "q", "r", "s", "t", "v", "x", "")
_OPEN_RHYMES = ("a e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iu iêu oa oai oao oay oe oeo oi ôi ơi ua uây uê "
                "ui uôi uơ uy uya uyu ưa ưi ươi ươu ưu yêu").split()
_CLOSED = {  # nucleus -> allowed final consonants
    "a": "c ch m n ng nh p t", "ă": "c m n ng p t", "â": "c m n ng p t", "e": "c m n ng p t",
    "ê": "ch m n nh p t", "i": "ch m n nh p t", "o": "c m n ng p t", "ô": "c m n ng p t",
    "ơ": "m n p t", "u": "c m n ng p t", "ư": "c m n ng t", "iê": "c m n ng p t", "yê": "m n ng t",
    "uô": "c m n ng t", "ươ": "c m n ng p t", "oa": "c ch m n ng nh p t", "oă": "c m n ng t", "oe": "n t",
    "uâ": "n ng t", "uê": "ch n nh", "uy": "ch n nh p t", "uyê": "n t",
}
_STOPS = ("c", "ch", "p", "t")
_VOWELS = "aăâeêioôơuưy"


@lru_cache(maxsize=1)
def _rhymes() -> dict[str, bool]:
    """toneless rhyme -> True when it ends in a stop consonant (then only acute or dot tones are possible)."""
    out = {r: False for r in _OPEN_RHYMES}
    for nucleus, finals in _CLOSED.items():
        for final in finals.split():
            out[nucleus + final] = final in _STOPS
    return out


@lru_cache(maxsize=4096)
def _split_tone(ch: str) -> tuple[str, str | None]:
    """'ế' -> ('ê', 'acute'); 'a' -> ('a', None)."""
    decomposed = unicodedata.normalize("NFD", ch)
    tone = None
    kept = []
    for c in decomposed:
        if c in TONE_MARKS:
            tone = TONE_MARKS[c] if tone is None else "double"
        else:
            kept.append(c)
    return unicodedata.normalize("NFC", "".join(kept)), tone


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """True when ``word`` (any case) is a well-formed Vietnamese syllable: onset + rhyme, one tone at most, a
    stop-final rhyme only with the acute or dot tone, and the tone on a vowel that can carry it (old and new
    placement both accepted: ``hoà``/``hòa``, ``uỷ``/``ủy``)."""
    word = word.lower()
    tone = None
    tone_at = -1
    bare = []
    for i, ch in enumerate(word):
        base, t = _split_tone(ch)
        if t is not None:
            if tone is not None or t == "double":
                return False
            tone, tone_at = t, i
        bare.append(base)
    toneless = "".join(bare)
    rhymes = _rhymes()
    for onset in _ONSETS:
        if not toneless.startswith(onset):
            continue
        rhyme = toneless[len(onset):]
        if onset == "gi" and rhyme == "":
            return tone_at in (-1, 1)  # "gì", "gỉ": g + i
        if onset == "q" and not rhyme.startswith("u"):
            continue
        stop = rhymes.get(rhyme)
        if stop is None or stop and tone not in ("acute", "dot"):
            continue
        if tone is None or tone_at - len(onset) in _tone_slots(rhyme):
            return True
    return False


_FINALS = ("ch", "ng", "nh", "c", "m", "n", "p", "t")


@lru_cache(maxsize=512)
def _tone_slots(rhyme: str) -> frozenset[int]:
    """Positions in ``rhyme`` where the tone mark may sit."""
    vowels = rhyme
    for final in _FINALS:
        if rhyme.endswith(final) and len(rhyme) > len(final):
            vowels = rhyme[: -len(final)]
            break
    marked = [i for i, c in enumerate(vowels) if c in "ăâêôơư"]
    if marked:
        return frozenset((marked[-1],))
    if vowels != rhyme or len(vowels) == 1:
        return frozenset((len(vowels) - 1,))
    if vowels in ("oa", "oe", "uy"):
        return frozenset((0, 1))
    return frozenset((0,)) if len(vowels) == 2 else frozenset((1,))


def _is_acronym(word: str) -> bool:
    """``LĐLĐ``, ``QĐ``: capitals without a vowel, the symbols of document numbers."""
    return all(("A" <= c <= "Z" and c not in "AEIOUY") or c == "Đ" for c in word)


_VI_LETTERS = frozenset("abcdeghiklmnopqrstuvxyăâđêôơư")


def _vi_letters(word: str) -> bool:
    """True when every character is a letter of the Vietnamese alphabet (any case, any tone)."""
    return all(_split_tone(c)[0] in _VI_LETTERS for c in word.lower())


@lru_cache(maxsize=65536)
def _neutral(word: str) -> bool:
    """A decoded word that is no evidence either way: all capitals (``TỈNH``, a symbol), a document-number symbol
    (``QĐi``: two capital consonants and small letters), or a place syllable of the minority languages (``Đắk``,
    ``Lắk``: a final k where Vietnamese writes c). Only words made of Vietnamese letters qualify."""
    if not _vi_letters(word):
        return False
    if word.isupper() and all(_split_tone(c)[1] is None for c in word):
        return True  # toneless capitals: a symbol ("ĐBQH"), not a mangled word ("BỈCỄNG")
    if len(word) >= 3 and _is_acronym(word[:2]) and word[2:].islower():
        return True
    return word.endswith("k") and is_syllable(word[:-1] + "c") and not _mixed_case(word)


def _bad_words(text: str, lenient: bool = False) -> tuple[int, int]:
    """(words with a non-ASCII character, how many of them are not Vietnamese syllables). One-character words
    ("ë" is TCVN3 "ở", but "×" is a times sign) and symbols ("LĐLĐ") count for nothing; with ``lenient`` (for
    decoded text) neither do :func:`_neutral` words."""
    total = bad = 0
    for w in WORD_RE.findall(text):
        verdict = _verdict(w)
        if lenient and verdict and _neutral(w):
            verdict = None
        if verdict is not None:
            total += 1
            bad += verdict
    return total, bad


@lru_cache(maxsize=262144)
def _verdict(word: str) -> bool | None:
    """None when the word does not count, else True when it cannot be Vietnamese."""
    if word.isascii() or len(word) < 2 or _is_acronym(word):
        return None
    return not is_syllable(word) or _mixed_case(word)


def _mixed_case(word: str) -> bool:
    """A capital after a small letter ("ChÝnh", "vÒ"): never Vietnamese, typical of TCVN3 read as Latin-1."""
    return any(a.islower() and b.isupper() for a, b in zip(word, word[1:], strict=False))


# --- tables ------------------------------------------------------------------------------------------------


def _tsv(name: str) -> list[list[str]]:
    rows = []
    for line in (LEXICONS / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@lru_cache(maxsize=1)
def tcvn3_table() -> dict[str, str]:
    """TCVN3 character (the byte read as Latin-1) -> Unicode letter."""
    return {chr(int(row[0], 16)): row[1] for row in _tsv("tcvn3.tsv")}


@lru_cache(maxsize=1)
def vni_table() -> dict[str, str]:
    """VNI-Windows sequence (bytes read as Windows-1252) -> Unicode letter."""
    out = {}
    for uni, hexbytes, _shown in _tsv("vni.tsv"):
        out[bytes.fromhex(hexbytes).decode("cp1252")] = uni
    # Title-case words typed with an upper-case base and a lower-case mark ("Aùnh" for "Ánh").
    for seq, uni in list(out.items()):
        if len(seq) == 2 and seq[0].isupper():
            out.setdefault(seq[0] + seq[1].lower(), uni)
    return out


@lru_cache(maxsize=1)
def _tcvn3_translate() -> dict[int, str]:
    return {ord(k): v for k, v in tcvn3_table().items()}


@lru_cache(maxsize=1)
def _vni_re() -> re.Pattern[str]:
    seqs = sorted(vni_table(), key=len, reverse=True)
    return re.compile("|".join(re.escape(s) for s in seqs))


@lru_cache(maxsize=1)
def _cp1252_bytes() -> dict[str, int]:
    """Character shown for each byte when bytes are read as Windows-1252 (Latin-1 for its 5 holes)."""
    out = {}
    for b in range(256):
        try:
            out[bytes([b]).decode("cp1252")] = b
        except UnicodeDecodeError:
            out[chr(b)] = b
    for b in range(0x80, 0xA0):  # the same bytes read as Latin-1 (C1 controls)
        out.setdefault(chr(b), b)
    return out


# --- decoders ----------------------------------------------------------------------------------------------

_H_FONT_CAPS = set("ĂÂÊÔƠƯĐ")


def decode_tcvn3(text: str) -> str:
    out = text.translate(_tcvn3_translate())
    if out == text:
        return out
    return _restore_capitals(text, out)


def _restore_capitals(original: str, decoded: str) -> str:
    """``.VnTimeH`` draws capitals from the lower-case codes: ``QUYÕT §ÞNH`` decodes to ``QUYếT ĐịNH``. A word
    whose other letters are all capitals (two at least) is upper-cased; so is a word with a single capital
    (``Tæ`` -> ``TỔ``) in a line with two such words, or with one and no small ASCII letter."""
    lines = []
    for line in decoded.split("\n"):
        words = list(WORD_RE.finditer(line))
        fixed: dict[int, str] = {}
        singles = []
        strong = 0
        for m in words:
            w = m.group()
            lowered = [c for c in w if c.islower()]
            if not lowered or w.isascii():
                continue
            if any(c.isascii() for c in lowered):
                continue  # an ASCII lower-case letter: an ordinary mixed-case word
            caps = sum(1 for c in w if c.isupper())
            if caps >= 2 or (caps and _mixed_case(w)):  # "QUYếT", "ủY" (ỦY): a capital after a small letter
                fixed[m.start()] = w.upper()
                strong += 1
            elif caps == 1:
                singles.append(m)
        others_upper = not any(c.islower() and c.isascii() for c in line)
        if others_upper and not strong:
            # "NHÂN" (capitals from the upper-case codes) beside "ủY"; "Sở Y Tế" (SỞ Y TẾ): title-case words
            # without a small ASCII letter in a line without one are the H font's capitals
            strong = sum(1 for m in words if not m.group().isascii() and m.group().isupper()
                         and not _is_acronym(m.group()))
            if len(singles) >= 2 and sum(1 for m in words if not m.group().isupper()) == len(singles):
                strong = 2
        if strong >= 2 or (strong and others_upper):
            for m in singles:
                fixed[m.start()] = m.group().upper()
        if fixed:
            parts = []
            pos = 0
            for m in words:
                if m.start() in fixed:
                    parts.append(line[pos:m.start()])
                    parts.append(fixed[m.start()])
                    pos = m.end()
            parts.append(line[pos:])
            line = "".join(parts)
        lines.append(line)
    return "\n".join(lines)


def decode_vni(text: str) -> str:
    table = vni_table()
    return _vni_re().sub(lambda m: table[m.group()], text)


def decode_cp1258(text: str) -> str:
    """Text that is Windows-1258 bytes shown as Windows-1252 characters -> Unicode (NFC)."""
    codes = _cp1252_bytes()
    try:
        raw = bytes(codes[c] for c in text)
    except KeyError:
        return text
    decoded, _ = _fix_stray_marks(raw.decode("cp1258", errors="replace"))
    return unicodedata.normalize("NFC", decoded)


DECODERS = {"tcvn3": decode_tcvn3, "vni": decode_vni, "cp1258": decode_cp1258}


def encode_tcvn3(text: str) -> str:
    """Unicode -> TCVN3 mojibake (each byte shown as its Latin-1 character); letters TCVN3 lacks
    (toned capitals) are written lower case, as the .VnTime fonts force."""
    rev = {v: k for k, v in tcvn3_table().items()}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in rev:
            out.append(rev[ch])
        elif ch.lower() in rev and not ch.isascii():
            out.append(rev[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


def encode_vni(text: str) -> str:
    """Unicode -> VNI-Windows mojibake (bytes shown as Windows-1252 characters)."""
    rev: dict[str, str] = {}
    for seq, uni in vni_table().items():
        if len(seq) == 1 or seq[0].isupper() == seq[1].isupper() or not seq[1].isalpha():
            rev.setdefault(uni, seq)
    return "".join(rev.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


# --- stray Windows-1258 tone marks -------------------------------------------------------------------------

_STRAY_RE = re.compile(r"[\u0300\u0301\u0303\u0309\u0323]")


def _place_tone(word: str, mark: str) -> str | None:
    """Put a combining tone ``mark`` on the right vowel of a toneless ``word`` (modern placement)."""
    low = word.lower()
    idx = [i for i, c in enumerate(low) if c in _VOWELS]
    if low.startswith("qu") or low.startswith("gi") and len(idx) > 1:
        idx = idx[1:]
    if not idx:
        return None
    target = None
    for i in idx:  # a vowel with a diacritic takes the tone (ươ: the ơ)
        if low[i] in "ăâêôơư":
            target = i
    if target is None:
        if len(idx) == 1:
            target = idx[0]
        elif idx[-1] < len(low) - 1 or low[idx[0]:idx[-1] + 1] in ("oa", "oe", "uy"):
            target = idx[-1]  # closed syllable, or oa/oe/uy: the last vowel
        else:
            target = idx[-2]
    return unicodedata.normalize("NFC", word[:target + 1] + mark + word[target + 1:])


def _fix_stray_marks(text: str) -> tuple[str, bool]:
    """Tone marks typed after a consonant (some Windows-1258 keyboards put the tone at the end of the word:
    ``Viêt`` + U+0323) are moved onto the syllable's vowel. Works on the decomposed text, since NFC would glue
    such a mark onto the consonant (``ṭ``). Returns (text, changed); the text comes back NFD when changed."""
    decomposed = unicodedata.normalize("NFD", text)
    changed = False

    def fix(m: re.Match[str]) -> str:
        nonlocal changed
        word = m.group()
        marks = [i for i, c in enumerate(word) if c in TONE_MARKS]
        if len(marks) != 1:
            return word
        i = marks[0]
        j = i - 1
        while j >= 0 and unicodedata.combining(word[j]):
            j -= 1
        if j < 0 or word[j].lower() in _VOWELS:
            return word  # attached to a vowel (or nothing to attach to)
        bare = unicodedata.normalize("NFC", word[:i] + word[i + 1:])
        placed = _place_tone(bare, word[i])
        if placed is None or not is_syllable(placed):
            return word
        changed = True
        return placed

    fixed = WORD_RE.sub(fix, decomposed)
    return (fixed, True) if changed else (text, False)


# --- detection ---------------------------------------------------------------------------------------------


def _is_8bit(line: str) -> bool:
    return _BEYOND_8BIT_RE.search(line) is None


def repair(text: str) -> tuple[str, str | None]:
    """Return ``(fixed_text, encoding)`` where encoding is ``"tcvn3"``, ``"vni"``, ``"cp1258"`` or None when
    nothing was converted. The text always comes back NFC (NFC also maps the deprecated tone marks
    U+0340/U+0341 to the ordinary ones)."""
    found: str | None = None
    if _STRAY_RE.search(text):
        text, strays = _fix_stray_marks(text)
        if strays:
            found = "cp1258"
    text = unicodedata.normalize("NFC", text)
    if _NON_ASCII_RE.search(text):
        text, legacy = _repair_legacy(text)
        found = legacy or found
    return text, found


@lru_cache(maxsize=1)
def _latin1_to_cp1252() -> dict[int, str]:
    out = {}
    for b in range(0x80, 0xA0):
        try:
            out[b] = bytes([b]).decode("cp1252")
        except UnicodeDecodeError:
            pass
    return out


def repair_bytes(data: bytes) -> tuple[str, str] | None:
    """Bytes of a legacy 8-bit text: ``(Unicode text, "tcvn3" | "vni")`` when they are TCVN3 or VNI-Windows,
    else None. (A charset guesser reads such bytes as Windows-1258 or -1250, which scrambles the mapping.)"""
    text = data.decode("latin-1").translate(_latin1_to_cp1252())
    fixed, encoding = repair(text)
    if encoding in ("tcvn3", "vni"):
        return fixed, encoding
    return None


def _runs(line: str) -> list[tuple[int, int]]:
    """Spans of a Unicode line made of consecutive words that an 8-bit text could hold, which hold a
    non-ASCII character: where a legacy fragment can sit inside Unicode text."""
    spans: list[tuple[int, int]] = []
    start = end = -1
    legacy = False
    for m in WORD_RE.finditer(line):
        word = m.group()
        if _is_8bit(word):
            if start < 0:
                start = m.start()
            end = m.end()
            legacy = legacy or not word.isascii()
            continue
        if start >= 0 and legacy:
            spans.append((start, end))
        start, legacy = -1, False
    if start >= 0 and legacy:
        spans.append((start, end))
    return spans


_SAMPLE_UNITS = 300


def _repair_legacy(text: str) -> tuple[str, str | None]:
    lines = text.split("\n")
    if not _BEYOND_VIET_RE.search(text) and not any(not ln.isascii() and _is_8bit(ln) for ln in lines):
        return text, None  # no trace of a legacy encoding, and no line that could be one
    # Units: whole lines that an 8-bit text could be, and runs of 8-bit words inside Unicode lines.
    units: list[tuple[int, int, int, bool]] = []  # (line, start, end, whole line)
    for i, line in enumerate(lines):
        if not _NON_ASCII_RE.search(line):
            continue
        if _is_8bit(line):
            units.append((i, 0, len(line), True))
        elif _BEYOND_VIET_RE.search(line):
            units.extend((i, a, b, False) for a, b in _runs(line))
    if not units:
        return text, None
    # Choose the encoding on a sample of a long text, then convert with that one only.
    names = list(DECODERS)
    if len(units) > 2 * _SAMPLE_UNITS:
        step = len(units) / _SAMPLE_UNITS
        sample = [units[int(k * step)] for k in range(_SAMPLE_UNITS)]
        scored = [(r[0], name) for name in names if (r := _score(lines, sample, DECODERS[name])) is not None]
        if scored:
            names = [max(scored, key=lambda x: x[0])[1]]
    best: tuple[int, str, dict[tuple[int, int, int], str]] | None = None
    for name in names:
        result = _score(lines, units, DECODERS[name])
        if result is not None and (best is None or result[0] > best[0]):
            best = (result[0], name, result[1])
    if best is None:
        return text, None
    _gain, name, accepted = best
    for (i, a, b), new in sorted(accepted.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        lines[i] = lines[i][:a] + new + lines[i][b:]
    return unicodedata.normalize("NFC", "\n".join(lines)), name


def _score(lines: list[str], units: list[tuple[int, int, int, bool]],
           decode) -> tuple[int, dict[tuple[int, int, int], str]] | None:
    """(gain, converted units) when ``decode`` turns enough non-words into Vietnamese words, else None."""
    gain = 0
    accepted: dict[tuple[int, int, int], str] = {}
    ties: dict[tuple[int, int, int], str] = {}
    whole_lines = whole_accepted = 0
    changed_words: set[str] = set()
    for i, a, b, whole in units:
        segment = lines[i][a:b]
        decoded = decode(segment)
        if decoded == segment:
            continue
        _total_o, bad_o = _bad_words(segment)
        total_d, bad_d = _bad_words(decoded, lenient=True)
        whole_lines += whole
        if bad_d < bad_o and bad_d <= 0.2 * max(total_d, 1):
            gain += bad_o - bad_d
            accepted[(i, a, b)] = decoded
            whole_accepted += whole
            if len(changed_words) < 3:
                changed_words.update(w for w in WORD_RE.findall(decoded) if not w.isascii())
        elif whole and bad_d <= bad_o:
            # "Sè: 12" -> "Số: 12": both read as Vietnamese; "Y Bhin Niª" -> "Niê": an Ê-đê name is no
            # Vietnamese syllable either way. Such lines follow the rest of the document.
            ties[(i, a, b)] = decoded
    if gain < 2 or (not whole_accepted and len(changed_words) < 3):
        return None  # a few odd words in a Unicode text ("µm") are no evidence
    # Lines whose words read as Vietnamese either way follow the document when most were converted.
    if whole_accepted >= 0.5 * whole_lines:
        accepted.update(ties)
    return gain, accepted
