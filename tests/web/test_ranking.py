"""Ranking and filters of issue 15, on team-written documents (rank_docs.py): real bm25 scores, a signer's
full name, an issuer's own letter first, --issuer matching the governing body and the province, issuers
counted per province, query cost bounded."""

from __future__ import annotations

import pytest

from pipeline.store import SearchQuery, open_db, search
from pipeline.store.search import QueryError, parse_query, search_page

from .conftest import build_archive
from .rank_docs import DOCS


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rank")
    (folder / "docs").mkdir()
    for name, text in DOCS.items():
        (folder / "docs" / name).write_text(text, encoding="utf-8")
    db = build_archive(folder, folder / "docs")
    c = open_db(db, readonly=True)
    yield c
    c.close()


def _numbers(hits):
    return [h["number"] for h in hits]


def test_bm25_scores_are_real(conn):
    # every word here is in more than half of the archive: FTS5's bm25 alone gives ~0 for all of them
    hits = search(conn, SearchQuery(text="Bộ Công an"))
    assert hits and all(h["score"] > 0.1 for h in hits)
    assert len({h["score"] for h in hits}) > 1


def test_issuer_own_letter_first(conn):
    hits = search(conn, SearchQuery(text="Bộ Công an"))
    assert hits[0]["issuer"] == "Bộ Công an"
    assert search(conn, SearchQuery(text="bo cong an"))[0]["issuer"] == "Bộ Công an"  # without diacritics


def test_signer_full_name_first(conn):
    for text in ("Phan Thị Ngọc Diệp", "phan thi ngoc diep"):
        hits = search(conn, SearchQuery(text=text))
        assert hits[0]["signer"] == "Phan Thị Ngọc Diệp"
        assert len(hits) >= 2  # the notice naming other people with these words is found, below
        assert hits[0]["score"] > 2 * hits[1]["score"]


def test_issuer_filter_matches_governing_body_and_province(conn):
    ministry = search(conn, SearchQuery(issuer="Bộ Công an"))
    assert {"2214/BCA-V03", "518/C06-P4"} <= set(_numbers(ministry))  # the ministry and its department
    province = search(conn, SearchQuery(issuer="Lâm Đồng"))
    assert "845/STP-HCTP" in _numbers(province)  # a provincial department under the province's UBND
    assert "377/STP-BTTP" not in _numbers(province)


def test_issuers_counted_per_province(conn):
    from pipeline.store.stats import stats

    keys = [it["key"] for it in stats(conn)["by"]["issuer"]]
    assert "Sở Tư pháp (Lâm Đồng)" in keys and "Sở Tư pháp (Lào Cai)" in keys


def test_central_body_has_no_province(conn):
    row = conn.execute("SELECT issuer_province FROM documents WHERE number_normalized = '518/C06-P4'").fetchone()
    assert row[0] is None  # dated in the capital, but a ministry's department


def test_facets_count_the_matches(conn):
    page = search_page(conn, SearchQuery(text="Bộ Công an"), facets=True)
    assert page["total"] == 5
    types = {f["key"]: f["count"] for f in page["facets"]["doc_type"]}
    assert sum(types.values()) == 5
    provinces = {f["key"] for f in page["facets"]["province"]}
    assert {"Lạng Sơn", "Hà Giang", "Kon Tum"} <= provinces


def test_repeated_words_are_searched_once(conn):
    parsed = parse_query(" ".join(["đoàn"] * 15000))
    assert len(parsed.units) == 1
    many = parse_query(" ".join(f"tu{i}" for i in range(100)))
    assert len(many.units) <= 24 and many.dropped > 0


def test_out_of_range_numbers_are_query_errors(conn):
    for q in (SearchQuery(text="a", limit=10**30), SearchQuery(text="a", offset=-1),
              SearchQuery(text="a", year=10**20)):
        with pytest.raises(QueryError):
            search(conn, q)


def test_time_limit_stops_a_search(conn):
    from pipeline.store.search import SearchInterrupted

    with pytest.raises(SearchInterrupted) as info:
        search(conn, SearchQuery(text="Bộ Công an", time_limit=0.0))
    assert info.value.timed_out


def test_sort_by_date(conn):
    hits = search(conn, SearchQuery(text="Bộ Công an", sort="date"))
    dates = [h["date"] for h in hits]
    assert dates == sorted(dates, reverse=True)


def test_document_named_by_type_and_serial(conn):
    # "công văn 2214" is how an office names the ministry's letter: it and the letters citing it come first
    hits = search(conn, SearchQuery(text="công văn 2214 phòng ngừa"))
    assert hits and hits[0]["number"] == "2214/BCA-V03"
    hits = search(conn, SearchQuery(text="cong van 2214"))
    assert {h["number"] for h in hits[:4]} == {"2214/BCA-V03", "141/UBND-NC", "142/UBND-NC", "143/UBND-NC"}


def test_cli_out_of_range_is_a_usage_error(conn):
    from typer.testing import CliRunner

    from pipeline.cli import app

    db = conn.execute("PRAGMA database_list").fetchone()[2]
    for args in (["--year", "99999999999999999999"], ["--limit", "10000000000000000000000"], ["--offset", "-1"]):
        r = CliRunner().invoke(app, ["search", "cong", "--db", db, *args])
        assert r.exit_code == 2 and "internal error" not in r.output
