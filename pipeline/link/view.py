"""A self-contained interactive page for one cascade: SVG, a small force layout written here, the data and
the JavaScript inside the page (no CDN, works offline). Nodes are coloured by family (hue) and level
(lightness); edges by relation; hovering an edge shows the sentence that asserts it."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..outputs import write_output
from .query import DEFAULT_MAX_DEPTH, NodeRow, neighbourhood, node_rows

TEMPLATE = Path(__file__).with_name("view_template.html")


def cascade_data(conn: sqlite3.Connection, root: NodeRow, max_depth: int = DEFAULT_MAX_DEPTH) -> dict[str, Any]:
    nodes, edges, depth = neighbourhood(conn, root, max_depth)
    asserting = node_rows(conn, {e["asserted_by"] for e in edges if e["asserted_by"] not in nodes})
    labels = {**{k: v["label"] for k, v in asserting.items()}, **{k: v["label"] for k, v in nodes.items()}}
    seen: set[tuple] = set()
    out_edges = []
    for e in edges:
        k = (e["src"], e["dst"], e["relation"])
        if k in seen:
            continue
        seen.add(k)
        out_edges.append({"src": e["src"], "dst": e["dst"], "relation": e["relation"], "kind": e["kind"],
                          "ambiguous": bool(e["ambiguous"]), "evidence": e["evidence"],
                          "asserted_by": labels.get(e["asserted_by"]), "context": e.get("context"),
                          "nearer_parent": labels.get(e["nearer_parent"]) if e.get("nearer_parent") else None})
    out_nodes = [{"id": n["id"], "label": n["label"], "title": n["title"], "issuer": n["issuer"], "date": n["date"],
                  "family": n["family"], "level": n["level"], "stub": bool(n["stub"]), "depth": depth.get(n["id"], 0),
                  "root": n["id"] == root.id, "number": n["number"]} for n in nodes.values()]
    return {"root": root.label, "nodes": out_nodes, "edges": out_edges}


def script_json(data: Any) -> str:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` as ``\\u`` escapes, so text such as ``<!--<script>``
    or ``</script>`` in a subject can neither close the element nor switch the parser into its escaped state
    (which blanked the page); U+2028/2029 escaped for old JavaScript parsers."""
    payload = json.dumps(data, ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):
        payload = payload.replace(ch, esc)
    return payload


def render_html(data: dict[str, Any]) -> str:
    return TEMPLATE.read_text(encoding="utf-8").replace("/*__DATA__*/", script_json(data))


def write_view(conn: sqlite3.Connection, root: NodeRow, out: str | os.PathLike,
               max_depth: int = DEFAULT_MAX_DEPTH, protect: Iterable[str | os.PathLike] = ()) -> dict[str, Any]:
    data = cascade_data(conn, root, max_depth)
    write_output(render_html(data), out, protect=protect)
    return data
