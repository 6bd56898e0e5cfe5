"""Execution engines for the index runner (datatrove style: the runner does not know which one it has).

An engine maps a function over a stream of tasks and yields ``(task, result)`` in completion order, pulling
new tasks from the stream only when it has room (``max_inflight``), so memory stays flat however many files
there are. A result is whatever the function returned, or, when the worker itself failed (crash, time limit), the
file's :class:`~pipeline.models.ErrorRecord` at stage ``worker`` (:func:`pipeline.errors.worker_failure`).

- :class:`LocalEngine`  a pool of worker processes on this machine (``workers=0``: run in this process)
- :class:`DaskEngine`   a Dask distributed cluster (an address, or a LocalCluster it starts and stops)
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from ..errors import TIME_LIMIT, WORKER_CRASHED, worker_failure
from ..models import ErrorRecord
from ..paths import path_text

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(sig: int = 9) -> bool:
    """Linux: have the kernel send ``sig`` (default SIGKILL) to this process when its parent exits, via
    ``prctl(PR_SET_PDEATHSIG)``. The local engine's forkserver sets it against the main process and every worker
    against the forkserver, so ``kill -9`` of the main process alone takes the whole tree down instead of leaving
    ~500 MB of idle workers behind for good. Returns False where unsupported (other systems: no-op)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        parent = os.getppid()
        if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if os.getppid() != parent:  # the parent died before the request took effect: nobody is left to serve
        os._exit(1)
    return True


@dataclass
class WorkItem:
    key: str  # the content hash: one task per distinct content
    path: str
    data: bytes | None = None  # the file's bytes, when workers cannot see the file system


def _failed(task: WorkItem, error: str, message: str) -> ErrorRecord:
    """A task whose worker failed: its file's ErrorRecord (a chunk's carrier task has a list of paths; the chunk
    runner retries those files one by one, so its record is never shown)."""
    return worker_failure(path_text(task.path) if isinstance(task.path, str) else "", error, message)


class Engine:
    name = "engine"
    workers = 1

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        pass

    def describe(self) -> str:
        return self.name

    def map_unordered(self, fn: Callable[..., Any], tasks: Iterable[WorkItem], args: tuple = ()
                      ) -> Iterator[tuple[WorkItem, Any]]:
        raise NotImplementedError


class LocalEngine(Engine):
    """Worker processes on this machine. A worker that dies (segfault in a PDF library, out of memory) breaks
    the pool: the pool is rebuilt and the files that were in flight are retried one at a time, so the file
    that kills a worker is named in the errors table and the others are indexed.

    ``task_timeout_s`` is the watchdog for work that never returns (a C library looping on a crafted file,
    where no Python-level time limit can interrupt it): when no file finishes for that long, the workers are
    killed and the files in flight are retried one at a time; one that again runs past the limit gets a
    ``TimeLimit`` failure and the batch goes on."""

    name = "local"

    max_tasks_per_child = 2000

    def __init__(self, workers: int | None = None, max_inflight: int | None = None,
                 task_timeout_s: float | None = None):
        self.workers = (os.cpu_count() or 1) if workers is None else max(0, workers)
        self.max_inflight = max_inflight or max(2, self.workers * 3)
        self.task_timeout_s = task_timeout_s
        self._pool: ProcessPoolExecutor | None = None
        self._preload: list[str] = []

    def describe(self) -> str:
        return f"local ({self.workers} worker process{'es' if self.workers != 1 else ''})" if self.workers \
            else "local (in-process)"

    def _new_pool(self) -> ProcessPoolExecutor:
        method = "forkserver" if sys.platform.startswith("linux") else "spawn"
        ctx = mp.get_context(method)
        if method == "forkserver":
            ctx.set_forkserver_preload(["pipeline.run.preload", *self._preload])

        # Workers are replaced every few thousand files: spaCy's string store grows with every new token it
        # meets (numbers, names), so a long-lived worker would creep; a fresh fork of the forkserver (which
        # holds the built pipeline) costs milliseconds.
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx, initializer=warm_up,
                                   max_tasks_per_child=self.max_tasks_per_child)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _kill_pool(self) -> None:
        """Stop every worker now (a hung C call ignores everything but SIGKILL) and start a fresh pool."""
        pool = self._pool
        procs = list(getattr(pool, "_processes", {}).values()) if pool is not None else []
        for proc in procs:
            try:
                proc.kill()
            except (OSError, AttributeError):
                pass
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        for proc in procs:
            proc.join(timeout=5)
        self._pool = self._new_pool()

    def map_unordered(self, fn, tasks, args=()):
        if self.workers == 0:
            for t in tasks:
                yield t, fn(t.path, *args, t.data) if t.data is not None else fn(t.path, *args)
            return
        source = iter(tasks)
        try:
            first = next(source)
        except StopIteration:  # nothing to extract (a rerun): no pool to start
            return
        source = itertools.chain([first], source)
        if self._pool is None:
            if fn.__module__ not in self._preload and fn.__module__.startswith("pipeline."):
                self._preload.append(fn.__module__)  # the forkserver imports the worker's module once
            self._pool = self._new_pool()
        inflight: dict[Future, WorkItem] = {}
        suspects: deque[WorkItem] = deque()  # in flight when a worker died: retried one at a time
        isolating = False
        exhausted = False

        def submit(t: WorkItem) -> None:
            call = (t.path, *args, t.data) if t.data is not None else (t.path, *args)
            inflight[self._pool.submit(fn, *call)] = t

        while True:
            if isolating:
                if not suspects and not inflight:
                    isolating = False
                elif not inflight:
                    submit(suspects.popleft())
            if not isolating:
                while not exhausted and len(inflight) < self.max_inflight:
                    try:
                        submit(next(source))
                    except StopIteration:
                        exhausted = True
            if not inflight:
                if exhausted and not suspects:
                    return
                continue
            done, _ = wait(list(inflight), timeout=self.task_timeout_s, return_when=FIRST_COMPLETED)
            if not done:  # nothing finished within the limit: some worker is stuck
                if isolating:
                    (task,) = inflight.values()
                    yield task, _failed(task, TIME_LIMIT, f"no result after {self.task_timeout_s:g} s; the "
                                                          "extraction process was stopped")
                else:
                    suspects.extend(inflight.values())
                    isolating = True
                inflight.clear()
                self._kill_pool()
                continue
            broken = False
            for fut in done:
                task = inflight.pop(fut)
                try:
                    result = fut.result()
                except BrokenProcessPool:
                    broken = True
                    if isolating:  # alone in the pool: this file kills the worker
                        yield task, _failed(task, WORKER_CRASHED, "the extraction process died on this file "
                                                                  "(crash or out of memory)")
                    else:
                        suspects.append(task)
                    continue
                except Exception as exc:  # e.g. a result that cannot be pickled
                    yield task, _failed(task, type(exc).__name__, str(exc) or repr(exc))
                    continue
                yield task, result
            if broken:
                suspects.extend(inflight.values())  # lost with the pool
                inflight.clear()
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
                isolating = True


