"""How `congvan index` scales: the extractor bound, the main process's ceiling, end-to-end docs/s and memory.

    python benchmarks/index_scale.py                         # 2,000 documents, 1 and 2 workers
    python benchmarks/index_scale.py --documents 10000 --search --json out.json

One run measures, on documents generated from corpora/docs (issuers moved to other provinces, own numbers, dates
and cited numbers changed, bodies grown or shrunk, every one distinct):

(a) the extractor bound: what one worker does per file (read, extract, build the archive rows) in this process
    over a sample; W workers cannot beat W × that rate;
(b) the main process's ceiling: the runner fed pre-prepared rows, so everything it does per document (walk,
    hash, skip lookups, dispatch, unpickling, inserts, commits) is measured alone — once in-process (a replay
    engine, no pool: wall and CPU per document) and once through the real worker pool whose workers only replay
    prepared rows (the main process's CPU per document, and the docs/s it sustains);
    "ceiling = documents/s the main process could take";
(c) end to end: the real command line (`python -m pipeline.cli index DIR --workers W`) in a subprocess for each
    W, sampling every worker's RSS over time, against the extractor bound.
"""

from __future__ import annotations

import argparse
import dataclasses
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
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

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

def run_index(folder: Path, db: Path, workers: int, batch_size: int, every: float = 0.5) -> dict:
    """The real CLI in a subprocess; RSS of the main process and of every worker, and PSS of the whole tree,
    sampled every ``every`` seconds (a worker's RSS over time shows whether it creeps)."""
    import psutil

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "pipeline.cli", "index", str(folder), "--db", str(db), "--workers", str(workers),
           "--batch-size", str(batch_size), "--no-progress", "--quiet"]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    main = psutil.Process(proc.pid)
    peak_main = peak_tree = 0
    worker_rss: dict[int, list[tuple[float, int]]] = {}  # worker pid → (seconds, RSS) samples
    cpu: dict[int, float] = {}  # pid → user+system seconds, last seen (workers end with the run)
    cpu_main = 0.0
    while proc.poll() is None:
        try:
            now = time.monotonic() - started
            t = main.cpu_times()
            cpu_main = t.user + t.system
            peak_main = max(peak_main, main.memory_info().rss)
            pss = _pss(main)
            for k in main.children(recursive=True):
                try:
                    pss += _pss(k)
                    kt = k.cpu_times()
                    cpu[k.pid] = kt.user + kt.system
                    if _is_worker(k, main.pid):
                        worker_rss.setdefault(k.pid, []).append((now, k.memory_info().rss))
                except psutil.Error:
                    pass
            # PSS: the workers share the forkserver's pages (spaCy, the pipeline); summing RSS would count them
            # once per process
            peak_tree = max(peak_tree, pss)
        except psutil.Error:
            pass
        time.sleep(every)
    out, err = proc.communicate()
    elapsed = time.monotonic() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"index failed ({proc.returncode}): {err.strip()[-500:]}")
    m = re.search(r"(\d+) new documents?.* in ([\d.]+) s", out)
    return {"workers": workers, "wall_s": round(elapsed, 2), "indexed": int(m.group(1)) if m else None,
            "run_s": float(m.group(2)) if m else None, "peak_rss_main_mb": round(peak_main / 2**20, 1),
            "peak_pss_tree_mb": round(peak_tree / 2**20, 1), "cpu_main_s": round(cpu_main, 2),
            "cpu_workers_s": round(sum(cpu.values()), 1), "worker_rss_mb": _rss_timeline(worker_rss),
            "summary": out.strip()}


def _is_worker(p, main_pid: int) -> bool:
    """Pool workers are forked by the forkserver, itself a child of the main process."""
    try:
        parent = p.parent()
        return parent is not None and parent.pid != main_pid and parent.ppid() == main_pid
    except Exception:
        return False


