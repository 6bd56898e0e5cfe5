"""Exports round-trip through networkx; Neo4j headers; the HTML view renders in headless Chromium."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess

import networkx as nx
import pytest

from pipeline.link.export import NEO4J_EDGE_HEADER, NEO4J_NODE_HEADER, export

from .conftest import cli


def _counts(conn):
    return (conn.execute("SELECT count(*) FROM graph_nodes").fetchone()[0],
            conn.execute("SELECT count(*) FROM graph_edges").fetchone()[0])


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_gexf_round_trip(conn, tmp_path, fmt, reader):
    out = tmp_path / f"g.{fmt}"
    export(conn, fmt, out)
    g = reader(out)
    n, m = _counts(conn)
    assert g.number_of_nodes() == n and g.number_of_edges() == m
    labels = {a.get("label") for _, a in g.nodes(data=True)}
    assert {"1244/LĐLĐ", "01-KL/TW", "6713/TLĐ-TG"} <= labels
    rels = {a.get("relation") for _, _, a in g.edges(data=True)}
    assert {"implements", "continues"} <= rels


def test_neo4j_and_json_and_dot(conn, tmp_path):
    files = export(conn, "neo4j", tmp_path / "neo")
    with open(files[0], encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == NEO4J_NODE_HEADER and "id:ID" in rows[0] and ":LABEL" in rows[0]
    with open(files[1], encoding="utf-8") as f:
        erows = list(csv.reader(f))
    assert erows[0][:3] == [":START_ID", ":END_ID", ":TYPE"] and erows[0] == NEO4J_EDGE_HEADER
    ids = {r[0] for r in rows[1:]}
    assert all(r[0] in ids and r[1] in ids for r in erows[1:])
    n, m = _counts(conn)
    assert len(rows) - 1 == n and len(erows) - 1 == m
    export(conn, "json", tmp_path / "g.json")
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == n
    export(conn, "dot", tmp_path / "g.dot")
    assert (tmp_path / "g.dot").read_text(encoding="utf-8").startswith("digraph")


def test_cli_export(archive, tmp_path):
    res = cli("graph", "export", "--format", "gexf", "-o", str(tmp_path / "x.gexf"), "--db", str(archive))
    assert res.returncode == 0 and (tmp_path / "x.gexf").exists()
    res = cli("graph", "export", "--format", "pdf", "-o", str(tmp_path / "x.pdf"), "--db", str(archive))
    assert res.returncode == 2


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def test_view_renders_in_headless_chromium(archive, tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium not installed (apt-get install -y chromium)")
    html = tmp_path / "cascade.html"
    res = cli("graph", "view", "01-KL/TW", "--html", str(html), "--db", str(archive))
    assert res.returncode == 0, res.stderr
    page = html.read_text(encoding="utf-8")
    assert "<script src" not in page and "http://" not in page.replace("http://www.w3.org", "")
    from pipeline.link.query import find_node
    from pipeline.link.view import cascade_data
    from pipeline.store import open_db

    conn = open_db(archive, readonly=True)
    expected = len(cascade_data(conn, find_node(conn, "01-KL/TW"))["nodes"])
    conn.close()
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--window-size=1280,800"]
    dom = subprocess.run([browser, *flags, f"--user-data-dir={tmp_path / 'p1'}", "--dump-dom", html.as_uri()],
                         capture_output=True, text=True, timeout=90).stdout
    assert f'data-nodes="{expected}"' in dom and 'data-rendered="1"' in dom
    assert dom.count('class="node') == expected
    shot = tmp_path / "shot.png"
    subprocess.run([browser, *flags, f"--user-data-dir={tmp_path / 'p2'}", f"--screenshot={shot}", html.as_uri()],
                   capture_output=True, timeout=90)
    from PIL import Image

    colours = Image.open(shot).convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 1
