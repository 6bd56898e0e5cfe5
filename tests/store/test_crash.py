"""Crash safety: kill -9 at any moment and rerun → every file indexed exactly once, nothing half-written, the
errors table intact; one writer at a time; locked, read-only and full databases give one line, not damage."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time

import pytest

from pipeline.store import ArchiveError, open_db
from pipeline.store.db import IndexLock
from pipeline.store.work import extract_for_archive
from pipeline.store.writer import FileSeen, Writer

from .conftest import (
    build_inbox,
    check_consistent,
    congvan,
    corpus_files,
    fts_integrity,
    one_line_error,
    popen_congvan,
)


def count_documents(db) -> int:
    try:
        c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return c.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            c.close()
    except sqlite3.Error:
        return 0


def wait_for_documents(db, proc, at_least: int, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        n = count_documents(db)
        if n >= at_least:
            return n
        assert proc.poll() is None, f"the run ended before it could be interrupted: {proc.stderr.read()}"
        time.sleep(0.02)
    raise AssertionError("the index run made no progress")


def test_kill9_sigterm_second_writer_then_resume_indexes_every_file_once(tmp_path):
    box = build_inbox(tmp_path / "in", variants=4)
    db = tmp_path / "archive.sqlite"
    args = ("index", str(box.root), "--db", str(db), "--workers", "2", "--batch-size", "4", "--no-progress")

    # 1. kill -9 the writer and its workers early in the run
    proc = popen_congvan(*args)
    wait_for_documents(db, proc, 8)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    first = check_consistent(db)  # whatever was committed is whole
    assert 0 < first["documents"] < box.distinct

    # 2. resume; a second `index` on the same archive meanwhile refuses; then SIGTERM (like Ctrl-C)
    proc = popen_congvan(*args)
    wait_for_documents(db, proc, first["documents"] + 20)
    second = congvan(*args)
    assert second.returncode == 2
    line = one_line_error(second)
    assert str(db) in line and "another `congvan index`" in line and f"pid {proc.pid}" in line
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "rerun the same command to resume" in err
    assert first["documents"] < check_consistent(db)["documents"] < box.distinct

    # 3. resume to the end: every file exactly once, errors only for the bad files
    proc = congvan(*args, timeout=300)
    assert proc.returncode == 1, proc.stderr  # only the bad files fail
    counts = check_consistent(db)
    fts_integrity(db)
    assert counts["documents"] == box.distinct
    assert counts["files"] == len(box.good)
    c = sqlite3.connect(db)
    assert {r[0] for r in c.execute("SELECT path FROM errors")} == {str(p) for p in box.bad}
    assert c.execute("SELECT max(attempts) FROM errors").fetchone()[0] == 1
    assert [r[0] for r in c.execute("SELECT status FROM runs ORDER BY id")] == ["crashed", "interrupted", "done"]
    c.close()
    # and a further rerun has nothing to do
    proc = congvan(*args)
    assert "0 new documents" in proc.stdout and check_consistent(db)["documents"] == box.distinct


def test_second_run_waits_for_the_lock(tmp_path):
    src = corpus_files()[0]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / src.name).write_bytes(src.read_bytes())
    db = tmp_path / "a.sqlite"
    lock = IndexLock(str(db)).acquire()  # another writer holds the archive
    threading.Timer(1.5, lock.release).start()
    started = time.monotonic()
    proc = congvan("index", str(tmp_path / "in"), "--db", str(db), "--workers", "0", "--wait", "60", "--no-progress")
    assert proc.returncode == 0, proc.stderr
    assert time.monotonic() - started >= 1.4
    assert "1 new document" in proc.stdout
    lock = IndexLock(str(db), wait=0.5).acquire()
    try:
        proc = congvan("index", str(tmp_path / "in"), "--db", str(db), "--workers", "0", "--wait", "0.5")
        assert proc.returncode == 2 and "still busy after waiting 0.5 s" in one_line_error(proc)
    finally:
        lock.release()


def test_locked_database_is_one_line(tmp_path):
    db = tmp_path / "a.sqlite"
    open_db(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # e.g. a DB browser in the middle of an edit
    try:
        src = corpus_files()[0]
        proc = congvan("index", str(src), "--db", str(db), "--workers", "0")
        assert proc.returncode == 2
        assert one_line_error(proc) == f"{db}: database is locked by another program; close it or retry later"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    check_consistent(db)


def _prepared(n: int):
    docs = []
    for p in corpus_files()[:n]:
        rec = extract_for_archive(str(p))
        docs.append(rec)
    return docs


def test_read_only_database_is_one_line(tmp_path):
    db = tmp_path / "a.sqlite"
    open_db(db).close()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, isolation_level=None)
    writer = Writer(conn, str(db), None, batch_size=1)
    [doc] = _prepared(1)
    with pytest.raises(ArchiveError) as info:
        writer.add_document(doc, [FileSeen(doc.path, doc.sha256, 1, 1.0)])
    assert str(info.value) == f"{db}: database is read-only (no write permission on the file or its folder)"
    conn.close()
    if os.geteuid() != 0:  # root ignores file modes; elsewhere the CLI check is real too
        os.chmod(db, 0o444)
        proc = congvan("index", str(corpus_files()[0]), "--db", str(db))
        assert proc.returncode == 2 and "read-only" in one_line_error(proc)


def test_full_disk_rolls_back_the_batch_and_says_so(tmp_path):
    db = tmp_path / "a.sqlite"
    conn = open_db(db)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 12}")  # SQLite's own SQLITE_FULL, as on a full disk
    docs = _prepared(12)
    writer = Writer(conn, str(db), None, batch_size=2, commit_seconds=3600)
    with pytest.raises(ArchiveError) as info:
        for d in docs:
            writer.add_document(d, [FileSeen(d.path, d.sha256, 1, 1.0)])
    assert str(info.value).startswith(f"{db}: disk full while writing; the unfinished batch was rolled back")
    stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    conn.close()
    counts = check_consistent(db)
    assert counts["documents"] == stored and stored % 2 == 0 and stored < len(docs)  # whole batches only
    assert counts["files"] == stored
