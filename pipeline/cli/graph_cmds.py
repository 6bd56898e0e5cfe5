"""`congvan graph …`: the citation graph of an archive (library: pipeline.link).

    congvan graph build --db archive.sqlite
    congvan graph children 01-KL/TW --transitive      # every implementer, its depth and path
    congvan graph parents 1244/LĐLĐ                    # lineage up to the root documents
    congvan graph path 1244/LĐLĐ 05-CT/TW              # the chain of edges with their evidence
    congvan graph orphans | lag 01-KL/TW | top --by pagerank | stats
    congvan graph export --format graphml -o graph.graphml
    congvan graph view 01-KL/TW --html cascade.html

The graph tables are rebuilt automatically when the documents changed since the last build. Exit codes: 0 ok,
1 nothing found (no path, unknown document), 2 usage error or an archive that cannot be used. Errors are one
line on stderr, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from ..paths import escape_controls
from . import app
from .common import MAX_ROWS, console, err_console, fail, guard

graph_app = typer.Typer(help="Citation graph: implementers, lineage, paths, orphans, lag, rankings, exports, views.",
                        no_args_is_help=True)
app.add_typer(graph_app, name="graph")

FORMATS = ("table", "json", "csv", "md")
DB_OPTION = typer.Option(Path("archive.sqlite"), "--db", envvar="CONGVAN_DB", help="The archive database.")
FORMAT_OPTION = typer.Option(None, "--format", "-f", help="table | json | csv | md (default: table on a terminal, "
                                                         "else json).")
RELATION_OPTION = typer.Option(None, "--relation", "-r", help="Follow only these relations (repeatable): implements, "
                               "continues, based_on, guides, responds_to, amends, replaces, repeals, mentions, or the "
                               "Vietnamese names (thực hiện, tiếp tục thực hiện, căn cứ, hướng dẫn, trả lời, sửa đổi, "
                               "thay thế, bãi bỏ).")
TRANSITIVE_HELP = "--transitive: every level down/up (each document at its nearest-parent depth); --direct: depth 1."


def _relations(values: list[str] | None) -> list[str] | None:
    from ..link.query import parse_relations

    return parse_relations(values)


class _NotFound(Exception):
    pass


_fail = fail  # one error line, then the documented exit code


def _user_errors():
    from ..link.query import GraphError

    return ((GraphError, 1), (_NotFound, 1), (ValueError, 2))


_guard = guard("congvan graph", _user_errors)


def _open(db: Path, rebuild: bool = True):
    """Open the archive; (re)build the graph tables when the documents changed. A read-only archive with a
    current graph is fine; a read-only archive with a stale graph is an error naming the fix."""
    import os

    from ..link.build import ensure_graph, is_stale
    from ..store import open_db
    from ..store.db import ArchiveError

    writable = db.exists() and os.access(db, os.W_OK) and os.access(db.parent if str(db.parent) else Path("."),
                                                                      os.W_OK)
    if writable:
        conn = open_db(db, create=False)
        if rebuild:
            ensure_graph(conn)
        return conn
    conn = open_db(db, readonly=True)
    if rebuild and is_stale(conn):
        conn.close()
        raise ArchiveError(db, "the citation graph is missing or out of date and the archive is read-only; run "
                               f"`congvan graph build --db {db}` with write access")
    return conn


def _fmt(fmt: str | None) -> str:
    if fmt is None:
        return "table" if sys.stdout.isatty() else "json"
    if fmt not in FORMATS:
        raise _fail(f"unknown --format {fmt!r} (choose from {', '.join(FORMATS)})")
    return fmt


def _cell(v: Any, col: str = "") -> str:
    if isinstance(v, list) and v and isinstance(v[0], str) and col not in ("path", "chain"):
        return ", ".join(v)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else ""
    if isinstance(v, list):
        if v and isinstance(v[0], list):
            return " | ".join(" → ".join(map(str, p)) for p in v)
        return " → ".join(map(str, v)) if v and isinstance(v[0], str) else json.dumps(v, ensure_ascii=False)
    return str(v)


def _emit(rows: list[dict[str, Any]] | dict[str, Any], fmt: str, columns: list[str], title: str | None = None) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        sys.stdout.flush()
        return
    assert isinstance(rows, list)
    if fmt == "csv":
        from ..outputs import csv_text

        sys.stdout.write(csv_text([{c: _cell(r.get(c), c) for c in columns} for r in rows], columns))
    elif fmt == "md":
        out = [f"| {' | '.join(columns)} |", "|" + "---|" * len(columns)]
        for r in rows:
            out.append("| " + " | ".join(escape_controls(_cell(r.get(c), c)).replace("|", "\\|") for c in columns)
                       + " |")
        sys.stdout.write("\n".join(out) + "\n")
    else:
        from rich.table import Table

        from ..outputs import terminal_safe

        table = Table(title=terminal_safe(title) if title else None, show_lines=False, title_justify="left")
        for c in columns:
            table.add_column(c, overflow="fold")
        for r in rows:  # document text must not reach the terminal as ESC/OSC sequences
            table.add_row(*(terminal_safe(_cell(r.get(c), c)) for c in columns))
        console.print(table)
    sys.stdout.flush()


def _node(conn, name: str, year: int | None = None, place: str | None = None):
    from ..link.query import find_node

    return find_node(conn, name, year=year, place=place)


# -- commands ------------------------------------------------------------------------------------------------

@graph_app.command()
@_guard
def build(db: Path = DB_OPTION, fmt: str = FORMAT_OPTION) -> None:
    """(Re)build the graph tables (graph_nodes, graph_edges) from the archive's documents."""
    from ..link.build import build as run_build

    conn = _open(db, rebuild=False)
    if conn.execute("PRAGMA query_only").fetchone()[0]:
        raise _fail(f"{db}: database is read-only; the graph cannot be built")
    counts = run_build(conn)
    f = _fmt(fmt)
    if f == "json":
        _emit(counts, f, [])
    else:
        console.print(f"{db}: {counts['nodes']} nodes ({counts['documents']} documents, {counts['stubs']} only "
                      f"cited, {counts['ambiguous_nodes']} ambiguous), {counts['edges']} edges ({counts['via_edges']} "
                      f"through via chains, {counts['ambiguous_edges']} ambiguous) in {counts['build_seconds']:.2f} s",
                      markup=False, highlight=False, soft_wrap=True)


