"""Helpers shared by the command modules: consoles, path expansion, output."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from rich.console import Console

from ..paths import display, escape_controls

# --limit/--offset/--top beyond this are usage errors (SQLite integers overflow at 2**63; nobody reads 10**9 rows)
MAX_ROWS = 1_000_000_000

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)  # one error, one line


def fail(message: str, code: int = 2):
    """Print one error line on standard error and return the Exit to raise (exit 2: usage, 1: failure)."""
    import typer

    say(message)
    return typer.Exit(code)


def say(message: str) -> None:
    """One line on standard error: control characters (a newline or ESC in a file name) are escaped."""
    err_console.print(escape_controls(message), markup=False, highlight=False, soft_wrap=True)


def guard(prefix: str, user_errors, interrupted: str = "{name}: interrupted"):
    """Decorator for the commands that work on an archive: every failure becomes one line on standard error and
    the documented exit code. ``user_errors()`` gives ``((exception type, exit code), ...)`` for the errors the
    command's users cause (a bad query, an unknown document), reported as ``<prefix> <command>: <message>``;
    ``interrupted`` is the Ctrl-C line (``{name}`` and ``{db}`` are filled in)."""
    import errno
    import functools
    import sqlite3

    import typer

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            from ..outputs import OutputError
            from ..store import ArchiveError
            from ..store.db import explain

            db = kwargs.get("db") or "archive.sqlite"
            name = f"{prefix} {func.__name__.rstrip('_')}"
            try:
                return func(*args, **kwargs)
            except typer.Exit:
                raise
            except OutputError as exc:  # the output's fault, never blamed on the archive
                raise fail(str(exc), exc.code) from None
            except ArchiveError as exc:
                raise fail(str(exc)) from None
            except KeyboardInterrupt:
                raise fail(interrupted.format(name=name, db=db), 130) from None
            except BrokenPipeError:  # `congvan search … | head`: the reader left; nothing more to say
                try:
                    sys.stdout = open(os.devnull, "w")  # noqa: SIM115
                except OSError:
                    pass
                raise typer.Exit(0) from None
            except OSError as exc:
                if exc.errno in (errno.ENOSPC, errno.EFBIG):  # the archive's own disk errors arrive as ArchiveError
                    raise fail(f"{name}: no space left on the device while writing the output", 1) from None
                raise fail(str(explain(db, exc))) from None
            except sqlite3.Error as exc:
                raise fail(str(explain(db, exc))) from None
            except Exception as exc:
                code = next((c for kind, c in user_errors() if isinstance(exc, kind)), None)
                if code is not None:
                    raise fail(f"{name}: {exc}", code) from None
                # a bug: still one line, with what to report
                raise fail(f"{name}: internal error ({display(db)}): {type(exc).__name__}: "
                           f"{escape_controls(str(exc)[:300])}; please report it") from None

        return wrapper

    return decorate


def expand_paths(paths: list[Path]) -> tuple[list[str], list[str]]:
    """Files as given, folders walked by the readers' one walker (pipeline.read.files). Returns (files, missing)."""
    from ..read.files import iter_files

    missing: list[str] = []
    files = list(iter_files(paths, missing))
    return files, missing


def read_options(max_mb: float, max_pages: int, timeout: float, ocr: bool):
    from ..read.options import ReadOptions

    return ReadOptions(max_bytes=int(max_mb * 1024 * 1024), max_pages=max_pages, timeout_s=timeout, ocr=ocr)


def write_output(data: str | bytes, output: Path | None, protect=()) -> None:
    """Standard output, a stream (device, FIFO) or a file replaced atomically: see pipeline.outputs."""
    from ..outputs import write_output as write

    write(data, output, protect=protect)
