"""DOCX reader: document order, tables, text boxes, tracked changes, fields, notes, headers/footers, Word list
numbering, and the package guards (encryption, ZIP bombs). Files are built here with python-docx."""

from __future__ import annotations

import copy
import io
import re
import struct
import time
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from pipeline.read import EncryptedFile, NoText, ReadOptions, TooLarge, read
from pipeline.read.docx import NUMBERING_WARNING, extract_docx_text

from .conftest import dev_files, reference_text

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
NS = (W + ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
      ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
      ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
      ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
      ' xmlns:v="urn:schemas-microsoft-com:vml"'
      ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def body_xml(document: docx.document.Document, xml: str) -> None:
    """Append raw WordprocessingML (one element) to the body, before the section properties."""
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(xml.replace("<w:p>", f"<w:p {NS}>", 1) if xml.startswith("<w:p>")
                                         else xml))


def lines(path: Path) -> list[str]:
    return [line for line in read(path).text.split("\n") if line.strip()]


# --- the dev corpus -----------------------------------------------------------------------------------------


LIST_LABEL = re.compile(r"(?:\d+(?:\.\d+)*[.)]|[a-zđ][.)]|[-–•+])\s+")


def _unlabelled(line: str, reference: str) -> str:
    """The line without the list label our reader printed, where that is all that tells it from the reference."""
    m = LIST_LABEL.match(line)
    return line[m.end():] if m and line != reference and line[m.end():] == reference else line


@pytest.mark.parametrize("path", dev_files(".docx"), ids=lambda p: p.stem)
def test_dev_docx_matches_reference_lines(path, dev_corpus):
    start = time.perf_counter()
    text = read(path)
    elapsed = time.perf_counter() - start
    reference = [line.strip() for line in reference_text(path).split("\n") if line.strip()]
    ours = [line.strip() for line in text.text.split("\n") if line.strip()]
    # The corpus text is python-docx's: no Word list labels, no footnotes. Ours rebuilds both, so a line may carry
    # a label the reference lacks (only where the file uses Word numbering), and footnotes follow the body.
    if NUMBERING_WARNING in text.warnings:
        ours = [_unlabelled(line, reference[i]) if i < len(reference) else line for i, line in enumerate(ours)]
    assert ours[:len(reference)] == reference  # same lines, same order
    notes = ours[len(reference):]
    assert not notes or re.match(r"\[\d+\] ", notes[0])  # then the notes (a note may run over several lines)
    assert text.source.format == "docx" and text.source.encoding_repaired is None
    assert elapsed < 2.0


def test_dev_letterhead_cells_in_order(dev_corpus):
    path = dev_corpus / "files" / "d01-ubnd-lamdong-cv-hd46.docx"
    got = lines(path)
    assert got[:4] == ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                       "Độc lập - Tự do - Hạnh phúc"]
    assert "Kính gửi: Công an tỉnh" in [line.strip() for line in got]


# --- structure ----------------------------------------------------------------------------------------------


def test_tables_nested_and_merged(tmp_path):
    d = docx.Document()
    d.add_paragraph("Trước bảng")
    head = d.add_table(rows=2, cols=2)
    head.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG"
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    merged = head.cell(1, 0).merge(head.cell(1, 1))
    merged.text = "Số: 12/UBND-VX"
    inner = head.cell(0, 0).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "ô trong 1"
    inner.cell(0, 1).text = "ô trong 2"
    d.add_paragraph("Sau bảng")
    d.save(tmp_path / "t.docx")
    assert lines(tmp_path / "t.docx") == [
        "Trước bảng", "ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "ô trong 1", "ô trong 2",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 12/UBND-VX", "Sau bảng"]


