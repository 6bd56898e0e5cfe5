"""Issue 16 §9: each header field says how sure it is, and the doubtful ones are listed for review."""

from pipeline import extract_text
from pipeline.extract import extract_from_text
from pipeline.extract.confidence import HEADER_FIELDS, REVIEW_BELOW
from pipeline.models import Dispatch, Source, Text

PLAIN = ("SỞ TƯ PHÁP TỈNH KON TUM          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
         "                                  Độc lập - Tự do - Hạnh phúc\n"
         "Số: 318/STP-VP                   Kon Tum, ngày 14 tháng 8 năm 2026\n"
         "V/v tổ chức tập huấn nghiệp vụ hộ tịch\n\n"
         "Kính gửi: Ủy ban nhân dân các xã, phường.\n\nSở Tư pháp đề nghị các đơn vị cử cán bộ tham dự.\n\n"
         "Nơi nhận:                                   GIÁM ĐỐC\n- Như trên;\n- Lưu: VT.\n\n"
         "                                            Nguyễn Thị Lan\n")


def _reasons(d: Dispatch) -> dict[str, str]:
    return {r["field"]: r["reason"] for r in d.needs_review}


def test_plain_letterhead_is_sure_of_every_field():
    d = extract_text(PLAIN)
    assert set(d.confidence) == set(HEADER_FIELDS)
    assert all(v >= 0.85 for v in d.confidence.values()) and d.needs_review == []


def test_missing_letterhead_is_inferred():
    d = extract_text("Số: 215/LĐLĐ\n\nĐắk Lắk, ngày 09 tháng 4 năm 2025\n\nV/v tổ chức Tháng Công nhân\n\n"
                     "Kính gửi: Các công đoàn cơ sở.\n\nBan Thường vụ LĐLĐ tỉnh đề nghị các công đoàn cơ sở thực hiện.\n")
    assert _reasons(d)["issuer"] == "inferred" and d.confidence["issuer"] < REVIEW_BELOW
    assert _reasons(d)["signer"] == "missing" and d.confidence["signer"] == 0.0


def test_blank_serial_and_day_of_an_unsigned_copy():
    d = extract_text(PLAIN.replace("Số: 318/STP-VP", "Số:     /STP-VP").replace("ngày 14 tháng", "ngày    tháng"))
    assert d.number.serial is None and d.date is None
    assert _reasons(d)["number"] == "blank_serial" and _reasons(d)["date"] == "blank_day"


def test_ocr_page_confidence_caps_every_found_field():
    low = Text(PLAIN, Source(path="scan.pdf", sha256="0", format="pdf", ocr=True, ocr_confidence=[62.0, 80.0]))
    d = extract_from_text(low)
    assert d.confidence["subject"] == 0.62 and _reasons(d)["subject"] == "ocr"
    assert d.number.serial is None and _reasons(d)["number"] == "weak_serial"  # 62 < 70: serial not trusted
    good = Text(PLAIN, Source(path="scan.pdf", sha256="0", format="pdf", ocr=True, ocr_confidence=[93.0]))
    d = extract_from_text(good)
    assert d.number.serial == "318" and d.needs_review == []


def test_conflicting_year_of_a_normative_number():
    text = ("BỘ NỘI VỤ                        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "                                  Độc lập - Tự do - Hạnh phúc\n"
            "Số: 06/2025/TT-BNV               Hà Nội, ngày 03 tháng 4 năm 2026\n\n"
            "THÔNG TƯ\nHướng dẫn quản lý hồ sơ công chức\n\nCăn cứ Luật Cán bộ, công chức;\n")
    d = extract_text(text)
    assert d.date == "2026-04-03" and _reasons(d)["date"] == "conflicting"
    assert any("not in the year of the number" in w for w in d.warnings)


def test_record_with_confidence_validates_and_round_trips():
    from pipeline.schema import validate

    d = extract_text(PLAIN.replace("Số: 318/STP-VP", "Số: (ở /STP-VP"))
    data = d.to_dict()
    validate(data)
    assert data["needs_review"][0]["field"] == "number"
    back = Dispatch.from_dict(data)
    assert back.confidence == d.confidence and back.needs_review == d.needs_review
