"""Disambiguation: a number names different documents in different years, provinces and Party terms; a citation
that fits several is flagged, never silently linked; a stub merges into the real document once indexed."""

from __future__ import annotations

import pytest

from pipeline.link import query as Q
from pipeline.link.build import build, ensure_graph
from pipeline.link.identity import party_term, unit_of

from .conftest import add_record


@pytest.fixture()
def scratch(tmp_path):
    from pipeline.store import open_db

    conn = open_db(tmp_path / "scratch.sqlite")
    yield conn
    conn.close()


def _edges(conn):
    return conn.execute("SELECT s.label, s.date, e.relation, d.label, d.date, d.locality, d.stub, e.ambiguous, "
                        "e.candidates FROM graph_edges e JOIN graph_nodes s ON s.id=e.src "
                        "JOIN graph_nodes d ON d.id=e.dst ORDER BY e.id").fetchall()


def test_party_terms():
    assert party_term("2021-02-01") == "XII" and party_term("2021-02-02") == "XIII"
    assert party_term("2016-01-29") == "XII" and party_term("2011-01-20") == "XI"
    assert unit_of("Đảng ủy xã Kim Liên") == ("commune", "kim lien")
    assert unit_of("Ban Thường vụ Tỉnh ủy") == ("province", None)


def test_same_number_other_year_and_province_kept_apart(scratch):
    a = add_record(scratch, number="15/KH-UBND", issuer="Ủy ban nhân dân tỉnh Thanh Hóa", date="2023-02-01")
    b = add_record(scratch, number="15/KH-UBND", issuer="Ủy ban nhân dân tỉnh Thanh Hóa", date="2024-02-01")
    c = add_record(scratch, number="15/KH-UBND", issuer="Ủy ban nhân dân tỉnh Nghệ An", date="2024-02-01")
    add_record(scratch, number="40/SYT-NVY", issuer="Sở Y tế", parent="Ủy ban nhân dân tỉnh Nghệ An",
               date="2024-03-01", refs=[{"number": "15/KH-UBND", "date": "2024-02-01",
                                         "issuer": "Ủy ban nhân dân tỉnh Nghệ An"}])
    add_record(scratch, number="41/SYT-NVY", issuer="Sở Y tế", parent="Ủy ban nhân dân tỉnh Thanh Hóa",
               date="2023-03-01", refs=[{"number": "15/KH-UBND", "date": "2023-02-01",
                                         "issuer": "Ủy ban nhân dân tỉnh"}])
    build(scratch)
    nodes = scratch.execute("SELECT doc_id FROM graph_nodes WHERE number_key='15-kh/ubnd' AND stub=0").fetchall()
    assert sorted(x[0] for x in nodes) == sorted([a, b, c])
    edges = {(e[0], e[3], e[4], e[5]) for e in _edges(scratch)}
    assert ("40/SYT-NVY", "15/KH-UBND", "2024-02-01", "nghe an") in edges
    assert ("41/SYT-NVY", "15/KH-UBND", "2023-02-01", "thanh hoa") in edges
    assert not any(e[7] for e in _edges(scratch))
    with pytest.raises(Q.GraphError, match="names 3 documents"):
        Q.find_node(scratch, "15/KH-UBND")
    node = Q.find_node(scratch, "15/KH-UBND", year=2024, place="Nghệ An")
    assert [r["label"] for r in Q.children(scratch, node)] == ["40/SYT-NVY"]


def test_party_number_reused_in_another_term(scratch):
    add_record(scratch, number="01-KL/TW", issuer="Bộ Chính trị", date="2016-04-10")
    add_record(scratch, number="01-KL/TW", issuer="Bộ Chính trị", date="2021-05-18")
    add_record(scratch, number="20-HD/BTGTU", issuer="Ban Tuyên giáo Tỉnh ủy Thanh Hóa", date="2021-08-10",
               refs=[{"number": "01-KL/TW", "date": "2021-05-18", "issuer": "Bộ Chính trị"}])
    add_record(scratch, number="21-HD/BTGTU", issuer="Ban Tuyên giáo Tỉnh ủy Thanh Hóa", date="2017-03-10",
               refs=[{"number": "01-KL/TW", "issuer": "Bộ Chính trị"}])  # undated: only the XII one existed
    build(scratch)
    terms = dict(scratch.execute("SELECT period, date FROM graph_nodes WHERE number_key='1-kl/tw'").fetchall())
    assert terms == {"tXII": "2016-04-10", "tXIII": "2021-05-18"}
    edges = {(e[0], e[4]) for e in _edges(scratch)}
    assert ("20-HD/BTGTU", "2021-05-18") in edges and ("21-HD/BTGTU", "2016-04-10") in edges


def test_ambiguous_citation_is_flagged_not_linked(scratch):
    add_record(scratch, number="15/KH-UBND", issuer="Ủy ban nhân dân tỉnh Thanh Hóa", date="2023-02-01")
    add_record(scratch, number="15/KH-UBND", issuer="Ủy ban nhân dân tỉnh Nghệ An", date="2024-02-01")
    add_record(scratch, number="77/BYT-KCB", issuer="Bộ Y tế", date="2025-01-05",
               refs=[{"number": "15/KH-UBND", "relation": "mentions"}])
    build(scratch)
    edges = _edges(scratch)
    assert len(edges) == 1
    src, _, rel, dst, _, _, stub, ambiguous, candidates = edges[0]
    assert (src, dst, stub, ambiguous) == ("77/BYT-KCB", "15/KH-UBND", 1, 1)
    assert "2023-02-01" in candidates and "2024-02-01" in candidates
    for year in (2023, 2024):
        assert Q.children(scratch, Q.find_node(scratch, "15/KH-UBND", year=year)) == []
    amb = Q.ambiguous_citations(scratch)
    assert len(amb) == 1 and len(amb[0]["candidates"]) == 2


def test_stub_merges_into_the_document_when_indexed(scratch):
    add_record(scratch, number="5/SYT-NVY", issuer="Sở Y tế", parent="Ủy ban nhân dân tỉnh Thanh Hóa",
               date="2024-03-01", refs=[{"number": "99/KH-UBND", "date": "2024-02-02",
                                         "issuer": "Ủy ban nhân dân tỉnh Thanh Hóa"}])
    build(scratch)
    assert scratch.execute("SELECT stub FROM graph_nodes WHERE number_key='99-kh/ubnd'").fetchall() == [(1,)]
    doc = add_record(scratch, number="99/KH-UBND", issuer="Ủy ban nhân dân tỉnh Thanh Hóa", date="2024-02-02")
    assert ensure_graph(scratch) is True          # documents changed → rebuilt
    assert ensure_graph(scratch) is False         # and only once
    rows = scratch.execute("SELECT stub, doc_id FROM graph_nodes WHERE number_key='99-kh/ubnd'").fetchall()
    assert rows == [(0, doc)]
    assert [r["label"] for r in Q.children(scratch, Q.find_node(scratch, "99/KH-UBND"))] == ["5/SYT-NVY"]


def test_inverse_reference_runs_from_the_nested_document(scratch):
    add_record(scratch, number="10/QĐ-UBND", issuer="Ủy ban nhân dân tỉnh Cà Mau", date="2024-05-01", refs=[
        {"number": "80/2015/QH13", "relation": "based_on"},
        {"number": "63/2020/QH14", "relation": "amends", "via": 0, "inverse": True}])
    build(scratch)
    edges = {(e[0], e[2], e[3]) for e in _edges(scratch)}
    assert ("63/2020/QH14", "amends", "80/2015/QH13") in edges
    assert ("10/QĐ-UBND", "amends", "63/2020/QH14") not in edges
