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
