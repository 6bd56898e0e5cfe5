from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract.number import compact, find_numbers, parse_number


def test_families():
    n = parse_number("35/2023/NĐ-CP")
    assert (n.serial, n.year, n.symbol, n.family, n.type_code) == ("35", 2023, "NĐ-CP", "legal", "NĐ")
    n = parse_number("01-KL/TW")
    assert (n.serial, n.symbol, n.family, n.type_code, n.issuer_code) == ("01", "KL/TW", "party", "KL", "TW")
    n = parse_number("223/STP-BTTP")
    assert (n.symbol, n.family, n.type_code, n.issuer_code) == ("STP-BTTP", "state", None, "STP")
    n = parse_number("6713/TLĐ-TG")
    assert (n.family, n.issuer_code) == ("union", "TLĐ")
    n = parse_number("1244/LĐLĐ")
    assert (n.serial, n.year, n.symbol, n.family) == ("1244", None, "LĐLĐ", "union")
    n = parse_number("856/QĐ-TTg")
    assert (n.type_code, n.issuer_code, n.family) == ("QĐ", "TTg", "state")
    assert parse_number("80/2015/QH13").family == "national_assembly"
    assert parse_number("66.15/2026/NQ-CP").serial == "66.15"


def test_printed_variants_normalise():
    assert compact("367 - QĐ/TWĐTN-VP") == "367-QĐ/TWĐTN-VP"
    assert compact("6713/TLĐ-\nTG") == "6713/TLĐ-TG"
    assert compact("294QĐ/TW") == "294-QĐ/TW"
    assert compact("190/2025/NQ-QH15") == "190/2025/QH15"


def test_find_in_running_text():
    text = "Thực hiện Công văn số 6713/TLĐ-TG ngày 25/5/2023, Kết luận số01-KL/TW và giai đoạn 2021 - 2025."
    found = [n.normalized for _s, _e, n in find_numbers(text)]
    assert found == ["6713/TLĐ-TG", "01-KL/TW"]


def test_dates_are_not_numbers():
    assert list(find_numbers("ngày 25/5/2023 và 18-5-2021, năm 2021/2022")) == []


SERIAL = st.integers(min_value=1, max_value=9999).map(str)
CODE = st.sampled_from(["UBND", "LĐLĐ", "TLĐ", "BNV", "SYT", "STP", "CĐN", "TU", "HU", "BTGTU", "VPTW", "TW"])
UNIT = st.sampled_from(["VX", "TG", "NC", "KGVX", "CCHC", "BTTP", "TCCB"])
TYPE = st.sampled_from(["QĐ", "KH", "HD", "CT", "NQ", "TB", "BC", "KL", "CV"])
GAP = st.sampled_from(["", " ", "  ", "\n", " \n "])
DASH = st.sampled_from(["-", "–", "‑"])


@st.composite
def printed_numbers(draw):
    family = draw(st.sampled_from(["legal", "party", "typed", "cv"]))
    serial = draw(SERIAL)
    g1, g2 = draw(GAP), draw(GAP)
    d = draw(DASH)
    if family == "legal":
        year = draw(st.integers(1990, 2030))
        t = draw(st.sampled_from(["NĐ", "TT", "QĐ", "NQ"]))
        iss = draw(st.sampled_from(["CP", "BNV", "UBND", "BYT"]))
        return f"{serial}{g1}/{g2}{year}/{t}{d}{iss}", f"{serial}/{year}/{t}-{iss}"
    if family == "party":
        t, iss = draw(TYPE), draw(CODE)
        return f"{serial}{g1}{d}{g2}{t}/{iss}", f"{serial}-{t}/{iss}"
    if family == "typed":
        t, iss = draw(TYPE), draw(CODE)
        return f"{serial}{g1}/{g2}{t}{d}{iss}", f"{serial}/{t}-{iss}"
    iss, unit = draw(CODE), draw(UNIT)
    return f"{serial}{g1}/{g2}{iss}{d}{unit}", f"{serial}/{iss}-{unit}"