def _rss_timeline(samples: dict[int, list[tuple[float, int]]], points: int = 5) -> list[dict]:
    """Per worker: its RSS (MB) at ``points`` evenly spaced moments of its life, first to last sample."""
    out = []
    for pid, rows in sorted(samples.items(), key=lambda kv: kv[1][0][0]):
        if len(rows) < 2:
            continue
        picks = [rows[round(i * (len(rows) - 1) / (points - 1))] for i in range(points)]
        out.append({"pid": pid, "from_s": round(rows[0][0], 1), "to_s": round(rows[-1][0], 1),
                    "rss_mb": [round(r / 2**20) for _, r in picks]})
    return out


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


def extractor_bound(files: list[Path]) -> tuple[dict, list]:
    """(a) What one worker does per file — read, extract, build the archive rows (`extract_for_archive`) — in
    this process: the rate no worker can beat. Also returns the prepared documents, the templates of (b)."""
    from pipeline.run.engines import warm_up
    from pipeline.store.work import extract_for_archive

    warm_up()  # build the pipeline outside the timing, as a worker does at start-up
    prepared = []
    t = time.perf_counter()
    c = time.process_time()
    for f in files:
        prepared.append(extract_for_archive(str(f)))
    elapsed = time.perf_counter() - t
    cpu = time.process_time() - c
    from pipeline.store.rows import PreparedDoc

    docs = [d for d in prepared if isinstance(d, PreparedDoc)]
    return {"sample": len(files), "docs_per_s_per_worker": round(len(files) / elapsed, 1),
            "cpu_ms_per_doc": round(cpu / len(files) * 1000, 2)}, docs


# -- (b) the main process fed prepared rows -------------------------------------------------------------------

@dataclass
class Replay:
    """Stands in for the read options: where the worker finds the prepared documents it replays."""

    templates: str


_TEMPLATES: list | None = None


def replay_prepared(path: str, options: Replay, data: bytes | None = None):
    """A worker that does no extraction: it hashes the file (as the real worker's reader does) and returns a
    prepared document of the sample under that hash, so the main process gets real rows at no cost."""
    import pickle

    from pipeline.read import sha256_file

    global _TEMPLATES
    if _TEMPLATES is None:
        _TEMPLATES = pickle.loads(Path(options.templates).read_bytes())
    sha = sha256_file(path)
    return _as(_TEMPLATES[int(sha[:8], 16) % len(_TEMPLATES)], sha, path)


def _as(template, sha: str, path: str):
    from pipeline.store.rows import DOC_COLUMNS

    i = DOC_COLUMNS.index("sha256")
    return dataclasses.replace(template, sha256=sha, path=path, doc=template.doc[:i] + (sha,) + template.doc[i + 1:])


class _FeedEngine:
    """The runner's engine interface, answering every task at once from prepared rows pickled beforehand (the
    main process still pays the unpickling, as with real workers)."""

    name = "feed"
    workers = 0

    def __init__(self, payload: dict[str, bytes]):
        self.payload = payload

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def describe(self) -> str:
        return "feed (prepared rows, no workers)"

    def map_unordered(self, fn, tasks, args=()):
        import pickle

        for t in tasks:
            yield t, pickle.loads(self.payload[t.path])


def _fresh(db: Path) -> Path:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    return db


