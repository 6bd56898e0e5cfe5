import pytest

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


# --------------------------------------------------------------------------- issue 11: layouts, units, deadlines
# Team-written documents modelled on real ones (new names, numbers and wording).

HEAD = ("ỦY BAN NHÂN DÂN\nTỈNH HÀ GIANG\nSố: 214/UBND-VX\nHà Giang, ngày 12 tháng 5 năm 2025\n"
        "V/v triển khai chuyển đổi số trong trường học\n\n"
        "Kính gửi:\n- Sở Giáo dục và Đào tạo;\n- Sở Khoa học và Công nghệ;\n- Ủy ban nhân dân các xã, phường.\n\n")
TAIL = "\nNơi nhận:\n- Như trên;\n- Lưu: VT, VX.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLò Văn Sính\n"

SECTIONS = HEAD + """Ủy ban nhân dân tỉnh yêu cầu các cơ quan, đơn vị thực hiện các nội dung sau:
1. Sở Giáo dục và Đào tạo:
- Rà soát hạ tầng mạng của các trường trung học, báo cáo kết quả về Ủy ban nhân dân tỉnh trước ngày 30/6/2025.
- Tổ chức tập huấn kỹ năng số cho giáo viên trong quý III/2025.
2. Giao Công an tỉnh:
- Hướng dẫn các trường bảo đảm an toàn thông tin.
3. Ủy ban nhân dân các xã, phường:
a) Bố trí kinh phí mua sắm thiết bị trong tháng 8/2025.
b) Tuyên truyền để phụ huynh học sinh cài đặt ứng dụng sổ liên lạc điện tử.
""" + TAIL


def test_layout_sections_per_unit():
    tasks = flatten_tasks(extract_text(SECTIONS).tasks)
    by = {t.id: t for t in tasks}
    assert by["1.1"].actors == ["Sở Giáo dục và Đào tạo"] and by["1.1"].deadline.date == "2025-06-30"
    assert by["1.2"].actors == ["Sở Giáo dục và Đào tạo"] and by["1.2"].deadline.date == "2025-09-30"
    assert by["2.1"].actors == ["Công an tỉnh"] and by["2.1"].deadline is None  # a deadline stays in its bullet
    assert by["3.a"].actors == ["Ủy ban nhân dân các xã, phường"] and by["3.a"].deadline.date == "2025-08-31"
    assert by["3.a"].deadline.text == "trong tháng 8/2025"  # the printed phrase is kept
    assert by["3.b"].actors == ["Ủy ban nhân dân các xã, phường"]
    assert not any(t.text.startswith("Sở Giáo dục") for t in tasks)  # the heading itself is no task


ROLE_LINES = HEAD.replace("V/v triển khai chuyển đổi số trong trường học", "V/v phân công nhiệm vụ năm 2025") + """\
Ủy ban nhân dân tỉnh phân công thực hiện các nhiệm vụ sau:
1. Xây dựng cơ sở dữ liệu học bạ số toàn tỉnh.
- Đơn vị chủ trì: Sở Giáo dục và Đào tạo.
- Đơn vị phối hợp: Sở Khoa học và Công nghệ, Ủy ban nhân dân các xã, phường.
- Thời gian hoàn thành: Quý III/2025.
- Sản phẩm: Cơ sở dữ liệu được đưa vào vận hành.
2. Đánh giá mức độ an toàn thông tin của các hệ thống dùng chung.
Cơ quan chủ trì: Công an tỉnh
Thời hạn: 15/10/2025
""" + TAIL


def test_layout_role_lines():
    tasks = flatten_tasks(extract_text(ROLE_LINES).tasks)
    one, two = tasks
    assert one.id == "1" and one.actors == ["Sở Giáo dục và Đào tạo"]
    assert one.cooperating == ["Sở Khoa học và Công nghệ", "Ủy ban nhân dân các xã, phường"]
    assert one.deadline.date == "2025-09-30" and one.deadline.text == "Quý III/2025"
    assert one.deliverable == "Cơ sở dữ liệu được đưa vào vận hành"
    assert one.text == "Xây dựng cơ sở dữ liệu học bạ số toàn tỉnh."
    assert two.actors == ["Công an tỉnh"] and two.deadline.date == "2025-10-15"


