"""The index runner: walk → hash → skip what is known → extract on an engine → one writer commits in batches.

    files ──walk──▶ sha256 ──known?──▶ engine: extract_for_archive, text files in chunks ──▶ Writer (batched, WAL)
                            └─ yes: file row only

Identity is the content hash, taken before anything is extracted: a rerun skips every file whose content is
already in the archive (whatever its path), the same content under two paths is extracted and stored once, a
changed file at a known path gets a new document and its file row moves to it. The engine (local processes or
Dask) is chosen by the caller; nothing else changes between engines.
"""

from __future__ import annotations

import os
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import classify, worker_failure
from ..models import ErrorRecord
from ..paths import path_from_text, path_text
from ..read.errors import Unreadable
from ..run.chunks import DEFAULT_CHUNK, map_chunked
from ..run.engines import Engine, LocalEngine, WorkItem
from .db import ArchiveError, IndexLock, check_location, explain, open_db
from .rows import PreparedDoc
from .work import extract_for_archive
from .writer import FileSeen, Writer, finish_run, start_run


@dataclass
class IndexOptions:
    read_options: object | None = None  # pipeline.read.ReadOptions
    batch_size: int = 1000  # documents per transaction (one executemany per table)
    chunk_size: int = DEFAULT_CHUNK  # text files per worker call (see chunks.py)
    background_writer: bool = True  # commit each batch on a thread while the next one is prepared
    commit_seconds: float = 2.0  # commit at least this often, so progress survives a crash
    retry_errors: bool = False  # retry files that failed before with the same content
    wait: float = 0.0  # seconds to wait for another index run to finish
    busy_timeout: float = 10.0
    force: bool = False  # write into an SQLite file that is not (yet) a congvan archive


@dataclass
class IndexReport:
    db: str
    run_id: int | None = None
    status: str = "running"
    files_seen: int = 0
    indexed: int = 0  # new documents written
    unchanged: int = 0  # files whose content was already in the archive
    duplicates: int = 0  # files with the same content as another file of this run
    failed: int = 0  # files that failed in this run
    known_errors: int = 0  # files skipped because they failed before with the same content
    missing: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    engine: str = ""
    writer_cpu: float = 0.0  # CPU seconds of the background writer thread (included in the process's CPU)

    @property
    def docs_per_second(self) -> float:
        return self.indexed / self.elapsed if self.elapsed > 0 else 0.0

    def counts(self) -> dict[str, int]:
        return {"files_seen": self.files_seen, "indexed": self.indexed, "unchanged": self.unchanged + self.duplicates,
                "failed": self.failed, "known_errors": self.known_errors}

    @property
    def exit_code(self) -> int:
        return 1 if (self.failed or self.known_errors or self.missing) else 0


class Progress:
    """Callbacks the runner makes; the CLI draws a bar from them. All no-ops by default."""

    wants_total = False  # True: the runner walks the paths once more to count the files before it starts

    def start(self, total: int, engine: str) -> None: ...

    def advance(self, report: IndexReport, files: int = 1) -> None: ...

    def error(self, error: ErrorRecord) -> None: ...


# -- walking -------------------------------------------------------------------------------------------------

def iter_files(paths: Iterable[str | os.PathLike], missing: list[str] | None = None) -> Iterator[str]:
    """Absolute paths of the files to index, streamed (the readers' walker: pipeline.read.files)."""
    from ..read.files import iter_files as walk

    return walk(paths, missing, absolute=True)


def count_files(paths: Iterable[str | os.PathLike]) -> int:
    return sum(1 for _ in iter_files(paths))


def error_paths(conn) -> list[str]:
    """The native paths (ready to open) of the files in the errors table."""
    return [path_from_text(r[0]) for r in conn.execute("SELECT path FROM errors ORDER BY path")]


# -- the run -------------------------------------------------------------------------------------------------

def index(db: str | os.PathLike, paths: list[str | os.PathLike], engine: Engine | None = None,
          options: IndexOptions | None = None, progress: Progress | None = None) -> IndexReport:
    """Index ``paths`` into the archive ``db``. Raises :class:`ArchiveError` (one line) when the archive cannot
    be used; file failures are recorded in the ``errors`` table and counted, never raised."""
    options = options or IndexOptions()
    progress = progress or Progress()
    engine = engine or LocalEngine()
    if isinstance(engine, LocalEngine) and engine.task_timeout_s is None:
        # the readers bound OCR and conversions by timeout_s; past that plus a margin a worker is stuck
        limit = getattr(options.read_options, "timeout_s", None) or 120.0
        engine.task_timeout_s = limit + 60.0
    db = str(db)
    check_location(db)
    lock = IndexLock(db, wait=options.wait).acquire()
    try:
        conn = open_db(db, busy_timeout=options.busy_timeout, force=options.force)
        try:
            return _run(conn, db, [str(p) for p in paths], engine, options, progress)
        finally:
            conn.close()
    finally:
        lock.release()


