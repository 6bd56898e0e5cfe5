"""Text-PDF reader: layout blocks, page chrome, bounds, damaged and encrypted files, dev-corpus quality."""

from __future__ import annotations

import base64
import re
import time
from pathlib import Path

import pytest

from pipeline.read import CorruptFile, EncryptedFile, ReadOptions, TooLarge, read
from pipeline.read.chrome import strip_page_chrome
from pipeline.read.layout import PAGE_SEP
from pipeline.read.pdf_guard import check_streams
from pipeline.read.quality import looks_garbled

from . import hostile

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dev"
TEXT_PDFS = ["d15-bnv-cv-8151-2025", "d21-bchtw-qd-294-2025", "d24-btctw-hd-38-2025", "d26-snv-binhthuan-ttr-3367"]

needs_font = pytest.mark.skipif(hostile.find_font() is None, reason="no TrueType font with Vietnamese glyphs")


def corpus_file(doc_id: str, kind: str = "files", ext: str = ".pdf") -> Path:
    path = CORPUS / kind / f"{doc_id}{ext}"
    if not path.exists():
        pytest.skip(f"dev corpus not available: {path}")
    return path


def lines_of(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n")]


# --- synthetic documents ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def dispatch_pdf(tmp_path_factory) -> Path:
    if hostile.find_font() is None:
        pytest.skip("no TrueType font with Vietnamese glyphs")
    return hostile.vietnamese_pdf(tmp_path_factory.mktemp("pdf") / "cv.pdf", hostile.sample_dispatch_pages(3))


def test_letterhead_columns_are_separate_blocks(dispatch_pdf):
    text = read(dispatch_pdf)
    lines = lines_of(text.text)
    left = ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "Số: 12/UBND-VX", "V/v rà soát hồ sơ cán bộ"]
    right = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Lâm Đồng, ngày 07 tháng 6 năm 2023"]
    assert lines[:4] == left
    assert lines[4] == ""
    assert lines[5:8] == right
    assert lines.index("Kính gửi: Sở Nội vụ tỉnh Lâm Đồng") > 8


def test_noi_nhan_and_signature_are_separate_blocks(dispatch_pdf):
    lines = lines_of(read(dispatch_pdf).text)
    i = lines.index("Nơi nhận:")
    assert lines[i + 1:i + 3] == ["- Như trên;", "- Lưu: VT, NC."]
    j = lines.index("TM. ỦY BAN NHÂN DÂN")
    assert j > i + 2
    assert lines[j:j + 4] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]


def test_running_footer_and_page_numbers_dropped(dispatch_pdf):
    text = read(dispatch_pdf)
    assert "Văn bản điện tử" not in text.text
    assert not [ln for ln in lines_of(text.text) if re.fullmatch(r"\d+", ln)]
    assert text.source.pages == 3
    assert text.text.count(PAGE_SEP) == 2
    assert text.page_starts[0] == 0 and len(text.page_starts) == 3
    for k, start in enumerate(text.page_starts[1:], 2):
        assert text.text[start - len(PAGE_SEP):start] == PAGE_SEP
        assert text.text[start:].startswith(f"1.{k}. ")


def test_strip_page_chrome_unit():
    pages = [[f"Trang {k}", f"nội dung riêng {k} " + "x" * k, "Bản quyền Văn phòng"] for k in range(1, 6)]
    pages[1].insert(0, "2")
    out, dropped = strip_page_chrome(pages)
    assert all(not any(ln.startswith(("Trang", "Bản quyền")) for ln in p) for p in out)
    assert out[1][0].startswith("nội dung riêng 2")
    assert dropped == 11
    # two pages: nothing is "repeated on most pages"
    two, _ = strip_page_chrome([["Kính gửi:", "a"], ["Kính gửi:", "b"]])
    assert two == [["Kính gửi:", "a"], ["Kính gửi:", "b"]]


# --- bounds and hostile PDFs ----------------------------------------------------------------


