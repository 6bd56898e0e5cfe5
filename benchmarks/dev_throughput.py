"""Extraction speed in KB/s per core on the real dev documents, beside a regex-only pass in the same run.

    python benchmarks/dev_throughput.py [../shared/corpus/dev] [--passes 3] [--json out.json]

Reads the text of the dev split only (``pipeline/eval_splits.json`` keeps the blind third out of every run), then,
in this one process, after a warm-up pass (spaCy pipeline, lexicons, the POS model the actor finder loads on first
use):

- regex only: the number, date-line and citation-cue regexes of ``extract_throughput.py`` over the same texts;
- congvan: what ``congvan extract`` does per text file after reading it: ``check_language`` then
  ``extract_from_text``; ``check_language`` is also timed alone (it used to walk every character in Python);
- the two engines of the cue step (regex, spaCy ``Matcher``), alone and in the whole pipeline (``cue_engines.py``).

KB/s per core = kilobytes of UTF-8 text / CPU seconds of this process (``time.process_time``), so other load on a
shared machine does not count against it. The median of ``--passes`` passes is reported, with the machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TARGET_KB_S = 750.0  # issue 16: extraction at least at today's level, per core, on text


def dev_texts(folder: Path):
    from pipeline.eval import select_split
    from pipeline.read import read

    gold = select_split(sorted((folder / "gold").glob("*.json")), "dev")
    return [read(folder / "docs" / f"{g.stem}.txt") for g in gold]


def cpu_seconds(fn, items) -> float:
    t = time.process_time()
    for x in items:
        fn(x)
    return time.process_time() - t


def main() -> None:
    from extract_throughput import BASELINE, machine  # benchmarks/ is on sys.path when a script runs

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", nargs="?", type=Path, default=REPO.parent / "shared" / "corpus" / "dev")
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    if not (args.folder / "gold").is_dir():
        sys.exit(f"error: {args.folder} has no gold/ folder (expected a corpus laid out like shared/corpus/dev)")

    from pipeline.extract import check_language, extract_from_text

    texts = dev_texts(args.folder)
    kb = sum(len(t.text.encode("utf-8")) for t in texts) / 1024

    def full(t):
        check_language(t)
        extract_from_text(t)

    def regex_only(t):
        for pat in BASELINE:
            for _m in pat.finditer(t.text):
                pass

    cpu_seconds(full, texts)  # warm-up
    runs = {"congvan": [], "check_language": [], "regex_only": []}
    for _ in range(args.passes):
        runs["regex_only"].append(cpu_seconds(regex_only, texts))
        runs["check_language"].append(cpu_seconds(check_language, texts))
        runs["congvan"].append(cpu_seconds(full, texts))
    med = {k: statistics.median(v) for k, v in runs.items()}
    figures = {
        "machine": machine(),
        "documents": len(texts),
        "text_kb": round(kb, 1),
        "congvan_kb_s_per_core": round(kb / med["congvan"], 1),
        "regex_only_kb_s_per_core": round(kb / med["regex_only"], 1),
        "congvan_ms_per_doc": round(1000 * med["congvan"] / len(texts), 2),
        "check_language_share": round(med["check_language"] / med["congvan"], 4),
        "target_kb_s_per_core": TARGET_KB_S,
        "meets_target": kb / med["congvan"] >= TARGET_KB_S,
    }
    from cue_engines import cue_engine_figures  # the congvan_cues engines on the same texts (docs/design.md)

    figures["cue_engines"] = cue_engine_figures([t.text for t in texts], args.passes)
    from machine_info import print_figures

    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
