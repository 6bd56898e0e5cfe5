"""`congvan cite FILE|-` and `congvan eval-snippets`, and the `find_references` API they wrap."""

import json
from pathlib import Path

from typer.testing import CliRunner

from pipeline import find_references
from pipeline.cli import app

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()

SNIPPET = ("Thực hiện Kế hoạch số 31-KH/HU ngày 09/4/2025 của Ban Thường vụ Huyện ủy về tiếp tục thực hiện Chỉ thị "
           "số 12-CT/TW của Ban Bí thư <b>\"mới\"</b>.")


def test_api_is_exported_and_returns_typed_records():
    import pipeline

    assert "find_references" in pipeline.__all__
    refs = find_references(SNIPPET)
    assert [type(r).__name__ for r in refs] == ["Reference", "Reference"]
    assert refs[0].issuer == "Ban Thường vụ Huyện ủy" and refs[0].date == "2025-04-09"


def test_cite_stdin_prints_json():
    res = runner.invoke(app, ["cite", "-"], input=SNIPPET)
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [d["number"] for d in data] == ["31-KH/HU", "12-CT/TW"]
    first = data[0]
    assert first["relation"] == "implements" and first["relation_vi"] == "thực hiện"
    assert SNIPPET[first["start"]:first["end"]] == first["text"]
    assert data[1]["via"] == 0 and data[1]["via_number"] == "31-KH/HU" and data[1]["relation"] == "continues"


def test_cite_html_highlights_and_escapes(tmp_path):
    src = tmp_path / "doan.txt"
    src.write_text(SNIPPET, encoding="utf-8")
    out = tmp_path / "cite.html"
    res = runner.invoke(app, ["cite", str(src), "--html", "-o", str(out)])
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert page.count("<mark ") == 2 and "thực hiện</span>" in page
    assert "<b>" not in page and "&lt;b&gt;&quot;mới&quot;&lt;/b&gt;" in page
    assert "← 31-KH/HU" in page  # the nested citation shows what it hangs on


def test_cite_reads_any_format_through_the_readers(tmp_path):
    from docx import Document

    path = tmp_path / "trich.docx"
    d = Document()
    d.add_paragraph("Căn cứ Quyết định số 77/QĐ-UBND ngày 03/02/2025 của Ủy ban nhân dân huyện;")
    d.save(path)
    res = runner.invoke(app, ["cite", str(path)])
    assert res.exit_code == 0, res.output
    (ref,) = json.loads(res.stdout)
    assert (ref["number"], ref["relation"], ref["date"]) == ("77/QĐ-UBND", "based_on", "2025-02-03")


def test_cite_bad_input_is_one_line():
    res = runner.invoke(app, ["cite", "/no/such/file.txt"])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1
    res = runner.invoke(app, ["cite", "-"], input=b"\xff\xfe\x00bad")
    assert res.exit_code == 1 and "not UTF-8" in res.output


def test_eval_snippets_scores_the_team_snippets():
    res = runner.invoke(app, ["eval-snippets", str(REPO / "tests" / "data" / "snippets.jsonl"), "--json"])
    assert res.exit_code == 0, res.output
    scores = json.loads(res.stdout)["scores"]
    assert scores["recall"] >= 0.95 and scores["date"] >= 0.9 and scores["invented"] <= 0.1
    res = runner.invoke(app, ["eval-snippets", "/no/such.jsonl"])
    assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1
