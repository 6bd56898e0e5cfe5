"""OCR: confusion repair (pure), TSV layout, one small real OCR page, the d13 scan, image bounds."""

from __future__ import annotations

import difflib
import re
import time
from pathlib import Path

import pytest

from pipeline.read import NoText, ReadOptions, TooLarge, UnsupportedFormat, read
from pipeline.read.ocr import page_from_tsv, parse_tsv, prepare_page, tesseract_available
from pipeline.read.ocrfix import fix_date_words, fix_digits, fix_eth, fix_ocr_text

from . import hostile

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dev"
needs_tesseract = pytest.mark.skipif(not tesseract_available("vie"), reason="tesseract-ocr-vie not installed")


# --- ocrfix -----------------------------------------------------------------------------------


@pytest.mark.parametrize("before, after", [
    ("Kết luận số O1-KL/TW", "Kết luận số 01-KL/TW"),
    ("Số: l244/LĐLĐ", "Số: 1244/LĐLĐ"),
    ("năm 2O23", "năm 2023"),
    ("ngày l5/O3/2O23", "ngày 15/03/2023"),
    ("Lai Châu, ngảy 07 thảng 6 nărn 2023", "Lai Châu, ngày 07 tháng 6 năm 2023"),
    ("NGẢY 07 THẢNG 6", "NGÀY 07 THÁNG 6"),
    ("ngay 15 thang 3 nam 2023", "ngày 15 tháng 3 năm 2023"),
    ("Số: 2O/2O24/NĐ-CP", "Số: 20/2024/NĐ-CP"),
    ("Số: 38/LĐÐLĐ", "Số: 38/LĐLĐ"),                  # one Đ read twice, once as an eth
    ("SỞ GIÁO DỤC VÀ ÐÀO TẠO", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"),
    ("ðồng chí", "đồng chí"),
    ("Nơi nhậu:\n- Như trên;", "Nơi nhận:\n- Như trên;"),   # the small italic label
    ("Noi nhận:   KT. GIÁM ĐỐC", "Nơi nhận:   KT. GIÁM ĐỐC"),
    ("NƠI NHÂN:", "NƠI NHẬN:"),
    ("Kinh gứi: Sở Nội vụ", "Kính gửi: Sở Nội vụ"),
    ("LIÊN ĐOÀN LAO ĐỘNG TĨNH NGHỆ AN", "LIÊN ĐOÀN LAO ĐỘNG TỈNH NGHỆ AN"),  # known phrases, case kept
    ("- Đẳng đoàn TLĐ (để b/c);", "- Đảng đoàn TLĐ (để b/c);"),
    ("- Tống Liên đoàn Lao động Việt Nam", "- Tổng Liên đoàn Lao động Việt Nam"),
    ("- LĐLĐ tình (b/€);", "- LĐLĐ tỉnh (b/c);"),
    ("- Thường trực Huyện ủy (b/);", "- Thường trực Huyện ủy (b/c);"),
    ("- Các bỘ, cơ quan ngang bộ", "- Các bộ, cơ quan ngang bộ"),   # a toned capital inside a small word
    ("CÔNG TY „_TNHH MAY", "CÔNG TY TNHH MAY"),
    ("nội dung sau:\n.Z\n1. Tổ chức", "nội dung sau:\n1. Tổ chức"),   # a line of specks
    ("2, Mỗi công đoàn", "2. Mỗi công đoàn"),
    ("với các sở, ngành, ƯBND các huyện", "với các sở, ngành, UBND các huyện"),  # a code with a stray mark                       # list numbers
    ("2_ Mỗi Liên đoàn", "2. Mỗi Liên đoàn"),
    ("trong quý IH/2024.", "trong quý III/2024."),
    ("hoàn thành trong quý\nIH/2024.", "hoàn thành trong quý\nIII/2024."),
    ("Điều lệ Công đoàn Việt Nam khóa XIH;", "Điều lệ Công đoàn Việt Nam khóa XIII;"),
    ("Nghị quyết Đại hội XIl của Đảng", "Nghị quyết Đại hội XII của Đảng"),
    ("1II. TỔ CHỨC THỰC HIỆN", "III. TỔ CHỨC THỰC HIỆN"),              # a Roman heading
    ("1I. NHIỆM VỤ CHUNG", "II. NHIỆM VỤ CHUNG"),
    ("I.MỤC ĐÍCH, YÊU CẦU", "I. MỤC ĐÍCH, YÊU CẦU"),
    ("Hải Dương, ngày|0 tháng 01 năm 2011", "Hải Dương, ngày 10 tháng 01 năm 2011"),  # a day glued to its word
    ("1. SỞ Y tế", "1. Sở Y tế"),
    ("LIÊN ĐOÀN LAO ĐỘNG TĨNH\nQUANG NINH\nSố: 512", "LIÊN ĐOÀN LAO ĐỘNG TỈNH\nQUẢNG NINH\nSố: 512"),
    ("BCH HUYỆN ĐOÀN\nx*+x%\nSố: 38", "BCH HUYỆN ĐOÀN\nSố: 38"),       # the decorative stars misread
    ("BCH HUYỆN ĐOÀN\nkw+*\nSố: 38", "BCH HUYỆN ĐOÀN\nSố: 38"),
    ("Các ban đẳng, Văn phòng", "Các ban đảng, Văn phòng"),
    ("LIÊN ĐOÀNLAO ĐỘNG TĨNH\nQUANG NINH", "LIÊN ĐOÀN LAO ĐỘNG TỈNH\nQUẢNG NINH"),  # a lost space put back
    ("phối hợp với Sở Ytế", "phối hợp với Sở Y tế"),                                       # a capital slip inside a phrase
    ("bình xét, để nghị biểu dương", "bình xét, đề nghị biểu dương"),
])
def test_ocrfix_repairs(before, after):
    assert fix_ocr_text(before)[0] == after


@pytest.mark.parametrize("text", [
    "Ông Lê Hồng Văn, khóa XIII, Điều I, mục II",     # Roman numerals and words
    "lO Ol Il",                                        # no real digit
    "Công văn 3980/C04-P6, Luật 80/2015/QH13",        # digits glued to letters
    "thang điểm 10, đi ngay 5 phút, nam 2023 nữ 2024",  # real words ngay/thang/nam
    "Việt Nam 2023, Nam Định, thăng 3 bậc",
    "ngày 07 tháng 6 năm 2023",
    "Nơi nhận hồ sơ: bộ phận một cửa",                 # prose, not the label
    "cho biết nơi nhân viên: làm việc",               # not at the start of a line
    "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",             # old tone placement is not an error
    "tình hình kinh tế tỉnh Nghệ An; tĩnh mạch",       # real words beside the phrases
    "iPhone, mRNA, 12-QĐi/TU, 29/CT-TTg, eKYC, file_name",
    "VIỆT NAM, ĐẢNG, LĐLĐ, HĐND, CỘNG HÒA",
    "11. Các đơn vị\nII. NHIỆM VỤ, GIẢI PHÁP\nUBND TỈNH THANH HÓA; Ban thường vụ",
    "-----\nTM.\nĐ/c\n(b/c);\n- Như trên;\na)\nKT.\nbình đẳng giới",
    "Quốc hội khóa 15, Đại hội lần thứ 11, khóa XV, quý IV",
    "a)\n-\nII.\nNăm 2024, Mỗi đơn vị\n3, 4 và 5\ntrong quý I/2024",
])
def test_ocrfix_leaves_normal_text_alone(text):
    assert fix_ocr_text(text) == (text, 0)


def test_ocrfix_counts_and_parts():
    assert fix_eth("LĐÐLĐ ÐOÀN ĐĐ") == ("LĐLĐ ĐOÀN ĐĐ", 2)  # two real Đ (U+0110) stay
    assert fix_eth("Số: 1587 /LĐÐĐLĐ") == ("Số: 1587 /LĐLĐ", 1)  # one Đ read three times
    assert fix_eth("12-NQ/ĐÐ") == ("12-NQ/ĐĐ", 1)             # two where only two make a known code
    assert fix_digits("O1 và l2") == ("01 và 12", 2)
    assert fix_date_words("ngảy 1 thàng 2 nâm 2020") == ("ngày 1 tháng 2 năm 2020", 3)


def test_prepare_page_fades_a_red_seal_and_keeps_ink():
    from PIL import Image, ImageChops, ImageDraw

    img = Image.new("RGB", (300, 200), "white")
    d = ImageDraw.Draw(img)
    d.rectangle([20, 80, 280, 100], fill=(20, 20, 20))             # a black stroke
    d.rectangle([20, 130, 280, 150], fill=(30, 40, 160))           # blue ink (a signature)
    seal = Image.new("RGB", img.size, "white")
    ImageDraw.Draw(seal).ellipse([100, 20, 200, 180], outline=(205, 35, 40), width=8)
    img = ImageChops.multiply(img, seal)                            # pressed over both, like ink
    out = prepare_page(img)
    assert out.mode == "L" and out.size == img.size
    assert out.getpixel((150, 24)) > 180          # red ring alone: pale
    assert out.getpixel((60, 90)) < 60            # black ink: dark
    assert out.getpixel((60, 140)) < 80           # blue ink: dark
    assert out.getpixel((104, 90)) < 60           # black ink under the ring stays dark
    grey = prepare_page(Image.new("L", (50, 50), 128))
    assert grey.mode == "L" and abs(grey.getpixel((25, 25)) - 128) <= 1


# --- TSV → layout (no tesseract needed) ----------------------------------------------------------


def _tsv(words: list[tuple[int, int, int, int, int, str, float]]) -> str:
    rows = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"]
    for k, (block, line, left, top, width, text, conf) in enumerate(words):
        rows.append(f"5\t1\t{block}\t1\t{line}\t{k}\t{left}\t{top}\t{width}\t40\t{conf}\t{text}")
    return "\n".join(rows) + "\n"


def test_tsv_columns_become_blocks_and_fixes_apply():
    words = [  # left column in block 1, right column in block 2 (as tesseract often splits them)
        (1, 1, 200, 100, 150, "ỦY", 95), (1, 1, 370, 100, 120, "BAN", 95),
        (1, 2, 220, 160, 60, "Số:", 90), (1, 2, 300, 160, 200, "l244/UBND", 80),
        (2, 1, 1300, 100, 300, "CỘNG", 96), (2, 1, 1620, 100, 250, "HÒA", 96),
        (2, 2, 1250, 160, 150, "ngảy", 70), (2, 2, 1420, 160, 50, "07", 90),
        (2, 2, 1490, 160, 150, "thảng", 70), (2, 2, 1660, 160, 30, "6", 90),
        (3, 1, 200, 400, 300, "Căn", 91), (3, 1, 520, 400, 300, "cứ", 91), (3, 1, 1900, 400, 300, "Luật", 91),
    ]
    frags, conf = parse_tsv(_tsv(words))
    assert len(frags) == 5 and 70 < conf < 96
    page = page_from_tsv(_tsv(words), 2480, first=True, last=False)
    assert page.lines[:6] == ["ỦY BAN", "Số: 1244/UBND", "", "CỘNG HÒA", "ngày 07 tháng 6", ""]
    assert page.lines[6].startswith("Căn cứ")
    assert page.fixes == 3


# --- real OCR ------------------------------------------------------------------------------------


@needs_tesseract
def test_ocr_one_small_page(tmp_path):
    from PIL import Image, ImageDraw, ImageFont

    font_file = hostile.find_font()
    if font_file is None:
        pytest.skip("no TrueType font with Vietnamese glyphs")
    font = ImageFont.truetype(font_file, 34)
    img = Image.new("L", (1500, 330), 255)
    draw = ImageDraw.Draw(img)
    for k, line in enumerate(["ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "Số: 1244/UBND-VX",
                              "Lâm Đồng, ngày 07 tháng 6 năm 2023",
                              "Kính gửi: Sở Nội vụ và các cơ quan liên quan"]):
        draw.text((60, 30 + 75 * k), line, font=font, fill=0)
    path = tmp_path / "page.png"
    img.save(path)
    t = time.monotonic()
    text = read(path, ReadOptions(ocr_workers=1))
    assert time.monotonic() - t < 20
    assert text.source.ocr and text.source.pages == 1
    assert text.source.ocr_confidence and text.source.ocr_confidence[0] > 60
    flat = re.sub(r"\s+", " ", text.text)
    assert "1244/UBND-VX" in flat
    assert "ngày 07 tháng 6 năm 2023" in flat
    assert "Sở Nội vụ" in flat


@needs_tesseract
def test_d13_scan_ocr_quality():
    path = CORPUS / "files" / "d13-ubnd-haiduong-qd-68-scan.pdf"
    ref_path = CORPUS / "docs" / "d13-ubnd-haiduong-qd-68-scan.txt"
    if not path.exists() or not ref_path.exists():
        pytest.skip("dev corpus not available")
    text = read(path)
    assert text.source.ocr and text.source.ocr_confidence and text.source.ocr_confidence[0] > 80
    lines = [ln.strip() for ln in text.text.split("\n")]
    assert lines[:2] == ["ỦY BAN NHÂN DÂN", "TỈNH HẢI DƯƠNG"]  # the letterhead's left block comes first
    assert "Nơi nhận:" in lines and "Lê Hồng Văn" in lines
    assert lines.index("Lê Hồng Văn") > lines.index("- Lưu: VT, N.chính (16B).")
    # Same engine as the reference OCR: the texts agree except for layout and small misreads.
    ours = re.sub(r"\s+", " ", text.text)
    ref = re.sub(r"\s+", " ", ref_path.read_text(encoding="utf-8"))
    ratio = difflib.SequenceMatcher(None, ours, ref, autojunk=False).ratio()
    assert ratio > 0.9, ratio


# --- images: bounds and modes -------------------------------------------------------------------


def test_huge_png_refused_from_header(tmp_path):
    path = tmp_path / "huge.png"
    path.write_bytes(hostile.png_bytes(30000, 30000))
    t = time.monotonic()
    with pytest.raises((TooLarge, UnsupportedFormat)) as exc:
        read(path)
    assert time.monotonic() - t < 2
    if tesseract_available("vie"):
        assert isinstance(exc.value, TooLarge)


def test_ocr_off(tmp_path):
    png = tmp_path / "small.png"
    png.write_bytes(hostile.png_bytes(50, 50))
    with pytest.raises(UnsupportedFormat):
        read(png, ReadOptions(ocr=False))
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(hostile.image_pdf(64, 64))
    with pytest.raises(NoText):
        read(scan, ReadOptions(ocr=False))


@needs_tesseract
def test_ocr_time_limit(tmp_path):
    from pipeline.read import ReadTimeout

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(hostile.image_pdf(64, 64))
    with pytest.raises(ReadTimeout) as exc:
        read(scan, ReadOptions(timeout_s=1e-9))
    assert "time limit" in exc.value.message


def test_consensus_across_pages():
    from pipeline.read.ocrfix import fix_consensus

    pages = ["LIÊN ĐOÀN LAO ĐỘNG\nHUYỆN QUỲNH LỮU\nQuỳnh Lưu, ngày 15 tháng 4 năm 2024",
             "Liên đoàn Lao động huyện Quỳnh Lưu đề nghị", "Hà Nam và Hà Nấm; Lê Văn Hải"]
    fixed, n = fix_consensus(pages)
    assert fixed[0].split("\n")[1] == "HUYỆN QUỲNH LƯU" and n == 1
    assert fixed[1:] == pages[1:]  # one reading each way in small letters is no majority
    # a tie between capitals and small letters goes to the small letters (marks on capitals are squeezed)
    assert fix_consensus(["HUYỆN QUỲNH LỮU", "Quỳnh Lưu, ngày 15"])[0] == ["HUYỆN QUỲNH LƯU", "Quỳnh Lưu, ngày 15"]
    assert fix_consensus(["QUỲNH LỮU", "QUỲNH LỮU", "Quỳnh Lưu"])[0][2] == "Quỳnh Lữu"  # two against one
    assert fix_consensus(["Hòa Bình, Hoà Bình"]) == (["Hòa Bình, Hoà Bình"], 0)  # tone placement only
    # a reading without marks loses to the marked ones, and never wins
    assert fix_consensus(["QUANG NINH", "Quảng Ninh, ngày"])[0][0] == "QUẢNG NINH"
    assert fix_consensus(["Quang Ninh", "Quang Ninh", "Quảng Ninh"])[0][2] == "Quảng Ninh"


def test_weak_lines_are_read_again_alone(tmp_path):
    from PIL import Image

    from pipeline.read.ocr import retry_weak_lines

    page = tmp_path / "p.pgm"
    Image.new("L", (1000, 400), 255).save(page)
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    tsv = "\n".join([head,
                     "5\t1\t1\t1\t1\t1\t100\t50\t200\t40\t96\tNơi",
                     "5\t1\t1\t1\t1\t2\t320\t50\t200\t40\t95\tnhận:",
                     "5\t1\t1\t1\t2\t1\t100\t150\t300\t40\t45\t-1UuU:",
                     "5\t1\t1\t1\t2\t2\t420\t150\t200\t40\t51\tV1;£1."]) + "\n"
    crops = []

    def ocr_line(crop: str) -> str:
        with Image.open(crop) as im:
            crops.append(im.size)
        return "\n".join([head, "5\t1\t1\t1\t1\t1\t8\t6\t60\t40\t93\t-", "5\t1\t1\t1\t1\t2\t80\t6\t120\t40\t92\tLưu:",
                          "5\t1\t1\t1\t1\t3\t210\t6\t200\t40\t94\tVT, PT."]) + "\n"

    out = retry_weak_lines(str(page), tsv, ocr_line)
    assert len(crops) == 1  # only the weak line
    frags, _ = parse_tsv(out)
    assert [" ".join(w.text for w in f) for f in frags] == ["Nơi nhận:", "- Lưu: VT, PT."]
    assert frags[1][1].x0 == 80 + 100 - 13  # crop offsets added back (pad = max(6, height // 3))
    assert retry_weak_lines(str(page), tsv, lambda crop: head + "\n") == tsv  # nothing better: kept


@pytest.mark.parametrize("angle", [0.0, 2.5, -4.0])
def test_skew_is_measured_and_undone(angle):
    from PIL import Image, ImageDraw, ImageFont

    from pipeline.read.ocr import deskew, skew_angle

    font_file = hostile.find_font()
    if font_file is None:
        pytest.skip("no TrueType font with Vietnamese glyphs")
    font = ImageFont.truetype(font_file, 30)
    page = Image.new("L", (1600, 1400), 255)
    draw = ImageDraw.Draw(page)
    for k in range(18):
        draw.text((120, 80 + 65 * k), "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
                  font=font, fill=0)
    tilted = page.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    assert abs(skew_angle(tilted) + angle) <= 0.3
    straight = deskew(tilted)
    assert abs(skew_angle(straight)) <= 0.3
    assert skew_angle(Image.new("L", (800, 1000), 255)) == 0.0  # a blank page: nothing to measure
