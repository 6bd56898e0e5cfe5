"""Analytics on the citation graph with networkx: PageRank, components, the longest cascades, implementation
lag (days from a parent document to each implementer, by level and by issuer)."""

from __future__ import annotations

import sqlite3
import statistics
from collections import defaultdict
from datetime import date as Date
from typing import Any

import networkx as nx

from .build import NODE_COLUMNS
from .query import NodeRow, children

CASCADE_RELATIONS = ("implements", "continues", "guides", "responds_to")


def to_networkx(conn: sqlite3.Connection, *, include_ambiguous: bool = True,
                nodes: set[int] | None = None) -> nx.MultiDiGraph:
    """The whole graph (or the ``nodes`` subgraph) as a MultiDiGraph: node and edge attributes are the table
    columns (None dropped, so the graph can be written as GraphML/GEXF)."""
    g = nx.MultiDiGraph()
    for row in conn.execute(f"SELECT {','.join(NODE_COLUMNS)} FROM graph_nodes"):
        if nodes is not None and row[0] not in nodes:
            continue
        attrs = {k: v for k, v in zip(NODE_COLUMNS[1:], row[1:], strict=True) if v is not None}
        attrs["stub"] = bool(attrs.get("stub"))
        attrs["ambiguous"] = bool(attrs.get("ambiguous"))
        g.add_node(row[0], **attrs)
    amb = "" if include_ambiguous else " WHERE ambiguous = 0"
    for row in conn.execute("SELECT id, src, dst, relation, kind, asserted_by, evidence, ambiguous, candidates, "
                            f"ev_start, ev_end, doc_id, context, nearer_parent, resolution, n FROM graph_edges{amb}"):
        if nodes is not None and (row[1] not in nodes or row[2] not in nodes):
            continue
        attrs = dict(zip(("relation", "kind", "asserted_by", "evidence", "ambiguous", "candidates", "ev_start",
                          "ev_end", "doc_id", "context", "nearer_parent", "resolution", "n_mentions"), row[3:],
                         strict=True))
        attrs = {k: v for k, v in attrs.items() if v is not None}
        attrs["ambiguous"] = bool(attrs.get("ambiguous"))
        g.add_edge(row[1], row[2], key=row[0], **attrs)
    return g


def simple(g: nx.MultiDiGraph, relations=None) -> nx.DiGraph:
    d = nx.DiGraph()
    d.add_nodes_from(g.nodes(data=True))
    for u, v, data in g.edges(data=True):
        if data.get("ambiguous"):
            continue
        if relations and data.get("relation") not in relations:
            continue
        w = d[u][v]["weight"] + 1 if d.has_edge(u, v) else 1
        d.add_edge(u, v, weight=w, relation=data.get("relation"))
    return d


def _row(g, n, **extra) -> dict[str, Any]:
    a = g.nodes[n]
    return {"number": a.get("number"), "label": a.get("label"), "issuer": a.get("issuer"), "date": a.get("date"),
            "depth": None, "stub": bool(a.get("stub")), "family": a.get("family"), "level": a.get("level"),
            "id": n, **extra}


def top(conn: sqlite3.Connection, by: str = "in-degree", limit: int = 20, *, name_only: bool = True,
        stubs: bool = True) -> list[dict[str, Any]]:
    """The most cited documents: by distinct citing documents (in-degree) or by PageRank (authority flows from
    implementers to what they implement). ``name_only=False`` leaves out documents cited only by name (Điều lệ
    Đảng, a congress resolution), ``stubs=False`` every document not in the archive; ranks are computed on the
    whole graph either way."""
    g = simple(to_networkx(conn, include_ambiguous=False))
    indeg = dict(g.in_degree())
    outdeg = dict(g.out_degree())
    if by == "pagerank":
        pr = nx.pagerank(g, alpha=0.85, weight=None) if g.number_of_nodes() else {}
        order = sorted(pr, key=lambda n: (-pr[n], -indeg[n], g.nodes[n].get("label") or ""))
    else:
        pr = {}
        order = sorted(indeg, key=lambda n: (-indeg[n], g.nodes[n].get("label") or ""))
    def keep(n) -> bool:
        a = g.nodes[n]
        if not stubs and a.get("stub"):
            return False
        return name_only or not (a.get("stub") and not a.get("number"))

    order = [n for n in order if keep(n)]
    out = []
    for rank, n in enumerate(order[:limit], 1):
        extra = {"rank": rank, "in_degree": indeg[n], "out_degree": outdeg[n]}
        if pr:
            extra["pagerank"] = round(pr[n], 6)
        out.append(_row(g, n, **extra))
    return out


