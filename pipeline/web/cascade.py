"""The cascade of one document as SVG geometry: parents above, implementers below, one row per level.

Layout by networkx (``multipartite_layout`` over the signed depth: parents negative, the root 0, children
positive), scaled to pixels here; the template draws it. Edges carry their relation (for the style) and the
implementation lag in days (citing date − cited date)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date as Date
from typing import Any

import networkx as nx

from .views import dmy, relation_class

NODE_W, NODE_H, ROW_H, COL_W, MARGIN = 170, 48, 110, 190, 30
MAX_NODES = 400  # a bigger cascade is cut by depth (the page says so)


def _lag(cited: str | None, citing: str | None) -> int | None:
    try:
        return (Date.fromisoformat(str(citing)[:10]) - Date.fromisoformat(str(cited)[:10])).days
    except (TypeError, ValueError):
        return None


def _short(issuer: str | None, limit: int = 26) -> str:
    s = " ".join((issuer or "").split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def cascade_layout(conn: sqlite3.Connection, root_query: str) -> dict[str, Any]:
    """Find the node (number, #id, title words), walk its cascade, lay it out. Raises link.query.GraphError."""
    from ..link.query import find_node
    from ..link.view import cascade_data

    root = find_node(conn, root_query)
    data = cascade_data(conn, root)
    nodes = data["nodes"]
    cut = False
    if len(nodes) > MAX_NODES:
        nodes = sorted(nodes, key=lambda n: (abs(n["depth"]), n["id"]))[:MAX_NODES]
        cut = True
    keep = {n["id"] for n in nodes}
    edges = [e for e in data["edges"] if e["src"] in keep and e["dst"] in keep]
    g = nx.DiGraph()
    for n in nodes:
        g.add_node(n["id"], layer=n["depth"])
    for e in edges:
        g.add_edge(e["src"], e["dst"])
    pos = nx.multipartite_layout(g, subset_key="layer", align="horizontal") if len(g) > 1 else {
        nodes[0]["id"]: (0.0, 0.0)} if nodes else {}
    depths = sorted({n["depth"] for n in nodes})
    per_layer: dict[int, int] = {}
    for n in nodes:
        per_layer[n["depth"]] = per_layer.get(n["depth"], 0) + 1
    widest = max(per_layer.values(), default=1)
    width = max(widest * COL_W + 2 * MARGIN, NODE_W + 2 * MARGIN)
    height = len(depths) * ROW_H + 2 * MARGIN
    # x from networkx (spread within a layer, in [-1, 1]); y by level, top-down
    xs = [p[0] for p in pos.values()] or [0.0]
    lo, hi = min(xs), max(xs)
    span = (hi - lo) or 1.0
    doc_ids = {r[0]: r[1] for r in conn.execute(
        "SELECT id, doc_id FROM graph_nodes WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(keep)),))}
    out_nodes = []
    by_id = {}
    for n in nodes:
        x = MARGIN + NODE_W / 2 + (pos[n["id"]][0] - lo) / span * (width - 2 * MARGIN - NODE_W) if len(nodes) > 1 \
            else width / 2
        y = MARGIN + depths.index(n["depth"]) * ROW_H + NODE_H / 2
        doc_id = doc_ids.get(n["id"])
        node = {"id": n["id"], "x": round(x, 1), "y": round(y, 1), "label": n["label"], "number": n["number"],
                "issuer": _short(n["issuer"]), "date": dmy(n["date"]), "iso_date": n["date"], "depth": n["depth"],
                "root": n["root"], "stub": n["stub"], "doc_id": doc_id, "family": n["family"],
                "href": f"/doc/{doc_id}" if doc_id else (f"/cited?number={n['number']}" if n["number"] else None)}
        out_nodes.append(node)
        by_id[n["id"]] = node
    out_edges = []
    for e in edges:
        a, b = by_id[e["src"]], by_id[e["dst"]]  # a cites b: a is below b
        lag = _lag(b["iso_date"], a["iso_date"])
        if a["depth"] == b["depth"]:  # same level: an arc below the row instead of a line through the nodes
            y = a["y"] + NODE_H / 2
            path = f"M {b['x']} {y} Q {(a['x'] + b['x']) / 2} {y + ROW_H * 0.45} {a['x']} {y}"
            mid = ((a["x"] + b["x"]) / 2, y + ROW_H * 0.25)
        else:
            path = f"M {b['x']} {b['y'] + NODE_H / 2} L {a['x']} {a['y'] - NODE_H / 2}"
            mid = ((a["x"] + b["x"]) / 2, (a["y"] - NODE_H / 2 + b["y"] + NODE_H / 2) / 2)
        out_edges.append({"src": e["src"], "dst": e["dst"], "relation": e["relation"], "kind": e["kind"],
                          "css": relation_class(e["relation"]) + (" via" if e["kind"] == "via" else "")
                          + (" ambiguous" if e["ambiguous"] else ""),
                          "path": path, "mx": round(mid[0] + 4, 1), "my": round(mid[1], 1),
                          "lag_days": lag, "evidence": e["evidence"]})
    return {"root": data["root"], "root_id": root.id, "width": round(width), "height": round(height),
            "node_w": NODE_W, "node_h": NODE_H, "nodes": out_nodes, "edges": out_edges, "cut": cut,
            "relations": sorted({e["relation"] for e in out_edges})}
