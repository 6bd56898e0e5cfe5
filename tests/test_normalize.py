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


def test_unwrap_header_cells_rejoins_narrow_cell_wraps_and_keeps_length():
    from pipeline.normalize import unwrap_header_cells

    text = ("LIÊN ĐOÀN LAO ĐỘNG\nTỈNH HÀ TĨNH\nSố: 412/LĐLĐ-\n  TC  \nV/v tổ chức tháng công nhân\n\n"
            "CỘNG HÒA XÃ HỘI CHỦ\nNGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Tĩnh, ngày 02 tháng 4 năm\n2025\n")
    from pipeline.lexicons import motto_keys

    out = unwrap_header_cells(text, motto_keys())
    assert len(out) == len(text)
    lines = [ln.strip() for ln in out.split("\n")]
    assert "Số: 412/LĐLĐ-TC" in lines and "V/v tổ chức tháng công nhân" in lines
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines
    assert "Hà Tĩnh, ngày 02 tháng 4 năm 2025" in lines


def test_unwrap_header_cells_leaves_body_sentences_alone():
    from pipeline.normalize import unwrap_header_cells

    body = ("Căn cứ Nghị định số 45/2023/NĐ-CP ngày 10 tháng\n7 năm 2023 của Chính phủ;\n"
            "Các đơn vị báo cáo kết quả trước ngày 15 tháng\n12 năm 2025.\nSố liệu tổng hợp theo mẫu số 02-\nBC kèm theo.")
    assert unwrap_header_cells(body) == body


def test_join_wrapped_lines_only_joins_lower_case_continuations():
    from pipeline.normalize import join_wrapped_lines

    text = ("thực hiện Luật Phòng,\nchống tác hại của rượu, bia và Nghị\nquyết số 12-NQ/TU;\n"
            "Điều 2. Tổ chức thực hiện\nGiao Sở Y tế chủ trì.\n- các đơn vị\n1. Nghị định số 5/2020/NĐ-CP\n")
    out = join_wrapped_lines(text)
    assert len(out) == len(text)
    assert "Luật Phòng, chống tác hại" in out and "và Nghị quyết số 12-NQ/TU;\nĐiều 2" in out
    assert "Tổ chức thực hiện\nGiao Sở" in out and ";\n- các" not in out.replace("TU;\nĐiều", "")
    assert "đơn vị\n1. Nghị định" in out


def test_a_citation_wrapped_by_the_layout_is_found():
    from pipeline import find_references

    refs = find_references("Thực hiện Nghị\nquyết số 21-NQ/TU ngày 05/3/2024 của Ban Thường vụ Tỉnh ủy và Luật "
                           "Phòng,\nchống ma túy, các cơ quan triển khai.")
    assert [r.number for r in refs if r.number] == ["21-NQ/TU"] and refs[0].relation == "implements"
    assert any(r.title and "ma túy" in r.title for r in refs)
