from pipeline import extract_text
from pipeline.extract.tasks import flatten_tasks

PLAN = """ỦY BAN NHÂN DÂN
TỈNH THANH HÓA
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 16/KH-UBND
Thanh Hóa, ngày 19 tháng 7 năm 2024

KẾ HOẠCH
Phòng, chống dịch bệnh mùa mưa bão năm 2024

I. MỤC ĐÍCH, YÊU CẦU
1. Chủ động phát hiện sớm, khoanh vùng dịch.

II. NHIỆM VỤ, GIẢI PHÁP
1. Sở Y tế
a) Chủ trì, phối hợp với các sở, ngành theo dõi chặt chẽ tình hình dịch bệnh, hoàn thành trước ngày 31/7/2024.
b) Tổng hợp kết quả, báo cáo UBND tỉnh hằng quý.
2. Sở Tài chính chủ trì, phối hợp với Sở Y tế tham mưu bố trí kinh phí trong quý III/2024.

III. TỔ CHỨC THỰC HIỆN
Các sở, ngành báo cáo kết quả thực hiện về Sở Y tế trước ngày 05/12 để tổng hợp.
"""


def test_plan_tasks_actors_deadlines():
    d = extract_text(PLAN)
    tasks = flatten_tasks(d.tasks)
    ids = [t.id for t in tasks]
    assert "I.1" not in ids  # background section
    by = {t.id: t for t in tasks}
    assert by["II.1.a"].actors == ["Sở Y tế"] and by["II.1.a"].deadline.date == "2024-07-31"
    assert by["II.1.b"].recurrence == "quarterly" and by["II.1.b"].rrule == "FREQ=MONTHLY;INTERVAL=3"
    assert by["II.2"].actors == ["Sở Tài chính"] and by["II.2"].deadline.date == "2024-09-30"
    reports = {t.report_to: t for t in tasks if t.kind == "report"}
    assert reports["UBND tỉnh"].id == "II.1.b"
    final = next(t for to, t in reports.items() if to.startswith("Sở Y tế"))
    assert final.deadline.date == "2024-12-05" and final.actors == ["Các sở, ngành"]


def test_seed_like_lead_in_and_sentence_tasks():
    text = ("Số: 1/LĐLĐ\n\nLai Châu, ngày 07 tháng 6 năm 2023\n\nV/v học tập\n\nKính gửi: Các công đoàn.\n\n"
            "Ban Thường vụ LĐLĐ tỉnh yêu cầu các cấp công đoàn tập trung thực hiện một số nội dung sau:\n\n"
            "1. Đẩy mạnh tuyên truyền. Hằng năm đưa vào chương trình công tác.\n\n2. Cụ thể hóa nội dung học tập.\n\n"
            "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nTM. BAN THƯỜNG VỤ\nPHÓ CHỦ TỊCH\n\nHoàng Văn An\n")
    d = extract_text(text)
    assert [(t.id, t.actors, t.recurrence) for t in d.tasks] == [
        ("1", ["các cấp công đoàn"], "yearly"), ("2", ["các cấp công đoàn"], None)]


def test_single_sentence_assignment():
    d = extract_text("Số: 3/UBND-NC\n\nLâm Đồng, ngày 01 tháng 12 năm 2025\n\nV/v triển khai\n\nKính gửi: Công an tỉnh\n\n"
                     "Chủ tịch Ủy ban nhân dân tỉnh giao Công an tỉnh nghiên cứu, tham mưu, báo cáo trước ngày 15/12/2025.\n")
    assert len(d.tasks) == 1 and d.tasks[0].actors == ["Công an tỉnh"]
    assert d.tasks[0].deadline.date == "2025-12-15"
