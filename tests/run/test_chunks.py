"""Chunked calls: text files travel several per worker call, yet a crash or a hang is still pinned on its file."""

from __future__ import annotations

import time

from pipeline.models import ErrorRecord
from pipeline.run.chunks import chunkable, map_chunked
from pipeline.run.engines import LocalEngine, WorkItem

from .test_engines import crash_on_boom, hang_on_stuck


def test_only_local_text_files_are_chunked():
    assert chunkable(WorkItem("k", "/in/a.txt")) and chunkable(WorkItem("k", "/in/B.HTML"))
    assert not chunkable(WorkItem("k", "/in/a.pdf")) and not chunkable(WorkItem("k", "/in/a.docx"))
    assert not chunkable(WorkItem("k", "/in/a.txt", data=b"shipped"))


def test_a_chunk_whose_worker_dies_is_rerun_file_by_file():
    paths = [f"f{i}.txt" for i in range(9)] + ["scan.pdf"]
    paths.insert(5, "boom.txt")
    with LocalEngine(workers=2, max_inflight=2) as engine:
        results = {t.path: r for t, r in map_chunked(engine, crash_on_boom, (WorkItem(p, p) for p in paths), ("!",),
                                                     size=4)}
    assert set(results) == set(paths)
    failed = results["boom.txt"]
    assert isinstance(failed, ErrorRecord) and (failed.stage, failed.error) == ("worker", "WorkerCrashed")
    assert all(results[p] == p.upper() + "!" for p in paths if p != "boom.txt")


def test_a_chunk_that_hangs_pins_the_time_limit_on_its_file():
    paths = ["a.txt", "stuck.txt", "b.txt", "c.txt", "d.txt"]
    started = time.monotonic()
    with LocalEngine(workers=2, max_inflight=2, task_timeout_s=2) as engine:
        results = {t.path: r for t, r in map_chunked(engine, hang_on_stuck, (WorkItem(p, p) for p in paths), ("!",),
                                                     size=2)}
        assert engine.task_timeout_s == 2  # restored after the chunked pass
    assert set(results) == set(paths)
    failed = results["stuck.txt"]
    assert isinstance(failed, ErrorRecord) and (failed.stage, failed.error) == ("worker", "TimeLimit")
    assert all(results[p] == p.upper() + "!" for p in paths if p != "stuck.txt")
    assert time.monotonic() - started < 40
