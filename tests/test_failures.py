"""The failure model (docs/design.md, "Failure model"): one ErrorRecord, built by one classify(), the same for a bad
file whichever way it is processed — extract_one, `extract --jobs 2`, the archive's errors table — and a failing
file is read and extracted once, never a second time to learn its error's name."""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.errors import FileError, classify, worker_failure
from pipeline.extract import extract_one
from pipeline.models import ErrorRecord
from pipeline.read.errors import CorruptFile, ReadError
from pipeline.run.engines import LocalEngine
from pipeline.store.runner import index
from pipeline.store.work import extract_for_archive

ROOT = Path(__file__).resolve().parents[1]
# the modules (the package root exports functions of the same names: pipeline.read, pipeline.extract)
READ = importlib.import_module("pipeline.read")
EXTRACT = importlib.import_module("pipeline.extract")

# Team-written bad inputs: an empty file, bytes that only pretend to be a PDF, a text in English.
BAD = {
    "empty.txt": b"",
    "junk.pdf": bytes(range(255, -1, -1)) * 10,
    "english.txt": (b"Minutes of the allotment committee. The members agreed that the garden plots along the river "
                    b"will be shared out again next spring, and that the tool shed needs a new roof before winter. "
                    b"Nobody objected to the new rota for watering.\n") * 3,
}

# A short, team-written official letter: it reads and passes the language check, so only the extractor can fail.
LETTER = """ỦY BAN NHÂN DÂN HUYỆN BẮC SƠN
PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG
Số: 27/TNMT-QLĐĐ
V/v rà soát hồ sơ cấp giấy chứng nhận quyền sử dụng đất

Kính gửi: Ủy ban nhân dân các xã, thị trấn.

Để hoàn thành việc cấp giấy chứng nhận trong quý, Phòng Tài nguyên và Môi trường đề nghị Ủy ban nhân dân các xã,
thị trấn rà soát toàn bộ hồ sơ còn tồn đọng, báo cáo kết quả về Phòng trước ngày 15 tháng 5 năm 2026.

Nơi nhận:
- Như trên;
- Lưu: VT.
KT. TRƯỞNG PHÒNG
PHÓ TRƯỞNG PHÒNG
Lê Văn Thịnh
"""

FIELDS = ("stage", "error", "message")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def archive_errors(db: Path) -> dict[str, ErrorRecord]:
    """The errors table, read back as the records it holds, by file name."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT path, stage, error, message, sha256 FROM errors").fetchall()
    finally:
        conn.close()
    return {Path(p).name: ErrorRecord(path=p, stage=s, error=e, message=m, sha256=h) for p, s, e, m, h in rows}


@pytest.fixture
def bad_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, data in BAD.items():
        (folder / name).write_bytes(data)
    return folder


def test_classify_keeps_read_error_kinds_and_names_others():
    rec = classify(CorruptFile("a.pdf", "broken cross-reference table"), "read", "a.pdf")
    assert rec.line() == "a.pdf: CorruptFile: broken cross-reference table" and rec.stage == "read"
    assert issubclass(ReadError, FileError)
    rec = classify(KeyError("zone"), "extract", "b.txt", "ab" * 32)
    assert (rec.stage, rec.error, rec.sha256) == ("extract", "KeyError", "ab" * 32) and "zone" in rec.message
    assert classify(RecursionError("maximum recursion depth exceeded"), "extract", "c.txt").message == \
        "text too deeply nested"
    assert classify(ValueError(""), "store", "d.txt").message == "ValueError('')"  # never an empty reason
    long = classify(ValueError("x" * 5000), "extract", "e.txt")
    assert len(long.message) <= 300
    crashed = worker_failure("f.pdf", "WorkerCrashed", "the extraction process died on this file")
    # the JSON shape is unchanged: the "error" key carries the error's name
    assert crashed.to_dict() == {"error": "WorkerCrashed", "path": "f.pdf", "stage": "worker",
                                 "message": "the extraction process died on this file", "sha256": None}


def test_same_record_from_every_path(bad_dir: Path, tmp_path: Path):
    direct = {name: extract_one(bad_dir / name) for name in BAD}
    assert all(isinstance(r, ErrorRecord) for r in direct.values()), direct
    assert {r.error for r in direct.values()} >= {"EmptyFile", "NotVietnamese"}

    db = tmp_path / "a.db"
    report = index(db, [bad_dir], engine=LocalEngine(workers=0))
    assert report.failed == len(BAD)
    stored = archive_errors(db)

    out = tmp_path / "out.jsonl"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    res = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", str(bad_dir), "--jobs", "2", "--format",
                          "jsonl", "-o", str(out)], capture_output=True, text=True, timeout=300, env=env)
    assert res.returncode == 1 and "Traceback" not in res.stderr, res.stderr
    pooled = {Path(d["path"]).name: d for d in map(json.loads, out.read_text(encoding="utf-8").splitlines())}

    for name, data in BAD.items():
        one = direct[name]
        want = tuple(getattr(one, f) for f in FIELDS)
        assert tuple(getattr(stored[name], f) for f in FIELDS) == want, name
        assert tuple(pooled[name][f] for f in FIELDS) == want, name
        # the JSON shape users script against
        assert list(pooled[name]) == ["error", "path", "stage", "message", "sha256"]
        # the archive always knows the content hash (it hashes before extracting); elsewhere it is there when read
        assert stored[name].sha256 == sha(data) and one.sha256 in (None, sha(data))
        assert f"{one.path}: {one.error}: {one.message}" in res.stderr


@pytest.mark.parametrize("exc, error, message", [
    (ValueError("zone table out of step"), "ValueError", "zone table out of step"),
    (RecursionError("maximum recursion depth exceeded"), "RecursionError", "text too deeply nested"),
])
def test_failing_file_is_read_and_extracted_once(monkeypatch, tmp_path: Path, exc, error, message):
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "letter.txt"
    path.write_text(LETTER, encoding="utf-8")
    digest = sha(path.read_bytes())
    reads: list[str] = []
    extractions: list[str] = []
    real_read = READ.read

    def counting_read(p, options=None):
        reads.append(os.fspath(p))
        return real_read(p, options)

    def failing_extract(text):
        extractions.append(text.source.path)
        raise exc

    monkeypatch.setattr(READ, "read", counting_read)
    monkeypatch.setattr(EXTRACT, "extract_from_text", failing_extract)

    results = {}
    for way, run in [("extract_one", lambda: extract_one(path)),
                     ("worker", lambda: extract_for_archive(str(path))),
                     ("index", lambda: archive_errors(_indexed(folder, tmp_path))["letter.txt"])]:
        reads.clear()
        extractions.clear()
        results[way] = run()
        assert (len(reads), len(extractions)) == (1, 1), way
    for way, rec in results.items():
        assert isinstance(rec, ErrorRecord), way
        assert (rec.stage, rec.error, rec.message, rec.sha256) == ("extract", error, message, digest), way
        assert Path(rec.path).name == "letter.txt"


def _indexed(folder: Path, tmp_path: Path) -> Path:
    db = tmp_path / "once.db"
    index(db, [folder], engine=LocalEngine(workers=0))
    return db
