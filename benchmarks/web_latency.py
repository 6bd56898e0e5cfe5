"""Latency of `congvan serve`'s search and document pages on a synthetic archive of N documents.

    python3 benchmarks/web_latency.py --docs 100000 --db /tmp/bench-web.sqlite

The archive is built without running the extractor (5 docs/s per core would take hours for 100,000): the
team corpus (corpora/docs) is indexed once, then its rows are cloned N times with distinct numbers, dates,
provinces, signers and shuffled body paragraphs, written straight into documents/texts/FTS/references/files.
Pages are requested through Starlette's TestClient (routing, SQL, rendering, no network), in a warm process,
and the p50/p95/max of each kind are reported with the machine. An existing --db of the right size is reused.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERIES = [
    "ket luan", "đoàn viên công đoàn", "Bộ Chính trị", "01-KL/TW", "02 - NQ / TW", "kế hoạch thực hiện",
    '"tháng công nhân"', "tuyen truyen hoc tap", "Liên đoàn Lao động tỉnh", "Ủy ban nhân dân", "nghi quyet 02",
    "báo cáo kết quả", "an toàn vệ sinh lao động", "Nguyễn Văn", "thanh nien tinh nguyen",
]
FILTERS = [{}, {"type": "KH"}, {"year": "2024"}, {"review": "yes"}, {"issuer": "Nghệ An"}]


def machine() -> str:
    try:
        from benchmarks.machine_info import basic

        info = basic()
        return ", ".join(f"{k} {v}" for k, v in info.items())
    except Exception:  # the benchmark still runs without the helper
        import os
        import platform

        return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def seed_archive(folder: Path) -> Path:
    from pipeline.store import IndexOptions, make_engine
    from pipeline.store import index as run_index

    db = folder / "seed.sqlite"
    run_index(db, [str(ROOT / "corpora" / "docs")], make_engine("local", workers=1), IndexOptions())
    return db


def build(db: Path, n: int, seed: int = 7) -> float:
    """Clone the seed archive's documents into ``db`` until it holds ``n`` documents; returns seconds."""
    from pipeline.lexicons import provinces
    from pipeline.store import open_db
    from pipeline.store.rows import DOC_COLUMNS, TEXT_COLUMNS

    t0 = time.perf_counter()
    rng = random.Random(seed)
    tmp = Path(tempfile.mkdtemp(prefix="congvan-bench-"))
    try:
        seed_db = seed_archive(tmp)
        src = sqlite3.connect(seed_db)
        docs = src.execute(f"SELECT {', '.join(DOC_COLUMNS)}, id FROM documents").fetchall()
        texts = {r[0]: r[1:] for r in src.execute(f"SELECT doc_id, {', '.join(TEXT_COLUMNS)} FROM texts")}
        refs = {}
        for r in src.execute('SELECT doc_id, idx, number, number_key, title, doc_type, date, issuer, relation, via, '
                             '"start", "end", text FROM "references"'):
            refs.setdefault(r[0], []).append(r[1:])
        src.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    names = [p.name for p in provinces()]
    surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
    middles = ["Văn", "Thị", "Đức", "Minh", "Thanh", "Quang", "Ngọc", "Hữu"]
    given = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Khánh", "Lan", "Mạnh", "Nga", "Phúc", "Quyên", "Sơn",
             "Tâm", "Uyên", "Vinh", "Xuân", "Yến"]
    db.unlink(missing_ok=True)
    conn = open_db(db)
    i_doc = DOC_COLUMNS.index
    conn.execute("BEGIN")
    for i in range(n):
        base = docs[i % len(docs)]
        doc = list(base[:-1])
        body_cols = list(texts[base[-1]])
        prov = rng.choice(names)
        signer = f"{rng.choice(surnames)} {rng.choice(middles)} {rng.choice(given)}"
        year = rng.randint(2015, 2025)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        code = (doc[i_doc("number_normalized")] or "x/X").split("/", 1)[-1]
        number = f"{i + 1}/{code}"
        sha = hashlib.sha256(f"bench-{i}".encode()).hexdigest()
        subject = (doc[i_doc("subject")] or "") + f" tại {prov}"
        paragraphs = body_cols[TEXT_COLUMNS.index("body")].split("\n\n")
        rng.shuffle(paragraphs)
        body = f"{prov}, ngày {date[8:]} tháng {date[5:7]} năm {year}\n" + "\n\n".join(paragraphs) + f"\n{signer}\n"
        record = json.loads(doc[i_doc("record")])
        record["source"]["sha256"] = sha
        doc[i_doc("sha256")] = sha
        doc[i_doc("number")] = doc[i_doc("number_normalized")] = number
        doc[i_doc("number_key")] = number.lower()
        doc[i_doc("date")] = date
        doc[i_doc("year")] = year
        doc[i_doc("subject")] = subject
        doc[i_doc("signer")] = signer
        doc[i_doc("issuer_province")] = prov
        doc[i_doc("record")] = json.dumps(record, ensure_ascii=False)
        cur = conn.execute(f"INSERT INTO documents ({', '.join(DOC_COLUMNS)}, indexed_at) VALUES "
                           f"({', '.join('?' * len(DOC_COLUMNS))}, 'bench')", doc)
        doc_id = cur.lastrowid
        text = dict(zip(TEXT_COLUMNS, body_cols, strict=True))
        text.update(subject=subject, body=body, numbers=number.lower(), people=signer)
        values = [text[c] for c in TEXT_COLUMNS]
        conn.execute(f"INSERT INTO texts (doc_id, {', '.join(TEXT_COLUMNS)}) VALUES "
                     f"(?, {', '.join('?' * len(TEXT_COLUMNS))})", (doc_id, *values))
        conn.execute(f"INSERT INTO documents_fts (rowid, {', '.join(TEXT_COLUMNS)}) VALUES "
                     f"(?, {', '.join('?' * len(TEXT_COLUMNS))})", (doc_id, *values))
        conn.executemany('INSERT INTO "references" (doc_id, idx, number, number_key, title, doc_type, date, issuer, '
                         'relation, via, "start", "end", text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
                         [(doc_id, *r) for r in refs.get(base[-1], [])])
        conn.execute("INSERT INTO files (path, sha256, size, mtime, first_seen, last_seen) VALUES "
                     "(?, ?, 0, 0, 'bench', 'bench')", (f"/bench/{i // 1000}/{i}.txt", sha))
        if i % 5000 == 4999:
            conn.execute("COMMIT")
            conn.execute("BEGIN")
            print(f"  {i + 1} documents, {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    conn.execute("COMMIT")
    conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('optimize')")
    conn.close()
    return time.perf_counter() - t0


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def measure(db: Path, rounds: int, seed: int = 3) -> dict:
    from starlette.testclient import TestClient

    from pipeline.web import Settings, make_app

    rng = random.Random(seed)
    client = TestClient(make_app(Settings(db=db)))
    n = sqlite3.connect(db).execute("SELECT max(id) FROM documents").fetchone()[0]
    for q in QUERIES[:3]:  # warm the page cache and the templates
        client.get("/", params={"q": q})
    out = {}
    for kind in ("search", "search_json", "document"):
        times = []
        stopped = 0
        for r in range(rounds):
            if kind == "document":
                path, params = f"/doc/{rng.randint(1, n)}", {}
            else:
                path = "/"
                params = {"q": QUERIES[r % len(QUERIES)], **FILTERS[(r // len(QUERIES)) % len(FILTERS)]}
                if kind == "search_json":
                    params["format"] = "json"
            t = time.perf_counter()
            resp = client.get(path, params=params)
            times.append((time.perf_counter() - t) * 1000)
            if resp.status_code == 400 and "time limit" in resp.text:
                stopped += 1  # the server's 3 s limit: counted, and its time is in the percentiles
                continue
            assert resp.status_code == 200, (path, params, resp.status_code, resp.text[:200])
        out[kind] = {"n": len(times), "p50_ms": round(statistics.median(times), 1),
                     "p95_ms": round(pct(times, 95), 1), "max_ms": round(max(times), 1), "time_limit_hit": stopped}
    return out


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "congvan-web-bench.sqlite")
    ap.add_argument("--rounds", type=int, default=75, help="Requests per page kind.")
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args(argv)
    built = None
    have = 0
    if args.db.exists() and not args.rebuild:
        try:
            have = sqlite3.connect(args.db).execute("SELECT count(*) FROM documents").fetchone()[0]
        except sqlite3.Error:
            have = 0
    if have != args.docs:
        print(f"building a {args.docs}-document archive at {args.db} …", file=sys.stderr)
        built = round(build(args.db, args.docs), 1)
    result = {"docs": args.docs, "db_mb": round(args.db.stat().st_size / 1e6, 1), "build_seconds": built,
              "machine": machine(), **measure(args.db, args.rounds)}
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return result


if __name__ == "__main__":
    main()
