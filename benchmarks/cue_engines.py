"""The two engines of the ``congvan_cues`` component on the same texts, in the same process.

    python benchmarks/cue_engines.py [--copies 5]

``extract_throughput.py`` and ``dev_throughput.py`` call ``cue_engine_figures`` too, so their runs report it
beside their own figures. For each engine ("regex": one compiled regular expression; "phrase": spaCy's
``Matcher`` with one pattern per phrase) it times, in CPU seconds of this process, median of ``passes``:

- the cue step alone (``congvan_cues`` on a tokenized ``Doc``);
- the whole pipeline (``run_pipeline``) with that engine;

and checks both engines find the same cues on every text (``same_cues``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

ENGINES = ("regex", "phrase")


def cue_engine_figures(texts: list[str], passes: int = 3) -> dict:
    from pipeline.extract import get_nlp, run_pipeline

    nlps = {e: get_nlp(e) for e in ENGINES}
    docs = {}
    for e, nlp in nlps.items():
        docs[e] = []
        for t in texts:
            d = nlp.make_doc(t)
            d._.norm = t
            docs[e].append(d)
    same = all(nlps["regex"].get_pipe("congvan_cues")(a)._.cues == nlps["phrase"].get_pipe("congvan_cues")(b)._.cues
               for a, b in zip(docs["regex"], docs["phrase"], strict=True))
    for nlp in nlps.values():  # warm-up (the pipeline's lazy models and caches)
        for t in texts[:20]:
            run_pipeline(t, nlp=nlp)
    step: dict[str, list[float]] = {e: [] for e in ENGINES}
    full: dict[str, list[float]] = {e: [] for e in ENGINES}
    for _ in range(passes):
        for e in ENGINES:  # interleaved, so drifting machine load hits both engines alike
            cues = nlps[e].get_pipe("congvan_cues")
            t0 = time.process_time()
            for d in docs[e]:
                cues(d)
            step[e].append(time.process_time() - t0)
            t0 = time.process_time()
            for t in texts:
                run_pipeline(t, nlp=nlps[e])
            full[e].append(time.process_time() - t0)
    n = len(texts)
    out: dict = {"same_cues": same}
    for e in ENGINES:
        out[f"cues_{e}_ms_per_doc"] = round(1000 * statistics.median(step[e]) / n, 3)
        out[f"pipeline_{e}_ms_per_doc"] = round(1000 * statistics.median(full[e]) / n, 2)
    out["phrase_over_regex_cues"] = round(out["cues_phrase_ms_per_doc"] / out["cues_regex_ms_per_doc"], 1)
    return out


def main() -> None:
    from extract_throughput import machine, make_corpus  # benchmarks/ is on sys.path when a script runs

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--copies", type=int, default=5, help="copies of the team documents (default 5)")
    ap.add_argument("--passes", type=int, default=3)
    args = ap.parse_args()
    texts = make_corpus(args.copies)
    figures = {"machine": machine(), "documents": len(texts), **cue_engine_figures(texts, args.passes)}
    width = max(len(k) for k in figures)
    for k, v in figures.items():
        print(f"{k:<{width}}  {v}")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