def test_tracked_changes_fields_links_and_controls(tmp_path):
    d = docx.Document()
    body_xml(d, '<w:p><w:r><w:t xml:space="preserve">Hạn nộp </w:t></w:r>'
                '<w:del w:id="1" w:author="a"><w:r><w:delText>30/9/2024</w:delText></w:r></w:del>'
                '<w:ins w:id="2" w:author="a"><w:r><w:t>15/10/2024</w:t></w:r></w:ins></w:p>')
    body_xml(d, '<w:p><w:r><w:t xml:space="preserve">Trang </w:t></w:r>'
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>'
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
                '<w:fldSimple w:instr=" DATE "><w:r><w:t xml:space="preserve"> ngày 07/6/2023</w:t></w:r></w:fldSimple>'
                '</w:p>')
    body_xml(d, '<w:p><w:hyperlink r:id="rId99"><w:r><w:t>Công văn số 1244/LĐLĐ</w:t></w:r></w:hyperlink>'
                '<w:sdt><w:sdtContent><w:r><w:t xml:space="preserve"> của LĐLĐ tỉnh</w:t></w:r></w:sdtContent></w:sdt>'
                '</w:p>')
    body_xml(d, f'<w:sdt {W}><w:sdtContent><w:p><w:r><w:t>Đoạn trong điều khiển nội dung</w:t></w:r></w:p>'
                '</w:sdtContent></w:sdt>')
    body_xml(d, '<w:p><w:r><w:t>Dòng một</w:t><w:br/><w:t>Dòng hai</w:t><w:tab/><w:t>cột</w:t></w:r></w:p>')
    d.save(tmp_path / "t.docx")
    assert lines(tmp_path / "t.docx") == [
        "Hạn nộp 15/10/2024", "Trang 3 ngày 07/6/2023", "Công văn số 1244/LĐLĐ của LĐLĐ tỉnh",
        "Đoạn trong điều khiển nội dung", "Dòng một", "Dòng hai\tcột"]


TEXT_BOX = (
    '<w:p><w:r><w:t>Neo khung</w:t></w:r><w:r><mc:AlternateContent>'
    '<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>'
    '<w:txbxContent><w:p><w:r><w:t>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</w:t></w:r></w:p>'
    '<w:p><w:r><w:t>Độc lập - Tự do - Hạnh phúc</w:t></w:r></w:p></w:txbxContent>'
    '</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
    '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'
    '</w:t></w:r></w:p><w:p><w:r><w:t>Độc lập - Tự do - Hạnh phúc</w:t></w:r></w:p></w:txbxContent></v:textbox>'
    '</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>')


def test_text_box_read_once_after_its_paragraph(tmp_path):
    d = docx.Document()
    d.add_paragraph("Trước")
    body_xml(d, TEXT_BOX)
    d.add_paragraph("Sau")
    d.save(tmp_path / "t.docx")
    assert lines(tmp_path / "t.docx") == ["Trước", "Neo khung", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                          "Độc lập - Tự do - Hạnh phúc", "Sau"]


def test_vml_only_text_box(tmp_path):
    d = docx.Document()
    body_xml(d, f'<w:p {NS}><w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Khung VML</w:t>'
                '</w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>')
    d.save(tmp_path / "t.docx")
    assert lines(tmp_path / "t.docx") == ["Khung VML"]


