from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalize import canon_tones, compare_key, fold, normalize, squash, vietnamese_ratio


def test_normalize_keeps_length_and_fixes_lookalikes():
    raw = "Số: 1244 /LÐLÐ – TG\u00a0**Kính gửi**"
    out = normalize(raw)
    assert len(out) == len(raw)
    assert "ĐLĐ" in out.replace("LĐLĐ", "ĐLĐ") and "Ð" not in out
    assert "–" not in out and "*" not in out


def test_normalize_composes_nfd():
    nfd = "Nghi\u0323 đi\u0323nh"
    assert normalize(nfd) == "Nghị định"


def test_fold_and_tones():
    assert fold("Đảng Cộng sản VIỆT NAM") == "dang cong san viet nam"
    assert canon_tones("Uỷ ban hoà bình") == "Ủy ban hòa bình"
    assert canon_tones("hoàn") == "hoàn"  # not a final oa
    assert compare_key("ỦY BAN  NHÂN DÂN") == compare_key("Uỷ ban nhân dân")


def test_squash_and_ratio():
    assert squash(" a \n b\t c ") == "a b c"
    assert vietnamese_ratio("Thực hiện Kết luận của Bộ Chính trị") > 0.2
    assert vietnamese_ratio("The quick brown fox jumps over the lazy dog") == 0.0


@given(st.text(max_size=300))
def test_normalize_is_one_to_one(text):
    import unicodedata

    nfc = unicodedata.normalize("NFC", text)
    assert len(normalize(text)) == len(nfc)