@given(printed_numbers())
def test_printed_variants_parse_back(case):
    """Numbers of every family, printed with spaces, line breaks and dash variants, parse to the same parts."""
    from pipeline.normalize import normalize

    printed, expected = case
    n = parse_number(normalize(printed))
    assert n is not None and n.normalized == expected
    canonical = parse_number(expected)
    assert (n.serial, n.year, n.symbol, n.family) == (canonical.serial, canonical.year, canonical.symbol,
                                                      canonical.family)
    # and found in running text
    text = normalize(f"Thực hiện văn bản số {printed} ngày 05/3/2020 của cơ quan.")
    assert [x.normalized for _s, _e, x in find_numbers(text)] == [expected]


# --- issue 16: numbers as real headers print them (team-written snippets) ---

def _header(number_line: str, extra: str = "") -> str:
    return ("ỦY BAN NHÂN DÂN                  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "  TỈNH ĐIỆN BIÊN                      Độc lập - Tự do - Hạnh phúc\n\n"
            f"{number_line}\n{extra}\n"
            "                 KẾ HOẠCH\n        Triển khai công tác chuyển đổi số năm 2026\n\n"
            "Thực hiện chỉ đạo của Tỉnh ủy, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau.\n")


def test_number_wrapped_in_a_narrow_header_cell():
    from pipeline import extract_text

    d = extract_text(_header("  Số: 2087/TLĐ-                 Điện Biên, ngày 10 tháng 3 năm 2026", "      BHLĐ"))
    assert d.number.normalized == "2087/TLĐ-BHLĐ" and d.date == "2026-03-10"
    d = extract_text(_header("  Số: 03/2026/TTLT-BCA-               Hà Nội, ngày 10 tháng 3 năm 2026",
                             "   BQP-BNV"))
    assert d.number.normalized == "03/2026/TTLT-BCA-BQP-BNV" and d.number.year == 2026


def test_wide_blank_between_serial_and_symbol():
    from pipeline import extract_text

    d = extract_text(_header("Số: 412      /KH-UBND            Điện Biên, ngày 10 tháng 3 năm 2026"))
    assert (d.number.normalized, d.number.serial, d.number.symbol) == ("412/KH-UBND", "412", "KH-UBND")


def test_type_labels_before_the_number():
    from pipeline import extract_text

    for label, num in (("Luật số:", "58/2026/QH15"), ("Bộ luật số:", "77/2026/QH15"),
                       ("Nghị quyết số:", "31/2026/QH15"), ("Pháp lệnh số:", "04/2026/UBTVQH15")):
        d = extract_text(f"QUỐC HỘI\n\n{label} {num}\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\n"
                         "Độc lập - Tự do - Hạnh phúc\n\nNội dung.\n")
        assert d.number is not None and d.number.normalized == num, label


def test_dotted_symbols():
    n = parse_number("5120/VPCP-V.I")
    assert (n.serial, n.symbol, n.issuer_code) == ("5120", "VPCP-V.I", "VPCP")
    found = [x.normalized for _s, _e, x in find_numbers("theo Công văn số 77/BCA-V.01 ngày 02/3/2026 và số 12/UBND-VX.")]
    assert found == ["77/BCA-V.01", "12/UBND-VX"]  # the full stop of a sentence is not part of the symbol


def test_serial_weakness_rules():
    from pipeline.extract.header import serial_weakness

    assert serial_weakness("1856", ocr=False, page_confidence=None) is None
    assert serial_weakness("66.15", ocr=True, page_confidence=91.0) is None
    assert "marks" in serial_weakness("(ở", ocr=True, page_confidence=None)
    assert "marks" in serial_weakness("2#", ocr=False, page_confidence=None)
    assert "zeros" in serial_weakness("0", ocr=False, page_confidence=None)
    assert "lone digit" in serial_weakness("4", ocr=True, page_confidence=None)
    assert serial_weakness("4", ocr=False, page_confidence=None) is None  # typed text: a short serial is fine
    assert "OCR confidence" in serial_weakness("318", ocr=True, page_confidence=48.0)


