"""How `congvan index` scales: docs/s, peak memory, bytes per document, search latency, 1M projection.

    python benchmarks/index_scale.py                       # 10,000 and 100,000 documents, 2 workers
    python benchmarks/index_scale.py --sizes 1000,10000    # quicker
    python benchmarks/index_scale.py --sizes 1000 --json out.json --keep

For each size N it generates N synthetic dispatches from corpora/docs (issuers moved to other provinces, own
numbers, dates and cited numbers changed, bodies grown or shrunk, every one distinct), writes them to a temp
dir (1,000 per folder), runs the real command line (`python -m pipeline.cli index DIR --workers W`) in a
subprocess while sampling the memory (RSS, PSS) of its whole process tree, then times 100 searches.

The baseline measured in the same run is the extractor alone (`extract_one` in one process over a sample of
the same documents): indexing cannot beat workers × that rate, so the ratio says what the archive costs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CORPUS = ROOT / "corpora" / "docs"

# -- the generator -----------------------------------------------------------------------------------------------

_OWN_NUMBER = re.compile(r"(Số\s*:?\s*)(\d{1,5})")
_CITED_SERIAL = re.compile(r"((?:số|Số)\s+)(\d{1,5})(?=\s*[-/])")
_LONG_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_SHORT_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(20\d\d|19\d\d)(?![\d/])")


def _provinces() -> list[str]:
    from pipeline.lexicons import provinces

    names = sorted({p.name for p in provinces() if len(p.name) > 3})
    return names or ["Nghệ An", "Thanh Hóa", "Lai Châu"]


def synthesize(template: str, i: int, rng: random.Random, provinces: list[str]) -> str:
    """One distinct, plausible dispatch from a real one."""
    text = template
    head = text[:800]  # the letterhead and the place-date line name the issuer's province
    present = [p for p in provinces if p in head or p.upper() in head] or [p for p in provinces if p in text]
    if present:  # move the issuer (and its letterhead) to another province
        old = max(present, key=len)
        new = rng.choice(provinces)
        text = text.replace(old, new).replace(old.upper(), new.upper())
    text = _OWN_NUMBER.sub(lambda m: m.group(1) + str(rng.randint(1, 9999)), text, count=1)
    text = _CITED_SERIAL.sub(lambda m: m.group(1) + str(rng.randint(1, 999)).zfill(len(m.group(2))), text)
    year = rng.randint(2015, 2025)
    text = _LONG_DATE.sub(lambda m: f"ngày {rng.randint(1, 28):02d} tháng {rng.randint(1, 12):02d} năm {year}",
                          text, count=1)
    text = _SHORT_DATE.sub(lambda m: f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{rng.randint(2010, year)}", text)
    lines = text.split("\n")
    if len(lines) > 20:  # grow or shrink the body: repeat or drop a block of paragraphs in the middle
        a = rng.randint(len(lines) // 4, len(lines) // 2)
        b = min(len(lines) - 8, a + rng.randint(2, 12))
        roll = rng.random()
        if roll < 0.25:
            lines = lines[:a] + lines[b:]
        elif roll < 0.6:
            lines = lines[:b] + lines[a:b] * rng.randint(1, 4) + lines[b:]
    lines.append(f"(Bản lưu số {i})")
    return "\n".join(lines)


def generate(n: int, out: Path, seed: int = 1) -> int:
    """Write n synthetic dispatches under ``out`` (1,000 per folder); returns the bytes written."""
    rng = random.Random(seed)
    templates = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    provinces = _provinces()
    total = 0
    for i in range(n):
        folder = out / f"{i // 1000:04d}"
        if i % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        data = synthesize(templates[i % len(templates)], i, rng, provinces).encode("utf-8")
        (folder / f"doc-{i:07d}.txt").write_bytes(data)
        total += len(data)
    return total


# -- measuring -----------------------------------------------------------------------------------------------------

def run_index(folder: Path, db: Path, workers: int, batch_size: int) -> dict:
    """The real CLI in a subprocess; RSS and PSS of its process tree sampled every 0.2 s."""
    import psutil

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "pipeline.cli", "index", str(folder), "--db", str(db), "--workers", str(workers),
           "--batch-size", str(batch_size), "--no-progress", "--quiet"]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    main = psutil.Process(proc.pid)
    peak_main = peak_tree = peak_worker = 0
    cpu: dict[int, float] = {}  # pid → user+system seconds, last seen (workers end with the run)
    cpu_main = 0.0
    while proc.poll() is None:
        try:
            rss_main = main.memory_info().rss
            t = main.cpu_times()
            cpu_main = t.user + t.system
            kids = main.children(recursive=True)
            rss_kids = []
            pss = _pss(main)
            for k in kids:
                try:
                    rss_kids.append(k.memory_info().rss)
                    pss += _pss(k)
                    kt = k.cpu_times()
                    cpu[k.pid] = kt.user + kt.system
                except psutil.Error:
                    pass
            peak_main = max(peak_main, rss_main)
            peak_worker = max([peak_worker, *rss_kids])
            # PSS: the workers share the forkserver's pages (spaCy, the pipeline); summing RSS would count them
            # once per process
            peak_tree = max(peak_tree, pss)
        except psutil.Error:
            pass
        time.sleep(0.2)
    out, err = proc.communicate()
    elapsed = time.monotonic() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"index failed ({proc.returncode}): {err.strip()[-500:]}")
    m = re.search(r"(\d+) new documents?.* in ([\d.]+) s", out)
    return {"wall_s": round(elapsed, 2), "indexed": int(m.group(1)) if m else None,
            "run_s": float(m.group(2)) if m else None, "peak_rss_main_mb": round(peak_main / 2**20, 1),
            "peak_rss_worker_mb": round(peak_worker / 2**20, 1), "peak_pss_tree_mb": round(peak_tree / 2**20, 1),
            "cpu_main_s": round(cpu_main, 1), "cpu_workers_s": round(sum(cpu.values()), 1), "summary": out.strip()}


def _pss(p) -> int:
    try:
        return p.memory_full_info().pss
    except (AttributeError, OSError):  # not Linux: fall back to RSS
        return p.memory_info().rss


def db_size(db: Path) -> int:
    return sum(os.path.getsize(str(db) + s) for s in ("", "-wal") if os.path.exists(str(db) + s))


def table_sizes(db: Path) -> dict[str, int]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC").fetchall()
    except sqlite3.Error:  # SQLite built without dbstat
        return {}
    finally:
        conn.close()
    groups: dict[str, int] = {}
    for name, size in rows:
        key = "documents_fts" if name.startswith("documents_fts") else name
        key = "indexes" if key.startswith(("sqlite_autoindex", "documents_", "files_", "references_")) and \
            key != "documents_fts" else key
        groups[key] = groups.get(key, 0) + size
    return groups


QUERIES = [
    {"text": "ket luan 01 hoc tap lam theo"}, {"text": "Kết luận số 01-KL/TW"}, {"text": "01 - KL / TW"},
    {"text": "6713/TLD-TG"}, {"text": "doan vien cong doan"}, {"text": "phong chong dich benh"},
    {"text": "thanh nien tinh nguyen he"}, {"text": "quy che lam viec"}, {"text": "tuyen truyen"},
    {"text": "chuyen doi so"}, {"text": "bao cao so ket"}, {"text": "dang vien"},
    {"refs": ["01-KL/TW"], "issuer": "LĐLĐ", "date_from": "2020-01-01"}, {"issuer": "UBND", "year": 2024},
    {"text": "ke hoach", "doc_type": "KH"}, {"refs": ["29/CT-TTg"]}, {"text": "tham hoi tro cap", "issuer": "LDLD"},
    {"text": "hoc tap*"}, {"number": "47/KH-LĐLĐ"}, {"text": "nghi quyet 57-NQ/TW"},
]


def search_latency(db: Path, n: int, slowest: bool = False) -> dict:
    from pipeline.store import SearchQuery, open_db, search

    conn = open_db(db, readonly=True)
    times = []
    per_query: dict[str, float] = {}
    hits = 0
    try:
        search(conn, SearchQuery(text="warm up"))
        for i in range(n):
            spec = QUERIES[i % len(QUERIES)]
            t = time.perf_counter()
            hits += len(search(conn, SearchQuery(**spec, limit=20)))
            ms = (time.perf_counter() - t) * 1000
            times.append(ms)
            key = json.dumps(spec, ensure_ascii=False)
            per_query[key] = max(per_query.get(key, 0.0), ms)
    finally:
        conn.close()
    times.sort()
    out = {"queries": n, "p50_ms": round(statistics.median(times), 2),
           "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 2), "max_ms": round(times[-1], 2),
           "mean_hits": round(hits / n, 1)}
    if slowest:
        out["slowest"] = sorted(((round(v, 1), k) for k, v in per_query.items()), reverse=True)[:3]
    return out


def extraction_baseline(folder: Path, sample: int) -> dict:
    """The extractor alone, one process: what a single worker can do at best on these documents."""
    from pipeline.extract import extract_one

    files = sorted(folder.rglob("*.txt"))[:sample]
    extract_one(files[0])  # build the pipeline outside the timing
    t = time.perf_counter()
    c = time.process_time()
    for f in files:
        extract_one(f)
    elapsed = time.perf_counter() - t
    cpu = time.process_time() - c
    return {"sample": len(files), "docs_per_s_one_process": round(len(files) / elapsed, 1),
            "cpu_ms_per_doc": round(cpu / len(files) * 1000, 2)}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated document counts")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=200)
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--baseline-sample", type=int, default=300)
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--keep", action="store_true", help="keep the generated documents and archives")
    ap.add_argument("--tmp", type=Path, help="work here instead of a new temp dir")
    args = ap.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    work = args.tmp or Path(tempfile.mkdtemp(prefix="congvan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"workers": args.workers, "cpus": os.cpu_count(), "sizes": []}
    try:
        for n in sizes:
            folder = work / f"docs-{n}"
            t = time.monotonic()
            if not folder.exists():
                written = generate(n, folder)
            else:
                written = sum(p.stat().st_size for p in folder.rglob("*.txt"))
            gen_s = time.monotonic() - t
            if "baseline" not in results:
                results["baseline"] = extraction_baseline(folder, args.baseline_sample)
                print(f"baseline: extract_one alone {results['baseline']['docs_per_s_one_process']} docs/s in one "
                      f"process ({results['baseline']['sample']} docs)", flush=True)
            db = work / f"archive-{n}.sqlite"
            for suffix in ("", "-wal", "-shm", ".lock"):
                Path(str(db) + suffix).unlink(missing_ok=True)
            print(f"[{n}] generated {written / 1e6:.1f} MB in {gen_s:.1f} s; indexing …", flush=True)
            run = run_index(folder, db, args.workers, args.batch_size)
            size = db_size(db)
            lat = search_latency(db, args.queries, slowest=True)
            rate = n / run["run_s"] if run["run_s"] else n / run["wall_s"]
            row = {"documents": n, "input_mb": round(written / 1e6, 1), **run, "docs_per_s": round(rate, 1),
                   "db_bytes": size, "db_bytes_per_doc": round(size / n), "tables": table_sizes(db), "search": lat,
                   "projected_1m_hours": round(1_000_000 / rate / 3600, 2),
                   "projected_1m_db_gb": round(size / n * 1_000_000 / 1e9, 1)}
            results["sizes"].append(row)
            row["cpu_ms_per_doc_main"] = round(run["cpu_main_s"] / n * 1000, 2)
            row["cpu_ms_per_doc_workers"] = round(run["cpu_workers_s"] / n * 1000, 2)
            print(f"[{n}] CPU per document: workers {row['cpu_ms_per_doc_workers']} ms (extract_one alone "
                  f"{results['baseline']['cpu_ms_per_doc']} ms), writer process {row['cpu_ms_per_doc_main']} ms",
                  flush=True)
            print(f"[{n}] {row['docs_per_s']} docs/s ({run['wall_s']} s wall), peak RSS main "
                  f"{run['peak_rss_main_mb']} MB / worker {run['peak_rss_worker_mb']} MB / tree "
                  f"{run['peak_pss_tree_mb']} MB (PSS), {row['db_bytes_per_doc']} DB bytes/doc, search p50 "
                  f"{lat['p50_ms']} ms p99 {lat['p99_ms']} ms, 1M docs ≈ {row['projected_1m_hours']} h "
                  f"and {row['projected_1m_db_gb']} GB", flush=True)
        base = results["baseline"]["docs_per_s_one_process"] * args.workers
        for row in results["sizes"]:
            row["share_of_extraction_bound"] = round(row["docs_per_s"] / base, 2)
        print("\n| docs | docs/s | of extractor bound | peak RSS main/worker, PSS all MB | DB bytes/doc | search p50/p99 ms "
              "| 1M projection |")
        print("|---|---|---|---|---|---|---|")
        for r in results["sizes"]:
            print(f"| {r['documents']:,} | {r['docs_per_s']} | {r['share_of_extraction_bound']:.0%} | "
                  f"{r['peak_rss_main_mb']}/{r['peak_rss_worker_mb']}, {r['peak_pss_tree_mb']} | {r['db_bytes_per_doc']:,} | "
                  f"{r['search']['p50_ms']}/{r['search']['p99_ms']} | {r['projected_1m_hours']} h, "
                  f"{r['projected_1m_db_gb']} GB |")
        print(f"\nbaseline (same run): extract_one alone = {results['baseline']['docs_per_s_one_process']} docs/s per "
              f"process → bound for {args.workers} workers ≈ {base:.0f} docs/s")
        if args.json:
            args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    finally:
        if not args.keep and args.tmp is None:
            shutil.rmtree(work, ignore_errors=True)
    return results


if __name__ == "__main__":
    main()
