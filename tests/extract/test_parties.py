from pipeline.extract.parties import cc_from_items, recipients_from_lines


def test_recipients_split_on_dashes_lines_and_semicolons():
    assert recipients_from_lines(["- LĐLĐ các huyện, thành phố;", "- Các Công đoàn ngành; Công đoàn Viên chức."]) == [
        "LĐLĐ các huyện, thành phố", "Các Công đoàn ngành", "Công đoàn Viên chức"]
    assert recipients_from_lines(["Bộ Nội vụ"]) == ["Bộ Nội vụ"]
    # a wrapped addressee continues on the next line
    assert recipients_from_lines(["- Ủy ban nhân dân các tỉnh, thành phố", "trực thuộc Trung ương."]) == [
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"]


def test_cc_items():
    assert cc_from_items(["- Như trên;", "- Ban Tuyên giáo TLĐ (b/c);", "- Lưu: VT, TgNc."]) == [
        "Như trên", "Ban Tuyên giáo TLĐ (b/c)", "Lưu: VT, TgNc"]
    # two items glued on one line by the layout
    assert cc_from_items(["- Các đồng chí Phó Trưởng Ban, - Các vụ, cục, đơn vị trong Ban,"]) == [
        "Các đồng chí Phó Trưởng Ban", "Các vụ, cục, đơn vị trong Ban"]