def main_ceiling(folder: Path, templates: list, work: Path, batch_size: int) -> dict:
    """(b) The main process's cost per document, fed prepared rows: in-process (wall and CPU) and through the
    real pool of 2 workers that only replay rows (the main process's CPU, and the docs/s it sustains)."""
    import pickle

    from pipeline.read import sha256_file
    from pipeline.store import IndexOptions, LocalEngine, index

    files = sorted(folder.rglob("*.txt"))
    payload = {}
    for f in files:
        sha = sha256_file(f)
        payload[str(f)] = pickle.dumps(_as(templates[int(sha[:8], 16) % len(templates)], sha, str(f)))
    n = len(files)
    options = IndexOptions(batch_size=batch_size)
    t, c = time.perf_counter(), time.process_time()
    report = index(_fresh(work / "feed.sqlite"), [folder], _FeedEngine(payload), options)
    feed_wall, feed_cpu = time.perf_counter() - t, time.process_time() - c
    feed_writer = report.writer_cpu
    assert report.indexed == n, report

    tpl = work / "templates.pickle"
    tpl.write_bytes(pickle.dumps(templates))
    import index_scale as me  # workers find the replay function by module name, not as __main__

    options = IndexOptions(read_options=me.Replay(str(tpl)), batch_size=batch_size)
    from unittest import mock

    from pipeline.store import runner

    engine = LocalEngine(2)
    engine._pool = engine._new_pool()
    for f in [engine._pool.submit(time.sleep, 0.5) for _ in range(2)]:  # start and warm both workers untimed
        f.result()
    with mock.patch.object(runner, "extract_for_archive", me.replay_prepared):
        t, c = time.perf_counter(), time.process_time()
        report = index(_fresh(work / "replay.sqlite"), [folder], engine, options)
        pool_wall, pool_cpu = time.perf_counter() - t, time.process_time() - c
    pool_writer = report.writer_cpu
    assert report.indexed == n, report
    # The ceiling is set by CPU (on a shared machine the wall time also counts other processes' turns), and by
    # the busier of the two threads that overlap: the writer thread (SQLite inserts and FTS tokenizing, GIL
    # released) and the rest of the process (walk, hash, dispatch, unpickling: one GIL).
    busiest = max(pool_writer, pool_cpu - pool_writer, feed_writer, feed_cpu - feed_writer)
    per_doc = busiest / n
    return {"documents": n, "batch_size": batch_size, "bytes_per_result": round(sum(map(len, payload.values())) / n),
            "in_process_wall_ms": round(feed_wall / n * 1000, 3), "in_process_cpu_ms": round(feed_cpu / n * 1000, 3),
            "in_process_writer_cpu_ms": round(feed_writer / n * 1000, 3),
            "pool_main_cpu_ms": round(pool_cpu / n * 1000, 3), "pool_writer_cpu_ms": round(pool_writer / n * 1000, 3),
            "pool_docs_per_s": round(n / pool_wall),
            "ceiling_ms_per_doc": round(per_doc * 1000, 3), "ceiling_docs_per_s": round(1 / per_doc)}


