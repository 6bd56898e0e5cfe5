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


# --- signature blocks of real layouts (issue 16 phenomenon 6): every snippet below is written by the team ---

from pipeline import extract_text  # noqa: E402

HEAD = ("UBND TỈNH HÀ TĨNH              CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ XÂY DỰNG                     Độc lập - Tự do - Hạnh phúc\n"
        "Số: 1520/SXD-QLN               Hà Tĩnh, ngày 14 tháng 8 năm 2025\n"
        "V/v rà soát nhà ở xã hội\n\nKính gửi: Các phòng chuyên môn.\n\n"
        "Sở Xây dựng đề nghị các phòng rà soát và báo cáo trước ngày 30/8/2025./.\n\n")


def test_rank_goes_to_its_own_field():
    s = parse_signer(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Đại tá Trần Quốc Khánh"])
    assert (s.rank, s.name) == ("Đại tá", "Trần Quốc Khánh")
    s = parse_signer(["GIÁM ĐỐC", "Thiếu tướng Lê Đình Phong"])
    assert (s.rank, s.name, s.title) == ("Thiếu tướng", "Lê Đình Phong", "GIÁM ĐỐC")
    s = parse_signer(["TRƯỞNG PHÒNG", "Đại úy Hồ Thị Lan"])
    assert (s.rank, s.name) == ("Đại úy", "Hồ Thị Lan")
    assert parse_signer(["GIÁM ĐỐC", "Trung Văn Đức"]).rank is None  # "Trung" alone is a family name, not a rank


def test_scan_signature_with_specks_between_title_and_name():
    text = HEAD + ("Nơi nhận:                                          KT. GIÁM ĐỐC\n"
                   "- Như trên;                                        PHÓ GIÁM ĐỐC\n"
                   "- Lưu: VT, QLN.                          X,\n"
                   "                                               H.C.N\n\n"
                   "                                             '\n"
                   "                                          ' Phan Đức Hạnh .\n")
    d = extract_text(text)
    assert d.signer.name == "Phan Đức Hạnh" and d.signer.title == "PHÓ GIÁM ĐỐC"
    assert d.signers == [d.signer]


def test_police_signature_with_rank_under_the_seal():
    text = HEAD.replace("SỞ XÂY DỰNG  ", "CÔNG AN TỈNH").replace("UBND TỈNH HÀ TĨNH", "BỘ CÔNG AN       ") + (
        "Nơi nhận:                                          GIÁM ĐỐC\n- Như trên;\n- Lưu: VT, PC02.\n\n\n"
        "                                        Thiếu tướng Nguyễn Hữu Cường\n")
    d = extract_text(text)
    assert (d.signer.rank, d.signer.name, d.signer.title) == ("Thiếu tướng", "Nguyễn Hữu Cường", "GIÁM ĐỐC")


def test_joint_grid_of_signatures_gives_every_signer_host_first():
    text = ("BỘ TÀI CHÍNH -                     CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "BỘ QUỐC PHÒNG -                        Độc lập - Tự do - Hạnh phúc\n"
            "BỘ CÔNG AN\n"
            "Số: 12/2024/TTLT-BTC-BQP-BCA        Hà Nội, ngày 20 tháng 5 năm 2024\n\n"
            "THÔNG TƯ LIÊN TỊCH\nHướng dẫn quản lý kinh phí bảo đảm trật tự\n\nĐiều 1. Phạm vi.\n"
            "Thông tư liên tịch này có hiệu lực từ ngày 05/7/2024./.\n\n"
            "   KT. BỘ TRƯỞNG                          KT. BỘ TRƯỞNG\n"
            "   BỘ QUỐC PHÒNG                           BỘ TÀI CHÍNH\n"
            "   THỨ TRƯỞNG                              THỨ TRƯỞNG\n\n\n"
            "   Thượng tướng Phạm Văn Hòa              Lê Thị Thu Hằng\n\n\n\n"
            "                      KT. BỘ TRƯỞNG\n"
            "                       BỘ CÔNG AN\n"
            "                      THỨ TRƯỞNG\n\n\n"
            "                 Trung tướng Đỗ Minh Quân\n")
    d = extract_text(text)
    assert [s.name for s in d.signers] == ["Lê Thị Thu Hằng", "Phạm Văn Hòa", "Đỗ Minh Quân"]
    assert d.signer is d.signers[0]  # the host body (first in the letterhead) signs first
    assert [s.rank for s in d.signers] == [None, "Thượng tướng", "Trung tướng"]
    assert d.signers[1].authority_chain == ["KT. BỘ TRƯỞNG BỘ QUỐC PHÒNG"] and d.signers[1].title == "THỨ TRƯỞNG"


def test_joint_blocks_one_after_the_other():
    text = ("BAN TUYÊN GIÁO TỈNH ỦY HÀ TĨNH -       ĐẢNG CỘNG SẢN VIỆT NAM\n"
            "HỘI NÔNG DÂN TỈNH\n*\nSố 07-HD/BTGTU-HND          Hà Tĩnh, ngày 02 tháng 4 năm 2024\n\n"
            "HƯỚNG DẪN\ntuyên truyền mùa vụ\n\nNội dung hướng dẫn./.\n\nNơi nhận:\n- Như trên,\n- Lưu VT.\n"
            "TM. BAN THƯỜNG VỤ\nHỘI NÔNG DÂN TỈNH\nPHÓ CHỦ TỊCH\n\n\nĐặng Văn Tùng\n"
            "K/T TRƯỞNG BAN TUYÊN GIÁO TỈNH ỦY\nPHÓ TRƯỞNG BAN\n\n\nLê Thị Hoa\n")
    d = extract_text(text)
    assert {s.name for s in d.signers} == {"Đặng Văn Tùng", "Lê Thị Hoa"}
    assert d.signer.name == "Lê Thị Hoa"  # the first-named issuer's signer
    assert d.signers[1].authority_chain == ["TM. BAN THƯỜNG VỤ HỘI NÔNG DÂN TỈNH"]


def test_head_in_own_right_before_site_chrome():
    chrome = "\n".join(f"Khoản {k}\n" for k in range(1, 40))
    text = ("QUỐC HỘI\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nLuật số: 99/2025/QH15\n\n"
            "LUẬT\nSửa đổi một số điều của Luật Thủy sản\n\n" +
            "".join(f"Điều {k}. Sửa đổi khoản {k} về khai thác thủy sản ven bờ.\n\n" for k in range(1, 60)) +
            "Luật này được Quốc hội thông qua ngày 10 tháng 12 năm 2025.\n\nCHỦ TỊCH QUỐC HỘI\n\n(Đã ký)\n\n"
            "Trần Văn Định\n\nCƠ SỞ DỮ LIỆU QUỐC GIA\nVỀ PHÁP LUẬT\nMục lục\n" + chrome)
    d = extract_text(text)
    assert (d.signer.name, d.signer.title) == ("Trần Văn Định", "CHỦ TỊCH QUỐC HỘI")


def test_docx_table_signatures(tmp_path):
    """DOCX: Nơi nhận and the signature are the two cells of a borderless table; a joint document puts one
    signature per cell. Built with python-docx here, read by the project's reader."""
    import docx

    from pipeline.extract import extract_path

    doc = docx.Document()
    head = doc.add_table(rows=1, cols=2)
    head.cell(0, 0).text = "UBND TỈNH HÀ TĨNH\nSỞ TÀI CHÍNH\nSố: 77/STC-NS"
    head.cell(0, 1).text = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                            "Hà Tĩnh, ngày 09 tháng 9 năm 2025")
    doc.add_paragraph("V/v lập dự toán năm 2026")
    doc.add_paragraph("Kính gửi: Các đơn vị dự toán.")
    doc.add_paragraph("Sở Tài chính đề nghị các đơn vị lập dự toán trước ngày 30/9/2025./.")
    sig = doc.add_table(rows=1, cols=2)
    sig.cell(0, 0).text = "Nơi nhận:\n- Như trên;\n- Lưu: VT, NS."
    sig.cell(0, 1).text = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\n\n\nVõ Thị Minh Châu"
    path = tmp_path / "cv.docx"
    doc.save(path)
    d = extract_path(path)
    assert (d.signer.name, d.signer.title, d.signer.authority) == ("Võ Thị Minh Châu", "PHÓ GIÁM ĐỐC", "KT.")

    joint = docx.Document()
    joint.add_paragraph("SỞ Y TẾ - SỞ GIÁO DỤC VÀ ĐÀO TẠO")
    joint.add_paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    joint.add_paragraph("Số: 05/KHLN-SYT-SGDĐT")
    joint.add_paragraph("Hà Tĩnh, ngày 10 tháng 9 năm 2025")
    joint.add_paragraph("KẾ HOẠCH LIÊN NGÀNH")
    joint.add_paragraph("Chăm sóc sức khỏe học sinh năm học 2025-2026")
    joint.add_paragraph("Hai sở thống nhất triển khai kế hoạch./.")
    t = joint.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "KT. GIÁM ĐỐC\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nPHÓ GIÁM ĐỐC\n\nNgô Văn Bình"
    t.cell(0, 1).text = "KT. GIÁM ĐỐC\nSỞ Y TẾ\nPHÓ GIÁM ĐỐC\n\nĐinh Thị Quế"
    path = tmp_path / "joint.docx"
    joint.save(path)
    d = extract_path(path)
    assert [s.name for s in d.signers] == ["Đinh Thị Quế", "Ngô Văn Bình"]


