"""Read-stage throughput and quality on the dev corpus, with the baselines measured in the same run.

- Text PDFs: pages/s of ``pipeline.read.read`` (pypdfium2 + layout pass on the first and signature
  pages, OCR off) vs ``pdftotext -layout`` (poppler, one process per file, as a user would run it);
  best of ``--repeat`` runs each. Target: ours at most 3× pdftotext's time per page.
- OCR: pages/s on the scanned pages (d13 scan, d16 garbled layer, each twice in one PDF) with one
  tesseract at a time and with one per core.
- Quality (``--no-quality`` to skip): share of the reference lines (``docs/<id>.txt``, split at column
  gaps, page chrome excluded) found in our text; OCR character error rate of d13 against the reference
  OCR text (same engine: measures layout/pipeline drift) and of the gold field values (issuer,
  number, subject, Nơi nhận items, signer; read by annotators from the page image: measures truth).

Prints a table, then one JSON line. ``python benchmarks/read_throughput.py [--corpus DIR] [--repeat N]``
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.read import ReadOptions, read  # noqa: E402
from tests.support.fixtures import levenshtein  # noqa: E402  (character error rates, shared with the parity benchmark)


def machine() -> dict:
    from machine_info import cpu_model  # benchmarks/ is on sys.path when a script runs

    cpu = cpu_model()
    import pypdfium2

    info = {"nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "cpu": cpu, "python": platform.python_version(),
            "pypdfium2": str(pypdfium2.version.PYPDFIUM_INFO), "pdfium": str(pypdfium2.version.PDFIUM_INFO)}
    for tool, args in (("pdftotext", ["-v"]), ("tesseract", ["--version"])):
        exe = shutil.which(tool)
        if exe:
            out = subprocess.run([exe, *args], capture_output=True, text=True)
            first = (out.stdout or out.stderr).strip().splitlines()
            info[tool] = first[0] if first else "?"
    return info


def best_of(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def best_substring_distance(pattern: str, text: str) -> int:
    """Edit distance between ``pattern`` and its best-matching substring of ``text`` (Sellers)."""
    prev = [0] * (len(text) + 1)
    for i, cp in enumerate(pattern, 1):
        cur = [i]
        for j, ct in enumerate(text, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (cp != ct)))
        prev = cur
    return min(prev)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def reference_pieces(ref: str) -> list[str]:
    out = []
    for line in ref.split("\n"):
        for piece in re.split(r"\s{3,}", line.strip()):
            piece = squash(piece)
            if piece and not re.fullmatch(r"\d{1,3}", piece) and not piece.startswith("Tài liệu này thuộc sở hữu"):
                out.append(piece)
    return out


def gold_strings(gold: dict) -> list[str]:
    out = [gold.get("issuer"), gold.get("parent_issuer"), gold.get("number"), gold.get("subject")]
    out += gold.get("recipients") or []
    out += gold.get("cc") or []
    signer = gold.get("signer") or {}
    out += [signer.get("name"), signer.get("title"), signer.get("authority")]
    return [s for s in out if s]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "dev"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-ocr", action="store_true")
    ap.add_argument("--no-quality", action="store_true")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not (corpus / "index.csv").exists():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2
    with open(corpus / "index.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    text_ids = [r["id"] for r in rows if r["format"] == "pdf-text"]
    scan_ids = [r["id"] for r in rows if r["format"] == "pdf-scan"]
    info = machine()
    result: dict = {"benchmark": "read_throughput", "machine": info, "text_pdf": {}, "ocr": {}, "quality": {}}
    no_ocr = ReadOptions(ocr=False)
    have_pdftotext = shutil.which("pdftotext") is not None

    print(f"machine: {info['nproc']} cores, {info['cpu']}, Python {info['python']}, pypdfium2 {info['pypdfium2']}, "
          f"{info.get('pdftotext', 'no pdftotext')}, {info.get('tesseract', 'no tesseract')}")
    print()
    print(f"{'text PDF':34s} {'pages':>5s} {'ours ms/pg':>10s} {'pdftotext ms/pg':>15s} {'ratio':>6s} "
          f"{'ours pg/s':>9s}")
    tot_pages = tot_ours = tot_base = 0.0
    for doc_id in text_ids:
        path = corpus / "files" / f"{doc_id}.pdf"
        text = read(path, no_ocr)
        pages = text.source.pages or 1
        ours = best_of(lambda p=path: read(p, no_ocr), args.repeat)
        base = None
        if have_pdftotext:
            base = best_of(lambda p=path: subprocess.run(["pdftotext", "-layout", str(p), "-"],
                                                         capture_output=True, check=True), args.repeat)
        tot_pages += pages
        tot_ours += ours
        tot_base += base or 0
        ratio = ours / base if base else None
        result["text_pdf"][doc_id] = {"pages": pages, "ours_s": round(ours, 4), "pdftotext_s": base and round(base, 4),
                                      "ratio": ratio and round(ratio, 2)}
        print(f"{doc_id:34s} {pages:5d} {1000 * ours / pages:10.2f} "
              f"{(1000 * base / pages) if base else float('nan'):15.2f} {ratio or float('nan'):6.2f} "
              f"{pages / ours:9.1f}")
    overall = tot_ours / tot_base if tot_base else None
    result["text_pdf"]["total"] = {"pages": tot_pages, "ours_pages_per_s": round(tot_pages / tot_ours, 1),
                                   "pdftotext_pages_per_s": round(tot_pages / tot_base, 1) if tot_base else None,
                                   "ratio": overall and round(overall, 2), "target_ratio": 3.0}
    print(f"{'all text PDFs':34s} {int(tot_pages):5d} {1000 * tot_ours / tot_pages:10.2f} "
          f"{(1000 * tot_base / tot_pages) if tot_base else float('nan'):15.2f} {overall or float('nan'):6.2f} "
          f"{tot_pages / tot_ours:9.1f}")

    from pipeline.read.ocr import tesseract_available

    if not args.no_ocr and scan_ids and tesseract_available("vie"):
        import pypdfium2 as pdfium

        with tempfile.TemporaryDirectory() as tmp:
            combined = pdfium.PdfDocument.new()
            for _ in range(2):
                for doc_id in scan_ids:
                    src = pdfium.PdfDocument(str(corpus / "files" / f"{doc_id}.pdf"))
                    combined.import_pages(src)
                    src.close()
            scan_path = Path(tmp) / "scans.pdf"
            combined.save(str(scan_path))
            n_pages = len(combined)
            combined.close()
            print()
            print(f"{'OCR (' + str(n_pages) + ' scanned pages)':34s} {'workers':>7s} {'s':>7s} {'pages/s':>8s}")
            for workers in sorted({1, info["nproc"] or 1}):
                opts = ReadOptions(ocr_workers=workers)
                t = time.perf_counter()
                text = read(scan_path, opts)
                dt = time.perf_counter() - t
                assert text.source.ocr
                result["ocr"][f"workers_{workers}"] = {"pages": n_pages, "seconds": round(dt, 2),
                                                       "pages_per_s": round(n_pages / dt, 3)}
                print(f"{'':34s} {workers:7d} {dt:7.2f} {n_pages / dt:8.3f}")

    if not args.no_quality:
        print()
        print(f"{'quality':34s} {'measure':40s} {'value':>8s}")
        for doc_id in text_ids:
            text = read(corpus / "files" / f"{doc_id}.pdf", no_ocr)
            ours = " ".join(squash(ln) for ln in text.text.split("\n"))
            pieces = reference_pieces((corpus / "docs" / f"{doc_id}.txt").read_text(encoding="utf-8"))
            share = sum(p in ours for p in pieces) / len(pieces)
            result["quality"][doc_id] = {"reference_lines_found": round(share, 4)}
            print(f"{doc_id:34s} {'reference lines found':40s} {share:8.3f}")
        if tesseract_available("vie"):
            for doc_id in scan_ids:
                text = read(corpus / "files" / f"{doc_id}.pdf")
                ours = squash(text.text)
                q = result["quality"].setdefault(doc_id, {})
                if doc_id.startswith("d13"):  # d16's reference is the garbled layer, not an OCR
                    ref = squash((corpus / "docs" / f"{doc_id}.txt").read_text(encoding="utf-8"))
                    cer = levenshtein(ours, ref) / len(ref)
                    q["cer_vs_reference_ocr"] = round(cer, 4)
                    print(f"{doc_id:34s} {'CER vs reference OCR text':40s} {cer:8.3f}")
                gold = json.loads((corpus / "gold" / f"{doc_id}.json").read_text(encoding="utf-8"))
                fields = gold_strings(gold)
                errors = sum(best_substring_distance(squash(f), ours) for f in fields)
                chars = sum(len(squash(f)) for f in fields)
                q["gold_fields_cer"] = round(errors / chars, 4)
                q["gold_fields_chars"] = chars
                print(f"{doc_id:34s} {'CER of gold field values (' + str(len(fields)) + ' fields)':40s} "
                      f"{errors / chars:8.3f}")
    print()
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
