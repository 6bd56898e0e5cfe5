"""A deadline printed in one item stays in that item, and a dated report obligation after the list is a task of
the bodies it names (team-written dispatch in the shape of a union's implementation letter)."""

from __future__ import annotations

from pipeline import extract_text
from pipeline.extract.tasks import flatten_tasks

TEXT = """LIÊN ĐOÀN LAO ĐỘNG TỈNH HÀ NAM
Số: 318/LĐLĐ-TG
V/v hưởng ứng Tháng hành động vì an toàn vệ sinh lao động năm 2025

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Nam, ngày 10 tháng 4 năm 2025

Kính gửi: Các công đoàn cơ sở trực thuộc.

Thực hiện Kế hoạch số 45/KH-TLĐ ngày 20/3/2025 của Tổng Liên đoàn Lao động Việt Nam, Ban Thường vụ Liên đoàn Lao động tỉnh đề nghị các công đoàn cơ sở thực hiện một số nội dung sau:

1. Tuyên truyền nội dung Tháng hành động đến đoàn viên, người lao động; treo băng rôn, khẩu hiệu tại nơi làm việc.

2. Mỗi công đoàn cơ sở phối hợp với người sử dụng lao động tổ chức ít nhất 01 buổi huấn luyện về an toàn vệ sinh lao động; hoàn thành trong tháng 5/2025.

3. Gắn hoạt động Tháng hành động với phong trào thi đua "Xanh - Sạch - Đẹp"; lồng ghép nội dung phòng chống cháy nổ.

Các công đoàn cơ sở báo cáo kết quả thực hiện về Liên đoàn Lao động tỉnh (qua Ban Tuyên giáo) trước ngày 15/6/2025 để tổng hợp./.

Nơi nhận:
- Như kính gửi;
- Lưu: VT, TG.

TM. BAN THƯỜNG VỤ
PHÓ CHỦ TỊCH

Trần Văn Hòa
"""


def test_item_deadlines_stay_in_their_item_and_the_closing_report_is_a_task():
    tasks = flatten_tasks(extract_text(TEXT).tasks)
    assert len(tasks) == 4
    by_text = {t.text.split()[0]: t for t in tasks}
    assert by_text["Tuyên"].deadline is None and by_text["Gắn"].deadline is None
    assert by_text["Mỗi"].deadline.date == "2025-05-31"
    report = by_text["Các"]
    assert report.deadline.date == "2025-06-15" and report.actors[0].startswith("Các công đoàn cơ sở")
