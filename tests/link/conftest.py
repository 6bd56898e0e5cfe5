"""One real archive per session: corpora/docs plus the 1244/LĐLĐ seed, indexed by the real indexer; graph
built from it. Helpers to add hand-made records to a scratch archive (disambiguation cases)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpora" / "docs"
GOLD = ROOT / "corpora" / "gold"
SHARED = Path(os.environ.get("CONGVAN_SHARED", ROOT.parent / "shared"))
SEED = SHARED / "corpus" / "seed" / "1244-LDLD.txt"


@pytest.fixture(scope="session")
def archive(tmp_path_factory) -> Path:
    from pipeline.link.build import build
    from pipeline.store import LocalEngine, index, open_db

    folder = tmp_path_factory.mktemp("graph")
    inbox = folder / "inbox"
    shutil.copytree(CORPUS, inbox)
    if SEED.exists():
        shutil.copy(SEED, inbox / SEED.name)
    db = folder / "archive.sqlite"
    report = index(db, [inbox], LocalEngine(workers=0))
    assert report.failed == 0
    conn = open_db(db)
    build(conn)
    conn.close()
    return db


@pytest.fixture()
def conn(archive):
    from pipeline.store import open_db

    c = open_db(archive)
    yield c
    c.close()


def cli(*args: str):
    """The real command line in this process (Typer runner)."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, result.stderr)


def congvan(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="200")
    env.pop("CONGVAN_DB", None)
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env=env)


def add_record(conn, *, number: str, issuer: str, date: str | None, parent: str | None = None,
               place: str | None = None, refs: list[dict] | None = None, family: str | None = None,
               tasks: list[dict] | None = None, body: str | None = None) -> int:
    """Write one document row the way the archive stores it (columns + the record JSON)."""
    from pipeline.extract.number import parse_number

    parsed = parse_number(number)
    num = {"text": number, "serial": parsed.serial, "year": parsed.year, "symbol": parsed.symbol,
           "normalized": parsed.normalized or number, "family": parsed.family, "type_code": parsed.type_code,
           "issuer_code": parsed.issuer_code}
    references = []
    for r in refs or []:
        references.append({"text": r.get("text", r.get("number") or r.get("title")), "start": r.get("start", 0),
                           "end": r.get("end", 0), "relation": r.get("relation", "implements"), "doc_type": None,
                           "number": r.get("number"), "title": r.get("title"), "date": r.get("date"),
                           "issuer": r.get("issuer"), "via": r.get("via"), "cue": r.get("cue"),
                           "zone": r.get("zone", "body"), "pinpoint": None, "inverse": r.get("inverse", False)})
    record = {"schema_version": "1.0", "source": {"path": f"synthetic/{number}", "sha256": "", "format": "txt"},
              "number": num, "issuer": {"name": issuer, "parent": parent}, "place": place, "date": date,
              "references": references, "tasks": tasks or []}
    sha = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
    conn.execute("BEGIN IMMEDIATE")
    cur = conn.execute(
        "INSERT INTO documents(sha256, number, number_normalized, number_key, issuer, issuer_parent, family, place, "
        "date, year, record, indexed_at, n_references) VALUES (?,?,?,?,?,?,?,?,?,?,?,strftime('%Y-%m-%dT%H:%M:%f','now'),?)",
        (sha, number, num["normalized"], None, issuer, parent, family or parsed.family, place, date,
         int(date[:4]) if date else None, json.dumps(record, ensure_ascii=False), len(references)))
    if body is not None:
        conn.execute("INSERT INTO texts(doc_id, body) VALUES (?, ?)", (cur.lastrowid, body))
    conn.execute("COMMIT")
    return cur.lastrowid