WALK_COLUMNS = ["depth", "number", "label", "issuer", "date", "level", "stub", "relation", "kind", "nearer_parent",
                "path", "n_paths"]


@graph_app.command()
@_guard
def children(
    document: str = typer.Argument(..., help="Number (01-KL/TW), #id, or title words."),
    transitive: bool = typer.Option(False, "--transitive/--direct", "-t", help=TRANSITIVE_HELP + " Default: direct."),
    max_depth: int = typer.Option(25, "--max-depth", min=1, max=10_000),
    relation: list[str] = RELATION_OPTION,
    year: int | None = typer.Option(None, "--year", min=1, max=9999, help="Pick the document of this year when the number is reused."),
    place: str | None = typer.Option(None, "--place", help="Pick the document of this province/locality."),
    db: Path = DB_OPTION, fmt: str = FORMAT_OPTION,
) -> None:
    """Documents citing DOCUMENT (its implementers): depth, path up to DOCUMENT, stub or indexed."""
    from ..link.query import children as q

    f = _fmt(fmt)
    relations = _relations(relation)
    conn = _open(db)
    root = _node(conn, document, year, place)
    rows = q(conn, root, transitive=transitive, max_depth=max_depth, relations=relations)
    _emit(rows, f, WALK_COLUMNS, f"Implementers of {root.label} ({len(rows)})")
    if not rows:
        raise typer.Exit(1)


@graph_app.command()
@_guard
def parents(
    document: str = typer.Argument(...),
    transitive: bool = typer.Option(True, "--transitive/--direct", "-t", help=TRANSITIVE_HELP + " Default: "
                                    "transitive."),
    max_depth: int = typer.Option(25, "--max-depth", min=1, max=10_000),
    relation: list[str] = RELATION_OPTION,
    year: int | None = typer.Option(None, "--year", min=1, max=9999), place: str | None = typer.Option(None, "--place"),
    db: Path = DB_OPTION, fmt: str = FORMAT_OPTION,
) -> None:
    """What DOCUMENT rests on, up to the root documents (root = cites nothing further)."""
    from ..link.query import parents as q

    f = _fmt(fmt)
    conn = _open(db)
    node = _node(conn, document, year, place)
    rows = q(conn, node, transitive=transitive, max_depth=max_depth, relations=_relations(relation))
    _emit(rows, f, WALK_COLUMNS[:-2] + ["root", "path"], f"Lineage of {node.label} ({len(rows)})")
    if not rows:
        raise typer.Exit(1)


