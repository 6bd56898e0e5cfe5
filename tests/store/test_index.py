"""`congvan index`: every file once, identity by content, reruns skip, changed files get a new document,
errors recorded per file; listing formats and exports of the archive."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3

from .conftest import build_inbox, check_consistent, cli, connect, fts_integrity, one_line_error


def test_index_stores_each_content_once(archive, inbox):
    counts = check_consistent(archive)
    fts_integrity(archive)
    assert counts["documents"] == inbox.distinct
    assert counts["files"] == len(inbox.good)  # every readable path, the duplicate included
    c = connect(archive)
    shas = dict(c.execute("SELECT path, sha256 FROM files"))
    assert shas[str(inbox.duplicate)] == shas[str(inbox.original)]
    errors = {r[0]: r[1] for r in c.execute("SELECT path, error FROM errors")}
    assert errors == {str(inbox.bad[0]): "EmptyFile", str(inbox.bad[1]): "UnsupportedFormat",
                      str(inbox.bad[2]): "NotVietnamese"}
    # the stored body is the text the record's offsets point into
    body, record = c.execute("SELECT t.body, d.record FROM documents d JOIN texts t ON t.doc_id = d.id "
                             "WHERE d.number_normalized = '1244/LĐLĐ'").fetchone()
    rec = json.loads(record)
    for ref in rec["references"]:
        assert " ".join(body[ref["start"]:ref["end"]].split()) == " ".join(ref["text"].split())
    run = c.execute("SELECT status, files_seen, indexed, failed FROM runs ORDER BY id DESC").fetchone()
    assert run == ("done", len(inbox.good) + len(inbox.bad), inbox.distinct, 3)


def test_rerun_skips_known_content_and_known_errors(archive, tmp_path, inbox):
    db = tmp_path / "copy.sqlite"
    shutil.copyfile(archive, db)
    proc = cli("index", str(inbox.root), "--db", str(db), "--workers", "0", "--no-progress")
    assert proc.returncode == 1  # the bad files still fail (known errors are not silently forgotten)
    assert f"0 new documents, {len(inbox.good)} already in the archive" in proc.stdout
    assert "3 failed before (--retry-errors to retry)" in proc.stdout
    c = connect(db)
    assert c.execute("SELECT sum(attempts) FROM errors").fetchone()[0] == 3  # not retried
    c.close()
    proc = cli("index", "--retry-errors", "--db", str(db), "--workers", "0", "--no-progress")
    assert proc.returncode == 1 and "3 failed" in proc.stdout
    c = connect(db)
    assert c.execute("SELECT attempts FROM errors").fetchall() == [(2,), (2,), (2,)]
    assert c.execute("SELECT count(*) FROM documents").fetchone()[0] == inbox.distinct
    c.close()


def test_changed_file_gets_new_document_and_fixed_file_clears_error(tmp_path):
    box = build_inbox(tmp_path / "in")
    keep = box.good[:3]
    for p in box.good[3:]:
        p.unlink()
    db = tmp_path / "a.sqlite"
    assert cli("index", str(box.root), "--db", str(db), "--workers", "0", "--no-progress").returncode == 1
    target = keep[1]
    old_sha = connect(db).execute("SELECT sha256 FROM files WHERE path = ?", (str(target),)).fetchone()[0]
    target.write_text(target.read_text(encoding="utf-8") + "\nĐã sửa đổi: bổ sung nơi nhận.\n", encoding="utf-8")
    box.bad[0].write_bytes(keep[2].read_bytes() + b"\n")  # the empty file now holds a dispatch
    proc = cli("index", str(box.root), "--db", str(db), "--workers", "0", "--no-progress")
    assert "2 new documents" in proc.stdout, proc.stdout
    c = connect(db)
    new_sha = c.execute("SELECT sha256 FROM files WHERE path = ?", (str(target),)).fetchone()[0]
    assert new_sha != old_sha
    assert c.execute("SELECT count(*) FROM documents WHERE sha256 IN (?, ?)", (old_sha, new_sha)).fetchone()[0] == 2
    assert str(box.bad[0]) not in {r[0] for r in c.execute("SELECT path FROM errors")}
    c.close()
    check_consistent(db)
    # search shows current contents only, unless asked for every version
    number = json.loads(connect(db).execute("SELECT record FROM documents WHERE sha256 = ?",
                                            (new_sha,)).fetchone()[0])["number"]["normalized"]
    now = json.loads(cli("search", "--number", number, "--db", str(db), "-f", "json").stdout)
    assert [h["sha256"] for h in now] == [new_sha]
    every = json.loads(cli("search", "--number", number, "--db", str(db), "-f", "json", "--all-versions").stdout)
    assert {h["sha256"] for h in every} == {old_sha, new_sha}


def test_usage_errors_exit_2_with_one_line(tmp_path, archive):
    proc = cli("index", "--db", str(tmp_path / "x.sqlite"))
    assert proc.returncode == 2 and "give files or folders" in one_line_error(proc)
    proc = cli("search", "x", "--db", str(archive), "--format", "xml")
    assert proc.returncode == 2 and "unknown --format" in one_line_error(proc)
    proc = cli("search", "--db", str(archive))
    assert proc.returncode == 2 and "give a query" in one_line_error(proc)
    proc = cli("search", "x", "--from", "last week", "--db", str(archive))
    assert proc.returncode == 2 and "--from must be a date" in one_line_error(proc)
    proc = cli("index", str(tmp_path), "--db", str(tmp_path / "no" / "such" / "dir.sqlite"))
    assert proc.returncode == 2 and "does not exist" in one_line_error(proc)
    proc = cli("index", str(tmp_path), "--db", str(tmp_path))
    assert proc.returncode == 2 and "is a folder" in one_line_error(proc)


def test_clean_folder_exits_0(tmp_path):
    box = build_inbox(tmp_path / "in")
    for p in box.bad:
        p.unlink()
    for p in box.good[1:-1]:
        p.unlink()
    proc = cli("index", str(box.root), "--db", str(tmp_path / "a.sqlite"), "--workers", "0", "--no-progress")
    assert proc.returncode == 0, proc.stderr
    assert "2 files, 1 new document, 0 already in the archive, 1 duplicate, 0 failed" in proc.stdout


def test_listing_formats(archive):
    hits = json.loads(cli("search", "ket luan 01", "--db", str(archive), "-f", "json").stdout)
    assert isinstance(hits, list) and hits
    for h in hits:
        assert {"number", "issuer", "date", "path", "sha256", "snippet", "rank", "score"} <= set(h)
    lines = cli("search", "ket luan 01", "--db", str(archive), "-f", "jsonl").stdout.splitlines()
    assert [json.loads(ln)["sha256"] for ln in lines] == [h["sha256"] for h in hits]
    rows = list(csv.DictReader(io.StringIO(cli("search", "ket luan 01", "--db", str(archive), "-f", "csv").stdout)))
    assert [r["sha256"] for r in rows] == [h["sha256"] for h in hits]
    table = cli("search", "ket luan 01", "--db", str(archive), "-f", "table").stdout
    assert "1856/TLĐ-TG" in table
    # not a terminal: json by default
    assert json.loads(cli("search", "ket luan 01", "--db", str(archive)).stdout) == hits

    errs = json.loads(cli("errors", "--db", str(archive), "-f", "json").stdout)
    assert {e["error"] for e in errs} == {"EmptyFile", "UnsupportedFormat", "NotVietnamese"}
    assert all({"path", "stage", "message", "attempts", "sha256"} <= set(e) for e in errs)
    assert len(list(csv.DictReader(io.StringIO(cli("errors", "--db", str(archive), "-f", "csv").stdout)))) == 3

    stats = json.loads(cli("stats", "--db", str(archive), "--json").stdout)
    got = {(r["group"], r["key"]): r["count"] for r in stats}
    c = connect(archive)
    assert got[("total", "documents")] == c.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert got[("total", "errors")] == 3
    assert got[("doc_type", "CV")] == c.execute("SELECT count(*) FROM documents WHERE doc_type = 'CV'").fetchone()[0]
    assert got[("format", "txt")] == got[("total", "documents")]
    assert got[("error", "read: EmptyFile")] == 1
    assert ("year", "2024") in got and ("issuer", "Chính phủ") in got
    table = cli("stats", "--db", str(archive), "-f", "table").stdout
    assert "doc_type" in table and "bytes/document" in table


def test_exports(archive, tmp_path, inbox):
    c = connect(archive)
    n = c.execute("SELECT count(*) FROM documents").fetchone()[0]
    out = tmp_path / "all.jsonl"
    proc = cli("export", "--db", str(archive), "--format", "jsonl", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(ln) for ln in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == n
    dup = [r for r in records if str(inbox.duplicate) in r["paths"]]
    assert len(dup) == 1 and sorted(dup[0]["paths"]) == sorted([str(inbox.original), str(inbox.duplicate)])
    assert {"schema_version", "source", "number", "issuer", "references", "tasks"} <= set(records[0])

    proc = cli("export", "--db", str(archive), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == n and {"number", "issuer", "date", "path"} <= set(rows[0])

    import pyarrow.dataset as ds

    pq_dir = tmp_path / "pq"
    proc = cli("export", "--db", str(archive), "--format", "parquet", "-o", str(pq_dir))
    assert proc.returncode == 0, proc.stderr
    table = ds.dataset(pq_dir / "documents", format="parquet", partitioning="hive").to_table()
    assert table.num_rows == n
    years = {p.name for p in (pq_dir / "documents").iterdir()}
    assert "year=2024" in years
    by_year = dict(c.execute("SELECT year, count(*) FROM documents WHERE year IS NOT NULL GROUP BY year"))
    assert sum(1 for y in table.column("year").to_pylist() if y == 2024) == by_year[2024]
    refs = ds.dataset(pq_dir / "references", format="parquet").to_table()
    assert refs.num_rows == c.execute('SELECT count(*) FROM "references"').fetchone()[0]


def test_library_api_round_trip(archive):
    """Everything the CLI does is a library call."""
    from pipeline.models import Dispatch
    from pipeline.store import SearchQuery, open_db, search

    conn = open_db(archive, readonly=True)
    hits = search(conn, SearchQuery(number="1244/LDLD"))
    assert [h["number"] for h in hits] == ["1244/LĐLĐ"]
    record = json.loads(conn.execute("SELECT record FROM documents WHERE id = ?", (hits[0]["id"],)).fetchone()[0])
    d = Dispatch.from_dict(record)
    assert d.number.normalized == "1244/LĐLĐ" and d.source.sha256 == hits[0]["sha256"]
    with __import__("pytest").raises(sqlite3.OperationalError):
        conn.execute("DELETE FROM documents")  # readers are query-only
    conn.close()


def test_fifo_and_vanished_files_are_errors_not_hangs(tmp_path):
    import os

    box = tmp_path / "in"
    box.mkdir()
    os.mkfifo(box / "pipe.txt")  # hashing it would block forever
    db = tmp_path / "a.sqlite"
    proc = cli("index", str(box), "--db", str(db), "--workers", "0", "--no-progress")
    assert proc.returncode == 1 and "pipe.txt: Unreadable: not a regular file" in proc.stderr
    (box / "pipe.txt").unlink()
    proc = cli("index", "--retry-errors", "--db", str(db), "--workers", "0", "--no-progress")
    assert proc.returncode == 1 and "file not found" in proc.stderr
    assert connect(db).execute("SELECT attempts, message FROM errors").fetchall() == [
        (2, "file not found (deleted or moved?)")]
