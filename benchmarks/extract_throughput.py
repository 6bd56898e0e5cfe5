"""Extraction throughput on one core, beside a regex-only pass over the same files in the same run.

    python benchmarks/extract_throughput.py [--copies 20] [--json out.json]

Builds many ~5 KB documents from corpora/ (each team document repeated with a varied number and date so
no two texts are equal), then measures, in this one process (one core):

- baseline: a regex-only pass (number, date line, citations) over the same texts;
- congvan: the full extraction (``extract_from_text``) after a warm-up;
- underthesea: what its sentence splitter would cost on the same bodies (we use a regex splitter and call
  underthesea's POS tagger only when the verb lexicon cannot end an actor phrase);
- ``congvan --help`` start-up time;
- the two engines of the cue step (regex, spaCy ``Matcher``) on 200 of the texts (``cue_engines.py``).

Prints a table and one JSON line with the machine noted.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def machine() -> dict:
    from machine_info import basic  # benchmarks/ is on sys.path when a script runs

    return basic()


def make_corpus(copies: int, target_kb: float = 5.0) -> list[str]:
    rng = random.Random(7)
    base = [p.read_text(encoding="utf-8") for p in sorted((REPO / "corpora" / "docs").glob("*.txt"))]
    out = []
    for i in range(copies):
        for text in base:
            t = re.sub(r"ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})",
                       lambda m: f"ngày {rng.randint(1, 28):02d} tháng {m.group(2)} năm {m.group(3)}", text, count=1)
            t = re.sub(r"(Số:? ?)(\d+)", lambda m, i=i: f"{m.group(1)}{int(m.group(2)) + i}", t, count=1)
            # pad or trim towards ~5 KB with a body paragraph of the same document
            while len(t.encode()) < target_kb * 1024 * 0.8:
                t += "\n" + text[len(text) // 3: len(text) // 3 + 800]
            out.append(t)
    return out


BASELINE = [
    re.compile(r"\d{1,5}\s*[/-]\s*[A-ZĐ][\wĐđ-]*(?:/[A-ZĐ][\wĐđ-]*)?"),
    re.compile(r"[^\n,]{1,40},\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"),
    re.compile(r"(?:Căn cứ|Thực hiện|Kính gửi|Nơi nhận)[^\n]{0,200}"),
]


def regex_pass(texts: list[str]) -> float:
    t = time.perf_counter()
    for text in texts:
        for pat in BASELINE:
            for _m in pat.finditer(text):
                pass
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--copies", type=int, default=20, help="copies of the 32 team documents (default 20 = 640 docs)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()

    from pipeline.extract import extract_from_text

    texts = make_corpus(args.copies)
    avg_kb = statistics.mean(len(t.encode()) for t in texts) / 1024
    for t in texts[:10]:  # warm-up: spaCy pipeline, lexicons, regex caches
        extract_from_text(t)

    base_s = regex_pass(texts)
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    for t in texts:
        extract_from_text(t)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    docs_per_s = len(texts) / wall

    ut_cost = None
    try:
        from underthesea import sent_tokenize

        sample = texts[:100]
        sent_tokenize(sample[0])
        t = time.perf_counter()
        for x in sample:
            sent_tokenize(x)
        ut_cost = (time.perf_counter() - t) / len(sample)
    except Exception as exc:  # report, do not fail the benchmark
        print(f"underthesea unavailable: {exc}", file=sys.stderr)

    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline.cli", "--help"], capture_output=True, check=True)
    help_s = time.perf_counter() - t

    figures = {
        "machine": machine(),
        "documents": len(texts),
        "avg_kb": round(avg_kb, 2),
        "congvan_docs_per_s": round(docs_per_s, 1),
        "congvan_ms_per_doc": round(1000 * wall / len(texts), 2),
        "congvan_cpu_ms_per_doc": round(1000 * cpu / len(texts), 2),
        "regex_only_ms_per_doc": round(1000 * base_s / len(texts), 3),
        "ratio_to_regex_only": round(wall / base_s, 1) if base_s else None,
        "underthesea_sent_tokenize_ms_per_doc": round(1000 * ut_cost, 2) if ut_cost else None,
        "help_startup_s": round(help_s, 2),
    }
    from cue_engines import cue_engine_figures  # the congvan_cues engines on the same texts (docs/design.md)

    figures["cue_engines"] = cue_engine_figures(texts[:200])
    from machine_info import print_figures

    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
