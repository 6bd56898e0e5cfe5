"""Repair common OCR confusions inside numbers and date words, never in ordinary words.

Pure functions, text in → (text, number of repairs) out:

- digit runs: ``O``/``o`` → ``0`` and ``l``/``I``/``|`` → ``1`` in a run of digits and look-alikes that stands
  alone (no letter glued to either side) and holds at least one real digit: ``O1-KL/TW`` → ``01-KL/TW``,
  ``l244`` → ``1244``, ``2O23`` → ``2023``, ``15/O3/2O23`` → ``15/03/2023``. ``lO``, ``Ol`` (no digit), ``C04``,
  ``QH15`` (glued to letters) and Roman numerals are left alone;
- date words before a number: ``ngảy 15`` → ``ngày 15``, ``thảng 3`` → ``tháng 3``, ``nărn 2023`` → ``năm 2023``;
  the real words ``ngay``, ``thang``, ``nam`` are only repaired inside a whole date
  (``ngay 15 thang 3 nam 2023``).

- labels: ``Nơi nhậu:``/``Noi nhận:`` -> ``Nơi nhận:``, ``Kinh gứi:`` -> ``Kính gửi:`` at the start of a line;
- marks: a symbol code with a stray mark on a vowel (``ƯBND`` -> ``UBND``), a toned capital inside a small word (``bỘ`` -> ``bộ``), ``(b/€)`` -> ``(b/c)``, ``„_`` glued to a word;
- phrases: known phrases of the domain misread by a tone (``Tống Liên đoàn`` -> ``Tổng Liên đoàn``,
  ``TĨNH NGHỆ AN`` -> ``TỈNH NGHỆ AN``), from ``lexicons/ocr_phrases.txt`` and the other lexicons;
- lines: ``2, Mỗi`` / ``2_ Mỗi`` at the start of a line -> ``2. Mỗi``, lines of specks (``.Z``) emptied,
  Roman numerals after quý/khóa/Đại hội/lần thứ (``quý IH``, ``khóa XIH`` -> ``XIII``), headings ``1II. TỔ CHỨC`` -> ``III. TỔ CHỨC``;
- consensus (whole document, :func:`fix_consensus`): a capitalised name read several times votes on its
  marks (``QUỲNH LỮU`` in the letterhead, ``Quỳnh Lưu`` twice in the text -> ``QUỲNH LƯU``);
- eth: ``Ð`` (not a Vietnamese letter) -> ``Đ``, and ``ĐÐ`` (one Đ read twice) -> ``Đ``.

Symbols (``QD-UBND`` for ``QĐ-UBND``) are left to the number extractor, which knows the lexicon.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_LETTER = r"[^\W\d_]"
_RUN = re.compile(rf"(?<!{_LETTER})[0-9OoIl|]+(?!{_LETTER})")
_TO_DIGIT = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})

_NUM2 = r"(?=\s+\d{1,2}(?!\d))"
_YEAR = r"(?=\s+\d{4}(?!\d))"
_A = "aàáảãạăằắẳẵặâầấẩẫậ"
_NGAY = re.compile(rf"\b[Nn][Gg][{_A}{_A.upper()}][yYvV]\b{_NUM2}")
_THANG = re.compile(rf"\b[Tt][HhBb][{_A[:6]}{_A[:6].upper()}][Nn][Gg]\b{_NUM2}")
_NAM = re.compile(rf"\b[Nn][{_A}{_A.upper()}](?:[Mm]|[Rr][Nn]|[Rr][Mm]|[Ii][Nn])\b{_YEAR}")
_DATE = re.compile(r"\b(\w{4})(\s+\d{1,2}\s+)(\w{5})(\s+\d{1,2}\s+)(\w{3,4})(\s+\d{4})(?!\d)")
_NGAY_SKEL = {"ngay", "ngav"}
_THANG_SKEL = {"thang", "tbang"}
_NAM_SKEL = {"nam", "narn", "narm", "nain"}


def _skeleton(word: str) -> str:
    d = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in d if not unicodedata.combining(c))


def _like(word: str, canonical: str) -> str:
    if word.isupper():
        return canonical.upper()
    if word[:1].isupper():
        return canonical[:1].upper() + canonical[1:]
    return canonical


# "ngày|0 tháng 01", "ngày44": the day glued to its word (handwritten days are written into a blank)
_GLUED_DAY = re.compile(r"\b([Nn]gày|NGÀY)([|lI]?\d{1,2})(?=[ \t]+(?:tháng|THÁNG))")


def fix_digits(text: str) -> tuple[str, int]:
    count = 0

    def glued(m: re.Match) -> str:
        nonlocal count
        count += 1
        return f"{m.group(1)} {m.group(2).translate(_TO_DIGIT)}"

    text = _GLUED_DAY.sub(glued, text)

    def repl(m: re.Match) -> str:
        nonlocal count
        run = m.group(0)
        core = run.strip("|")
        if not core:
            return run
        digits = sum(c.isdigit() for c in core)
        looks = len(core) - digits
        if digits == 0 or looks == 0:
            return run
        if digits < looks and not (len(core) >= 4 and digits >= 2):
            return run
        count += 1
        lead = run[: len(run) - len(run.lstrip("|"))]
        trail = run[len(run.rstrip("|")):]
        return lead + core.translate(_TO_DIGIT) + trail

    return _RUN.sub(repl, text), count


def fix_date_words(text: str) -> tuple[str, int]:
    count = 0

    def sub(pattern: re.Pattern, canonical: str, keep: set[str], s: str) -> str:
        nonlocal count

        def repl(m: re.Match) -> str:
            nonlocal count
            word = m.group(0)
            if word.lower() in keep:
                return word
            count += 1
            return _like(word, canonical)

        return pattern.sub(repl, s)

    text = sub(_NGAY, "ngày", {"ngày", "ngay"}, text)
    text = sub(_THANG, "tháng", {"tháng", "thang"}, text)
    text = sub(_NAM, "năm", {"năm", "nam"}, text)

    def whole(m: re.Match) -> str:
        nonlocal count
        a, b, c = m.group(1), m.group(3), m.group(5)
        if _skeleton(a) in _NGAY_SKEL and _skeleton(b) in _THANG_SKEL and _skeleton(c) in _NAM_SKEL:
            new = (_like(a, "ngày") + m.group(2) + _like(b, "tháng") + m.group(4) + _like(c, "năm") + m.group(6))
            if new != m.group(0):
                count += sum(x != y for x, y in ((a, "ngày"), (b, "tháng"), (c, "năm")) if x.lower() != y)
            return new
        return m.group(0)

    text = _DATE.sub(whole, text)
    return text, count


# Tesseract's Vietnamese model also knows the Icelandic eth (Ð U+00D0, ð), which Vietnamese never writes; it
# reads a bold Đ as Đ or Ð, and sometimes as two or three of them side by side ("38/LĐÐLĐ", "LĐÐĐLĐ").
_ETH_RUN = re.compile("[ĐÐ]*Ð[ĐÐ]*|[đð]*ð[đð]*")
_ETH_TOKEN = re.compile(r"[A-ZĐÐa-z]*Ð[A-ZĐÐa-z]*")


def fix_eth(text: str) -> tuple[str, int]:
    """A run of Đ/Ð holding an eth is one Đ (``LĐÐĐLĐ`` -> ``LĐLĐ``), or two where only that makes a known
    code (``ĐĐ``); a lone ``ð`` is ``đ``."""
    if "Ð" not in text and "ð" not in text:
        return text, 0
    count = 0

    def token(m: re.Match) -> str:
        nonlocal count
        word = m.group(0)
        one = _ETH_RUN.sub(lambda r: "Đ" if r.group(0)[0] in "ĐÐ" else "đ", word)
        two = _ETH_RUN.sub(lambda r: ("Đ" if r.group(0)[0] in "ĐÐ" else "đ") * min(2, len(r.group(0))), word)
        count += 1
        return two if two != one and two in _codes() and one not in _codes() else one

    text = _ETH_TOKEN.sub(token, text)

    def rest(m: re.Match) -> str:
        nonlocal count
        count += 1
        return "Đ" if m.group(0)[0] in "ĐÐ" else "đ"

    return _ETH_RUN.sub(rest, text), count


# The two labels the segmenter keys on, misread in their small italic type ("Nơi nhậu:", "Noi nhận:",
# "Kinh gứi:"): only at the start of a line and before a colon, where no other words stand.
_NOI_NHAN_LABEL = re.compile(r"(?m)^(\W{0,3})([Nn][ơoóòởỡợ]i|N[ƠO]I)([ \t]+)([Nn][Hh][âậaạấầẩăắẫẵ][nuưm]|"
                             r"NH[ÂẬAẠẤẦ][NU])([ \t]*:)")
_KINH_GUI_LABEL = re.compile(r"(?m)^(\W{0,3})([Kk][iíìỉ]nh|K[IÍ]NH)([ \t]+)([Gg][ửứừữựuưúùủũ]i|G[ỬỨỪƯU]I)([ \t]*:)")


def fix_labels(text: str) -> tuple[str, int]:
    count = 0

    def fixer(first: str, second: str):
        def repl(m: re.Match) -> str:
            nonlocal count
            upper = m.group(2).isupper()
            a, b = (first.upper(), second.upper()) if upper else (first, second)
            if (m.group(2), m.group(4)) == (a, b):
                return m.group(0)
            count += 1
            return m.group(1) + a + m.group(3) + b + m.group(5)
        return repl

    text = _NOI_NHAN_LABEL.sub(fixer("Nơi", "nhận"), text)
    text = _KINH_GUI_LABEL.sub(fixer("Kính", "gửi"), text)
    return text, count


@lru_cache(maxsize=1)
def _phrase_index() -> tuple[re.Pattern[str], dict[str, str]]:
    from ..lexicons import ocr_phrases
    from ..normalize import fold

    canon: dict[str, str] = {}
    for phrase in ocr_phrases():
        key = " ".join(fold(phrase).split())
        if len(key) == len(" ".join(phrase.split())):
            canon.setdefault(key, " ".join(phrase.split()))
    alts = sorted(canon, key=len, reverse=True)
    # words of a phrase may wrap onto the next line ("TỈNH" | "QUẢNG NINH" in a narrow letterhead column) or
    # lose the space between them ("LIÊN ĐOÀNLAO ĐỘNG")
    body = "|".join(r"(?:[ \t]*|[ \t]*\n[ \t]*)".join(re.escape(w) for w in k.split()) for k in alts)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)"), canon


@lru_cache(maxsize=1)
def _glued_index() -> dict[str, str]:
    """Folded phrase without spaces -> the phrase."""
    _pattern, canon = _phrase_index()
    return {k.replace(" ", ""): v for k, v in canon.items()}


def _cased_like(canonical: str, printed: str) -> str:
    return "".join(c.upper() if p.isupper() else c.lower() if p.islower() else c
                   for c, p in zip(canonical, printed, strict=True))


def fix_phrases(text: str) -> tuple[str, int]:
    """Known phrases misread by a tone or a mark ("Tống Liên đoàn", "Đẳng đoàn", "LIÊN ĐOÀN LAO ĐỘNG TĨNH NGHỆ
    AN") take the lexicon's spelling, letter case kept as printed. A phrase matches when it equals the text once
    diacritics are dropped (:func:`pipeline.normalize.fold`); old and new tone placement ("hoà"/"hòa") both stand.
    """
    from ..normalize import canon_tones, fold

    folded = fold(text)
    if len(folded) != len(text):
        return text, 0  # a character that folds to several: offsets would not line up
    pattern, canon = _phrase_index()
    count = 0
    parts: list[str] = []
    pos = 0
    for m in pattern.finditer(folded):
        printed = text[m.start():m.end()]
        key = m.group()
        target = canon[" ".join(key.split())] if " ".join(key.split()) in canon else None
        if target is None:  # words glued by OCR ("ĐOÀNLAO"): look the phrase up by its letters
            target = _glued_index().get(key.replace(" ", "").replace("\t", "").replace("\n", ""))
            if target is None:
                continue
        mixed = not printed.isupper()
        out: list[str] = []
        i = 0
        changed = 0
        for k, cw in enumerate(target.split()):
            if k:
                j = i
                while j < len(printed) and printed[j].isspace():
                    j += 1
                out.append(printed[i:j] or " ")  # a space OCR lost is put back
                changed += i == j
                i = j
            pw = printed[i:i + len(cw)]
            # in a phrase printed in small letters, a word in capitals ("SỞ Y tế") is OCR's case slip
            nw = cw if mixed and len(pw) > 1 and pw.isupper() and not cw.isupper() else _cased_like(cw, pw)
            changed += nw != pw and canon_tones(nw) != canon_tones(pw)
            out.append(nw)
            i += len(cw)
        if not changed:
            continue
        parts.append(text[pos:m.start()])
        parts.append("".join(out))
        pos = m.end()
        count += changed
    if not count:
        return text, 0
    parts.append(text[pos:])
    return "".join(parts), count


# A toned capital alone inside a small word ("các bỘ"): OCR's case slip. Symbols ("QĐi", "TTg") start capital.
_STRAY_CAPITAL = re.compile(r"(?<!\w)([a-zà-ỹđ]+)([À-ỸĐ])([a-zà-ỹđ]*)(?!\w)")
# "(b/€)", "(b/)", "(b/C)": the copy-list abbreviation báo cáo; a lone "„", "_" or "~" glued to a word
_BC = re.compile(r"\((để\s+)?b/[€cC(]?\)")
_JUNK_GLUED = re.compile(r"(?<![\w_])[„_~]+(?=[^\W\d_])")


_CAPS_TOKEN = re.compile(r"(?<![\w-])[A-ZĐÀ-Ỹ]{3,8}(?![\w])")


@lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    from ..lexicons import abbreviations, issuer_codes

    return frozenset(set(issuer_codes()) | {a[0] for a in abbreviations() if " " not in a[0]})


def _strip_vowel_marks(word: str) -> str:
    return "".join(unicodedata.normalize("NFD", c)[0] if unicodedata.normalize("NFD", c)[0] in "AEIOUY" else c
                   for c in word)


def fix_marks(text: str) -> tuple[str, int]:
    count = 0

    def code(m: re.Match) -> str:
        nonlocal count
        word = m.group(0)
        if word.isascii() or word in _codes():
            return word
        bare = _strip_vowel_marks(word)  # "ƯBND" -> "UBND"; Đ is a letter of its own and stays
        if bare != word and bare in _codes():
            count += 1
            return bare
        return word

    text = _CAPS_TOKEN.sub(code, text)

    def lower(m: re.Match) -> str:
        nonlocal count
        if unicodedata.normalize("NFD", m.group(2))[0] not in "AEIOUY":
            return m.group(0)
        count += 1
        return m.group(1) + m.group(2).lower() + m.group(3)

    text = _STRAY_CAPITAL.sub(lower, text)

    def bc(m: re.Match) -> str:
        nonlocal count
        new = f"({m.group(1) or ''}b/c)"
        count += new != m.group(0)
        return new

    text = _BC.sub(bc, text)
    text, n = _JUNK_GLUED.subn("", text)
    return text, count + n


# "2, Mỗi ...", "2_ Mỗi ...": a list number whose full stop came out as a comma or an underscore
_LIST_MARK = re.compile(r"(?m)^(\d{1,2})[,_;](?=[ \t]+[A-ZĐÀ-Ỹ])")
# a line of specks: at most one letter among punctuation (".Z", "„", "_—_", ":"), never a list label
_SPECK_LINE = re.compile(r"(?m)^[ \t]*(?=\S)(?:[^\w\s]|_)*[^\W\d_]?(?:[^\w\s]|_)*[ \t]*(?:\n|$)")
# a short line of marks with a letter or two and no digit: the decorative "***" or a seal's edge misread
# ("x*+x%")
_SCRAWL_LINE = re.compile(r"(?m)^[ \t]*(?=[^\n]*[^\w\s])[^\d\n]{2,8}[ \t]*(?:\n|$)")
# Roman numerals where the words call for one: "quý IH/2024" (III), "khóa XIH" (XIII), "quý 1V" (IV)
_QUARTER = re.compile(r"(\b(?:[Qq]uý|[Kk]hóa|[Kk]hoá|KHÓA|KHOÁ|Đại hội|ĐẠI HỘI|lần thứ|LẦN THỨ)\s+)"
                      r"([IVXlH1|]{1,6})(?=[/\s.,;:)]|$)")
# a section heading "1II. TỔ CHỨC THỰC HIỆN": a Roman numeral with a digit 1 or l for an I
_ROMAN_HEAD = re.compile(r"(?m)^([IVXl1|]{2,4})(?=\.[ \t]+[A-ZĐÀ-Ỹ]{2,}[ \t]+[A-ZĐÀ-Ỹ]{2,})")
_ROMAN_RE = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")
_ROMAN_GLUED = re.compile(r"(?m)^([IVX]{1,4})\.(?=[A-ZĐÀ-Ỹ]{2,}[ ,])")
_QUARTER_MAP = str.maketrans({"l": "I", "1": "I", "|": "I", "H": "II"})


def fix_lines(text: str) -> tuple[str, int]:
    count = 0
    text, n = _LIST_MARK.subn(r"\1.", text)
    count += n

    def speck(m: re.Match) -> str:
        nonlocal count
        line = m.group(0).strip()
        if not line or len(line) > 4 or line in ("-", "+", "*", "•", "–", "—") or re.fullmatch(r"[a-zđ]\)|[IVX]\.", line):
            return m.group(0)
        count += 1
        return ""

    text = _SPECK_LINE.sub(speck, text)

    def scrawl(m: re.Match) -> str:
        nonlocal count
        line = m.group(0).strip()
        letters = "".join(c for c in line if c.isalpha())
        marks = sum(not c.isalnum() and not c.isspace() for c in line)
        # no vowel and not a capital code ("kw+*" for "***"), or more marks than letters ("x*+x%")
        voweless = not letters.isupper() and not any(unicodedata.normalize("NFD", c)[0].lower() in "aeiouy"
                                                     for c in letters)
        if marks < 2 or (marks <= len(letters) and not voweless) or len(set(line)) == 1 or "(" in line:
            return m.group(0)  # "TM.", "Đ/c", "(b/c)", "- Như trên", a rule of stars or dashes
        count += 1
        return ""

    text = _SCRAWL_LINE.sub(scrawl, text)

    def quarter(m: re.Match) -> str:
        nonlocal count
        token = m.group(2)
        new = token.translate(_QUARTER_MAP)
        quarter_word = m.group(1)[:1] in "Qq"
        if new == token or not _ROMAN_RE.fullmatch(new) or (quarter_word and new not in ("I", "II", "III", "IV")) \
                or (not quarter_word and not any(c in "IVX" for c in token)):
            return m.group(0)  # "khóa 11" stays: no Roman letter read at all
        count += 1
        return m.group(1) + new

    text = _QUARTER.sub(quarter, text)
    return text, count


def fix_roman_heads(text: str) -> tuple[str, int]:
    """Section headings numbered in Roman with a 1 or l for an I ("1II. TỔ CHỨC THỰC HIỆN"). Runs before
    :func:`fix_digits`, which would read "1I" as 11."""
    count = 0

    def roman(m: re.Match) -> str:
        nonlocal count
        token = m.group(1)
        new = token.translate(_QUARTER_MAP)
        if token.isdigit() or not any(c in "IVX" for c in token) or new == token or not _ROMAN_RE.fullmatch(new):
            return token
        count += 1
        return new

    text = _ROMAN_HEAD.sub(roman, text)
    # "I.MỤC ĐÍCH, YÊU CẦU": the space after the numeral lost
    text, n = _ROMAN_GLUED.subn(r"\1. ", text)
    return text, count + n


_CAP_PAIR = re.compile(r"(?<!\w)(?=([A-ZĐÀ-Ỹ]\w+[ \t]+[A-ZĐÀ-Ỹ]\w+)(?!\w))")


def fix_consensus(texts: list[str]) -> tuple[list[str], int]:
    """Names read several times in one document vote on their marks: a pair of capitalised words ("Quỳnh Lưu")
    spelt one way more often than any other way that differs only in diacritics ("QUỲNH LỮU" in the
    letterhead) replaces the other spellings, letter case kept; a reading in capitals weighs 3/4 of one in
    small letters. OCR misreads one mark here and another there; the page's own repetitions outvote them."""
    from ..normalize import canon_tones, fold

    votes: dict[str, dict[str, float]] = {}
    for text in texts:
        for m in _CAP_PAIR.finditer(text):
            pair = " ".join(m.group(1).split())
            key = fold(pair)
            if len(key) == len(pair):
                spelling = canon_tones(pair.lower())
                votes.setdefault(key, {})
                # marks over capitals are squeezed (stacked on Â/Ê/Ô, cut by the line above): a reading in
                # capitals counts less, so it loses a tie with a reading in small letters
                weight = 0.75 if pair.isupper() else 1.0
                votes[key][spelling] = votes[key].get(spelling, 0) + weight
    winners: dict[str, str] = {}
    for key, spellings in votes.items():
        if len(spellings) < 2:
            continue
        ranked = sorted(spellings.items(), key=lambda kv: -kv[1])
        # a reading without marks ("QUANG NINH") can lose a vote, never win one
        if ranked[0][1] > ranked[1][1] and not ranked[0][0].isascii():
            winners[key] = ranked[0][0]
    if not winners:
        return texts, 0
    count = 0
    out = []
    for text in texts:
        parts: list[str] = []
        pos = 0
        for m in _CAP_PAIR.finditer(text):
            if m.start(1) < pos:
                continue
            pair = m.group(1)
            words = pair.split()
            win = winners.get(fold(" ".join(words)))
            if win is None or canon_tones(" ".join(words).lower()) == win:
                continue
            new_words = [_cased_like(c, w) for c, w in zip(win.split(), words, strict=True)]
            seps = re.findall(r"\s+", pair)
            parts.append(text[pos:m.start(1)])
            parts.append(new_words[0] + "".join(sep + w for sep, w in zip(seps, new_words[1:], strict=True)))
            pos = m.end(1)
            count += 1
        parts.append(text[pos:])
        out.append("".join(parts))
    return out, count


def fix_ocr_text(text: str) -> tuple[str, int]:
    """Apply every repair; returns the text and how many tokens were changed."""
    text, n0 = fix_eth(text)
    text, r = fix_roman_heads(text)
    n0 += r
    text, n1 = fix_digits(text)
    text, n2 = fix_date_words(text)
    text, n3 = fix_labels(text)
    text, n4 = fix_marks(text)
    text, n5 = fix_phrases(text)
    text, n6 = fix_lines(text)
    return text, n0 + n1 + n2 + n3 + n4 + n5 + n6


__all__ = ["fix_ocr_text", "fix_digits", "fix_date_words", "fix_eth", "fix_labels", "fix_marks", "fix_phrases", "fix_lines", "fix_consensus", "fix_roman_heads"]
