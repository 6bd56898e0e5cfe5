"""Format parity: does reading the same documents as DOCX, DOC, PDF, scans, HTML, TCVN3 and VNI score as well
as reading their plain text?

Builds every format for all documents of ``corpora/`` (scans for a subset: ``--scan-ids`` or the first
``--scans`` documents) with :mod:`tests.support.fixtures`, runs ``evaluate(..., use_files=True)`` on each, and prints
the per-field delta against the txt baseline on the same documents (points, 0-100) and the OCR character
error rate of the scans. Bar (issue "Readers"): every field within 2 points (scans: 5), OCR CER <= 3 %.

    python benchmarks/format_parity.py [--formats docx,pdf] [--scans 6] [--out /tmp/parity]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.eval import evaluate  # noqa: E402
from tests.support.fixtures import FORMATS, build_format_corpus, field_deltas, ocr_cer, txt_baseline  # noqa: E402


def machine() -> str:
    return f"{platform.node()} {platform.machine()} {os.cpu_count()} CPU, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", default=str(REPO / "corpora"))
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--scans", type=int, default=6, help="how many documents to scan (OCR is slow)")
    ap.add_argument("--scan-ids", default="", help="comma-separated ids to scan instead of the first --scans")
    ap.add_argument("--out", default="", help="keep the built corpora here (default: a temporary folder)")
    args = ap.parse_args(argv)
    src = Path(args.src)
    ids = sorted(p.stem for p in (src / "gold").glob("*.json"))
    scan_ids = [s for s in args.scan_ids.split(",") if s] or ids[: args.scans]
    work = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="congvan-parity-"))
    print(f"# format parity on {src} ({len(ids)} documents, {len(scan_ids)} scanned) - {machine()}")
    bases = {"all": txt_baseline(src, ids, work / "base-all" / "txt")}
    if set(scan_ids) != set(ids):
        bases["scan"] = txt_baseline(src, scan_ids, work / "base-scan" / "txt")
    rows = []
    for fmt in [f for f in args.formats.split(",") if f]:
        subset = scan_ids if fmt == "scan" else ids
        t0 = time.perf_counter()
        folder = build_format_corpus(src, work / fmt, fmt, subset)
        t1 = time.perf_counter()
        report = evaluate(folder, use_files=True)
        t2 = time.perf_counter()
        deltas = field_deltas(bases["scan" if fmt == "scan" and "scan" in bases else "all"], report.scores())
        cer = ocr_cer(folder)[0] if fmt == "scan" else None
        rows.append((fmt, len(subset), deltas, cer, t1 - t0, t2 - t1, len(report.errors)))
    fields = list(rows[0][2]) if rows else []
    short = {f: f.replace("_f1", "").replace("reference_", "ref_").replace("task_", "t_")[:10] for f in fields}
    print("\nper-field delta vs txt (points; negative = worse)")
    print(f"{'format':<7}{'docs':>5} " + " ".join(f"{short[f]:>10}" for f in fields)
          + f" {'worst':>7} {'bar':>4} {'OCR CER':>8} {'build s':>8} {'eval s':>7} {'errors':>6}")
    failed = False
    for fmt, n, deltas, cer, tb, te, nerr in rows:
        worst = min(deltas.values(), default=0.0)
        bar = 5.0 if fmt == "scan" else 2.0
        ok = worst >= -bar and (cer is None or cer <= 0.03)
        failed = failed or not ok
        print(f"{fmt:<7}{n:>5} " + " ".join(f"{deltas[f]:>+10.1f}" for f in fields)
              + f" {worst:>+7.1f} {'ok' if ok else 'MISS':>4} {(f'{100 * cer:.2f}%' if cer is not None else '-'):>8}"
              f" {tb:>8.1f} {te:>7.1f} {nerr:>6}")
    print(f"\nbuilt corpora in {work}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
