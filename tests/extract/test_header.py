from pipeline import extract_text
from pipeline.extract.issuers import expand_body_name, recase, split_bodies


def test_split_and_recase_bodies():
    assert split_bodies(["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"]) == ["ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"]
    assert split_bodies(["UBND TỈNH BÌNH THUẬN", "SỞ NỘI VỤ"]) == ["UBND TỈNH BÌNH THUẬN", "SỞ NỘI VỤ"]
    assert split_bodies(["BAN CHẤP HÀNH TRUNG ƯƠNG", "VĂN PHÒNG"]) == ["BAN CHẤP HÀNH TRUNG ƯƠNG", "VĂN PHÒNG"]
    assert recase("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG") == "Ủy ban nhân dân tỉnh Lâm Đồng"
    assert recase("BAN THƯỜNG VỤ") == "Ban Thường vụ"
    assert expand_body_name("Tổng LĐLĐ Việt Nam") == "Tổng Liên đoàn Lao động Việt Nam"
    assert expand_body_name("UBND tỉnh") == "Ủy ban nhân dân tỉnh"


def test_header_fields_state():
    text = ("UBND TỈNH BÌNH THUẬN            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "       SỞ NỘI VỤ                         Độc lập – Tự do – Hạnh phúc\n"
            "     Số: 336/TTr-SNV                   Bình Thuận, ngày 28 tháng 11 năm 2024\n\n"
            "                              TỜ TRÌNH\n"
            " Đề xuất phương án xử lý các hội quần chúng cấp tỉnh theo Công\n"
            "     văn số 2769/UBND-NCKSTTHC ngày 24/7/2024 của UBND tỉnh\n\n"
            "                      Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh\n\nNội dung.\n")
    d = extract_text(text)
    assert d.issuer.name == "Sở Nội vụ" and d.issuer.parent == "Ủy ban nhân dân tỉnh Bình Thuận"
    assert d.issuer.printed == "SỞ NỘI VỤ"
    assert (d.doc_type.code, d.doc_type.name) == ("TTr", "Tờ trình")
    assert d.number.text == "336/TTr-SNV" and d.number.normalized == "336/TTr-SNV"
    assert (d.place, d.date) == ("Bình Thuận", "2024-11-28")
    assert d.subject.endswith("ngày 24/7/2024 của UBND tỉnh") and "\n" not in d.subject
    assert d.recipients == ["Chủ tịch Ủy ban nhân dân tỉnh"]
    assert d.references[0].number == "2769/UBND-NCKSTTHC" and d.references[0].zone == "subject"


def test_missing_letterhead_is_inferred_with_a_warning():
    d = extract_text("Số: 215/LĐLĐ\n\nĐắk Lắk, ngày 09 tháng 4 năm 2025\n\nV/v tổ chức Tháng Công nhân\n\n"
                     "Kính gửi: Các công đoàn cơ sở.\n\nBan Thường vụ LĐLĐ tỉnh đề nghị các công đoàn cơ sở thực hiện.\n")
    assert d.issuer.name == "Liên đoàn Lao động tỉnh Đắk Lắk"
    assert d.issuer.parent == "Tổng Liên đoàn Lao động Việt Nam" and d.issuer.inferred
    assert any("letterhead missing" in w for w in d.warnings)
    assert d.doc_type.code == "CV"


def test_party_central_issuer_from_signature():
    text = ("BAN CHẤP HÀNH TRUNG ƯƠNG          ĐẢNG CỘNG SẢN VIỆT NAM\n               *\n"
            "     Số 01-KL/TW                   Hà Nội, ngày 18 tháng 5 năm 2021\n\nKẾT LUẬN\n"
            "của Bộ Chính trị về tiếp tục thực hiện\n\nNội dung kết luận.\n\n"
            "                                T/M BỘ CHÍNH TRỊ\n                                TỔNG BÍ THƯ\n\n"
            "                                Nguyễn Văn A\n")
    d = extract_text(text)
    assert d.issuer.name == "Bộ Chính trị" and d.family == "party"
    assert d.doc_type.code == "KL" and d.number.family == "party"
    assert d.signer.authority == "TM." and d.signer.on_behalf_of == "Bộ Chính trị"


