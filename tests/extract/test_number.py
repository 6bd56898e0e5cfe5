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
