"""Escaping, CSRF, login, and the refusal to listen on all interfaces without a password (Starlette's
TestClient: no browser needed)."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from pipeline.cli import app as cli
from pipeline.web import Security, Settings, make_app

from .conftest import build_archive

HOSTILE = """ỦY BAN NHÂN DÂN                                CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN THỬ NGHIỆM                                      Độc lập - Tự do - Hạnh phúc
Số: 77/UBND-VP                                Thử Nghiệm, ngày 09 tháng 9 năm 2024
V/v kiểm tra <script>alert("xss")</script> và <!--<script> dấu "ngoặc" & ký hiệu

Kính gửi: Các phòng, ban <img src=x onerror=alert(1)>.

Thực hiện Công văn số 12/</script><script>alert(2)</script> của tỉnh, đề nghị các phòng, ban báo cáo trước ngày 30/9/2024.

Nơi nhận:                                              CHỦ TỊCH
- Như trên;
- Lưu: VT.
                                                        Nguyễn <b>Văn</b> Thử
"""


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "docs").mkdir()
    (folder / "docs" / "cv-77.txt").write_text(HOSTILE, encoding="utf-8")
    return build_archive(folder, folder / "docs")


@pytest.fixture(scope="module")
def client(hostile_db):
    with TestClient(make_app(Settings(db=hostile_db))) as c:
        yield c


def _doc_id(client) -> int:
    return client.get("/?q=kiem+tra&format=json").json()["hits"][0]["id"]


def test_every_page_escapes_text(client):
    doc = _doc_id(client)
    for path in ("/?q=kiem+tra", f"/doc/{doc}", "/review", f"/cascade?doc={doc}", "/cited?number=12/UBND",
                 "/?q=%3Cscript%3Ealert(3)%3C/script%3E", f"/doc/{doc}?transitive=1&lang=en"):
        r = client.get(path)
        assert r.status_code in (200, 404), path
        html = r.text
        # the only <script> is our own file; no injected tag or handler survives
        assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/app.js" defer>'], path
        assert "<img" not in html and "<b>Văn</b>" not in html and "onerror=alert" not in html.replace(
            "onerror=alert(1)&gt;", ""), path
        assert "<!--" not in html, path
    assert "&lt;script&gt;" in client.get(f"/doc/{doc}").text
    assert "script-src 'self'" in client.get("/").headers["content-security-policy"]


def test_post_needs_the_csrf_token(client):
    doc = _doc_id(client)
    r = client.post(f"/doc/{doc}/correct", data={"field": "place", "value": "X"})
    assert r.status_code == 403
    client.get("/")  # sets the CSRF cookie
    r = client.post(f"/doc/{doc}/correct", data={"field": "place", "value": "X", "csrf_token": "forged"})
    assert r.status_code == 403
    token = client.cookies.get("congvan_csrf")
    r = client.post(f"/doc/{doc}/correct?format=json", data={"field": "place", "value": "Xã Thử",
                                                              "csrf_token": token})
    assert r.status_code == 200 and r.json()["correction"]["new"] == "Xã Thử"
    r = client.post(f"/doc/{doc}/correct?format=json", data={"field": "date", "value": "31/02/2024",
                                                              "csrf_token": token})
    assert r.status_code == 400 and "not a date" in r.json()["error"]


def test_password_guards_reading_and_changing(hostile_db):
    app = make_app(Settings(db=hostile_db, security=Security(password="correct horse")))
    with TestClient(app) as c:
        r = c.get("/", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
        assert c.get("/?format=json").status_code == 401
        assert c.get("/static/app.css").status_code == 200
        c.get("/login")
        token = c.cookies.get("congvan_csrf")
        assert c.post("/login", data={"password": "wrong", "csrf_token": token}).status_code == 401
        assert c.post("/login", data={"password": "correct horse"}).status_code == 403  # no CSRF token
        r = c.post("/login", data={"password": "correct horse", "csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303
        assert c.get("/?format=json").status_code == 200
        for evil in ("//evil.example", "/\\evil.example", "https://evil.example"):
            r = c.post("/login?next=" + evil, data={"password": "correct horse", "csrf_token": token},
                       follow_redirects=False)
            assert r.headers["location"] == "/", evil
    with TestClient(app) as other:
        assert other.get("/review?format=json", headers={"Authorization": "Bearer correct horse"}).status_code == 200


def test_all_interfaces_need_a_password(hostile_db, tmp_path):
    runner = CliRunner()
    r = runner.invoke(cli, ["serve", "--db", str(hostile_db), "--host", "0.0.0.0"])
    assert r.exit_code == 2 and "refusing to listen on 0.0.0.0" in r.output
    r = runner.invoke(cli, ["serve", "--db", str(hostile_db), "--host", "::"])
    assert r.exit_code == 2
    empty = tmp_path / "token"
    empty.write_text("", encoding="utf-8")
    r = runner.invoke(cli, ["serve", "--db", str(hostile_db), "--host", "0.0.0.0", "--token-file", str(empty)])
    assert r.exit_code == 2 and "Traceback" not in r.output
    r = runner.invoke(cli, ["serve", "--db", str(tmp_path / "missing.sqlite")])
    assert r.exit_code == 2 and "no such archive" in r.output


def test_upload_errors_are_one_line(client):
    client.get("/upload")
    token = client.cookies.get("congvan_csrf")
    r = client.post("/upload?format=json", data={"csrf_token": token},
                    files={"file": ("a.exe", b"MZ\x00\x00", "application/octet-stream")})
    assert r.status_code == 400 and "\n" not in r.json()["error"] and "Unsupported" in r.json()["error"]
    r = client.post("/upload?format=json", data={"csrf_token": token}, files={"file": ("empty.txt", b"", "text/plain")})
    assert r.status_code == 400 and "\n" not in r.json()["error"]


def test_original_download_never_takes_a_path_from_the_request(client):
    assert client.get("/doc/999999/original").status_code == 404
    assert client.get("/doc/..%2F..%2Fetc%2Fpasswd/original").status_code in (404, 400)
