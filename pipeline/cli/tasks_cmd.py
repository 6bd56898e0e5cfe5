"""`congvan tasks`: who does what by when, as a Markdown checklist, CSV, JSON or an iCalendar file."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import typer

from . import app

FORMATS = ("md", "csv", "json", "ics")


def _say(line: str) -> None:
    """One line on standard error, never wrapped; control characters (a newline in a file name) escaped."""
    from ..paths import escape_controls

    sys.stderr.write(" ".join(escape_controls(line).split()) + "\n")
    sys.stderr.flush()


def _date_option(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        pass
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    _say(f"congvan tasks: {name} {value!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
    raise typer.Exit(2)


def _load_records(path: str) -> list:
    """Records saved by `congvan extract --format json|jsonl` (one object, a list, or one per line)."""
    from ..models import Dispatch, ErrorRecord

    with open(path, encoding="utf-8-sig") as fh:
        raw = fh.read()
    try:
        data = json.loads(raw)
        items = data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        items = [json.loads(ln) for ln in raw.splitlines() if ln.strip()]
    out = []
    for obj in items:
        if not isinstance(obj, dict):
            raise ValueError("not a congvan record")
        if "source" not in obj and "message" in obj and "path" in obj:  # a saved ErrorRecord
            out.append(ErrorRecord(path=str(obj["path"]), stage=str(obj.get("stage", "read")),
                                   error=str(obj.get("error", "Error")), message=str(obj["message"])))
            continue
        if "source" not in obj or "schema_version" not in obj:
            raise ValueError("not a congvan record (no source / schema_version)")
        out.append(Dispatch.from_dict(obj))
    return out


def _records(path: str, opts) -> list:
    from ..extract import extract_one
    from ..models import ErrorRecord
    from ..paths import path_text

    if path.lower().endswith((".json", ".jsonl")):
        try:
            return _load_records(path)
        except (OSError, ValueError, TypeError, KeyError) as exc:
            return [ErrorRecord(path=path_text(path), stage="read", error="BadRecord",
                                message=f"cannot load a saved record: {str(exc)[:200]}")]
    return [extract_one(path, opts)]


@app.command("tasks")
def tasks(
    paths: list[Path] = typer.Argument(..., help="Files or folders (searched recursively); saved records "
                                                 "(.json/.jsonl from `congvan extract`) are read as they are."),
    fmt: str = typer.Option("md", "--format", "-f", help="md (checklist), csv, json or ics (iCalendar VTODO)."),
    for_unit: str | None = typer.Option(None, "--for", help="Only tasks that reach this unit: case, missing "
                                        "diacritics and abbreviations are forgiven; 'các cấp công đoàn', 'các "
                                        "đơn vị', 'LĐLĐ các huyện' reach every unit of that kind."),
    due_before: str | None = typer.Option(None, "--due-before", help="Only tasks due on or before this date "
                                          "(YYYY-MM-DD); a recurring task when any occurrence is."),
    due_after: str | None = typer.Option(None, "--due-after", help="Only tasks due on or after this date."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
    bom: bool = typer.Option(False, "--bom", help="CSV: start with a UTF-8 byte-order mark (for Excel)."),
    full_text: bool = typer.Option(False, "--full-text", help="Markdown: the whole text of each task, not its "
                                   "first sentence."),
    lang: str = typer.Option("vi", "--lang", help="Language of the checklist's labels: vi (default) or en. The "
                             "documents' own words (tasks, units, deadline phrases) stay as printed."),
    max_mb: float = typer.Option(60.0, "--max-mb", help="Refuse files larger than this many megabytes."),
    no_ocr: bool = typer.Option(False, "--no-ocr", help="Do not OCR scanned pages."),
) -> None:
    """Task checklists: who does what by when, from each dispatch (Markdown, CSV, JSON, iCalendar)."""
    fmt = fmt.lower().strip()
    if fmt not in FORMATS:
        _say(f"congvan tasks: unknown --format {fmt!r} (choose from {', '.join(FORMATS)})")
        raise typer.Exit(2)
    from ..checklist.labels import LANGS

    lang = lang.lower().strip()
    if lang not in LANGS:
        _say(f"congvan tasks: unknown --lang {lang!r} (choose from {', '.join(LANGS)})")
        raise typer.Exit(2)
    before = _date_option(due_before, "--due-before")
    after = _date_option(due_after, "--due-after")
    if before and after and after > before:
        _say(f"congvan tasks: --due-after {after} is later than --due-before {before}")
        raise typer.Exit(2)
    if for_unit is not None and not for_unit.strip():
        _say("congvan tasks: --for needs a unit name")
        raise typer.Exit(2)
    try:
        code = _run(paths, fmt, for_unit, before, after, output, bom, full_text, max_mb, no_ocr, lang)
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        _say("congvan tasks: interrupted")
        raise typer.Exit(130) from None
    except Exception as exc:  # never a traceback: one line, and a failing exit code
        _say(f"congvan tasks: internal error: {type(exc).__name__}: {str(exc)[:300]}")
        raise typer.Exit(1) from None
    raise typer.Exit(code)


def _run(paths: list[Path], fmt: str, for_unit: str | None, before: dt.date | None, after: dt.date | None,
         output: Path | None, bom: bool, full_text: bool, max_mb: float, no_ocr: bool, lang: str = "vi") -> int:
    from ..checklist import render, select
    from ..checklist.labels import label
    from ..models import ErrorRecord
    from ..outputs import OutputError, classify
    from ..paths import display
    from .common import expand_paths, read_options

    files: list[str] = []
    missing: list[str] = []
    for p in paths:
        if p.is_file() and str(p).lower().endswith((".json", ".jsonl")):
            files.append(str(p))
        else:
            f, m = expand_paths([p])
            files += f
            missing += m
    if output is not None:
        try:  # a folder, a missing folder, a symlink, one of the inputs: refused before any work
            classify(output, files, "one of the input files")
        except OutputError as exc:
            _say(str(exc))
            return 1  # `congvan tasks`: every output problem is exit 1 (docs/tasks.md)
    failed = 0
    for m in missing:
        _say(f"{display(m)}: Unreadable: no such file or folder")
        failed += 1
    if not files and not missing:
        _say("congvan tasks: no supported files found")
        return 2
    opts = read_options(max_mb, 500, 120.0, not no_ocr)
    docs = []
    for f in files:
        for rec in _records(f, opts):
            if isinstance(rec, ErrorRecord):
                failed += 1
                _say(rec.line())
                continue
            docs.append(select(rec, for_unit=for_unit, due_after=after, due_before=before, lang=lang))
    if for_unit and docs and not any(d.flat() for d in docs):
        # the unit is never named: say which units the documents do name, rather than print an empty list
        from ..checklist import named_units

        names = named_units([select(d.dispatch) for d in docs])
        listed = "; ".join(names[:30]) + (f"; … ({len(names) - 30} more)" if len(names) > 30 else "")
        msg = (label("unit_not_named", lang, unit=for_unit) + " "
               + (label("units_named", lang, units=listed) if names else label("no_units", lang)))
        if fmt == "md":
            return _emit((msg + "\n").encode("utf-8"), output, docs, failed, fmt)
        _say(f"congvan tasks: no task reaches {for_unit!r}; units named: {listed or '(none)'}")
    data = render(docs, fmt, bom=bom, full_text=full_text, lang=lang)
    return _emit(data, output, docs, failed, fmt)


def _emit(data: bytes, output: Path | None, docs: list, failed: int, fmt: str = "md") -> int:
    from ..outputs import OutputError, terminal_safe
    from ..paths import display
    from .common import write_output

    if fmt == "md":  # a checklist read in a terminal: the documents' control characters are escaped, not run

        data = terminal_safe(data.decode("utf-8")).encode("utf-8")
    if output is None:
        out = getattr(sys.stdout, "buffer", None)
        if out is not None:
            sys.stdout.flush()
            out.write(data)
            out.flush()
        else:
            sys.stdout.write(data.decode("utf-8"))
            sys.stdout.flush()
    else:
        try:
            write_output(data, output)
        except OutputError as exc:
            _say(str(exc))
            return 1
        n = sum(len(d.flat()) for d in docs)
        k = sum(1 for d in docs if d.items)
        _say(f"wrote {display(output)} ({n} task{'' if n == 1 else 's'} from {k} document{'' if k == 1 else 's'})")
    return 1 if failed else 0
