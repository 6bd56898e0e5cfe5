"""`congvan tasks`: formats, filters, folders, bad files (one line on stderr, the batch goes on), exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from pipeline.cli import app

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("CONGVAN_SHARED", REPO.parent / "shared"))
SEED = SHARED / "corpus" / "seed" / "1244-LDLD.txt"

runner = CliRunner()


@pytest.fixture(scope="module")
def seed() -> Path:
    if not SEED.exists():
        pytest.skip(f"seed document not found at {SEED}")
    return SEED


def run(*args: str):
    result = runner.invoke(app, ["tasks", *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def checklist(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.startswith("- [ ] ")]


def test_markdown_checklist_of_the_seed(seed):
    r = run(str(seed))
    assert r.exit_code == 0, r.output
    items = checklist(r.stdout)
    assert len(items) == 5
    assert all("(các cấp công đoàn" in ln for ln in items)
    assert ["hằng năm" in ln for ln in items] == [True, False, False, True, False]
    assert r.stderr == ""


def test_ics_to_a_file(seed, tmp_path):
    out = tmp_path / "tasks.ics"
    r = run(str(seed), "--format", "ics", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert "wrote" in r.stderr and "5 tasks" in r.stderr
    cal = Calendar.from_ical(out.read_bytes())
    todos = list(cal.walk("VTODO"))
    assert len(todos) == 5
    assert sum("RRULE" in t for t in todos) == 2


def test_csv_with_bom_and_json(seed):
    r = run(str(seed), "-f", "csv", "--bom")
    assert r.exit_code == 0
    assert r.stdout_bytes.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.stdout_bytes.decode("utf-8-sig"))))
    assert [row["task_id"] for row in rows] == ["1", "2", "3", "4", "5"]
    assert {row["actors"] for row in rows} == {"các cấp công đoàn"}
    r = run(str(seed), "--format", "json")
    data = json.loads(r.stdout)
    assert data[0]["number"] == "1244/LĐLĐ" and len(data[0]["tasks"]) == 5


def test_filters(seed):
    r = run(str(seed), "--for", "Công đoàn ngành Giáo dục")
    assert len(checklist(r.stdout)) == 5
    r = run(str(seed), "--for", "ldld huyen Than Uyen")
    assert len(checklist(r.stdout)) == 5
    r = run(str(seed), "--for", "Sở Y tế")
    assert r.exit_code == 0 and checklist(r.stdout) == [] and "Không có nhiệm vụ nào" in r.stdout
    r = run(str(seed), "--due-before", "2023-12-31")
    assert [ln.split()[3] for ln in checklist(r.stdout)] == ["1.", "4."]
    r = run(str(seed), "--due-after", "31/12/2030")  # yearly tasks recur
    assert [ln.split()[3] for ln in checklist(r.stdout)] == ["1.", "4."]


def test_folder_with_bad_files_goes_on(seed, tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    shutil.copy(seed, inbox / "sub" / "1244-LDLD.txt")
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage \x00\x01\x02")
    (inbox / "notes.xyz").write_text("ignored: not a supported suffix")
    r = run(str(inbox), str(tmp_path / "missing.docx"), "--format", "md")
    assert r.exit_code == 1
    errors = r.stderr.strip().splitlines()
    assert len(errors) == 3
    assert any("empty.txt" in e for e in errors) and any("broken.pdf" in e for e in errors)
    assert any("missing.docx" in e for e in errors)
    assert len(checklist(r.stdout)) == 5  # the good file still made it


def test_saved_records_are_read_as_they_are(seed, tmp_path):
    from pipeline.extract import extract_one

    rec = extract_one(seed)
    saved = tmp_path / "records.json"
    saved.write_text(json.dumps([rec.to_dict()], ensure_ascii=False), encoding="utf-8")
    r = run(str(saved))
    assert r.exit_code == 0 and len(checklist(r.stdout)) == 5
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}', encoding="utf-8")
    r = run(str(bad), str(saved))
    assert r.exit_code == 1
    assert r.stderr.count("\n") == 1 and "bad.json" in r.stderr
    assert len(checklist(r.stdout)) == 5


@pytest.mark.parametrize("args", [
    ["--format", "pdf"],
    ["--due-before", "2023-13-01"],
    ["--due-after", "2024-01-01", "--due-before", "2023-01-01"],
    ["--for", "  "],
    ["--lang", "fr"],
])
def test_usage_errors_exit_2(seed, args):
    r = run(str(seed), *args)
    assert r.exit_code == 2
    assert len(r.stderr.strip().splitlines()) == 1


def test_no_files_is_a_usage_error(tmp_path):
    r = run(str(tmp_path))
    assert r.exit_code == 2 and "no supported files" in r.stderr


def test_no_path_is_a_usage_error():
    r = runner.invoke(app, ["tasks"])
    assert r.exit_code == 2


def test_unwritable_output(seed, tmp_path):
    r = run(str(seed), "-o", str(tmp_path / "no" / "such" / "dir" / "x.md"))
    assert r.exit_code == 1 and "cannot write" in r.stderr


def test_real_entry_point(seed, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    p = subprocess.run([sys.executable, "-m", "pipeline.cli", "tasks", str(seed), str(empty), "-f", "ics"],
                       capture_output=True, cwd=REPO, timeout=300)
    assert p.returncode == 1
    assert b"Traceback" not in p.stderr
    assert p.stderr.decode().strip().splitlines() == [f"{empty}: EmptyFile: file is empty (0 bytes)"]
    assert len(list(Calendar.from_ical(p.stdout).walk("VTODO"))) == 5


def test_for_a_unit_the_document_never_names(tmp_path):
    doc = tmp_path / "cv.txt"
    doc.write_text("ỦY BAN NHÂN DÂN\nTỈNH CAO BẰNG\nSố: 77/UBND-NC\nCao Bằng, ngày 04 tháng 3 năm 2025\n"
                   "V/v kiểm tra phòng cháy\n\nKính gửi: Công an tỉnh\n\n"
                   "Giao Công an tỉnh chủ trì, phối hợp với Sở Xây dựng kiểm tra các chợ trước ngày 30/4/2025.\n\n"
                   "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNông Văn Tú\n", encoding="utf-8")
    r = run(str(doc), "--for", "Sở Y tế")
    assert r.exit_code == 0 and checklist(r.stdout) == []
    assert "Không có nhiệm vụ nào cho “Sở Y tế”" in r.stdout and "Công an tỉnh" in r.stdout and "Sở Xây dựng" in r.stdout
    r = run(str(doc), "--for", "So Xay dung")
    assert [ln.split()[3] for ln in checklist(r.stdout)] == ["1."] and "đơn vị phối hợp" in r.stdout
    r = run(str(doc), "--for", "Sở Y tế", "--format", "json")
    assert "units named: Công an tỉnh; Sở Xây dựng" in r.stderr


def test_lang_en_labels_in_english(seed):
    r = run(str(seed), "--lang", "en")
    assert r.exit_code == 0, r.output
    items = checklist(r.stdout)
    assert len(items) == 5
    assert ["yearly" in ln for ln in items] == [True, False, False, True, False]
    assert "hằng năm" not in r.stdout and "No. " in r.stdout and "\nRe: " in r.stdout
    assert "(các cấp công đoàn" in items[0]  # the document's own words stay as printed
    ics = run(str(seed), "--lang", "EN", "--format", "ics")
    assert "Lead: các cấp công đoàn" in ics.stdout.replace("\r\n ", "") and "Thực hiện" not in ics.stdout


def test_lang_en_for_a_unit_the_document_never_names(seed):
    r = run(str(seed), "--lang", "en", "--for", "Sở Tài chính")
    assert r.exit_code == 0
    assert r.stdout.startswith("No task for “Sở Tài chính”") and "Units it names:" in r.stdout
