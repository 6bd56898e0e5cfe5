"""Who a task reaches (`congvan tasks --for`): forgiving names, abbreviations, and "every unit of a kind"."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.checklist.actors import actor_key, actor_matches, reaches, task_matches
from pipeline.normalize import fold


@pytest.mark.parametrize("query, actor", [
    # the examples
    ("Công đoàn ngành Giáo dục", "các cấp công đoàn"),
    ("LĐLĐ huyện Quỳnh Lưu", "LĐLĐ các huyện, thành phố"),
    # every unit of a kind
    ("Công đoàn ngành Giáo dục", "Các Công đoàn ngành"),
    ("Trường THCS Phượng Sơn", "các đơn vị"),
    ("Sở Y tế", "các sở, ban, ngành"),
    ("Ban Dân vận Tỉnh ủy", "các sở, ban, ngành"),
    ("Huyện ủy Nam Đàn", "các huyện ủy"),
    ("Đảng ủy Khối cơ quan tỉnh", "Các huyện ủy, thành ủy, thị ủy, đảng ủy trực thuộc Tỉnh ủy"),
    ("Liên đoàn Lao động thành phố Lai Châu", "LĐLĐ các huyện, thành phố"),
    ("LĐLĐ thành phố Hà Nội", "Các Liên đoàn Lao động tỉnh, thành phố, công đoàn ngành trung ương và tương đương"),
    ("UBND huyện Nga Sơn", "Sở Y tế, các sở, ngành, UBND các huyện, thị xã, thành phố"),
    ("Ủy ban nhân dân thị xã Bỉm Sơn", "Sở Y tế, các sở, ngành, UBND các huyện, thị xã, thành phố"),
    ("UBND tỉnh Thanh Hóa", "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"),
    ("Trung tâm Y tế huyện Nga Sơn", "Trung tâm Kiểm soát bệnh tật tỉnh, Trung tâm Y tế các huyện, thị xã, thành phố"),
    ("Chi bộ thôn 3", "Các chi bộ, đảng bộ trực thuộc Huyện ủy"),
    ("Huyện ủy Thọ Xuân", "Các cấp ủy, tổ chức đảng"),
    ("Ban Tuyên giáo Huyện ủy Thọ Xuân", "Ban tuyên giáo các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy"),
    ("UBND xã Phượng Sơn", "UBND các xã, thị trấn"),
    ("Ủy ban MTTQ huyện Sơn Tịnh", "Ban Thường trực Ủy ban MTTQ Việt Nam các huyện, thị xã, thành phố"),
    ("Đoàn cơ sở xã Nghĩa Hồ", "Các đoàn cơ sở"),
    # named bodies
    ("Sở Y tế tỉnh Thanh Hóa", "Sở Y tế"),
    ("Văn phòng Tổng Liên đoàn", "Ban Tuyên giáo Tổng Liên đoàn, Văn phòng Tổng Liên đoàn"),
    ("Văn phòng TLĐ", "Ban Tuyên giáo Tổng Liên đoàn, Văn phòng Tổng Liên đoàn"),
    ("Công đoàn Viên chức tỉnh", "Các LĐLĐ huyện, thành phố, thị xã, các công đoàn ngành, Công đoàn Viên chức tỉnh"),
    ("Sở Giáo dục và Đào tạo", "Sở GD&ĐT"),
    ("Sở Y tế", "Giám đốc Sở Y tế"),
    ("các cấp công đoàn", "các cấp công đoàn"),
    ("Sở Y tế", "thủ trưởng các cơ quan, đơn vị"),
    ("UBND xã Phượng Sơn", "ủy ban nhân dân các xã, thị trấn"),
])
def test_reaches(query, actor):
    assert actor_matches(query, actor)


@pytest.mark.parametrize("query, actor", [
    ("Liên đoàn Lao động tỉnh Lai Châu", "LĐLĐ các huyện, thành phố"),
    ("Công đoàn ngành Giáo dục", "LĐLĐ các huyện, thành phố"),
    ("Bộ Y tế", "Sở Y tế"),
    ("Sở Y tế", "Các Liên đoàn Lao động tỉnh, thành phố, công đoàn ngành trung ương và tương đương"),
    ("Công đoàn cơ sở Trường Tiểu học A", "Các đoàn cơ sở"),
    ("Công đoàn Giáo dục huyện", "Các cấp ủy, tổ chức đảng"),
    ("Phòng Y tế huyện Nga Sơn", "Trung tâm Y tế các huyện"),
    ("Sở Tài chính", "Sở Y tế"),
    ("", "các đơn vị"),
    # a verb phrase caught in a co-operating list is not an addressee
    ("Sở Y tế", "Văn phòng Tổng Liên đoàn theo dõi, đôn đốc, hướng dẫn các đơn vị"),
])
def test_does_not_reach(query, actor):
    assert not actor_matches(query, actor)


@pytest.mark.parametrize("query", ["cong doan nganh giao duc", "CÔNG ĐOÀN NGÀNH GIÁO DỤC", "Cong Doan Nganh Giao Duc",
                                   "CĐ ngành Giáo dục", "CĐN Giáo dục", "  công   đoàn ngành  giáo dục "])
def test_forgives_case_diacritics_abbreviations_and_spacing(query):
    assert actor_matches(query, "Các Công đoàn ngành")
    assert actor_matches(query, "các cấp công đoàn")


@pytest.mark.parametrize("query", ["ldld huyen Quynh Luu", "LĐLĐ huyện Quỳnh Lưu", "Liên đoàn Lao động huyện Quỳnh Lưu",
                                   "liên đoàn lao động huyện quỳnh lưu", "LDLD huyện Quỳnh Lưu"])
def test_ldld_spelled_any_way(query):
    assert actor_matches(query, "LĐLĐ các huyện, thành phố")


def test_ubnd_expands_both_ways():
    assert actor_matches("ubnd tinh Lai Chau", "Ủy ban nhân dân tỉnh Lai Châu")
    assert actor_matches("Ủy ban nhân dân tỉnh Lai Châu", "UBND tỉnh Lai Châu")
    assert actor_key("UBND tỉnh") == actor_key("Ủy ban nhân dân tỉnh") == "uy ban nhan dan tinh"
    assert actor_key("Uỷ ban nhân dân") == actor_key("Ủy ban nhân dân")


def test_reaches_reads_lists():
    kinds = {(r.kind, r.key) for r in reaches("LĐLĐ các huyện, thành phố")}
    assert kinds == {("kind", "lien doan lao dong huyen"), ("kind", "lien doan lao dong thanh pho")}
    assert {r.kind for r in reaches("các cấp công đoàn")} == {"family"}
    assert {r.kind for r in reaches("các đơn vị")} == {"everyone"}


def test_task_matches_any_actor():
    assert task_matches("Sở Y tế", ["Sở Tài chính", "Sở Y tế"])
    assert not task_matches("Sở Y tế", [])


NAMES = ["Sở Y tế tỉnh Thanh Hóa", "Liên đoàn Lao động huyện Quỳnh Lưu", "Ban Tuyên giáo Tỉnh ủy",
         "Công đoàn Viên chức tỉnh Lai Châu", "Ủy ban nhân dân xã Phượng Sơn", "Văn phòng Tổng Liên đoàn"]


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(NAMES), case=st.sampled_from(["upper", "lower", "fold", "title", "same"]))
def test_a_name_always_reaches_itself_however_typed(name, case):
    typed = {"upper": name.upper(), "lower": name.lower(), "fold": fold(name), "title": name.title(),
             "same": name}[case]
    assert actor_matches(typed, name)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.text(max_size=120))
def test_never_raises(query, actor):
    actor_matches(query, actor)
