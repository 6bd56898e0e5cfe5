"""Three journeys in Chromium (Playwright, the system browser) on the archive of corpora/.

archivist: search without diacritics → document → download the original → correct a field → re-index (the file
changed) → the correction holds; analyst: a central conclusion → its cascade → a child document → the lag;
officer: upload a dispatch → checklist → ICS."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import build_archive, shot

# A team-written công văn (invented body, unit and names) with two tasks and deadlines.
DISPATCH = """LIÊN ĐOÀN LAO ĐỘNG TỈNH TÂY NGUYÊN MỚI          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
BAN THƯỜNG VỤ                                          Độc lập - Tự do - Hạnh phúc
Số: 917/LĐLĐ-TC                               Tây Nguyên Mới, ngày 03 tháng 02 năm 2025
V/v tổ chức tập huấn nghiệp vụ cho cán bộ công đoàn cơ sở

Kính gửi: Các công đoàn cơ sở trực thuộc.

Ban Thường vụ Liên đoàn Lao động tỉnh đề nghị các công đoàn cơ sở thực hiện các nội dung sau:
1. Rà soát, lập danh sách cán bộ công đoàn tham gia tập huấn, gửi về Ban Tổ chức trước ngày 20/02/2025.
2. Ban Tài chính chủ trì, bố trí kinh phí tổ chức lớp tập huấn, hoàn thành trước ngày 15/3/2025.

Nơi nhận:                                         TM. BAN THƯỜNG VỤ
- Như trên;                                       PHÓ CHỦ TỊCH
- Lưu: VT, TC.
                                                  Đinh Thị Mai Sương
"""


def test_archivist(page, live, corpus_copy, archive):
    page.goto(live.url + "/")
    page.fill("input[name=q]", "ket luan thuong truc")  # typed without diacritics
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("li.hit")
    assert page.locator("li.hit mark").count() > 0  # highlighted in the original spelling
    shot(page, "web-search")
    page.locator("a.hit-title").first.click()
    page.wait_for_selector("pre.body")
    doc_url = page.url
    data = page.request.get(doc_url + "?format=json").json()
    original = Path(data["files"][0])
    with page.expect_download() as dl:
        page.click("#download-original")
    assert Path(dl.value.path()).read_bytes() == original.read_bytes()

    page.select_option("#correct-field", "place")
    page.fill("#correct-value", "Thị trấn Kiểm Thử")
    page.fill("#correct-who", "lưu trữ viên")
    page.click("#correct-form button[type=submit]")
    page.wait_for_selector("table.corrections")
    assert "Thị trấn Kiểm Thử" in page.inner_text("tr[data-field=place]")
    shot(page, "web-document")

    # re-index after the file changed (a trailing line): a new content, re-extracted with the old place
    original.write_text(original.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build_archive(corpus_copy, corpus_copy / "docs")
    page.goto(live.url + "/?q=%22thi+tran+kiem+thu%22")  # a quoted phrase, no diacritics
    page.wait_for_selector("li.hit")
    page.locator("a.hit-title").first.click()
    page.wait_for_selector("pre.body")
    assert page.url != doc_url  # the new version of the file
    assert "Thị trấn Kiểm Thử" in page.inner_text("tr[data-field=place]")
    rows = page.inner_text("table.corrections")
    assert "lưu trữ viên" in rows


def test_analyst(page, live):
    page.goto(live.url + "/?q=01-KL%2FTW")
    page.wait_for_selector("li.hit")
    page.locator("a.hit-title").first.click()
    page.wait_for_selector("ul.refs")
    page.locator("ul.refs a", has_text="01-KL/TW").first.click()
    page.wait_for_selector("h1")
    assert "01-KL/TW" in page.inner_text("h1")
    page.click("a.button[href^='/cascade']")
    page.wait_for_selector("svg.cascade .node.root")
    nodes = page.locator("svg.cascade a.node-link")
    assert nodes.count() >= 3
    lags = page.locator("svg.cascade text.lag")
    assert lags.count() >= 1 and "ngày" in (lags.first.text_content() or "")
    shot(page, "web-cascade")
    # a child: a node below the root that links to an archived document
    child = page.locator("svg.cascade a.node-link[href^='/doc/']").filter(
        has=page.locator("g.node:not(.root)")).first
    child.click()
    page.wait_for_selector("pre.body")
    assert "/doc/" in page.url
    data = json.loads(page.request.get(page.url + "?format=json").text())
    assert any("01-kl/tw" == (r["number_key"] or "") for r in data["references"])


def test_officer(page, live, tmp_path):
    f = tmp_path / "cong-van-tap-huan.txt"
    f.write_text(DISPATCH, encoding="utf-8")
    page.goto(live.url + "/upload?lang=en")
    page.set_input_files("#upload-file", str(f))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("ul.checklist")
    items = page.locator("ul.checklist li")
    assert items.count() == 2
    assert "20/02/2025" in page.inner_text("ul.checklist")  # dates as dd/mm/yyyy in English too
    shot(page, "web-upload")
    with page.expect_download() as dl:
        page.click("#upload-ics")
    ics = Path(dl.value.path()).read_text(encoding="utf-8")
    assert "BEGIN:VCALENDAR" in ics and ics.count("BEGIN:VTODO") == 2
    assert "20250220" in ics


@pytest.mark.parametrize("path", ["/", "/review", "/upload", "/cascade?q=01-KL/TW", "/doc/1"])
def test_every_page_answers_json(live, path):
    import urllib.request

    sep = "&" if "?" in path else "?"
    with urllib.request.urlopen(live.url + path + sep + "format=json", timeout=20) as r:
        assert r.headers["content-type"].startswith("application/json")
        json.loads(r.read())
