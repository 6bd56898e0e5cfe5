"""The citation graph of an archive: nodes (documents, indexed or only cited) and edges (citations), stored in
the archive itself in ``graph_nodes``, ``graph_edges`` and ``graph_meta``.

Nodes
    one per document identity (see :mod:`.identity`): every indexed document, and a *stub* for each document
    that is only cited. A stub disappears into the real document when that document is indexed and the graph
    is rebuilt (``congvan graph build``, or automatically by any graph command when ``documents`` changed).
    A citation that fits several documents points to an ``ambiguous`` node and its edge lists the candidates:
    it is never silently linked. Every mention of one number in a citing document names one document
    (:func:`mention_groups`): the best-evidenced mention gives its date and issuer, and a bare local issuer
    ("Ban Thường vụ Tỉnh ủy") takes the citing document's own unit at that level.
Edges
    one per (citing, cited) pair, every mention kept as evidence (``mentions``). The relation is that of the
    governing mention (subject and the document's own clauses, not a task or a quotation; ``context``). A
    reference read through a ``via`` chain ("Thực hiện CV 6713 … về … KL 01") gives 6713 → 01-KL/TW, kind
    ``via``, ``asserted_by`` the document that said so (1244). ``inverse`` references (passive cue: "Luật A, được
    sửa đổi bởi Luật B") run from the nested document to its outer one. ``nearer_parent``: another document the
    citing one cites that itself leads up to the cited one (the level in between). Evidence: the sentence around
    the governing citation, with offsets into the body of the asserting document.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..normalize import fold
from .identity import (
    LEVELS,
    NumberInfo,
    Place,
    clean_issuer,
    compatible_locality,
    doc_period,
    make_key,
    number_info,
    number_key,
    place_of,
    province_in,
    title_is_local,
    title_key,
    unit_of,
)

GRAPH_VERSION = "3"

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
    n INTEGER NOT NULL DEFAULT 1,          -- mentions folded into this edge
    context TEXT,                          -- where the governing mention sits: governing | task | quotation
    nearer_parent INTEGER,                 -- a node the citing document also cites that itself reaches dst
    resolution TEXT,                       -- how the cited identity was completed (bare local issuer …)
    mentions TEXT                          -- JSON: every mention of dst in the asserting document(s)
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
                "evidence", "ev_start", "ev_end", "ambiguous", "candidates", "n", "context", "nearer_parent",
                "resolution", "mentions")


def ensure_schema(conn: sqlite3.Connection) -> None:
    cols = {r[1] for r in conn.execute("PRAGMA table_info(graph_edges)")}
    if cols and not set(EDGE_COLUMNS) <= cols:
        # a graph written by an older version: its tables are derived data, rebuilt from ``documents``
        conn.execute("DROP TABLE IF EXISTS graph_edges")
        conn.execute("DROP TABLE IF EXISTS graph_nodes")
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
    subjects: Counter = field(default_factory=Counter)

    def row(self) -> tuple:
        date = self.date
        if self.stub and self.dates:
            date = self.dates.most_common(1)[0][0]
        issuer = self.issuer
        if self.stub and self.issuers and not issuer:
            issuer = max(self.issuers.items(), key=lambda kv: (kv[1], len(kv[0])))[0]
        title = self.title
        if self.stub and not title and self.subjects:
            # what the citing documents say the cited one is about ("… về đổi mới tổ chức …"), longest first
            title = max(self.subjects.items(), key=lambda kv: (kv[1], len(kv[0])))[0]
        return (self.id, self.key, self.doc_id, self.number, self.number_key, self.label, title, self.family,
                self.level, issuer, self.locality, self.province, self.period, date, self.doc_type,
                int(self.stub), int(self.ambiguous), self.n_docs)


@dataclass
class LinkedDoc:
    id: int
    node: Node
    date: str | None
    place: Place
    refs: list[dict[str, Any]]
    body: str
    record: dict[str, Any] = field(default_factory=dict)


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


# "… của Ban Thường vụ Tỉnh ủy về thực hiện Nghị quyết …, Ban Thường vụ Huyện ủy xây dựng …": the description a
# citation gives of the cited document, up to the clause where the citing document speaks again.
_CITED_SUBJECT = re.compile(
    r"[ \t]*,?[ \t]*(?:ngày[ \t]+[\d/.\-]+(?:[ \t]+tháng[ \t]+\d+[ \t]+năm[ \t]+\d{4})?[ \t]*)?"
    r"(?:của[ \t]+[^,;\n]{1,90}?[ \t]+)?về[ \t]+(?:việc[ \t]+)?"
    r"(?P<s>[^;\n]{5,320}?)(?=,[ \t]+đồng thời|;|\n|\.[ \t]|\.$|:|$)")


def cited_subject(body: str, end: int | None) -> str | None:
    """What a citation says the cited document is about (``về …`` after the number, date and issuer)."""
    if not body or not isinstance(end, int) or end < 0 or end > len(body):
        return None
    m = _CITED_SUBJECT.match(body, end, min(len(body), end + 450))
    if not m:
        return None
    text = " ".join(m.group("s").split())
    # ", Ban Thường vụ … xây dựng", ", Ủy ban nhân dân tỉnh ban hành": the citing document speaks again
    for c in re.finditer(r",\s+(\w)", text):
        if c.group(1).isupper():
            text = text[:c.start()]
            break
    # "… về công tác văn thư và Quyết định số 933/QĐ-TLĐ …": another citation starts
    names = _type_names()
    for c in re.finditer(r"\s+(?:và|,)\s+(\w+)\s+(\w+)", text):
        first, two = c.group(1), f"{c.group(1)} {c.group(2)}"
        if first[:1].isupper() and (first.lower() in names or two.lower() in names):
            text = text[:c.start()]
            break
    text = text.strip(" ,.;")
    if text.count("“") != text.count("”") or text.count('"') % 2:
        text = text.strip("“”\" ")  # a quotation opened or closed outside the description
    return text if len(text) >= 5 else None


@lru_cache(maxsize=1)
def _type_names() -> frozenset[str]:
    from ..lexicons import type_by_name

    return frozenset(n.lower() for n in type_by_name())


_SHORT_TITLE = re.compile(r"^(\w+(?:\s+\w+)?)\s+(?:số\s+)?0*(\d{1,5})$")


def _issuer_rank(issuer: str | None) -> int:
    if not issuer:
        return 0
    return 2 if unit_of(issuer)[1] or province_in(issuer) else 1


def mention_groups(refs: list[dict[str, Any]], body: str = "") -> list[tuple[dict[str, Any], list[int]]]:
    """The references of one document grouped by the document they name: every mention of one number (in any
    printed variant) is one cited document, unless the mentions print different dates. Returns (representative
    reference, member indices); the representative carries the best evidence of the group (a date, then an
    issuer naming its unit), the issuer cut where the issuer phrase ends."""
    out: list[tuple[dict[str, Any], list[int]]] = []
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(refs):
        nk = number_key(r.get("number")) if r.get("number") else None
        if nk is None:
            # "Nghị quyết 02" read as a name: the serial of a document this one names in full
            short = _SHORT_TITLE.match((r.get("title") or "").strip())
            if short and short.group(1).lower() in _type_names():
                nk = short.group(2).lstrip("0") or "0"
        if nk is None:
            out.append((dict(r), [i]))
            continue
        by_key[nk].append(i)
    # a number printed without its symbol ("Nghị quyết 02") after the full form: the same document
    for nk in [k for k in by_key if k.isdigit()]:
        full = [k for k in by_key if not k.isdigit() and k.split("-", 1)[0].split("/", 1)[0] == nk.lstrip("0")]
        if len(full) == 1:
            by_key[full[0]] = sorted(by_key[full[0]] + by_key.pop(nk))
        elif not any(refs[i].get("number") for i in by_key[nk]):
            for i in by_key.pop(nk):  # a name after all: no document of that serial is named in full
                out.append((dict(refs[i]), [i]))
    for idx in by_key.values():
        parts: list[list[int]] = []
        part_of_date: dict[str, list[int]] = {}
        undated: list[int] = []
        for i in idx:
            date = refs[i].get("date")
            if not date:
                undated.append(i)
            elif date in part_of_date:
                part_of_date[date].append(i)
            else:
                part_of_date[date] = [i]
                parts.append(part_of_date[date])
        if not parts:
            parts = [undated]
        else:
            for i in undated:
                before = [p for p in parts if p[0] < i]
                (before[-1] if before else parts[0]).append(i)
        for part in parts:
            part.sort()
            issuers = {i: clean_issuer(refs[i].get("issuer")) for i in part}
            best = max(part, key=lambda i: (bool(refs[i].get("date")), _issuer_rank(issuers[i]), -i))
            numbered = [i for i in part if refs[i].get("number")]
            if numbered and not refs[best].get("number"):
                best = numbered[0]
            rep = dict(refs[best])
            rep["issuer"] = issuers[best] or max((issuers[i] for i in part if issuers[i]), key=_issuer_rank,
                                                 default=None)
            subjects = [x for x in (cited_subject(body, refs[i].get("end")) for i in part) if x]
            rep["subject"] = max(subjects, key=len) if subjects else None
            out.append((rep, part))
    return out


class Builder:
    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.by_nk: dict[str, list[Node]] = defaultdict(list)
        self.edges: dict[tuple[int, int], EdgeDraft] = {}
        self.resolution: dict[int, str] = {}
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

    def add_document(self, row: sqlite3.Row | tuple, record: dict[str, Any], body: str) -> LinkedDoc:
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
        return LinkedDoc(doc_id, node, date, pl, record.get("references") or [], body, record)

    # -- resolution ------------------------------------------------------------------------------------------

    def _cited_locality(self, ref: dict, info: NumberInfo, doc: LinkedDoc) -> tuple[str | None, str | None]:
        """(locality of the cited document, how it was decided when the citation does not print it)."""
        if info.central:
            return "", None
        issuer = clean_issuer(ref.get("issuer"))
        level, name = unit_of(issuer)
        if name:
            return name, None
        prov = province_in(issuer)
        if prov:
            return prov, None
        # A bare local issuer ("Tỉnh ủy", "Liên đoàn Lao động huyện") or none at all: the cited body is the
        # citing document's own unit at that level, when the citing document sits at that level or below it.
        target = level or info.level
        if target not in LEVELS or target == "central":
            return None, None
        own = doc.place.level if doc.place.level in LEVELS else doc.node.level
        if own not in LEVELS or LEVELS.index(own) < LEVELS.index(target):
            return None, None
        if own == target and doc.node.locality not in (None, "", "?"):
            unit = doc.node.locality
        elif target == "province":
            unit = doc.place.units.get("province") or doc.place.province
        else:
            unit = doc.place.units.get(target)
        if not unit:
            return None, None
        what = f"bare issuer {issuer!r}" if issuer else f"no issuer printed, {info.code or '?'} numbers a {target}"
        return unit, f"{target} {unit!r} of the citing document ({what})"

    def _compatible(self, n: Node, period: str, date: str | None, loc: str | None, doc: LinkedDoc,
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

    def _narrow(self, cands: list[Node], date: str | None, doc: LinkedDoc, info: NumberInfo) -> list[Node]:
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

    def resolve(self, ref: dict, doc: LinkedDoc, dated_pass: bool) -> tuple[Node, list[Node]] | None:
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
        loc, evidence = self._cited_locality(ref, info, doc)
        if evidence:
            self.resolution[id(ref)] = evidence
            self.stats["local_issuer_completed"] += 1
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
            issuer = clean_issuer(ref.get("issuer"))
            if issuer:
                node.issuers[issuer] += 1
            if ref.get("subject"):
                node.subjects[ref["subject"]] += 1

    def _title_node(self, title: str, ref: dict, doc: LinkedDoc) -> Node:
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

    def add_edges(self, doc: LinkedDoc, resolved: dict[int, tuple[Node, list[Node]]]) -> None:
        """Every mention becomes evidence of one edge per (citing, cited) pair; the relation is decided later
        (:meth:`finish_edges`) from the mentions that govern it."""
        spans = _context_spans(doc)
        for i, ref in enumerate(doc.refs):
            hit = resolved.get(i)
            if hit is None:
                continue
            node, cands = hit
            via = ref.get("via")
            if via is None:
                src, dst, kind = doc.node, node, "direct"
            else:
                outer = resolved.get(via) if isinstance(via, int) else None
                if outer is None:
                    if isinstance(via, int) and via < len(doc.refs) and doc.refs[via].get("number") == doc.node.number:
                        outer = (doc.node, [])
                    else:
                        continue
                src, dst, kind = outer[0], node, "via"
            if ref.get("inverse"):
                src, dst = dst, src
            if src.id == dst.id:
                continue
            ev, s, e = evidence_sentence(doc.body, ref.get("start"), ref.get("end"))
            mention = Mention(doc_id=doc.id, asserted_by=doc.node.id, ref_idx=i, via_idx=via, kind=kind,
                              relation=cue_relation(ref), cue=ref.get("cue"), zone=ref.get("zone"),
                              context=mention_context(ref, spans), text=ref.get("text"), evidence=ev, start=s, end=e,
                              resolution=self.resolution.get(id(ref)))
            draft = self.edges.get((src.id, dst.id))
            if draft is None:
                draft = self.edges[(src.id, dst.id)] = EdgeDraft(src.id, dst.id)
            draft.mentions.append(mention)
            if cands or dst.ambiguous:
                draft.ambiguous = True
                draft.candidates = draft.candidates or json.dumps(
                    [{"id": c.id, "number": c.label, "date": c.date or (c.dates.most_common(1)[0][0] if c.dates
                                                                           else None),
                      "issuer": c.issuer, "locality": c.locality, "stub": c.stub} for c in cands],
                    ensure_ascii=False) if cands else None

    def finish_edges(self) -> list[tuple]:
        nearer = nearer_parents({k: d for k, d in self.edges.items() if not d.ambiguous}, self.nodes)
        return [d.row(nearer.get(k)) for k, d in self.edges.items()]


# -- edges: mentions, governing relation, nearer parents -----------------------------------------------------------

# Which relation an edge keeps when its governing mentions disagree: the first one in reading order (subject
# first) that says more than "mentions". Later re-mentions ("… theo Kế hoạch số 45", "hướng dẫn … Nghị quyết
# 02" inside a task) do not change what the document does with the cited one.
CONTEXT_RANK = {"governing": 0, "task": 1, "quotation": 2}


@dataclass
class Mention:
    doc_id: int
    asserted_by: int
    ref_idx: int
    via_idx: int | None
    kind: str                 # direct | via
    relation: str
    cue: str | None
    zone: str | None
    context: str              # governing | task | quotation
    text: str | None
    evidence: str
    start: int
    end: int
    resolution: str | None = None

    def order(self) -> tuple:
        return (self.kind != "direct", CONTEXT_RANK.get(self.context, 3), self.asserted_by, self.zone != "subject",
                self.start)

    def as_json(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "ref": self.ref_idx, "kind": self.kind, "relation": self.relation,
                "cue": self.cue, "zone": self.zone, "context": self.context, "text": self.text,
                "start": self.start, "end": self.end}


@dataclass
class EdgeDraft:
    src: int
    dst: int
    mentions: list[Mention] = field(default_factory=list)
    ambiguous: bool = False
    candidates: str | None = None

    def governing(self) -> tuple[Mention, str]:
        """The mention that decides the edge, and the relation it gives."""
        ranked = sorted(self.mentions, key=Mention.order)
        best = ranked[0]
        same = [m for m in ranked if (m.kind, m.context, m.asserted_by) == (best.kind, best.context,
                                                                             best.asserted_by)]
        relation = next((m.relation for m in same if m.relation != "mentions"), best.relation)
        lead = next((m for m in same if m.relation == relation), best)
        return lead, relation

    def row(self, nearer: int | None) -> tuple:
        lead, relation = self.governing()
        resolution = next((m.resolution for m in self.mentions if m.resolution), None)
        mentions = json.dumps([m.as_json() for m in sorted(self.mentions, key=lambda m: (m.doc_id, m.start))],
                              ensure_ascii=False)
        return (self.src, self.dst, relation, lead.kind, lead.asserted_by, lead.doc_id, lead.ref_idx, lead.via_idx,
                lead.text, lead.evidence, lead.start, lead.end, int(self.ambiguous), self.candidates,
                len(self.mentions), lead.context, nearer, resolution, mentions)


@lru_cache(maxsize=1)
def _cue_labels() -> dict[str, str]:
    from ..lexicons import cue_patterns

    return {" ".join(p["pattern"].lower().split()): p["label"] for p in cue_patterns()}


EDGE_RELATIONS = frozenset({"implements", "continues", "based_on", "guides", "responds_to", "amends", "replaces",
                            "repeals"})


def cue_relation(ref: dict[str, Any]) -> str:
    """The relation a mention's own cue gives. The extractor may give every occurrence of a cited document one
    relation, the strongest cue anywhere in the text ("… hướng dẫn nội dung tuyên truyền Nghị quyết …" in a task
    turns all of them into ``guides``); the graph wants what each mention's governing cue says, so the cue
    phrase, when it is a known one, decides. A ``mentions`` or passive (inverse) reading is kept as given."""
    relation = ref.get("relation") or "mentions"
    cue = ref.get("cue")
    if not cue or relation == "mentions" or ref.get("inverse"):
        return relation
    label = _cue_labels().get(" ".join(str(cue).lower().split()))
    return label if label in EDGE_RELATIONS else relation


def _flat_tasks(tasks: list[dict[str, Any]] | None):
    for t in tasks or []:
        if isinstance(t, dict):
            yield t
            yield from _flat_tasks(t.get("subtasks"))


def _context_spans(doc: LinkedDoc) -> dict[str, list[tuple[int, int]]]:
    from ..extract.references import quoted_spans

    tasks = [(t["start"], t["end"]) for t in _flat_tasks(doc.record.get("tasks"))
             if isinstance(t.get("start"), int) and isinstance(t.get("end"), int)]
    try:
        quotes = [(a, b) for a, b in quoted_spans(doc.body)] if doc.body else []
    except (TypeError, ValueError):
        quotes = []
    return {"task": tasks, "quotation": quotes}


def mention_context(ref: dict[str, Any], spans: dict[str, list[tuple[int, int]]]) -> str:
    """``governing`` (subject, opening, a clause of the document's own), ``task`` (inside a task the document
    gives) or ``quotation`` (inside quotation marks: another document's words)."""
    start, end = ref.get("start"), ref.get("end")
    if ref.get("zone") == "subject" or not isinstance(start, int) or not isinstance(end, int):
        return "governing"
    for a, b in spans.get("quotation", ()):
        if a <= start and end <= b:
            return "quotation"
    for a, b in spans.get("task", ()):
        if a <= start and end <= b:
            return "task"
    return "governing"


def nearer_parents(edges: dict[tuple[int, int], EdgeDraft], nodes: dict[str, Node],
                   budget: int = 20000) -> dict[tuple[int, int], int]:
    """For each edge citing → cited: another document the citing one cites that itself leads up to the cited
    one (the citing plan implements the provincial plan that implements the resolution). The latest-dated such
    document is the nearest parent. Upward walks are bounded (``budget`` nodes each)."""
    out_edges: dict[int, list[int]] = defaultdict(list)
    for src, dst in edges:
        out_edges[src].append(dst)
    date = {n.id: (n.date or (n.dates.most_common(1)[0][0] if n.dates else "")) for n in nodes.values()}
    memo: dict[int, frozenset[int]] = {}

    def above(x: int) -> frozenset[int]:
        if x in memo:
            return memo[x]
        seen: set[int] = set()
        stack = list(out_edges.get(x, ()))
        while stack and len(seen) < budget:
            y = stack.pop()
            if y in seen or y == x:
                continue
            seen.add(y)
            stack.extend(out_edges.get(y, ()))
        memo[x] = frozenset(seen)
        return memo[x]

    result: dict[tuple[int, int], int] = {}
    for src, targets in out_edges.items():
        if len(targets) < 2:
            continue
        for dst in targets:
            via = [z for z in targets if z != dst and dst in above(z) and src not in above(z)]
            if via:
                result[(src, dst)] = max(via, key=lambda z: (date.get(z) or "", -z))
    return result


def build(conn: sqlite3.Connection, *, force: bool = True) -> dict[str, Any]:
    """(Re)build the graph tables from ``documents``; returns counts. One transaction: readers see the old
    graph or the new one."""
    if not force and not is_stale(conn):
        return graph_counts(conn)
    t0 = time.perf_counter()
    b = Builder()
    docs: list[LinkedDoc] = []
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
    groups = [mention_groups(d.refs, d.body) for d in docs]
    for dated_pass in (True, False):
        for d, res, doc_groups in zip(docs, resolved, groups, strict=True):
            for rep, members in doc_groups:
                if members[0] in res:
                    continue
                hit = b.resolve(rep, d, dated_pass)
                if hit is None:
                    continue
                for i in members:
                    res[i] = hit
                    if id(rep) in b.resolution:
                        b.resolution[id(d.refs[i])] = b.resolution[id(rep)]
                if len(members) > 1:
                    b.stats["mentions_merged"] += len(members) - 1
    for d, res in zip(docs, resolved, strict=True):
        b.add_edges(d, res)
    edge_rows = b.finish_edges()
    signature = documents_signature(conn)
    ensure_schema(conn)
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM graph_edges")
        conn.execute("DELETE FROM graph_nodes")
        conn.executemany(f"INSERT INTO graph_nodes({','.join(NODE_COLUMNS)}) VALUES "
                         f"({','.join('?' * len(NODE_COLUMNS))})", (n.row() for n in b.nodes.values()))
        conn.executemany(f"INSERT INTO graph_edges({','.join(EDGE_COLUMNS[1:])}) VALUES "
                         f"({','.join('?' * (len(EDGE_COLUMNS) - 1))})", edge_rows)
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
