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
