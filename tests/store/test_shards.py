"""Parquet shards: a two-worker Dask cluster writes them, `congvan index --from-parquet` loads them; the
archive holds the same rows as the local engine's, and a rerun of either step loses or duplicates nothing."""

from __future__ import annotations

import pytest

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

from pipeline.store import DaskEngine  # noqa: E402
from pipeline.store.shards import SHARD_GLOB, write_shards  # noqa: E402

from .conftest import check_consistent, congvan, one_line_error, rows  # noqa: E402

SAME_ROWS = ("SELECT sha256, record FROM documents", "SELECT path, sha256 FROM files",
             "SELECT path, stage, error, message FROM errors",
             'SELECT d.sha256, r.idx, r.number, r.relation FROM "references" r JOIN documents d ON d.id = r.doc_id',
             "SELECT d.sha256, t.idx, t.text, t.deadline_date FROM tasks t JOIN documents d ON d.id = t.doc_id",
             "SELECT d.sha256, t.body, t.folded FROM texts t JOIN documents d ON d.id = t.doc_id")


def test_dask_cluster_writes_shards_that_load_into_the_same_archive(archive, inbox, tmp_path):
    shards = tmp_path / "shards"
    # two worker processes of one thread each, as on a real cluster (the extractor is not promised to be
    # thread-safe: two threads of one process would share its pipeline)
    report = write_shards([inbox.root], shards, DaskEngine(workers=2, processes=True), chunk=8)
    assert report.engine.startswith("dask (2 workers, LocalCluster")
    assert report.failed_parts == [] and report.parts_written == len(list(shards.glob(SHARD_GLOB))) > 2
    assert report.documents + report.errors == report.files == len(inbox.good) + len(inbox.bad)

    db = tmp_path / "loaded.sqlite"
    proc = congvan("index", "--from-parquet", str(shards), "--db", str(db), "--no-progress", timeout=300)
    assert proc.returncode == 1, proc.stderr  # the bad files are in the errors table, as with a local run
    assert f"{inbox.distinct} new documents" in proc.stdout and "1 duplicate" in proc.stdout
    check_consistent(db)
    for sql in SAME_ROWS:
        ours, theirs = rows(db, sql), rows(archive, sql)
        assert ours == theirs, (sql, [a for a, b in zip(ours, theirs, strict=False) if a != b][:1])

    again = congvan("index", "--from-parquet", str(shards), "--db", str(db), "--no-progress", timeout=300)
    assert "0 new documents" in again.stdout and f"{inbox.distinct + 1} already in the archive" in again.stdout
    assert rows(db, "SELECT count(*) FROM documents") == [(inbox.distinct,)]
    check_consistent(db)

    rerun = write_shards([inbox.root], shards, DaskEngine(workers=1, processes=False), chunk=8)
    assert rerun.parts_written == 0 and rerun.parts_skipped == report.parts_written  # nothing redone


def test_to_parquet_then_from_parquet_on_the_command_line(inbox, tmp_path):
    files = sorted((inbox.root / "docs").glob("c0*.txt"))[:4]
    shards = tmp_path / "shards"
    proc = congvan("index", *map(str, files), "--to-parquet", str(shards), "--workers", "0", timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert f"{len(files)} files, 1 part written ({len(files)} documents, 0 failed), 0 already there" in proc.stdout
    db = tmp_path / "a.sqlite"
    assert not db.exists()
    proc = congvan("index", "--from-parquet", str(shards), "--db", str(db), "--no-progress")
    assert proc.returncode == 0 and f"{len(files)} new documents" in proc.stdout
    assert rows(db, "SELECT engine, status FROM runs") == [("parquet", "done")]


def test_from_parquet_refuses_a_folder_without_shards(tmp_path):
    proc = congvan("index", "--from-parquet", str(tmp_path), "--db", str(tmp_path / "a.sqlite"))
    assert proc.returncode == 2
    assert one_line_error(proc).endswith(f"--from-parquet: no {SHARD_GLOB} in {tmp_path}")
    proc = congvan("index", str(tmp_path), "--from-parquet", str(tmp_path), "--db", str(tmp_path / "a.sqlite"))
    assert proc.returncode == 2 and "give no PATHS" in one_line_error(proc)
