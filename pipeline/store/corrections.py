"""Corrections a person made to a record: stored in their own table, applied to the archive's rows.

A correction names the content it corrects (``sha256``), the field, the value before and after, when and who.
It is applied to the stored record (which also lists it under ``corrections``), to the filter columns of
``documents`` and to ``texts``/``documents_fts``, so search, export and the citation graph all see the
corrected value. Corrections survive re-indexing: unchanged content is never re-extracted, and a new version
of a corrected file inherits a correction as long as the extractor still gives the value the person corrected
(``old``); once the extractor agrees with the person, or gives something else again, the correction is not
carried over silently.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

FIELDS = ("number", "date", "subject", "doc_type", "issuer", "parent_issuer", "place", "signer", "signer_title")


class CorrectionError(ValueError):
    """A correction that cannot be applied (unknown field, bad date, unknown document): one line."""


@dataclass(frozen=True)
class Correction:
    id: int
    sha256: str
    path: str | None
    field: str
    old: str | None
    new: str | None
    at: str
    who: str | None
    note: str | None
    active: bool

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new, "at": self.at, "who": self.who,
                "note": self.note}


_COLUMNS = "id, sha256, path, field, old, new, at, who, note, active"


def _row(r: tuple) -> Correction:
    return Correction(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], bool(r[9]))


# -- reading and writing one field of a record (the JSON contract) -----------------------------------------

def get_value(record: dict[str, Any], field: str) -> str | None:
    """The field as a person sees it: the normalized number, ISO date, type code, names."""
    if field == "number":
        n = record.get("number") or {}
        return n.get("normalized") or n.get("text")
    if field == "doc_type":
        return (record.get("doc_type") or {}).get("code")
    if field == "issuer":
        return (record.get("issuer") or {}).get("name")
    if field == "parent_issuer":
        return (record.get("issuer") or {}).get("parent")
    if field == "signer":
        return (record.get("signer") or {}).get("name")
    if field == "signer_title":
        return (record.get("signer") or {}).get("title")
    if field in ("date", "subject", "place"):
        return record.get(field)
    raise CorrectionError(f"unknown field {field!r} (choose from {', '.join(FIELDS)})")


def _doc_type(value: str) -> dict[str, str]:
    from ..lexicons import doc_types
    from ..normalize import fold

    key = fold(value).strip()
    for t in doc_types():
        if fold(t.code) == key or any(fold(n) == key for n in t.names):
            return {"code": t.code, "name": t.names[0]}
    raise CorrectionError(f"unknown document type {value!r} (a code such as CV, KH, QĐ or a name)")


_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def clean_value(field: str, value: str | None) -> str | None:
    """Validate and normalise what a person typed: dates as dd/mm/yyyy or yyyy-mm-dd, one-line text."""
    if value is None:
        return None
    value = " ".join(str(value).split())
    if not value:
        return None
    if len(value) > 2000:
        raise CorrectionError(f"{field}: value too long ({len(value)} characters, at most 2000)")
    if field == "date":
        m = _DMY.fullmatch(value)
        iso = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else value
        try:
            datetime.strptime(iso, "%Y-%m-%d")
        except ValueError:
            raise CorrectionError(f"date: {value!r} is not a date (dd/mm/yyyy or yyyy-mm-dd)") from None
        return iso
    if field == "doc_type":
        return _doc_type(value)["code"]
    return value


def set_value(record: dict[str, Any], field: str, value: str | None) -> None:
    if field == "number":
        from ..extract.number import parse_number

        if value is None:
            record["number"] = None
            return
        parsed = parse_number(value)
        n = dict(record.get("number") or {})
        if parsed is not None:
            from dataclasses import asdict

            n.update({k: v for k, v in asdict(parsed).items() if k not in ("start", "end")})
        n.update({"text": value, "normalized": value.replace(" ", "")})
        n.setdefault("serial", None)
        n.setdefault("year", None)
        n.setdefault("symbol", None)
        record["number"] = n
    elif field == "doc_type":
        record["doc_type"] = _doc_type(value) if value else None
    elif field in ("issuer", "parent_issuer"):
        issuer = dict(record.get("issuer") or {"name": value or ""})
        issuer["name" if field == "issuer" else "parent"] = value if field == "parent_issuer" else (value or "")
        issuer["inferred"] = False  # a person has now read it
        record["issuer"] = issuer
    elif field in ("signer", "signer_title"):
        signer = dict(record.get("signer") or {})
        signer["name" if field == "signer" else "title"] = value
        record["signer"] = signer
    elif field in ("date", "subject", "place"):
        record[field] = value
    else:
        raise CorrectionError(f"unknown field {field!r} (choose from {', '.join(FIELDS)})")


# -- the table -----------------------------------------------------------------------------------------------

def list_corrections(conn: sqlite3.Connection, sha256: str | None = None, *, active_only: bool = False,
                     limit: int = 1000, offset: int = 0) -> list[Correction]:
    where, args = [], []
    if sha256:
        where.append("sha256 = ?")
        args.append(sha256)
    if active_only:
        where.append("active = 1")
    sql = (f"SELECT {_COLUMNS} FROM corrections" + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY at DESC, id DESC LIMIT ? OFFSET ?")
    return [_row(r) for r in conn.execute(sql, (*args, limit, offset))]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def correct(conn: sqlite3.Connection, doc_id: int, field: str, value: str | None, who: str | None = None,
            note: str | None = None) -> Correction:
    """Record and apply a correction of one field of document ``doc_id`` (one transaction)."""
    if field not in FIELDS:
        raise CorrectionError(f"unknown field {field!r} (choose from {', '.join(FIELDS)})")
    new = clean_value(field, value)
    from .errors import transaction

    with transaction(conn) as c:
        row = c.execute("SELECT sha256, record, (SELECT min(path) FROM files f WHERE f.sha256 = d.sha256) "
                        "FROM documents d WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise CorrectionError(f"no document #{doc_id}")
        sha, record, path = row[0], json.loads(row[1]), row[2]
        old = get_value(record, field)
        if old == new:
            raise CorrectionError(f"{field}: the value is already {new!r}")
        c.execute("UPDATE corrections SET active = 0 WHERE sha256 = ? AND field = ?", (sha, field))
        cur = c.execute("INSERT INTO corrections(sha256, path, field, old, new, at, who, note) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (sha, path, field, old, new, _now(), who, note))
        refresh_document(c, doc_id)
        _graph_is_stale(c)
        got = c.execute(f"SELECT {_COLUMNS} FROM corrections WHERE id = ?", (cur.lastrowid,)).fetchone()
    return _row(got)


def _graph_is_stale(conn: sqlite3.Connection) -> None:
    """Make the next graph query rebuild the citation graph (a corrected number, date or issuer changes its
    nodes); indexed_at alone has a one-second resolution."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'graph_meta'").fetchone():
        conn.execute("DELETE FROM graph_meta WHERE key = 'documents_signature'")


