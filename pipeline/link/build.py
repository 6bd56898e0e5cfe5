"""The citation graph of an archive: nodes (documents, indexed or only cited) and edges (citations), stored in
the archive itself in ``graph_nodes``, ``graph_edges`` and ``graph_meta``.

Nodes
    one per document identity (see :mod:`.identity`): every indexed document, and a *stub* for each document
    that is only cited. A stub disappears into the real document when that document is indexed and the graph
    is rebuilt (``congvan graph build``, or automatically by any graph command when ``documents`` changed).
    A citation that fits several documents points to an ``ambiguous`` node and its edge lists the candidates:
    it is never silently linked.
Edges
    citing → cited, with the relation of the reference (implements, continues, based_on …). A reference read
    through a ``via`` chain ("Thực hiện CV 6713 … về … KL 01") gives 6713 → 01-KL/TW, kind ``via``,
    ``asserted_by`` the document that said so (1244). ``inverse`` references (passive cue: "Luật A, được sửa đổi
    bởi Luật B") run from the nested document to its outer one. Evidence: the sentence around the citation,
    with offsets into the body of the asserting document.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..normalize import fold
from .identity import (
    NumberInfo,
    Place,
    compatible_locality,
    doc_period,
    make_key,
    number_info,
    place_of,
    title_is_local,
    title_key,
    unit_of,
)

GRAPH_VERSION = "2"

GRAPH_SCHEMA = """
CREATE TABLE IF NOT EXISTS graph_nodes (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,              -- family|number key|period|locality (identity.py), or title|… / ambiguous|…
    doc_id INTEGER,                        -- documents.id when the document is in the archive, else NULL (stub)
    number TEXT,                           -- normalized number as printed ("01-KL/TW")
    number_key TEXT,                       -- folded ("01-kl/tw")
    label TEXT NOT NULL,                   -- number, or the title of a name-only reference
    title TEXT,
    family TEXT,                           -- state | party | union | front | legal
    level TEXT,                            -- central | province | district | commune | grassroots
    issuer TEXT,
    locality TEXT,
    province TEXT,
    period TEXT,                           -- y2024 | tXIII | t2020-2025 | ?
    date TEXT,
    doc_type TEXT,
    stub INTEGER NOT NULL DEFAULT 0,
    ambiguous INTEGER NOT NULL DEFAULT 0,
    n_docs INTEGER NOT NULL DEFAULT 0      -- archive documents merged into this node (copies, drafts)
);
CREATE INDEX IF NOT EXISTS graph_nodes_number_key ON graph_nodes(number_key);
CREATE INDEX IF NOT EXISTS graph_nodes_doc ON graph_nodes(doc_id);
CREATE TABLE IF NOT EXISTS graph_edges (
    id INTEGER PRIMARY KEY,
    src INTEGER NOT NULL,                  -- citing node
    dst INTEGER NOT NULL,                  -- cited node
    relation TEXT NOT NULL,
    kind TEXT NOT NULL,                    -- direct | via
    asserted_by INTEGER,                   -- node of the document whose text gives the edge
    doc_id INTEGER,                        -- documents.id of that document
    ref_idx INTEGER,                       -- index of the reference in its record
    via_idx INTEGER,
    cited_text TEXT,
    evidence TEXT,                         -- the sentence around the citation
    ev_start INTEGER,                      -- offsets of the citation in the body of doc_id
    ev_end INTEGER,
    ambiguous INTEGER NOT NULL DEFAULT 0,
    candidates TEXT,                       -- JSON: the nodes an ambiguous citation could mean
    n INTEGER NOT NULL DEFAULT 1           -- citations folded into this edge
);
-- covering indexes for the recursive walks (a walk step must not touch the table: SQLite would otherwise build
-- a Bloom filter over the whole table at every recursion step)
DROP INDEX IF EXISTS graph_edges_dst;
DROP INDEX IF EXISTS graph_edges_src;
CREATE INDEX IF NOT EXISTS graph_edges_down ON graph_edges(dst, ambiguous, relation, src);
CREATE INDEX IF NOT EXISTS graph_edges_up ON graph_edges(src, ambiguous, relation, dst);
CREATE TABLE IF NOT EXISTS graph_meta (key TEXT PRIMARY KEY, value TEXT);
"""

NODE_COLUMNS = ("id", "key", "doc_id", "number", "number_key", "label", "title", "family", "level", "issuer",
                "locality", "province", "period", "date", "doc_type", "stub", "ambiguous", "n_docs")
EDGE_COLUMNS = ("id", "src", "dst", "relation", "kind", "asserted_by", "doc_id", "ref_idx", "via_idx", "cited_text",
                "evidence", "ev_start", "ev_end", "ambiguous", "candidates", "n")


def ensure_schema(conn: sqlite3.Connection) -> None:
    for stmt in GRAPH_SCHEMA.split(";"):
        if stmt.strip():
            conn.execute(stmt)


def has_graph(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name='graph_meta'").fetchone() is not None


def documents_signature(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT count(*), max(id), max(indexed_at) FROM documents").fetchone()
    return f"{row[0]}:{row[1]}:{row[2]}:v{GRAPH_VERSION}"


def is_stale(conn: sqlite3.Connection) -> bool:
    if not has_graph(conn):
        return True
    row = conn.execute("SELECT value FROM graph_meta WHERE key='documents_signature'").fetchone()
    if row is None:
        return True
    if row[0] == "synthetic":  # written by benchmarks/graph_scale.py: never rebuilt from documents
        return False
    return row[0] != documents_signature(conn)


@dataclass
class Node:
    id: int
    key: str
    label: str
    doc_id: int | None = None
    number: str | None = None
    number_key: str | None = None
    title: str | None = None
    family: str | None = None
    level: str | None = None
    issuer: str | None = None
    locality: str | None = None
    province: str | None = None
    period: str = "?"
    date: str | None = None
    doc_type: str | None = None
    stub: bool = True
    ambiguous: bool = False
    n_docs: int = 0
    place: Place | None = None
    central: bool = False
    dates: Counter = field(default_factory=Counter)
    issuers: Counter = field(default_factory=Counter)

    def row(self) -> tuple:
        date = self.date
        if self.stub and self.dates:
            date = self.dates.most_common(1)[0][0]
        issuer = self.issuer
        if self.stub and self.issuers and not issuer:
            issuer = max(self.issuers.items(), key=lambda kv: (kv[1], len(kv[0])))[0]
        return (self.id, self.key, self.doc_id, self.number, self.number_key, self.label, self.title, self.family,
                self.level, issuer, self.locality, self.province, self.period, date, self.doc_type,
                int(self.stub), int(self.ambiguous), self.n_docs)


@dataclass
class Doc:
    id: int
    node: Node
    date: str | None
    place: Place
    refs: list[dict[str, Any]]
    body: str


def _family_of_title(text: str) -> str:
    t = fold(text)
    if re.search(r"\b(luat|bo luat|nghi dinh|thong tu|phap lenh|hien phap)\b", t):
        return "legal"
    if re.search(r"\bcong doan\b", t):
        return "union"
    if re.search(r"\b(doan thanh nien|dai hoi doan|mat tran)\b", t):
        return "front"
    if re.search(r"\bdang\b", t):
        return "party"
    return "state"


def _level_of_title(text: str) -> str:
    t = fold(text)
    for word, level in (("xa", "commune"), ("huyen", "district"), ("tinh", "province")):
        if re.search(rf"\b{word}\b", t):
            return level
    return "central"


def evidence_sentence(body: str, start: int | None, end: int | None, limit: int = 320) -> tuple[str, int, int]:
    """The sentence (clause run up to `.`/line break) around body[start:end], at most ``limit`` characters."""
    if not body or start is None or end is None or start < 0 or end > len(body):
        return "", start or 0, end or 0
    lo = max(body.rfind(". ", 0, start), body.rfind(".\n", 0, start), body.rfind("\n\n", 0, start)) + 1
    lo = max(lo, start - limit // 2)
    hi_candidates = [i for i in (body.find(". ", end), body.find(".\n", end), body.find("\n\n", end)) if i >= 0]
    hi = min(hi_candidates) + 1 if hi_candidates else len(body)
    hi = min(hi, end + limit // 2)
    text = " ".join(body[lo:hi].split())
    return text, start, end


class Builder:
    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.by_nk: dict[str, list[Node]] = defaultdict(list)
        self.edges: dict[tuple, list[Any]] = {}
        self._next = 1
        self.stats = Counter()

    # -- nodes -----------------------------------------------------------------------------------------------

    def _new(self, key: str, label: str, **kw) -> Node:
        node = Node(id=self._next, key=key, label=label, **kw)
        self._next += 1
        self.nodes[key] = node
        if node.number_key:
            self.by_nk[node.number_key].append(node)
        return node

    def add_document(self, row: sqlite3.Row | tuple, record: dict[str, Any], body: str) -> Doc:
        (doc_id, number, family, issuer, parent, place, date, doc_type, doc_type_name, subject) = row
        num = (record.get("number") or {}) if isinstance(record.get("number"), dict) else {}
        number = number or num.get("normalized")
        info: NumberInfo | None = number_info(number) if number and num.get("serial") is not False else None
        code_level = info.level if info else None
        pl = place_of(issuer, parent, place, code_level)
        if info is not None:
            period = doc_period(info, date, subject)
            locality = "" if info.central else (pl.locality or "?")
            key = make_key(info.family, info.key, period, locality)
            fam = info.family
        else:
            period, locality, fam = "?", pl.locality or "", family or "state"
            key = f"doc|{doc_id}"
        node = self.nodes.get(key)
        if node is None or node.stub:
            node = self._new(key, number or (subject or f"document {doc_id}")[:80], doc_id=doc_id, number=number,
                             number_key=info.key if info else None, title=subject, family=fam,
                             level=pl.level if pl.level and not (info and info.central) else code_level or pl.level,
                             issuer=issuer, locality=locality, province=pl.province, period=period, date=date,
                             doc_type=doc_type_name or doc_type, stub=False, n_docs=1, place=pl,
                             central=bool(info and info.central))
        else:
            node.n_docs += 1
            self.stats["merged_copies"] += 1
        return Doc(doc_id, node, date, pl, record.get("references") or [], body)

    # -- resolution ------------------------------------------------------------------------------------------

    def _cited_locality(self, ref: dict, info: NumberInfo, doc: Doc) -> str | None:
        if info.central:
            return ""
        level, name = unit_of(ref.get("issuer"))
        if name:
            return name
        from .identity import province_in

        prov = province_in(ref.get("issuer"))
        if prov:
            return prov
        if level:
            if doc.place.level == level and doc.node.locality not in (None, "", "?"):
                return doc.node.locality
            return doc.place.units.get(level)
        return None

    def _compatible(self, n: Node, period: str, date: str | None, loc: str | None, doc: Doc,
                    info: NumberInfo) -> bool:
        if n.ambiguous:
            return False
        if period != "?" and n.period != "?" and period != n.period:
            return False
        ndate = n.date if not n.stub else (n.dates.most_common(1)[0][0] if n.dates else None)
        if date and ndate and not n.stub and date != ndate:
            return False
        if period == "?" and ndate and doc.date and ndate > doc.date:
            return False  # a document cannot cite one issued after it
        if not compatible_locality(loc, n.place, n.locality):
            return False
        if loc is None and not info.central and doc.place.province and n.province \
                and doc.place.province != n.province:
            return False
        return True

    def _narrow(self, cands: list[Node], date: str | None, doc: Doc, info: NumberInfo) -> list[Node]:
        if len(cands) <= 1:
            return cands
        if date:
            same = [c for c in cands if c.date == date or date in c.dates]
            if len(same) == 1:
                return same
        own = doc_period(info, doc.date)
        if own != "?":
            same = [c for c in cands if c.period == own]
            if len(same) == 1:
                return same
        return cands

    def resolve(self, ref: dict, doc: Doc, dated_pass: bool) -> tuple[Node, list[Node]] | None:
        number = ref.get("number")
        if not number:
            title = ref.get("title")
            if not title or dated_pass:
                return None
            return self._title_node(title, ref, doc), []
        info = number_info(number)
        if info is None:
            return None
        period = doc_period(info, ref.get("date"), ref.get("text"))
        if (period != "?") != dated_pass:
            return None
        if doc.node.number_key == info.key and (not ref.get("date") or ref.get("date") == doc.date):
            return None  # "Quyết định này": the document itself
        loc = self._cited_locality(ref, info, doc)
        date = ref.get("date")
        pool = self.by_nk.get(info.key, [])
        for stubs in (False, True):
            cands = [n for n in pool if n.stub == stubs and self._compatible(n, period, date, loc, doc, info)]
            cands = self._narrow(cands, date, doc, info)
            if len(cands) == 1:
                node = cands[0]
                self._learn(node, ref)
                return node, []
            if len(cands) > 1:
                self.stats["ambiguous"] += 1
                key = make_key("ambiguous", info.key, period, loc if loc is not None else "?")
                node = self.nodes.get(key) or self._new(
                    key, number, number=number, number_key=None, family=info.family, level=info.level,
                    period=period, stub=True, ambiguous=True, locality=loc)
                self._learn(node, ref)
                return node, cands
        locality = "" if info.central else (loc or "?")
        key = make_key(info.family, info.key, period, locality)
        node = self.nodes.get(key)
        if node is None:
            doc_type = (ref.get("doc_type") or {}).get("name") if isinstance(ref.get("doc_type"), dict) else None
            node = self._new(key, number, number=number, number_key=info.key, title=ref.get("title"),
                             family=info.family, level=info.level, locality=locality, province=None, period=period,
                             doc_type=doc_type, stub=True, central=info.central,
                             place=Place(locality or None, None, info.level, {}))
            self.stats["stubs"] += 1
        self._learn(node, ref)
        return node, []

    def _learn(self, node: Node, ref: dict) -> None:
        if node.stub:
            if ref.get("date"):
                node.dates[ref["date"]] += 1
            if ref.get("issuer"):
                node.issuers[ref["issuer"]] += 1

    def _title_node(self, title: str, ref: dict, doc: Doc) -> Node:
        tk = title_key(title)
        loc = ""
        if title_is_local(title):
            loc = doc.place.province or doc.node.locality or "?"
        key = f"title|{tk}|{loc}"
        node = self.nodes.get(key)
        if node is None:
            node = self._new(key, title.strip()[:120], title=title, family=_family_of_title(title + " " +
                             (ref.get("issuer") or "")), level=_level_of_title(title) if loc else "central",
                             locality=loc, stub=True)
            self.stats["title_nodes"] += 1
        self._learn(node, ref)
        return node

    # -- edges -----------------------------------------------------------------------------------------------

    def add_edges(self, doc: Doc, resolved: dict[int, tuple[Node, list[Node]]]) -> None:
        for i, ref in enumerate(doc.refs):
            hit = resolved.get(i)
            if hit is None:
                continue
            node, cands = hit
            via = ref.get("via")
            if via is None:
                src, dst, kind = doc.node, node, "direct"
            else:
                outer = resolved.get(via)
                if outer is None:
                    if via < len(doc.refs) and doc.refs[via].get("number") == doc.node.number:
                        outer = (doc.node, [])
                    else:
                        continue
                src, dst, kind = outer[0], node, "via"
            if ref.get("inverse"):
                src, dst = dst, src
            if src.id == dst.id:
                continue
            relation = ref.get("relation") or "mentions"
            k = (src.id, dst.id, relation, kind, doc.node.id)
            if k in self.edges:
                self.edges[k][-1] += 1
                continue
            ev, s, e = evidence_sentence(doc.body, ref.get("start"), ref.get("end"))
            candidates = json.dumps([{"id": c.id, "number": c.label, "date": c.date or (
                c.dates.most_common(1)[0][0] if c.dates else None), "issuer": c.issuer, "locality": c.locality,
                "stub": c.stub} for c in cands], ensure_ascii=False) if cands else None
            self.edges[k] = [src.id, dst.id, relation, kind, doc.node.id, doc.id, i, via, ref.get("text"), ev, s, e,
                             int(bool(cands) or dst.ambiguous), candidates, 1]


def build(conn: sqlite3.Connection, *, force: bool = True) -> dict[str, Any]:
    """(Re)build the graph tables from ``documents``; returns counts. One transaction: readers see the old
    graph or the new one."""
    if not force and not is_stale(conn):
        return graph_counts(conn)
    t0 = time.perf_counter()
    b = Builder()
    docs: list[Doc] = []
    cur = conn.execute(
        "SELECT d.id, d.number_normalized, d.family, d.issuer, d.issuer_parent, d.place, d.date, d.doc_type, "
        "d.doc_type_name, d.subject, d.record, t.body FROM documents d LEFT JOIN texts t ON t.doc_id = d.id "
        "ORDER BY d.id")
    for row in cur:
        try:
            record = json.loads(row[10])
        except (TypeError, ValueError):
            record = {}
        docs.append(b.add_document(row[:10], record, row[11] or ""))
    resolved: list[dict[int, tuple[Node, list[Node]]]] = [{} for _ in docs]
    for dated_pass in (True, False):
        for d, res in zip(docs, resolved, strict=True):
            for i, ref in enumerate(d.refs):
                if i in res:
                    continue
                hit = b.resolve(ref, d, dated_pass)
                if hit is not None:
                    res[i] = hit
    for d, res in zip(docs, resolved, strict=True):
        b.add_edges(d, res)
    signature = documents_signature(conn)
    ensure_schema(conn)
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM graph_edges")
        conn.execute("DELETE FROM graph_nodes")
        conn.executemany(f"INSERT INTO graph_nodes({','.join(NODE_COLUMNS)}) VALUES "
                         f"({','.join('?' * len(NODE_COLUMNS))})", (n.row() for n in b.nodes.values()))
        conn.executemany(f"INSERT INTO graph_edges({','.join(EDGE_COLUMNS[1:])}) VALUES "
                         f"({','.join('?' * (len(EDGE_COLUMNS) - 1))})", b.edges.values())
        meta = {"documents_signature": signature, "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "version": GRAPH_VERSION, "build_seconds": f"{time.perf_counter() - t0:.3f}",
                "stats": json.dumps(dict(b.stats))}
        conn.executemany("INSERT OR REPLACE INTO graph_meta(key, value) VALUES (?, ?)", meta.items())
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return graph_counts(conn)


def graph_counts(conn: sqlite3.Connection) -> dict[str, Any]:
    row = conn.execute("SELECT count(*), sum(stub), sum(ambiguous) FROM graph_nodes").fetchone()
    erow = conn.execute("SELECT count(*), sum(kind='via'), sum(ambiguous) FROM graph_edges").fetchone()
    meta = dict(conn.execute("SELECT key, value FROM graph_meta").fetchall())
    return {"nodes": row[0], "documents": row[0] - (row[1] or 0), "stubs": (row[1] or 0) - (row[2] or 0),
            "ambiguous_nodes": row[2] or 0, "edges": erow[0], "via_edges": erow[1] or 0,
            "ambiguous_edges": erow[2] or 0, "build_seconds": float(meta.get("build_seconds", 0) or 0),
            "built_at": meta.get("built_at")}


def ensure_graph(conn: sqlite3.Connection) -> bool:
    """Rebuild when ``documents`` changed since the last build; returns True when it rebuilt."""
    if is_stale(conn):
        build(conn)
        return True
    return False
