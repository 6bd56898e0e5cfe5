"""Task checklists (pipeline/checklist/render.py): selection, due dates, and Markdown / CSV / JSON / iCalendar output,
the calendar parsed back with icalendar."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from pathlib import Path

import pytest
from icalendar import Calendar

from pipeline.checklist import (
    calendar_rrule,
    first_due,
    render,
    render_csv,
    render_ics,
    render_json,
    render_markdown,
    select,
    summary,
    task_uid,
)
from pipeline.models import Deadline, Dispatch, DocNumber, DocType, Issuer, Source, Task

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CONGVAN_SHARED", REPO.parent / "shared"))
SEED = SHARED / "corpus" / "seed" / "1244-LDLD.txt"
NOW = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def seed() -> Dispatch:
    if not SEED.exists():
        pytest.skip(f"seed document not found at {SEED}")
    from pipeline.extract import extract_one

    rec = extract_one(SEED)
    assert isinstance(rec, Dispatch), rec
    return rec


def plan() -> Dispatch:
    """A small plan with a parent, dated and recurring subtasks, and a report task."""
    sub_a = Task(id="1.a", text="Tổ chức tập huấn trước ngày 30/9/2024.", actors=["Sở Y tế"],
                 deadline=Deadline("trước ngày 30/9/2024", "2024-09-30"))
    sub_b = Task(id="1.b", text="Tổng hợp số liệu, báo cáo UBND tỉnh hằng tháng.", recurrence="monthly",
                 rrule="FREQ=MONTHLY", kind="report", report_to="UBND tỉnh")
    sub_c = Task(id="1.c", text="- Gửi báo cáo trước ngày 20 hằng tháng.", actors=["Trung tâm Y tế các huyện"],
                 deadline=Deadline("trước ngày 20 hằng tháng", None), recurrence="monthly",
                 rrule="FREQ=MONTHLY;BYMONTHDAY=20")
    t1 = Task(id="1", text="Sở Y tế chủ trì theo dõi tình hình dịch bệnh.", actors=["Sở Y tế"],
              cooperating=["UBND các huyện, thị xã, thành phố"], subtasks=[sub_a, sub_b, sub_c])
    t2 = Task(id="2", text="=SUM(A1) Các đơn vị báo cáo kết quả trong quý IV/2024.", actors=["các đơn vị"],
              deadline=Deadline("trong quý IV/2024", "2024-12-31"), recurrence="quarterly",
              rrule="FREQ=MONTHLY;INTERVAL=3")
    t3 = Task(id="3", text="Đẩy mạnh công tác tuyên truyền.", actors=["Sở Thông tin và Truyền thông"])
    return Dispatch(source=Source(path="plan.docx", sha256="ab" * 32, format="docx"),
                    doc_type=DocType("KH", "Kế hoạch"), number=DocNumber("168/KH-UBND", "168", None, "KH-UBND"),
                    issuer=Issuer("Ủy ban nhân dân tỉnh Thanh Hóa"), date="2024-07-19",
                    subject="phòng, chống dịch bệnh", recipients=["Các sở, ban, ngành"], tasks=[t1, t2, t3])


# --------------------------------------------------------------------------- the seed (acceptance)


def test_seed_markdown_checklist(seed):
    md = render_markdown([select(seed)])
    items = [ln for ln in md.splitlines() if ln.startswith("- [ ] ")]
    assert len(items) == 5
    assert [ln.split()[3] for ln in items] == ["1.", "2.", "3.", "4.", "5."]
    assert all("(các cấp công đoàn" in ln for ln in items)
    assert [("hằng năm" in ln) for ln in items] == [True, False, False, True, False]
    assert "1244/LĐLĐ" in md and "Liên đoàn Lao động tỉnh Lai Châu" in md


def test_seed_ics_has_five_todos_that_parse_back(seed):
    data = render_ics([select(seed)], now=NOW)
    cal = Calendar.from_ical(data)
    todos = list(cal.walk("VTODO"))
    assert len(todos) == 5
    uids = [str(t["UID"]) for t in todos]
    assert len(set(uids)) == 5 and all(u.startswith(seed.source.sha256[:20]) for u in uids)
    by_id = {str(t["UID"]).split("-", 1)[1].split("@")[0]: t for t in todos}
    for tid in ("1", "4"):
        t = by_id[tid]
        assert t["RRULE"]["FREQ"] == ["YEARLY"]
        assert t["DUE"].dt == dt.date(2023, 12, 31)  # the end of the first year
        assert t["DTSTART"].dt == t["DUE"].dt
    for tid in ("2", "3", "5"):
        assert "RRULE" not in by_id[tid] and "DUE" not in by_id[tid]
    for tid, t in by_id.items():
        desc = str(t["DESCRIPTION"])
        assert "1244/LĐLĐ" in desc and "Liên đoàn Lao động tỉnh Lai Châu" in desc and f"mục {tid}" in desc
        assert str(t["SUMMARY"]).startswith(f"[1244/LĐLĐ] {tid}. ")
        assert t["STATUS"] == "NEEDS-ACTION"


def test_seed_uids_are_stable(seed):
    a = Calendar.from_ical(render_ics([select(seed)], now=NOW))
    b = Calendar.from_ical(render_ics([select(seed)]))
    assert [str(t["UID"]) for t in a.walk("VTODO")] == [str(t["UID"]) for t in b.walk("VTODO")]
    assert render_ics([select(seed)], now=NOW) == render_ics([select(seed)], now=NOW)


def test_seed_filters(seed):
    assert len(select(seed, for_unit="Công đoàn ngành Giáo dục").flat()) == 5
    assert len(select(seed, for_unit="LĐLĐ huyện Tam Đường").flat()) == 5
    assert select(seed, for_unit="Sở Y tế").flat() == []
    due = select(seed, due_before=dt.date(2023, 12, 31))
    assert [it.task.id for it in due.flat()] == ["1", "4"]
    assert select(seed, due_before=dt.date(2023, 12, 30)).flat() == []


# --------------------------------------------------------------------------- due dates


@pytest.mark.parametrize("recurrence, rrule, issued, due", [
    ("yearly", "FREQ=YEARLY", "2023-06-07", "2023-12-31"),
    ("half-yearly", "FREQ=MONTHLY;INTERVAL=6", "2023-06-07", "2023-06-30"),
    ("half-yearly", "FREQ=MONTHLY;INTERVAL=6", "2023-07-01", "2023-12-31"),
    ("quarterly", "FREQ=MONTHLY;INTERVAL=3", "2023-06-07", "2023-06-30"),
    ("quarterly", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=20", "2023-06-21", "2023-09-20"),
    ("monthly", "FREQ=MONTHLY", "2024-02-10", "2024-02-29"),
    ("monthly", "FREQ=MONTHLY;BYMONTHDAY=20", "2024-07-26", "2024-08-20"),
    ("monthly", "FREQ=MONTHLY;BYMONTHDAY=20", "2024-07-20", "2024-07-20"),
    ("weekly", "FREQ=WEEKLY", "2024-07-26", "2024-08-02"),
])
def test_first_due_of_recurring_tasks(recurrence, rrule, issued, due):
    t = Task(id="1", text="x", recurrence=recurrence, rrule=rrule)
    assert first_due(t, issued) == (dt.date.fromisoformat(due), True)


def test_first_due_prefers_the_printed_date():
    t = Task(id="1", text="x", deadline=Deadline("trước ngày 15/11", "2025-11-15"), recurrence="yearly",
             rrule="FREQ=YEARLY")
    assert first_due(t, "2025-01-16") == (dt.date(2025, 11, 15), False)
    assert first_due(Task(id="2", text="x"), "2025-01-16") == (None, False)
    assert first_due(Task(id="3", text="x", recurrence="yearly", rrule="FREQ=YEARLY"), None) == (None, False)


def test_month_end_anchor_repeats_on_the_last_day():
    t = Task(id="1", text="x", recurrence="monthly", rrule="FREQ=MONTHLY")
    due, computed = first_due(t, "2024-01-10")
    assert calendar_rrule(t, due, computed) == "FREQ=MONTHLY;BYMONTHDAY=-1"
    t2 = Task(id="2", text="x", recurrence="yearly", rrule="FREQ=YEARLY")
    assert calendar_rrule(t2, dt.date(2024, 12, 31), True) == "FREQ=YEARLY"


# --------------------------------------------------------------------------- selection


def test_subtasks_inherit_actors_and_parents_stay_as_context():
    doc = select(plan(), for_unit="UBND tỉnh Thanh Hóa")
    # 1.b has no actor of its own: it inherits Sở Y tế; nothing reaches UBND tỉnh … except the "các đơn vị" item
    assert [it.task.id for it in doc.flat()] == ["2"]
    doc = select(plan(), for_unit="Trung tâm Y tế huyện Nga Sơn")
    flat_all = [(it.task.id, it.matched) for it in doc.flat(matched_only=False)]
    assert ("1", False) in flat_all and ("1.c", True) in flat_all and ("2", True) in flat_all
    md = render_markdown([doc])
    assert "\n- 1. " in md and "  - [ ] 1.c. " in md  # the context parent has no checkbox
    doc = select(plan(), for_unit="UBND huyện Nga Sơn")  # a cooperating body
    assert "1" in [it.task.id for it in doc.flat()]


def test_recipients_stand_in_for_missing_actors():
    d = plan()
    d.tasks.append(Task(id="4", text="Triển khai thực hiện."))
    doc = select(d, for_unit="Sở Tài chính")
    four = [it for it in doc.flat() if it.task.id == "4"][0]
    assert four.actors_from == "recipients"
    assert "(Kính gửi)" in render_markdown([doc])


def test_due_window():
    d = plan()
    ids = [it.task.id for it in select(d, due_after=dt.date(2024, 9, 1), due_before=dt.date(2024, 9, 30)).flat()]
    # 1.a is due 30/9; the monthly report tasks fall in September too; the quarterly item from Q4 on
    assert ids == ["1.a", "1.b", "1.c"]
    ids = [it.task.id for it in select(d, due_after=dt.date(2025, 1, 1)).flat()]
    assert ids == ["1.b", "1.c", "2"]  # only recurring tasks go on past their first date
    assert [it.task.id for it in select(d, due_before=dt.date(2024, 7, 1)).flat()] == []


# --------------------------------------------------------------------------- formats


def test_markdown_shows_who_when_and_report_target():
    md = render_markdown([select(plan())])
    assert md.startswith("## Kế hoạch số 168/KH-UBND — Ủy ban nhân dân tỉnh Thanh Hóa, 2024-07-19\n")
    assert "- [ ] 1. Sở Y tế chủ trì theo dõi tình hình dịch bệnh (Sở Y tế; phối hợp: UBND các huyện" in md
    assert "  - [ ] 1.a. Tổ chức tập huấn trước ngày 30/9/2024 (Sở Y tế; hạn 2024-09-30 “trước ngày 30/9/2024”)" in md
    assert "  - [ ] 1.b. Tổng hợp số liệu, báo cáo UBND tỉnh hằng tháng (hằng tháng; báo cáo về UBND tỉnh)" in md
    assert "1.c. Gửi báo cáo trước ngày 20 hằng tháng (Trung tâm Y tế các huyện; hạn “trước ngày 20 hằng tháng”; " \
           "hằng tháng, ngày 20)" in md
    assert render_markdown([select(plan(), due_before=dt.date(2000, 1, 1))]) == "Không có nhiệm vụ nào.\n"


def test_summary_is_the_first_sentence_cut_on_a_word():
    assert summary("Làm việc A đầy đủ và đúng hạn. Sau đó làm B.") == "Làm việc A đầy đủ và đúng hạn"
    long = "Đẩy mạnh " + "công tác tuyên truyền " * 20
    s = summary(long, 80)
    assert len(s) <= 80 and s.endswith("…") and not s[:-1].endswith(" ")


def test_csv_opens_cleanly():
    text = render_csv([select(plan())])
    assert not text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["task_id"] for r in rows] == ["1", "1.a", "1.b", "1.c", "2", "3"]
    assert [r["parent_id"] for r in rows] == ["", "1", "1", "1", "", ""]
    by = {r["task_id"]: r for r in rows}
    assert by["1.a"]["deadline_date"] == "2024-09-30" and by["1.a"]["due"] == "2024-09-30"
    assert by["1.b"]["actors"] == "Sở Y tế" and by["1.b"]["due"] == "2024-07-31"
    assert by["1.b"]["kind"] == "report" and by["1.b"]["report_to"] == "UBND tỉnh"
    assert by["1.c"]["text"] == "Gửi báo cáo trước ngày 20 hằng tháng."
    assert by["2"]["text"].startswith("'=SUM")  # not a formula in a spreadsheet
    assert all("\n" not in v for r in rows for v in r.values())
    bom = render_csv([select(plan())], bom=True)
    assert bom.encode("utf-8").startswith(b"\xef\xbb\xbf")
    assert render(  # render() gives the same bytes
        [select(plan())], "csv", bom=True) == bom.encode("utf-8")


def test_json_keeps_the_tree():
    data = json.loads(render_json([select(plan())]))
    assert len(data) == 1
    doc = data[0]
    assert (doc["number"], doc["issuer"], doc["date"]) == ("168/KH-UBND", "Ủy ban nhân dân tỉnh Thanh Hóa",
                                                           "2024-07-19")
    assert [t["id"] for t in doc["tasks"]] == ["1", "2", "3"]
    sub = doc["tasks"][0]["subtasks"]
    assert [s["id"] for s in sub] == ["1.a", "1.b", "1.c"]
    assert sub[1]["actors"] == ["Sở Y tế"] and sub[1]["actors_from"] == "parent"
    assert sub[1]["due"] == "2024-07-31" and sub[1]["due_computed"] is True
    assert doc["tasks"][1]["deadline"] == {"text": "trong quý IV/2024", "date": "2024-12-31"}


def test_ics_subtasks_due_rrule_and_parent_link():
    cal = Calendar.from_ical(render_ics([select(plan())], now=NOW))
    todos = {str(t["UID"]): t for t in cal.walk("VTODO")}
    assert len(todos) == 6  # tasks and subtasks
    d = plan()
    t1a = todos[task_uid(d, "1.a")]
    assert t1a["DUE"].dt == dt.date(2024, 9, 30) and "RRULE" not in t1a
    assert str(t1a["RELATED-TO"]) == task_uid(d, "1") and t1a["RELATED-TO"].params["RELTYPE"] == "PARENT"
    t1b = todos[task_uid(d, "1.b")]
    assert t1b["DUE"].dt == dt.date(2024, 7, 31)
    assert t1b["RRULE"].to_ical() == b"FREQ=MONTHLY;BYMONTHDAY=-1"
    t1c = todos[task_uid(d, "1.c")]
    assert t1c["DUE"].dt == dt.date(2024, 7, 20) and t1c["RRULE"]["BYMONTHDAY"] == [20]
    t2 = todos[task_uid(d, "2")]
    assert t2["DUE"].dt == dt.date(2024, 12, 31) and t2["RRULE"]["INTERVAL"] == [3]
    desc = str(t2["DESCRIPTION"])
    assert "Kế hoạch số 168/KH-UBND" in desc and "mục 2" in desc and "Hạn: trong quý IV/2024 (2024-12-31)" in desc
    assert "Báo cáo về: UBND tỉnh" in str(t1b["DESCRIPTION"])
    assert cal["PRODID"] == "-//congvan//tasks//VI" and cal["VERSION"] == "2.0"
    assert all(t["DTSTAMP"].dt == NOW for t in todos.values())


def test_ics_uids_unique_when_ids_repeat():
    d = plan()
    d.tasks.append(Task(id="3", text="Một nhiệm vụ khác cùng số."))
    cal = Calendar.from_ical(render_ics([select(d)], now=NOW))
    uids = [str(t["UID"]) for t in cal.walk("VTODO")]
    assert len(uids) == len(set(uids)) == 7


def test_empty_selection_renders_valid_empty_outputs():
    docs = [select(plan(), due_before=dt.date(2000, 1, 1))]
    assert json.loads(render_json(docs)) == []
    assert list(csv.DictReader(io.StringIO(render_csv(docs)))) == []
    assert list(Calendar.from_ical(render_ics(docs)).walk("VTODO")) == []
    with pytest.raises(ValueError):
        render(docs, "pdf")


# --------------------------------------------------------------------------- issue 11: --for and the calendar


def _assignments() -> Dispatch:
    """A team-written công văn: one unit named, one partner, two groups, one task without a deadline."""
    tasks = [
        Task(id="1", text="Các sở, ban, ngành rà soát thủ tục hành chính.", actors=["các sở, ban, ngành"],
             deadline=Deadline(text="trước ngày 15/7/2025", date="2025-07-15")),
        Task(id="2", text="Sở Tư pháp thẩm định dự thảo quy chế.", actors=["Sở Tư pháp"],
             deadline=Deadline(text="trong tháng 8/2025", date="2025-08-31")),
        Task(id="3", text="Công an tỉnh chủ trì kiểm tra an ninh mạng.", actors=["Công an tỉnh"],
             cooperating=["Sở Tư pháp"]),
        Task(id="4", text="Các cơ quan, đơn vị báo cáo kết quả trước ngày 20 hằng tháng.", actors=["các cơ quan, đơn vị"],
             recurrence="monthly", rrule="FREQ=MONTHLY;BYMONTHDAY=20", kind="report", report_to="Sở Nội vụ"),
    ]
    return Dispatch(source=Source(path="cv-218.txt", sha256="b" * 64, format="txt", size=10), date="2025-06-02",
                    doc_type=DocType("CV", "Công văn"), number=DocNumber(text="218/UBND-KSTT", serial="218", year=None, symbol="UBND-KSTT"),
                    recipients=["Sở Tư pháp", "Sở Nội vụ", "Công an tỉnh"], tasks=tasks)


def test_for_unit_own_tasks_first_with_reasons():
    doc = select(_assignments(), for_unit="So Tu phap")  # case and diacritics forgiven
    got = [(it.task.id, it.why) for it in doc.flat()]
    assert got[0] == ("2", "được giao trực tiếp")
    assert got[1] == ("3", "đơn vị phối hợp")
    assert got[2][0] == "1" and got[2][1].startswith("thuộc nhóm “các sở, ban, ngành”")
    assert "văn bản gửi: Sở Tư pháp" in got[2][1]  # the group linked to the member listed in Kính gửi
    assert got[3][0] == "4" and "các cơ quan, đơn vị" in got[3][1]
    md = render_markdown([doc])
    assert md.index("- [ ] 2.") < md.index("- [ ] 3.") < md.index("- [ ] 1.") and "được giao trực tiếp" in md
    data = json.loads(render_json([doc]))
    assert data[0]["tasks"][0]["why"] == "được giao trực tiếp"


def test_for_unit_not_named_anywhere():
    from pipeline.checklist import named_units

    doc = select(_assignments(), for_unit="Hội Nông dân tỉnh")
    # only the everyone-group task reaches a unit the document never names
    assert [it.task.id for it in doc.flat()] == ["4"]
    names = named_units([select(_assignments())])
    assert names[:3] == ["các sở, ban, ngành", "Sở Tư pháp", "Công an tỉnh"] and "Sở Nội vụ" in names


def test_ics_due_all_day_rrule_and_flag_for_tasks_without_deadline():
    cal = Calendar.from_ical(render_ics([select(_assignments())], now=NOW))
    todos = {str(t["UID"]).split("-")[1].split("@")[0]: t for t in cal.walk("VTODO")}
    assert todos["2"].decoded("DUE") == dt.date(2025, 8, 31)  # all-day: a date, not a date-time
    assert "VALUE=DATE" in todos["2"].to_ical().decode()
    assert todos["4"]["RRULE"]["FREQ"] == ["MONTHLY"] and todos["4"]["RRULE"]["BYMONTHDAY"] == [20]
    assert todos["4"].decoded("DUE") == dt.date(2025, 6, 20)
    assert "DUE" not in todos["3"] and "CHƯA CÓ HẠN" in str(todos["3"]["DESCRIPTION"])
    assert "CHƯA CÓ HẠN" not in str(todos["2"]["DESCRIPTION"])


# --------------------------------------------------------------------------- labels in English (--lang en)


def test_labels_file_has_every_language_for_every_key():
    from pipeline.checklist.labels import LANGS, labels

    table = labels()
    assert {"no_tasks", "md_due_date", "ics_lead", "why_direct"} <= set(table)
    for key, by_lang in table.items():
        assert set(by_lang) == set(LANGS) and all(by_lang.values()), key
        # the same fields in every language, so no rendering can fail in one of them
        fields = {lang: sorted(re.findall(r"{(\w+)}", text)) for lang, text in by_lang.items()}
        assert fields["vi"] == fields["en"], key


def test_markdown_in_english_keeps_the_documents_words():
    md = render_markdown([select(plan())], lang="en")
    assert md.startswith("## Kế hoạch No. 168/KH-UBND — Ủy ban nhân dân tỉnh Thanh Hóa, 2024-07-19")
    assert "Re: phòng, chống dịch bệnh" in md
    assert "partners: UBND các huyện, thị xã, thành phố" in md
    assert "due 2024-09-30 “trước ngày 30/9/2024”" in md
    assert "monthly, day 20" in md and "report to UBND tỉnh" in md
    assert not re.search(r"(; |\()hạn |phối hợp:|báo cáo về|V/v|, ngày 20", md)
    assert render_markdown([], lang="en") == "No tasks.\n"
    assert render_markdown([select(plan())]) == render_markdown([select(plan())], lang="vi")  # Vietnamese by default


def test_ics_and_reasons_in_english():
    docs = [select(plan(), for_unit="Sở Y tế", lang="en")]
    assert docs[0].items[0].why == "assigned directly"
    cal = Calendar.from_ical(render(docs, "ics", now=NOW, lang="en"))
    assert str(cal["X-WR-CALNAME"]) == "congvan — tasks"
    desc = {str(t["UID"]).split("-", 1)[1].split("@")[0]: str(t["DESCRIPTION"]) for t in cal.walk("VTODO")}
    assert "Lead: Sở Y tế" in desc["1"] and "Partners: UBND các huyện" in desc["1"]
    assert "Source: Kế hoạch No. 168/KH-UBND dated 2024-07-19 by Ủy ban nhân dân tỉnh Thanh Hóa, item 1" in desc["1"]
    assert "NO DEADLINE" in desc["1"] and "Repeats: monthly" in desc["1.b"]
    group = select(plan(), for_unit="Sở Tài chính", lang="en").flat()
    assert group and group[0].why.startswith("in the group “")


def test_unknown_language_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        render([select(plan())], "md", lang="fr")
