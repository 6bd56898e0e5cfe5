"""Signature block: authority prefix(es), title, name (spec §7)."""

from __future__ import annotations

import re

from ..models import Signer
from ..normalize import squash
from ..segment import AUTHORITY_RE, is_caps, looks_like_name
from .issuers import recase

_PREFIX = {"T/M": "TM.", "K/T": "KT.", "T/L": "TL.", "TM": "TM.", "KT": "KT.", "TL": "TL.", "TUQ": "TUQ.", "Q": "Q."}
_NOISE = re.compile(r"(?i)^\(?\s*(?:đã\s*k[ýí]|ký|ký tên|ký, đóng dấu|ký,? ghi rõ họ tên|chữ ký|dấu)\b.*\)?$|"
                    r"^(?:Ký bởi|Thời gian ký|Cơ quan|Email|Signature|Người ký)\b|^\d{1,2}[.:]\d{2}")


def parse_signer(cells: list[str]) -> Signer | None:
    if not cells:
        return None
    chain: list[str] = []
    title_parts: list[str] = []
    name = None
    for raw in cells:
        s = squash(raw).strip(" *")
        if not s or _NOISE.search(s):
            continue
        m = AUTHORITY_RE.match(s)
        if m and not title_parts:
            chain.append(f"{m.group('prefix')}{'.' if '/' not in m.group('prefix') else ''} {m.group('rest')}"
                         .replace("..", "."))
            continue
        if looks_like_name(s):
            name = s
            break
        if is_caps(s) and len(s) < 80:
            title_parts.append(s)
    if not (chain or title_parts or name):
        return None
    title = " ".join(title_parts) or None
    first = AUTHORITY_RE.match(chain[0]) if chain else None
    return Signer(
        name=name,
        title=title,
        authority=_PREFIX.get(first.group("prefix")) if first else None,
        on_behalf_of=recase(first.group("rest")) if first else None,
        authority_line=chain[-1] if chain else None,
        authority_chain=chain,
    )
