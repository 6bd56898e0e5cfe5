"""Exports of the citation graph: GraphML and GEXF (networkx writers, readable back by networkx, Gephi, yEd),
node-link JSON, Neo4j ``neo4j-admin database import`` CSVs, Graphviz DOT."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

from ..outputs import CsvWriter, classify, open_output, prepare_folder
from .analytics import to_networkx

FORMATS = ("graphml", "gexf", "json", "neo4j", "dot")
NEO4J_NODE_HEADER = ["id:ID", "label", "number", "title", "family", "level", "issuer", "locality", "date",
                     "period", "doc_type", "stub:boolean", "ambiguous:boolean", "doc_id:long", ":LABEL"]
NEO4J_EDGE_HEADER = [":START_ID", ":END_ID", ":TYPE", "relation", "kind", "asserted_by", "evidence",
                     "ambiguous:boolean", "doc_id:long"]


def _clean(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GraphML/GEXF take str/int/float/bool attributes only: no None, no lists."""
    h = nx.MultiDiGraph()
    for n, a in g.nodes(data=True):
        h.add_node(str(n), **{k: v for k, v in a.items() if isinstance(v, str | int | float | bool)})
    for u, v, k, a in g.edges(keys=True, data=True):
        h.add_edge(str(u), str(v), key=str(k), **{x: y for x, y in a.items() if isinstance(y, str | int | float | bool)})
    return h


def export(conn: sqlite3.Connection, fmt: str, out: str | os.PathLike, nodes: set[int] | None = None,
           protect: Iterable[str | os.PathLike] = ()) -> list[str]:
    """Write the graph (or the ``nodes`` subgraph) in ``fmt``; returns the files written. ``neo4j`` writes
    ``<out>/nodes.csv`` and ``<out>/edges.csv`` (``out`` is a folder). Files go through
    :func:`pipeline.outputs.open_output` (atomic, never over ``protect``-ed files or through symlinks)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    out = Path(out)
    if fmt == "neo4j":
        folder = prepare_folder(out, protect)
        g = to_networkx(conn, nodes=nodes)
        return write_neo4j(g, folder, protect)
    classify(out, protect)  # refuse a bad target before the work
    g = to_networkx(conn, nodes=nodes)
    with open_output(out, binary=fmt in ("graphml", "gexf"), protect=protect) as fh:
        if fmt == "graphml":
            nx.write_graphml(_clean(g), fh)
        elif fmt == "gexf":
            nx.write_gexf(_clean(g), fh)
        elif fmt == "json":
            fh.write(json.dumps(nx.node_link_data(g, edges="edges"), ensure_ascii=False, indent=1))
        elif fmt == "dot":
            fh.write(to_dot(g))
    return [str(out)]


def write_neo4j(g: nx.MultiDiGraph, folder: Path, protect: Iterable[str | os.PathLike] = ()) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    nodes_path, edges_path = folder / "nodes.csv", folder / "edges.csv"
    with open_output(nodes_path, newline="", protect=protect) as f:
        w = CsvWriter(f)
        w.writerow(NEO4J_NODE_HEADER)
        for n, a in g.nodes(data=True):
            labels = ["Document", (a.get("family") or "unknown").capitalize()]
            if a.get("stub"):
                labels.append("Stub")
            if a.get("ambiguous"):
                labels.append("Ambiguous")
            w.writerow([n, a.get("label", ""), a.get("number", ""), a.get("title", ""), a.get("family", ""),
                        a.get("level", ""), a.get("issuer", ""), a.get("locality", ""), a.get("date", ""),
                        a.get("period", ""), a.get("doc_type", ""), str(bool(a.get("stub"))).lower(),
                        str(bool(a.get("ambiguous"))).lower(), a.get("doc_id", ""), ";".join(labels)])
    with open_output(edges_path, newline="", protect=protect) as f:
        w = CsvWriter(f)
        w.writerow(NEO4J_EDGE_HEADER)
        for u, v, a in g.edges(data=True):
            rel = (a.get("relation") or "mentions").upper()
            w.writerow([u, v, rel, a.get("relation", ""), a.get("kind", ""), a.get("asserted_by", ""),
                        a.get("evidence", ""), str(bool(a.get("ambiguous"))).lower(), a.get("doc_id", "")])
    return [str(nodes_path), str(edges_path)]


FAMILY_COLOURS = {"party": "#d62728", "state": "#1f77b4", "union": "#2ca02c", "front": "#ff7f0e",
                  "legal": "#9467bd"}
RELATION_COLOURS = {"implements": "#333333", "continues": "#8c564b", "based_on": "#17becf", "guides": "#bcbd22",
                    "amends": "#e377c2", "replaces": "#7f7f7f", "repeals": "#000000", "responds_to": "#1f77b4",
                    "mentions": "#c7c7c7"}


def _q(text) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def to_dot(g: nx.MultiDiGraph) -> str:
    lines = ["digraph congvan {", "  rankdir=BT;", '  node [shape=box, style="rounded,filled", fontname="sans"];']
    for n, a in g.nodes(data=True):
        colour = FAMILY_COLOURS.get(a.get("family"), "#aaaaaa")
        label = a.get("label", str(n)) + (f"\\n{a['date']}" if a.get("date") else "")
        style = '"rounded,dashed"' if a.get("stub") else '"rounded,filled"'
        lines.append(f"  n{n} [label={_q(label)}, fillcolor={_q(colour + '55')}, color={_q(colour)}, "
                     f"style={style}];")
    for u, v, a in g.edges(data=True):
        rel = a.get("relation", "")
        style = "dashed" if a.get("kind") == "via" else ("dotted" if a.get("ambiguous") else "solid")
        lines.append(f"  n{u} -> n{v} [label={_q(rel)}, color={_q(RELATION_COLOURS.get(rel, '#999999'))}, "
                     f"style={style}, tooltip={_q(a.get('evidence', ''))}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
