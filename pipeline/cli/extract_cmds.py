"""`congvan extract | schema | show | eval`: flags in, library calls, rich output."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from ..outputs import OutputError, classify
from ..paths import display
from . import app
from .common import console, err_console, expand_paths, fail, read_options, say, write_output

FORMATS = ("json", "jsonl", "md", "table")


@app.command()
def extract(
    paths: list[Path] = typer.Argument(..., help="Files or folders (searched recursively)."),
    fmt: str = typer.Option("json", "--format", "-f", help="json (pretty), jsonl, md (summary card), table."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
    max_mb: float = typer.Option(60.0, "--max-mb", help="Refuse files larger than this many megabytes."),
    max_pages: int = typer.Option(500, "--max-pages", help="Refuse PDFs with more pages than this."),
    timeout: float = typer.Option(120.0, "--timeout", help="Per-file limit in seconds for OCR and conversions."),
    no_ocr: bool = typer.Option(False, "--no-ocr", help="Do not OCR scanned pages."),
    progress: bool = typer.Option(None, "--progress/--no-progress", help="Progress bar (default: on a terminal)."),
    jobs: int = typer.Option(-1, "--jobs", "-j", help="Worker processes (default: one per core, at most 8, when "
                                                       "there are several files; 0 = in this process)."),
) -> None:
    """Extract a structured record from each dispatch (TXT, DOCX, PDF, DOC, HTML, images)."""
    from ..models import ErrorRecord
    from ..run import extract_records
    from .render import dispatch_markdown, dispatch_table

    if fmt not in FORMATS:
        raise fail(f"congvan extract: unknown --format {fmt!r} (choose from {', '.join(FORMATS)})")
    files, missing = expand_paths(paths)
    if output is not None:
        try:  # a folder, a missing folder, a symlink, one of the inputs: refused before any work
            classify(output, files, "one of the files being extracted")
        except OutputError as exc:
            raise fail(str(exc), exc.code) from None
    for m in missing:
        say(f"{display(m)}: Unreadable: no such file or folder")
    if not files and not missing:
        raise fail("congvan extract: no supported files found")
    opts = read_options(max_mb, max_pages, timeout, not no_ocr)
    results = []
    failed = len(missing)
    show_bar = progress if progress is not None else (sys.stderr.isatty() and len(files) > 1)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    try:
        with Progress(TextColumn("[bold]extract"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      TextColumn("{task.fields[errors]} errors"), console=err_console, disable=not show_bar,
                      transient=True) as bar:
            task = bar.add_task("extract", total=len(files), errors=0)
            by_index: dict[int, object] = {}
            for k, rec in extract_records(files, opts, jobs=jobs, time_limit_s=timeout + 60.0):
                if isinstance(rec, ErrorRecord):
                    failed += 1
                    err_console.print(rec.line(), markup=False, highlight=False)
                by_index[k] = rec
                bar.update(task, advance=1, errors=failed)
            results = [by_index[k] for k in sorted(by_index)]  # input order, whatever order workers finish in
    except KeyboardInterrupt:
        raise fail("congvan extract: interrupted", 130) from None

    try:
        if fmt == "json":
            payload = [r.to_dict() for r in results]
            text = json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=1)
            write_output(text + "\n", output)
        elif fmt == "jsonl":
            write_output("".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in results), output)
        elif fmt == "md":
            write_output("\n\n".join(dispatch_markdown(r) for r in results) + "\n", output)
        else:
            table = dispatch_table(results)
            if output:
                import io

                from rich.console import Console

                buf = io.StringIO()
                Console(file=buf, width=200).print(table)
                write_output(buf.getvalue(), output)
            else:
                console.print(table)
    except OutputError as exc:  # the output's fault: one line naming it; no partial file is left behind
        raise fail(str(exc), exc.code) from None
    raise typer.Exit(1 if failed else 0)


@app.command()
def schema() -> None:
    """Print the JSON schema of a record (the output contract of `extract --format json`)."""
    from ..schema import load_schema

    sys.stdout.write(json.dumps(load_schema(), ensure_ascii=False, indent=2) + "\n")


@app.command()
def show(
    path: Path = typer.Argument(..., help="A dispatch file."),
    html: Path | None = typer.Option(None, "--html", help="Write a self-contained HTML page here."),
) -> None:
    """Show the text with every extracted span highlighted (displaCy span view)."""
    from ..extract import check_language, run_pipeline
    from ..outputs import terminal_safe
    from ..read import ReadError, read
    from .render import displacy_page

    if html is not None:
        try:
            classify(html)
        except OutputError as exc:
            raise fail(str(exc), exc.code) from None
    try:
        text = read(path)
        check_language(text)
    except ReadError as exc:
        say(f"{display(exc.path)}: {exc.kind}: {exc.message}")
        raise typer.Exit(1) from None
    doc = run_pipeline(text.text)
    page = displacy_page(doc, title=display(path))
    if html:
        try:
            write_output(page, html)
        except OutputError as exc:
            raise fail(str(exc), exc.code) from None
        say(f"wrote {display(html)} ({len(doc.spans['congvan'])} spans)")
    else:
        from rich.markup import escape

        for sp in doc.spans["congvan"]:
            console.print(f"[bold]{sp.label_:14s}[/bold] {sp.start_char:>6}-{sp.end_char:<6} "
                          f"{escape(terminal_safe(' '.join(sp.text.split())[:100]))}", highlight=False)


@app.command("eval")
def eval_cmd(
    folder: Path = typer.Argument(..., help="A folder laid out like shared/corpus/dev (docs/, gold/, files/)."),
    as_json: bool = typer.Option(False, "--json", help="Print the full report as JSON."),
    files: bool = typer.Option(False, "--files", help="Read the original files/<id>.<ext> instead of docs/<id>.txt."),
    details: bool = typer.Option(False, "--details", help="List every miss per document."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Also write the JSON report here."),
    split: str = typer.Option("all", "--split", help="all | dev | blind | both (dev and blind side by side)."),
) -> None:
    """Score extraction against gold annotations, per field."""
    from ..eval import SPLITS, TASK_THRESHOLDS, THRESHOLDS, evaluate

    if not (folder / "gold").is_dir():
        err_console.print(f"{folder}: not a gold folder (no gold/ inside)")
        raise typer.Exit(2)
    if split not in (*SPLITS, "both"):
        err_console.print(f"--split {split}: use one of {', '.join(SPLITS)}, both")
        raise typer.Exit(2)
    thresholds = {**THRESHOLDS, **TASK_THRESHOLDS}
    if split == "both":
        _eval_side_by_side(folder, files, as_json, output, thresholds)
        return
    report = evaluate(folder, use_files=files, split=split)
    data = report.to_dict()
    if output:
        write_output(json.dumps(data, ensure_ascii=False, indent=1), output)
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        return
    from rich.table import Table

    label = "" if split == "all" else f", {split} split"
    table = Table(title=f"congvan eval {folder} ({report.docs} documents{label})")
    table.add_column("field")
    table.add_column("score", justify="right")
    table.add_column("target", justify="right")
    table.add_column("", justify="center")
    for name, value in report.scores().items():
        target = thresholds.get(name)
        mark = "" if value is None or target is None else ("✓" if value >= target else "✗")
        table.add_row(name, "-" if value is None else f"{value:.3f}", "" if target is None else f"{target:.2f}", mark)
    console.print(table)
    for e in report.errors:
        err_console.print(e, markup=False, highlight=False)
    if details:
        for d in report.per_doc:
            if d.fields or d.error:
                console.print(f"[bold]{d.id}[/bold] {json.dumps(d.fields, ensure_ascii=False)}", highlight=False)


def _eval_side_by_side(folder: Path, files: bool, as_json: bool, output: Path | None,
                       thresholds: dict[str, float]) -> None:
    """Dev and blind reports of one folder, one table: the over-fitting check."""
    from rich.table import Table

    from ..eval import evaluate

    reports = {name: evaluate(folder, use_files=files, split=name) for name in ("dev", "blind")}
    data = {name: r.to_dict() for name, r in reports.items()}
    if output:
        write_output(json.dumps(data, ensure_ascii=False, indent=1), output)
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        return
    dev, blind = reports["dev"], reports["blind"]
    table = Table(title=f"dev {dev.docs} / blind {blind.docs} documents")
    for col, justify in (("field", "left"), ("dev", "right"), ("blind", "right"), ("target", "right")):
        table.add_column(col, justify=justify)
    bs = blind.scores()
    for name, value in dev.scores().items():
        target = thresholds.get(name)
        cells = ["-" if v is None else f"{v:.3f}" for v in (value, bs.get(name))]
        table.add_row(name, *cells, "" if target is None else f"{target:.2f}")
    console.print(table)
    for e in dev.errors + blind.errors:
        err_console.print(e, markup=False, highlight=False)
