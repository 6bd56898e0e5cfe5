"""Nothing clobbered, nothing blocked (issue 12): outputs never replace the archive, a device, a FIFO or a symlink;
lock and temp files never follow symlinks; file names of any bytes never stop a batch; CSV cells cannot run as
formulas; document text cannot drive the terminal; one document's cost is bounded; foreign and read-only databases
are handled; workers die with their parent.

Every document here is written for the test. Device cases use private device nodes made with ``mknod`` in the test's
own folder (root, as in CI) — never the real ``/dev/null`` or ``/dev/full`` — and a FIFO and a symlink otherwise.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.store.conftest import ROOT, cli, one_line_error

HOSTILE = ("CÔNG ĐOÀN TỈNH HÀ NAM\nSố: 31/CV-LĐLĐ\nHà Nam, ngày 5 tháng 6 năm 2024\n"
           'V/v =HYPERLINK("http://example.invalid","bấm") và <!--<script> \x1b]52;c;aGk=\x07 thử\n'
           "Kính gửi: Các công đoàn cơ sở\n"
           "Đề nghị các đơn vị \x1b[2J triển khai kế hoạch và báo cáo kết quả trước ngày 30/6/2024.\n"
           "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH\nNguyễn Văn Bình\n")
CITING = ("LIÊN ĐOÀN LAO ĐỘNG HUYỆN KIM BẢNG\nSố: 7/KH-LĐLĐ\nKim Bảng, ngày 12 tháng 6 năm 2024\n"
          "KẾ HOẠCH\nTriển khai công tác tháng 6\n"
          "Thực hiện Công văn số 31/CV-LĐLĐ ngày 5/6/2024 của Ban Thường vụ Công đoàn tỉnh Hà Nam, Liên đoàn Lao "
          "động huyện xây dựng kế hoạch như sau:\n1. Các công đoàn cơ sở tổ chức quán triệt trong tháng 6.\n"
          "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH\nTrần Thị Hoa\n")


def _doc(n: int) -> str:
    return (f"CÔNG ĐOÀN NGÀNH GIÁO DỤC TỈNH NAM ĐỊNH\nSố: {n}/CV-CĐN\nNam Định, ngày 3 tháng 4 năm 2024\n"
            f"V/v tổ chức hội nghị lần {n}\nKính gửi: Các công đoàn trường học\n"
            f"Đề nghị các đơn vị cử {n} đại biểu tham dự hội nghị và báo cáo danh sách.\n"
            "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH\nLê Văn Nam\n")


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "in").mkdir()
    (root / "in" / "a-hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (root / "in" / "b-citing.txt").write_text(CITING, encoding="utf-8")
    db = root / "a.sqlite"
    res = cli("index", str(root / "in"), "--db", str(db), "-w", "0", "--no-progress")
    assert res.returncode == 0, res.stderr
    return db


def _snapshot(db: Path) -> bytes:
    return db.read_bytes()


def _mknod(path: Path, major: int, minor: int) -> None:
    """A private device node (same numbers as /dev/null or /dev/full); skipped when not root."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(major, minor))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot mknod here: {exc}")


def _reader(fifo: Path, into: list[bytes]) -> threading.Thread:
    def run():
        with open(fifo, "rb") as fh:
            into.append(fh.read())

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


# -- 1. -o never replaces the archive, a device, a FIFO or a symlink ----------------------------------------

@pytest.mark.parametrize("command", [
    ("export",), ("export", "--format", "csv"), ("graph", "view", "31/CV-LĐLĐ"), ("graph", "export", "-f", "json"),
])
def test_output_over_the_archive_is_refused(archive, command):
    before = _snapshot(archive)
    res = cli(*command, "--db", str(archive), "-o", str(archive))
    assert res.returncode == 2
    assert "archive being read" in one_line_error(res)
    assert _snapshot(archive) == before
    assert cli("stats", "--db", str(archive), "--format", "json").returncode == 0


