"""Legacy Vietnamese encodings: TCVN3 (ABC), VNI-Windows, Windows-1258 — detection and repair."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline.read import ReadOptions, read
from pipeline.read.legacy import (
    decode_tcvn3,
    decode_vni,
    encode_tcvn3,
    encode_vni,
    is_syllable,
    repair,
    repair_bytes,
    tcvn3_table,
    vni_table,
)

from .conftest import DEV, SEED

# Sentences written for these tests (letterhead, subject, body, signature and copy-list styles).
SENTENCES = [
    "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 215/QĐ-UBND ngày 14 tháng 3 năm 2024",
    "V/v tăng cường công tác phòng, chống thiên tai và tìm kiếm cứu nạn năm 2024",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 45/TTr-SNV,",
    "Giao Sở Tài nguyên và Môi trường chủ trì, phối hợp với các sở, ngành liên quan hướng dẫn thực hiện.",
    "Người đứng đầu cơ quan, đơn vị chịu trách nhiệm trước Chủ tịch về kết quả triển khai nhiệm vụ được giao.",
    "Nơi nhận: Như trên; Thường trực Tỉnh ủy (b/c); Lưu: VT, NC.",
    "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Văn Hường",
    "Uỷ ban nhân dân các huyện, thị xã, thành phố báo cáo kết quả trước ngày 30 tháng 9 năm 2024.",
    "khuỷu tay, quýt, thuở nhỏ, ngoằn ngoèo, giữ gìn, khuya khoắt, rượu, huých, hoạch định, nguệch ngoạc",
]
TEXT = "\n".join(SENTENCES)


def test_tables_are_complete():
    tcvn = tcvn3_table()
    assert len(set(tcvn.values()) | {"ý"}) == 67 + 7  # 67 lower-case letters (ý is the same byte) + Ă Â Ê Ô Ơ Ư Đ
    assert tcvn["\u00ad"] == "ư" and tcvn["µ"] == "à" and tcvn["§"] == "Đ" and tcvn["Ê"] == "ấ"
    vni = vni_table()
    letters = {unicodedata.normalize("NFC", v) for v in vni.values()}
    assert len(letters) == 134  # 67 letters, both cases
    assert vni["aø"] == "à" and vni["eä"] == "ệ" and vni["ö"] == "ư" and vni["Ñ"] == "Đ" and vni["oá"] == "ố"


def test_spec_examples():
    assert repair("Uû ban nh©n d©n tØnh L©m §ång")[0] == "Uỷ ban nhân dân tỉnh Lâm Đồng"
    assert repair("Ban ChÊp hµnh Trung \u00ad¬ng §¶ng")[0] == "Ban Chấp hành Trung ương Đảng"
    assert repair("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam") == ("Cộng hòa xã hội chủ nghĩa Việt Nam", "vni")


@pytest.mark.parametrize("encoding,encode", [("tcvn3", encode_tcvn3), ("vni", encode_vni)])
def test_round_trip(encoding, encode):
    mojibake = encode(TEXT)
    assert mojibake != TEXT
    assert repair(mojibake) == (TEXT, encoding)


@pytest.mark.parametrize("encoding,encode", [("tcvn3", encode_tcvn3), ("vni", encode_vni)])
def test_round_trip_through_bytes(encoding, encode):
    raw = encode(TEXT).encode("cp1252")
    assert repair_bytes(raw) == (TEXT, encoding)


def _to_cp1258_mojibake(text: str) -> str:
    """Windows-1258 bytes (base letter + combining tone byte) shown as Windows-1252 characters."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out += base.encode("cp1258") + tones.encode("cp1258")
    return out.decode("cp1252", errors="replace")


def test_cp1258_read_as_cp1252():
    mojibake = _to_cp1258_mojibake(TEXT)
    assert "Ð" in mojibake
    assert repair(mojibake) == (TEXT, "cp1258")


def test_stray_windows_1258_tone_marks():
    # tone typed after the final consonant; NFC alone would make "ṭ"
    assert repair("Vie\u0302t\u0323 Nam va\u0300 ca\u0301c nươc\u0301") == ("Việt Nam và các nước", "cp1258")
    # plain decomposed text is only normalised
    nfd = unicodedata.normalize("NFD", TEXT)
    assert repair(nfd) == (TEXT, None)


def test_vntimeh_capitals():
    # .VnTimeH draws capitals from lower-case codes
    assert decode_tcvn3("QUYÕT §ÞNH VÒ VIÖC") == "QUYẾT ĐỊNH VỀ VIỆC"
    assert decode_tcvn3("Sè: 12/Q§-UBND") == "Số: 12/QĐ-UBND"