def test_headers_footers_after_body_without_page_numbers(tmp_path):
    d = docx.Document()
    d.add_paragraph("Nội dung chính của công văn.")
    section = d.sections[0]
    section.header.paragraphs[0].text = "CÔNG AN TỈNH LÂM ĐỒNG"
    footer = section.footer.paragraphs[0]
    footer.text = "Tài liệu lưu hành nội bộ"
    page = section.footer.add_paragraph()
    page._p.append(parse_xml(f'<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>'))
    page._p.append(parse_xml(f'<w:r {W}><w:instrText> PAGE </w:instrText></w:r>'))
    page._p.append(parse_xml(f'<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>'))
    page._p.append(parse_xml(f'<w:r {W}><w:t>2</w:t></w:r>'))
    page._p.append(parse_xml(f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>'))
    d.save(tmp_path / "t.docx")
    text = read(tmp_path / "t.docx").text
    assert text.split("\n")[0] == "Nội dung chính của công văn."
    assert text.endswith("CÔNG AN TỈNH LÂM ĐỒNG\nTài liệu lưu hành nội bộ")
    assert "\n2" not in text


def test_footnotes_after_body(tmp_path):
    d = docx.Document()
    d.add_paragraph("Thân văn bản.")
    d.save(tmp_path / "plain.docx")
    # add a footnotes part by hand: python-docx cannot write one
    src = zipfile.ZipFile(tmp_path / "plain.docx")
    out = zipfile.ZipFile(tmp_path / "t.docx", "w", zipfile.ZIP_DEFLATED)
    for item in src.infolist():
        data = src.read(item.filename)
        if item.filename == "word/document.xml":
            data = data.replace(b"<w:t>Th\xc3\xa2n v\xc4\x83n b\xe1\xba\xa3n.</w:t></w:r>",
                                b'<w:t>Th\xc3\xa2n v\xc4\x83n b\xe1\xba\xa3n.</w:t></w:r><w:r>'
                                b'<w:footnoteReference w:id="2"/></w:r>')
        elif item.filename == "word/_rels/document.xml.rels":
            data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/'
                                b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
        out.writestr(item, data)
    out.writestr("word/footnotes.xml", (
        f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes {W}>'
        '<w:footnote w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Theo Nghị định số '
        '30/2020/NĐ-CP.</w:t></w:r></w:p></w:footnote></w:footnotes>').encode())
    out.close()
    text = read(tmp_path / "t.docx").text
    assert text.split("\n")[0] == "Thân văn bản."
    assert text.endswith("[1] Theo Nghị định số 30/2020/NĐ-CP.")


# --- Word list numbering --------------------------------------------------------------------------------------


def _lvl(i: int, fmt: str, text: str, start: int = 1, restart: int | None = None, legal: bool = False) -> str:
    extra = (f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else "") + ("<w:isLgl/>" if legal else "")
    return (f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{extra}'
            f'<w:lvlText w:val="{text}"/></w:lvl>')


def numbered_document(numbering_xml: str, items: list[tuple[str, str | None, int]]) -> docx.document.Document:
    d = docx.Document()
    root = d.part.numbering_part.element
    for child in list(root):
        root.remove(child)
    for child in parse_xml(f"<w:numbering {W}>{numbering_xml}</w:numbering>"):
        root.append(copy.deepcopy(child))
    for text, num_id, ilvl in items:
        p = d.add_paragraph(text)
        if num_id is not None:
            p._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {W}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return d


def test_multilevel_numbering_rebuilt(tmp_path):
    numbering = (
        '<w:abstractNum w:abstractNumId="10">' + _lvl(0, "upperRoman", "%1.") + _lvl(1, "decimal", "%2.")
        + _lvl(2, "decimal", "%2.%3.") + _lvl(3, "lowerLetter", "%4)") + _lvl(4, "bullet", "\uf0b7")
        + _lvl(5, "bullet", "+") + '</w:abstractNum>'
        '<w:abstractNum w:abstractNumId="11">' + _lvl(0, "decimal", "Điều %1.") + _lvl(1, "decimal", "%2.", restart=0)
        + '</w:abstractNum>'
        '<w:abstractNum w:abstractNumId="12">' + _lvl(0, "decimal", "%1.", start=5) + _lvl(1, "lowerRoman", "%1.%2", legal=True)
        + '</w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="11"/></w:num>'
        '<w:num w:numId="3"><w:abstractNumId w:val="10"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>'
        '</w:lvlOverride></w:num>'
        '<w:num w:numId="4"><w:abstractNumId w:val="12"/></w:num>')
    items = [("Chương một", "1", 0), ("Mục", "1", 1), ("Khoản", "1", 2), ("Khoản", "1", 2), ("Điểm", "1", 3),
             ("Điểm", "1", 3), ("Gạch", "1", 4), ("Cộng", "1", 5), ("Khoản", "1", 2), ("Mục", "1", 1),
             ("Khoản", "1", 2), ("Chương hai", "1", 0), ("Mục", "1", 1), ("Không đánh số", None, 0),
             ("Điều", "2", 0), ("Khoản", "2", 1), ("Khoản", "2", 1), ("Điều", "2", 0), ("Khoản", "2", 1),
             ("Danh sách mới", "3", 0), ("Mục", "3", 1), ("Năm", "4", 0), ("La mã", "4", 1), ("", "4", 0),
             ("Bảy", "4", 0)]
    numbered_document(numbering, items).save(tmp_path / "n.docx")
    text, warnings = extract_docx_text(str(tmp_path / "n.docx"))
    assert text.split("\n") == [
        "I. Chương một", "1. Mục", "1.1. Khoản", "1.2. Khoản", "a) Điểm", "b) Điểm", "- Gạch", "+ Cộng",
        "1.3. Khoản", "2. Mục", "2.1. Khoản", "II. Chương hai", "1. Mục", "Không đánh số",
        "Điều 1. Điều", "1. Khoản", "2. Khoản", "Điều 2. Điều", "3. Khoản",  # lvlRestart 0: never restarts
        "I. Danh sách mới", "1. Mục",  # startOverride restarts the shared list
        "5. Năm", "5.1 La mã",  # isLgl: decimal
        "", "7. Bảy"]  # an empty numbered paragraph still takes a number
    assert warnings == [NUMBERING_WARNING]
    assert NUMBERING_WARNING in read(tmp_path / "n.docx").warnings


def test_style_based_numbering(tmp_path):
    d = docx.Document()  # python-docx's template binds "List Number"/"List Bullet" to numbering via styles.xml
    d.add_paragraph("Điều 1. Phạm vi")
    for item in ("Một", "Hai", "Ba"):
        d.add_paragraph(item, style="List Number")
    d.add_paragraph("Gạch đầu dòng", style="List Bullet")
    d.save(tmp_path / "s.docx")
    assert lines(tmp_path / "s.docx") == ["Điều 1. Phạm vi", "1. Một", "2. Hai", "3. Ba", "- Gạch đầu dòng"]


def test_no_numbering_no_warning(tmp_path):
    d = docx.Document()
    d.add_paragraph("Kính gửi: Sở Nội vụ")
    d.save(tmp_path / "p.docx")
    text = read(tmp_path / "p.docx")
    assert text.text == "Kính gửi: Sở Nội vụ" and text.warnings == []


# --- package guards -------------------------------------------------------------------------------------------


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (CFB v3) holding ``streams`` (each padded to >= 4096 bytes, so no mini
    stream is needed)."""
    sector = 512
    names = list(streams)
    data = [streams[n].ljust(4096, b"\0") for n in names]
    counts = [-(-len(blob) // sector) for blob in data]
    fat = [0xFFFFFFFD, 0xFFFFFFFE]  # sector 0: the FAT itself; sector 1: the directory
    starts = []
    for count in counts:
        first = len(fat)
        starts.append(first)
        fat.extend(range(first + 1, first + count))
        fat.append(0xFFFFFFFE)
    fat.extend([0xFFFFFFFF] * (128 - len(fat)))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0"
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded) if name else 0, kind, 1)
                + struct.pack("<III", 0xFFFFFFFF, right, child) + b"\0" * 36 + struct.pack("<IQ", start, size))

    directory = entry("Root Entry", 5, 1, 0xFFFFFFFF, 0xFFFFFFFE, 0)
    for k, (name, blob) in enumerate(zip(names, data, strict=True)):
        right = k + 2 if k + 1 < len(names) else 0xFFFFFFFF
        directory += entry(name, 2, 0xFFFFFFFF, right, starts[k], len(blob))
    directory = directory.ljust(sector, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
              + struct.pack("<I", 0) + b"\xff" * 4 * 108)
    return header + struct.pack("<128I", *fat) + directory + b"".join(data)


def test_encrypted_docx_is_refused(tmp_path):
    path = tmp_path / "secret.docx"
    path.write_bytes(ole_file({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00", "EncryptedPackage": b"x" * 5000}))
    with pytest.raises(EncryptedFile) as err:
        read(path)
    assert "password" in err.value.message and "\n" not in err.value.message


def test_declared_size_over_limit(tmp_path):
    d = docx.Document()
    d.add_paragraph("Xin chào " * 2000)
    d.save(tmp_path / "big.docx")
    with pytest.raises(TooLarge, match="unzips to"):
        read(tmp_path / "big.docx", ReadOptions(max_unzipped_bytes=20_000))
    assert "Xin chào" in read(tmp_path / "big.docx").text


def test_zip_bomb_ratio_refused_before_inflating(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w") as fh:
            fh.write(f'<w:document {W}><w:body><w:p><w:r><w:t>'.encode())
            for _ in range(40):
                fh.write(b"a" * (1 << 20))
            fh.write(b"</w:t></w:r></w:p></w:body></w:document>")
    path = tmp_path / "bomb.docx"
    path.write_bytes(buf.getvalue())
    start = time.perf_counter()
    with pytest.raises(TooLarge, match="ZIP bomb"):
        read(path)
    assert time.perf_counter() - start < 1.0


def test_minimal_package_without_relationships(tmp_path):
    path = tmp_path / "bare.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", f'<w:document {W}><w:body><w:p><w:r><w:t>Quyết định số 68/QĐ-UBND'
                                         '</w:t></w:r></w:p></w:body></w:document>')
    assert read(path).text == "Quyết định số 68/QĐ-UBND"
    with zipfile.ZipFile(tmp_path / "empty.docx", "w") as zf:
        zf.writestr("word/document.xml", f"<w:document {W}><w:body/></w:document>")
    with pytest.raises(NoText):
        read(tmp_path / "empty.docx")


def test_legacy_tcvn3_document_converted(tmp_path):
    from pipeline.read.legacy import encode_tcvn3

    body = ["QUYẾT ĐỊNH", "Về việc ban hành Quy chế làm việc của Ban chấp hành",
            "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;"]
    d = docx.Document()
    for line in body:
        d.add_paragraph(encode_tcvn3(line))  # typed in .VnTime: the file holds the TCVN3 codes
    d.save(tmp_path / "old.docx")
    text = read(tmp_path / "old.docx")
    assert text.text.split("\n") == body
    assert text.source.encoding_repaired == "tcvn3"