def _run(conn, db: str, paths: list[str], engine: Engine, options: IndexOptions, progress: Progress
         ) -> IndexReport:
    from ..read import sha256_file

    report = IndexReport(db=db, engine=engine.describe())
    walk_paths: list[str] = list(paths)
    retry_only = options.retry_errors and not paths
    if retry_only:  # every file in the errors table, whether or not it still exists
        walk_paths = error_paths(conn)
        total = len(walk_paths)
    else:
        total = count_files(walk_paths) if getattr(progress, "wants_total", True) else 0
    run_id = start_run(conn, db, engine=engine.name, workers=engine.workers,
                       paths=[path_text(os.path.abspath(p)) for p in walk_paths][:1000])
    report.run_id = run_id
    writer = Writer(conn, db, run_id, batch_size=options.batch_size, commit_seconds=options.commit_seconds,
                    background=options.background_writer)
    groups: dict[str, list[FileSeen]] = {}  # content hash → files waiting for its extraction (bounded)
    started = time.monotonic()

    def unreadable(path: str, reason: str) -> None:
        """A file the walk cannot even hash: the read stage's ``Unreadable``, recorded like any other failure."""
        name = path_text(path)  # the stored text form of the path (pipeline.paths)
        record(classify(Unreadable(name, reason), "read", name))

    def record(row: ErrorRecord) -> None:
        row.message = row.message.encode("utf-8", "backslashreplace").decode("utf-8")  # a name quoted in a message
        writer.add_error(row)
        report.failed += 1
        progress.error(row)

    def tasks() -> Iterator[WorkItem]:
        for path in (iter(walk_paths) if retry_only else iter_files(walk_paths, report.missing)):
            report.files_seen += 1
            try:
                st = os.stat(path)
                if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block the hash forever
                    unreadable(path, "not a regular file")
                    progress.advance(report)
                    continue
                sha = sha256_file(path)
            except OSError as exc:
                reason = "permission denied" if isinstance(exc, PermissionError) else \
                    "file not found (deleted or moved?)" if isinstance(exc, FileNotFoundError) else \
                    f"cannot read file: {exc.strerror or exc}"
                unreadable(path, reason)
                progress.advance(report)
                continue
            # the archive stores the lossless UTF-8 text form of the name (pipeline.paths): a name with bytes
            # that are not UTF-8 is indexed like any other instead of failing the whole batch
            seen = FileSeen(path=path_text(path), sha256=sha, size=st.st_size, mtime=st.st_mtime)
            if sha in groups:  # same content as a file already on its way
                groups[sha].append(seen)
                continue
            stored_by = writer.document_run(sha)
            if stored_by is not False:
                writer.add_seen(seen)
                if stored_by == run_id:  # a second path to content first met in this run
                    report.duplicates += 1
                else:
                    report.unchanged += 1
                progress.advance(report)
                continue
            if not options.retry_errors and writer.known_error(seen.path, sha):
                report.known_errors += 1
                progress.advance(report)
                continue
            groups[sha] = [seen]
            yield WorkItem(key=sha, path=path)

    def handle(task: WorkItem, result) -> None:
        files = groups.pop(task.key)
        if isinstance(result, PreparedDoc):
            if result.sha256 != task.key:  # the file changed between hashing and reading
                files = _regroup(result.sha256, files, sha256_file)
            writer.add_document(result, files)
            report.indexed += 1
            report.duplicates += len(files) - 1
        elif isinstance(result, ErrorRecord):  # the worker's record, or the engine's (stage "worker")
            for f in files:
                record(replace(result, path=f.path, sha256=result.sha256 or task.key))
        else:
            for f in files:
                record(worker_failure(f.path, "BadResult", f"unexpected worker result {type(result)}", task.key))
        progress.advance(report, len(files))

    progress.start(total, engine.describe())
    status = "done"
    message = None
    previous_term = _raise_on_sigterm()
    try:
        with engine:
            for task, result in map_chunked(engine, extract_for_archive, tasks(), (options.read_options,),
                                            options.chunk_size):
                handle(task, result)
                report.elapsed = time.monotonic() - started
        writer.flush()
    except KeyboardInterrupt:
        status, message = "interrupted", "interrupted by the user (Ctrl-C / SIGTERM)"
        _flush_quietly(writer)
        raise
    except ArchiveError as exc:
        status, message = "failed", exc.message
        writer.discard()
        raise
    except BaseException as exc:
        status, message = "failed", f"{type(exc).__name__}: {exc}"
        writer.discard()
        if isinstance(exc, OSError) or type(exc).__module__ == "sqlite3":
            raise explain(db, exc) from None
        raise
    finally:
        writer.close()  # the batch in flight, if any, ends before the run row is written
        report.writer_cpu = writer.writer_cpu
        _restore_sigterm(previous_term)
        report.elapsed = time.monotonic() - started
        report.status = status
        try:
            finish_run(conn, db, run_id, status, report.counts(), message)
        except ArchiveError:
            pass
    return report


def _regroup(sha: str, files: list[FileSeen], hasher: Callable[[str], str]) -> list[FileSeen]:
    """The first file was extracted with new content ``sha``; keep the other paths only if they match it too
    (the rest are picked up by the next run)."""
    first = files[0]
    try:
        st = os.stat(path_from_text(first.path))
        out = [FileSeen(first.path, sha, st.st_size, st.st_mtime)]
    except OSError:
        out = [FileSeen(first.path, sha, first.size, first.mtime)]
    for f in files[1:]:
        try:
            if hasher(path_from_text(f.path)) == sha:
                out.append(FileSeen(f.path, sha, f.size, f.mtime))
        except OSError:
            pass
    return out


def _flush_quietly(writer: Writer) -> None:
    try:
        writer.flush()  # completed units only: safe to keep
    except (ArchiveError, KeyboardInterrupt):
        pass


def _raise_on_sigterm():
    """SIGTERM behaves like Ctrl-C: finished work is committed, the run is marked interrupted."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum, frame):
        raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:
        return None


def _restore_sigterm(previous) -> None:
    if previous is not None and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, previous)


def resolve(paths: list[Path]) -> list[str]:
    return [os.path.abspath(p) for p in paths]