def test_unicode_text_is_left_alone():
    for text in (TEXT, TEXT.upper(), "Bá Tú, Chí, Hà, Tô, Mã, Lê Vũ", "Kích thước 20×30 cm, 5 µm, © 2024, § 3",
                 "Café Zürich, São Paulo, España, «Điều 1»", "²³ ±5 °C ¼ ½"):
        assert repair(text) == (unicodedata.normalize("NFC", text), None), text


def test_syllables():
    for word in "quyết định trưởng người khuỷu quýt gì giữ giếng hoạch thuở nghiêng ưu oẳn".split():
        assert is_syllable(word), word
    for word in "chêp nghậ ậnh chớnh tỳy nh©n hµnh vieät ngµy".split():
        assert not is_syllable(word), word


def test_mixed_page_repairs_only_the_legacy_lines():
    page = "Trang chủ > Văn bản pháp luật\n" + encode_tcvn3(TEXT) + "\nCơ sở dữ liệu quốc gia về pháp luật"
    fixed, encoding = repair(page)
    assert encoding == "tcvn3"
    assert fixed == "Trang chủ > Văn bản pháp luật\n" + TEXT + "\nCơ sở dữ liệu quốc gia về pháp luật"


def test_legacy_words_inside_unicode_lines():
    line = "Căn cứ " + encode_tcvn3("Nghị định số 30/2020/NĐ-CP của Chính phủ về công tác văn thư")
    assert repair(line) == ("Căn cứ Nghị định số 30/2020/NĐ-CP của Chính phủ về công tác văn thư", "tcvn3")


def test_txt_reader_repairs_legacy_bytes(tmp_path):
    for encoding, encode in (("tcvn3", encode_tcvn3), ("vni", encode_vni)):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(encode(TEXT).encode("cp1252"))
        text = read(path, ReadOptions())
        assert text.text == TEXT
        assert text.source.encoding_repaired == encoding


# --- the corpus ---------------------------------------------------------------------------------------------


def _corpus_texts():
    files = sorted((DEV / "docs").glob("*.txt")) if (DEV / "docs").is_dir() else []
    files += sorted(SEED.glob("*.txt")) if SEED.is_dir() else []
    return files


@pytest.mark.parametrize("path", [p for p in _corpus_texts() if "tcvn3" not in p.name], ids=lambda p: p.stem)
def test_corpus_unicode_texts_unchanged(path):
    text = path.read_text(encoding="utf-8")
    assert repair(text) == (unicodedata.normalize("NFC", text), None)


def test_d25_tcvn3_is_repaired(dev_corpus):
    doc = dev_corpus / "docs" / "d25-bxd-qd-1408-tcvn3.txt"
    gold = json.loads((dev_corpus / "gold" / "d25-bxd-qd-1408-tcvn3.json").read_text(encoding="utf-8"))
    text = doc.read_text(encoding="utf-8")
    fixed, encoding = repair(text)
    assert encoding == "tcvn3"
    assert gold["subject"] in " ".join(fixed.split())
    assert "Căn cứ Nghị định số 104/2004/NĐ-CP ngày 23/3/2004 của Chính phủ" in fixed
    assert "Bộ trưởng Bộ Xây dựng" in fixed
    # the Unicode page frame is untouched
    frame = [line for line in text.splitlines() if line.startswith(("Trang chủ", "Văn bản", "Ngày có hiệu lực"))]
    assert frame and all(line in fixed.splitlines() for line in frame)
    # what is left looks like Vietnamese, not like TCVN3
    assert not any(c in fixed for c in "©µ¸¬®§¶·¹ÞÕ\u00ad")


# --- properties ---------------------------------------------------------------------------------------------

ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gi", "h", "k", "kh", "l", "m", "n", "ng", "nh", "ph", "qu", "r", "s",
          "t", "th", "tr", "v", "x"]
RHYMES = ["a", "ai", "am", "an", "ang", "anh", "ao", "at", "ac", "ach", "ăn", "ăm", "ăng", "ăt", "âm", "ân", "âng",
          "ât", "âu", "ây", "e", "em", "en", "eo", "et", "ê", "êm", "ên", "ênh", "êt", "êu", "i", "im", "in", "inh",
          "it", "ich", "iu", "iêc", "iên", "iêt", "iêu", "o", "oa", "oai", "oan", "oang", "oanh", "oat", "oc", "oe",
          "oi", "om", "on", "ong", "ot", "ô", "ôi", "ôm", "ôn", "ông", "ôt", "ôc", "ơ", "ơi", "ơm", "ơn", "ơt", "u",
          "ua", "uân", "uât", "uê", "ui", "um", "un", "ung", "uôc", "uôi", "uôn", "uông", "uôt", "ut", "uy", "uyên",
          "uyêt", "ư", "ưa", "ưc", "ưi", "ưng", "ươc", "ươi", "ươn", "ương", "ươt", "ưu", "y", "yêu"]
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
VOWELS = "aăâeêioôơuưy"


