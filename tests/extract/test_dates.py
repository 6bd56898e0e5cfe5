from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract.dates import find_body_dates, find_date_line


def test_date_line_forms():
    d = find_date_line("Lai Châu, ngày 07 tháng 6 năm 2023")
    assert (d.place, d.date) == ("Lai Châu", "2023-06-07")
    d = find_date_line("Số: 1893/QĐ-ĐDN                   Nam Định, ngày 09 tháng 12 năm 2019")
    assert (d.place, d.date) == ("Nam Định", "2019-12-09")
    d = find_date_line("Đông Tiến, ngày 20 tháng 07 năm 2025")
    assert d.date == "2025-07-20"
    # the real typo of 933/QĐ-TLĐ
    assert find_date_line("Hà Nội, ngày 05 tháng 3 tháng 2020").date == "2020-03-05"


def test_blank_day_is_null_not_the_first():
    d = find_date_line("Lâm Đồng, ngày         tháng 12  năm 2025")
    assert d.blank_day and d.date is None and d.month == 12 and d.year == 2025
    d = find_date_line("Hà Nội, ngày ... tháng 6 năm 2023")
    assert d.date is None


def test_invalid_calendar_day():
    d = find_date_line("Hà Nội, ngày 31 tháng 2 năm 2023")
    assert d.date is None and not d.blank_day


def test_body_dates():
    found = [iso for _s, _e, iso in find_body_dates("ngày 25/5/2023, ngày 18-5-2021 và ngày 25 tháng 5 năm 2023")]
    assert found == ["2023-05-25", "2021-05-18", "2023-05-25"]


@given(st.dates(min_value=__import__("datetime").date(1990, 1, 1), max_value=__import__("datetime").date(2035, 12, 31)),
       st.booleans(), st.sampled_from(["Hà Nội", "Lai Châu", "Thành phố Hồ Chí Minh", "Buôn Ma Thuột"]))
def test_date_line_roundtrip(day, pad, place):
    dd = f"{day.day:02d}" if pad or day.day < 10 else str(day.day)
    mm = f"{day.month:02d}" if pad else str(day.month)
    d = find_date_line(f"{place}, ngày {dd} tháng {mm} năm {day.year}")
    assert d.date == day.isoformat() and d.place == place


# --- issue 16: date lines as real documents print them (team-written snippets) ---

def test_date_line_without_its_comma():
    d = find_date_line("Đà Nẵng ngày 03 tháng 02 năm 2026")
    assert (d.place, d.date, d.source) == ("Đà Nẵng", "2026-02-03", "header_nocomma")
    d = find_date_line("Số: 215/UBND-KT          Thành phố Hồ Chí Minh ngày 9 tháng 10 năm 2025")
    assert (d.place, d.date) == ("Thành phố Hồ Chí Minh", "2025-10-09")


def test_citation_dates_are_not_a_comma_less_date_line():
    assert find_date_line("Căn cứ Nghị định số 12/2024/NĐ-CP ngày 05 tháng 3 năm 2024 của Chính phủ") is None
    assert find_date_line("Thực hiện Kế hoạch ngày 15 tháng 4 năm 2025 của Ban Thường vụ") is None


def test_ocr_damaged_date_words_still_give_the_date():
    d = find_date_line("Cần Thơ, ngảy 07 thảng 5 nărn 2024")
    assert d.date == "2024-05-07" and d.damaged
    assert not find_date_line("Cần Thơ, ngày 07 tháng 5 năm 2024").damaged


def test_unreadable_day_or_year_keeps_the_place_and_no_date():
    d = find_date_line("Vĩnh Long, ngày (8 tháng 0l năm 20]4")
    assert d.place == "Vĩnh Long" and d.date is None and d.damaged


def test_blank_month_is_a_blank_date():
    d = find_date_line("Kon Tum, ngày 12 tháng …. năm 2025")
    assert d.blank_day and d.date is None and d.place == "Kon Tum"


def test_passage_line_dates_a_law():
    from pipeline.extract.dates import find_passage_date

    text = ("Điều 9. Hiệu lực thi hành\nLuật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2027.\n"
            "Luật này được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XV, Kỳ họp thứ 11 thông qua "
            "ngày 20 tháng 11 năm 2026.\n")
    assert find_passage_date(text).date == "2026-11-20"
    ordinance = "Pháp lệnh này đã được Ủy ban Thường vụ Quốc hội khóa XV thông qua ngày 14/8/2026."
    assert find_passage_date(ordinance).date == "2026-08-14"
    # a cited law's passage is not the document's own
    assert find_passage_date("Luật Thủy lợi được Quốc hội thông qua ngày 19 tháng 6 năm 2017.") is None


