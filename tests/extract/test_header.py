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
