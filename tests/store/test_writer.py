"""The background writer: a batch commits on its own thread, lookups see it at once, and a failure on that
thread is raised to the caller with only whole batches stored."""

from __future__ import annotations

import pytest

from pipeline.store.db import ArchiveError, open_db
from pipeline.store.writer import FileSeen, Writer

from .conftest import check_consistent
from .test_crash import _prepared


def test_a_batch_in_flight_is_seen_by_lookups_and_committed_by_flush(tmp_path):
    db = tmp_path / "a.sqlite"
    conn = open_db(db)
    docs = _prepared(5)
    writer = Writer(conn, str(db), None, batch_size=2, commit_seconds=3600, background=True)
    try:
        for d in docs:
            writer.add_document(d, [FileSeen(d.path, d.sha256, 1, 1.0)])
            assert writer.has_document(d.sha256)  # buffered, in flight or committed: never extracted twice
        writer.flush()
        assert writer.committed_docs == len({d.sha256 for d in docs}) and writer.writer_cpu > 0
    finally:
        writer.close()
        conn.close()
    assert check_consistent(db)["documents"] == len({d.sha256 for d in docs})


def test_a_failure_on_the_writer_thread_reaches_the_caller(tmp_path):
    db = tmp_path / "a.sqlite"
    conn = open_db(db)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 12}")  # SQLite's own SQLITE_FULL, as on a full disk
    docs = _prepared(12)
    writer = Writer(conn, str(db), None, batch_size=2, commit_seconds=3600, background=True)
    with pytest.raises(ArchiveError) as info:
        for d in docs:
            writer.add_document(d, [FileSeen(d.path, d.sha256, 1, 1.0)])
        writer.flush()
    assert str(info.value).startswith(f"{db}: disk full while writing; the unfinished batch was rolled back")
    writer.discard()
    writer.close()
    stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    conn.close()
    counts = check_consistent(db)
    assert counts["documents"] == stored and stored % 2 == 0 and stored < len(docs)  # whole batches only
