"""Schema and migrations: a fresh archive is at the latest version, an old one is upgraded in place with its
data intact, a newer or foreign database is refused with one line."""

from __future__ import annotations

import sqlite3

import pytest

from pipeline.store import ArchiveError, open_db
from pipeline.store.schema import LATEST, MIGRATIONS, _statements, current_version, migrate

from .conftest import cli, one_line_error

TABLES = {"documents", "texts", "documents_fts", "files", "references", "tasks", "recipients", "errors", "runs",
          "schema_version"}


def tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}


def test_fresh_archive_is_latest_and_in_wal(tmp_path):
    conn = open_db(tmp_path / "a.sqlite")
    assert current_version(conn) == LATEST == MIGRATIONS[-1].version
    assert TABLES <= tables(conn)
    assert {"document_files", "citations"} <= tables(conn)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    versions = [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY version")]
    assert versions == [m.version for m in MIGRATIONS]
    conn.close()
    # opening again applies nothing
    conn = open_db(tmp_path / "a.sqlite")
    assert migrate(conn) == []
    conn.close()


def test_old_archive_is_migrated_with_data_intact(tmp_path):
    db = tmp_path / "old.sqlite"
    conn = sqlite3.connect(db, isolation_level=None)
    assert migrate(conn, target=1) == [1]
    conn.execute("INSERT INTO documents(sha256, record, indexed_at, subject) VALUES ('abc', '{}', 'now', 'x')")
    conn.execute("INSERT INTO files(path, sha256, first_seen, last_seen) VALUES ('/a.txt', 'abc', 'now', 'now')")
    conn.close()
    # a reader refuses to work on an old schema and says how to upgrade
    with pytest.raises(ArchiveError, match="run `congvan index --db"):
        open_db(db, readonly=True)
    conn = open_db(db)  # a writer upgrades
    assert current_version(conn) == LATEST
    assert conn.execute("SELECT sha256, subject FROM documents").fetchall() == [("abc", "x")]
    assert conn.execute("SELECT path FROM document_files").fetchall() == [("/a.txt",)]
    conn.close()


def test_interrupted_migration_leaves_previous_version(tmp_path, monkeypatch):
    from pipeline.store import schema

    db = tmp_path / "m.sqlite"
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, target=1)
    broken = schema.Migration(2, "broken", "CREATE TABLE half (x);\nTHIS IS NOT SQL;")
    monkeypatch.setattr(schema, "MIGRATIONS", (schema.MIGRATIONS[0], broken))
    with pytest.raises(sqlite3.Error):
        schema.migrate(conn)
    assert current_version(conn) == 1
    assert "half" not in tables(conn)  # the failed step was rolled back whole
    conn.close()


def test_newer_schema_is_refused(tmp_path):
    db = tmp_path / "new.sqlite"
    open_db(db).close()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("INSERT INTO schema_version(version, name) VALUES (?, 'from the future')", (LATEST + 1,))
    conn.close()
    with pytest.raises(ArchiveError, match="newer than this congvan"):
        open_db(db)
    proc = cli("stats", "--db", str(db))
    assert proc.returncode == 2
    assert "newer than this congvan" in one_line_error(proc)


def test_foreign_or_missing_database_is_one_line(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    proc = cli("search", "x", "--db", str(junk))
    assert proc.returncode == 2
    assert str(junk) in one_line_error(proc)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    proc = cli("stats", "--db", str(other))
    assert proc.returncode == 2 and "not a congvan archive" in one_line_error(proc)
    proc = cli("errors", "--db", str(tmp_path / "missing.sqlite"))
    assert proc.returncode == 2 and "no such archive" in one_line_error(proc)
    assert not (tmp_path / "missing.sqlite").exists()  # readers never create a database


def test_statement_splitter_keeps_comments_out():
    stmts = _statements("-- a comment\nCREATE TABLE a (x TEXT, -- inline\n y);\n\nCREATE INDEX i ON a(x);\n")
    assert len(stmts) == 2 and stmts[0].startswith("CREATE TABLE a")