def inherit(conn: sqlite3.Connection, doc_id: int, sha256: str, path: str | None) -> int:
    """Called for a newly stored content (inside the writer's transaction): apply the corrections already
    made to this content, and carry over those made to an earlier version of the same file whose corrected
    value the extractor still gives. Returns the number of corrections applied."""
    if path:
        record = json.loads(conn.execute("SELECT record FROM documents WHERE id = ?", (doc_id,)).fetchone()[0])
        for c in [_row(r) for r in conn.execute(
                f"SELECT {_COLUMNS} FROM corrections WHERE path = ? AND sha256 != ? AND active = 1 ORDER BY id",
                (path, sha256))]:
            if get_value(record, c.field) == c.old and not conn.execute(
                    "SELECT 1 FROM corrections WHERE sha256 = ? AND field = ? AND active = 1",
                    (sha256, c.field)).fetchone():
                conn.execute("INSERT INTO corrections(sha256, path, field, old, new, at, who, note) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             (sha256, path, c.field, c.old, c.new, c.at, c.who,
                              f"carried over from an earlier version ({c.sha256[:12]})"))
    n = conn.execute("SELECT count(*) FROM corrections WHERE sha256 = ? AND active = 1", (sha256,)).fetchone()[0]
    if n:
        refresh_document(conn, doc_id)
    return n


# -- recomputing the rows of a document ---------------------------------------------------------------------

def _corrected(record: dict[str, Any], corrections: list[Correction]) -> dict[str, Any]:
    record = json.loads(json.dumps(record))
    applied = []
    for c in sorted(corrections, key=lambda c: c.id):
        if c.active:
            set_value(record, c.field, c.new)
            applied.append(c.to_dict())
    record.pop("corrections", None)
    if applied:
        record["corrections"] = applied
    return record


def _prepared(record: dict[str, Any], body: str):
    from ..models import Dispatch
    from .rows import prepare

    return prepare(Dispatch.from_dict({k: v for k, v in record.items() if k not in ("corrections", "paths")}),
                   body)


_UPDATE_DOC: Callable[[tuple[str, ...]], str] = lambda cols: (  # noqa: E731
    "UPDATE documents SET " + ", ".join(f"{c} = ?" for c in cols) + " WHERE id = ?")