def test_output_over_an_input_file_is_refused(tmp_path):
    doc = tmp_path / "d.txt"
    doc.write_text(_doc(8), encoding="utf-8")
    res = cli("extract", str(doc), "-j", "0", "-o", str(doc))
    assert res.returncode == 2 and "files being extracted" in one_line_error(res)
    records = tmp_path / "r.json"
    assert cli("extract", str(doc), "-j", "0", "-o", str(records)).returncode == 0
    saved = records.read_bytes()
    res = cli("tasks", str(records), "-o", str(records))
    assert res.returncode == 1 and "input files" in one_line_error(res)
    assert doc.read_text(encoding="utf-8") == _doc(8) and records.read_bytes() == saved


def test_output_over_the_archive_wal_or_lock_is_refused(archive, tmp_path):
    lock = Path(str(archive) + ".lock")
    assert lock.exists()
    res = cli("export", "--db", str(archive), "-o", str(lock))
    assert res.returncode == 2 and "archive being read" in res.stderr


def test_output_to_a_character_device_is_streamed(archive, tmp_path):
    dev = tmp_path / "null"
    _mknod(dev, 1, 3)
    res = cli("export", "--db", str(archive), "-o", str(dev))
    assert res.returncode == 0, res.stderr
    assert stat.S_ISCHR(os.lstat(dev).st_mode)  # still the device node, not a regular file
    res = cli("graph", "export", "-f", "dot", "--db", str(archive), "-o", str(dev))
    assert res.returncode == 0, res.stderr
    assert stat.S_ISCHR(os.lstat(dev).st_mode)


