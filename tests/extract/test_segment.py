from pipeline.extract.segment import segment
from pipeline.normalize import normalize

LAYOUT = """             BỘ NỘI VỤ                          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
                                                            Độc lập - Tự do - Hạnh phúc

      Số: 812 /BNV-CCHC                               Hà Nội, ngày 18 tháng 9 năm 2025
 V/v lấy ý kiến góp ý dự thảo Báo cáo
sơ kết cải cách hành chính

                 Kính gửi:
                                - Các bộ, cơ quan ngang bộ;
                                - Ủy ban nhân dân các tỉnh, thành phố.

           Bộ Nội vụ đề nghị các bộ, cơ quan ngang bộ nghiên cứu, góp ý dự thảo.
    Nơi nhận:                                                             KT. BỘ TRƯỞNG
    - Như trên;                                                            THỨ TRƯỞNG
    - Vụ/Ban TCCB, đ/v thường trực CCHC
    của các bộ, cơ quan ngang bộ;
    - Lưu: VT, CCHC.
                                                                            Nguyễn Văn An
"""

DOCX_ORDER = """ỦY BAN NHÂN DÂN
TỈNH LÂM ĐỒNG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số:             /UBND-NC
    Lâm Đồng, ngày         tháng 12  năm 2025
V/v tham mưu triển khai Hướng dẫn số 46/HD-BCA-C04 của Bộ Công an
Kính gửi: Công an tỉnh
Chủ tịch Ủy ban nhân dân tỉnh giao Công an tỉnh nghiên cứu, tham mưu.
Nơi nhận:
- Như trên;
- Lưu: VT, NC.
TL. CHỦ TỊCH
CHÁNH VĂN PHÒNG



Trần Văn Bình
"""


def cells(z, spans):
    return [z.slice(c) for c in spans]


def test_two_column_layout():
    z = segment(normalize(LAYOUT))
    assert cells(z, z.issuer_cells) == ["BỘ NỘI VỤ"]
    assert z.slice(z.number) == "812 /BNV-CCHC"
    assert z.date_line.place == "Hà Nội" and z.date_line.date == "2025-09-18"
    assert z.subject_is_vv and len(z.subject) == 2
    assert len(z.recipients) == 2
    assert [" ".join(z.slice(c) for c in item) for item in z.cc] == [
        "- Như trên;", "- Vụ/Ban TCCB, đ/v thường trực CCHC của các bộ, cơ quan ngang bộ;", "- Lưu: VT, CCHC."]
    assert cells(z, z.signature) == ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Nguyễn Văn An"]


def test_flattened_docx_order_and_blank_serial():
    z = segment(normalize(DOCX_ORDER))
    assert cells(z, z.issuer_cells) == ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"]
    assert z.slice(z.number) == "/UBND-NC"
    assert z.date_line.blank_day and z.date_line.date is None and z.date_line.month == 12
    assert cells(z, z.recipients) == ["Công an tỉnh"]
    assert cells(z, z.signature)[-1] == "Trần Văn Bình"


def test_party_header_with_number_split_over_lines():
    text = "TỈNH ỦY NGHỆ AN\n*\nSố 45-\nKH/TU\nĐẢNG CỘNG SẢN VIỆT NAM\nNghệ An, ngày 16 tháng 01 năm 2025\n\nKẾ HOẠCH\nthực hiện Nghị quyết số 57-NQ/TW\n-----\nNội dung.\n"
    z = segment(normalize(text))
    assert z.family_signal == "party"
    assert " ".join(z.slice(z.number).split()) == "45- KH/TU"
    assert z.slice(z.title) == "KẾ HOẠCH"
    assert cells(z, z.subject) == ["thực hiện Nghị quyết số 57-NQ/TW"]


def test_no_letterhead():
    z = segment(normalize("Số: 1244/LĐLĐ\n\nLai Châu, ngày 07 tháng 6 năm 2023\n\nV/v học tập\n\nNội dung.\n"))
    assert z.issuer_cells == [] and z.slice(z.number) == "1244/LĐLĐ"


def test_copy_list_item_wrapped_before_an_abbreviation():
    from pipeline import extract_text

    text = ("LIÊN ĐOÀN LAO ĐỘNG TỈNH NINH BÌNH\nSố: 77/LĐLĐ\nV/v hưởng ứng Tháng Công nhân\n\n"
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nNinh Bình, ngày 02 tháng 4 năm 2025\n\n"
            "Kính gửi: Các công đoàn cơ sở trực thuộc.\n\nĐề nghị các công đoàn cơ sở tổ chức hưởng ứng./.\n\n"
            "Nơi nhận:\n- Như kính gửi;\n- Các đồng chí Ủy viên Ban Thường vụ\nLĐLĐ;\n- Lưu: VT.\n\n"
            "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH\n\nĐinh Thị Mai\n")
    d = extract_text(text)
    assert d.cc == ["Như kính gửi", "Các đồng chí Ủy viên Ban Thường vụ LĐLĐ", "Lưu: VT"]
    assert d.signer.name == "Đinh Thị Mai" and d.signer.title == "CHỦ TỊCH"
