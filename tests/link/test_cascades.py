"""Cascades kept whole (issue 14): one node per cited document, each implementer at its nearest-parent depth, lag
from the nearest parent. On the team-written cascades c80–c89 (corpora/) and on hand-made records."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from pipeline.link import query as Q
from pipeline.link.analytics import lag, top
from pipeline.link.build import build, mention_groups
from pipeline.link.identity import clean_issuer, number_key

from .conftest import GOLD, add_record, cli

# root → {implementer: (nearest-parent depth, nearest parent)}; the documents are corpora/docs/c80…c89
TEAM_CASCADES = {
    "46-NQ/TW": {"112-KH/TU": (1, "46-NQ/TW"), "58-KH/HU": (2, "112-KH/TU"), "21-KH/ĐU": (3, "58-KH/HU")},
    "38-CT/TW": {"211/KH-TLĐ": (1, "38-CT/TW"), "52/KH-LĐLĐ": (2, "211/KH-TLĐ"), "09/KH-LĐLĐ": (3, "52/KH-LĐLĐ"),
                 "05/KH-CĐCS": (4, "09/KH-LĐLĐ")},
    "17/CT-TTg": {"186/KH-UBND": (1, "17/CT-TTg"), "142/KH-UBND": (2, "186/KH-UBND"),
                  "75/UBND-VP": (3, "142/KH-UBND")},
}
TEAM = re.compile(r"c(8\d|9\d)-")


def _team_gold():
    for f in sorted(GOLD.glob("*.json")):
        if TEAM.match(f.stem):
            yield f.stem, json.loads(f.read_text(encoding="utf-8"))


def _out_edges(conn, doc_number: str, year: int | None = 2024):
    node = Q.find_node(conn, doc_number, year=year)
    return node, conn.execute(
        "SELECT d.id, d.number_key, d.stub, e.relation, e.kind, e.context, e.nearer_parent, e.resolution, e.n "
        "FROM graph_edges e JOIN graph_nodes d ON d.id = e.dst WHERE e.src = ?", (node.id,)).fetchall()


def test_team_cascades_are_in_the_corpus():
    stems = {s for s, _ in _team_gold()}
    assert len(stems) >= 10
    numbers = {g["number_normalized"] for _, g in _team_gold()}
    for members in TEAM_CASCADES.values():
        assert set(members) <= numbers


def test_every_gold_link_is_an_edge(conn):
    """Every numbered reference of the team gold: citing → cited (direct) or outer → inner (via)."""
    misses = []
    for stem, gold in _team_gold():
        own = number_key(gold["number_normalized"])
        for r in gold["references"]:
            if not r.get("number"):
                continue
            src = number_key(r["via"]) if r.get("via") else own
            hit = conn.execute(
                "SELECT 1 FROM graph_edges e JOIN graph_nodes s ON s.id = e.src JOIN graph_nodes d ON d.id = e.dst "
                "WHERE s.number_key = ? AND d.number_key = ? AND e.ambiguous = 0", (src, number_key(r["number"]))
            ).fetchone()
            if hit is None:
                misses.append((stem, r["via"] or gold["number_normalized"], r["number"]))
    assert not misses, misses


@pytest.mark.parametrize("root", sorted(TEAM_CASCADES))
def test_each_document_at_its_nearest_parent_depth(conn, root):
    rows = {r["label"]: r for r in Q.children(conn, Q.find_node(conn, root), transitive=True)}
    for label, (depth, parent) in TEAM_CASCADES[root].items():
        assert label in rows, (root, label)
        assert rows[label]["depth"] == depth, (label, rows[label]["depth"], rows[label]["path"])
        assert rows[label]["path"][:2] == [label, parent]
        assert rows[label]["path"][-1] == root


def test_a_plan_cited_twice_keeps_its_implementers(conn):
    for plan, below in (("112-KH/TU", {"58-KH/HU": 1, "21-KH/ĐU": 2}), ("186/KH-UBND", {"142/KH-UBND": 1,
                                                                                         "75/UBND-VP": 2})):
        rows = Q.children(conn, Q.find_node(conn, plan), transitive=True)
        assert {r["label"]: r["depth"] for r in rows} == below


def test_direct_children_show_the_nearer_parent(conn):
    """The commune plan mentions the resolution inside a task: a direct citer, with its nearer parent named."""
    rows = {r["label"]: r for r in Q.children(conn, Q.find_node(conn, "46-NQ/TW"), transitive=False)}
    assert rows["21-KH/ĐU"]["depth"] == 1 and rows["21-KH/ĐU"]["nearer_parent"] == "58-KH/HU"
    assert rows["112-KH/TU"]["nearer_parent"] is None


def test_no_duplicate_node_for_a_plan_cited_in_several_phrasings(conn):
    for doc, cited in (("58-KH/HU", "112-KH/TU"), ("142/KH-UBND", "186/KH-UBND"), ("09/KH-LĐLĐ", "52/KH-LĐLĐ"),
                       ("21-KH/ĐU", "58-KH/HU"), ("75/UBND-VP", "142/KH-UBND")):
        _, edges = _out_edges(conn, doc)
        hits = [e for e in edges if e[1] == number_key(cited)]
        assert len(hits) == 1, (doc, cited, hits)
        assert hits[0][2] == 0, f"{doc} → {cited} points to a stub, not the indexed plan"
        assert hits[0][8] >= 2  # every mention folded into the one edge
    parents = [r["label"] for r in Q.parents(conn, Q.find_node(conn, "58-KH/HU"))]
    assert parents.count("112-KH/TU") == 1
    orphans = {r["id"] for r in Q.orphans(conn, 500)}
    plans = {Q.find_node(conn, n, year=2024).id for n in ("112-KH/TU", "58-KH/HU", "52/KH-LĐLĐ", "09/KH-LĐLĐ",
                                                           "186/KH-UBND", "142/KH-UBND")}
    assert not orphans & plans


def test_bare_local_issuers_take_the_citing_documents_place(conn):
    _, edges = _out_edges(conn, "21-KH/ĐU")
    (edge,) = [e for e in edges if e[1] == number_key("58-KH/HU")]
    assert edge[7] and "thanh son" in edge[7]  # the evidence of the completed identity is kept
    _, edges = _out_edges(conn, "05/KH-CĐCS")
    (edge,) = [e for e in edges if e[1] == number_key("09/KH-LĐLĐ")]
    assert edge[2] == 0 and "phu cat" in edge[7]


def test_re_mentions_in_tasks_keep_the_governing_relation(conn):
    _, edges = _out_edges(conn, "112-KH/TU")
    (edge,) = [e for e in edges if e[1] == number_key("46-NQ/TW")]
    assert edge[3] == "implements" and edge[5] == "governing"  # not "guides" from task II.2
    _, edges = _out_edges(conn, "52/KH-LĐLĐ")
    assert {e[3] for e in edges if e[1] == number_key("38-CT/TW")} == {"implements"}
    node, edges = _out_edges(conn, "58-KH/HU")
    (edge,) = [e for e in edges if e[1] == number_key("46-NQ/TW")]
    assert edge[5] == "task" and edge[6] == Q.find_node(conn, "112-KH/TU").id


def test_lag_from_the_nearest_parent(conn):
    rows = {r["label"]: r for r in lag(conn, Q.find_node(conn, "46-NQ/TW"))}
    assert (rows["58-KH/HU"]["parent"], rows["58-KH/HU"]["lag_from_parent_days"], rows["58-KH/HU"]["lag_days"]) == \
        ("112-KH/TU", 24, 51)
    assert (rows["21-KH/ĐU"]["parent"], rows["21-KH/ĐU"]["lag_from_parent_days"], rows["21-KH/ĐU"]["lag_days"]) == \
        ("58-KH/HU", 26, 77)
    rows = {r["label"]: r for r in lag(conn, Q.find_node(conn, "38-CT/TW"))}
    assert rows["05/KH-CĐCS"]["parent"] == "09/KH-LĐLĐ" and rows["05/KH-CĐCS"]["lag_from_parent_days"] == 23


def test_cited_subjects_and_top_without_name_only_stubs(conn):
    rows = {r["label"]: r for r in Q.orphans(conn, 500)}
    assert rows["46-NQ/TW"]["subject"] == "nâng cao chất lượng sinh hoạt chi bộ trong giai đoạn mới"
    with_names = [r for r in top(conn, "in-degree", 50) if r["stub"] and not r["number"]]
    assert with_names, "the corpus cites documents by name only (Điều lệ Đảng …)"
    without = top(conn, "in-degree", 50, name_only=False)
    assert all(r["number"] or not r["stub"] for r in without)
    assert all(not r["stub"] for r in top(conn, "pagerank", 20, stubs=False))


def test_cli_relation_names_and_walk_flags(archive):
    db = str(archive)
    vi = json.loads(cli("graph", "children", "46-NQ/TW", "-t", "--relation", "thực hiện", "--db", db, "-f",
                        "json").stdout)
    en = json.loads(cli("graph", "children", "46-NQ/TW", "-t", "--relation", "implements", "--db", db, "-f",
                        "json").stdout)
    assert vi == en and {r["label"] for r in vi} >= set(TEAM_CASCADES["46-NQ/TW"])
    res = cli("graph", "children", "46-NQ/TW", "--relation", "follows", "--db", db)
    assert res.returncode == 2 and "thực hiện" in res.stderr and "implements" in res.stderr
    direct = json.loads(cli("graph", "parents", "21-KH/ĐU", "--direct", "--db", db, "-f", "json").stdout)
    assert {r["label"] for r in direct} == {"58-KH/HU", "46-NQ/TW"} and {r["depth"] for r in direct} == {1}
    up = json.loads(cli("graph", "parents", "21-KH/ĐU", "--transitive", "--db", db, "-f", "json").stdout)
    assert {r["label"]: r["depth"] for r in up}["46-NQ/TW"] == 3
    down = json.loads(cli("graph", "children", "38-CT/TW", "--direct", "--db", db, "-f", "json").stdout)
    assert {r["depth"] for r in down} == {1}
    res = cli("graph", "top", "--no-name-only", "--limit", "30", "--db", db, "-f", "json")
    assert res.returncode == 0 and all(r["number"] or not r["stub"] for r in json.loads(res.stdout))
    res = cli("graph", "orphans", "--db", db, "-f", "md")
    assert "nâng cao chất lượng sinh hoạt chi bộ trong giai đoạn mới" in res.stdout


def test_view_lays_out_by_nearest_parent_depth(conn):
    from pipeline.link.view import cascade_data

    data = cascade_data(conn, Q.find_node(conn, "38-CT/TW"))
    depth = {n["label"]: n["depth"] for n in data["nodes"]}
    for label, (d, _) in TEAM_CASCADES["38-CT/TW"].items():
        assert depth[label] == d


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def test_view_escapes_hostile_subjects(tmp_path):
    from pipeline.link.view import render_html

    hostile = "<!--<script>alert(1)</script> & </script><b>"
    data = {"root": hostile, "nodes": [
        {"id": 1, "label": "1-KH/X", "title": hostile, "issuer": hostile, "date": None, "family": "party",
         "level": "province", "stub": False, "depth": 0, "root": True, "number": "1-KH/X"},
        {"id": 2, "label": hostile, "title": hostile, "issuer": None, "date": None, "family": "union",
         "level": "district", "stub": True, "depth": 1, "root": False, "number": None}],
        "edges": [{"src": 2, "dst": 1, "relation": "implements", "kind": "direct", "ambiguous": False,
                   "evidence": hostile, "asserted_by": hostile}]}
    page = render_html(data)
    script = page[page.index('<script id="graph-data"'):]
    script = script[:script.index("</script>") + 9]
    assert "<!--" not in script and "<script>" not in script[10:] and "<b>" not in script
    assert json.loads(script[script.index(">") + 1:-9])["root"] == hostile
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium not installed")
    html = tmp_path / "v.html"
    html.write_text(page, encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             f"--user-data-dir={tmp_path / 'p'}", "--dump-dom", html.as_uri()]
    dom = subprocess.run([browser, *flags], capture_output=True, text=True, timeout=90).stdout
    assert 'data-rendered="1"' in dom and dom.count('class="node') == 2


# -- hand-made records: identity within a document, printed variants, bare local issuers ----------------------------

@pytest.fixture()
def scratch(tmp_path):
    from pipeline.store import open_db

    c = open_db(tmp_path / "scratch.sqlite")
    yield c
    c.close()


def test_issuer_phrase_ends_before_destination_and_verbs():
    assert clean_issuer("Ban Thường vụ Tỉnh ủy đến toàn thể cán bộ, đảng viên") == "Ban Thường vụ Tỉnh ủy"
    assert clean_issuer("Liên đoàn Lao động huyện cho các công đoàn cơ sở") == "Liên đoàn Lao động huyện"
    assert clean_issuer("Ủy ban nhân dân tỉnh tới các xã") == "Ủy ban nhân dân tỉnh"
    assert clean_issuer("Ban Thường vụ Huyện ủy triển khai tới chi bộ") == "Ban Thường vụ Huyện ủy"
    assert clean_issuer("Ban Thường vụ Tỉnh ủy và Kế hoạch này") == "Ban Thường vụ Tỉnh ủy"
    # names keep their words: a capitalised "Chỉ đạo", "Tổ chức", "và Đào tạo" is part of the body's name
    for name in ("Ban Chỉ đạo phòng, chống thiên tai tỉnh", "Ban Tổ chức Huyện ủy", "Sở Giáo dục và Đào tạo",
                 "Ban chỉ đạo tỉnh"):
        assert clean_issuer(name) == name.split(",")[0]


def test_numbers_are_found_in_any_printed_variant(conn):
    ids = {Q.find_node(conn, x).id for x in ("46-NQ/TW", "46-NQ/TƯ", "46/NQ-TW", "46 - nq/tw")}
    assert len(ids) == 1


def test_printed_variants_share_one_key():
    assert len({number_key(x) for x in ("07-NQ/TW", "07-NQ/TƯ", "07/NQ-TW", "7-NQ/TW", "07 - NQ/TW")}) == 1
    assert number_key("07-NQ/TU") != number_key("07-NQ/TW")  # a Tỉnh ủy number is another document
    assert number_key("14/2023/NĐ-CP") != number_key("14/2024/NĐ-CP")


def test_mentions_of_one_number_are_one_document():
    refs = [{"number": "31-KH/TU", "date": "2025-03-02", "issuer": "Ban Thường vụ Tỉnh ủy", "start": 10, "end": 20},
            {"number": "31-KH/TU", "date": None, "issuer": "Ban Thường vụ Tỉnh ủy đến toàn thể cán bộ",
             "start": 80, "end": 90},
            {"number": "07/NQ-TW", "start": 100, "end": 110}, {"number": "07-NQ/TƯ", "start": 150, "end": 160},
            {"number": "31-KH/TU", "date": "2024-01-05", "start": 200, "end": 210}]
    groups = {tuple(m): rep for rep, m in mention_groups(refs)}
    assert set(groups) == {(0, 1), (2, 3), (4,)}
    assert groups[(0, 1)]["issuer"] == "Ban Thường vụ Tỉnh ủy" and groups[(0, 1)]["date"] == "2025-03-02"
    # "Nghị quyết 07" read as a name after the document named 07-NQ/TW in full: the same document
    refs.append({"number": None, "title": "Nghị quyết 07", "start": 300, "end": 313})
    refs.append({"number": None, "title": "Luật 12", "start": 320, "end": 327})
    groups = {tuple(m): rep for rep, m in mention_groups(refs)}
    assert (2, 3, 5) in groups and groups[(2, 3, 5)]["number"] == "07/NQ-TW" and (6,) in groups


def test_one_node_per_number_across_variants_and_phrasings(scratch):
    add_record(scratch, number="31-KH/TU", issuer="Tỉnh ủy Hòa Bình", date="2025-03-02",
               refs=[{"number": "07-NQ/TW", "issuer": "Bộ Chính trị", "date": "2025-01-20"}])
    add_record(scratch, number="31-KH/TU", issuer="Tỉnh ủy Kon Tum", date="2025-03-09",
               refs=[{"number": "07-NQ/TW", "issuer": "Bộ Chính trị"}])
    add_record(scratch, number="14-KH/HU", issuer="Huyện ủy Lạc Sơn", parent="Đảng bộ tỉnh Hòa Bình",
               date="2025-03-20", refs=[
                   {"number": "31-KH/TU", "issuer": "Ban Thường vụ Tỉnh ủy đến toàn thể cán bộ", "start": 300,
                    "end": 310, "cue": "Quán triệt"},
                   {"number": "31-KH/TU", "issuer": "Ban Thường vụ Tỉnh ủy", "start": 40, "end": 50,
                    "cue": "Thực hiện"},
                   {"number": "07/NQ-TƯ", "issuer": "Bộ Chính trị", "start": 500, "end": 510, "relation": "guides",
                    "cue": None}],
               tasks=[{"id": "1", "text": "…", "start": 480, "end": 560}])
    build(scratch)
    assert scratch.execute("SELECT count(*) FROM graph_nodes WHERE number_key = ?",
                           (number_key("07-NQ/TW"),)).fetchone() == (1,)
    rows = scratch.execute(
        "SELECT d.issuer, d.stub, e.n, e.resolution, e.ambiguous FROM graph_edges e JOIN graph_nodes s ON s.id = e.src "
        "JOIN graph_nodes d ON d.id = e.dst WHERE s.number = '14-KH/HU' AND d.number_key = ?",
        (number_key("31-KH/TU"),)).fetchall()
    assert rows == [("Tỉnh ủy Hòa Bình", 0, 2, rows[0][3], 0)] and "hoa binh" in rows[0][3]
    node = Q.find_node(scratch, "14-KH/HU")
    up = {r["label"]: r for r in Q.parents(scratch, node)}
    assert up["07-NQ/TW"]["depth"] == 2 and up["31-KH/TU"]["depth"] == 1
    (edge,) = scratch.execute(
        "SELECT e.relation, e.context, e.nearer_parent FROM graph_edges e JOIN graph_nodes s ON s.id = e.src "
        "JOIN graph_nodes d ON d.id = e.dst WHERE s.number = '14-KH/HU' AND d.number_key = ?",
        (number_key("07-NQ/TW"),)).fetchall()
    assert edge[1] == "task" and edge[2] == Q.find_node(scratch, "31-KH/TU", place="Hòa Bình").id


def test_short_union_number_takes_the_district_of_the_grassroots_union(scratch):
    add_record(scratch, number="09/KH-LĐLĐ", issuer="Liên đoàn Lao động huyện Krông Pắc",
               parent="Liên đoàn Lao động tỉnh Đắk Lắk", date="2025-04-02")
    add_record(scratch, number="09/KH-LĐLĐ", issuer="Liên đoàn Lao động huyện Ea Súp",
               parent="Liên đoàn Lao động tỉnh Đắk Lắk", date="2025-04-10")
    add_record(scratch, number="03/KH-CĐCS", issuer="Công đoàn cơ sở Trường Tiểu học Hòa Thắng",
               parent="Liên đoàn Lao động huyện Krông Pắc", date="2025-04-28",
               refs=[{"number": "09/KH-LĐLĐ", "issuer": "Liên đoàn Lao động huyện"}])
    build(scratch)
    row = scratch.execute(
        "SELECT d.issuer, e.ambiguous, e.resolution FROM graph_edges e JOIN graph_nodes s ON s.id = e.src "
        "JOIN graph_nodes d ON d.id = e.dst WHERE s.number = '03/KH-CĐCS'").fetchone()
    assert row[0] == "Liên đoàn Lao động huyện Krông Pắc" and row[1] == 0 and "krong pac" in row[2]
