"""Several files per worker call, so the pool's fixed cost per call is paid once per chunk.

A call through a process pool costs the parent a fixed ~0.3–0.4 ms (a future, a work item, two pickled
messages, three threads woken) whatever the file. For text files, which a worker extracts in a few
milliseconds, that fixed cost is what caps the main process, so they travel in chunks of ``size``; files
whose reading dominates (PDF, Word, images: OCR, conversions) go alone, so a slow or hostile one never holds
others back or stretches the watchdog.

Failures stay per file: when a chunk's call fails as a whole (its worker died, or the watchdog stopped it),
its files are run again one per call, where the engine pins the crash or the time limit on the one file that
causes it and the others are indexed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .engines import Engine, LocalEngine, WorkItem

CHUNK_SUFFIXES = frozenset({".txt", ".text", ".md", ".html", ".htm", ".xhtml"})  # reading costs nothing
DEFAULT_CHUNK = 16
MAX_CHUNK_BYTES = 1 << 20  # a chunk of text files larger than this is unusual: keep it alone


def chunkable(task: WorkItem) -> bool:
    return task.data is None and os.path.splitext(task.path)[1].lower() in CHUNK_SUFFIXES


def run_chunk(paths: list[str], fn: Callable[..., Any], *args: Any) -> list[Any]:
    """Worker side: ``fn`` on each path in turn (``fn`` never raises: it returns results or error records)."""
    return [fn(p, *args) for p in paths]


def map_chunked(engine: Engine, fn: Callable[..., Any], tasks: Iterable[WorkItem], args: tuple = (),
                size: int = DEFAULT_CHUNK) -> Iterator[tuple[WorkItem, Any]]:
    """``engine.map_unordered(fn, tasks, args)`` with chunkable tasks sent ``size`` at a time; yields one
    ``(task, result)`` per task, in completion order. Only the local pool gains from it: other engines (and
    ``size`` ≤ 1) get the tasks one by one."""
    if not isinstance(engine, LocalEngine) or engine.workers == 0 or size <= 1:
        yield from engine.map_unordered(fn, tasks, args)
        return
    retry: list[WorkItem] = []
    limit = engine.task_timeout_s
    if limit is not None:  # a chunk may take ``size`` files' time before the watchdog judges it stuck
        engine.task_timeout_s = limit * size
    try:
        members: dict[str, list[WorkItem]] = {}
        for carrier, result in engine.map_unordered(_call_chunk, _chunks(tasks, size, members), (fn, *args)):
            group = members.pop(carrier.key, None)
            if group is None:  # a single task that travelled alone
                yield carrier, result
            elif isinstance(result, list) and len(result) == len(group):
                yield from zip(group, result, strict=True)
            else:  # the whole call failed: run its files one by one
                retry.extend(group)
    finally:
        engine.task_timeout_s = limit
    if retry:
        yield from engine.map_unordered(fn, retry, args)


def _call_chunk(path: str | list[str], fn: Callable[..., Any], *args: Any) -> Any:
    if isinstance(path, list):
        return run_chunk(path, fn, *args)
    return fn(path, *args)


def _chunks(tasks: Iterable[WorkItem], size: int, members: dict[str, list[WorkItem]]) -> Iterator[WorkItem]:
    """Tasks for the engine: chunkable tasks grouped under a carrier task (its ``path`` is the list of
    paths, its key names the group in ``members``); other tasks unchanged."""
    group: list[WorkItem] = []
    nbytes = 0
    serial = 0

    def carrier() -> WorkItem:
        nonlocal serial
        serial += 1
        key = f"chunk:{serial}"
        members[key] = list(group)
        return WorkItem(key=key, path=[t.path for t in group])  # type: ignore[arg-type]

    for t in tasks:
        if not chunkable(t):
            yield t
            continue
        group.append(t)
        try:
            nbytes += os.path.getsize(t.path)
        except OSError:
            pass
        if len(group) >= size or nbytes >= MAX_CHUNK_BYTES:
            yield carrier()
            group, nbytes = [], 0
    if group:
        yield carrier()