def test_subject_keeps_a_number_wrapped_in_the_letterhead_column():
    from pipeline.extract.header import join_wrapped

    assert join_wrapped(["V/v triển khai Kế hoạch số 47/KH-", "LĐLĐ", "của Ban Thường vụ"]) == \
        "V/v triển khai Kế hoạch số 47/KH-LĐLĐ của Ban Thường vụ"
    assert join_wrapped(["số 168/", "KH-UBND ngày 19/7/2024"]) == "số 168/KH-UBND ngày 19/7/2024"
    assert join_wrapped(["Luật số 80/2015/", "QH13"]) == "Luật số 80/2015/QH13"
    assert join_wrapped(["phát triển kinh tế -", "xã hội"]) == "phát triển kinh tế - xã hội"
    assert join_wrapped(["số 47/KH-", "Ban Thường vụ"]) == "số 47/KH- Ban Thường vụ"  # a word, not a code
    text = ("LIÊN ĐOÀN LAO ĐỘNG          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "HUYỆN QUỲNH LƯU             Độc lập - Tự do - Hạnh phúc\n"
            "Số: 38/LĐLĐ                 Quỳnh Lưu, ngày 15 tháng 4 năm 2024\n"
            "V/v triển khai Kế hoạch số 47/KH-\nLĐLĐ của Ban Thường vụ LĐLĐ tỉnh\n\n"
            "Kính gửi: Các công đoàn cơ sở trực thuộc.\n\nThực hiện Kế hoạch số 47/KH-LĐLĐ, đề nghị các đơn vị "
            "tổ chức quán triệt.\n")
    assert extract_text(text).subject == "triển khai Kế hoạch số 47/KH-LĐLĐ của Ban Thường vụ LĐLĐ tỉnh"


# --- issue 16 §8: header details found on published documents (team-written snippets) ---

_STATE_HEAD = ("ỦY BAN NHÂN DÂN                  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
               "  TỈNH KON TUM                        Độc lập - Tự do - Hạnh phúc\n\n"
               "Số: 915/QĐ-UBND                  Kon Tum, ngày 14 tháng 8 năm 2026\n\n")


def test_subject_ends_before_the_authority_line():
    caps = _STATE_HEAD + ("                    QUYẾT ĐỊNH\n          BAN HÀNH QUY CHẾ QUẢN LÝ KHO LƯU TRỮ\n"
                          "              CHUYÊN DỤNG CỦA TỈNH\n"
                          "       CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KON TUM\n\nCăn cứ Luật Lưu trữ;\n")
    assert extract_text(caps).subject == "BAN HÀNH QUY CHẾ QUẢN LÝ KHO LƯU TRỮ CHUYÊN DỤNG CỦA TỈNH"
    for authority in ("GIÁM ĐỐC SỞ NỘI VỤ", "CỤC TRƯỞNG CỤC VĂN THƯ VÀ LƯU TRỮ", "BỘ TRƯỞNG BỘ NỘI VỤ",
                      "ỦY BAN NHÂN DÂN TỈNH KON TUM"):
        text = _STATE_HEAD + ("QUYẾT ĐỊNH\n\nBAN HÀNH DANH MỤC HỒ SƠ NĂM 2026\n\n" + authority +
                              "\n\nCăn cứ Luật Lưu trữ;\n")
        assert extract_text(text).subject == "BAN HÀNH DANH MỤC HỒ SƠ NĂM 2026", authority


def test_authority_words_inside_a_wrapped_subject_are_kept():
    from pipeline.extract.segment import is_authority_line

    text = _STATE_HEAD + ("QUYẾT ĐỊNH\n\nBAN HÀNH QUY CHẾ LÀM VIỆC CỦA\n\nỦY BAN NHÂN DÂN TỈNH KON TUM\n\n"
                          "ỦY BAN NHÂN DÂN TỈNH KON TUM\n\nCăn cứ Luật Tổ chức chính quyền địa phương;\n")
    assert extract_text(text).subject == "BAN HÀNH QUY CHẾ LÀM VIỆC CỦA ỦY BAN NHÂN DÂN TỈNH KON TUM"
    assert is_authority_line("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KON TUM") and is_authority_line("CHÍNH PHỦ")
    assert not is_authority_line("TRƯỜNG ĐẠI HỌC SƯ PHẠM")  # a school, not a head ("TRƯỞNG")
    assert not is_authority_line("Chủ tịch Ủy ban nhân dân tỉnh")  # a mixed-case subject line


def test_lower_case_thuc_hien_continues_the_subject():
    text = _STATE_HEAD + ("                    QUYẾT ĐỊNH\n        Về việc giao nhiệm vụ cho Sở Xây dựng\n"
                          "     thực hiện kiểm tra công trình trên địa bàn tỉnh Kon Tum\n\n"
                          "         CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KON TUM\n\nCăn cứ Luật Xây dựng;\n")
    assert extract_text(text).subject == ("giao nhiệm vụ cho Sở Xây dựng thực hiện kiểm tra công trình trên địa bàn "
                                          "tỉnh Kon Tum")


