"""Recipients (Kính gửi) and the copy list (Nơi nhận), spec §6."""

from __future__ import annotations

import re

from ..normalize import squash

_MARKER = re.compile(r"^\s*(?:[-+•·◦▪–]|\d{1,2}[.)])\s*")
_INLINE_MARKER = re.compile(r"(?<=[,;])\s+-\s+(?=[A-ZĐÀ-Ỹ])")


def _clean(item: str) -> str:
    item = _MARKER.sub("", item)
    item = squash(item).strip()
    item = re.sub(r"\s*(?:\./\.|[;,.])+$", "", item).strip()
    return item


def recipients_from_lines(lines: list[str]) -> list[str]:
    """Kính gửi lines -> one entry per addressee (split on markers, line starts after ';' and on ';')."""
    items: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        marker = bool(_MARKER.match(line))
        if items and not marker and not items[-1].rstrip().endswith((";", ".")) and \
                (items[-1].rstrip().endswith(",") is False or line[:1].islower()):
            items[-1] = f"{items[-1]} {line}"
        else:
            items.append(line)
    out: list[str] = []
    for it in items:
        for part in re.split(r";\s*", _MARKER.sub("", it)):
            c = _clean(part)
            if c and c not in ("và",):
                out.append(c)
    return out


def cc_from_items(items: list[str]) -> list[str]:
    """Nơi nhận items (each already one list item, possibly wrapped) -> cleaned entries."""
    out: list[str] = []
    for it in items:
        for part in _INLINE_MARKER.split(it):
            c = _clean(part)
            if c:
                out.append(c)
    return out
