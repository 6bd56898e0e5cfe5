"""Shared fixtures: an inbox built from the real corpora (plus bad files and a duplicate), indexed once per
session through the real command line; helpers to run `congvan` as a subprocess and to check an archive."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpora" / "docs"
SHARED = Path(os.environ.get("CONGVAN_SHARED", ROOT.parent / "shared"))
DEV = SHARED / "corpus" / "dev" / "docs"
SEED = SHARED / "corpus" / "seed" / "1244-LDLD.txt"

BAD_FILES = {
    "bad/empty.txt": b"",
    "bad/junk.pdf": bytes(range(256)) * 12,
    "bad/english.txt": (b"The quick brown fox jumps over the lazy dog. This is plainly an English text without a "
                        b"single Vietnamese letter in it, long enough to be judged: the quick brown fox jumps over "
                        b"the lazy dog again and again, and then once more for good measure.\n") * 3,
}


def congvan(*args: str, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    """Run the real command line (`python -m pipeline.cli`) and capture its output."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="200", **kw.pop("env", {}))
    env.pop("CONGVAN_DB", None)
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=kw.pop("cwd", ROOT), env=env, **kw)


def cli(*args: str) -> subprocess.CompletedProcess:
    """The same command line in this process (Typer's runner): for the read-only commands, where starting an
    interpreter would only cost time. Same shape as :func:`congvan`'s result."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, result.stderr)


def popen_congvan(*args: str, **kw) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="200")
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env, start_new_session=True, **kw)


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    """The command failed the documented way: no traceback, one line on stderr."""
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


@dataclass
class Inbox:
    root: Path
    good: list[Path]  # readable dispatches, one per distinct content, plus duplicates
    distinct: int  # distinct good contents
    bad: list[Path]
    duplicate: Path  # same bytes as `original`
    original: Path


def corpus_files() -> list[Path]:
    files = sorted(CORPUS.glob("*.txt"))
    if DEV.is_dir():
        files += sorted(DEV.glob("*.txt"))
    if SEED.exists():
        files.append(SEED)
    return files


def build_inbox(root: Path, variants: int = 1) -> Inbox:
    """Copy the corpus into ``root`` (``variants`` > 1: each document also in distinct altered copies)."""
    good: list[Path] = []
    for i in range(variants):
        for src in corpus_files():
            if i and src.stat().st_size > 20_000:  # altered copies of the small documents only (keeps tests fast)
                continue
            dest = root / (f"v{i}" if variants > 1 else "docs") / src.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            data = src.read_bytes()
            if i:
                data += f"\nBản sao lưu trữ số {i}.\n".encode()
            dest.write_bytes(data)
            good.append(dest)
    distinct = len({p.read_bytes() for p in good})
    original = good[0]
    duplicate = root / "dup" / ("copy-of-" + original.name)
    duplicate.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(original, duplicate)
    bad = []
    for rel, data in BAD_FILES.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        bad.append(p)
    return Inbox(root=root, good=good + [duplicate], distinct=distinct, bad=bad, duplicate=duplicate,
                 original=original)


@pytest.fixture(scope="session")
def inbox(tmp_path_factory) -> Inbox:
    if not (DEV.is_dir() and SEED.exists()):
        pytest.skip(f"the team corpus is not at {SHARED} (set CONGVAN_SHARED)")
    return build_inbox(tmp_path_factory.mktemp("inbox"))


@pytest.fixture(scope="session")
def archive(inbox, tmp_path_factory) -> Path:
    """The inbox indexed once, through the real CLI with two worker processes."""
    db = tmp_path_factory.mktemp("archive") / "archive.sqlite"
    proc = congvan("index", str(inbox.root), "--db", str(db), "--workers", "2", "--no-progress", timeout=300)
    assert proc.returncode == 1, proc.stderr  # the bad files fail, the rest is indexed
    assert "Traceback" not in proc.stderr
    return db


def connect(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


def rows(db: Path, sql: str) -> list[tuple]:
    """Every row a query returns, sorted: two archives compared row for row."""
    c = connect(db)
    try:
        return sorted(c.execute(sql).fetchall())
    finally:
        c.close()


def check_consistent(db: Path) -> dict[str, int]:
    """Nothing half-written: every document complete, every file row pointing at a document, indexes sound."""
    c = connect(db)
    try:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("SELECT count(*) FROM documents d LEFT JOIN texts t ON t.doc_id = d.id "
                         "WHERE t.doc_id IS NULL").fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM files f LEFT JOIN documents d ON d.sha256 = f.sha256 "
                         "WHERE d.id IS NULL").fetchone()[0] == 0
        assert c.execute('SELECT count(*) FROM documents d WHERE n_references != '
                         '(SELECT count(*) FROM "references" r WHERE r.doc_id = d.id)').fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM documents d WHERE n_tasks != "
                         "(SELECT count(*) FROM tasks t WHERE t.doc_id = d.id)").fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM (SELECT sha256 FROM documents GROUP BY sha256 HAVING count(*) > 1)"
                         ).fetchone()[0] == 0
        # the full-text index holds exactly one entry per document
        fts = c.execute("SELECT count(*) FROM documents_fts_docsize").fetchone()[0]
        docs = c.execute("SELECT count(*) FROM documents").fetchone()[0]
        assert fts == docs
        return {"documents": docs, "files": c.execute("SELECT count(*) FROM files").fetchone()[0],
                "errors": c.execute("SELECT count(*) FROM errors").fetchone()[0]}
    finally:
        c.close()


def fts_integrity(db: Path) -> None:
    c = sqlite3.connect(db)
    try:
        c.execute("INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)")
    finally:
        c.close()
