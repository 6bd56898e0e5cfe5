"""The SQLite archive: ``congvan index`` writes it, ``search``/``stats``/``errors``/``export`` read it.

    from pipeline.store import index, open_db, search, SearchQuery
    report = index("archive.sqlite", ["inbox/"])                 # local worker processes
    conn = open_db("archive.sqlite", readonly=True)
    hits = search(conn, SearchQuery(text="ket luan 01", issuer="LĐLĐ"))

Modules: schema (tables + migrations), db (open, WAL, lock, one-line errors), rows (record → rows), work (what
a worker runs), engines (local pool, Dask), writer (single writer, batched transactions), runner (the index
run), search (FTS5 + filters), stats, export (jsonl/csv/parquet).
"""

from __future__ import annotations

from ..run.engines import DaskEngine, LocalEngine, make_engine
from .db import ArchiveError, ArchiveLocked, open_db
from .runner import IndexOptions, IndexReport, index
from .search import QueryError, SearchQuery, search

__all__ = ["ArchiveError", "ArchiveLocked", "open_db", "index", "IndexOptions", "IndexReport", "LocalEngine",
           "DaskEngine", "make_engine", "search", "SearchQuery", "QueryError"]
