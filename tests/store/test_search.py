"""Search: diacritics optional (đ included), document numbers in any spacing, issuer abbreviations, filters,
bm25 ranking, highlighted snippets. Expected sets are computed independently from the stored records."""

from __future__ import annotations

import json
import re

import pytest

from pipeline.normalize import fold
from pipeline.store import QueryError, SearchQuery, open_db, search
from pipeline.store.search import MARK_END, MARK_START, build_match

from .conftest import cli, connect, one_line_error


@pytest.fixture(scope="module")
def conn(archive):
    c = open_db(archive, readonly=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def records(archive) -> dict[str, dict]:
    c = connect(archive)
    out = {sha: json.loads(rec) for sha, rec in c.execute("SELECT sha256, record FROM documents")}
    c.close()
    return out


def ranked(conn, **kw) -> list[str]:
    return [h["sha256"] for h in search(conn, SearchQuery(limit=100, **kw))]


def by_number(records, number) -> str:
    [sha] = [s for s, r in records.items() if r["number"] and r["number"]["normalized"] == number]
    return sha


def squashed_key(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


def test_words_without_diacritics_rank_the_same_as_with(conn, records):
    plain = ranked(conn, text="ket luan 01 hoc tap lam theo")
    marked = ranked(conn, text="Kết luận 01 học tập làm theo")
    assert plain == marked and len(plain) >= 5
    # every hit holds every word; the documents about studying Conclusion 01 come first
    top5 = {records[s]["number"]["normalized"] for s in plain[:5]}
    assert top5 == {"08-HD/BTGTU", "27-KH/ĐU", "1244/LĐLĐ", "1856/TLĐ-TG", "47/KH-LĐLĐ"}
    for sha in plain[:5]:
        assert "01-KL/TW" in [r["number"] for r in records[sha]["references"]]


def test_d_with_stroke_is_optional(conn, records):
    plain = ranked(conn, text="dang vien")
    marked = ranked(conn, text="đảng viên")
    assert plain == marked and plain
    bodies = {sha: fold(body) for sha, body in conn.execute(
        "SELECT d.sha256, t.body FROM documents d JOIN texts t ON t.doc_id = d.id")}
    assert all(re.search(r"\bdang\b", bodies[s]) and re.search(r"\bvien\b", bodies[s]) for s in plain)
    assert {s for s, b in bodies.items() if re.search(r"\bdang vien\b", b)} <= set(plain)
    # a word whose only spelling in the archive has đ is found from d
    assert ranked(conn, text="doan vien") == ranked(conn, text="đoàn viên")
    assert by_number(records, "1244/LĐLĐ") in ranked(conn, text="doan vien")


def test_subject_words_outrank_body_mentions(conn, records):
    hits = ranked(conn, text="chien dich thanh nien tinh nguyen he")
    subjects = [fold(records[s]["subject"] or "") for s in hits[:2]]
    assert all("chien dich thanh nien tinh nguyen he" in s for s in subjects)


@pytest.mark.parametrize("spelling", ["01-KL/TW", "01 - KL / TW", "01-kl/tw", "01 KL/TW", "01- KL /TW"])
def test_reference_number_in_any_spacing(conn, records, spelling):
    expected = ranked(conn, text="01-KL/TW")
    assert ranked(conn, text=spelling) == expected
    citing = {s for s, r in records.items() if any(squashed_key(x["number"] or "") == "01-kl/tw"
                                                   for x in r["references"])}
    assert citing and citing <= set(expected)
    # the --refs filter takes any spelling too and returns exactly the citing documents
    assert set(ranked(conn, refs=[spelling])) == citing


@pytest.mark.parametrize("spelling", ["6713/TLĐ-TG", "6713/TLD-TG", "6713 / TLD - TG", "6713/tld-tg"])
def test_union_number_with_and_without_d_stroke(conn, records, spelling):
    hits = ranked(conn, text=spelling)
    assert hits[0] == by_number(records, "1244/LĐLĐ")
    assert ranked(conn, refs=[spelling]) == [by_number(records, "1244/LĐLĐ")]


def test_own_number_ranks_first(conn, records):
    hits = ranked(conn, text="1856/TLD-TG")
    assert hits[0] == by_number(records, "1856/TLĐ-TG")  # its own number, then the documents citing it
    assert by_number(records, "47/KH-LĐLĐ") in hits[1:]


def test_issuer_abbreviation(conn, records):
    ldld = ranked(conn, issuer="LĐLĐ")
    assert ldld == ranked(conn, issuer="LDLD") == ranked(conn, issuer="ldld")
    expected = {s for s, r in records.items()
                if r["issuer"] and fold(r["issuer"]["name"]).startswith("lien doan lao dong")}
    assert set(ldld) == expected and len(expected) >= 6
    assert by_number(records, "1856/TLĐ-TG") not in ldld  # Tổng LĐLĐ is TLĐ, not LĐLĐ
    assert by_number(records, "1856/TLĐ-TG") in ranked(conn, issuer="TLĐ")
    ubnd = ranked(conn, issuer="UBND")
    assert ubnd and all(fold(records[s]["issuer"]["name"]).startswith("uy ban nhan dan") for s in ubnd)
    # name parts work too, diacritics optional
    assert ranked(conn, issuer="Nghệ An") == ranked(conn, issuer="nghe an") != []
    # a free-text query for the abbreviation finds the LĐLĐ documents first
    top = ranked(conn, text="LDLD")[:5]
    assert set(top) <= expected


def test_filters_combined(conn, records):
    hits = search(conn, SearchQuery(refs=["01-KL/TW"], issuer="LĐLĐ", date_from="2023-01-01"))
    expected = {s for s, r in records.items()
                if any(squashed_key(x["number"] or "") == "01-kl/tw" for x in r["references"])
                and r["issuer"] and fold(r["issuer"]["name"]).startswith("lien doan lao dong")
                and (r["date"] or "") >= "2023-01-01"}
    assert {h["sha256"] for h in hits} == expected
    assert by_number(records, "1244/LĐLĐ") in expected
    dates = [h["date"] for h in hits]
    assert dates == sorted(dates, reverse=True)  # no text: newest first
    assert all(h["path"] and h["number"] and h["issuer"] for h in hits)
    # type and year
    kh = ranked(conn, doc_type="KH", year=2024)
    assert kh and all(records[s]["doc_type"]["code"] == "KH" and records[s]["date"].startswith("2024") for s in kh)
    assert ranked(conn, doc_type="qd") == ranked(conn, doc_type="QĐ") != []
    assert ranked(conn, text="cong doan", date_to="2023") == [s for s in ranked(conn, text="cong doan")
                                                              if (records[s]["date"] or "9") <= "2023-12-31"]


def test_snippets_highlight_the_original_spelling(conn):
    [hit] = search(conn, SearchQuery(text="6713/TLD-TG", limit=1))
    assert f"{MARK_START}6713/TLĐ-TG{MARK_END}" in hit["snippet"]
    hit = search(conn, SearchQuery(text="hoc tap lam theo", limit=1))[0]
    assert f"{MARK_START}học{MARK_END} {MARK_START}tập{MARK_END}" in hit["subject_highlight"] + hit["snippet"]


def test_cli_search_json_and_table(archive):
    proc = cli("search", "ket luan 01 hoc tap lam theo", "--db", str(archive), "-f", "json", "-n", "3")
    hits = json.loads(proc.stdout)
    assert len(hits) == 3 and [h["rank"] for h in hits] == [1, 2, 3]
    assert all("<mark>" in h["snippet"] for h in hits)
    proc = cli("search", "--refs", "01-KL/TW", "--issuer", "LĐLĐ", "--from", "2023-01-01", "--db", str(archive),
                   "-f", "table")
    assert proc.returncode == 0 and "1244/LĐLĐ" in proc.stdout
    proc = cli("search", "zzzyyyxxx", "--db", str(archive), "-f", "json")
    assert proc.returncode == 0 and json.loads(proc.stdout) == [] and "no documents match" in proc.stderr
    proc = cli("search", "!!! ???", "--db", str(archive))
    assert proc.returncode == 2 and "nothing searchable" in one_line_error(proc)


def test_query_builder_is_injection_safe(conn):
    for text in ['"unbalanced', "NEAR(a b", "a OR", "col:thing", "*", "AND NOT", "đ-\"*(){}:^"]:
        try:
            search(conn, SearchQuery(text=text))
        except QueryError:
            pass
    assert build_match("đoàn") == '("doan" OR "đoan")'
    assert build_match("01 - KL / TW") == '"01 kl tw"'
    assert build_match('"hoc tap" lam*') == '"hoc tap" AND "lam"*'