SENTENCES = HEAD + """Thực hiện chỉ đạo của Bộ Giáo dục và Đào tạo, Chủ tịch Ủy ban nhân dân tỉnh có ý kiến như sau:
Sau khi Sở Tài chính thẩm định dự toán, giao Trung tâm Công nghệ thông tin và Truyền thông tỉnh chủ trì, phối hợp với \
Sở Giáo dục và Đào tạo triển khai phần mềm quản lý trường học trong 30 ngày kể từ ngày ký.
Đề nghị Ủy ban Mặt trận Tổ quốc tỉnh sớm vận động nhân dân tham gia giám sát việc triển khai.
Sở Khoa học và Công nghệ có trách nhiệm thẩm định các giải pháp kỹ thuật trước ngày 20/7/2025.
Yêu cầu UBND các xã, phường gửi danh sách trường học về Sở Giáo dục và Đào tạo trước ngày 05/6/2025.
Hiện nay toàn tỉnh có 120 trường học đã xuống cấp, thiếu thiết bị dạy học.
Công văn này thay thế Công văn số 98/UBND-VX ngày 02/3/2025 của Ủy ban nhân dân tỉnh.
Trân trọng./.
""" + TAIL


def test_layout_sentences_and_right_units():
    d = extract_text(SENTENCES)
    tasks = flatten_tasks(d.tasks)
    leads = [t.actors[0] for t in tasks]
    assert leads == ["Trung tâm Công nghệ thông tin và Truyền thông tỉnh", "Ủy ban Mặt trận Tổ quốc tỉnh",
                     "Sở Khoa học và Công nghệ", "Ủy ban nhân dân các xã, phường"]
    assert tasks[0].cooperating == ["Sở Giáo dục và Đào tạo"]
    assert tasks[0].deadline.date == "2025-06-11"  # the document date + 30 days
    assert tasks[0].deadline.text.startswith("trong 30 ngày kể từ ngày ký")
    assert tasks[1].deadline is None  # never the document's own date
    assert tasks[2].deadline.date == "2025-07-20" and tasks[3].deadline.date == "2025-06-05"
    texts = " ".join(t.text for t in tasks)
    assert "xuống cấp" not in texts and "thay thế" not in texts and "Trân trọng" not in texts


DECISION = """ỦY BAN NHÂN DÂN
TỈNH HÀ GIANG
Số: 377/QĐ-UBND
Hà Giang, ngày 03 tháng 6 năm 2025
QUYẾT ĐỊNH
Về việc thành lập Tổ công tác chuyển đổi số ngành giáo dục
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH
Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;
QUYẾT ĐỊNH:
Điều 1. Thành lập Tổ công tác chuyển đổi số ngành giáo dục tỉnh Hà Giang.
Điều 2. Tổ công tác có nhiệm vụ tham mưu triển khai các giải pháp chuyển đổi số.
Điều 3. Quyết định này có hiệu lực kể từ ngày ký.
Chánh Văn phòng Ủy ban nhân dân tỉnh; Giám đốc các Sở: Giáo dục và Đào tạo, Khoa học và Công nghệ; Chủ tịch Ủy ban \
nhân dân các xã, phường và các thành viên Tổ công tác chịu trách nhiệm thi hành Quyết định này./.
Nơi nhận:
- Như Điều 3;
- Lưu: VT.
CHỦ TỊCH

Hầu Văn Lý
"""


