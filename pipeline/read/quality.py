"""Text-layer quality: is a PDF's text Vietnamese syllables or a broken font table's garble (spec §12)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

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