def test_full_device_is_the_outputs_fault_not_the_archives(archive, tmp_path):
    full = tmp_path / "full"
    _mknod(full, 1, 7)
    res = cli("export", "--db", str(archive), "-o", str(full))
    line = one_line_error(res)
    assert res.returncode == 1
    assert line.startswith(str(full)) and "no space left" in line and "rolled back" not in line
    assert stat.S_ISCHR(os.lstat(full).st_mode)
    with open(full, "w") as stdout:  # `congvan search … > /dev/full`: still the output's fault
        res = subprocess.run([sys.executable, "-m", "pipeline.cli", "search", "thử", "--db", str(archive), "-f",
                              "json"], stdout=stdout, stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=120,
                             env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert res.returncode == 1 and "no space left" in res.stderr and "rolled back" not in res.stderr
    doc = tmp_path / "d.txt"
    doc.write_text(_doc(6), encoding="utf-8")
    for command in (("extract", str(doc), "-j", "0", "-o", str(full)), ("show", str(doc), "--html", str(full))):
        res = cli(*command)
        assert res.returncode == 1 and "no space left" in one_line_error(res)


def test_output_to_a_fifo_is_streamed(archive, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    t = _reader(fifo, got)
    res = cli("export", "--db", str(archive), "-o", str(fifo))
    t.join(10)
    assert res.returncode == 0, res.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert len(got[0].splitlines()) == 2 and json.loads(got[0].splitlines()[0])["source"]["sha256"]


def test_output_to_a_symlink_is_refused_and_neither_is_replaced(archive, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    link = tmp_path / "out.jsonl"
    link.symlink_to(victim)
    for command in (("export",), ("graph", "view", "31/CV-LĐLĐ")):
        res = cli(*command, "--db", str(archive), "-o", str(link))
        assert res.returncode == 2 and "symbolic link" in one_line_error(res)
        assert link.is_symlink() and victim.read_text() == "keep me\n"


def test_output_to_a_symlink_to_a_fifo_is_a_stream(archive, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "stdout-like"
    link.symlink_to(fifo)
    got: list[bytes] = []
    t = _reader(fifo, got)
    res = cli("export", "--db", str(archive), "-o", str(link))
    t.join(10)
    assert res.returncode == 0 and got[0]
    assert link.is_symlink()


def test_regular_file_is_replaced_atomically_with_its_mode(archive, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    out.chmod(0o640)
    res = cli("export", "--db", str(archive), "-o", str(out))
    assert res.returncode == 0
    assert len(out.read_text().splitlines()) == 2 and stat.S_IMODE(out.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]  # no temporary file left


# -- 2. temp and lock files never follow symlinks; the lock is on the real file ----------------------------

def test_symlink_planted_at_the_old_temp_name_is_not_written_through(archive, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (tmp_path / "out.jsonl.tmp").symlink_to(victim)
    res = cli("export", "--db", str(archive), "-o", str(tmp_path / "out.jsonl"))
    assert res.returncode == 0
    assert victim.read_text() == "keep me\n"
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 2


def test_symlink_planted_at_the_lock_path_is_not_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "d.txt").write_text(_doc(1), encoding="utf-8")
    db = tmp_path / "a.sqlite"
    Path(str(db) + ".lock").symlink_to(victim)
    res = cli("index", str(tmp_path / "in"), "--db", str(db), "-w", "0", "--no-progress")
    assert res.returncode == 2 and "symbolic link" in one_line_error(res)
    assert victim.read_text() == "keep me\n"


def test_lock_is_taken_on_the_resolved_database(tmp_path):
    from pipeline.store import ArchiveLocked
    from pipeline.store.db import IndexLock

    real = tmp_path / "real.sqlite"
    real.touch()
    link = tmp_path / "link.sqlite"
    link.symlink_to(real)
    with IndexLock(real):
        with pytest.raises(ArchiveLocked):
            IndexLock(link).acquire()
        with pytest.raises(ArchiveLocked):
            IndexLock(tmp_path / "." / "real.sqlite").acquire()


# -- 3. names of any bytes -----------------------------------------------------------------------------------

ODD = [b"c15-z\xff.txt", b"line\nbreak.txt", b"back\\x41slash.txt", b"esc\x1b[2Jname.txt"]


@pytest.fixture()
def odd_folder(tmp_path) -> Path:
    folder = tmp_path / "odd"
    folder.mkdir()
    for k, name in enumerate(ODD):
        with open(os.path.join(os.fsencode(folder), name), "wb") as fh:
            fh.write(_doc(40 + k).encode("utf-8"))
    with open(os.path.join(os.fsencode(folder), b"empty\n\xfe.txt"), "wb"):
        pass
    return folder


def test_paths_text_form_is_lossless():
    from pipeline.paths import display, path_from_text, path_text

    for raw in [b"/a/b.txt", b"/a/c15-z\xff.txt", b"/x/back\\x41slash.txt", b"/x/\\\\two", b"/n/line\nbreak",
                b"/v/vi\xe1\xbb\x87t.txt", b"/m/\xe1\xff\\xff"]:
        native = os.fsdecode(raw)
        text = path_text(native)
        text.encode("utf-8")  # valid UTF-8: storable in SQLite and JSON
        assert os.fsencode(path_from_text(text)) == raw
        shown = display(native)
        assert "\n" not in shown and "\x1b" not in shown
    assert path_text("/ordinary/tên tiếng Việt.txt") == "/ordinary/tên tiếng Việt.txt"


def test_index_a_folder_with_odd_names(odd_folder, tmp_path):
    db = tmp_path / "odd.sqlite"
    res = cli("index", str(odd_folder), "--db", str(db), "-w", "0", "--no-progress")
    assert "internal error" not in res.stderr and "Traceback" not in res.stderr
    assert res.returncode == 1  # the empty file fails, the others are indexed
    err = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(err) == 1 and "EmptyFile" in err[0] and "\\n" in err[0] and "\\xfe" in err[0]
    conn = sqlite3.connect(db)
    stored = [r[0] for r in conn.execute("SELECT path FROM files ORDER BY path")]
    conn.close()
    assert len(stored) == len(ODD)
    from pipeline.paths import path_from_text

    assert all(os.path.exists(path_from_text(p)) for p in stored)
    res = cli("index", str(odd_folder), "--db", str(db), "-w", "0", "--no-progress")  # a rerun: nothing new
    assert f"{len(ODD)} already in the archive" in res.stdout
    res = cli("search", "hội nghị", "--db", str(db), "--format", "json", "--limit", "10")
    assert any(h["path"].endswith("c15-z\\xff.txt") for h in json.loads(res.stdout))
    res = cli("search", "hội nghị", "--db", str(db), "--format", "table")
    assert res.returncode == 0 and "\x1b" not in res.stdout
    res = cli("errors", "--db", str(db), "--format", "table")
    assert "\x1b" not in res.stdout


def test_retry_errors_reopens_odd_names(tmp_path):
    folder = tmp_path / "odd"
    folder.mkdir()
    name = os.path.join(os.fsencode(folder), b"late\xfe\nfile.txt")
    with open(name, "wb"):
        pass  # empty: fails the first time
    db = tmp_path / "r.sqlite"
    res = cli("index", str(folder), "--db", str(db), "-w", "0", "--no-progress")
    assert res.returncode == 1 and "EmptyFile" in one_line_error(res)
    with open(name, "wb") as fh:
        fh.write(_doc(77).encode("utf-8"))
    res = cli("index", "--retry-errors", "--db", str(db), "-w", "0", "--no-progress")  # paths from the archive
    assert res.returncode == 0 and "1 new document" in res.stdout, res.stderr


def test_extract_tasks_show_with_odd_names(odd_folder, tmp_path):
    out = tmp_path / "out.jsonl"
    res = cli("extract", str(odd_folder), "-f", "jsonl", "-o", str(out), "-j", "0")
    assert "Traceback" not in res.stderr and res.returncode == 1
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(ODD) + 1
    paths = {r["source"]["path"] if "source" in r else r["path"] for r in rows}
    assert any(p.endswith("c15-z\\xff.txt") for p in paths)
    res = cli("tasks", str(odd_folder), "--no-ocr")
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr and res.returncode == 1
    assert "cử 40 đại biểu" in res.stdout
    odd = os.path.join(os.fsencode(odd_folder), ODD[0])
    res = cli("show", os.fsdecode(odd))
    assert res.returncode == 0 and "NUMBER" in res.stdout


# -- 5. CSV formula injection ----------------------------------------------------------------------------------

def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def test_csv_outputs_neutralise_formulas(archive, tmp_path):
    res = cli("export", "--db", str(archive), "--format", "csv")
    cells = _cells(res.stdout)
    assert any(c.startswith("'=HYPERLINK") for c in cells) and not any(c.startswith("=") for c in cells)
    res = cli("search", "thử", "--db", str(archive), "--format", "csv")
    cells = _cells(res.stdout)
    assert any(c.startswith("'=HYPERLINK") for c in cells) and not any(c.startswith("=") for c in cells)
    res = cli("graph", "export", "-f", "neo4j", "--db", str(archive), "-o", str(tmp_path / "neo"))
    assert res.returncode == 0, res.stderr
    cells = _cells((tmp_path / "neo" / "nodes.csv").read_text(encoding="utf-8"))
    assert any(c.startswith("'=HYPERLINK") for c in cells) and not any(c.startswith(("=", "@", "+")) for c in cells)


def test_csv_cell_rule():
    from pipeline.outputs import csv_cell

    assert [csv_cell(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=x", "01/CV", 5, None)] == \
        ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t=x", "01/CV", 5, None]


# -- 6. terminal escapes ----------------------------------------------------------------------------------------

def test_document_text_cannot_drive_the_terminal(archive, tmp_path):
    doc = tmp_path / "h.txt"
    doc.write_text(HOSTILE, encoding="utf-8")
    for fmt in ("md", "table"):
        res = cli("extract", str(doc), "--format", fmt, "-j", "0")
        assert res.returncode == 0 and "\x1b" not in res.stdout and "\\x1b" in res.stdout
    res = cli("search", "thử", "--db", str(archive), "--format", "table")
    assert res.returncode == 0 and "\x1b]52" not in res.stdout
    res = cli("graph", "children", "31/CV-LĐLĐ", "--db", str(archive), "--format", "table")
    assert "\x1b]52" not in res.stdout
    res = cli("tasks", str(doc), "--no-ocr")
    assert "\x1b" not in res.stdout


# -- 7. bounded work ---------------------------------------------------------------------------------------------

def test_a_run_of_number_text_is_not_copied_into_the_record():
    from pipeline.extract import extract_from_text

    rec = extract_from_text("Số: " + "1/" * 20_000)
    assert rec.number is None
    assert len(json.dumps(rec.to_dict(), ensure_ascii=False)) < 10_000
    assert any("number over" in w for w in rec.warnings)


def test_budget_clips_the_text_and_stops_on_time():
    from pipeline.extract import run_pipeline
    from pipeline.extract.budget import Budget

    text = _doc(3) + ("Đề nghị các đơn vị thực hiện tốt nhiệm vụ. " * 2000)
    doc = run_pipeline(text, budget=Budget(max_chars=5_000))
    assert len(doc._.norm) <= 5_000 and any("first" in w and "budget" in w for w in doc._.warnings)
    assert doc._.record.number.text == "3/CV-CĐN"
    doc = run_pipeline(text, budget=Budget(time_s=-1.0))
    assert any("skipped" in w for w in doc._.warnings) and doc._.record.number is None


def test_field_caps_cut_long_values():
    from pipeline.extract.budget import Budget, cap_fields
    from pipeline.models import Signer

    record = {"subject": "x" * 300, "signer": Signer(name="y" * 300), "recipients": ["z" * 300]}
    warnings = cap_fields(record, Budget(field_chars=100, text_field_chars=200))
    assert len(record["subject"]) == 200 and len(record["signer"].name) == 100 and len(record["recipients"][0]) == 100
    assert warnings


# -- 8 (CLI part). out-of-range numbers are usage errors --------------------------------------------------------

@pytest.mark.parametrize("flag", [["--limit", "99999999999999999999999"], ["--offset", "99999999999999999999999"],
                                  ["--year", "99999999999999999999"]])
def test_out_of_range_numbers_are_usage_errors(archive, flag):
    res = cli("search", "thử", "--db", str(archive), *flag)
    assert res.returncode == 2 and "Invalid value" in res.stderr and "internal error" not in res.stderr


# -- 9. foreign databases -----------------------------------------------------------------------------------------

def test_foreign_sqlite_file_is_refused_unless_forced(tmp_path):
    other = tmp_path / "other-app.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('x')")
    conn.commit()
    conn.close()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "d.txt").write_text(_doc(2), encoding="utf-8")
    res = cli("index", str(tmp_path / "in"), "--db", str(other), "-w", "0", "--no-progress")
    assert res.returncode == 2 and "another program" in one_line_error(res)
    conn = sqlite3.connect(other)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["contacts"]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal"
    conn.close()
    res = cli("index", str(tmp_path / "in"), "--db", str(other), "-w", "0", "--no-progress", "--force")
    assert res.returncode == 0, res.stderr


# -- 10. read-only archives ---------------------------------------------------------------------------------------

def test_readers_open_the_archive_read_only(archive):
    from pipeline.store import open_db

    conn = open_db(archive, readonly=True)
    conn.execute("PRAGMA query_only = OFF")  # even so, the connection itself cannot write
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("CREATE TABLE intruder (a)")
    conn.close()


def test_read_only_location_falls_back_to_immutable(archive, tmp_path, monkeypatch):
    """A read-only folder or mount: ``mode=ro`` cannot open (simulated: root ignores permissions), ``immutable=1``
    can. The folder looks unwritable and the ``mode=ro`` open fails, as it does there."""
    import shutil

    import pipeline.store.db as dbmod

    copy = tmp_path / "ro.sqlite"
    shutil.copy(archive, copy)
    real_connect = sqlite3.connect
    opened: list[str] = []

    def connect(target, *a, **kw):
        opened.append(str(target))
        if "mode=ro" in str(target) or not kw.get("uri"):
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(target, *a, **kw)

    real_access = os.access
    monkeypatch.setattr(dbmod.sqlite3, "connect", connect)
    monkeypatch.setattr(dbmod.os, "access", lambda p, m: False if m == os.W_OK else real_access(p, m))
    conn = dbmod.open_db(copy, readonly=True)
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    conn.close()
    assert any("immutable=1" in t for t in opened)
    Path(f"{copy}-wal").write_bytes(b"x" * 100)  # committed frames immutable=1 would not see: refuse instead
    with pytest.raises(dbmod.ArchiveError, match="-wal"):
        dbmod.open_db(copy, readonly=True)


# -- 11. orphaned workers -----------------------------------------------------------------------------------------

def _descendants(pid: int) -> list[int]:
    import psutil

    try:
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def test_workers_exit_when_the_main_process_is_killed(tmp_path):
    import psutil

    folder = tmp_path / "many"
    folder.mkdir()
    for k in range(400):
        (folder / f"d{k:03d}.txt").write_text(_doc(k + 1) + "Nội dung công việc cần làm. " * 3000, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "extract", str(folder), "-j", "2", "-f", "jsonl",
                             "-o", str(tmp_path / "out.jsonl"), "--no-progress"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    children: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(children) < 3:  # forkserver + 2 workers
            time.sleep(0.2)
            children = [p for p in _descendants(proc.pid)
                        if "forkserver" in " ".join(psutil.Process(p).cmdline())]
        assert len(children) >= 3, "the workers did not start"
        proc.kill()  # the main process alone, as `kill -9 PID` does
        proc.wait()
        deadline = time.monotonic() + 10
        alive = children
        while alive and time.monotonic() < deadline:
            time.sleep(0.2)
            alive = [p for p in alive if psutil.pid_exists(p) and psutil.Process(p).status() != "zombie"]
        assert not alive, f"orphaned workers still running: {alive}"
    finally:
        for p in children:  # never leave them behind, even when the test fails
            try:
                os.kill(p, 9)
            except OSError:
                pass


# -- 12. small ones ------------------------------------------------------------------------------------------------

def test_view_page_survives_script_text_in_a_subject(archive, tmp_path):
    from pipeline.link.view import script_json

    page = tmp_path / "cascade.html"
    res = cli("graph", "view", "31/CV-LĐLĐ", "--db", str(archive), "-o", str(page))
    assert res.returncode == 0, res.stderr
    html = page.read_text(encoding="utf-8")
    data = html.split('<script id="graph-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and json.loads(data)["nodes"]
    assert json.loads(script_json({"t": "<!--<script></script>&"})) == {"t": "<!--<script></script>&"}


@pytest.mark.parametrize("where", ["folder", "missing"])
def test_bad_output_locations_are_one_line_errors(tmp_path, where):
    doc = tmp_path / "d.txt"
    doc.write_text(_doc(5), encoding="utf-8")
    target = tmp_path if where == "folder" else tmp_path / "nope" / "out.json"
    for command in (("extract", str(doc), "-j", "0", "-o"), ("show", str(doc), "--html"),
                    ("tasks", str(doc), "-o")):
        res = cli(*command, str(target))
        assert res.returncode == (1 if command[0] == "tasks" else 2), res.stderr  # tasks: output errors exit 1
        assert "cannot write" in one_line_error(res)


def test_failed_export_leaves_no_temporary_file_and_blames_the_output(archive, tmp_path, monkeypatch):
    import errno

    import pipeline.store.export as export_mod

    out = tmp_path / "out.jsonl"
    out.write_text("previous\n")

    def full(conn, fh, all_versions=False):
        fh.write("partial\n")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_mod, "export_jsonl", full)
    res = cli("export", "--db", str(archive), "-o", str(out))
    line = one_line_error(res)
    assert res.returncode == 1 and line.startswith(str(out)) and "rolled back" not in line
    assert out.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_fifo_and_zero_device_are_not_regular_files(tmp_path):
    fifo = tmp_path / "p.txt"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        res = cli("extract", str(path), "-j", "0")
        assert res.returncode == 1
        assert "not a regular file" in res.stderr and "empty" not in res.stderr
