"""Corrections: stored with old/new/who, applied to search and export, carried over to a changed file only while
the extractor still gives the corrected value; gold-format export that `congvan eval` reads; CSV with BOM."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app as cli
from pipeline.store import SearchQuery, open_db, search
from pipeline.store.corrections import CorrectionError, correct, list_corrections

from .conftest import build_archive
from .rank_docs import DOCS


@pytest.fixture
def archive(tmp_path):
    (tmp_path / "docs").mkdir()
    for name in ("stp-lamdong.txt", "stp-laocai.txt"):
        (tmp_path / "docs" / name).write_text(DOCS[name], encoding="utf-8")
    return tmp_path, build_archive(tmp_path, tmp_path / "docs")


def _doc(conn, number):
    return conn.execute("SELECT id FROM documents WHERE number_normalized = ?", (number,)).fetchone()[0]


def test_correction_is_searchable_and_exported(archive):
    folder, db = archive
    conn = open_db(db)
    c = correct(conn, _doc(conn, "845/STP-HCTP"), "subject", "chứng thực chữ ký số trên văn bản điện tử",
                who="chuyên viên")
    assert (c.old, c.who) == ("hướng dẫn chứng thực bản sao điện tử", "chuyên viên")
    hits = search(conn, SearchQuery(text="chu ky so"))
    assert [h["number"] for h in hits] == ["845/STP-HCTP"] and hits[0]["corrected"]
    with pytest.raises(CorrectionError):
        correct(conn, _doc(conn, "845/STP-HCTP"), "date", "32/13/2024")
    with pytest.raises(CorrectionError):
        correct(conn, _doc(conn, "845/STP-HCTP"), "sha256", "x")
    conn.close()
    runner = CliRunner()
    r = runner.invoke(cli, ["export", "--db", str(db), "--format", "csv", "--bom"])
    assert r.exit_code == 0 and r.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    row = next(x for x in rows if x["number"] == "845/STP-HCTP")
    assert row["corrected"] == "subject" and row["subject"].startswith("chứng thực chữ ký số")
    assert "Ủy ban nhân dân" in row["recipients"] and "needs_review" in row and "warnings" in row
    out = folder / "gold-out"
    r = runner.invoke(cli, ["export", "--db", str(db), "--corrections", "-o", str(out)])
    assert r.exit_code == 0, r.output
    [gold] = list((out / "gold").glob("*.json"))
    data = json.loads(gold.read_text(encoding="utf-8"))
    assert data["subject"] == "chứng thực chữ ký số trên văn bản điện tử" and data["number"] == "845/STP-HCTP"
    assert (out / "docs" / (gold.stem + ".txt")).exists()
    r = runner.invoke(cli, ["eval", str(out)])
    assert r.exit_code in (0, 1) and "subject" in r.output


def test_carried_over_only_while_the_extractor_still_disagrees(archive):
    folder, db = archive
    conn = open_db(db)
    correct(conn, _doc(conn, "845/STP-HCTP"), "place", "Thành phố Đà Lạt", who="a")
    correct(conn, _doc(conn, "377/STP-BTTP"), "place", "Thành phố Lào Cai", who="b")
    conn.close()
    f1, f2 = folder / "docs" / "stp-lamdong.txt", folder / "docs" / "stp-laocai.txt"
    f1.write_text(f1.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # same extraction, new content
    f2.write_text(f2.read_text(encoding="utf-8").replace("Lào Cai, ngày", "Sa Pa, ngày"), encoding="utf-8")
    build_archive(folder, folder / "docs")
    conn = open_db(db, readonly=True)
    places = dict(conn.execute("SELECT d.number_normalized, d.place FROM documents d JOIN files f ON "
                               "f.sha256 = d.sha256"))
    assert places["845/STP-HCTP"] == "Thành phố Đà Lạt"  # carried over
    assert places["377/STP-BTTP"] == "Sa Pa"  # the extractor now reads something else: not overridden
    assert any(c.note and "carried over" in c.note for c in list_corrections(conn))
    conn.close()


def test_upload_added_to_the_archive(archive):
    from starlette.testclient import TestClient

    from pipeline.web import Settings, make_app

    from .test_journeys import DISPATCH

    folder, db = archive
    with TestClient(make_app(Settings(db=db))) as client:
        client.get("/upload")
        token = client.cookies.get("congvan_csrf")
        r = client.post("/upload?format=json", data={"csrf_token": token, "add": "1"},
                        files={"file": ("tap-huan.txt", DISPATCH.encode(), "text/plain")})
        assert r.status_code == 200, r.text
        added = r.json()["added"]
        assert added["indexed"] == 1 and added["doc_id"]
        doc = client.get(f"/doc/{added['doc_id']}?format=json").json()
        assert doc["fields"]["number"] == "917/LĐLĐ-TC" and len(doc["tasks"]) == 2
        assert client.get(f"/doc/{added['doc_id']}/original").content == DISPATCH.encode()
        # the same upload again is the same content: nothing new
        r = client.post("/upload?format=json", data={"csrf_token": token, "add": "1"},
                        files={"file": ("tap-huan.txt", DISPATCH.encode(), "text/plain")})
        assert r.json()["added"]["indexed"] == 0 and r.json()["added"]["doc_id"] == added["doc_id"]


def test_corrected_number_reaches_the_graph(archive):
    from pipeline.link.build import ensure_graph

    folder, db = archive
    conn = open_db(db)
    ensure_graph(conn)
    correct(conn, _doc(conn, "377/STP-BTTP"), "number", "378/STP-BTTP", who="c")
    assert ensure_graph(conn)  # the archive changed: the graph is rebuilt
    numbers = {r[0] for r in conn.execute("SELECT number FROM graph_nodes WHERE doc_id IS NOT NULL")}
    assert "378/STP-BTTP" in numbers and "377/STP-BTTP" not in numbers
    assert search(conn, SearchQuery(number="378/STP-BTTP"))
    conn.close()
