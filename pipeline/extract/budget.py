"""The extraction budget: what one document may cost, and what happens at the limit.

The read stage already refuses files over ``--max-mb`` and text over 20 M characters. Text just under those limits
must still not take minutes or gigabytes (a 19.9 M-character single line, a 20 MB run of ``Số: 1/1/1…``), nor copy
a 20 MB "number" into five fields. So, in one place:

- ``max_chars``: the extractors see at most this much of the text (the head, where the header, the body and
  the signature of any real dispatch fit many times over: 2 M characters is ~600 pages). The rest is not
  extracted from (the archive still stores and searches the whole text), and the record says so in a warning.
- ``time_s``: a CPU-time budget for the pipeline's components (CPU, not wall-clock, so a busy machine does not
  change the record); when it is spent, the remaining components are skipped (their fields stay empty) with a
  warning. Components are linear in the text at ``max_chars``, so
  together the two keep one document under ~20 s and ~1 GB.
- ``field_chars`` / ``text_field_chars``: every string of the record is capped (short fields: names, places,
  codes; long ones: the subject, task and citation texts) and cut with ``…`` and a warning; a document number
  over ``number_chars`` is not a number at all and is dropped.

Environment overrides (tests and unusual archives): ``CONGVAN_MAX_EXTRACT_CHARS``, ``CONGVAN_EXTRACT_TIME_S``.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from typing import Any

LONG_FIELDS = frozenset({"text", "subject", "evidence", "title", "deliverable"})


@dataclass(frozen=True)
class Budget:
    max_chars: int = 2_000_000
    time_s: float = 20.0
    number_chars: int = 120
    field_chars: int = 2_000
    text_field_chars: int = 50_000

    @classmethod
    def from_env(cls) -> Budget:
        b = cls()
        try:
            chars = int(os.environ.get("CONGVAN_MAX_EXTRACT_CHARS", b.max_chars))
            secs = float(os.environ.get("CONGVAN_EXTRACT_TIME_S", b.time_s))
        except ValueError:
            return b
        return dataclasses.replace(b, max_chars=max(1000, chars), time_s=max(0.0, secs))


def clip_text(text: str, budget: Budget) -> tuple[str, list[str]]:
    """The part of ``text`` the extractors see, and the warning when it was cut (at a line end if one is near)."""
    if len(text) <= budget.max_chars:
        return text, []
    cut = text.rfind("\n", budget.max_chars - 10_000, budget.max_chars)
    cut = cut if cut > 0 else budget.max_chars
    return text[:cut], [f"text has {len(text):,} characters; fields were extracted from the first {cut:,} only "
                        "(extraction budget)"]


def cap_fields(record: dict[str, Any], budget: Budget) -> list[str]:
    """Cap every string of the record in place (see the module docstring); returns the warnings."""
    warnings: list[str] = []
    number = record.get("number")
    if number is not None and len(getattr(number, "text", "") or "") > budget.number_chars:
        record["number"] = None
        warnings.append(f"document number over {budget.number_chars} characters dropped (not a number)")
    cut: set[str] = set()
    for key in list(record):
        record[key] = _cap(record[key], key, budget, cut)
    if cut:
        warnings.append(f"over-long values cut ({', '.join(sorted(cut))}; extraction budget)")
    return warnings


def cap_warnings(warnings: list[str], budget: Budget) -> list[str]:
    """Warnings quote what they warn about; a quoted 20 MB "code" must not become a 20 MB warning."""
    limit = budget.field_chars // 4
    return [w if len(w) <= limit else w[: limit - 1] + "…" for w in warnings]


def _cap(value: Any, name: str, budget: Budget, cut: set[str]) -> Any:
    if isinstance(value, str):
        limit = budget.text_field_chars if name in LONG_FIELDS else budget.field_chars
        if len(value) > limit:
            cut.add(name)
            return value[: limit - 1] + "…"
        return value
    if isinstance(value, list):
        return [_cap(v, name, budget, cut) for v in value]
    if isinstance(value, tuple):
        return tuple(_cap(v, name, budget, cut) for v in value)
    if isinstance(value, dict):
        return {k: _cap(v, str(k), budget, cut) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            old = getattr(value, f.name)
            new = _cap(old, f.name, budget, cut)
            if new is not old:
                object.__setattr__(value, f.name, new)
        return value
    return value