def main(argv: list[str] | None = None) -> dict:
    from machine_info import basic

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--documents", type=int, default=2000, help="documents to generate and index")
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts for (c)")
    ap.add_argument("--batch-size", type=int, default=1000)
    ap.add_argument("--sample", type=int, default=200, help="documents extracted in-process for (a)")
    ap.add_argument("--search", action="store_true", help="also time 100 searches and the bytes per document")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--keep", action="store_true", help="keep the generated documents and archives")
    ap.add_argument("--tmp", type=Path, help="work here instead of a new temp dir")
    args = ap.parse_args(argv)
    work = args.tmp or Path(tempfile.mkdtemp(prefix="congvan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": basic()}
    m = results["machine"]
    print(f"machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}, load average {m['load_avg_1m']:.2f}",
          flush=True)
    try:
        folder = work / f"docs-{args.documents}"
        if not folder.exists():
            written = generate(args.documents, folder)
        else:
            written = sum(p.stat().st_size for p in folder.rglob("*.txt"))
        files = sorted(folder.rglob("*.txt"))
        print(f"{len(files):,} documents generated ({written / 1e6:.1f} MB)", flush=True)

        bound, templates = extractor_bound(files[:: max(1, len(files) // args.sample)][: args.sample])
        results["extractor"] = bound
        print(f"(a) extractor bound: {bound['docs_per_s_per_worker']} docs/s per worker "
              f"({bound['cpu_ms_per_doc']} ms CPU per document: read, extract, build rows; {bound['sample']} "
              "documents in one process)", flush=True)

        ceiling = main_ceiling(folder, templates, work, args.batch_size)
        results["main_process"] = ceiling
        print(f"(b) main process fed prepared rows ({ceiling['documents']:,} documents, batches of "
              f"{ceiling['batch_size']}, {ceiling['bytes_per_result']:,} bytes per pickled result), per document:\n"
              f"    in-process: {ceiling['in_process_wall_ms']} ms wall, {ceiling['in_process_cpu_ms']} ms CPU, of "
              f"which the writer thread {ceiling['in_process_writer_cpu_ms']} ms\n"
              f"    2-worker pool: {ceiling['pool_main_cpu_ms']} ms CPU in the main process, of which the writer "
              f"thread {ceiling['pool_writer_cpu_ms']} ms; {ceiling['pool_docs_per_s']:,} docs/s wall at load "
              f"average {os.getloadavg()[0]:.1f} on {m['cores']} cores", flush=True)
        print(f"    ceiling = {ceiling['ceiling_docs_per_s']:,} documents/s the main process could take "
              f"({ceiling['ceiling_ms_per_doc']} ms CPU per document on its busier thread)", flush=True)

        runs = []
        for w in [int(x) for x in args.workers.split(",") if x.strip()]:
            db = _fresh(work / f"archive-{w}.sqlite")
            run = run_index(folder, db, w, args.batch_size)
            rate = len(files) / (run["run_s"] or run["wall_s"])
            run.update(docs_per_s=round(rate, 1), bound=round(w * bound["docs_per_s_per_worker"], 1),
                       cpu_ms_per_doc_main=round(run["cpu_main_s"] / len(files) * 1000, 3))
            run["of_bound"] = round(rate / run["bound"], 2)
            # busy shares: a worker short of CPU (other jobs on the machine) and a worker waiting for the main
            # process look alike in docs/s; these tell them apart
            took = run["run_s"] or run["wall_s"]
            run["workers_busy"] = round(run["cpu_workers_s"] / (took * w), 2)
            run["main_busy"] = round(run["cpu_main_s"] / took, 2)
            runs.append(run)
            rss = "; ".join(f"{' → '.join(map(str, r['rss_mb']))} MB ({r['from_s']}–{r['to_s']} s)"
                            for r in run["worker_rss_mb"])
            print(f"(c) {w} worker{'s' if w > 1 else ''}: {run['docs_per_s']} docs/s = {run['of_bound']:.0%} of "
                  f"the extractor bound ({run['bound']}); main process {run['cpu_ms_per_doc_main']} ms CPU per "
                  f"document, peak RSS {run['peak_rss_main_mb']} MB; worker RSS over time: {rss}", flush=True)
            if args.search and w == max(int(x) for x in args.workers.split(",")):
                run["search"] = search_latency(db, 100)
                run["db_bytes_per_doc"] = round(db_size(db) / len(files))
                print(f"    search p50 {run['search']['p50_ms']} ms, p99 {run['search']['p99_ms']} ms; "
                      f"{run['db_bytes_per_doc']:,} DB bytes per document", flush=True)
        results["runs"] = runs
        print("\n| workers | docs/s | extractor bound | of bound | main CPU ms/doc | busy: workers / main "
              "| worker RSS MB, start → end |")
        print("|---|---|---|---|---|---|---|")
        for r in runs:
            rss = ", ".join(f"{x['rss_mb'][0]} → {x['rss_mb'][-1]}" for x in r["worker_rss_mb"])
            print(f"| {r['workers']} | {r['docs_per_s']} | {r['bound']} | {r['of_bound']:.0%} | "
                  f"{r['cpu_ms_per_doc_main']} | {r['workers_busy']:.0%} / {r['main_busy']:.0%} | {rss} |")
        print(f"\nceiling = {ceiling['ceiling_docs_per_s']:,} documents/s the main process could take; "
              f"{ceiling['ceiling_docs_per_s'] / bound['docs_per_s_per_worker']:.0f} workers at this machine's "
              "extractor rate would reach it")
        if args.json:
            args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    finally:
        if not args.keep and args.tmp is None:
            shutil.rmtree(work, ignore_errors=True)
    return results


if __name__ == "__main__":
    main()