def _ocr_text(number_line: str, conf: float | None = None):
    from pipeline.models import Source, Text

    src = Source(path="scan.pdf", sha256="0", format="pdf", ocr=True, ocr_confidence=[conf] if conf else None)
    return Text(_header(number_line + "            Điện Biên, ngày 10 tháng 3 năm 2026"), src)


def test_weak_serial_gives_the_symbol_and_a_null_serial():
    from pipeline import extract_text

    d = extract_text(_header("Số: (ở /QĐ-UBND            Điện Biên, ngày 10 tháng 3 năm 2026"))
    assert d.number.serial is None and d.number.symbol == "QĐ-UBND" and d.number.normalized == "/QĐ-UBND"
    assert any("not trusted" in w for w in d.warnings)
    assert {"field": "number", "reason": "weak_serial"} in [{k: r[k] for k in ("field", "reason")}
                                                           for r in d.needs_review]


def test_ocr_weak_serial_lone_digit_and_low_confidence():
    from pipeline.extract import extract_from_text

    d = extract_from_text(_ocr_text("Số: 7 /KH-UBND", conf=88.0))  # handwritten 57 read as "7"
    assert d.number.serial is None and d.number.symbol == "KH-UBND"
    d = extract_from_text(_ocr_text("Số: 318/KH-UBND", conf=46.0))
    assert d.number.serial is None and any("OCR confidence" in w for w in d.warnings)
    d = extract_from_text(_ocr_text("Số: 318/KH-UBND", conf=90.0))
    assert d.number.serial == "318" and d.confidence["number"] == 0.9


def test_party_number_with_a_blank_serial():
    from pipeline import extract_text

    d = extract_text("TỈNH ỦY ĐIỆN BIÊN                 ĐẢNG CỘNG SẢN VIỆT NAM\n          *\n"
                     "     Số -KH/TU                    Điện Biên, ngày    tháng 4 năm 2026\n\n"
                     "KẾ HOẠCH\nthực hiện chuyên đề năm 2026\n\nNội dung.\n")
    assert d.number.serial is None and d.number.normalized == "-KH/TU" and d.date is None


def test_number_cut_after_its_slash_and_ocr_labels():
    from pipeline import extract_text

    d = extract_text("LIÊN ĐOÀN LAO ĐỘNG TỈNH ĐIỆN BIÊN     CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                     "                                      Độc lập - Tự do - Hạnh phúc\n"
                     "Số: 1244/                             Điện Biên, ngày 07 tháng 6 năm 2026\n   LĐLĐ\n"
                     "V/v tổ chức Tháng Công nhân\n\nKính gửi: Các công đoàn cơ sở.\n\nĐề nghị các đơn vị thực hiện.\n")
    assert d.number.normalized == "1244/LĐLĐ" and d.subject == "tổ chức Tháng Công nhân"
    for label in ("Sô:", "Sổ:", "S6:"):  # OCR's readings of "Số:"
        assert extract_text(_header(f"{label} 412/KH-UBND            Điện Biên, ngày 10 tháng 3 năm 2026")
                            ).number.normalized == "412/KH-UBND", label


def test_number_in_the_table_cell_after_its_label():
    from pipeline import extract_text

    d = extract_text("ỦY BAN NHÂN DÂN\nTỈNH ĐIỆN BIÊN\nSố:\n412/KH-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                     "Độc lập - Tự do - Hạnh phúc\nĐiện Biên, ngày 10 tháng 3 năm 2026\nKẾ HOẠCH\n"
                     "Triển khai công tác chuyển đổi số năm 2026\nNội dung.\n")
    assert d.number.normalized == "412/KH-UBND" and d.date == "2026-03-10"
