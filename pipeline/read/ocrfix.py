"""Repair common OCR confusions inside numbers and date words, never in ordinary words.

Pure functions, text in → (text, number of repairs) out:

- digit runs: ``O``/``o`` → ``0`` and ``l``/``I``/``|`` → ``1`` in a run of digits and look-alikes that stands
  alone (no letter glued to either side) and holds at least one real digit: ``O1-KL/TW`` → ``01-KL/TW``,
  ``l244`` → ``1244``, ``2O23`` → ``2023``, ``15/O3/2O23`` → ``15/03/2023``. ``lO``, ``Ol`` (no digit), ``C04``,
  ``QH15`` (glued to letters) and Roman numerals are left alone;
- date words before a number: ``ngảy 15`` → ``ngày 15``, ``thảng 3`` → ``tháng 3``, ``nărn 2023`` → ``năm 2023``;
  the real words ``ngay``, ``thang``, ``nam`` are only repaired inside a whole date
  (``ngay 15 thang 3 nam 2023``).

Symbols (``QD-UBND`` for ``QĐ-UBND``) are left to the number extractor, which knows the lexicon.
"""

from __future__ import annotations

import re
import unicodedata

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


def fix_digits(text: str) -> tuple[str, int]:
    count = 0

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


def fix_ocr_text(text: str) -> tuple[str, int]:
    """Apply every repair; returns the text and how many tokens were changed."""
    text, n1 = fix_digits(text)
    text, n2 = fix_date_words(text)
    return text, n1 + n2


__all__ = ["fix_ocr_text", "fix_digits", "fix_date_words"]