class DaskEngine(Engine):
    """Extraction on a Dask distributed cluster; results come back to this process's single writer.

    ``scheduler`` is the address of a running scheduler (``tcp://host:8786``); without it a LocalCluster
    with ``workers`` workers is started here. Workers need congvan installed; with ``ship_files`` the
    files' bytes travel with the tasks, so workers need not see this machine's disk.
    """

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None, processes: bool = True,
                 max_inflight: int | None = None, ship_files: bool | None = None):
        self.scheduler = scheduler
        self.workers = workers or os.cpu_count() or 1
        self.processes = processes
        self._max_inflight = max_inflight
        self.ship_files = bool(scheduler) if ship_files is None else ship_files
        self._cluster = None
        self._client = None

    def __enter__(self) -> DaskEngine:
        self.start()
        return self

    def start(self) -> None:
        if self._client is not None:
            return
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise RuntimeError("the dask engine needs `pip install 'congvan[dask]'`") from None
        if self.scheduler:
            try:
                self._client = Client(self.scheduler)  # timeout: distributed.comm.timeouts.connect
            except Exception as exc:  # OSError / TimeoutError from distributed
                raise RuntimeError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}") from None
        else:
            self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=self.processes,
                                         dashboard_address=None, silence_logs=40)
            self._client = Client(self._cluster)
        n = len(self._client.scheduler_info().get("workers", {})) or self.workers
        self.workers = n
        self.max_inflight = self._max_inflight or max(4, n * 4)

    def describe(self) -> str:
        where = self.scheduler or f"LocalCluster, {'processes' if self.processes else 'threads'}"
        return f"dask ({self.workers} worker{'s' if self.workers != 1 else ''}, {where})"

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def map_unordered(self, fn, tasks, args=()):
        from distributed import as_completed

        self.start()
        client = self._client
        source = iter(tasks)
        inflight: dict[str, WorkItem] = {}
        ac = as_completed()

        def submit() -> bool:
            try:
                t = next(source)
            except StopIteration:
                return False
            if self.ship_files and t.data is None:
                with open(t.path, "rb") as fh:
                    t.data = fh.read()
            call = (t.path, *args, t.data) if t.data is not None else (t.path, *args)
            fut = client.submit(fn, *call, pure=False)
            t.data = None  # the bytes now live in the task graph, not here
            inflight[fut.key] = t
            ac.add(fut)
            return True

        exhausted = False
        while not exhausted and len(inflight) < self.max_inflight:
            exhausted = not submit()
        for fut in ac:
            task = inflight.pop(fut.key)
            try:
                result = fut.result()
            except Exception as exc:  # KilledWorker, a worker that lost the file, ...
                result = _failed(task, type(exc).__name__, str(exc) or "the Dask worker failed")
            fut.release()
            yield task, result
            while not exhausted and len(inflight) < self.max_inflight:
                exhausted = not submit()


def make_engine(name: str = "local", workers: int | None = None, scheduler: str | None = None,
                **kwargs: Any) -> Engine:
    if name == "local":
        if scheduler:
            raise ValueError("--scheduler only applies to --engine dask")
        return LocalEngine(workers, max_inflight=kwargs.get("max_inflight"))
    if name == "dask":
        return DaskEngine(scheduler=scheduler, workers=workers, processes=kwargs.get("processes", True),
                          max_inflight=kwargs.get("max_inflight"), ship_files=kwargs.get("ship_files"))
    raise ValueError(f"unknown engine {name!r} (choose local or dask)")


def warm_up() -> None:
    """Worker start-up: ignore Ctrl-C (the parent decides when to stop and lets running files finish), die with
    the parent process, and build the spaCy pipeline once before the first file."""
    import signal

    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread (e.g. a threaded Dask worker)
        pass
    else:
        die_with_parent()  # a worker whose forkserver (so whose main process) is gone exits instead of idling
    from ..extract import get_nlp

    get_nlp()