def test_centred_subject_lines_of_different_widths():
    text = _STATE_HEAD + ("                              THÔNG BÁO\n"
                          "              Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc\n"
                          "    với các sở, ngành về tiến độ giải ngân vốn đầu tư công năm 2026\n"
                          "       Ngày 10/8/2026, Chủ tịch UBND tỉnh chủ trì buổi làm việc với các sở.\n")
    assert extract_text(text).subject == ("Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc với các sở, ngành về "
                                          "tiến độ giải ngân vốn đầu tư công năm 2026")


def test_trich_yeu_opening_with_ve():
    text = ("SỞ TƯ PHÁP TỈNH KON TUM          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "                                  Độc lập - Tự do - Hạnh phúc\n"
            "Số: 318/STP-VP                   Kon Tum, ngày 14 tháng 8 năm 2026\n"
            "Về tổ chức tập huấn nghiệp vụ\nhộ tịch năm 2026\n\n"
            "Kính gửi: Ủy ban nhân dân các xã, phường.\n\nSở Tư pháp đề nghị các đơn vị cử cán bộ tham dự.\n")
    d = extract_text(text)
    assert d.subject == "Về tổ chức tập huấn nghiệp vụ hộ tịch năm 2026" and d.doc_type.code == "CV"


def test_letterhead_lines_separated_by_blank_lines_keep_the_first():
    text = ("BỘ TÀI CHÍNH\n\nCỤC HẢI QUAN\n\nSố: 4417/HQ-GSQL\n\nV/v thủ tục hải quan đối với hàng mẫu\n\n"
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nĐộc lập - Tự do - Hạnh phúc\n\n"
            "Hà Nội ngày 02 tháng 9 năm 2026\n\nKính gửi: Công ty TNHH Thương mại Hòa Phát Đạt.\n\n"
            "Cục Hải quan nhận được công văn của Công ty.\n")
    d = extract_text(text)
    assert d.issuer.printed == "CỤC HẢI QUAN" and d.issuer.parent_printed == "BỘ TÀI CHÍNH"
    assert (d.place, d.date) == ("Hà Nội", "2026-09-02")
    assert d.subject == "thủ tục hải quan đối với hàng mẫu"


def test_old_title_naming_its_author():
    text = _STATE_HEAD.replace("2026", "1998") + ("QUYẾT ĐỊNH CỦA ỦY BAN NHÂN DÂN TỈNH\nVề việc giao đất ở\n\n"
                                                  "ỦY BAN NHÂN DÂN TỈNH KON TUM\n\nCăn cứ Luật Đất đai;\n")
    d = extract_text(text)
    assert d.doc_type.name == "Quyết định" and d.subject == "giao đất ở"


def test_cover_page_before_the_letterhead():
    text = ("           ĐẢNG CỘNG SẢN VIỆT NAM\n    BAN CHẤP HÀNH ĐẢNG BỘ TỈNH KON TUM\n\n\n"
            "   CHƯƠNG TRÌNH HÀNH ĐỘNG\nTHỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI\n\n\n           THÁNG 10 - 2026\n\n"
            "   TỈNH ỦY KON TUM                   ĐẢNG CỘNG SẢN VIỆT NAM\n            *\n"
            "        Số 12-CTr/TU                 Kon Tum, ngày 05 tháng 10 năm 2026\n\n"
            "                   CHƯƠNG TRÌNH HÀNH ĐỘNG\n"
            "        thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh\n\n"
            "     Thực hiện Nghị quyết Đại hội, Ban Chấp hành Đảng bộ tỉnh xây dựng Chương trình hành động.\n")
    d = extract_text(text)
    assert d.number.normalized == "12-CTr/TU" and (d.place, d.date) == ("Kon Tum", "2026-10-05")
    assert d.subject == "thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh"


def test_consolidated_text_with_its_number_in_the_authentication_block():
    text = ("QUỐC HỘI\n\nLuật số: 41/2024/QH15\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nĐộc lập - Tự do - Hạnh phúc\n\n"
            "LUẬT\n\nBẢO TỒN DI SẢN NGHỀ THỦ CÔNG\n\nLuật Bảo tồn di sản nghề thủ công số 41/2024/QH15 ngày 12 tháng 6 "
            "năm 2024 của Quốc hội, có hiệu lực kể từ ngày 01 tháng 1 năm 2025, được sửa đổi, bổ sung bởi:\n\n"
            "Điều 1. Phạm vi điều chỉnh\n\nLuật này quy định.\n\n"
            "Luật này được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XV, Kỳ họp thứ 7 thông qua "
            "ngày 12 tháng 6 năm 2024.\n\n"
            "VĂN PHÒNG QUỐC HỘI\n\nSố: 17/VBHN-VPQH        Hà Nội, ngày 30 tháng 9 năm 2026\n\n"
            "XÁC THỰC VĂN BẢN HỢP NHẤT\n\nCHỦ NHIỆM\n\nLê Thị Thu Hà\n")
    d = extract_text(text)
    assert d.number.normalized == "17/VBHN-VPQH" and d.doc_type.name == "Văn bản hợp nhất"
    assert d.date == "2026-09-30" and d.place == "Hà Nội"
    assert any("consolidated text" in w for w in d.warnings)


