"""Exports of the archive: JSON Lines (full records), CSV (one row per document), Parquet (partitioned).

Every export streams from SQLite in batches: memory does not grow with the archive.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..outputs import CsvWriter

CSV_COLUMNS = ("number", "doc_type", "doc_type_name", "issuer", "issuer_parent", "family", "place", "date",
               "year", "subject", "signer", "signer_title", "format", "pages", "ocr", "n_references", "n_tasks",
               "path", "sha256", "issuer_province", "recipients", "warnings", "needs_review", "corrected")
# computed per row (not columns of ``documents``)
_CSV_EXTRA = {
    "recipients": "(SELECT group_concat(name, '; ') FROM (SELECT name FROM recipients r WHERE r.doc_id = d.id "
                  "AND r.kind != 'cc' ORDER BY r.idx))",
    "warnings": "(SELECT group_concat(value, '; ') FROM json_each(d.record, '$.warnings'))",
    "needs_review": "d.review",
    "corrected": "(SELECT group_concat(field, '; ') FROM corrections c WHERE c.sha256 = d.sha256 AND c.active = 1)",
}

_PATHS = "(SELECT json_group_array(path) FROM (SELECT path FROM files f WHERE f.sha256 = d.sha256 ORDER BY path))"
_CURRENT = "EXISTS (SELECT 1 FROM files f WHERE f.sha256 = d.sha256)"


def _where(all_versions: bool) -> str:
    return "" if all_versions else f" WHERE {_CURRENT}"


def iter_records(conn: sqlite3.Connection, all_versions: bool = False) -> Iterator[dict[str, Any]]:
    """Each document's record (the JSON contract) plus ``paths``: every file that holds this content."""
    cur = conn.execute(f"SELECT record, {_PATHS} FROM documents d{_where(all_versions)} ORDER BY d.id")
    for record, paths in cur:
        data = json.loads(record)
        data["paths"] = json.loads(paths) if paths else []
        yield data


def export_jsonl(conn: sqlite3.Connection, out: IO[str], all_versions: bool = False) -> int:
    n = 0
    for data in iter_records(conn, all_versions):
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
        n += 1
    return n


def export_csv(conn: sqlite3.Connection, out: IO[str], all_versions: bool = False, bom: bool = False) -> int:
    """One row per document; ``bom`` writes a UTF-8 byte order mark first so Excel reads the Vietnamese."""
    cols = [c for c in CSV_COLUMNS if c not in ("path", "number")]
    exprs = [_CSV_EXTRA.get(c, "d." + c) for c in cols]
    sql = (f"SELECT d.number_normalized, {', '.join(exprs)}, "
           f"(SELECT min(path) FROM files f WHERE f.sha256 = d.sha256) FROM documents d{_where(all_versions)} "
           "ORDER BY d.id")
    if bom:
        out.write("\ufeff")
    writer = CsvWriter(out)  # cells a spreadsheet would run as formulas are neutralised
    writer.writerow(("number", *cols, "path"))
    n = 0
    for row in conn.execute(sql):
        writer.writerow(row)
        n += 1
    return n


