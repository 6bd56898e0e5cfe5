"""Datasette serves the archive as it is: tables readable, facets work, full-text search wired up."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

pytest.importorskip("datasette")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=5) as resp:
        assert resp.status == 200
        return json.loads(resp.read().decode("utf-8"))


def test_datasette_serves_the_archive(archive, tmp_path):
    db = tmp_path / "archive.sqlite"
    shutil.copyfile(archive, db)  # datasette is a reader, but keep the session archive untouched
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(db), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/archive"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get_json(f"http://127.0.0.1:{port}/-/versions.json")
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode()
                assert time.monotonic() < deadline, "datasette did not start"
                time.sleep(0.2)
        rows = get_json(f"{base}/documents.json?_shape=array&_size=max"
                        "&_col=number_normalized&_col=issuer&_col=date&_col=doc_type")
        conn = __import__("sqlite3").connect(db)
        n = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        assert len(rows) == n
        assert {"number_normalized", "issuer", "date", "doc_type"} <= set(rows[0])
        assert "1244/LĐLĐ" in {r["number_normalized"] for r in rows}
        facets = get_json(f"{base}/documents.json?_facet=doc_type&_facet=year&_size=0")
        counts = {f["value"]: f["count"] for f in facets["facet_results"]["doc_type"]["results"]}
        assert counts["CV"] == conn.execute("SELECT count(*) FROM documents WHERE doc_type = 'CV'").fetchone()[0]
        # Datasette finds the FTS index of `texts` and searches it
        hits = get_json(f"{base}/texts.json?_search=" + urllib.parse.quote("Bác") + "&_shape=array&_col=subject")
        assert hits
        # the readable views
        files = get_json(f"{base}/document_files.json?_shape=array&_size=5")
        assert files and {"path", "number", "issuer", "date"} <= set(files[0])
        conn.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
