"""Scoring ``find_references`` on citation snippets: one sentence or title each, with the expected citations.

A snippet file is JSON Lines: ``{"id", "kind", "text", "references": [{"number" | "title", "relation", "date"}]}``
(relation as the Vietnamese gold names: căn cứ, thực hiện, …, mention; ``references`` empty for a snippet that
has no citation). Measures what issue 16 asks of snippets: recall, date accuracy, relation accuracy, and the share
of no-citation snippets where a reference is invented."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .extract.references import RELATION_VI
from .normalize import compare_key


@dataclass
class SnippetReport:
    snippets: int = 0
    expected: int = 0
    predicted: int = 0
    matched: int = 0
    relation_ok: int = 0
    date_ok: int = 0
    full_ok: int = 0
    empty_snippets: int = 0
    invented: int = 0  # no-citation snippets where something was found
    misses: list[dict] = field(default_factory=list)

    def scores(self) -> dict[str, float | int]:
        def div(a: int, b: int) -> float:
            return round(a / b, 3) if b else 1.0

        return {"snippets": self.snippets, "expected": self.expected, "recall": div(self.matched, self.expected),
                "precision": div(self.matched, self.predicted), "relation": div(self.relation_ok, self.matched),
                "date": div(self.date_ok, self.matched), "full": div(self.full_ok, self.expected),
                "no_citation_snippets": self.empty_snippets, "invented": div(self.invented, self.empty_snippets)}


def _key(value: str | None) -> str:
    return compare_key(value or "").replace(" ", "")


def _matches(exp: dict, ref) -> bool:
    if exp.get("number"):
        return ref.number is not None and _key(ref.number) == _key(exp["number"])
    title = _key(exp.get("title"))
    return bool(title) and ref.number is None and _key(ref.title).startswith(title)


def load_snippets(path: str | Path) -> list[dict]:
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
    return out


def score_snippets(snippets: list[dict]) -> SnippetReport:
    from .extract.references import find_references

    rep = SnippetReport()
    for s in snippets:
        refs = find_references(s["text"])
        expected = s.get("references") or []
        rep.snippets += 1
        if not expected:
            rep.empty_snippets += 1
            if refs:
                rep.invented += 1
                rep.misses.append({"id": s["id"], "invented": [r.text for r in refs]})
            continue
        rep.expected += len(expected)
        rep.predicted += len(refs)
        free = list(refs)
        for exp in expected:
            hit = next((r for r in free if _matches(exp, r)), None)
            if hit is None:
                rep.misses.append({"id": s["id"], "missed": exp.get("number") or exp.get("title")})
                continue
            free.remove(hit)
            rep.matched += 1
            rel = RELATION_VI.get(hit.relation, hit.relation)
            rel_ok = rel == exp.get("relation")
            date_ok = hit.date == exp.get("date")
            rep.relation_ok += rel_ok
            rep.date_ok += date_ok
            rep.full_ok += rel_ok and date_ok
            if not (rel_ok and date_ok):
                rep.misses.append({"id": s["id"], "number": exp.get("number") or exp.get("title"),
                                   "relation": [rel, exp.get("relation")], "date": [hit.date, exp.get("date")]})
    return rep
