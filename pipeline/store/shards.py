"""Parquet shards: extraction on many machines without a writer, then one load into the archive.

    congvan index inbox/ --engine dask --scheduler tcp://… --to-parquet shards/    # workers write shards
    congvan index --from-parquet shards/ --db archive.sqlite                         # one process loads them

Each worker call extracts a chunk of files and writes the archive rows of that chunk (documents, texts,
references, tasks, recipients, and the errors) to ``part-<key>.parquet`` itself, atomically (a temporary
name, then a rename): a part is complete or absent. Only counts travel back to the client, so the client is
no bottleneck however many workers there are. The key is a hash of the chunk's paths, sizes and mtimes, so a
rerun skips every chunk whose part exists and rewrites only chunks whose files changed.

The load goes through the archive's usual writer: a content already in the archive is not stored again (its
file row is), so loading the same folder twice, or resuming a load that was killed, loses and duplicates
nothing. Parts are loaded oldest first, so when a file changed between two runs its newest content wins.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..models import ErrorRecord
from .rows import DOC_COLUMNS, TEXT_COLUMNS, PreparedDoc

SHARD_GLOB = "part-*.parquet"
_INT_COLUMNS = {"year", "pages", "ocr", "size", "n_references", "n_tasks", "n_warnings"}
_CHILDREN = ("references", "tasks", "recipients")


def _schema():
    import pyarrow as pa

    fields = [("path", pa.string()), ("file_size", pa.int64()), ("file_mtime", pa.float64()),
              ("sha256", pa.string()), ("stage", pa.string()), ("error", pa.string()), ("message", pa.string())]
    fields += [(f"doc_{c}", pa.int64() if c in _INT_COLUMNS else pa.string()) for c in DOC_COLUMNS if c != "sha256"]
    fields += [(f"text_{c}", pa.string()) for c in TEXT_COLUMNS]
    fields += [(c, pa.string()) for c in _CHILDREN]  # JSON arrays of row tuples, in the writer's column order
    return pa.schema(fields)


def shard_row(path: str, size: int | None, mtime: float | None, result) -> dict:
    """One file's result as a shard row: a document (``error`` empty) or an error record."""
    row: dict = {"path": path, "file_size": size, "file_mtime": mtime}
    if isinstance(result, PreparedDoc):
        row["sha256"] = result.sha256
        row.update({f"doc_{c}": v for c, v in zip(DOC_COLUMNS, result.doc, strict=True) if c != "sha256"})
        row.update({f"text_{c}": v for c, v in zip(TEXT_COLUMNS, result.text, strict=True)})
        for c in _CHILDREN:
            row[c] = json.dumps(getattr(result, c), ensure_ascii=False, separators=(",", ":"))
    else:  # an ErrorRecord (the worker's, or the engine's when the worker failed)
        row.update(sha256=result.sha256, stage=result.stage, error=result.error, message=result.message)
    return row


def prepared_from_row(row: dict) -> PreparedDoc:
    doc = tuple(row["sha256"] if c == "sha256" else row[f"doc_{c}"] for c in DOC_COLUMNS)
    children = {c: [tuple(r) for r in json.loads(row[c] or "[]")] for c in _CHILDREN}
    return PreparedDoc(sha256=row["sha256"], path=row["path"], doc=doc,
                       text=tuple(row[f"text_{c}"] for c in TEXT_COLUMNS), **children)


# -- writing (on the workers) -----------------------------------------------------------------------------------