@graph_app.command()
@_guard
def path(
    source: str = typer.Argument(..., help="The citing end (1244/LĐLĐ)."),
    target: str = typer.Argument(..., help="The cited end (05-CT/TW)."),
    max_depth: int = typer.Option(25, "--max-depth", min=1, max=10_000),
    limit: int = typer.Option(10, "--limit", min=1, max=MAX_ROWS, help="At most this many paths, shortest first."),
    relation: list[str] = RELATION_OPTION,
    db: Path = DB_OPTION, fmt: str = FORMAT_OPTION,
) -> None:
    """The citation chains between two documents, one row per edge, with the sentence that asserts it."""
    from ..link.query import paths as q

    f = _fmt(fmt)
    conn = _open(db)
    a, b = _node(conn, source), _node(conn, target)
    direction, rows = q(conn, a, b, max_depth=max_depth, relations=_relations(relation), limit=limit)
    if not rows:
        raise _NotFound(f"no citation path between {a.label} and {b.label}")
    if direction == "down" and f == "table":
        err_console.print(escape_controls(f"({b.label} cites {a.label}, not the other way round)"), markup=False,
                          highlight=False)
    _emit(rows, f, ["path", "step", "source", "relation", "target", "kind", "asserted_by", "evidence"],
          f"{a.label} → {b.label}")


@graph_app.command()
@_guard
def orphans(
    limit: int = typer.Option(50, "--limit", min=1, max=MAX_ROWS),
    numbered: bool = typer.Option(False, "--numbered", help="Only documents cited by number (no name-only laws)."),
    db: Path = DB_OPTION, fmt: str = FORMAT_OPTION,
) -> None:
    """Documents cited but not in the archive, most cited first (what to collect next)."""
    from ..link.query import orphans as q

    f = _fmt(fmt)
    conn = _open(db)
    rows = q(conn, limit, include_titles=not numbered)
    _emit(rows, f, ["label", "subject", "issuer", "date", "family", "cited_by", "edges", "ambiguous", "citing"],
          f"Cited but not in the archive ({len(rows)})")


@graph_app.command()
@_guard
def ambiguous(db: Path = DB_OPTION, fmt: str = FORMAT_OPTION) -> None:
    """Citations that fit several documents: flagged with their candidates, never silently linked."""
    from ..link.query import ambiguous_citations

    f = _fmt(fmt)
    conn = _open(db)
    rows = ambiguous_citations(conn)
    for r in rows:
        r["candidates_text"] = "; ".join(f"{c['number']} {c.get('date') or ''} {c.get('locality') or ''}".strip()
                                         for c in r["candidates"])
    _emit(rows, f, ["source", "relation", "number", "candidates_text", "asserted_by", "evidence"],
          f"Ambiguous citations ({len(rows)})")


@graph_app.command()
@_guard
def lag(
    document: str = typer.Argument(...),
    by: str = typer.Option(None, "--by", help="Group: level | issuer | depth (default: one row per implementer; the "
                                              "table shows all three groupings)."),
    relation: list[str] = RELATION_OPTION,
    year: int | None = typer.Option(None, "--year", min=1, max=9999), place: str | None = typer.Option(None, "--place"),
    db: Path = DB_OPTION, fmt: str = FORMAT_OPTION,
) -> None:
    """Days from each implementer's nearest parent (the document it implements on the way down from DOCUMENT)
    and, beside it, from DOCUMENT; by level and by issuer."""
    from ..link.analytics import lag as q
    from ..link.analytics import lag_summary

    f = _fmt(fmt)
    if by not in (None, "level", "issuer", "depth"):
        raise _fail(f"congvan graph lag: unknown --by {by!r} (choose level, issuer or depth)")
    conn = _open(db)
    root = _node(conn, document, year, place)
    rows = q(conn, root, relations=_relations(relation))
    if not rows:
        raise _NotFound(f"{root.label} has no implementers in the archive")
    summary_cols = ["documents", "dated", "min_days", "median_days", "mean_days", "max_days", "median_root_days"]
    if by:
        _emit(lag_summary(rows, by), f, [by, *summary_cols], f"Lag after {root.label} by {by}")
        return
    _emit(rows, f, ["depth", "number", "issuer", "level", "date", "parent", "lag_from_parent_days", "lag_days"],
          f"Implementation lag after {root.label} ({root.data.get('date') or 'date unknown'})")
    if f == "table":
        for key in ("level", "issuer"):
            _emit(lag_summary(rows, key), f, [key, *summary_cols], f"by {key}")