def components(conn: sqlite3.Connection, limit: int = 20) -> list[dict[str, Any]]:
    """Weakly connected components, largest first, with their most cited document."""
    g = simple(to_networkx(conn, include_ambiguous=False))
    out = []
    comps = sorted(nx.weakly_connected_components(g), key=len, reverse=True)
    for i, comp in enumerate(comps[:limit], 1):
        sub = g.subgraph(comp)
        hub = max(comp, key=lambda n: (sub.in_degree(n), -n))
        out.append({"component": i, "size": len(comp), "documents": sum(1 for n in comp if not g.nodes[n]["stub"]),
                    "stubs": sum(1 for n in comp if g.nodes[n]["stub"]), "hub": g.nodes[hub].get("label"),
                    "hub_in_degree": sub.in_degree(hub)})
    return out


def longest_cascades(conn: sqlite3.Connection, limit: int = 10,
                     relations=CASCADE_RELATIONS) -> list[dict[str, Any]]:
    """The longest implementation chains (implements/continues/guides/responds_to), one per root document.
    Cycles, if any, are collapsed (condensation) before the longest-path search."""
    g = simple(to_networkx(conn, include_ambiguous=False), relations)
    g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0])
    if not nx.is_directed_acyclic_graph(g):
        cond = nx.condensation(g)
        mapping = {c: min(cond.nodes[c]["members"]) for c in cond}
        g2 = nx.relabel_nodes(cond, mapping)
        for n in g2:
            g2.nodes[n].update(g.nodes[n])
        g = g2
    # longest path ending at each node (edges citing → cited, so chains end at the root)
    best: dict[int, tuple[int, list[int]]] = {}
    for n in nx.topological_sort(g.reverse(copy=False)):
        # predecessors in reversed graph = nodes this one cites
        cands = [(best[m][0] + 1, best[m][1] + [n]) for m in g.successors(n) if m in best]
        best[n] = max(cands, key=lambda t: t[0]) if cands else (0, [n])
    by_root: dict[int, tuple[int, list[int]]] = {}
    for _n, (length, path) in best.items():
        root = path[0]
        if length and (root not in by_root or length > by_root[root][0]):
            by_root[root] = (length, path)
    ranked = sorted(by_root.values(), key=lambda t: -t[0])[:limit]
    return [{"length": length, "root": g.nodes[p[0]].get("label"), "leaf": g.nodes[p[-1]].get("label"),
             "chain": [g.nodes[x].get("label") for x in reversed(p)], "number": g.nodes[p[0]].get("number"),
             "issuer": g.nodes[p[0]].get("issuer"), "date": g.nodes[p[0]].get("date"), "depth": length,
             "stub": bool(g.nodes[p[0]].get("stub"))} for length, p in ranked]


def _days(a: str | None, b: str | None) -> int | None:
    try:
        return (Date.fromisoformat(b) - Date.fromisoformat(a)).days  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def lag(conn: sqlite3.Connection, root: NodeRow, *, relations=None, max_depth: int = 25) -> list[dict[str, Any]]:
    """Each implementer of ``root`` (transitively) with the days since its *nearest parent* (the document it
    implements on the way down from ``root``: the district plan counts from the provincial plan, not from the
    resolution) and, beside it, the days since ``root``."""
    rows = children(conn, root, transitive=True, max_depth=max_depth, relations=list(relations) if relations else None)
    dates = {r["label"]: r["date"] for r in rows}
    dates[root.label] = root.data.get("date")
    out = []
    for r in rows:
        parent = r["path"][1] if len(r["path"]) > 1 else root.label
        out.append({**{k: r[k] for k in ("number", "label", "issuer", "date", "depth", "stub", "family", "level",
                                          "id")},
                    "parent": parent, "parent_date": dates.get(parent),
                    "lag_from_parent_days": _days(dates.get(parent), r["date"]),
                    "lag_days": _days(root.data.get("date"), r["date"])})
    return out


def lag_summary(rows: list[dict[str, Any]], by: str) -> list[dict[str, Any]]:
    """Lag rows grouped by ``level`` | ``issuer`` | ``depth``: count, then min, median, mean, max days from the
    nearest parent, and the median days from the root beside them."""
    groups: dict[Any, list[int]] = defaultdict(list)
    roots: dict[Any, list[int]] = defaultdict(list)
    undated: dict[Any, int] = defaultdict(int)
    for r in rows:
        key = r.get(by)
        if r.get("lag_days") is not None:
            roots[key].append(r["lag_days"])
        if r.get("lag_from_parent_days") is None:
            undated[key] += 1
        else:
            groups[key].append(r["lag_from_parent_days"])
    out = []
    for key in sorted(set(groups) | set(undated), key=lambda k: (str(k) if k is not None else "~")):
        v = groups.get(key, [])
        rv = roots.get(key, [])
        out.append({by: key, "documents": len(v) + undated.get(key, 0), "dated": len(v),
                    "min_days": min(v) if v else None, "median_days": statistics.median(v) if v else None,
                    "mean_days": round(statistics.mean(v), 1) if v else None, "max_days": max(v) if v else None,
                    "median_root_days": statistics.median(rv) if rv else None})
    return out