def test_page_limit_is_configurable(tmp_path):
    path = tmp_path / "many.pdf"
    path.write_bytes(hostile.many_pages_pdf(3000))
    t = time.monotonic()
    with pytest.raises(TooLarge) as exc:
        read(path)
    assert time.monotonic() - t < 2
    assert "3,000 pages" in exc.value.message and "\n" not in exc.value.message
    small = tmp_path / "five.pdf"
    small.write_bytes(hostile.many_pages_pdf(5, shared=False))
    with pytest.raises(TooLarge):
        read(small, ReadOptions(max_pages=4))
    assert read(small, ReadOptions(max_pages=5)).source.pages == 5


def test_flate_bomb_refused_before_pdfium_inflates_it(tmp_path):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(hostile.bomb_pdf(64 << 20))
    with pytest.raises(TooLarge) as exc:
        read(path, ReadOptions(max_unzipped_bytes=32 << 20))
    assert "decompression bomb" in exc.value.message
    check_streams(str(path), ReadOptions())  # 64 MB is under the default bound: no error


@pytest.mark.parametrize("name, stream, filters", [
    ("lzw", lambda n: hostile.lzw_bomb(n), "/LZWDecode"),
    ("runlength", lambda n: hostile.run_length_bomb(n), "/RunLengthDecode"),
    ("ascii85-flate", lambda n: base64.a85encode(hostile._deflate_zeros(n, b" ")) + b"~>",
     "[/ASCII85Decode /FlateDecode]"),
    ("hex-lzw", lambda n: hostile.lzw_bomb(n).hex().encode() + b">", "[/AHx /LZW]"),
])
def test_other_filter_bombs_refused(tmp_path, name, stream, filters):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(hostile.filtered_pdf(stream(300 << 20), filters))
    assert path.stat().st_size < 6 << 20
    t = time.monotonic()
    with pytest.raises(TooLarge, match="decompression bomb"):
        read(path)
    assert time.monotonic() - t < 10
    small = ReadOptions(max_unzipped_bytes=400 << 20)
    check_streams(str(path), small)  # under a larger bound the same file passes the guard


def test_lzw_and_runlength_sizes_match_the_decoders():
    import os
    import random

    from pipeline.read.pdf_guard import lzw_size, run_length_size

    rnd = random.Random(7)
    for data in (b"", b"a", b"TOBEORNOTTOBEORTOBEORNOT" * 300, os.urandom(30000),
                 bytes(rnd.choice(b"ab ") for _ in range(100000))):  # > 4096 entries: table clears
        assert lzw_size(hostile.lzw_encode(data), 0, 1 << 30) == len(data)
    assert run_length_size(b"\x02abc\xfeZ\x80junk", 0, 1 << 30) == 3 + 3
    # pdfium reads our LZW the same way: every line of an LZW content stream comes back
    import pypdfium2 as pdfium

    lines = [f"Doc lap - Tu do - Hanh phuc lan {i}" for i in range(80)]
    data = hostile.filtered_pdf(hostile.lzw_encode(hostile.content_stream(lines)), "/LZWDecode")
    pdf = pdfium.PdfDocument(data)
    try:
        text = pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()
    assert all(f"lan {i}" in text for i in range(80))


def test_encrypted_pdfs(tmp_path):
    empty = tmp_path / "empty-pw.pdf"
    empty.write_bytes(hostile.text_pdf(hostile.VIET_ASCII, user_password=""))
    text = read(empty)
    assert "So: 12/UBND-VX" in text.text
    assert any("encrypted" in w for w in text.warnings)
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(hostile.text_pdf(hostile.VIET_ASCII, user_password="secret"))
    with pytest.raises(EncryptedFile) as exc:
        read(locked)
    assert exc.value.path == str(locked)


@pytest.mark.parametrize("cut", [9, 200, 0.5, -40])
def test_truncated_pdf_is_one_line_error_or_text(tmp_path, cut):
    data = hostile.text_pdf(hostile.VIET_ASCII)
    n = int(len(data) * cut) if isinstance(cut, float) else cut
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[:n])
    try:
        text = read(path)
    except CorruptFile as exc:
        assert "\n" not in exc.message and exc.path == str(path)
    else:
        assert "UBND" in text.text


def test_broken_xref_is_repaired(tmp_path):
    data = bytearray(hostile.text_pdf(hostile.VIET_ASCII))
    x = bytes(data).rfind(b"xref\n")
    data[x + 5:x + 40] = b"garbage garbage garbage garbage !!!"
    path = tmp_path / "xref.pdf"
    path.write_bytes(bytes(data))
    assert "Lam Dong" in read(path).text