def extract_shard(job: tuple[str, list[str]], out_dir: str, options=None) -> dict:
    """Worker side: ``job`` is ``(key, paths)``; extract the paths and write ``out_dir/part-<key>.parquet``;
    returns the counts. Never
    raises for a file (each failure is a row); a part that cannot be written is reported in ``failed``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ..read import sha256_file
    from .work import extract_for_archive

    key, paths = job
    rows = []
    for p in paths:
        try:
            st = os.stat(p)
            size, mtime = st.st_size, st.st_mtime
        except OSError:
            size = mtime = None
        result = extract_for_archive(p, options)
        if not isinstance(result, PreparedDoc) and not getattr(result, "sha256", None):
            try:  # the content's identity, as the local runner records it (a rerun then skips it)
                result.sha256 = sha256_file(p)
            except OSError:
                pass
        rows.append(shard_row(p, size, mtime, result))
    target = Path(out_dir) / f"part-{key}.parquet"
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        pq.write_table(pa.Table.from_pylist(rows, schema=_schema()), tmp, compression="zstd")
        os.replace(tmp, target)
    except Exception as exc:  # noqa: BLE001 - a full or unwritable shard folder: the chunk is retried next run
        tmp.unlink(missing_ok=True)
        return {"documents": 0, "errors": 0, "failed": f"{type(exc).__name__}: {exc}"[:300]}
    errors = sum(1 for r in rows if r.get("error"))
    return {"documents": len(rows) - errors, "errors": errors, "failed": None}


@dataclass
class ShardReport:
    out_dir: str
    files: int = 0
    parts_written: int = 0
    parts_skipped: int = 0  # already written by an earlier run
    documents: int = 0
    errors: int = 0
    failed_parts: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    engine: str = ""


def chunk_key(entries: list[tuple[str, int, int]]) -> str:
    h = hashlib.sha256()
    for path, size, mtime_ns in entries:
        h.update(f"{path}\0{size}\0{mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()[:24]


def write_shards(paths: list[str | os.PathLike], out_dir: str | os.PathLike, engine, options=None,
                 chunk: int = 16) -> ShardReport:
    """Extract ``paths`` on ``engine`` into Parquet parts of ``chunk`` files under ``out_dir`` (the workers
    must see the files and ``out_dir``: the same machine, or a shared file system)."""
    from ..run.engines import WorkItem
    from .runner import iter_files

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = ShardReport(out_dir=str(out), engine=engine.describe())
    if hasattr(engine, "ship_files"):
        engine.ship_files = False  # a part is written where the worker runs: it reads the files there too
    started = time.monotonic()

    def tasks() -> Iterator[WorkItem]:
        group: list[tuple[str, int, int]] = []

        def make() -> WorkItem | None:
            key = chunk_key(group)
            if (out / f"part-{key}.parquet").exists():
                report.parts_skipped += 1
                return None
            return WorkItem(key=key, path=(key, [p for p, _, _ in group]))  # type: ignore[arg-type]

        for p in iter_files(paths):
            try:
                st = os.stat(p)
            except OSError:
                st = None
            if st is not None and not stat.S_ISREG(st.st_mode):
                continue
            report.files += 1
            group.append((p, st.st_size if st else -1, st.st_mtime_ns if st else -1))
            if len(group) >= chunk:
                t = make()
                group = []
                if t is not None:
                    yield t
        if group and (t := make()) is not None:
            yield t

    with engine:
        for task, result in engine.map_unordered(extract_shard, tasks(), (str(out.resolve()), options)):
            if isinstance(result, dict) and not result.get("failed"):
                report.parts_written += 1
                report.documents += result["documents"]
                report.errors += result["errors"]
            else:
                reason = result.get("failed") if isinstance(result, dict) else getattr(result, "message", result)
                report.failed_parts.append(f"part-{task.key}: {reason}")
    report.elapsed = time.monotonic() - started
    return report


# -- loading (one process, the archive's writer) ----------------------------------------------------------------

def iter_shard_rows(shard_dir: str | os.PathLike) -> Iterator[dict]:
    """Every row of every part, oldest part first (a changed file's newest content is met last)."""
    import pyarrow.parquet as pq

    parts = sorted(Path(shard_dir).glob(SHARD_GLOB), key=lambda p: (p.stat().st_mtime_ns, p.name))
    for part in parts:
        pf = pq.ParquetFile(part)
        for batch in pf.iter_batches(batch_size=256):
            yield from batch.to_pylist()


def load_shards(db: str | os.PathLike, shard_dir: str | os.PathLike, options=None, progress=None):
    """Load Parquet parts into the archive ``db``; returns an :class:`~pipeline.store.runner.IndexReport`."""
    from .db import ArchiveError, IndexLock, check_location, explain, open_db
    from .runner import IndexOptions, IndexReport, Progress
    from .writer import FileSeen, Writer, finish_run, start_run

    options = options or IndexOptions()
    progress = progress or Progress()
    shard_dir = Path(shard_dir)
    if not shard_dir.is_dir():
        raise ArchiveError(db, f"--from-parquet: {shard_dir} is not a folder")
    if not any(shard_dir.glob(SHARD_GLOB)):
        raise ArchiveError(db, f"--from-parquet: no {SHARD_GLOB} in {shard_dir}")
    db = str(db)
    check_location(db)
    lock = IndexLock(db, wait=options.wait).acquire()
    try:
        conn = open_db(db, busy_timeout=options.busy_timeout)
        try:
            report = IndexReport(db=db, engine=f"parquet ({shard_dir})")
            run_id = start_run(conn, db, engine="parquet", workers=0, paths=[str(shard_dir.resolve())])
            report.run_id = run_id
            writer = Writer(conn, db, run_id, batch_size=options.batch_size, commit_seconds=options.commit_seconds,
                            background=options.background_writer)
            started = time.monotonic()
            status, message = "done", None
            progress.start(0, report.engine)
            try:
                for row in iter_shard_rows(shard_dir):
                    report.files_seen += 1
                    seen = FileSeen(row["path"], row["sha256"], row["file_size"], row["file_mtime"])
                    if row.get("error") and row["sha256"] and writer.known_error(row["path"], row["sha256"]):
                        report.known_errors += 1  # loaded before: the error row is there already
                    elif row.get("error"):
                        err = ErrorRecord(path=row["path"], stage=row["stage"] or "worker", error=row["error"],
                                          message=row["message"] or "", sha256=row["sha256"])
                        writer.add_error(err)
                        report.failed += 1
                        progress.error(err)
                    else:
                        stored_by = writer.document_run(row["sha256"])
                        if stored_by is False:
                            writer.add_document(prepared_from_row(row), [seen])
                            report.indexed += 1
                        else:
                            writer.add_seen(seen)
                            if stored_by == run_id:
                                report.duplicates += 1
                            else:
                                report.unchanged += 1
                    progress.advance(report)
                writer.flush()
            except KeyboardInterrupt:
                status, message = "interrupted", "interrupted by the user (Ctrl-C / SIGTERM)"
                try:
                    writer.flush()
                except ArchiveError:
                    pass
                raise
            except ArchiveError as exc:
                status, message = "failed", exc.message
                writer.discard()
                raise
            except Exception as exc:  # a damaged part: pyarrow's error, one line
                status, message = "failed", f"{type(exc).__name__}: {exc}"
                writer.discard()
                if type(exc).__module__ == "sqlite3":
                    raise explain(db, exc) from None
                raise ArchiveError(db, f"--from-parquet: cannot read the parts ({type(exc).__name__}: "
                                       f"{str(exc)[:200]})") from None
            finally:
                writer.close()
                report.elapsed = time.monotonic() - started
                report.status = status
                try:
                    finish_run(conn, db, run_id, status, report.counts(), message)
                except ArchiveError:
                    pass
            return report
        finally:
            conn.close()
    finally:
        lock.release()