def test_decision_execution_clause_is_one_task_for_the_bodies_named():
    tasks = flatten_tasks(extract_text(DECISION).tasks)
    execution = [t for t in tasks if "chịu trách nhiệm thi hành" in t.text]
    assert len(execution) == 1
    lead = execution[0].actors[0]
    assert lead.startswith("Chánh Văn phòng Ủy ban nhân dân tỉnh") and "Chủ tịch Ủy ban nhân dân các xã" in lead
    assert not any("có hiệu lực" in t.text and t is not execution[0] for t in tasks)  # the effect clause


REPORTS = HEAD + """Đề nghị các đơn vị thực hiện:
1. Sở Giáo dục và Đào tạo tổ chức hội nghị sơ kết trong quý IV/2025, gửi báo cáo kết quả về Ủy ban nhân dân tỉnh \
(qua Văn phòng Ủy ban nhân dân tỉnh) trước ngày 20/10/2025.
2. Ủy ban nhân dân các xã, phường báo cáo tiến độ về Sở Giáo dục và Đào tạo trước ngày 25 hằng tháng.
3. Sở Khoa học và Công nghệ tổng hợp số liệu 6 tháng đầu năm, báo cáo Ủy ban nhân dân tỉnh.
""" + TAIL


def test_report_obligations_and_deadlines():
    tasks = {t.id: t for t in flatten_tasks(extract_text(REPORTS).tasks)}
    one = tasks["1"]
    assert one.deadline.date == "2025-10-20"  # the submission day beats the event's quarter
    assert one.report_to == "Ủy ban nhân dân tỉnh" and one.actors == ["Sở Giáo dục và Đào tạo"]
    two = tasks["2"]
    assert two.kind == "report" and two.report_to == "Sở Giáo dục và Đào tạo"
    assert two.rrule == "FREQ=MONTHLY;BYMONTHDAY=25" and two.deadline.date is None
    assert tasks["3"].deadline.date == "2025-06-30"


def test_group_actor_kept_as_group():
    text = HEAD + "Đề nghị các sở, ban, ngành rà soát thủ tục hành chính trước ngày 15/7/2025.\n" + TAIL
    (t,) = flatten_tasks(extract_text(text).tasks)
    assert t.actors == ["các sở, ban, ngành"]


def test_items_numbered_past_99_are_all_tasks():
    items = "".join(f"{i}. Sở Xây dựng kiểm tra công trình số {i} và báo cáo kết quả.\n" for i in range(1, 261))
    d = extract_text(HEAD + "II. NHIỆM VỤ\n" + items + TAIL)
    tasks = flatten_tasks(d.tasks)
    assert len(tasks) == 260 and tasks[-1].id == "II.260" and tasks[149].text.endswith("số 150 và báo cáo kết quả.")
    assert not any("skipped" in w for w in d.warnings)


def test_dropped_paragraphs_are_a_warning():
    d = extract_text(HEAD + "II. NHIỆM VỤ\n1. " + "Sở Xây dựng kiểm tra công trình " * 900 + ".\n" + TAIL)
    assert any("skipped in the task search" in w for w in d.warnings)


# --------------------------------------------------------------------------- task tables (layout 3)

TABLE_CELLS = HEAD + """Ủy ban nhân dân tỉnh giao nhiệm vụ theo bảng sau:

STT
Nội dung nhiệm vụ
Cơ quan chủ trì
Cơ quan phối hợp
Thời gian hoàn thành
Ghi chú
1
Số hóa hồ sơ tuyển sinh đầu cấp
Sở Giáo dục và Đào tạo
Sở Khoa học và Công nghệ
Tháng 8/2025

2
Kiểm tra an toàn thông tin các cổng tuyển sinh
Công an tỉnh
Sở Giáo dục và Đào tạo
Trước 30/9/2025

""" + TAIL

TABLE_TABS = HEAD + ("TT\tNhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tTiến độ\t\n"
                     "1\tSố hóa hồ sơ tuyển sinh đầu cấp\tSở Giáo dục và Đào tạo\tSở Khoa học và Công nghệ\tQuý III/2025\t\n"
                     "2\tKiểm tra an toàn thông tin\tCông an tỉnh\t\tThường xuyên\t\n") + TAIL