def _apply_tone(syllable: str, tone: str) -> str:
    if not tone:
        return syllable
    idx = [i for i, c in enumerate(syllable) if c in VOWELS]
    if syllable.startswith(("qu", "gi")) and len(idx) > 1:
        idx = idx[1:]
    marked = [i for i in idx if syllable[i] in "ăâêôơư"]
    if marked:
        target = marked[-1]
    elif len(idx) == 1 or idx[-1] < len(syllable) - 1:
        target = idx[-1]
    else:
        target = idx[-2]
    return unicodedata.normalize("NFC", syllable[:target + 1] + tone + syllable[target + 1:])


# Every well-formed syllable the parts above make (about 8,000).
SYLLABLES = sorted({w for o in ONSETS for r in RHYMES for t in TONES if is_syllable(w := _apply_tone(o + r, t))})
BASE_CAPITALS = "abcdđeghiklmnopqrstuvxyăâêôơư"  # letters whose capital TCVN3 has


def _word(pair: tuple[str, bool]) -> str:
    word, capital = pair
    return word[0].upper() + word[1:] if capital and word[0] in BASE_CAPITALS else word


sentences = st.lists(st.tuples(st.sampled_from(SYLLABLES), st.booleans()).map(_word), min_size=6,
                     max_size=30).map(" ".join)

def _evidence(mojibake: str, decode_other) -> list[str]:
    """Words of the mojibake that cannot be Vietnamese as they stand nor in the other legacy encoding (two
    words like "ña ña" read as "đa đa" in VNI and as "ủa ủa" in TCVN3: only more text can tell)."""
    return [w for w in mojibake.split() if len(w) > 1 and not w.isascii() and not is_syllable(w)
            and not is_syllable(decode_other(w))]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(sentences)
def test_property_unicode_vietnamese_unchanged(text):
    assert repair(text) == (text, None)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(sentences)
def test_property_tcvn3_round_trip(text):
    mojibake = encode_tcvn3(text)
    assume(len(_evidence(mojibake, decode_vni)) >= 2)
    assert repair(mojibake) == (text, "tcvn3")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(sentences)
def test_property_vni_round_trip(text):
    mojibake = encode_vni(text)
    assume(len(_evidence(mojibake, decode_tcvn3)) >= 2)
    assert repair(mojibake) == (text, "vni")


# --- place names, symbols and H-font capitals (format parity, c10/c13/c30) ----------------------------------


def _legacy(text: str, fmt: str) -> str:
    from pipeline.read.legacy import _latin1_to_cp1252
    from tests.support.fixtures import encode_legacy

    return encode_legacy(text, fmt).decode("latin-1").translate(_latin1_to_cp1252())


@pytest.mark.parametrize("fmt", ["tcvn3", "vni"])
def test_place_names_do_not_block_repair(fmt):
    from pipeline.read.legacy import repair

    for s in ("Đắk Lắk, ngày 09 tháng 4 năm 2025", "LĐLĐ tỉnh Đắk Lắk"):
        assert repair(_legacy(s, fmt)) == (s, fmt)


@pytest.mark.parametrize("fmt", ["tcvn3", "vni"])
def test_h_font_capitals_restored(fmt):
    from pipeline.read.legacy import repair

    assert _legacy("ỦY BAN NHÂN DÂN", "tcvn3") == "ñY BAN NH¢N D¢N"
    assert repair(_legacy("ỦY BAN NHÂN DÂN", fmt)) == ("ỦY BAN NHÂN DÂN", fmt)


@pytest.mark.parametrize("fmt", ["tcvn3", "vni"])
def test_symbol_and_capitals_in_a_document(fmt):
    from pipeline.read.legacy import repair

    s = "SỞ Y TẾ\nSố 09-QĐi/TU\nCao Bằng, ngày 05 tháng 3 năm 2020\nQuy định về chế độ báo cáo trong Đảng bộ tỉnh"
    assert repair(_legacy(s, fmt)) == (s, fmt)
    assert repair(s) == (s, None)


@pytest.mark.parametrize("fmt", ["tcvn3", "vni"])
def test_minority_names_follow_the_document(fmt):
    """Ê-đê and Jrai names ("Niê", "Byă") are no Vietnamese syllables before or after decoding; in a legacy
    document their lines are converted with the rest."""
    from pipeline.read.legacy import repair

    s = ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\nĐắk Lắk, ngày 05 tháng 8 năm 2024\n"
         "Sở trả lời để Liên đoàn Lao động tỉnh biết, phối hợp thực hiện.\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n"
         "Y Bhin Niê\nH Yăm Byă")
    assert repair(_legacy(s, fmt)) == (s, fmt)
    # the same names in a Unicode text stay as they are
    assert repair("Y Bhin Niê ký thay Giám đốc") == ("Y Bhin Niê ký thay Giám đốc", None)