@graph_app.command()
@_guard
def top(
    by: str = typer.Option("in-degree", "--by", help="in-degree | pagerank"),
    limit: int = typer.Option(20, "--limit", min=1, max=MAX_ROWS),
    name_only: bool = typer.Option(True, "--name-only/--no-name-only", help="--no-name-only leaves out documents "
                                   "cited only by name (Điều lệ Đảng, a congress resolution)."),
    stubs: bool = typer.Option(True, "--stubs/--no-stubs", help="--no-stubs leaves out every document not in the "
                               "archive (name-only ones included)."),
    db: Path = DB_OPTION, fmt: str = FORMAT_OPTION,
) -> None:
    """The most cited documents, by distinct citing documents or by PageRank."""
    from ..link.analytics import top as q

    f = _fmt(fmt)
    if by not in ("in-degree", "pagerank"):
        raise _fail(f"congvan graph top: unknown --by {by!r} (choose in-degree or pagerank)")
    conn = _open(db)
    rows = q(conn, by, limit, name_only=name_only, stubs=stubs)
    cols = ["rank", "label", "issuer", "date", "stub", "in_degree", "out_degree"]
    _emit(rows, f, cols + (["pagerank"] if by == "pagerank" else []), f"Top documents by {by}")


@graph_app.command()
@_guard
def stats(db: Path = DB_OPTION, fmt: str = FORMAT_OPTION,
          limit: int = typer.Option(5, "--limit", min=1, max=MAX_ROWS)) -> None:
    """Counts, connected components and the longest implementation cascades."""
    from ..link.analytics import components, longest_cascades
    from ..link.build import graph_counts

    f = _fmt(fmt)
    conn = _open(db)
    data = {"counts": graph_counts(conn), "components": components(conn, limit),
            "longest_cascades": longest_cascades(conn, limit)}
    if f == "json":
        _emit(data, f, [])
        return
    _emit([data["counts"]], f, list(data["counts"]), "Graph")
    _emit(data["components"], f, ["component", "size", "documents", "stubs", "hub", "hub_in_degree"], "Components")
    _emit(data["longest_cascades"], f, ["length", "root", "leaf", "chain"], "Longest cascades")


@graph_app.command()
@_guard
def export(
    fmt: str = typer.Option(..., "--format", "-f", help="graphml | gexf | json | neo4j | dot"),
    out: Path = typer.Option(..., "--out", "-o", help="Output file (a folder for neo4j: nodes.csv, edges.csv)."),
    document: str | None = typer.Option(None, "--cascade", help="Only the cascade around this document."),
    db: Path = DB_OPTION,
) -> None:
    """Write the graph for Gephi/yEd (GraphML, GEXF), Neo4j (admin-import CSVs), Graphviz (DOT) or JSON."""
    from ..link.export import FORMATS as EXPORT_FORMATS
    from ..link.export import export as run_export
    from ..link.query import neighbourhood
    from ..outputs import archive_files, classify
    from ..paths import display

    if fmt not in EXPORT_FORMATS:
        raise _fail(f"congvan graph export: unknown --format {fmt!r} (choose from {', '.join(EXPORT_FORMATS)})")
    protect = archive_files(db)
    if fmt != "neo4j":
        classify(out, protect)  # refuse a bad target before opening (and maybe rebuilding) anything
    conn = _open(db)
    nodes = None
    if document:
        nodes = set(neighbourhood(conn, _node(conn, document))[0])
    files = run_export(conn, fmt, out, nodes, protect=protect)
    console.print("wrote " + ", ".join(display(f) for f in files), markup=False, highlight=False, soft_wrap=True)


@graph_app.command()
@_guard
def view(
    document: str = typer.Argument(...),
    html: Path = typer.Option(Path("cascade.html"), "--html", "-o", help="The page to write."),
    max_depth: int = typer.Option(25, "--max-depth", min=1, max=10_000),
    year: int | None = typer.Option(None, "--year", min=1, max=9999), place: str | None = typer.Option(None, "--place"),
    db: Path = DB_OPTION,
) -> None:
    """A self-contained interactive page of DOCUMENT's cascade (works offline; hover an edge for its evidence)."""
    from ..link.view import write_view
    from ..outputs import archive_files, classify
    from ..paths import display

    protect = archive_files(db)
    classify(html, protect)  # the archive, a symlink, a folder: refused before anything is read
    conn = _open(db)
    root = _node(conn, document, year, place)
    data = write_view(conn, root, html, max_depth, protect=protect)
    console.print(f"wrote {display(html)} ({len(data['nodes'])} documents, {len(data['edges'])} citations)", markup=False,
                  highlight=False, soft_wrap=True)