TABLE_LAYOUT = HEAD + """
TT             Nội dung                        Cơ quan chủ trì        Cơ quan phối hợp       Thời gian
 1   Số hóa hồ sơ tuyển sinh đầu cấp của       Sở Giáo dục và         Sở Khoa học và         Tháng 8/2025
     các trường trung học                      Đào tạo                Công nghệ
 2   Kiểm tra an toàn thông tin các cổng       Công an tỉnh           Sở Giáo dục và         Quý IV/2025
     tuyển sinh trực tuyến                                            Đào tạo
""" + TAIL


@pytest.mark.parametrize("text", [TABLE_CELLS, TABLE_TABS, TABLE_LAYOUT], ids=["cells", "tabs", "layout"])
def test_task_tables_in_text(text):
    tasks = [t for t in flatten_tasks(extract_text(text).tasks) if t.label in ("1", "2")]
    assert [t.label for t in tasks] == ["1", "2"]
    one, two = tasks
    assert one.text.startswith("Số hóa hồ sơ tuyển sinh đầu cấp")
    assert one.actors == ["Sở Giáo dục và Đào tạo"] and one.cooperating == ["Sở Khoa học và Công nghệ"]
    assert one.deadline.date in ("2025-08-31", "2025-09-30")
    assert two.actors == ["Công an tỉnh"]


def test_table_without_units_is_not_a_task_table():
    agenda = HEAD + ("TT\tNội dung\tChủ trì\tThời gian\t\n1\tKhai mạc hội nghị\t\t8h00\t\n"
                     "2\tThảo luận\t\t9h00\t\n3\tBế mạc\t\t11h00\t\n") + TAIL
    d = extract_text(agenda)
    assert not any(t.text in ("Khai mạc hội nghị", "Thảo luận", "Bế mạc") for t in flatten_tasks(d.tasks))


# --------------------------------------------------------------------------- DOCX and PDF


def _docx(path, paragraphs, table=None):
    import docx

    doc = docx.Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    if table:
        t = doc.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                t.cell(i, j).text = cell
        # a grouped row: the unit cell spans rows 2 and 3
        if len(table) > 3:
            t.cell(2, 2).merge(t.cell(3, 2))
            t.cell(2, 2).text = table[2][2]
    doc.save(str(path))
    return path


def test_docx_sections_and_table(tmp_path):
    from pipeline.extract import extract_one

    paras = [ln for ln in SECTIONS.split(TAIL)[0].splitlines() if ln.strip()]
    table = [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"],
             ["1", "Số hóa hồ sơ tuyển sinh", "Sở Giáo dục và Đào tạo", "Sở Khoa học và Công nghệ", "Tháng 8/2025"],
             ["2", "Lắp đặt camera tại điểm thi", "Công an tỉnh", "Sở Giáo dục và Đào tạo", "Quý III/2025"],
             ["3", "Kiểm tra đường truyền", "Công an tỉnh", "", "Thường xuyên"]]
    path = _docx(tmp_path / "cv.docx", paras + ["Các nhiệm vụ khác theo bảng sau:"], table)
    d = extract_one(path)
    by = {t.id: t for t in flatten_tasks(d.tasks)}
    assert by["1.1"].actors == ["Sở Giáo dục và Đào tạo"] and by["1.1"].deadline.date == "2025-06-30"
    rows = [t for t in flatten_tasks(d.tasks) if t.label in ("1", "2", "3")]
    assert [t.actors for t in rows] == [["Sở Giáo dục và Đào tạo"], ["Công an tỉnh"], ["Công an tỉnh"]]
    assert rows[1].deadline.date == "2025-09-30" and rows[2].deadline.text == "Thường xuyên"


