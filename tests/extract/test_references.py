from pipeline import extract_text


def refs(text):
    return extract_text(text).references


def test_via_chain_and_relations():
    text = ("Số: 12/LĐLĐ\n\nNghệ An, ngày 02 tháng 4 năm 2024\n\nV/v học tập\n\nKính gửi: Các công đoàn cơ sở.\n\n"
            "Thực hiện Công văn số 1856/TLĐ-TG ngày 14/3/2024 của Tổng LĐLĐ Việt Nam về đẩy mạnh thực hiện "
            "Kết luận số 01-KL/TW của Bộ Chính trị về tiếp tục thực hiện Chỉ thị 05-CT/TW, Ban Thường vụ "
            "yêu cầu các công đoàn cơ sở thực hiện tốt.\n")
    r = refs(text)
    assert [x.number for x in r] == ["1856/TLĐ-TG", "01-KL/TW", "05-CT/TW"]
    assert [x.relation for x in r] == ["implements", "implements", "continues"]
    assert [x.via for x in r] == [None, 0, 1]
    assert r[0].date == "2024-03-14" and r[0].issuer == "Tổng Liên đoàn Lao động Việt Nam"
    assert text[r[0].start:r[0].end] == r[0].text == "Công văn số 1856/TLĐ-TG ngày 14/3/2024"


def test_can_cu_list_shares_one_cue_and_passive_is_not_amends():
    text = ("QUYẾT ĐỊNH\nVề việc ban hành quy chế\n\n"
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
            "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;\n"
            "Căn cứ Luật Tố cáo số 25/2018/QH14, được sửa đổi, bổ sung bởi Luật số 59/2020/QH14;\n"
            "Theo đề nghị của Giám đốc Sở Nội vụ.\n\nQUYẾT ĐỊNH:\n\nĐiều 1. Quyết định này thay thế "
            "Quyết định số 1013/QĐ-UBND và Quyết định số 1014/QĐ-UBND ngày 19/8/2011 của UBND tỉnh.\n")
    r = refs(text)
    by = {x.number or x.title: x for x in r}
    assert by["Luật Tổ chức chính quyền địa phương"].relation == "based_on"
    assert by["Luật Tổ chức chính quyền địa phương"].date == "2015-06-19"
    assert by["30/2020/NĐ-CP"].relation == "based_on" and by["30/2020/NĐ-CP"].issuer == "Chính phủ"
    assert by["25/2018/QH14"].relation == "based_on" and by["25/2018/QH14"].title == "Luật Tố cáo"
    # passive: 59/2020 amends 25/2018, it is not amended by the citing decision
    assert by["59/2020/QH14"].relation == "amends" and by["59/2020/QH14"].inverse
    assert r[by["59/2020/QH14"].via].number == "25/2018/QH14"
    assert by["1013/QĐ-UBND"].relation == "replaces" and by["1014/QĐ-UBND"].relation == "replaces"
    assert not any("Theo đề nghị" in x.text for x in r)


def test_name_only_and_short_forms():
    text = ("Thực hiện Nghị quyết số 57-NQ/TW, ngày 22-12-2024 của Bộ Chính trị (sau đây gọi tắt là Nghị quyết 57), "
            "gắn với Nghị quyết Đại hội lần thứ XIII của Đảng và Luật Phòng, chống ma túy năm 2021.\n"
            "Các cấp ủy quán triệt Nghị quyết 57 đến đảng viên.\n")
    r = refs(text)
    keys = [(x.number, x.title) for x in r]
    assert ("57-NQ/TW", None) in keys
    assert (None, "Nghị quyết Đại hội lần thứ XIII của Đảng") in keys
    assert any(t and t.startswith("Luật Phòng, chống ma túy") for _n, t in keys)
    assert [x.number for x in r].count("57-NQ/TW") == 2  # the alias resolves to the full number
    assert r[0].date == "2024-12-22"


def test_own_number_and_self_reference_excluded():
    text = "Số: 45/KH-UBND\n\nHà Nội, ngày 01 tháng 3 năm 2024\n\nKẾ HOẠCH\nTriển khai\n\nKế hoạch này thay thế Kế hoạch số 12/KH-UBND.\n"
    r = refs(text)
    assert [x.number for x in r] == ["12/KH-UBND"]
    assert r[0].relation == "replaces"


def test_list_items_take_the_lead_in_verb():
    text = ("NGHỊ ĐỊNH\nBãi bỏ một số nghị định\n\nĐiều 1. Bãi bỏ các nghị định\n\nBãi bỏ toàn bộ các nghị định sau đây:\n\n"
            "1. Nghị định số 35/2005/NĐ-CP ngày 17 tháng 3 năm 2005 của Chính phủ về việc xử lý kỷ luật.\n\n"
            "2. Nghị định số 27/2010/NĐ-CP ngày 24 tháng 3 năm 2010 của Chính phủ.\n")
    r = refs(text)
    assert [(x.number, x.relation) for x in r] == [("35/2005/NĐ-CP", "repeals"), ("27/2010/NĐ-CP", "repeals")]


def test_short_forms_and_aliases_across_a_line_break():
    from pipeline import extract_text

    text = ("TỈNH ỦY NGHỆ AN\nSố 45-KH/TU\nNghệ An, ngày 16 tháng 01 năm 2025\n\nKẾ HOẠCH\nthực hiện Nghị quyết "
            "số 57-NQ/TW\n\nThực hiện Nghị quyết số 57-NQ/TW, ngày 22-12-2024 của Bộ Chính trị (sau đây gọi tắt "
            "là Nghị quyết 57), Ban Thường vụ Tỉnh ủy xây dựng Kế hoạch như sau:\n1. Quán triệt Nghị quyết 57 "
            "đến cán bộ, đảng viên.\n2. Các cấp ủy cụ thể hóa mục tiêu của Nghị\nquyết 57 và Nghị quyết số\n57 "
            "phù hợp với địa phương.\n")
    rec = extract_text(text)
    shorts = [r for r in rec.references if r.number == "57-NQ/TW" and r.start > text.index("1. Quán")]
    assert len(shorts) == 3, [(r.text, r.start) for r in rec.references]


def test_cue_split_between_the_title_line_and_the_subject():
    from pipeline import extract_text

    head = ("BAN CHẤP HÀNH TRUNG ƯƠNG\n*\nSố 294-QĐ/TW\n\nĐẢNG CỘNG SẢN VIỆT NAM\nHà Nội, ngày 26 tháng 5 năm 2025\n\n"
            "QUY ĐỊNH\n{gap}THI HÀNH ĐIỀU LỆ ĐẢNG\n{gap}- Căn cứ Điều lệ Đảng;\n- Căn cứ Quy chế làm việc của Ban Chấp "
            "hành Trung ương,\nBộ Chính trị quy định thi hành Điều lệ Đảng như sau:\n")
    for gap in ("", "\n"):  # a PDF gives no blank line between the title and the subject; a text file does
        refs = extract_text(head.format(gap=gap)).references
        subject = [r for r in refs if r.zone == "subject"]
        assert subject and subject[0].relation == "guides" and subject[0].cue == "THI HÀNH", (gap, subject)