def refresh_document(conn: sqlite3.Connection, doc_id: int, *, fts: bool = True) -> None:
    """Rewrite a document's derived rows (filter columns, texts, FTS) from its record and its corrections.
    Runs inside the caller's transaction."""
    from .rows import DOC_COLUMNS, TEXT_COLUMNS

    row = conn.execute("SELECT d.sha256, d.record, t.body FROM documents d LEFT JOIN texts t ON t.doc_id = d.id "
                       "WHERE d.id = ?", (doc_id,)).fetchone()
    if row is None:
        return
    sha, record, body = row[0], json.loads(row[1]), row[2] or ""
    corrections = list_corrections(conn, sha, active_only=True)
    record = _corrected(record, corrections)
    try:
        prepared = _prepared(record, body)
    except (KeyError, TypeError, ValueError):  # a record this version cannot read: its rows stay as they are
        if corrections:
            raise CorrectionError(f"document #{doc_id}: its stored record cannot be read; re-index it") from None
        return
    values = dict(zip(DOC_COLUMNS, prepared.doc, strict=True))
    values["record"] = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    cols = tuple(c for c in DOC_COLUMNS if c != "sha256")
    if corrections:  # the graph notices a changed archive by indexed_at (link.build.documents_signature)
        conn.execute(_UPDATE_DOC(cols + ("indexed_at",)), (*[values[c] for c in cols], _now(), doc_id))
    else:
        conn.execute(_UPDATE_DOC(cols), (*[values[c] for c in cols], doc_id))
    text = dict(zip(TEXT_COLUMNS, prepared.text, strict=True))
    if fts:
        old = conn.execute(f"SELECT {', '.join(TEXT_COLUMNS)} FROM texts WHERE doc_id = ?", (doc_id,)).fetchone()
        if old is not None:
            conn.execute(f"INSERT INTO documents_fts(documents_fts, rowid, {', '.join(TEXT_COLUMNS)}) "
                         f"VALUES ('delete', ?, {', '.join('?' * len(TEXT_COLUMNS))})", (doc_id, *old))
    conn.execute("UPDATE texts SET " + ", ".join(f"{c} = ?" for c in TEXT_COLUMNS) + " WHERE doc_id = ?",
                 (*[text[c] for c in TEXT_COLUMNS], doc_id))
    if fts:
        conn.execute(f"INSERT INTO documents_fts(rowid, {', '.join(TEXT_COLUMNS)}) "
                     f"VALUES (?, {', '.join('?' * len(TEXT_COLUMNS))})", (doc_id, *[text[c] for c in TEXT_COLUMNS]))


def refresh_all(conn: sqlite3.Connection) -> int:
    """Recompute every document's derived rows, then rebuild the FTS index (schema upgrades)."""
    ids = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")]
    for doc_id in ids:
        refresh_document(conn, doc_id, fts=False)
    conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")
    return len(ids)


def _via(refs: list[dict[str, Any]], idx: int | None) -> str | None:
    if idx is None or not 0 <= idx < len(refs):
        return None
    return refs[idx].get("number") or refs[idx].get("title")


# -- gold-format export -------------------------------------------------------------------------------------

def gold_records(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every corrected document as a gold-format object (shared/corpus/dev/README.md): the record with the
    corrections applied, the corrections listed in ``quirks``; ``congvan eval`` can score against them."""
    import os

    out = []
    shas = [r[0] for r in conn.execute("SELECT DISTINCT sha256 FROM corrections WHERE active = 1 ORDER BY sha256")]
    for sha in shas:
        row = conn.execute("SELECT record, (SELECT min(path) FROM files f WHERE f.sha256 = d.sha256) "
                           "FROM documents d WHERE sha256 = ?", (sha,)).fetchone()
        if row is None:
            continue
        rec, path = json.loads(row[0]), row[1] or ""
        corrections = list_corrections(conn, sha, active_only=True)
        stem = os.path.splitext(os.path.basename(path or (rec.get("source") or {}).get("path") or sha))[0]
        number = rec.get("number") or {}
        issuer = rec.get("issuer") or {}
        signer = rec.get("signer")
        out.append({
            "id": stem, "source": {"repo": None, "path": path, "commit": None},
            "file": None, "format": (rec.get("source") or {}).get("format"),
            "doc_type": (rec.get("doc_type") or {}).get("name"),
            "number": number.get("text"), "number_normalized": number.get("normalized") or number.get("text"),
            "issuer": issuer.get("printed") or issuer.get("name"),
            "parent_issuer": issuer.get("parent_printed") or issuer.get("parent"),
            "place": rec.get("place"), "date": rec.get("date"), "subject": rec.get("subject"),
            "recipients": rec.get("recipients") or [], "cc": rec.get("cc") or [],
            "signer": None if not signer else {
                "name": signer.get("name"), "title": signer.get("title"), "authority": signer.get("authority_line"),
                "authority_prefixes": [signer["authority"]] if signer.get("authority") else []},
            "references": [{"text": r.get("text"), "start": r.get("start"), "end": r.get("end"),
                            "doc_type": (r.get("doc_type") or {}).get("name"), "number": r.get("number"),
                            "date": r.get("date"), "issuer": r.get("issuer"), "title": r.get("title"),
                            "relation": r.get("relation"),
                            "via": _via(rec.get("references", []), r.get("via"))} for r in rec.get("references", [])],
            "action_items": [{"text": t.get("text"), "actor": ", ".join(t.get("actors") or []) or None,
                              "deadline": (t.get("deadline") or {}).get("date") or (t.get("deadline") or {}).get(
                                  "text"), "label": t.get("label")} for t in rec.get("tasks", [])],
            "quirks": [f"corrected {c.field}: {c.old!r} → {c.new!r} by {c.who or '?'} at {c.at}"
                       for c in sorted(corrections, key=lambda c: c.id)],
            "sha256": sha,
        })
    return out