def _ruled_table_pdf(path, header_lines, rows):
    """A one-page PDF: text lines, then a ruled table (every cell boxed) that pdfplumber's finder can see."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as c

    from tests.read.hostile import find_font

    font_file = find_font()
    if font_file is None:
        pytest.skip("no TrueType font with Vietnamese glyphs")
    doc = pdfium.PdfDocument.new()
    data = open(font_file, "rb").read()
    buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    font = c.FPDFText_LoadFont(doc.raw, buf, len(data), c.FPDF_FONT_TRUETYPE, 1)
    page = doc.new_page(842, 595)

    def text(x, y, s, size=9):
        obj = c.FPDFPageObj_CreateTextObj(doc.raw, font, size)
        ws = ctypes.create_string_buffer((s + "\0").encode("utf-16-le"))
        c.FPDFText_SetText(obj, ctypes.cast(ws, ctypes.POINTER(c.FPDF_WCHAR)))
        c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
        c.FPDFPage_InsertObject(page.raw, obj)

    def line(x0, y0, x1, y1):
        obj = c.FPDFPageObj_CreateNewPath(x0, y0)
        c.FPDFPath_LineTo(obj, x1, y1)
        c.FPDFPath_SetDrawMode(obj, 0, True)
        c.FPDFPageObj_SetStrokeColor(obj, 0, 0, 0, 255)
        c.FPDFPageObj_SetStrokeWidth(obj, 0.8)
        c.FPDFPage_InsertObject(page.raw, obj)

    y = 560
    for ln in header_lines:
        text(40, y, ln, 10)
        y -= 14
    cols = [40, 80, 330, 480, 650, 800]
    top = y - 10
    row_h = 24
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            text(cols[j] + 3, top - row_h * i - 15, cell)
    bottom = top - row_h * len(rows)
    for i in range(len(rows) + 1):
        line(cols[0], top - row_h * i, cols[-1], top - row_h * i)
    for x in cols:
        line(x, top, x, bottom)
    page.gen_content()
    page.close()
    doc.save(str(path))
    doc.close()
    return path


def test_pdf_task_table_through_pdfplumber(tmp_path):
    from pipeline.extract import extract_one

    head = ["ỦY BAN NHÂN DÂN TỈNH HÀ GIANG", "Số: 215/UBND-VX", "Hà Giang, ngày 12 tháng 5 năm 2025",
            "V/v giao nhiệm vụ chuyển đổi số", "Kính gửi: Sở Giáo dục và Đào tạo",
            "Ủy ban nhân dân tỉnh giao các nhiệm vụ sau:"]
    rows = [["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"],
            ["1", "Số hóa hồ sơ tuyển sinh", "Sở Giáo dục và Đào tạo", "Sở Khoa học và Công nghệ", "Tháng 8/2025"],
            ["2", "Kiểm tra an toàn thông tin", "Công an tỉnh", "Sở Giáo dục và Đào tạo", "Quý IV/2025"]]
    path = _ruled_table_pdf(tmp_path / "bang.pdf", head, rows)
    d = extract_one(path)
    tasks = [t for t in flatten_tasks(d.tasks) if t.label in ("1", "2")]
    assert [(t.text, t.actors, t.cooperating, t.deadline.date) for t in tasks] == [
        ("Số hóa hồ sơ tuyển sinh", ["Sở Giáo dục và Đào tạo"], ["Sở Khoa học và Công nghệ"], "2025-08-31"),
        ("Kiểm tra an toàn thông tin", ["Công an tỉnh"], ["Sở Giáo dục và Đào tạo"], "2025-12-31")]


def test_pdf_role_lines(tmp_path):
    from pipeline.extract import extract_one
    from tests.read.hostile import find_font, vietnamese_pdf

    if find_font() is None:
        pytest.skip("no TrueType font with Vietnamese glyphs")
    lines = [ln for ln in ROLE_LINES.splitlines() if ln.strip()]
    items = [(50, 800 - 16 * i, 10, ln) for i, ln in enumerate(lines)]
    d = extract_one(vietnamese_pdf(tmp_path / "vai-tro.pdf", [items]))
    one = next(t for t in flatten_tasks(d.tasks) if t.text.startswith("Xây dựng cơ sở dữ liệu"))
    assert one.actors == ["Sở Giáo dục và Đào tạo"] and one.deadline.date == "2025-09-30"


def test_typed_group_with_listed_names():
    text = HEAD + ("Giao các sở: Tài chính, Nông nghiệp và Môi trường, Giáo dục và Đào tạo hướng dẫn các trường "
                   "lập dự toán trước ngày 30/8/2025.\n") + TAIL
    (t,) = flatten_tasks(extract_text(text).tasks)
    assert t.actors == ["Sở Tài chính, Sở Nông nghiệp và Môi trường, Sở Giáo dục và Đào tạo"]
    assert t.deadline.date == "2025-08-30"


def test_unit_heading_in_capitals():
    text = HEAD + ("II. NHIỆM VỤ CỤ THỂ\n1. SỞ TÀI CHÍNH\na) Thẩm định dự toán mua sắm thiết bị trong tháng 7/2025.\n"
                   "b) Hướng dẫn thanh quyết toán kinh phí.\n2. CÔNG AN TỈNH\na) Kiểm tra an ninh mạng các trường học.\n") + TAIL
    tasks = {t.id: t for t in flatten_tasks(extract_text(text).tasks)}
    assert tasks["II.1.a"].actors == ["Sở Tài chính"] and tasks["II.1.a"].deadline.date == "2025-07-31"
    assert tasks["II.1.b"].actors == ["Sở Tài chính"] and tasks["II.2.a"].actors == ["Công an tỉnh"]


@pytest.mark.parametrize("raw, unit", [
    ("UBND tỉnh sớm", "Ủy ban nhân dân tỉnh"),
    ("Ủy ban MTTQ tỉnh", "Ủy ban Mặt trận Tổ quốc tỉnh"),
    ("LĐLĐ các huyện", "Liên đoàn Lao động các huyện"),
    ("Sau khi Sở Tài chính công bố kết quả, giao Trung tâm Dịch vụ việc làm tỉnh", "Trung tâm Dịch vụ việc làm tỉnh"),
    ("Sở Xây dựng theo chức năng, nhiệm vụ được giao", "Sở Xây dựng"),
    ("Trong phạm vi thẩm quyền của mình, Bộ Tư pháp", "Bộ Tư pháp"),
    ("các sở, ban, ngành", "các sở, ban, ngành"),
    ("Đồng thời", None),
    ("Tổ chức", None),
    ("Trường hợp cần thiết", None),
])
def test_clean_actor(raw, unit):
    from pipeline.extract.actor_phrases import clean_actor

    assert clean_actor(raw) == unit


def test_short_name_resolves_to_the_full_name_used_before():
    from pipeline.extract.tasks import resolve_short_name

    text = "Ngày 02/5/2025, Trung tâm Dịch vụ việc làm tỉnh đã báo cáo. Giao Trung tâm tổ chức sàn giao dịch."
    assert resolve_short_name("Trung tâm", text, text.index("Giao")) == "Trung tâm Dịch vụ việc làm tỉnh"
    assert resolve_short_name("Trung tâm", text, 5) == "Trung tâm"  # nothing named before


# --------------------------------------------------------------------------- where the lead unit is written

ACTOR_PLACES = """ỦY BAN NHÂN DÂN
TỈNH NINH BÌNH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 88/KH-UBND
Ninh Bình, ngày 3 tháng 3 năm 2025

