"""`congvan index | search | stats | errors | export`: the SQLite archive (library: pipeline.store).

Exit codes: 0 ok, 1 some files failed (index), 2 usage error or an archive that cannot be used, 130
interrupted. Every failure is one line on stderr naming the file or the database; never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import typer

from ..outputs import terminal_safe
from ..paths import display, escape_controls
from . import app
from .common import MAX_ROWS, console, err_console, fail, guard, say

LIST_FORMATS = ("table", "json", "jsonl", "csv")
DB_OPTION = typer.Option(Path("archive.sqlite"), "--db", envvar="CONGVAN_DB",
                         help="The archive database (env CONGVAN_DB).")


_fail = fail  # one error line, then the documented exit code


def _user_errors():
    from ..store import QueryError

    # RuntimeError: engine set-up (Dask not installed, scheduler unreachable), pyarrow missing
    return ((QueryError, 2), (RuntimeError, 2))


_guard = guard("congvan", _user_errors,
               "{db}: interrupted; finished documents are saved, rerun the same command to resume")


def _choose_format(fmt: str | None, as_json: bool = False) -> str:
    if as_json:
        return "json"
    if fmt is None:
        return "table" if sys.stdout.isatty() else "json"
    if fmt not in LIST_FORMATS:
        raise _fail(f"unknown --format {fmt!r} (choose from {', '.join(LIST_FORMATS)})")
    return fmt


def _emit(rows: list[dict[str, Any]], fmt: str, table_fn, columns: list[str] | None = None) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "jsonl":
        sys.stdout.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    elif fmt == "csv":
        from ..outputs import csv_text

        sys.stdout.write(csv_text(rows, columns or (list(rows[0]) if rows else [])))
    else:
        table_fn(rows)
    sys.stdout.flush()


def _read_db(db: Path):
    from ..store import open_db

    return open_db(db, readonly=True)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


# -- index ---------------------------------------------------------------------------------------------------

class _BarProgress:
    """rich progress bar: files done/total, docs/s, ETA, errors; failed files printed above the bar."""

    def __init__(self, show: bool, quiet: bool):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.quiet = quiet
        self.wants_total = show  # the total only draws the bar: no second walk without one
        self.bar = Progress(TextColumn("[bold]index"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
                            TextColumn("{task.fields[rate]:>6.1f} docs/s"), TimeRemainingColumn(),
                            TextColumn("{task.fields[errors]} errors"), console=err_console, disable=not show,
                            transient=False)
        self.task = None
        self.started = time.monotonic()
        self.done = 0

    def __enter__(self):
        self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        self.bar.__exit__(*exc)

    def start(self, total: int, engine: str) -> None:
        self.started = time.monotonic()
        self.task = self.bar.add_task("index", total=total, rate=0.0, errors=0)

    def advance(self, report, files: int = 1) -> None:
        self.done += files
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.bar.update(self.task, advance=files, rate=report.indexed / elapsed, errors=report.failed)

    def error(self, row) -> None:
        if not self.quiet:
            self.bar.console.print(escape_controls(f"{row.path}: {row.error}: {row.message}"), markup=False,
                                   highlight=False, soft_wrap=True)


@app.command()
@_guard
def index(
    paths: list[Path] = typer.Argument(None, help="Files or folders (searched recursively)."),
    db: Path = DB_OPTION,
    workers: int = typer.Option(os.cpu_count() or 1, "--workers", "-w", min=0,
                                help="Extraction processes (local engine; 0 = in this process) or LocalCluster "
                                     "workers (dask engine without --scheduler)."),
    engine: str = typer.Option("local", "--engine", help="local (worker processes) or dask."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."),
    ship_files: bool = typer.Option(None, "--ship-files/--no-ship-files",
                                    help="Send file contents to Dask workers (default: on with --scheduler)."),
    retry_errors: bool = typer.Option(False, "--retry-errors",
                                      help="Retry files that failed before (all of them when no PATHS are given)."),
    wait: float = typer.Option(0.0, "--wait", min=0, help="Seconds to wait for another index run on this archive."),
    batch_size: int = typer.Option(1000, "--batch-size", min=1, help="Documents per transaction."),
    out_parquet: Path | None = typer.Option(None, "--out-parquet",
                                            help="Also write the archive as Parquet (partitioned by year) here."),
    to_parquet: Path | None = typer.Option(None, "--to-parquet",
                                           help="Write no archive: the workers write Parquet shards of the rows "
                                                "here (load them with --from-parquet)."),
    from_parquet: Path | None = typer.Option(None, "--from-parquet",
                                             help="Load the Parquet shards of --to-parquet from this folder into "
                                                  "the archive (no PATHS)."),
    max_mb: float = typer.Option(60.0, "--max-mb", help="Refuse files larger than this many megabytes."),
    max_pages: int = typer.Option(500, "--max-pages", help="Refuse PDFs with more pages than this."),
    timeout: float = typer.Option(120.0, "--timeout", help="Per-file limit in seconds for OCR and conversions."),
    no_ocr: bool = typer.Option(False, "--no-ocr", help="Do not OCR scanned pages."),
    progress: bool = typer.Option(None, "--progress/--no-progress", help="Progress bar (default: on a terminal)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not list failed files (see `congvan errors`)."),
    force: bool = typer.Option(False, "--force", help="Use --db even if it is another program's SQLite database "
                                                       "(adds the archive's tables to it)."),
) -> None:
    """Index dispatches into a SQLite archive with full-text search (resumable: rerun to continue)."""
    from ..store import IndexOptions, make_engine
    from ..store import index as run_index
    from .common import read_options

    paths = list(paths or [])
    if from_parquet is not None:
        if paths or to_parquet is not None or retry_errors:
            raise _fail("congvan index: --from-parquet loads shards: give no PATHS, --to-parquet or --retry-errors")
        _load_shards(db, from_parquet, batch_size, wait, progress, quiet)
    if not paths and not retry_errors:
        raise _fail("congvan index: give files or folders to index (or --retry-errors)")
    if engine not in ("local", "dask"):
        raise _fail(f"congvan index: unknown --engine {engine!r} (choose local or dask)")
    if scheduler and engine != "dask":
        raise _fail("congvan index: --scheduler needs --engine dask")
    eng = make_engine(engine, workers=workers if (workers or engine == "local") else None, scheduler=scheduler,
                      ship_files=ship_files)
    options = IndexOptions(read_options=read_options(max_mb, max_pages, timeout, not no_ocr), batch_size=batch_size,
                           retry_errors=retry_errors, wait=wait, busy_timeout=max(wait, 2.0), force=force)
    if out_parquet is not None:  # refused before the (long) run, not after it
        from ..outputs import archive_files, prepare_folder

        prepare_folder(out_parquet, archive_files(db))
    if to_parquet is not None:
        if retry_errors or out_parquet is not None:
            raise _fail("congvan index: --to-parquet writes shards only (no --retry-errors or --out-parquet)")
        from ..store.shards import write_shards

        shards = write_shards(paths, to_parquet, eng, options.read_options)
        console.print(f"{to_parquet}: {_n(shards.files, 'file')}, {_n(shards.parts_written, 'part')} written "
                      f"({_n(shards.documents, 'document')}, {shards.errors} failed), {shards.parts_skipped} "
                      f"already there, in {shards.elapsed:.1f} s ({shards.engine}); load them with "
                      f"`congvan index --from-parquet {to_parquet} --db ARCHIVE`", markup=False, highlight=False,
                      soft_wrap=True)
        for line in shards.failed_parts:
            err_console.print(f"{to_parquet}: {line}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1 if shards.failed_parts else 0)
    show = progress if progress is not None else err_console.is_terminal
    with _BarProgress(show, quiet) as bar:
        report = run_index(db, paths, eng, options, bar)
    for m in report.missing:
        say(f"{display(m)}: Unreadable: no such file or folder")
    _summary(db, report)
    if out_parquet is not None:
        from ..store.export import export_parquet

        conn = _read_db(db)
        try:
            counts = export_parquet(conn, out_parquet)
        finally:
            conn.close()
        console.print(f"{display(out_parquet)}: {counts['documents']} documents, {counts['references']} references "
                      "(Parquet, partitioned by year)", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(report.exit_code)


def _load_shards(db: Path, shard_dir: Path, batch_size: int, wait: float, progress: bool | None,
                 quiet: bool) -> None:
    from ..store import IndexOptions
    from ..store.shards import load_shards

    options = IndexOptions(batch_size=batch_size, wait=wait, busy_timeout=max(wait, 2.0))
    show = progress if progress is not None else err_console.is_terminal
    with _BarProgress(show, quiet) as bar:
        report = load_shards(db, shard_dir, options, bar)
    _summary(db, report)
    raise typer.Exit(report.exit_code)


def _summary(db: Path, report) -> None:
    parts = [_n(report.files_seen, "file"), _n(report.indexed, "new document"),
             f"{report.unchanged} already in the archive", _n(report.duplicates, "duplicate"),
             f"{report.failed} failed"]
    if report.known_errors:
        parts.append(f"{report.known_errors} failed before (--retry-errors to retry)")
    console.print(f"{display(db)}: " + ", ".join(parts) + f" in {report.elapsed:.1f} s "
                  f"({report.docs_per_second:.1f} docs/s, {report.engine})", markup=False, highlight=False,
                  soft_wrap=True)


# -- search --------------------------------------------------------------------------------------------------

def _marked(text: str):
    from rich.text import Text

    from ..store.search import MARK_END, MARK_START

    text = terminal_safe(text)  # document text must not reach the terminal as ESC/OSC sequences
    out = Text()
    pos = 0
    while True:
        i = text.find(MARK_START, pos)
        if i < 0:
            out.append(text[pos:])
            return out
        j = text.find(MARK_END, i)
        j = len(text) if j < 0 else j
        out.append(text[pos:i])
        out.append(text[i + 1:j], style="bold yellow")
        pos = j + 1


@app.command()
@_guard
def search(
    query: str | None = typer.Argument(None, help="Words, \"phrases\", numbers (01-KL/TW in any spacing), prefix*."
                                                  " Diacritics optional."),
    db: Path = DB_OPTION,
    refs: list[str] = typer.Option(None, "--refs", help="Documents citing this number (repeatable; 01-KL/TW*)."),
    number: str | None = typer.Option(None, "--number", help="The document's own number."),
    issuer: str | None = typer.Option(None, "--issuer", help="Issuer abbreviation (LĐLĐ, UBND, TU) or name part."),
    doc_type: str | None = typer.Option(None, "--type", help="Document type code: CV, KH, QĐ, NQ …"),
    date_from: str | None = typer.Option(None, "--from", help="Issued on or after (yyyy-mm-dd)."),
    date_to: str | None = typer.Option(None, "--to", help="Issued on or before (yyyy-mm-dd)."),
    year: int | None = typer.Option(None, "--year", min=1, max=9999),
    family: str | None = typer.Option(None, "--family", help="state | party | union | front | legal …"),
    all_versions: bool = typer.Option(False, "--all-versions", help="Include superseded contents of changed files."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=MAX_ROWS),
    offset: int = typer.Option(0, "--offset", min=0, max=MAX_ROWS),
    sort: str = typer.Option("relevance", "--sort", help="relevance | date (newest first) | date_asc."),
    time_limit: float = typer.Option(10.0, "--time-limit", min=0.1, help="Stop a search after this many seconds."),
    fmt: str | None = typer.Option(None, "--format", "-f", help="table | json | jsonl | csv (table on a terminal)."),
) -> None:
    """Search the archive: bm25-ranked full text with highlighted snippets, and filters."""
    from ..store import SearchQuery
    from ..store import search as run_search
    from ..store.search import SearchInterrupted, marks

    fmt = _choose_format(fmt)
    if not (query and query.strip()) and not any([refs, number, issuer, doc_type, date_from, date_to, year, family]):
        raise _fail("congvan search: give a query or at least one filter (--refs, --issuer, --from …)")
    q = SearchQuery(text=query, refs=list(refs or []), number=number, issuer=issuer, doc_type=doc_type,
                    date_from=date_from, date_to=date_to, year=year, family=family, all_versions=all_versions,
                    limit=limit, offset=offset, sort=sort, time_limit=time_limit)
    conn = _read_db(db)
    try:
        hits = run_search(conn, q)
    except (SearchInterrupted, KeyboardInterrupt) as exc:
        if isinstance(exc, SearchInterrupted) and exc.timed_out:
            raise _fail(f"congvan search: stopped after {exc.seconds:.1f} s (--time-limit {time_limit:g}); "
                        "narrow the query or add filters", 1) from None
        raise _fail("congvan search: interrupted", 130) from None
    finally:
        conn.close()
    if fmt == "table":
        _search_table(hits)
    else:
        for h in hits:
            for k in ("snippet", "subject_highlight"):
                if k in h:
                    h[k] = marks(h[k], "<mark>", "</mark>")
        cols = ["rank", "score", "number", "doc_type", "issuer", "date", "subject", "path", "sha256", "snippet"]
        _emit(hits, fmt, None, cols)
    if not hits:
        err_console.print("no documents match", markup=False, highlight=False, soft_wrap=True)


def _search_table(hits: list[dict[str, Any]]) -> None:
    from rich.table import Table

    table = Table(show_lines=True)
    for col, kw in (("#", {"justify": "right"}), ("number", {}), ("date", {}), ("issuer", {}),
                    ("subject / excerpt", {"ratio": 3}), ("file", {})):
        table.add_column(col, overflow="fold", **kw)
    for h in hits:
        cell = _marked(h.get("subject_highlight") or h.get("subject") or "")
        if h.get("snippet"):
            excerpt = _marked(h["snippet"])
            excerpt.stylize("dim")
            cell.append("\n")
            cell.append_text(excerpt)
        label = f"{h['doc_type'] or ''} {h['number'] or '—'}".strip()
        table.add_row(str(h["rank"]), terminal_safe(label), terminal_safe(h["date"] or ""),
                      terminal_safe(h["issuer"] or ""), cell, escape_controls(h["path"] or ""))
    console.print(table)


# -- stats ---------------------------------------------------------------------------------------------------

@app.command()
@_guard
def stats(
    db: Path = DB_OPTION,
    fmt: str | None = typer.Option(None, "--format", "-f", help="table | json | jsonl | csv (table on a terminal)."),
    as_json: bool = typer.Option(False, "--json", help="Same as --format json."),
    top: int = typer.Option(20, "--top", min=1, max=MAX_ROWS, help="Rows per group (issuers, years …)."),
) -> None:
    """What is in the archive: counts by type, issuer, year, format; errors; last run."""
    from ..store.stats import stats as collect
    from ..store.stats import stats_rows

    fmt = _choose_format(fmt, as_json)
    conn = _read_db(db)
    try:
        data = collect(conn, db, top=top)
    finally:
        conn.close()
    if fmt == "table":
        _stats_table(db, data)
    else:
        _emit(stats_rows(data), fmt, None, ["group", "key", "count"])


def _stats_table(db: Path, data: dict[str, Any]) -> None:
    from rich.columns import Columns
    from rich.markup import escape
    from rich.table import Table

    size = data.get("db_bytes") or 0
    console.print(f"[bold]{escape(display(db))}[/bold]: {data['documents']} documents "
                  f"({data['current_documents']} current), "
                  f"{data['files']} files, {data['errors']} errors, {data['references']} references, "
                  f"{data['tasks']} tasks; {size / 1e6:.1f} MB"
                  + (f" ({data['bytes_per_document']} bytes/document)" if data.get("bytes_per_document") else "")
                  + f"; schema v{data['schema_version']}", highlight=False, soft_wrap=True)
    if data.get("last_run"):
        r = data["last_run"]
        console.print(f"last run #{r['id']} {r['status']} {r['started_at']} → {r['finished_at'] or '…'}: "
                      f"{r['files_seen']} files, {r['indexed']} new, {r['unchanged']} unchanged, {r['failed']} failed",
                      highlight=False, markup=False, soft_wrap=True)
    tables = []
    for group, items in data["by"].items():
        if not items:
            continue
        t = Table(title=group, title_justify="left")
        t.add_column(group, overflow="fold", max_width=40)
        t.add_column("n", justify="right")
        for it in items:
            t.add_row(terminal_safe(str(it["key"])), str(it["count"]))
        tables.append(t)
    console.print(Columns(tables))


# -- errors --------------------------------------------------------------------------------------------------

@app.command()
@_guard
def errors(
    db: Path = DB_OPTION,
    fmt: str | None = typer.Option(None, "--format", "-f", help="table | json | jsonl | csv (table on a terminal)."),
    error: str | None = typer.Option(None, "--error", help="Only this error class (EmptyFile, CorruptFile …)."),
    limit: int = typer.Option(1000, "--limit", "-n", min=1, max=MAX_ROWS),
) -> None:
    """Files that could not be indexed, with the reason (retry with `congvan index --retry-errors`)."""
    fmt = _choose_format(fmt)
    conn = _read_db(db)
    from ..store.stats import ERROR_COLUMNS, error_rows

    try:
        rows = error_rows(conn, error, limit)
        cols = list(ERROR_COLUMNS)
    finally:
        conn.close()

    def table(rows):
        from rich.table import Table

        t = Table()
        for c in ("path", "stage", "error", "message", "attempts", "last_seen"):
            t.add_column(c, overflow="fold")
        for r in rows:
            t.add_row(*(escape_controls(str(r[c] or "")) for c in ("path", "stage", "error", "message", "attempts",
                                                                    "last_seen")))
        console.print(t)

    _emit(rows, fmt, table, cols)
    if not rows and fmt == "table":
        err_console.print("no errors", markup=False, highlight=False, soft_wrap=True)


# -- export --------------------------------------------------------------------------------------------------

@app.command()
@_guard
def export(
    db: Path = DB_OPTION,
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl (full records) | csv | parquet (a folder)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="File (jsonl, csv; default stdout) or folder "
                                                                     "(parquet)."),
    all_versions: bool = typer.Option(False, "--all-versions", help="Include superseded contents of changed files."),
    with_text: bool = typer.Option(False, "--with-text", help="Parquet: include the body text."),
    bom: bool = typer.Option(False, "--bom", help="CSV: start with a UTF-8 byte order mark (for Excel)."),
    corrections: bool = typer.Option(False, "--corrections", help="Export the documents people corrected as "
                                                                  "gold-format JSON (-o FOLDER: gold/ + docs/, "
                                                                  "for `congvan eval`)."),
) -> None:
    """Export the archive's documents as JSON Lines, CSV or partitioned Parquet."""
    from ..outputs import archive_files, classify, open_output, prepare_folder
    from ..paths import display
    from ..store.export import export_corrections, export_csv, export_jsonl, export_parquet

    if corrections:
        folder = None if output is None or str(output) == "-" else output
        if folder is not None:
            prepare_folder(folder, archive_files(db))
        conn = _read_db(db)
        try:
            n = export_corrections(conn, folder, sys.stdout)
        finally:
            conn.close()
        say(f"{display(folder) if folder else 'stdout'}: {n} corrected documents (gold format)")
        return

    if fmt not in ("jsonl", "csv", "parquet"):
        raise _fail(f"congvan export: unknown --format {fmt!r} (choose from jsonl, csv, parquet)")
    if fmt == "parquet" and output is None:
        raise _fail("congvan export: --format parquet needs -o FOLDER")
    protect = archive_files(db)
    if output is not None:  # refuse a bad target before reading anything
        if fmt == "parquet":
            prepare_folder(output, protect)
        else:
            classify(output, protect)
    conn = _read_db(db)
    try:
        if fmt == "parquet":
            counts = export_parquet(conn, output, all_versions=all_versions, with_text=with_text)
            say(f"{display(output)}: {counts['documents']} documents, {counts['references']} references")
            return
        if fmt == "csv":
            def fn(conn, fh, all_versions):
                return export_csv(conn, fh, all_versions, bom=bom)
        else:
            fn = export_jsonl
        with open_output(output, protect=protect, newline="") as fh:
            n = fn(conn, fh, all_versions)
        say(f"{display(output) if output else 'stdout'}: {n} documents")
    finally:
        conn.close()
