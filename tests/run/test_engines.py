"""Engines: bounded, unordered, and a worker that dies is pinned to its file while the others go through."""

from __future__ import annotations

import os

from pipeline.models import ErrorRecord
from pipeline.run.engines import LocalEngine, WorkItem


def crash_on_boom(path: str, suffix: str) -> str:
    if "boom" in path:
        os._exit(3)  # a segfault in a PDF library looks like this to the pool
    return path.upper() + suffix


def test_local_engine_isolates_the_file_that_kills_its_worker():
    paths = [f"f{i}" for i in range(8)]
    paths.insert(3, "boom")
    pulled = []

    def tasks():
        for p in paths:
            pulled.append(p)
            yield WorkItem(key=p, path=p)

    with LocalEngine(workers=2, max_inflight=3) as engine:
        results = dict((t.path, r) for t, r in engine.map_unordered(crash_on_boom, tasks(), ("!",)))
    assert set(results) == set(paths)
    failed = results["boom"]
    assert isinstance(failed, ErrorRecord) and (failed.stage, failed.error) == ("worker", "WorkerCrashed")
    assert all(results[p] == p.upper() + "!" for p in paths if p != "boom")


def test_in_process_engine_and_empty_stream():
    with LocalEngine(workers=0) as engine:
        out = list(engine.map_unordered(crash_on_boom, [WorkItem("a", "a")], ("?",)))
    assert [(t.path, r) for t, r in out] == [("a", "A?")]
    with LocalEngine(workers=2) as engine:
        assert list(engine.map_unordered(crash_on_boom, iter(()), ("?",))) == []
        assert engine._pool is None  # nothing to do: no processes started


def hang_on_stuck(path: str, suffix: str) -> str:
    if "stuck" in path:
        import time

        time.sleep(3600)  # a C call that never returns looks like this to the pool
    return path.upper() + suffix


def test_local_engine_stops_a_file_that_never_finishes():
    import time

    paths = ["a", "stuck", "b", "c", "d"]
    t = time.monotonic()
    with LocalEngine(workers=2, max_inflight=3, task_timeout_s=3) as engine:
        results = {t.path: r for t, r in engine.map_unordered(hang_on_stuck, (WorkItem(p, p) for p in paths), ("!",))}
    assert set(results) == set(paths)
    failed = results["stuck"]
    assert isinstance(failed, ErrorRecord) and (failed.stage, failed.error) == ("worker", "TimeLimit")
    assert all(results[p] == p.upper() + "!" for p in paths if p != "stuck")
    assert time.monotonic() - t < 30
