"""Issuer and governing body from the letterhead (spec §1; issue 16 phenomena 7-8, issue 14 item 5).

Every letterhead here is written by the team: the bodies exist as kinds (a police department under a ministry, a
grassroots union under a district federation, a tax office under the tax department) but the names are invented.
"""

import pytest

from pipeline import extract_text
from pipeline.extract.issuers import name_from_header, recase, split_bodies
from pipeline.extract.segment import motto_fragment

BODY = "\n\nKính gửi: Các đơn vị trực thuộc.\n\nNội dung văn bản.\n"


def _cv(letterhead: str, number: str = "Số: 118/PC02-ĐTT", place: str = "Hà Tĩnh") -> str:
    return (f"{letterhead}\n     {number}                 {place}, ngày 12 tháng 3 năm 2025\n"
            f"V/v phối hợp xác minh tin báo{BODY}")


def test_three_line_letterhead_keeps_every_level():
    text = _cv("      BỘ CÔNG AN                     CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
               " CÔNG AN TỈNH HÀ TĨNH                    Độc lập - Tự do - Hạnh phúc\n"
               "PHÒNG CẢNH SÁT HÌNH SỰ")
    d = extract_text(text)
    assert d.issuer.name == "Phòng Cảnh sát hình sự"
    assert d.issuer.parent == "Công an tỉnh Hà Tĩnh"
    assert d.issuer.hierarchy == ["Bộ Công an", "Công an tỉnh Hà Tĩnh", "Phòng Cảnh sát hình sự"]


def test_two_level_tax_letterhead_is_parent_and_issuer_never_one_name():
    text = _cv("    CỤC THUẾ                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
               " THUẾ TỈNH QUẢNG BÌNH                  Độc lập - Tự do - Hạnh phúc", "Số: 2207/QBI-NVDTPC", "Quảng Bình")
    d = extract_text(text)
    assert (d.issuer.parent, d.issuer.name) == ("Cục Thuế", "Thuế tỉnh Quảng Bình")
    assert split_bodies(["TỔNG CỤC HẢI QUAN", "CỤC HẢI QUAN TỈNH LẠNG SƠN"]) == \
        ["TỔNG CỤC HẢI QUAN", "CỤC HẢI QUAN TỈNH LẠNG SƠN"]
    assert split_bodies(["CỤC HẢI QUAN", "CHI CỤC HẢI QUAN KHU VỰC VII"]) == ["CỤC HẢI QUAN", "CHI CỤC HẢI QUAN KHU VỰC VII"]


def test_grassroots_union_under_a_district_federation():
    text = _cv("LIÊN ĐOÀN LAO ĐỘNG HUYỆN THẠCH HÀ     CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
               "CĐCS CÔNG TY TNHH ĐIỆN TỬ MINH QUANG         Độc lập - Tự do - Hạnh phúc",
               "Số: 07/CĐCS", "Thạch Hà")
    d = extract_text(text)
    assert d.issuer.name == "Công đoàn cơ sở Công ty TNHH Điện tử Minh Quang"
    assert d.issuer.parent == "Liên đoàn Lao động huyện Thạch Hà"
    assert "Tnhh" not in d.issuer.name and "Công Đoàn" not in d.issuer.name


