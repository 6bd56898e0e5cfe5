"""The Dask engine: the same records as the local engine (nothing else changes between engines), the single
writer stays in the client, a remote scheduler address works (files shipped to workers), Parquet output."""

from __future__ import annotations

import json
import sqlite3

import pytest

pytest.importorskip("distributed")

from distributed import LocalCluster  # noqa: E402

from pipeline.store import DaskEngine, index  # noqa: E402

from .conftest import check_consistent, congvan, rows  # noqa: E402


def test_dask_engine_matches_local_engine(archive, inbox, tmp_path):
    db = tmp_path / "dask.sqlite"
    # one single-threaded worker in this process: the extractor is not promised to be thread-safe (real
    # clusters run `dask worker --nthreads 1`, see docs/archive.md)
    report = index(db, [inbox.root], DaskEngine(workers=1, processes=False))
    assert report.engine.startswith("dask (1 worker, LocalCluster")
    assert report.indexed == inbox.distinct and report.failed == len(inbox.bad)
    check_consistent(db)
    for sql in ("SELECT sha256, record FROM documents", "SELECT path, sha256 FROM files",
                "SELECT path, stage, error, message FROM errors",
                'SELECT d.sha256, r.idx, r.number, r.relation FROM "references" r JOIN documents d ON d.id = r.doc_id',
                "SELECT d.sha256, t.body FROM texts t JOIN documents d ON d.id = t.doc_id"):
        ours, theirs = rows(db, sql), rows(archive, sql)
        assert ours == theirs, (sql, [a for a, b in zip(ours, theirs, strict=False) if a != b][:1])


def test_cli_dask_scheduler_and_parquet(inbox, tmp_path):
    import pyarrow.dataset as ds

    files = sorted(p for p in (inbox.root / "docs").glob("c0*.txt"))
    # a "remote" cluster: its scheduler listens on TCP, the CLI in another process connects to it
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", host="127.0.0.1",
                      dashboard_address=None, silence_logs=40) as cluster:
        db = tmp_path / "a.sqlite"
        out = tmp_path / "parquet"
        proc = congvan("index", *map(str, files), str(inbox.bad[0]), "--db", str(db), "--engine", "dask",
                       "--scheduler", cluster.scheduler_address, "--out-parquet", str(out), "--no-progress",
                       timeout=300)
    assert proc.returncode == 1, proc.stderr  # the empty file fails on the worker, recorded like any error
    assert f"{len(files)} new documents" in proc.stdout
    assert "dask (2 workers, tcp://" in proc.stdout
    check_consistent(db)
    c = sqlite3.connect(db)
    assert c.execute("SELECT error FROM errors").fetchall() == [("EmptyFile",)]
    paths = {json.loads(r)["source"]["path"] for (r,) in c.execute("SELECT record FROM documents")}
    assert paths == {str(p) for p in files}  # shipped bytes, original paths
    assert c.execute("SELECT engine FROM runs").fetchone()[0] == "dask"
    c.close()
    table = ds.dataset(out / "documents", format="parquet", partitioning="hive").to_table()
    assert table.num_rows == len(files)
    assert sorted(table.column("number_normalized").to_pylist())[0] == "09/TB-CĐCS"
    assert {p.name for p in (out / "documents").iterdir()} >= {"year=2024"}


def test_unreachable_scheduler_is_one_line(tmp_path, inbox):
    proc = congvan("index", str(inbox.original), "--db", str(tmp_path / "a.sqlite"), "--engine", "dask",
                   "--scheduler", "tcp://127.0.0.1:9", timeout=120,
                   env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert proc.returncode == 2
    err = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert "Traceback" not in proc.stderr
    assert err[-1].startswith("congvan index: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