def test_consolidated_text_with_its_own_letterhead():
    text = ("BỘ NỘI VỤ                        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "                                  Độc lập - Tự do - Hạnh phúc\n"
            "Số: 09/VBHN-BNV                  Hà Nội, ngày 20 tháng 5 năm 2026\n\n"
            "THÔNG TƯ\nHướng dẫn quản lý hồ sơ công chức\n\n"
            "Thông tư số 06/2024/TT-BNV ngày 03 tháng 4 năm 2024 của Bộ trưởng Bộ Nội vụ, được sửa đổi, bổ sung bởi:"
            "\n\nĐiều 1. Phạm vi\n\nXÁC THỰC VĂN BẢN HỢP NHẤT\nBỘ TRƯỞNG\n\nPhạm Minh Quân\n")
    d = extract_text(text)
    assert d.number.normalized == "09/VBHN-BNV" and d.doc_type.code == "VBHN" and d.date == "2026-05-20"
    assert d.subject == "Hướng dẫn quản lý hồ sơ công chức"


def test_listed_longer_type_name_is_kept_as_printed():
    text = ("TỈNH ỦY KON TUM                   ĐẢNG CỘNG SẢN VIỆT NAM\n            *\n"
            "        Số 12-CTr/TU                 Kon Tum, ngày 05 tháng 10 năm 2026\n\n"
            "                   CHƯƠNG TRÌNH HÀNH ĐỘNG\n        thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh\n\n"
            "     Ban Thường vụ Tỉnh ủy xây dựng Chương trình hành động.\n")
    d = extract_text(text)
    assert (d.doc_type.code, d.doc_type.name) == ("CTr", "Chương trình hành động")


def test_blank_serial_with_a_symbol_split_by_a_space():
    d = extract_text(_STATE_HEAD.replace("Số: 915/QĐ-UBND", "Số:     /TTr- CAT-PC04") +
                     "TỜ TRÌNH\nV/v xin chủ trương tổ chức tập huấn\n\nKính gửi: Ủy ban nhân dân tỉnh.\n\nNội dung.\n")
    assert d.number.serial is None and d.number.normalized == "/TTr-CAT-PC04"


def test_authority_line_of_a_cong_dien_and_a_title_without_subject():
    from pipeline.extract.segment import is_authority_line

    assert is_authority_line("THỦ TƯỚNG CHÍNH PHỦ điện:")
    assert not is_authority_line("Kính gửi:")
    text = _STATE_HEAD + "QUYẾT ĐỊNH\n\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KON TUM\n\nCăn cứ Luật Lưu trữ;\n"
    assert extract_text(text).subject is None


def test_title_words_inside_the_subject_are_not_the_authority():
    text = _STATE_HEAD + ("QUYẾT ĐỊNH\nPHÊ CHUẨN KẾT QUẢ BẦU\nCHỦ TỊCH ỦY BAN NHÂN DÂN XÃ ĐĂK HÀ\nNHIỆM KỲ 2026 - 2031\n"
                          "ỦY BAN NHÂN DÂN TỈNH KON TUM\n\nCăn cứ Luật Tổ chức chính quyền địa phương;\n")
    assert extract_text(text).subject == ("PHÊ CHUẨN KẾT QUẢ BẦU CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ ĐĂK HÀ "
                                          "NHIỆM KỲ 2026 - 2031")
    council = _STATE_HEAD.replace("Số: 915/QĐ-UBND", "Số: 15/2026/NQ-HĐND") + (
        "NGHỊ QUYẾT\nQUY ĐỊNH MỨC CHI HỖ TRỢ CÔNG TÁC LƯU TRỮ\nHỘI ĐỒNG NHÂN DÂN TỈNH KON TUM\n"
        "KHÓA XII, KỲ HỌP THỨ 9\n\nCăn cứ Luật Tổ chức chính quyền địa phương;\n")
    assert extract_text(council).subject == "QUY ĐỊNH MỨC CHI HỖ TRỢ CÔNG TÁC LƯU TRỮ"
    village = _STATE_HEAD + ("QUYẾT ĐỊNH\nBAN HÀNH QUY CHẾ BẦU CỬ\nTRƯỞNG THÔN, TỔ DÂN PHỐ\n"
                             "ỦY BAN NHÂN DÂN TỈNH KON TUM\n\nCăn cứ Luật Thực hiện dân chủ ở cơ sở;\n")
    assert extract_text(village).subject == "BAN HÀNH QUY CHẾ BẦU CỬ TRƯỞNG THÔN, TỔ DÂN PHỐ"
