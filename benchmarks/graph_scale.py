"""Scale benchmark of the citation graph tables and their recursive queries.

Writes a synthetic graph of N documents and 3N citation edges straight into ``graph_nodes``/``graph_edges``
of a fresh archive (graph_meta marks it synthetic so graph commands do not rebuild it), with one embedded
cascade of ``--cascade`` documents (a root resolution, implementers of implementers, branching 3). Measures
the write + index time, the p50/p95 of transitive ``children`` (whole cascade) and ``parents`` (from a leaf)
queries, and peak memory.

    python benchmarks/graph_scale.py --n 100000
    python benchmarks/graph_scale.py            # N = 1,000,000
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=1_000_000, help="documents (edges = 3N)")
    p.add_argument("--cascade", type=int, default=1000, help="documents in the measured cascade")
    p.add_argument("--repeat", type=int, default=30)
    p.add_argument("--db", type=Path, default=None, help="archive file (default: a temporary one)")
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args(argv)

    from pipeline.link import query as Q
    from pipeline.link.build import ensure_schema
    from pipeline.link.identity import number_key
    from pipeline.store import open_db

    rng = random.Random(args.seed)
    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory()
        args.db = Path(tmp.name) / "graph.sqlite"
    conn = open_db(args.db)
    ensure_schema(conn)
    n, c = args.n, min(args.cascade, args.n)
    families = ("state", "party", "union", "front", "legal")
    levels = ("central", "province", "district", "commune")
    # the graph's number key of "{i}/KH-SYN", without parsing a million numbers
    key_of = number_key("7/KH-SYN").replace("7", "{}", 1).format
    assert key_of(n) == number_key(f"{n}/KH-SYN")
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    conn.execute("DROP INDEX IF EXISTS graph_edges_down")
    conn.execute("DROP INDEX IF EXISTS graph_edges_up")
    conn.executemany(
        "INSERT INTO graph_nodes(id, key, doc_id, number, number_key, label, family, level, period, date, stub) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        ((i, f"syn|{i}", i if i % 3 else None, f"{i}/KH-SYN", key_of(i), f"{i}/KH-SYN", families[i % 5],
          levels[i % 4], f"y{2015 + i % 10}", f"{2015 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}", int(i % 3 == 0))
         for i in range(1, n + 1)))
    # the cascade: nodes 1..c, node k cites its parent (k - 2) // 3 + 1 (a ternary tree rooted at 1)
    cascade_edges = [(k, (k - 2) // 3 + 1) for k in range(2, c + 1)]
    # the rest: random citations among the other documents (citing → an older, lower-numbered one)
    def random_edges():
        made = 0
        target = 3 * n - len(cascade_edges)
        while made < target:
            src = rng.randint(c + 1, n) if n > c + 1 else rng.randint(1, n)
            dst = rng.randint(c + 1, n) if n > c + 1 else rng.randint(1, n)
            if src == dst:
                continue
            made += 1
            yield (src, dst)
    rel = ("implements", "based_on", "mentions", "continues", "guides")
    conn.executemany(
        "INSERT INTO graph_edges(src, dst, relation, kind, asserted_by, evidence) VALUES (?,?,?,?,?,?)",
        ((s, d, rel[(s + d) % 5] if i >= len(cascade_edges) else "implements", "direct", s, "synthetic")
         for i, (s, d) in enumerate([*cascade_edges, *random_edges()])))
    conn.execute("CREATE INDEX graph_edges_down ON graph_edges(dst, ambiguous, relation, src)")
    conn.execute("CREATE INDEX graph_edges_up ON graph_edges(src, ambiguous, relation, dst)")
    conn.execute("INSERT OR REPLACE INTO graph_meta VALUES ('documents_signature', 'synthetic')")
    conn.execute("COMMIT")
    build_s = time.perf_counter() - t0
    conn.execute("ANALYZE")

    root = Q.find_node(conn, "1/KH-SYN")
    leaf = Q.find_node(conn, f"{c}/KH-SYN")

    def timed(fn):
        out = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            rows = fn()
            out.append((time.perf_counter() - t) * 1000)
        return rows, out

    reach_rows, reach_ms = timed(lambda: Q.reach(conn, root.id, "down"))
    child_rows, child_ms = timed(lambda: Q.children(conn, root, transitive=True))
    par_rows, par_ms = timed(lambda: Q.parents(conn, leaf))
    assert len(child_rows) == c - 1, (len(child_rows), c)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size_mb = args.db.stat().st_size / 1e6

    def stats(ms):
        ms = sorted(ms)
        return f"p50 {statistics.median(ms):7.2f} ms  p95 {ms[int(len(ms) * .95) - 1]:7.2f} ms"

    print(f"N = {n:,} documents, {conn.execute('SELECT count(*) FROM graph_edges').fetchone()[0]:,} edges; "
          f"cascade of {c:,} documents")
    print(f"write + index: {build_s:8.1f} s   archive {size_mb:,.0f} MB")
    print(f"reach (SQL recursive CTE, cascade)    {stats(reach_ms)}  ({len(reach_rows) - 1} nodes)")
    print(f"children --transitive (rows + paths)  {stats(child_ms)}  ({len(child_rows)} rows)")
    print(f"parents (leaf → root)                 {stats(par_ms)}  ({len(par_rows)} rows)")
    print(f"peak memory (RSS): {peak_mb:,.0f} MB")
    conn.close()
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
