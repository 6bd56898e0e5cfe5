"""Page chrome: running headers/footers repeated at the edge of most pages, and bare page numbers."""

from __future__ import annotations

import re
from collections import Counter

from .layout import LayoutLine, _line_text

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


def _drop_chrome_lines(lines: list[LayoutLine], repeated: set[str], n_pages: int) -> list[LayoutLine]:
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
