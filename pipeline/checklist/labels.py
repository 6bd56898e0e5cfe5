"""The words of a rendered checklist, in Vietnamese (the default) or English, read from ``labels.tsv``.

Labels are data: one row per label, ``key<TAB>vi<TAB>en``, with ``{name}`` fields filled by :func:`label`.
The documents' own words (task text, unit names, deadline phrases) are never translated: only the frame."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

LANGS = ("vi", "en")
_FILE = Path(__file__).with_name("labels.tsv")


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    """{key: {"vi": …, "en": …}} from labels.tsv (comment lines start with '#')."""
    table: dict[str, dict[str, str]] = {}
    for n, row in enumerate(_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not row.strip() or row.startswith("#"):
            continue
        cells = row.split("\t")
        if len(cells) != 1 + len(LANGS):
            raise ValueError(f"{_FILE.name}:{n}: expected {1 + len(LANGS)} tab-separated cells, got {len(cells)}")
        table[cells[0]] = dict(zip(LANGS, cells[1:], strict=True))
    return table


def check_lang(lang: str) -> str:
    """`lang` normalised ('EN' → 'en'), or ValueError naming the choices."""
    code = (lang or "").strip().lower()
    if code not in LANGS:
        raise ValueError(f"unknown language {lang!r} (choose from {', '.join(LANGS)})")
    return code


def label(key: str, lang: str = "vi", **fields: object) -> str:
    """The label `key` in `lang`, its ``{fields}`` filled in."""
    text = labels()[key][check_lang(lang)]
    return text.format(**fields) if fields else text