def test_garbled_text_layer_detection():
    garbled = ("BØ CÔNG AN CÔNG AN TÈNH LÂM ÒNG SÑg8 /TTr- CAT-PC04 CØNG HOÀ XÃ HØI CHæ NGH(A VIÆT NAM "
               "HiÇn nay, trên dËa bàn tÉinh Lâm ông có 4.289 ng°Ýi sí dång tr£i phép ch¥t ma túy")
    assert looks_garbled(garbled)
    assert not looks_garbled("Ủy ban nhân dân tỉnh Lâm Đồng đề nghị các sở, ban, ngành khẩn trương triển khai "
                             "thực hiện Kế hoạch số 600/KH-BCA-V01 ngày 07/10/2025 của Bộ Công an.")
    assert not looks_garbled("The Ministry of Home Affairs asks the provinces for comments on the draft "
                             "report and for the data in the annexes before the end of September.")
    assert not looks_garbled("中华人民共和国国务院关于加强行政管理的通知。各省、自治区、直辖市人民政府。" * 3)
    assert looks_garbled("\ue001\ue002\ue003 \ue004\ue005 \ue006" * 10)


# --- the dev corpus ---------------------------------------------------------------------------


def _reference_pieces(ref: str) -> list[str]:
    """Reference lines (pdftotext -layout) split at column gaps, whitespace collapsed, page chrome out."""
    out = []
    for line in ref.split("\n"):
        for piece in re.split(r"\s{3,}", line.strip()):
            piece = re.sub(r"\s+", " ", piece).strip()
            if piece and not re.fullmatch(r"\d{1,3}", piece) and not piece.startswith("Tài liệu này thuộc sở hữu"):
                out.append(piece)
    return out


@pytest.mark.parametrize("doc_id", TEXT_PDFS)
def test_dev_text_pdfs_reproduce_reference_lines(doc_id):
    path = corpus_file(doc_id)
    ref = corpus_file(doc_id, "docs", ".txt").read_text(encoding="utf-8")
    text = read(path, ReadOptions(ocr=False))
    assert not text.source.ocr
    ours = " ".join(re.sub(r"\s+", " ", ln).strip() for ln in text.text.split("\n"))
    pieces = _reference_pieces(ref)
    found = sum(p in ours for p in pieces) / len(pieces)
    assert found >= 0.95, f"{doc_id}: only {found:.1%} of the reference lines reproduced"


def test_d15_widget_serial_and_blocks():
    lines = lines_of(read(corpus_file("d15-bnv-cv-8151-2025")).text)
    assert lines[:2] == ["BỘ NỘI VỤ", "Số: 8151 /BNV-CCHC"]  # 8151 lives in a widget annotation
    assert "Hà Nội, ngày 18 tháng 9 năm 2025" in lines
    i = lines.index("Nơi nhận:")
    j = lines.index("KT. BỘ TRƯỞNG")
    assert j > i and lines[j + 1] == "THỨ TRƯỞNG"
    assert all("TRƯỞNG" not in ln for ln in lines[i:j])
    assert lines[i + 1] == "- Như trên;"


def test_d21_signature_not_interleaved():
    text = read(corpus_file("d21-bchtw-qd-294-2025"))
    assert text.source.pages == 35 and len(text.page_starts) == 35
    lines = lines_of(text.text)
    assert lines[:3] == ["BAN CHẤP HÀNH TRUNG ƯƠNG", "*", "Số 294-QĐ/TW"]
    j = lines.index("T/M BAN CHẤP HÀNH TRUNG ƯƠNG")
    assert lines[j + 1:j + 3] == ["TỔNG BÍ THƯ", "Tô Lâm"]
    i = lines.index("Nơi nhận:")
    assert i < j and "- Lưu Văn phòng Trung ương Đảng." in lines[i:j]


def test_d24_watermark_and_page_numbers_dropped_fast():
    path = corpus_file("d24-btctw-hd-38-2025")
    t = time.monotonic()
    text = read(path)
    elapsed = time.monotonic() - t
    assert "Tài liệu này thuộc sở hữu" not in text.text
    assert not [ln for ln in lines_of(text.text) if re.fullmatch(r"\d{1,2}", ln)]
    assert "Số 38 - HD/BTCTW" in lines_of(text.text)[:6]
    assert elapsed < 3, f"49 pages took {elapsed:.2f} s"