def test_ocr_single_spaces_glue_the_signature_column_to_the_copy_list():
    """Tesseract joins the two columns with one space: the copy list keeps its items, the signature its lines."""
    text = HEAD + ("Nơi nhận: TL. GIÁM ĐỐC\n"
                   "- Như trên; KT. CHÁNH VĂN PHÒNG\n"
                   "- Phòng Kế hoạch PHÓ CHÁNH VĂN PHÒNG\n"
                   "- Lưu: VT, QLN. Hoàng Thị Thu Trang\n")
    d = extract_text(text)
    assert d.cc == ["Như trên", "Phòng Kế hoạch", "Lưu: VT, QLN"]
    assert (d.signer.name, d.signer.title) == ("Hoàng Thị Thu Trang", "PHÓ CHÁNH VĂN PHÒNG")
    assert d.signer.authority_chain == ["TL. GIÁM ĐỐC", "KT. CHÁNH VĂN PHÒNG"]


def test_name_in_capitals_and_rank_on_its_own_line():
    s = parse_signer(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "NGUYỄN THỊ THU HÀ"])
    assert (s.name, s.title) == ("Nguyễn Thị Thu Hà", "CHỦ TỊCH")
    assert parse_signer(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "ỦY VIÊN"]).name is None  # caps titles are not names
    s = parse_signer(["CHỈ HUY TRƯỞNG", "Đại tá", "Hồ Văn Quyết"])
    assert (s.rank, s.name) == ("Đại tá", "Hồ Văn Quyết")


def test_scan_damage_on_the_rank_and_the_name():
    # OCR lost the space inside the rank
    s = parse_signer(["GIÁM ĐỐC", "Thiếutướng Đào Văn Khải"])
    assert (s.rank, s.name) == ("Thiếu tướng", "Đào Văn Khải")
    # OCR clipped the first letters of the name at the seal: restored only when one family name ends so
    s = parse_signer(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "guyễn Thị Bích Ngọc"])
    assert s.name == "Nguyễn Thị Bích Ngọc"
    assert parse_signer(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "ê Văn Tám"]).name is None  # one letter: too little
    assert parse_signer(["GIÁM ĐỐC", "tổ chức thực hiện"]).name is None
