from pipeline.extract.signer import parse_signer


def test_stacked_authorities():
    s = parse_signer(["TM. CHÍNH PHỦ", "KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "(Đã ký)", "Hồ Văn Dũng"])
    assert (s.authority, s.on_behalf_of, s.title, s.name) == ("TM.", "Chính phủ", "PHÓ THỦ TƯỚNG", "Hồ Văn Dũng")
    assert s.authority_chain == ["TM. CHÍNH PHỦ", "KT. THỦ TƯỚNG"] and s.authority_line == "KT. THỦ TƯỚNG"


def test_party_prefix_and_own_right():
    s = parse_signer(["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "Lê Văn Bình"])
    assert (s.authority, s.on_behalf_of, s.name) == ("TM.", "Ban Thường vụ", "Lê Văn Bình")
    s = parse_signer(["GIÁM ĐỐC", "Ký bởi: Sở Nội vụ", "Đỗ Văn Chung"])
    assert (s.authority, s.title, s.name) == (None, "GIÁM ĐỐC", "Đỗ Văn Chung")


def test_titles_misread_by_ocr_take_the_printed_spelling():
    from pipeline.extract.signer import canonical_title, parse_signer

    assert canonical_title("PHÓ GIÁM ĐÖC") == "PHÓ GIÁM ĐỐC"
    assert canonical_title("'CHÚ TỊCH THƯỜNG TRỤC") == "'CHÚ TỊCH THƯỜNG TRỰC"  # a stray quote keeps "CHÚ"
    assert canonical_title("PHÓ CHÚ TỊCH THƯỜNG TRỤC") == "PHÓ CHỦ TỊCH THƯỜNG TRỰC"
    assert canonical_title("PHO GIAM DOC") == "PHÓ GIÁM ĐỐC"
    assert canonical_title("GIÁM ĐỐC SỞ Y TẾ") == "GIÁM ĐỐC SỞ Y TẾ"  # other words kept as printed
    assert canonical_title("Phó Giám đốc") == "Phó Giám đốc"        # not capitals: left alone
    s = parse_signer(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐÖC", "Y Bhin Niê"])
    assert (s.title, s.name, s.authority) == ("PHÓ GIÁM ĐỐC", "Y Bhin Niê", "KT.")


def test_family_names_misread_by_ocr():
    from pipeline.extract.signer import canonical_name

    assert canonical_name("Đỉnh Công Hải") == "Đinh Công Hải"
    assert canonical_name("Nguyên Văn An") == "Nguyễn Văn An"
    assert canonical_name("Lò Văn Pọm") == "Lò Văn Pọm" and canonical_name("Lô Văn Minh") == "Lô Văn Minh"
    assert canonical_name("Luong Van Minh") == "Luong Van Minh"  # typed without marks: as typed
    assert canonical_name("Y Bhin Niê") == "Y Bhin Niê" and canonical_name("Hải") == "Hải"