@pytest.mark.parametrize("printed, expected", [
    ("CÔNG ĐOÀN CƠ SỞ CÔNG TY TNHH ĐIỆN TỬ HOÀNG LONG", "Công đoàn cơ sở Công ty TNHH Điện tử Hoàng Long"),
    ("CÔNG TY CP MAY XUẤT KHẨU BẮC HÀ", "Công ty CP May xuất khẩu Bắc Hà"),
    ("CÔNG TY TNHH MTV CẤP NƯỚC ĐÔNG SƠN", "Công ty TNHH MTV Cấp nước Đông Sơn"),
    ("UBND HUYỆN KỲ ANH", "Ủy ban nhân dân huyện Kỳ Anh"),
    ("LIÊN ĐOÀN LAO ĐỘNG HUYỆN YÊN THÀNH", "Liên đoàn Lao động huyện Yên Thành"),
    ("CỤC THUẾ", "Cục Thuế"),
    ("BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "Bộ Tài nguyên và Môi trường"),
    ("CỤC CẢNH SÁT GIAO THÔNG", "Cục Cảnh sát giao thông"),
    ("TRƯỜNG ĐẠI HỌC KỸ THUẬT NGHỆ AN", "Trường Đại học Kỹ thuật Nghệ An"),
    ("CHI CỤC HẢI QUAN KHU VỰC IV", "Chi cục Hải quan khu vực IV"),
    ("CÔNG AN XÃ PHÚ LỘC", "Công an xã Phú Lộc"),
    ("BAN DÂN VẬN HUYỆN ỦY CAN LỘC", "Ban Dân vận Huyện ủy Can Lộc"),
])
def test_display_name_keeps_the_normal_form_capitals(printed, expected):
    got = name_from_header(printed)
    assert got.replace("Khu", "khu") == expected.replace("Khu", "khu")


def test_abbreviations_and_roman_numerals_stay_upper():
    assert recase("CÔNG TY CP ĐẦU TƯ PHÚC AN") == "Công ty CP Đầu tư Phúc An"
    assert recase("ĐỘI CẢNH SÁT PHÒNG CHÁY SỐ II") .endswith("II")


def test_motto_fragments_are_never_an_issuer():
    assert motto_fragment("HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert motto_fragment("Độc lập - Tự do -") and motto_fragment("ĐẢNG CỘNG SẢN")
    assert not motto_fragment("VIỆT NAM") and not motto_fragment("TỈNH ỦY HÀ TĨNH")
    # a layout that cut the motto: its pieces sit in the left column's lines
    assert split_bodies(["UBND TỈNH HÀ TĨNH", "HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SỞ XÂY DỰNG"]) == \
        ["UBND TỈNH HÀ TĨNH", "SỞ XÂY DỰNG"]
    text = ("ĐẢNG CỘNG SẢN VIỆT NAM\nHUYỆN ỦY ĐỨC THỌ\n*\nSố 45-CV/HU              Đức Thọ, ngày 03 tháng 6 năm 2024\n"
            f"V/v tổng kết công tác dân vận{BODY}")
    d = extract_text(text)
    assert d.issuer.name == "Huyện ủy Đức Thọ" and "Cộng sản" not in d.issuer.name


def test_letterhead_split_across_the_two_columns():
    text = ("ỦY BAN NHÂN DÂN                                TỈNH QUẢNG TRỊ\n\n"
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 412/UBND-KT\n\n"
            f"Quảng Trị, ngày 05 tháng 8 năm 2025\nV/v rà soát hồ sơ đất đai{BODY}")
    d = extract_text(text)
    assert d.issuer.name == "Ủy ban nhân dân tỉnh Quảng Trị"


def test_header_lines_separated_by_blank_lines_keep_the_governing_body():
    text = ("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\n\nCỤC THỦY LỢI\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\n\nSố: 903/TL-QLCT\n\nHà Nội, ngày 17 tháng 9 năm 2025\n\n"
            f"V/v vận hành hồ chứa mùa mưa lũ{BODY}")
    d = extract_text(text)
    assert (d.issuer.parent, d.issuer.name) == ("Bộ Nông nghiệp và Môi trường", "Cục Thủy lợi")


def test_joint_issuers_printed_with_dashes_stay_one_issuer():
    from pipeline.extract.issuers import joint_bodies

    assert split_bodies(["BỘ Y TẾ -", "BỘ GIÁO DỤC VÀ ĐÀO TẠO -", "BỘ LAO ĐỘNG - THƯƠNG BINH", "VÀ XÃ HỘI"]) == \
        ["BỘ Y TẾ - BỘ GIÁO DỤC VÀ ĐÀO TẠO - BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"]
    assert joint_bodies("BỘ Y TẾ - BỘ GIÁO DỤC VÀ ĐÀO TẠO - BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI") == \
        ["Bộ Y tế", "Bộ Giáo dục và Đào tạo", "Bộ Lao động - Thương binh và Xã hội"]
    assert joint_bodies("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI") == []  # one body with a dash in its name


def test_ocr_unit_word_before_a_province():
    assert name_from_header("UỶ BAN NHÂN DÂN TĨNH QUẢNG BÌNH") == "Ủy ban nhân dân tỉnh Quảng Bình"
    assert name_from_header("ỦY BAN NHÂN DÂN TÌNH HÀ TĨNH") == "Ủy ban nhân dân tỉnh Hà Tĩnh"


def test_cover_page_motto_is_not_the_letterhead():
    text = ("          ĐẢNG CỘNG SẢN VIỆT NAM\n   BAN CHẤP HÀNH ĐẢNG BỘ TỈNH HÀ TĨNH\n\n\n"
            "   TÀI LIỆU HỌC TẬP NGHỊ QUYẾT\n\n\n        THÁNG 10 - 2025\n\n\n\n\n\n\n\n\n"
            "   TỈNH ỦY HÀ TĨNH                   ĐẢNG CỘNG SẢN VIỆT NAM\n            *\n"
            "        Số 21-HD/TU                   Hà Tĩnh, ngày 06 tháng 10 năm 2025\n\n"
            "                   HƯỚNG DẪN\n        học tập nghị quyết đại hội\n\nNội dung.\n")
    d = extract_text(text)
    assert d.issuer.name == "Tỉnh ủy Hà Tĩnh" and d.place == "Hà Tĩnh"


def test_a_letterhead_inside_an_attached_form_is_not_the_documents():
    prose = ("Công đoàn cơ sở phối hợp với người sử dụng lao động tổ chức lấy ý kiến của người lao động về nội "
             "dung dự thảo trước khi gửi cơ quan quản lý nhà nước.\n")
    text = ("\nHƯỚNG DẪN\nQuy trình lấy ý kiến người lao động\n\n" + prose * 6 +
            "MẪU 1:\nCÔNG TY ………………                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "                        Độc lập – Tự do – Hạnh phúc\nSố:    /CV       Hà Tĩnh, ngày   tháng   năm 2025\n")
    d = extract_text(text)
    assert d.issuer is None and d.place is None


def test_cover_page_close_above_a_letterhead_whose_number_is_not_read():
    """A PDF reader puts the cover page right above the letterhead, and the Party draft's number has no serial."""
    text = ("ĐẢNG CỘNG SẢN VIỆT NAM\nBAN CHẤP HÀNH ĐẢNG BỘ TỈNH QUẢNG BÌNH\nDỰ THẢO CHƯƠNG TRÌNH CÔNG TÁC\n"
            "NĂM 2026\nLƯU HÀNH NỘI BỘ\nTHÁNG 11 - 2025\n\n\n\nTỈNH ỦY QUẢNG BÌNH\n*\nSố -CTr/TU\nDự thảo\n"
            " ĐẢNG CỘNG SẢN VIỆT NAM\nQuảng Bình, ngày tháng 11 năm 2025\nCHƯƠNG TRÌNH CÔNG TÁC\nnăm 2026\n-----\n"
            "Nội dung chương trình.\n")
    d = extract_text(text)
    assert d.issuer.name == "Tỉnh ủy Quảng Bình"
