"""Citation snippets: scores of ``find_references`` and its speed, on the team's snippet sets.

    python benchmarks/citation_snippets.py [--json out.json]

Scores tests/data/snippets.jsonl and tests/data/snippets_heldout.jsonl (recall, relation, date, invented
references on snippets with none; targets of issue 16: recall ≥ 0.95, date ≥ 0.9, invented ≤ 0.1), then times
``find_references`` on one core over the snippets and over the team documents of corpora/docs (KB/s).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> None:
    from machine_info import basic  # benchmarks/ is on sys.path when a script runs

    from pipeline import find_references
    from pipeline.snippets import load_snippets, score_snippets

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()

    out: dict = {"machine": basic()}
    texts = []
    for name in ("snippets", "snippets_heldout"):
        data = load_snippets(REPO / "tests" / "data" / f"{name}.jsonl")
        texts += [s["text"] for s in data]
        out[name] = score_snippets(data).scores()
    docs = [p.read_text(encoding="utf-8") for p in sorted((REPO / "corpora" / "docs").glob("*.txt"))]
    find_references(docs[0])  # warm-up: lexicons and regexes
    t = time.process_time()
    for _ in range(5):
        for s in texts:
            find_references(s)
    out["snippets_per_s"] = round(5 * len(texts) / max(time.process_time() - t, 1e-9))
    kb = sum(len(d.encode("utf-8")) for d in docs) / 1024
    t = time.process_time()
    for _ in range(3):
        for d in docs:
            find_references(d)
    out["documents_kb_per_s_per_core"] = round(3 * kb / max(time.process_time() - t, 1e-9))
    for key, value in out.items():
        print(f"{key:30s} {value}")
    print(json.dumps(out, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
