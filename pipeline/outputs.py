"""Writing results safely: one output writer, one CSV writer, one terminal filter for every command.

:func:`open_output` decides what ``-o TARGET`` means, once for the whole CLI:

- ``None`` or ``-``: standard output (a stream);
- a character device or a FIFO (``/dev/null``, ``/dev/stdout``, a named pipe): opened for writing and streamed —
  never truncated, never renamed over, never created;
- a regular file or a new name: written to a temporary file made with ``mkstemp`` (``O_CREAT|O_EXCL|O_NOFOLLOW``,
  mode 0600) in the target's folder, flushed and fsynced, then renamed over the target in one step. A failure
  (disk full, Ctrl-C) removes the temporary file and leaves the old target untouched;
- a symbolic link to a regular file (or a dangling one): refused. It is never replaced by a file and never written
  through — name the real file instead. A symbolic link to a device or a FIFO (``/dev/stdout``) is a stream;
- a folder, a block device, a socket, a missing folder, one of the ``protect``-ed files (the archive being read,
  its ``-wal``/``-shm``/lock files): refused with :class:`OutputError`, before anything is written.

:class:`OutputError` names the output, never the archive: a full disk while exporting is the export's problem.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .paths import display, escape_controls


class OutputError(Exception):
    """The output could not be written; ``str(exc)`` is one line naming the output."""

    def __init__(self, target: str | os.PathLike, message: str, code: int = 2):
        self.target = os.fspath(target)
        self.message = message
        self.code = code  # 2: a target refused before writing (usage), 1: writing failed
        super().__init__(f"{display(self.target)}: {message}")


def archive_files(db: str | os.PathLike) -> list[str]:
    """The files of an archive that an output must never replace."""
    base = os.fspath(db)
    return [base, base + "-wal", base + "-shm", base + "-journal", base + ".lock"]


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _os_message(exc: OSError, stream: bool = False) -> str:
    import errno

    if exc.errno == errno.ENOSPC:
        return "no space left on the device while writing the output" if stream else \
            "disk full while writing the output; the previous file (if any) was left unchanged"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "cannot write here (permission denied or read-only)"
    return f"cannot write: {exc.strerror or exc}"


def classify(target: str | os.PathLike, protect: Iterable[str | os.PathLike] = (),
             what: str = "the archive being read (or one of its files)") -> str:
    """``"stream"`` or ``"file"`` for a target :func:`open_output` accepts; raises :class:`OutputError` otherwise.
    ``protect``: files the output must never replace (``what`` says what they are, in the refusal)."""
    t = os.fspath(target)
    if t == "-":
        return "stream"
    try:
        lst = os.lstat(t)
    except FileNotFoundError:
        lst = None
    except OSError as exc:
        raise OutputError(t, _os_message(exc), 1) from None
    if lst is not None and stat.S_ISLNK(lst.st_mode):
        try:
            st = os.stat(t)
        except OSError:
            st = None
        if st is not None and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
            return "stream"
        raise OutputError(t, "is a symbolic link; refusing to replace it or write through it (give the real path "
                             f"{display(os.path.realpath(t))})")
    if lst is not None:
        mode = lst.st_mode
        if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
            return "stream"
        if stat.S_ISDIR(mode):
            raise OutputError(t, "cannot write: is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise OutputError(t, "is a block device or socket; refusing to write to it")
        for p in protect:
            if os.path.lexists(os.fspath(p)) and _same_file(t, os.fspath(p)):
                raise OutputError(t, f"is {what}; choose another output")
    parent = os.path.dirname(t) or "."
    if not os.path.isdir(parent):
        raise OutputError(t, f"cannot write: folder {display(parent)} does not exist")
    return "file"


@contextlib.contextmanager
def open_output(target: str | os.PathLike | None, *, binary: bool = False,
                protect: Iterable[str | os.PathLike] = (), encoding: str = "utf-8",
                newline: str | None = None) -> Iterator[IO[Any]]:
    """A writable stream for ``target`` (see the module docstring). Regular files appear atomically when the
    ``with`` block ends without an exception; OS errors become :class:`OutputError`."""
    if target is None or os.fspath(target) == "-":
        stream = sys.stdout.buffer if binary else sys.stdout
        try:
            yield stream
            stream.flush()
        except BrokenPipeError:  # the reader left (`| head`): the caller decides how quiet to be
            raise
        except OSError as exc:
            raise OutputError("standard output", _os_message(exc, stream=True), 1) from None
        return
    t = os.fspath(target)
    kind = classify(t, protect)
    if kind == "stream":
        try:
            fd = os.open(t, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
        except OSError as exc:
            raise OutputError(t, _os_message(exc), 1) from None
        fh = os.fdopen(fd, "wb" if binary else "w", **({} if binary else {"encoding": encoding,
                                                                        "newline": newline}))
        try:
            yield fh
            fh.flush()
        except OSError as exc:
            raise OutputError(t, _os_message(exc, stream=True), 1) from None
        finally:
            with contextlib.suppress(OSError):
                fh.close()
        return
    folder = os.path.dirname(t) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(t)}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(t, _os_message(exc), 1) from None
    try:
        try:
            mode = stat.S_IMODE(os.stat(t).st_mode)
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        fh = os.fdopen(fd, "wb" if binary else "w", **({} if binary else {"encoding": encoding,
                                                                        "newline": newline}))
        with fh:
            yield fh
            fh.flush()
            os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        # os.replace renames over the name itself: a symlink planted there meanwhile is replaced, not followed
        os.replace(tmp, t)
    except OSError as exc:
        _unlink(tmp)
        raise OutputError(t, _os_message(exc), 1) from None
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def write_output(data: str | bytes, target: str | os.PathLike | None, *,
                 protect: Iterable[str | os.PathLike] = ()) -> None:
    """Write all of ``data`` to ``target`` (see :func:`open_output`)."""
    with open_output(target, binary=isinstance(data, bytes), protect=protect) as fh:
        fh.write(data)


def prepare_folder(target: str | os.PathLike, protect: Iterable[str | os.PathLike] = ()) -> Path:
    """A folder output (Parquet, Neo4j CSVs): created if missing; refused when it is a file, a symlink or the
    archive."""
    t = os.fspath(target)
    if os.path.islink(t):
        raise OutputError(t, "is a symbolic link; refusing to write through it (give the real folder)")
    if os.path.lexists(t) and not os.path.isdir(t):
        for p in protect:
            if os.path.lexists(os.fspath(p)) and _same_file(t, os.fspath(p)):
                raise OutputError(t, "is the archive being read; choose another output folder")
        raise OutputError(t, "exists and is not a folder")
    parent = os.path.dirname(os.path.abspath(t))
    if not os.path.isdir(parent):
        raise OutputError(t, f"folder {display(parent)} does not exist")
    try:
        os.makedirs(t, exist_ok=True)
    except OSError as exc:
        raise OutputError(t, _os_message(exc), 1) from None
    return Path(t)


# -- CSV -----------------------------------------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A spreadsheet runs a cell starting ``= + - @`` (or a tab/CR before one) as a formula (``=HYPERLINK(…)``):
    such text cells get a leading ``'`` (OWASP's advice). Numbers are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class CsvWriter:
    """``csv.writer`` whose every text cell goes through :func:`csv_cell`."""

    def __init__(self, out: IO[str], **kwargs: Any):
        self._w = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]) -> None:
        self._w.writerow([csv_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for r in rows:
            self.writerow(r)


def csv_text(rows: Iterable[dict[str, Any]], columns: list[str]) -> str:
    """Dict rows as CSV text (header first, extra keys ignored), formula-safe."""
    buf = io.StringIO()
    w = CsvWriter(buf)
    w.writerow(columns)
    for r in rows:
        w.writerow([r.get(c) for c in columns])
    return buf.getvalue()


# -- terminal ------------------------------------------------------------------------------------------------

def terminal_safe(text: str, keep_newlines: bool = True) -> str:
    """Text for a terminal: ESC/OSC sequences (clipboard writes, screen clears), other control characters and
    bidirectional overrides escaped so they show instead of acting. Newlines and tabs are kept unless
    ``keep_newlines`` is false."""
    if not keep_newlines:
        return escape_controls(text)
    return "\n".join("\t".join(escape_controls(part) for part in line.split("\t")) for line in text.split("\n"))
