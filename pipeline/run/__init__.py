"""Running the pipeline over many files: execution engines (a local process pool or a Dask cluster), chunked
pool calls, and parallel extraction. Knows the readers and the extractor, not the archive (store/ builds on it).

    from pipeline.run import extract_records
    for k, record in extract_records(paths, jobs=2):   # (index in paths, Dispatch or ErrorRecord)
        ...
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from ..extract import extract_one
from ..models import Dispatch, ErrorRecord
from .chunks import map_chunked
from .engines import DaskEngine, Engine, LocalEngine, WorkItem, make_engine

__all__ = ["Engine", "LocalEngine", "DaskEngine", "make_engine", "WorkItem", "map_chunked",
           "extract_records"]


def extract_records(paths: list[str | os.PathLike], options=None, *, jobs: int = -1,
                    time_limit_s: float | None = None) -> Iterator[tuple[int, Dispatch | ErrorRecord]]:
    """``(index in paths, record)`` for every path, in the order they finish. With ``jobs`` > 0 (or -1: one per
    core, at most 8, when there are several paths) files go to worker processes: a file that crashes its worker (a
    segfault in a PDF library) or runs past ``time_limit_s`` without returning becomes an ErrorRecord and the
    others go on; 0 extracts in this process."""

    paths = [os.fspath(p) for p in paths]
    if jobs < 0:  # auto: a pool only pays for itself with several files; 8 workers bound the memory (~170 MB each)
        jobs = 0 if len(paths) <= 1 else min(os.cpu_count() or 1, len(paths), 8)
    if jobs == 0:
        for k, p in enumerate(paths):
            yield k, extract_one(p, options)
        return
    tasks = (WorkItem(key=str(k), path=p) for k, p in enumerate(paths))
    with LocalEngine(workers=jobs, task_timeout_s=time_limit_s) as engine:
        for task, result in engine.map_unordered(extract_one, tasks, (options,)):
            yield int(task.key), result  # a worker failure is already the file's ErrorRecord (stage "worker")
