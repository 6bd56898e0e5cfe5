"""`congvan serve`: the archive as a local web application (library: pipeline.web)."""

from __future__ import annotations

from pathlib import Path

import typer

from . import app
from .common import fail


@app.command()
def serve(
    db: Path = typer.Option(Path("archive.sqlite"), "--db", envvar="CONGVAN_DB", help="The archive database."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; anything but loopback needs "
                                                          "--password or --token-file."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    password: str | None = typer.Option(None, "--password", envvar="CONGVAN_PASSWORD",
                                        help="Require this password to read and change (env CONGVAN_PASSWORD)."),
    token_file: Path | None = typer.Option(None, "--token-file", help="Read the password from this file "
                                                                      "(first line)."),
    max_mb: float = typer.Option(60.0, "--max-mb", help="Uploads: refuse files larger than this many MB."),
    max_pages: int = typer.Option(500, "--max-pages", help="Uploads: refuse PDFs with more pages than this."),
    timeout: float = typer.Option(120.0, "--timeout", help="Uploads: per-file limit in seconds for OCR."),
    no_ocr: bool = typer.Option(False, "--no-ocr", help="Uploads: do not OCR scanned pages."),
) -> None:
    """Browse, search, review and correct the archive in a browser (http://127.0.0.1:8000)."""
    from ..store.db import ArchiveError
    from ..web import Security, Settings, is_loopback, make_app

    if token_file is not None:
        try:
            password = token_file.read_text(encoding="utf-8").splitlines()[0].strip() or None
        except (OSError, UnicodeDecodeError, IndexError) as exc:
            raise fail(f"congvan serve: cannot read --token-file {token_file}: "
                       f"{getattr(exc, 'strerror', None) or 'empty or not text'}") from None
        if password is None:
            raise fail(f"congvan serve: --token-file {token_file} is empty")
    if not is_loopback(host) and not password:
        raise fail(f"congvan serve: refusing to listen on {host} without a login: pass --password or "
                   "--token-file (or keep the default --host 127.0.0.1)")
    if password is not None and len(password) < 8 and not is_loopback(host):
        raise fail("congvan serve: the password must have at least 8 characters")
    if not db.exists():
        raise fail(f"{db}: no such archive (create it with `congvan index FOLDER --db {db}`)")
    try:
        application = make_app(Settings(db=db, security=Security(password=password), max_mb=max_mb,
                                        max_pages=max_pages, timeout=timeout, ocr=not no_ocr))
    except ArchiveError as exc:
        raise fail(str(exc)) from None
    import uvicorn

    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"congvan serve: {db} on http://{shown}:{port}/ (Ctrl-C to stop)", err=True)
    uvicorn.run(application, host=host, port=port, log_level="warning")