def test_law_without_header_date_is_dated_by_its_passage_line():
    from pipeline import extract_text

    text = ("QUỐC HỘI\n\nLuật số: 58/2026/QH15\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nĐộc lập - Tự do - Hạnh phúc\n\n"
            "LUẬT\n\nQUẢN LÝ KHO BÃI CÔNG CỘNG\n\nCăn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n\n"
            "Quốc hội ban hành Luật Quản lý kho bãi công cộng.\n\nĐiều 1. Phạm vi điều chỉnh\n\nLuật này quy định.\n\n"
            "Luật này được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XV, Kỳ họp thứ 11 thông qua "
            "ngày 27 tháng 11 năm 2026.\n\nCHỦ TỊCH QUỐC HỘI\n\nTrần Văn Bình\n")
    d = extract_text(text)
    assert d.date == "2026-11-27" and d.place is None
    assert d.number.normalized == "58/2026/QH15" and d.doc_type.name == "Luật"
    assert d.subject == "QUẢN LÝ KHO BÃI CÔNG CỘNG"
    assert d.confidence["date"] >= 0.9 and not [r for r in d.needs_review if r["field"] in ("date", "place")]


def test_unreadable_header_date_falls_back_to_the_own_number_in_an_annex_heading():
    from pipeline import extract_text

    text = ("ỦY BAN NHÂN DÂN                  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "  TỈNH KON TUM                        Độc lập - Tự do - Hạnh phúc\n\n"
            "Số: 842 /QĐ-UBND               Kon Tum, ngày27 tháng 96 năm 2026\n\n"
            "                 QUYẾT ĐỊNH\n        Về việc phê duyệt danh mục nhiệm vụ năm 2026\n\n"
            "         CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KON TUM\n\nCăn cứ Luật Tổ chức chính quyền địa phương;\n\n"
            "QUYẾT ĐỊNH:\n\nĐiều 1. Phê duyệt danh mục kèm theo Quyết định này.\n\n"
            "DANH MỤC NHIỆM VỤ\n(Kèm theo Quyết định số 842 /QĐ-UBND ngày 27 / 6 /2026 của Chủ tịch UBND tỉnh)\n")
    d = extract_text(text)
    assert d.date == "2026-06-27"
    assert {"field": "date", "reason": "inferred"} in [{k: r[k] for k in ("field", "reason")} for r in d.needs_review]


def test_lenh_without_date_line_takes_the_promulgated_passage_as_inferred():
    from pipeline import extract_text

    text = ("CHỦ TỊCH NƯỚC\n\nSố: 09/2026/L-CTN\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nĐộc lập - Tự do - Hạnh phúc\n\n"
            "LỆNH\n\nVề việc công bố Luật\n\nCHỦ TỊCH NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\n"
            "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n\nNAY CÔNG BỐ\n\n"
            "Luật Quản lý, sử dụng nhà công vụ\n\nĐã được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XV, "
            "Kỳ họp thứ 11 thông qua ngày 27 tháng 11 năm 2026.\n\nCHỦ TỊCH NƯỚC\n\nNguyễn Văn Tâm\n")
    d = extract_text(text)
    assert d.doc_type.name == "Lệnh" and d.date == "2026-11-27"
    assert {"field": "date", "reason": "inferred"} in [{k: r[k] for k in ("field", "reason")} for r in d.needs_review]
    # with its own date line the Lệnh keeps it
    dated = text.replace("Độc lập - Tự do - Hạnh phúc\n\n", "Độc lập - Tự do - Hạnh phúc\n\nHà Nội, ngày 04 tháng 12 "
                         "năm 2026\n\n")
    assert extract_text(dated).date == "2026-12-04"


def test_header_date_in_figures_but_not_a_citation():
    d = find_date_line("Số: 12/CV-CĐCS          Tây Ninh, ngày 07/01/2026")
    assert (d.place, d.date, d.source) == ("Tây Ninh", "2026-01-07", "header_numeric")
    assert find_date_line("Thực hiện Công văn số 12/UBND, ngày 05/3/2024 của Ủy ban") is None


def test_header_date_disagreeing_with_the_annex_heading_is_conflicting():
    from pipeline import extract_text

    text = ("ỦY BAN NHÂN DÂN                  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "  TỈNH KON TUM                        Độc lập - Tự do - Hạnh phúc\n\n"
            "Số: 842 /QĐ-UBND               Kon Tum, ngày 27 tháng 5 năm 2026\n\n"
            "                 QUYẾT ĐỊNH\n        Về việc phê duyệt danh mục nhiệm vụ năm 2026\n\n"
            "         CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KON TUM\n\nCăn cứ Luật Tổ chức chính quyền địa phương;\n\n"
            "QUYẾT ĐỊNH:\n\nĐiều 1. Phê duyệt danh mục kèm theo Quyết định này.\n\n"
            "DANH MỤC NHIỆM VỤ\n(Kèm theo Quyết định số 842 /QĐ-UBND ngày 27 / 6 /2026 của Chủ tịch UBND tỉnh)\n")
    d = extract_text(text)
    assert d.date == "2026-05-27"  # the header is kept, and flagged
    assert {"field": "date", "reason": "conflicting"} in [{k: r[k] for k in ("field", "reason")} for r in d.needs_review]


def test_citation_with_a_comma_before_its_date_is_not_the_date_line():
    assert find_date_line("Căn cứ Luật Tổ chức Quốc hội số 57/2014/QH13, ngày 20 tháng 11 năm 2014;") is None
    assert find_date_line("Quận 1, ngày 02 tháng 3 năm 2024").place == "Quận 1"
