"""`congvan extract | schema | show | eval` from the command line: formats, exit codes, one-line errors."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


def run(*args):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, cwd=REPO,
                          timeout=300)


def test_extract_json_single_record(seed_path):
    res = runner.invoke(app, ["extract", str(seed_path)])
    assert res.exit_code == 0, res.output
    rec = json.loads(res.stdout)
    assert rec["number"]["text"] == "1244/LĐLĐ" and rec["schema_version"] == "1.0"


def test_extract_folder_jsonl_md_table(tmp_path):
    out = tmp_path / "out.jsonl"
    res = runner.invoke(app, ["extract", str(REPO / "corpora" / "docs"), "--format", "jsonl", "-o", str(out)])
    assert res.exit_code == 0, res.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(list((REPO / "corpora" / "docs").glob("*.txt")))
    assert all(json.loads(x)["source"]["sha256"] for x in lines)
    docs = sorted((REPO / "corpora" / "docs").glob("*.txt"))[:2]
    res = runner.invoke(app, ["extract", *map(str, docs), "--format", "md"])
    assert res.exit_code == 0 and res.stdout.count("\n## ") + res.stdout.startswith("## ") == 2
    assert "Trích yếu" in res.stdout
    res = runner.invoke(app, ["extract", *map(str, docs), "--format", "table"])
    assert res.exit_code == 0 and "number" in res.stdout


def test_bad_inputs_one_line_errors_and_batch_goes_on(tmp_path, seed_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "notes.xyz").write_text("Số: 1/UBND\n", encoding="utf-8")
    (tmp_path / "english.txt").write_text("This is an English memo about the annual budget. " * 40, encoding="utf-8")
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:  # 50 MB of text
        fh.write(("Căn cứ Nghị định số 30/2020/NĐ-CP; " * 1000 + "\n").encode() * 1300)
    good = tmp_path / "good.txt"
    good.write_bytes(seed_path.read_bytes())
    files = [tmp_path / n for n in ("empty.txt", "binary.txt", "notes.xyz", "english.txt", "big.txt", "good.txt")]
    res = run("extract", *map(str, files), "--format", "jsonl", "--max-mb", "40")
    assert res.returncode == 1
    assert "Traceback" not in res.stderr and "Traceback" not in res.stdout
    errors = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(errors) == 4, res.stderr
    for name in ("empty.txt", "binary.txt", "english.txt", "big.txt"):
        assert any(name in ln for ln in errors), name
    assert any("EmptyFile" in ln for ln in errors) and any("NotVietnamese" in ln for ln in errors)
    assert any("TooLarge" in ln for ln in errors)
    records = [json.loads(x) for x in res.stdout.splitlines()]
    good_recs = [r for r in records if not r.get("error")]
    assert len(good_recs) == 2  # the seed, and notes.xyz: content decides the reader, not the extension
    assert {r["error"] for r in records if r.get("error")} >= {"EmptyFile", "NotVietnamese", "TooLarge"}


def test_usage_errors_exit_2(tmp_path):
    res = run("extract", str(tmp_path), "--format", "nope")
    assert res.returncode == 2
    res = run("extract", str(tmp_path))  # an empty folder
    assert res.returncode == 2


def test_missing_file_is_a_one_line_error(tmp_path, seed_path):
    res = run("extract", str(tmp_path / "gone.txt"), str(seed_path), "--format", "jsonl")
    assert res.returncode == 1 and "gone.txt: Unreadable" in res.stderr and "Traceback" not in res.stderr


def test_schema_and_show(tmp_path, seed_path):
    res = runner.invoke(app, ["schema"])
    assert res.exit_code == 0 and json.loads(res.stdout)["title"] == "Dispatch"
    html = tmp_path / "seed.html"
    res = runner.invoke(app, ["show", str(seed_path), "--html", str(html)])
    assert res.exit_code == 0, res.output
    page = html.read_text(encoding="utf-8")
    assert "REF:implements" in page and "NUMBER" in page and "http" not in page.split("<body>")[0]


def test_eval_table_and_json(dev_dir, tmp_path):
    out = tmp_path / "report.json"
    res = runner.invoke(app, ["eval", str(REPO / "corpora"), "-o", str(out)])
    assert res.exit_code == 0 and "references_f1" in res.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["documents"] >= 30 and data["scores"]["number"] >= 0.95
    res = runner.invoke(app, ["eval", str(dev_dir), "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["documents"] == 48


@pytest.mark.skipif(os.environ.get("CI_FAST") == "1", reason="startup time is measured in the full run")
def test_help_is_fast():
    import time

    t = time.perf_counter()
    res = run("--help")
    assert res.returncode == 0 and "extract" in res.stdout
    assert time.perf_counter() - t < 5  # spaCy and underthesea are imported lazily (benchmark reports the figure)


def test_worker_processes_give_the_same_records_in_input_order(tmp_path, seed_path):
    from pipeline.run import extract_records

    (tmp_path / "empty.txt").write_bytes(b"")
    files = [*sorted((REPO / "corpora" / "docs").glob("*.txt"))[:5], tmp_path / "empty.txt", seed_path]
    pooled = dict(extract_records(files, jobs=2, time_limit_s=120))
    local = dict(extract_records(files, jobs=0))
    assert sorted(pooled) == list(range(len(files)))
    assert [pooled[k].to_dict() for k in range(len(files))] == [local[k].to_dict() for k in range(len(files))]
    assert pooled[5].error == "EmptyFile"
    out = tmp_path / "out.jsonl"
    res = run("extract", *map(str, files), "--format", "jsonl", "-j", "2", "-o", str(out))
    assert res.returncode == 1 and "empty.txt: EmptyFile" in res.stderr
    paths = [json.loads(x)["source"]["path"] if "source" in json.loads(x) else json.loads(x)["path"]
             for x in out.read_text(encoding="utf-8").splitlines()]
    assert paths == [str(f) for f in files]


def test_hostile_files_beside_good_ones(tmp_path):
    """The issue's acceptance run: `congvan extract` over the hostile files and good ones gives every good file
    its record, every bad one a one-line error naming it, no traceback, exit status 1, under 1 GB."""
    import resource
    import shutil

    from tests.read import hostile

    folder = tmp_path / "inbox"
    folder.mkdir()
    bad = hostile.make_hostile_files(folder)
    good = sorted((REPO / "corpora" / "docs").glob("*.txt"))[:6]
    for g in good:
        shutil.copyfile(g, folder / g.name)
    out = tmp_path / "out.jsonl"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    res = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", str(folder), "--format", "jsonl",
                          "-o", str(out), "--timeout", "30", "--no-progress"],
                         capture_output=True, text=True, cwd=REPO, timeout=900)
    peak_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    assert res.returncode == 1, res.stderr[-2000:]
    assert "Traceback" not in res.stderr and "Traceback" not in res.stdout
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    ok = {r["source"]["path"] for r in records if not r.get("error")}
    errors = [r for r in records if r.get("error")]
    assert all(str(folder / g.name) in ok for g in good)
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == len(errors) >= 30
    for ln in lines:  # "<path>: <ErrorClass>: <reason>"
        path, kind, reason = ln.split(": ", 2) if ln.count(": ") >= 2 else (ln, "", "")
        assert path.startswith(str(folder)) and kind.isidentifier() and reason, ln
    assert {r["path"] for r in errors} == {ln.split(": ", 1)[0] for ln in lines}
    assert {r["path"] for r in errors} <= {str(p) for p in bad} | {str(folder / n) for n in os.listdir(folder)}
    assert peak_mb < 1024, f"peak RSS {peak_mb:.0f} MB"
