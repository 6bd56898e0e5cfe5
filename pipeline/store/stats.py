"""What is in the archive: counts by type, issuer, year, format, family; errors; runs; size on disk."""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from .schema import current_version

DIMENSIONS = {
    "doc_type": "coalesce(doc_type, '?')",
    # the same "Sở Tư pháp" of two provinces is two issuers
    "issuer": "CASE WHEN issuer_province IS NULL OR instr(issuer, issuer_province) > 0 THEN coalesce(issuer, '?') "
              "ELSE issuer || ' (' || issuer_province || ')' END",
    "year": "coalesce(CAST(year AS TEXT), '?')",
    "format": "coalesce(format, '?')",
    "family": "coalesce(family, '?')",
    "ocr": "CASE WHEN ocr THEN 'ocr' ELSE 'text' END",
}


def stats(conn: sqlite3.Connection, db: str | os.PathLike | None = None, top: int = 20) -> dict[str, Any]:
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    out: dict[str, Any] = {
        "documents": one("SELECT count(*) FROM documents"),
        "current_documents": one("SELECT count(*) FROM documents d WHERE EXISTS "
                                 "(SELECT 1 FROM files f WHERE f.sha256 = d.sha256)"),
        "files": one("SELECT count(*) FROM files"),
        "errors": one("SELECT count(*) FROM errors"),
        "references": one('SELECT count(*) FROM "references"'),
        "tasks": one("SELECT count(*) FROM tasks"),
        "runs": one("SELECT count(*) FROM runs"),
        "schema_version": current_version(conn),
    }
    if db is not None:
        size = 0
        for suffix in ("", "-wal"):
            try:
                size += os.path.getsize(str(db) + suffix)
            except OSError:
                pass
        out["db_bytes"] = size
        out["bytes_per_document"] = round(size / out["documents"]) if out["documents"] else None
    by: dict[str, list[dict[str, Any]]] = {}
    for name, expr in DIMENSIONS.items():
        order = "key DESC" if name == "year" else "n DESC, key"
        rows = conn.execute(f"SELECT {expr} AS key, count(*) AS n FROM documents GROUP BY key ORDER BY {order} "
                            f"LIMIT ?", (top,)).fetchall()
        by[name] = [{"key": k, "count": n} for k, n in rows]
    by["error"] = [{"key": k, "count": n} for k, n in conn.execute(
        "SELECT stage || ': ' || error AS key, count(*) AS n FROM errors GROUP BY key ORDER BY n DESC LIMIT ?",
        (top,))]
    out["by"] = by
    last = conn.execute("SELECT id, started_at, finished_at, status, engine, workers, files_seen, indexed, "
                        "unchanged, failed, known_errors FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    if last:
        keys = ("id", "started_at", "finished_at", "status", "engine", "workers", "files_seen", "indexed",
                "unchanged", "failed", "known_errors")
        out["last_run"] = dict(zip(keys, last, strict=True))
    return out


def stats_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The same numbers as a flat list of ``{"group", "key", "count"}`` rows (for json/jsonl/csv output)."""
    rows = [{"group": "total", "key": k, "count": data[k]}
            for k in ("documents", "current_documents", "files", "errors", "references", "tasks", "runs")]
    if data.get("db_bytes") is not None:
        rows.append({"group": "total", "key": "db_bytes", "count": data["db_bytes"]})
    for group, items in data["by"].items():
        rows += [{"group": group, "key": it["key"], "count": it["count"]} for it in items]
    return rows


ERROR_COLUMNS = ("path", "stage", "error", "message", "attempts", "first_seen", "last_seen", "sha256")


def error_rows(conn: sqlite3.Connection, error: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """The files that could not be indexed (``congvan errors``), by path; ``error`` keeps one error class."""
    sql = (f"SELECT {', '.join(ERROR_COLUMNS)} FROM errors" + (" WHERE error = ?" if error else "")
           + " ORDER BY path LIMIT ?")
    return [dict(zip(ERROR_COLUMNS, r, strict=True)) for r in conn.execute(sql, ((error,) if error else ()) + (limit,))]
