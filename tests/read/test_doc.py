"""Word 97-2003 (.doc) and RTF through LibreOffice: a DOCX built with python-docx is converted to .doc with
soffice here, then read back. The LibreOffice tests are skipped when soffice is not installed
(``apt-get install libreoffice-writer``)."""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

import docx
import pytest

from pipeline.read import EncryptedFile, ReadOptions, ReadTimeout, UnsupportedFormat, read
from pipeline.read import doc as doc_reader

from .test_docx import ole_file

SOFFICE = doc_reader.find_soffice()
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def word97(tmp_path_factory) -> Path:
    """A .doc made by LibreOffice from a DOCX built here (once per module: a conversion takes seconds)."""
    return _make_doc(tmp_path_factory.mktemp("word97"))


def _make_doc(tmp_path: Path) -> Path:
    d = docx.Document()
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    d.add_paragraph("V/v triển khai thực hiện Hướng dẫn số 46/HD-BCA-C04 của Bộ Công an")
    d.add_paragraph("Kính gửi: Công an tỉnh")
    for item in ("Nghiên cứu, tham mưu triển khai;", "Báo cáo kết quả trước ngày 30/9/2025."):
        d.add_paragraph(item, style="List Number")
    d.save(tmp_path / "source.docx")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([SOFFICE, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                        "--convert-to", "doc", "--outdir", str(tmp_path), str(tmp_path / "source.docx")],
                       check=True, capture_output=True, timeout=180)
    path = tmp_path / "source.doc"
    assert path.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    return path


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """Send the reader's temporary folders to a folder of this test, to see that nothing is left there."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@needs_soffice
def test_doc_round_trip(word97, private_tmp):
    path = word97
    text = read(path, ReadOptions(timeout_s=180))
    assert text.source.format == "doc"
    assert [line for line in text.text.split("\n") if line.strip()] == [
        "ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "V/v triển khai thực hiện Hướng dẫn số 46/HD-BCA-C04 của Bộ Công an", "Kính gửi: Công an tỉnh",
        "1. Nghiên cứu, tham mưu triển khai;", "2. Báo cáo kết quả trước ngày 30/9/2025."]
    assert list(private_tmp.iterdir()) == []  # the private profile and the converted file are gone


@needs_soffice
def test_rtf(tmp_path):
    path = tmp_path / "cv.rtf"
    body = "".join(f"\\u{ord(c)}?" if ord(c) > 127 else c for c in "Kính gửi: Sở Nội vụ tỉnh Lâm Đồng")
    path.write_text("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times New Roman;}}\\f0 " + body + "\\par}", encoding="ascii")
    text = read(path, ReadOptions(timeout_s=180))
    assert text.text.strip() == "Kính gửi: Sở Nội vụ tỉnh Lâm Đồng"


@needs_soffice
def test_parallel_conversions_do_not_collide(tmp_path, word97):
    from concurrent.futures import ThreadPoolExecutor

    path = word97
    copies = []
    for k in range(3):
        target = tmp_path / f"copy{k}.doc"
        target.write_bytes(path.read_bytes())
        copies.append(target)
    with ThreadPoolExecutor(3) as pool:
        texts = list(pool.map(lambda p: read(p, ReadOptions(timeout_s=180)).text, copies))
    assert len(set(texts)) == 1 and "Kính gửi: Công an tỉnh" in texts[0]


@needs_soffice
def test_timeout_kills_libreoffice(word97, private_tmp):
    path = word97
    start = time.monotonic()
    with pytest.raises(ReadTimeout) as err:
        read(path, ReadOptions(timeout_s=0.2))
    assert time.monotonic() - start < 15
    assert "LibreOffice" in err.value.message
    assert list(private_tmp.iterdir()) == []
    running = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert str(private_tmp) not in running  # soffice, started with a profile in there, was killed


def test_missing_libreoffice(tmp_path, monkeypatch):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    monkeypatch.setattr(doc_reader, "find_soffice", lambda: None)
    with pytest.raises(UnsupportedFormat, match="libreoffice-writer"):
        read(path)


def test_encrypted_office_file_refused_without_libreoffice(tmp_path, monkeypatch):
    path = tmp_path / "secret.doc"
    path.write_bytes(ole_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x01" * 6000}))
    monkeypatch.setattr(doc_reader, "find_soffice", lambda: pytest.fail("LibreOffice must not be started"))
    with pytest.raises(EncryptedFile):
        read(path)


def test_password_protected_word97(tmp_path, monkeypatch):
    fib = bytearray(b"\xec\xa5\xc1\x00" + b"\0" * 1020)
    fib[10:12] = (0x0100).to_bytes(2, "little")  # fEncrypted
    path = tmp_path / "locked.doc"
    path.write_bytes(ole_file({"WordDocument": bytes(fib)}))
    monkeypatch.setattr(doc_reader, "find_soffice", lambda: pytest.fail("LibreOffice must not be started"))
    with pytest.raises(EncryptedFile):
        read(path)
