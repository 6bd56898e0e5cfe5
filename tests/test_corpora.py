"""The team corpus is well formed: gold files follow the dev gold format and every span is exact."""

import hashlib
import json
from pathlib import Path

import pytest

CORPORA = Path(__file__).resolve().parents[1] / "corpora"

GOLD_KEYS = ["id", "source", "file", "format", "text_extraction", "issuer_level", "doc_type", "number",
             "number_normalized", "issuer", "parent_issuer", "place", "date", "subject", "recipients", "cc", "signer",
             "references", "action_items", "quirks", "sha256"]
GOLD = sorted((CORPORA / "gold").glob("*.json"))


def test_size_and_families():
    assert len(GOLD) >= 30
    levels = {json.loads(p.read_text(encoding="utf-8"))["issuer_level"] for p in GOLD}
    assert {"central", "province", "district", "party", "union"} <= levels


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.stem)
def test_gold_file(path):
    gold = json.loads(path.read_text(encoding="utf-8"))
    assert list(gold)[: len(GOLD_KEYS)] == GOLD_KEYS
    doc = (CORPORA / "docs" / f"{gold['id']}.txt").read_bytes()
    assert hashlib.sha256(doc).hexdigest() == gold["sha256"]
    text = doc.decode("utf-8")
    numbers = {r["number"] for r in gold["references"]} | {r.get("title") for r in gold["references"]}
    for r in gold["references"]:
        assert text[r["start"]:r["end"]] == r["text"]
        assert r["via"] is None or r["via"] in numbers


def test_three_level_cascades():
    """At least three chains where a document cites a document that cites another one in the corpus."""
    by_number = {}
    cites = {}
    for p in GOLD:
        g = json.loads(p.read_text(encoding="utf-8"))
        if g["number_normalized"]:
            by_number[g["number_normalized"]] = g["id"]
        cites[g["id"]] = {r["number"] for r in g["references"] if r["number"] and r["via"] is None}
    chains = 0
    for _doc, parents in cites.items():
        for p1 in parents & set(by_number):
            if cites[by_number[p1]] & set(by_number):
                chains += 1
    assert chains >= 3