def export_corrections(conn: sqlite3.Connection, out_dir: str | os.PathLike | None, out: IO[str] | None = None
                       ) -> int:
    """The corrected documents in gold format: ``out_dir/gold/<id>.json`` plus ``out_dir/docs/<id>.txt`` (the
    text the offsets point into), a folder ``congvan eval`` reads; or one JSON list on ``out``."""
    from .corrections import gold_records

    records = gold_records(conn)
    if out_dir is None:
        assert out is not None
        out.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
        return len(records)
    root = Path(out_dir)
    (root / "gold").mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    for rec in records:
        body = conn.execute("SELECT t.body FROM texts t JOIN documents d ON d.id = t.doc_id WHERE d.sha256 = ?",
                            (rec["sha256"],)).fetchone()
        for sub, name, text in (("docs", rec["id"] + ".txt", (body[0] if body else "") or ""),
                                ("gold", rec["id"] + ".json", json.dumps(rec, ensure_ascii=False, indent=1) + "\n")):
            target = root / sub / name
            tmp = target.with_name(target.name + ".tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, target)
    return len(records)


def _document_schema(with_text: bool):
    import pyarrow as pa

    fields = [
        ("id", pa.int64()), ("sha256", pa.string()), ("number", pa.string()), ("number_normalized", pa.string()),
        ("doc_type", pa.string()), ("doc_type_name", pa.string()), ("issuer", pa.string()),
        ("issuer_parent", pa.string()), ("issuer_code", pa.string()), ("family", pa.string()),
        ("place", pa.string()), ("date", pa.string()), ("year", pa.int32()), ("subject", pa.string()),
        ("signer", pa.string()), ("signer_title", pa.string()), ("format", pa.string()), ("pages", pa.int32()),
        ("ocr", pa.bool_()), ("size", pa.int64()), ("n_references", pa.int32()), ("n_tasks", pa.int32()),
        ("indexed_at", pa.string()), ("paths", pa.list_(pa.string())), ("record", pa.string()),
    ]
    if with_text:
        fields.append(("body", pa.string()))
    return pa.schema(fields)


def _batches(conn: sqlite3.Connection, schema, sql: str, rows_per_batch: int, convert) -> Iterator:
    import pyarrow as pa

    cur = conn.execute(sql)
    names = schema.names
    while True:
        rows = cur.fetchmany(rows_per_batch)
        if not rows:
            return
        cols = list(zip(*[convert(r) for r in rows], strict=True))
        yield pa.RecordBatch.from_arrays([pa.array(c, type=schema.field(n).type) for n, c in zip(names, cols,
                                                                                                  strict=True)],
                                         schema=schema)


def export_parquet(conn: sqlite3.Connection, out_dir: str | os.PathLike, all_versions: bool = False,
                   with_text: bool = False, rows_per_batch: int = 2000) -> dict[str, int]:
    """Write ``out_dir/documents/year=YYYY/part-N.parquet`` (Hive partitioning by year) and
    ``out_dir/references/part-0.parquet``. Existing partitions are replaced."""
    try:
        import pyarrow as pa
        import pyarrow.dataset as ds
        import pyarrow.parquet as pq
    except ImportError:
        raise RuntimeError("Parquet export needs `pip install pyarrow`") from None
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    schema = _document_schema(with_text)
    text_col = ", t.body" if with_text else ""
    text_join = " JOIN texts t ON t.doc_id = d.id" if with_text else ""
    sql = (f"SELECT d.id, d.sha256, d.number, d.number_normalized, d.doc_type, d.doc_type_name, d.issuer, "
           f"d.issuer_parent, d.issuer_code, d.family, d.place, d.date, d.year, d.subject, d.signer, d.signer_title, "
           f"d.format, d.pages, d.ocr, d.size, d.n_references, d.n_tasks, d.indexed_at, {_PATHS}, d.record"
           f"{text_col} FROM documents d{text_join}{_where(all_versions)} ORDER BY d.id")
    paths_idx = schema.names.index("paths")
    ocr_idx = schema.names.index("ocr")

    def convert(row: tuple) -> tuple:
        row = list(row)
        row[paths_idx] = json.loads(row[paths_idx]) if row[paths_idx] else []
        row[ocr_idx] = bool(row[ocr_idx])
        return tuple(row)

    counts = {"documents": 0, "references": 0}

    def counted():
        for batch in _batches(conn, schema, sql, rows_per_batch, convert):
            counts["documents"] += batch.num_rows
            yield batch

    reader = pa.RecordBatchReader.from_batches(schema, counted())
    ds.write_dataset(reader, out / "documents", format="parquet",
                     partitioning=ds.partitioning(pa.schema([("year", pa.int32())]), flavor="hive"),
                     existing_data_behavior="delete_matching", basename_template="part-{i}.parquet",
                     min_rows_per_group=min(1000, rows_per_batch), max_rows_per_group=10_000)
    ref_schema = pa.schema([("doc_sha256", pa.string()), ("idx", pa.int32()), ("number", pa.string()),
                            ("number_key", pa.string()), ("title", pa.string()), ("doc_type", pa.string()),
                            ("date", pa.string()), ("issuer", pa.string()), ("relation", pa.string()),
                            ("via", pa.int32()), ("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())])
    ref_sql = ('SELECT d.sha256, r.idx, r.number, r.number_key, r.title, r.doc_type, r.date, r.issuer, r.relation, '
               'r.via, r."start", r."end", r.text FROM "references" r JOIN documents d ON d.id = r.doc_id'
               f"{_where(all_versions)} ORDER BY r.doc_id, r.idx")
    (out / "references").mkdir(exist_ok=True)
    target = out / "references" / "part-0.parquet"
    # mkstemp: O_EXCL|O_NOFOLLOW, so a symlink planted at a predictable temp name is never written through
    fd, tmp = tempfile.mkstemp(prefix=".part-0.", suffix=".parquet.tmp", dir=out / "references")
    os.close(fd)
    try:
        with pq.ParquetWriter(tmp, ref_schema) as w:
            for batch in _batches(conn, ref_schema, ref_sql, rows_per_batch * 5, lambda r: r):
                counts["references"] += batch.num_rows
                w.write_batch(batch)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return counts
