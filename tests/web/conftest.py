"""Fixtures for the web tests: an archive of corpora/ (a copy, so re-indexing a changed file is possible), a
live server in a thread, and the system Chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT / "corpora" / "docs"
SCREENSHOTS = os.environ.get("CONGVAN_SCREENSHOTS")  # a folder: the journeys save their screenshots there


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def build_archive(folder: Path, docs: Path) -> Path:
    from pipeline.store import IndexOptions, make_engine
    from pipeline.store import index as run_index

    db = folder / "archive.sqlite"
    report = run_index(db, [str(docs)], make_engine("local", workers=0), IndexOptions())
    assert report.failed == 0
    return db


@pytest.fixture(scope="session")
def corpus_copy(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpora")
    shutil.copytree(CORPORA, folder / "docs")
    return folder


@pytest.fixture(scope="session")
def archive(corpus_copy) -> Path:
    return build_archive(corpus_copy, corpus_copy / "docs")


class LiveServer:
    def __init__(self, app):
        import uvicorn

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="session")
def live(archive):
    from pipeline.web import Settings, make_app

    with LiveServer(make_app(Settings(db=archive))) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    exe = chromium_path()
    if exe is None:
        pytest.skip("no system Chromium (scripts/install.sh installs it)")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def shot(page, name: str) -> None:
    """Save a screenshot of the journey step when CONGVAN_SCREENSHOTS names a folder (docs/ for the README)."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))
