"""What the pages show, as plain data (the JSON of ``?format=json``): pure functions over an archive
connection. The Starlette layer (app.py) only renders them."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

# relation codes of the record contract (schemas/dispatch.schema.json) → CSS class
RELATION_CLASS = {"based_on": "rel-cancu", "implements": "rel-thuchien", "continues": "rel-tieptuc",
                  "guides": "rel-huongdan", "amends": "rel-suadoi", "replaces": "rel-thaythe",
                  "repeals": "rel-baibo", "responds_to": "rel-traloi", "mentions": "rel-mention"}
MAX_BODY_CHARS = 400_000  # longer texts are cut on the page (the original stays downloadable)


def relation_class(relation: str | None) -> str:
    return RELATION_CLASS.get(relation or "", "rel-mention")


def relation_label(relation: str | None, lang: str = "vi") -> str:
    """The relation as an office names it (căn cứ, thực hiện …) in Vietnamese, the code in English."""
    from ..extract.references import RELATION_VI

    if not relation:
        return ""
    return RELATION_VI.get(relation, relation) if lang == "vi" else relation.replace("_", " ")


def marked(text: str | None) -> Markup:
    """Search snippet markers → <mark>, everything else escaped."""
    from ..store.search import MARK_END, MARK_START

    out = escape(text or "")
    return Markup(str(out).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def dmy(value: str | None) -> str:
    """ISO yyyy-mm-dd (or yyyy-mm, yyyy) → dd/mm/yyyy as Vietnamese offices write dates."""
    if not value:
        return ""
    parts = str(value)[:10].split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    if len(parts) == 2:
        return f"{parts[1]}/{parts[0]}"
    return str(value)


# -- document ------------------------------------------------------------------------------------------------

@dataclass
class Span:
    start: int
    end: int
    kind: str  # number | issuer | ref | task
    css: str
    title: str
    href: str | None = None


def _issuer_span(body: str, record: dict[str, Any]) -> tuple[int, int] | None:
    """Issuers carry no offsets: the printed header line, found in the first part of the text."""
    issuer = record.get("issuer") or {}
    head = body[:3000]
    for cand in (issuer.get("printed"), issuer.get("name")):
        if not cand:
            continue
        first = cand.split("\n")[0].strip()
        if len(first) < 3:
            continue
        i = head.lower().find(first.lower())
        if i >= 0:
            return i, i + len(first)
    return None


def body_spans(body: str, record: dict[str, Any], ref_links: list[str | None]) -> list[Span]:
    spans: list[Span] = []
    n = record.get("number") or {}
    if n.get("start") is not None and n.get("end"):
        spans.append(Span(n["start"], n["end"], "number", "hl-number", n.get("normalized") or n.get("text") or ""))
    iss = _issuer_span(body, record)
    if iss:
        spans.append(Span(iss[0], iss[1], "issuer", "hl-issuer", (record.get("issuer") or {}).get("name") or ""))
    for i, r in enumerate(record.get("references") or []):
        if r.get("start") is None or not r.get("end"):
            continue
        spans.append(Span(r["start"], r["end"], "ref", "hl-ref " + relation_class(r.get("relation")),
                          f"{r.get('relation') or ''}: {r.get('number') or r.get('title') or ''}",
                          ref_links[i] if i < len(ref_links) else None))

    def walk(tasks):
        for t in tasks:
            if t.get("start") is not None and t.get("end"):
                who = ", ".join(t.get("actors") or [])
                due = (t.get("deadline") or {}).get("date") or (t.get("deadline") or {}).get("text") or ""
                spans.append(Span(t["start"], t["end"], "task", "hl-task",
                                  f"{t.get('id', '')} {who} {dmy(due) if due[:4].isdigit() else due}".strip()))
            walk(t.get("subtasks") or [])

    walk(record.get("tasks") or [])
    return [s for s in spans if 0 <= s.start < s.end <= len(body)]


def render_body(body: str, spans: list[Span]) -> Markup:
    """The text with spans as nested-free <span>s: each segment between span boundaries carries the classes
    of every span covering it (references over tasks); references link to their target. All text escaped."""
    if len(body) > MAX_BODY_CHARS:
        body = body[:MAX_BODY_CHARS]
        spans = [s for s in spans if s.end <= MAX_BODY_CHARS]
    bounds = sorted({0, len(body), *[s.start for s in spans], *[s.end for s in spans]})
    out: list[str] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        seg = str(escape(body[a:b]))
        cover = [s for s in spans if s.start <= a and s.end >= b]
        if not cover:
            out.append(seg)
            continue
        order = {"task": 0, "issuer": 1, "number": 2, "ref": 3}
        cover.sort(key=lambda s: order[s.kind])
        classes = " ".join(dict.fromkeys(c for s in cover for c in s.css.split()))
        top = cover[-1]
        title = escape(" · ".join(s.title for s in reversed(cover) if s.title))
        if top.href:
            out.append(f'<a class="{classes}" href="{escape(top.href)}" title="{title}">{seg}</a>')
        else:
            out.append(f'<span class="{classes}" title="{title}">{seg}</span>')
    return Markup("".join(out))


def doc_row(conn: sqlite3.Connection, doc_id: int) -> dict[str, Any] | None:
    cur = conn.execute("SELECT d.*, t.body FROM documents d LEFT JOIN texts t ON t.doc_id = d.id WHERE d.id = ?",
                       (doc_id,))
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([c[0] for c in cur.description], row, strict=True))


def reference_targets(conn: sqlite3.Connection, doc_id: int) -> list[dict[str, Any]]:
    """Each reference of the document with the archived document it names (by number), if any."""
    rows = conn.execute(
        'SELECT r.idx, r.number, r.number_key, r.title, r.doc_type, r.date, r.issuer, r.relation, r.text, '
        '(SELECT c.id FROM documents c WHERE c.number_key = r.number_key AND r.number_key IS NOT NULL '
        ' AND EXISTS (SELECT 1 FROM files f WHERE f.sha256 = c.sha256) ORDER BY c.date DESC LIMIT 1) '
        'FROM "references" r WHERE r.doc_id = ? ORDER BY r.idx', (doc_id,)).fetchall()
    keys = ("idx", "number", "number_key", "title", "doc_type", "date", "issuer", "relation", "text", "target")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def citing(conn: sqlite3.Connection, number_key: str | None, transitive: bool = False, limit: int = 500
           ) -> list[dict[str, Any]]:
    """Archived documents citing ``number_key`` (and, transitively, those citing them; depth given)."""
    if not number_key:
        return []
    out: list[dict[str, Any]] = []
    seen_keys = {number_key}
    frontier = [number_key]
    depth = 1
    seen_docs: set[int] = set()
    while frontier and len(out) < limit and depth <= (25 if transitive else 1):
        marks = ", ".join("?" * len(frontier))
        rows = conn.execute(
            f'SELECT DISTINCT d.id, d.number_normalized, d.doc_type, d.issuer, d.date, d.subject, r.relation, '
            f'd.number_key FROM "references" r JOIN documents d ON d.id = r.doc_id WHERE r.number_key IN ({marks}) '
            f'AND EXISTS (SELECT 1 FROM files f WHERE f.sha256 = d.sha256) ORDER BY d.date LIMIT ?',
            (*frontier, limit)).fetchall()
        frontier = []
        for r in rows:
            if r[0] in seen_docs:
                continue
            seen_docs.add(r[0])
            out.append({"id": r[0], "number": r[1], "doc_type": r[2], "issuer": r[3], "date": r[4],
                        "subject": r[5], "relation": r[6], "depth": depth})
            if r[7] and r[7] not in seen_keys:
                seen_keys.add(r[7])
                frontier.append(r[7])
        depth += 1
    return out


def files_of(conn: sqlite3.Connection, sha256: str) -> list[str]:
    return [r[0] for r in conn.execute("SELECT path FROM files WHERE sha256 = ? ORDER BY path", (sha256,))]


def document_view(conn: sqlite3.Connection, doc_id: int, transitive: bool = False) -> dict[str, Any] | None:
    from ..store.corrections import list_corrections

    row = doc_row(conn, doc_id)
    if row is None:
        return None
    record = json.loads(row["record"])
    refs = reference_targets(conn, doc_id)
    source = record.get("source") or {}
    conf = source.get("ocr_confidence")
    return {
        "id": doc_id, "sha256": row["sha256"], "title": row["title"],
        "fields": {
            "doc_type": row["doc_type_name"] or row["doc_type"], "number": row["number_normalized"],
            "issuer": row["issuer"], "parent_issuer": row["issuer_parent"], "province": row["issuer_province"],
            "place": row["place"], "date": row["date"], "year": row["year"], "year_source": row["year_source"],
            "subject": row["subject"], "signer": row["signer"], "signer_title": row["signer_title"],
            "family": row["family"], "format": row["format"], "pages": row["pages"], "ocr": bool(row["ocr"]),
        },
        "ocr_confidence": round(sum(conf) / len(conf), 2) if conf else None,
        "issuer_inferred": bool((record.get("issuer") or {}).get("inferred")),
        "warnings": record.get("warnings") or [],
        "review": row["review"].split("; ") if row["review"] else [],
        "recipients": record.get("recipients") or [], "cc": record.get("cc") or [],
        "references": refs,
        "cited_by": citing(conn, row["number_key"], transitive),
        "tasks": [dict(zip(("task_id", "parent_id", "text", "actors", "deadline_text", "deadline_date",
                            "recurrence", "kind"), r, strict=True)) for r in conn.execute(
            "SELECT task_id, parent_id, text, actors, deadline_text, deadline_date, recurrence, kind FROM tasks "
            "WHERE doc_id = ? ORDER BY idx", (doc_id,))],
        "files": files_of(conn, row["sha256"]),
        "corrections": [c.to_dict() for c in list_corrections(conn, row["sha256"])],
        "record": record, "body": row["body"] or "",
    }


def cited_view(conn: sqlite3.Connection, number: str) -> dict[str, Any]:
    """A document the archive only knows from citations: how it is cited, and by whom."""
    from ..store.rows import number_key

    key = number_key(number)
    rows = conn.execute(
        'SELECT r.number, r.doc_type, r.date, r.issuer, r.title, r.relation, r.text, d.id, d.number_normalized, '
        'd.issuer, d.date FROM "references" r JOIN documents d ON d.id = r.doc_id WHERE r.number_key = ? '
        'ORDER BY d.date LIMIT 500', (key,)).fetchall()
    keys = ("number", "doc_type", "date", "issuer", "title", "relation", "text", "citing_id", "citing_number",
            "citing_issuer", "citing_date")
    archived = conn.execute("SELECT id FROM documents WHERE number_key = ? LIMIT 1", (key,)).fetchone()
    return {"number": number, "number_key": key, "archived_id": archived[0] if archived else None,
            "citations": [dict(zip(keys, r, strict=True)) for r in rows]}


# -- review queue ----------------------------------------------------------------------------------------------

def review_view(conn: sqlite3.Connection, limit: int = 200, offset: int = 0) -> dict[str, Any]:
    from ..store.corrections import list_corrections

    cur = conn.execute(
        "SELECT d.id, d.number_normalized, d.doc_type, d.issuer, d.date, d.subject, d.format, d.review, "
        "EXISTS (SELECT 1 FROM corrections c WHERE c.sha256 = d.sha256 AND c.active = 1) FROM documents d "
        "WHERE d.review IS NOT NULL AND EXISTS (SELECT 1 FROM files f WHERE f.sha256 = d.sha256) "
        "ORDER BY d.id LIMIT ? OFFSET ?", (limit, offset))
    keys = ("id", "number", "doc_type", "issuer", "date", "subject", "format", "review", "corrected")
    items = []
    for r in cur:
        item = dict(zip(keys, r, strict=True))
        item["review"] = item["review"].split("; ")
        item["corrected"] = bool(item["corrected"])
        items.append(item)
    # a scan and a text copy of one document: same number, date and subject, different contents
    dups = conn.execute(
        "SELECT number_key, date, group_concat(id), group_concat(format), count(*) FROM documents d "
        "WHERE number_key IS NOT NULL AND EXISTS (SELECT 1 FROM files f WHERE f.sha256 = d.sha256) "
        "GROUP BY number_key, date, lower(coalesce(subject, '')) HAVING count(*) > 1 LIMIT ?", (limit,)).fetchall()
    duplicates = [{"number_key": r[0], "date": r[1], "ids": [int(x) for x in r[2].split(",")],
                   "formats": r[3].split(","), "count": r[4]} for r in dups]
    total = conn.execute("SELECT count(*) FROM documents d WHERE d.review IS NOT NULL AND EXISTS "
                         "(SELECT 1 FROM files f WHERE f.sha256 = d.sha256)").fetchone()[0]
    return {"total": total, "items": items, "duplicates": duplicates,
            "corrections": [{**c.to_dict(), "sha256": c.sha256, "active": c.active,
                             "doc_id": _doc_id(conn, c.sha256)} for c in list_corrections(conn, limit=200)]}


def _doc_id(conn: sqlite3.Connection, sha256: str) -> int | None:
    row = conn.execute("SELECT id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
    return row[0] if row else None