KẾ HOẠCH
Tăng cường quản lý chợ đầu mối năm 2025

I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao hiệu quả quản lý.

II. NHIỆM VỤ, GIẢI PHÁP
1. Sở Công Thương:
a) Chủ trì kiểm tra hoạt động các chợ đầu mối trước ngày 30/6/2025.
b) Trong quá trình thực hiện, Thủ trưởng các đơn vị chủ động phối hợp với Sở Tài chính, Sở Xây dựng để kịp thời tháo gỡ vướng mắc.
c) Trong quá trình triển khai Chủ tịch Ủy ban nhân dân các xã chủ động phối
hợp với Công an tỉnh để xử lý vi phạm.
d) Yêu cầu các hộ kinh doanh niêm yết giá bán hàng hóa.
đ) Ủy ban nhân dân tỉnh yêu cầu Giám đốc các sở, ban, ngành triển khai thực hiện nghiêm túc nội dung này.
2. Sở Xây dựng được giao chủ trì rà soát quy hoạch mạng lưới chợ, hoàn thành trong quý III/2025.
3. Giao cho Sở Nông nghiệp và Môi trường chủ trì hướng dẫn xử lý chất thải tại chợ.
4. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội tỉnh tăng cường tuyên truyền, vận động tiểu thương.
5. Tổ chức tập huấn cho ban quản lý chợ (Sở Văn hóa, Thể thao và Du lịch chủ trì, các cơ quan liên quan phối hợp).
6. Hướng dẫn các hộ kinh doanh đăng ký thuế: giao Thuế tỉnh Ninh Bình thực hiện.
7. Kiểm tra an toàn thực phẩm tại chợ do Sở Y tế chủ trì thực hiện.
8. Rà soát các điểm họp chợ tự phát (Một số điểm cần ưu tiên thực hiện trước mùa mưa).
"""


@pytest.fixture(scope="module")
def actor_places():
    return {t.id: t for t in flatten_tasks(extract_text(ACTOR_PLACES).tasks)}


@pytest.mark.parametrize("tid, actor", [
    ("II.1.a", "Sở Công Thương"),  # the unit's heading
    ("II.1.b", "Thủ trưởng các đơn vị"),  # subject after a fronted adverbial and a comma
    ("II.1.c", "Chủ tịch Ủy ban nhân dân các xã"),  # … without the comma, a verb cut by the line end
    ("II.1.d", "Sở Công Thương"),  # "Yêu cầu X …" under the heading: the unit requires it of X
    ("II.1.đ", "Giám đốc các sở, ban, ngành"),  # "<issuer> yêu cầu X": the work is handed on to X
    ("II.2", "Sở Xây dựng"),  # passive "được giao"
    ("II.3", "Sở Nông nghiệp và Môi trường"),  # "Giao cho X"
    ("II.4", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội tỉnh"),  # "các tổ chức": a noun
    ("II.5", "Sở Văn hóa, Thể thao và Du lịch"),  # "(X chủ trì, Y phối hợp)" after the work
    ("II.6", "Thuế tỉnh Ninh Bình"),  # "…: giao X thực hiện" after the work
    ("II.7", "Sở Y tế"),  # "… do X chủ trì"
])
def test_lead_unit_wherever_it_is_written(actor_places, tid, actor):
    assert actor_places[tid].actors[:1] == [actor]


def test_parenthesis_without_a_unit_names_no_actor(actor_places):
    assert actor_places["II.8"].actors == [] or "Một số" not in actor_places["II.8"].actors[0]
    assert actor_places["II.1.b"].cooperating == ["Sở Tài chính", "Sở Xây dựng"]


def test_item_naming_whose_duties_follow():
    text = ACTOR_PLACES.split("II. NHIỆM VỤ")[0] + """II. NHIỆM VỤ, GIẢI PHÁP
1. Trách nhiệm của Sở Tư pháp
- Hướng dẫn các chợ lắp đặt thiết bị thanh toán không dùng tiền mặt.
- Tổng hợp kết quả, báo cáo UBND tỉnh trước ngày 20/11/2025.
"""
    tasks = flatten_tasks(extract_text(text).tasks)
    assert len(tasks) == 2 and all(t.actors == ["Sở Tư pháp"] for t in tasks)