def test_d16_text_layer_is_recognised_as_garbled():
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(corpus_file("d16-cat-lamdong-ttr-298-scan")))
    try:
        layer = pdf[0].get_textpage().get_text_bounded()
    finally:
        pdf.close()
    assert looks_garbled(layer)
    for doc_id in TEXT_PDFS:
        pdf = pdfium.PdfDocument(str(corpus_file(doc_id)))
        try:
            assert not any(looks_garbled(pdf[i].get_textpage().get_text_bounded()) for i in range(min(5, len(pdf))))
        finally:
            pdf.close()


@needs_font
def test_layout_with_offset_crop_box(tmp_path):
    import pypdfium2 as pdfium

    src = hostile.vietnamese_pdf(tmp_path / "one.pdf", hostile.sample_dispatch_pages(1))
    pdf = pdfium.PdfDocument(str(src))
    page = pdf[0]
    page.set_mediabox(100, 200, 695, 1042)
    for obj in list(page.get_objects()):
        obj.transform(pdfium.PdfMatrix().translate(100, 200))
    page.gen_content()
    shifted = tmp_path / "shifted.pdf"
    pdf.save(str(shifted))
    pdf.close()
    lines = lines_of(read(shifted).text)
    assert lines[:4] == ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "Số: 12/UBND-VX", "V/v rà soát hồ sơ cán bộ"]


# --- letters from a fallback font (LibreOffice without Times New Roman draws ơ ư ậ ... from DejaVuSerif) ----


def test_out_of_order_detection_unit():
    from pipeline.read.pdf import out_of_order

    assert out_of_order(["N i nh n: ơ ậ"])
    assert out_of_order(["Vũ Th Thanh H i ị ả"])
    assert not out_of_order(["Nơi nhận:", "- Như kính gửi;", "Vũ Thị Thanh Hải"])
    assert not out_of_order(["Cán bộ đó ở"])


def test_build_lines_merges_touching_pieces_sorted_by_x():
    from pipeline.read.layout import Word, _line_text, build_lines

    frag = [Word("N", 85.1, 93.5, 158.4, 165.7), Word("i", 100.5, 103.5, 158.1, 165.7),
            Word("nh", 106.3, 118.5, 158.1, 165.7), Word("n:", 125.6, 135.4, 158.4, 165.8),
            Word("ơ", 93.1, 101.4, 158.0, 167.6), Word("ậ", 118.5, 125.6, 156.9, 168.0)]
    (line,) = build_lines([frag])
    assert [w.text for w in line.words] == ["Nơi", "nhận:"]
    assert _line_text(line) == "Nơi nhận:"


@pytest.fixture(scope="module")
def libreoffice_pdf(tmp_path_factory) -> Path:
    from pipeline.read.doc import find_soffice
    from tests.support.fixtures import build_format_corpus

    corpora = Path(__file__).resolve().parents[2] / "corpora"
    if find_soffice() is None or not (corpora / "docs" / "c01-tld-cv-1856-kl01.txt").exists():
        pytest.skip("needs LibreOffice and corpora/docs")
    out = build_format_corpus(corpora, tmp_path_factory.mktemp("lo-pdf"), "pdf", ids=["c01-tld-cv-1856-kl01"])
    return out / "files" / "c01-tld-cv-1856-kl01.pdf"


def test_fallback_font_letters_stay_in_their_words(libreoffice_pdf):
    text = read(libreoffice_pdf).text
    lines = lines_of(text)
    assert "Nơi nhận:" in lines
    assert "Vũ Thị Thanh Hải" in lines
    assert "- Như kính gửi;" in lines
    assert "Các Liên đoàn Lao động tỉnh, thành phố, công đoàn ngành trung ương và tương" in lines
    stray = re.compile(r"\s(?:(?![A-Za-zđĐ])[^\W\d_]){1,3}$")
    assert not [ln for ln in lines if stray.search(ln)]
    # the Nơi nhận list and the signature are separate blocks
    assert lines.index("TM. ĐOÀN CHỦ TỊCH") > lines.index("- Lưu: VT, TG.")
