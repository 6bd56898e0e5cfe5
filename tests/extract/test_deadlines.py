"""Deadlines, recurrence and report targets of action items (spec §9): every printed form in the spec,
plus generated dates in every printed form (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.deadlines import (
    deadline_from_cell,
    find_deadline,
    find_deadlines,
    find_recurrence,
    find_report,
    find_report_target,
    resolve_yearless,
)

DOC = "2023-06-07"  # issue date of 1244/LĐLĐ


# --------------------------------------------------------------------------- the spec's table


@pytest.mark.parametrize("text, date", [
    ("trước ngày 30/6/2023", "2023-06-30"),
    ("chậm nhất ngày 15/12/2023", "2023-12-15"),
    ("trước ngày 1-3-2027", "2027-03-01"),
    ("trước ngày 15 tháng 12 năm 2023", "2023-12-15"),
    ("chậm nhất là ngày 05/01/2024", "2024-01-05"),
    ("hạn chót ngày 31.12.2023", "2023-12-31"),
    ("trước 17h00 ngày 15/12/2023", "2023-12-15"),
    ("Thời hạn: 30/6/2023", "2023-06-30"),
    ("hoàn thành trước ngày 31/3/2025", "2025-03-31"),
    ("đến hết ngày 31/12/2023", "2023-12-31"),
    ("TRƯỚC NGÀY 05/01/2024", "2024-01-05"),
    ("trong quý III/2023", "2023-09-30"),
    ("trong quý IV năm 2024", "2024-12-31"),
    ("hoàn thành trong quý 2/2025", "2025-06-30"),
    ("trong tháng 7", "2023-07-31"),
    ("trong tháng 6", "2023-06-30"),
    ("trong tháng 8/2024", "2024-08-31"),
    ("trong tháng 2 năm 2024", "2024-02-29"),
    ("6 tháng đầu năm", "2023-06-30"),
    ("6 tháng cuối năm 2024", "2024-12-31"),
    ("trong năm 2024", "2024-12-31"),
    ("trong kỳ sinh hoạt chi bộ tháng 3/2025", "2025-03-31"),
    ("trong tuần đầu tháng 6", "2023-06-07"),
    ("kể từ ngày ký", DOC),
])
def test_dated_forms(text, date):
    dl = find_deadline(f"Tổ chức thực hiện {text}.", DOC)
    assert dl is not None and dl.date == date
    assert dl.text.lower() in text.lower()


@pytest.mark.parametrize("text", [
    "trước 15 ngày",
    "trong 05 ngày làm việc kể từ ngày nhận",
    "trong thời hạn 10 ngày kể từ ngày nhận được văn bản",
    "trước khi bắt đầu năm học 2024 - 2025",
    "trước ngày khai giảng năm học 2024 - 2025",
    "theo đúng thời gian quy định",
])
def test_relative_and_event_forms_keep_the_text(text):
    dl = find_deadline(f"Gửi báo cáo {text}.", DOC)
    assert dl is not None and dl.date is None
    assert dl.text == text


def test_year_less_date_takes_the_issue_year_and_says_so():
    notes: list[str] = []
    assert find_deadline("trước ngày 15/12", DOC, notes).date == "2023-12-15"
    assert notes and "2023" in notes[0]
    notes.clear()
    assert find_deadline("trước ngày 15 tháng 12", DOC, notes).date == "2023-12-15"
    assert notes


def test_year_less_date_before_the_issue_date_moves_to_next_year():
    notes: list[str] = []
    assert find_deadline("trước ngày 1/3", DOC, notes).date == "2024-03-01"
    assert any("2024" in n and "before the issue date" in n for n in notes)
    assert find_deadline("trong tháng 3", DOC).date == "2024-03-31"
    assert find_deadline("trong quý I", DOC).date == "2024-03-31"


def test_year_less_date_without_document_date():
    notes: list[str] = []
    dl = find_deadline("trước ngày 15/12", None, notes)
    assert dl is not None and dl.date is None and dl.text == "trước ngày 15/12"
    assert notes


def test_29_february_waits_for_a_leap_year():
    assert resolve_yearless(29, 2, "2023-06-07", []) == "2024-02-29"
    assert resolve_yearless(29, 2, "2024-03-01", []) == "2028-02-29"


def test_event_and_start_dates_are_not_deadlines():
    assert find_deadline("Hội nghị tổ chức vào ngày 12/5/2023 tại Hà Nội.", DOC) is None
    assert find_deadline("Thực hiện Công văn số 6713/TLĐ-TG ngày 25/5/2023 của Tổng LĐLĐ Việt Nam", DOC) is None
    dl = find_deadline("từ ngày 1/7/2023 đến ngày 31/12/2023", DOC)
    assert dl.date == "2023-12-31"


def test_ongoing_keeps_text_without_recurrence():
    dl = find_deadline("Thường xuyên kiểm tra, đôn đốc việc thực hiện.", DOC)
    assert dl is not None and dl.date is None and dl.text.lower() == "thường xuyên"
    assert find_recurrence("Thường xuyên kiểm tra, đôn đốc việc thực hiện.") is None


def test_a_dated_deadline_beats_a_weak_one():
    dl = find_deadline("Thường xuyên theo dõi; báo cáo trước ngày 30/6/2023.", DOC)
    assert dl.date == "2023-06-30"


def test_every_deadline_of_an_item_with_offsets():
    text = ("Xây dựng kế hoạch, hoàn thành trước ngày 31/3/2025; hằng năm báo cáo kết quả về Ban Thường vụ "
            "Tỉnh ủy (qua Văn phòng Tỉnh ủy) trước ngày 15/11.")
    found = find_deadlines(text, "2025-01-16")
    assert [f.deadline.date for f in found] == ["2025-03-31", "2025-11-15"]
    for f in found:
        assert text[f.start:f.end].startswith(f.deadline.text.split()[0])
    assert find_deadline(text, "2025-01-16").date == "2025-03-31"


# --------------------------------------------------------------------------- recurrence


@pytest.mark.parametrize("text, kind, rrule", [
    ("hằng năm", "yearly", "FREQ=YEARLY"),
    ("hàng năm", "yearly", "FREQ=YEARLY"),
    ("định kỳ hàng năm", "yearly", "FREQ=YEARLY"),
    ("định kỳ ít nhất 01 năm một lần", "yearly", "FREQ=YEARLY"),
    ("định kỳ 6 tháng", "half-yearly", "FREQ=MONTHLY;INTERVAL=6"),
    ("sơ kết 6 tháng", "half-yearly", "FREQ=MONTHLY;INTERVAL=6"),
    ("hằng quý", "quarterly", "FREQ=MONTHLY;INTERVAL=3"),
    ("định kỳ hằng quý", "quarterly", "FREQ=MONTHLY;INTERVAL=3"),
    ("hằng tháng", "monthly", "FREQ=MONTHLY"),
    ("định kỳ hằng tháng", "monthly", "FREQ=MONTHLY"),
    ("trước ngày 20 hằng tháng", "monthly", "FREQ=MONTHLY;BYMONTHDAY=20"),
    ("báo cáo nhanh kết quả hằng tháng (trước ngày 25)", "monthly", "FREQ=MONTHLY;BYMONTHDAY=25"),
    ("trước ngày 20 của tháng cuối quý", "quarterly", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=20"),
    ("hằng tuần", "weekly", "FREQ=WEEKLY"),
])
def test_recurrence_forms(text, kind, rrule):
    rec = find_recurrence(f"Tổng hợp, báo cáo {text}.")
    assert rec is not None
    assert (rec.kind, rec.rrule) == (kind, rrule)


@pytest.mark.parametrize("text", ["trước ngày 20 hằng tháng", "trước ngày 20 của tháng cuối quý"])
def test_recurring_deadline_has_no_single_date(text):
    dl = find_deadline(f"Gửi báo cáo {text}.", DOC)
    assert dl is not None and dl.date is None and dl.text == text


def test_recurring_item_with_a_year_less_date():
    text = "Định kỳ hằng năm, các đơn vị sơ kết, báo cáo về Liên đoàn Lao động tỉnh trước ngày 15/11."
    assert find_deadline(text, "2021-08-20").date == "2021-11-15"
    assert find_recurrence(text).kind == "yearly"


@pytest.mark.parametrize("text", ["thường xuyên", "Báo cáo ngày 15/6/2023", "Báo cáo tháng 6/2023",
                                  "trong tháng 7", "kế hoạch năm 2024"])
def test_no_recurrence(text):
    assert find_recurrence(text) is None


def test_first_recurrence_by_position():
    assert find_recurrence("hằng quý rà soát; hằng năm tổng kết").kind == "quarterly"


# --------------------------------------------------------------------------- report target


def test_report_target_with_via_and_deadline():
    text = ("Báo cáo kết quả thực hiện về Tổng Liên đoàn (qua Ban Tuyên giáo) trước ngày 30/11/2024 để tổng hợp, "
            "báo cáo Ban Tuyên giáo Trung ương.")
    r = find_report(text, "2024-03-14")
    assert (r.to, r.via, r.leading) == ("Tổng Liên đoàn", "Ban Tuyên giáo", True)
    assert r.deadline.date == "2024-11-30"
    assert find_report_target(text) == "Tổng Liên đoàn"


@pytest.mark.parametrize("text, to, via", [
    ("Báo cáo Ban Bí thư (qua Văn phòng Trung ương Đảng) kết quả thực hiện.", "Ban Bí thư",
     "Văn phòng Trung ương Đảng"),
    ("Tổng hợp, báo cáo Ban Thường vụ Huyện ủy.", "Ban Thường vụ Huyện ủy", None),
    ("Tổng hợp kết quả thực hiện, báo cáo UBND tỉnh và Bộ Y tế hằng quý.", "UBND tỉnh và Bộ Y tế", None),
    ("Tổng hợp số liệu dịch bệnh, báo cáo Sở Y tế trước ngày 20 hằng tháng.", "Sở Y tế", None),
    ("Gửi báo cáo tháng về Ban Thường vụ Tỉnh uỷ (qua Văn phòng Tỉnh uỷ) trước ngày 20 hằng tháng.",
     "Ban Thường vụ Tỉnh uỷ", "Văn phòng Tỉnh uỷ"),
    ("Sơ kết, đánh giá kết quả thực hiện, báo cáo về Liên đoàn Lao động tỉnh trước ngày 15/11.",
     "Liên đoàn Lao động tỉnh", None),
])
def test_report_targets(text, to, via):
    r = find_report(text, DOC)
    assert r is not None and (r.to, r.via) == (to, via)


def test_report_clause_inside_an_action_item():
    text = ("Xây dựng kế hoạch thực hiện, hoàn thành trước ngày 31/3/2025; hằng năm báo cáo kết quả về Ban "
            "Thường vụ Tỉnh ủy (qua Văn phòng Tỉnh ủy) trước ngày 15/11.")
    r = find_report(text, "2025-01-16")
    assert r.leading is False
    assert text[r.start:].startswith("hằng năm báo cáo")
    assert r.deadline.date == "2025-11-15" and r.recurrence.kind == "yearly"
    assert (r.to, r.via) == ("Ban Thường vụ Tỉnh ủy", "Văn phòng Tỉnh ủy")


@pytest.mark.parametrize("text", ["Báo cáo nhanh kết quả Chiến dịch.", "Đẩy mạnh công tác tuyên truyền.",
                                  "báo cáo về việc thực hiện chế độ"])
def test_no_report_target(text):
    assert find_report_target(text) is None


# --------------------------------------------------------------------------- generated dates

LEADS = ["trước ngày", "Trước ngày", "TRƯỚC NGÀY", "chậm nhất ngày", "chậm nhất là ngày", "chậm nhất vào ngày",
         "hạn chót ngày", "hạn chót là ngày", "hoàn thành trước ngày", "xong trước ngày", "không quá ngày",
         "đến hết ngày", "đến ngày", "trước", "trước 17h00 ngày", "trước 16 giờ 30 ngày", "Thời hạn: ngày"]


def _printed(d: dt.date, form: str, pad: bool) -> str:
    day = f"{d.day:02d}" if pad else str(d.day)
    mon = f"{d.month:02d}" if pad else str(d.month)
    if form == "words":
        return f"{day} tháng {mon} năm {d.year}"
    return f"{day}{form}{mon}{form}{d.year}"


dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2049, 12, 31))


@settings(max_examples=400, deadline=None)
@given(d=dates, form=st.sampled_from(["/", "-", ".", "words"]), pad=st.booleans(), lead=st.sampled_from(LEADS),
       before=st.sampled_from(["", "Các đơn vị gửi báo cáo ", "Tổ chức hội nghị sơ kết, hoàn thành; ", "- "]),
       after=st.sampled_from(["", ".", " để tổng hợp.", "; đồng thời báo cáo.", " (qua Văn phòng)."]),
       issued=st.one_of(st.none(), dates.map(dt.date.isoformat)))
def test_generated_dates_resolve_to_the_right_day(d, form, pad, lead, before, after, issued):
    text = f"{before}{lead} {_printed(d, form, pad)}{after}"
    dl = find_deadline(text, issued)
    assert dl is not None, text
    assert dl.date == d.isoformat(), text


@settings(max_examples=400, deadline=None)
@given(issued=dates, month=st.integers(1, 12), day=st.integers(1, 31), pad=st.booleans(),
       form=st.sampled_from(["/", "-", "words"]), lead=st.sampled_from(["trước ngày", "chậm nhất ngày", "hạn chót ngày",
                                                                       "hoàn thành trước ngày"]))
def test_year_less_dates_never_resolve_before_the_issue_date(issued, month, day, pad, form, lead):
    try:
        dt.date(2024, month, day)  # a day that exists in some year
    except ValueError:
        return
    dd = f"{day:02d}" if pad else str(day)
    mm = f"{month:02d}" if pad else str(month)
    printed = f"{dd} tháng {mm}" if form == "words" else f"{dd}{form}{mm}"
    notes: list[str] = []
    dl = find_deadline(f"Báo cáo kết quả {lead} {printed}.", issued.isoformat(), notes)
    assert dl is not None and dl.date is not None
    got = dt.date.fromisoformat(dl.date)
    assert got >= issued
    assert (got.month, got.day) == (month, day)
    assert got.year - issued.year <= 8
    assert notes  # the guessed year is said


@settings(max_examples=200, deadline=None)
@given(issued=dates, month=st.integers(1, 12), q=st.sampled_from(["I", "II", "III", "IV"]))
def test_year_less_periods_end_on_or_after_the_issue_date(issued, month, q):
    dl = find_deadline(f"Hoàn thành trong tháng {month}.", issued.isoformat())
    assert dt.date.fromisoformat(dl.date) >= issued  # a month end on or after the issue date
    dq = find_deadline(f"Tổ chức trong quý {q}.", issued.isoformat())
    assert dt.date.fromisoformat(dq.date) >= issued


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_on_any_text(text):
    find_deadline(text, DOC, [])
    find_deadlines(text, None, [])
    find_recurrence(text)
    find_report(text, DOC, [])


@pytest.mark.parametrize("text, leading", [
    ("Các công đoàn cơ sở trực thuộc báo cáo kết quả thực hiện về Công đoàn Viên chức tỉnh (qua Văn phòng) "
     "trước ngày 20/6/2025.", True),
    ("Tổng hợp số liệu dịch bệnh, báo cáo Sở Y tế trước ngày 20 hằng tháng.", True),
    ("Định kỳ hằng năm, các đơn vị sơ kết, đánh giá kết quả thực hiện, báo cáo về Liên đoàn Lao động tỉnh.", True),
    ("Văn phòng Tỉnh uỷ chủ trì, phối hợp với Ban Tổ chức Tỉnh uỷ hướng dẫn việc thực hiện; hằng năm báo cáo Ban "
     "Thường vụ Tỉnh uỷ.", False),
    ("Văn phòng Đảng ủy theo dõi, tổng hợp, tham mưu Ban Thường vụ Đảng ủy báo cáo kết quả về Ban Thường vụ "
     "Huyện ủy.", False),
])
def test_report_is_the_first_action_or_not(text, leading):
    assert find_report(text, DOC).leading is leading


# --------------------------------------------------------------------------- issue 11: the right deadline


def test_month_quarter_half_year_ends():
    assert find_deadline("bố trí kinh phí trong tháng 8/2025", "2025-05-12").date == "2025-08-31"
    assert find_deadline("hoàn thành trong quý III/2025", "2025-05-12").date == "2025-09-30"
    assert find_deadline("tổng hợp số liệu 6 tháng đầu năm", "2025-05-12").date == "2025-06-30"


def test_counted_from_signing():
    dl = find_deadline("báo cáo trong 10 ngày kể từ ngày ký", "2025-05-12")
    assert dl.date == "2025-05-22" and dl.text == "trong 10 ngày kể từ ngày ký"
    # working days skip the weekend: Monday 12 May + 5 working days = Monday 19 May
    assert find_deadline("trong 05 ngày làm việc kể từ ngày ký", "2025-05-12").date == "2025-05-19"
    assert find_deadline("trong 10 ngày kể từ ngày ký", None).date is None


def test_submission_day_beats_event_period():
    text = "Tổ chức hội nghị trong quý IV/2025, gửi báo cáo về Sở Nội vụ trước ngày 20/10/2025."
    assert find_deadline(text, "2025-05-12").date == "2025-10-20"
    # without a submission verb the period stays the item's deadline
    assert find_deadline("Tổ chức hội nghị trong quý IV/2025; ngày 20/10/2025 khai mạc.", "2025-05-12").date == \
        "2025-12-31"


def test_monthly_day_is_a_rule_not_a_date():
    text = "báo cáo tiến độ trước ngày 20 hằng tháng"
    assert find_deadline(text, "2025-05-12").date is None
    assert find_recurrence(text).rrule == "FREQ=MONTHLY;BYMONTHDAY=20"


def test_never_the_document_date_without_a_cue():
    assert find_deadline("vận động nhân dân tham gia giám sát", "2025-05-12") is None
    assert find_deadline("triển khai ngay sau khi nhận được văn bản", "2025-05-12").date == "2025-05-12"


def test_deadline_from_table_cell_keeps_the_printed_text():
    cases = {"Quý III/2025": "2025-09-30", "Tháng 8/2025": "2025-08-31", "30/9/2025": "2025-09-30",
             "Xong trong Quý II/2026": "2026-06-30", "Năm 2026": "2026-12-31", "Thường xuyên": None}
    for cell, date in cases.items():
        dl = deadline_from_cell(cell, "2025-05-12")
        assert (dl.text, dl.date) == (cell, date)
    assert deadline_from_cell("   ") is None
