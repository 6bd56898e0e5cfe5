"""Generate hostile input files for the read stage (and the CLI): ``make_hostile_files(dir)``.

Every file is written cheaply (sparse files, hand-made PDF/PNG/ZIP bytes, streams of zeros), so
the whole set takes a few seconds and ~10 MB of real disk. Each file's name says what it is; the
optional ``EXPECT`` map gives the error class (or ``"ok"``) the reader should produce, where that is
certain; files whose outcome depends on another reader or on Tesseract are not listed.

Run as a script to write the set into a folder: ``python tests/read/hostile.py /tmp/hostile``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import random
import struct
import sys
import zipfile
import zlib
from pathlib import Path

# --------------------------------------------------------------------------------------------
# A minimal PDF writer (Helvetica text, optional RC4 encryption), enough for hostile variants
# --------------------------------------------------------------------------------------------

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xFF
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for b in data:
        i = (i + 1) & 0xFF
        j = (j + s[i]) & 0xFF
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) & 0xFF])
    return bytes(out)


def _pdf_escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def content_stream(lines: list[str], size: int = 11, top: int = 800, left: int = 72) -> bytes:
    out = [b"BT", b"/F1 %d Tf" % size, b"%d TL" % (size + 3), b"%d %d Td" % (left, top)]
    for line in lines:
        out.append(b"(" + _pdf_escape(line) + b") Tj T*")
    out.append(b"ET")
    return b"\n".join(out)


def pdf_bytes(pages: list[bytes], *, user_password: str | None = None, owner_password: str = "owner",
              media: tuple[float, float] = (595, 842), compress: bool = False, extra: bytes = b"") -> bytes:
    """A valid PDF with one content stream per page; RC4-40 encrypted when user_password is set."""
    n = len(pages)
    objs: list[bytes] = []
    page_ids = [4 + 2 * k for k in range(n)]
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")  # 1
    kids = b" ".join(b"%d 0 R" % p for p in page_ids)
    objs.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n)  # 2
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")  # 3
    streams: dict[int, bytes] = {}
    for k, content in enumerate(pages):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 3 0 R >> >> %s>>" % (media[0], media[1], page_ids[k] + 1, extra))
        objs.append(b"")  # placeholder: stream
        streams[page_ids[k] + 1] = zlib.compress(content) if compress else content
    file_id = hashlib.md5(b"congvan-hostile" + bytes(str(n), "ascii")).digest()
    key = None
    encrypt_ref = b""
    if user_password is not None:
        p_value = -44
        o_key = hashlib.md5((owner_password.encode() + _PAD)[:32]).digest()[:5]
        o_entry = _rc4(o_key, (user_password.encode() + _PAD)[:32])
        key = hashlib.md5((user_password.encode() + _PAD)[:32] + o_entry + struct.pack("<i", p_value)
                          + file_id).digest()[:5]
        u_entry = _rc4(key, _PAD)
        objs.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + o_entry.hex().encode() + b"> /U <"
                    + u_entry.hex().encode() + b"> /P %d >>" % p_value)
        encrypt_ref = b" /Encrypt %d 0 R" % len(objs)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, body in enumerate(objs, 1):
        offsets.append(len(out))
        if num in streams:
            data = streams[num]
            if key is not None:
                data = _rc4(hashlib.md5(key + struct.pack("<i", num)[:3] + b"\0\0").digest()[:10], data)
            filt = b" /Filter /FlateDecode" if compress else b""
            body = b"<< /Length %d%s >>\nstream\n" % (len(data), filt) + data + b"\nendstream"
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += (b"trailer\n<< /Size %d /Root 1 0 R /ID [<%s> <%s>]%s >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objs) + 1, file_id.hex().encode(), file_id.hex().encode(), encrypt_ref, xref))
    return bytes(out)


def text_pdf(lines: list[str], **kw) -> bytes:
    return pdf_bytes([content_stream(lines)], **kw)


ENGLISH = ["Ministry of Home Affairs", "No. 123/BNV", "Hanoi, 18 September 2025",
           "To: the ministries and the provincial people's committees.",
           "The Ministry asks for comments on the draft report before 30 September 2025."]
# Vietnamese without tone marks survives WinAnsi (Helvetica): enough for the read stage.
VIET_ASCII = ["UY BAN NHAN DAN TINH LAM DONG", "So: 12/UBND-VX", "Lam Dong, ngay 07 thang 6 nam 2023",
              "V/v trien khai thuc hien Ke hoach so 600/KH-BCA", "Kinh gui: So Noi vu",
              "Thuc hien Cong van so 1244/LDLD cua Lien doan Lao dong tinh."]


def many_pages_pdf(n: int, *, shared: bool = True) -> bytes:
    """n pages sharing one content stream: 3,000 pages in ~200 KB. With ``shared=False`` each page
    gets its own text (a page repeated on every page is a running header and is dropped)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    first_page = 5
    per_page = 1 if shared else 2
    kids = b" ".join(b"%d 0 R" % (first_page + per_page * k) for k in range(n))
    objs.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n)
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    content = content_stream(["Trang lap lai"])
    objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    rnd = random.Random(n)
    for k in range(n):
        contents = 4 if shared else first_page + per_page * k + 1
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 3 0 R >> >> >>" % contents)
        if not shared:
            words = " ".join("".join(rnd.choice("abcdeghiklmnopqrstuvxy") for _ in range(5)) for _ in range(12))
            content = content_stream([f"Dieu {k + 1}. Noi dung {words}", "Van ban hanh chinh"])
            objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    return _assemble(objs)


def _assemble(objs: list[bytes], trailer_extra: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for num, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, trailer_extra, xref)
    return bytes(out)


def _deflate_zeros(n_bytes: int, fill: bytes = b"\0", level: int = 1) -> bytes:
    co = zlib.compressobj(level)
    block = fill * (1 << 20)
    parts = []
    left = n_bytes
    while left > 0:
        chunk = block if left >= len(block) else block[:left]
        parts.append(co.compress(chunk))
        left -= len(chunk)
    parts.append(co.flush())
    return b"".join(parts)


def bomb_pdf(inflated: int = 300 << 20) -> bytes:
    """One page whose content stream inflates to ``inflated`` bytes of spaces (~1 MB on disk)."""
    data = _deflate_zeros(inflated, b" ")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"]
    return _assemble(objs)


class _CodeWriter:
    """Packs LZW codes MSB-first with the PDF width rule (9-12 bits, EarlyChange 1)."""

    def __init__(self) -> None:
        self.out = bytearray()
        self.bits = self.nbits = 0
        self.width, self.next_code = 9, 258

    def put(self, code: int, adds_entry: bool) -> None:
        self.bits = (self.bits << self.width) | code
        self.nbits += self.width
        while self.nbits >= 8:
            self.nbits -= 8
            self.out.append((self.bits >> self.nbits) & 0xFF)
        self.bits &= (1 << self.nbits) - 1
        if code == 256:
            self.width, self.next_code = 9, 258
        elif adds_entry and self.next_code < 4096:
            self.next_code += 1
            if self.next_code + 1 >= (1 << self.width) and self.width < 12:
                self.width += 1

    def close(self) -> bytes:
        if self.nbits:
            self.out.append((self.bits << (8 - self.nbits)) & 0xFF)
        return bytes(self.out)


def lzw_encode(data: bytes) -> bytes:
    """A plain LZW encoder (PDF flavour: clear code first, EarlyChange 1), for fixtures."""
    w = _CodeWriter()
    w.put(256, False)
    table = {bytes([i]): i for i in range(256)}
    cur = b""
    first = True
    for b in data:
        nxt = cur + bytes([b])
        if nxt in table:
            cur = nxt
            continue
        w.put(table[cur], not first)
        first = False
        if w.next_code < 4095:
            table[nxt] = w.next_code  # the entry the decoder adds on the next code
        else:
            w.put(256, False)
            table = {bytes([i]): i for i in range(256)}
            first = True
        cur = bytes([b])
    if cur:
        w.put(table[cur], not first)
    w.put(257, False)
    return w.close()


def lzw_bomb(inflated: int) -> bytes:
    """Codes 0, 258, 259, ... each decode to one byte more than the last (KwKwK): a run of NULs that grows
    quadratically with the code count; the table is cleared before it fills."""
    w = _CodeWriter()
    size = 0
    while size < inflated:
        w.put(256, False)
        w.put(0x20, False)
        size += 1
        length = 1
        while w.next_code < 4000 and size < inflated:
            w.put(w.next_code, True)
            length += 1
            size += length
    w.put(257, False)
    return w.close()


def run_length_bomb(inflated: int) -> bytes:
    """RunLengthDecode pairs (129, byte): 128 spaces per two bytes."""
    return b"\x81 " * (inflated // 128 + 1) + b"\x80"


def filtered_pdf(stream: bytes, filters: str) -> bytes:
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter %s >>\nstream\n" % (len(stream), filters.encode()) + stream + b"\nendstream"]
    return _assemble(objs)


def image_pdf(width: int, height: int) -> bytes:
    """One page showing a 1-bit image of the given pixel size (all zeros, compressed)."""
    row = (width + 7) // 8
    data = _deflate_zeros(row * height, b"\xff")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
            b"<< /Length 33 >>\nstream\nq 595 0 0 842 0 0 cm /Im1 Do Q\n\nendstream",
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 1 /Length %d /Filter /FlateDecode >>\nstream\n" % (width, height, len(data))
            + data + b"\nendstream"]
    return _assemble(objs)


# --------------------------------------------------------------------------------------------
# Real Vietnamese PDFs (TrueType font embedded by pdfium), for layout tests
# --------------------------------------------------------------------------------------------

FONT_CANDIDATES = ["/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
                   "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                   "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"]


def find_font() -> str | None:
    return next((f for f in FONT_CANDIDATES if os.path.exists(f)), None)


def vietnamese_pdf(path: str | os.PathLike, pages: list[list[tuple[float, float, float, str]]],
                   size: tuple[float, float] = (595, 842)) -> Path:
    """Write a PDF whose pages hold text objects [(x, y, font size, text)] (y from the bottom)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as c

    font_file = find_font()
    if font_file is None:
        raise FileNotFoundError("no TrueType font with Vietnamese glyphs (apt-get install fonts-dejavu-core)")
    doc = pdfium.PdfDocument.new()
    data = Path(font_file).read_bytes()
    buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    font = c.FPDFText_LoadFont(doc.raw, buf, len(data), c.FPDF_FONT_TRUETYPE, 1)
    for items in pages:
        page = doc.new_page(*size)
        for x, y, pt, text in items:
            obj = c.FPDFPageObj_CreateTextObj(doc.raw, font, pt)
            ws = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
            c.FPDFText_SetText(obj, ctypes.cast(ws, ctypes.POINTER(c.FPDF_WCHAR)))
            c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
            c.FPDFPage_InsertObject(page.raw, obj)
        page.gen_content()
        page.close()
    doc.save(str(path))
    doc.close()
    return Path(path)


def sample_dispatch_pages(n_pages: int = 3) -> list[list[tuple[float, float, float, str]]]:
    """A made-up công văn: two-column letterhead, body, running footer, page numbers from page 2,
    Nơi nhận beside the signature on the last page."""
    words = ("hồ sơ cán bộ công chức viên chức cơ quan đơn vị tổ chức thực hiện rà soát báo cáo kết quả "
             "tiến độ chất lượng tổng hợp đề xuất kiến nghị kế hoạch nhiệm vụ giải pháp").split()
    rnd = random.Random(7)
    pages = []
    for k in range(n_pages):
        items: list[tuple[float, float, float, str]] = [(200, 30, 8, "Văn bản điện tử - bản sao lưu nội bộ")]
        y = 760.0
        if k == 0:
            items += [(75, 800, 11, "ỦY BAN NHÂN DÂN"), (72, 786, 11, "TỈNH LÂM ĐỒNG"),
                      (70, 760, 11, "Số: 12/UBND-VX"), (60, 745, 10, "V/v rà soát hồ sơ cán bộ"),
                      (300, 800, 11, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                      (340, 786, 11, "Độc lập - Tự do - Hạnh phúc"),
                      (320, 760, 11, "Lâm Đồng, ngày 07 tháng 6 năm 2023"),
                      (200, 700, 12, "Kính gửi: Sở Nội vụ tỉnh Lâm Đồng")]
            y = 670.0
        else:
            items.append((295, 815, 11, str(k + 1)))
        for r in range(4):
            for j in range(3):
                line = " ".join(rnd.choice(words) for _ in range(14))
                items.append((60, y, 11, f"{r + 1}.{k + 1}. {line.capitalize()}" if j == 0 else line))
                y -= 15
        if k == n_pages - 1:
            y -= 20
            items += [(60, y, 10, "Nơi nhận:"), (60, y - 13, 10, "- Như trên;"), (60, y - 26, 10, "- Lưu: VT, NC."),
                      (330, y, 11, "TM. ỦY BAN NHÂN DÂN"), (345, y - 14, 11, "KT. CHỦ TỊCH"),
                      (340, y - 28, 11, "PHÓ CHỦ TỊCH"), (340, y - 90, 11, "Nguyễn Văn An")]
        pages.append(items)
    return pages


# --------------------------------------------------------------------------------------------
# Images, archives
# --------------------------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bytes(width: int, height: int, *, idat: bytes | None = None, bit_depth: int = 1) -> bytes:
    """A grayscale PNG; by default all-zero rows, compressed (30,000² px in ~110 KB)."""
    if idat is None:
        row = 1 + (width * bit_depth + 7) // 8
        idat = _deflate_zeros(row * height, b"\0", level=9) if row * height < (1 << 31) else b""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


def jpeg_with_size(width: int, height: int) -> bytes:
    """A real tiny JPEG whose SOF header is patched to claim ``width`` × ``height``."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (8, 8), 255).save(buf, "JPEG")
    data = bytearray(buf.getvalue())
    i = 2
    while i < len(data) - 9:
        if data[i] == 0xFF and data[i + 1] in (0xC0, 0xC1, 0xC2):
            struct.pack_into(">HH", data, i + 5, height, width)
            break
        i += 2 + struct.unpack(">H", data[i + 2:i + 4])[0]
    return bytes(data)


def zip_bytes(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


_CT = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       b'content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
       b'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
       b'main+xml"/></Types>')
_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_bytes(document_xml: bytes) -> bytes:
    return zip_bytes({"[Content_Types].xml": _CT, "word/document.xml": document_xml})


def docx_bomb(inflated: int = 300 << 20) -> bytes:
    """A DOCX whose document.xml inflates to ``inflated`` bytes (one deflate stream, ~1 MB zipped)."""
    head = b'<?xml version="1.0"?><w:document ' + _W + b"><w:body><w:p><w:r><w:t>"
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(head)
            block = b"a" * (1 << 20)
            for _ in range(inflated >> 20):
                fh.write(block)
            fh.write(tail)
    return buf.getvalue()


_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (k, (b"&lol%d;" % (k - 1) if k > 1 else b"&lol;") * 10)
                      for k in range(1, 10))
           + b"]>\n<w:document " + _W + b"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")


# --------------------------------------------------------------------------------------------
# The set
# --------------------------------------------------------------------------------------------

VIET_UTF8 = ("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG\nSố: 12/UBND-VX\nLâm Đồng, ngày 07 tháng 6 năm 2023\n"
             "V/v triển khai thực hiện Kế hoạch số 600/KH-BCA-V01\nKính gửi: Sở Nội vụ\n")

# name -> expected outcome, where certain ("ok" = reads to text)
EXPECT: dict[str, str] = {}


def make_hostile_files(folder: str | os.PathLike) -> list[Path]:
    """Write the hostile set into ``folder`` (created if needed); returns the paths (some are not
    regular files: a directory, a FIFO, dangling and looping symlinks)."""
    d = Path(folder)
    d.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(20250918)
    paths: list[Path] = []

    def put(name: str, data: bytes, expect: str | None = None) -> Path:
        p = d / name
        p.write_bytes(data)
        paths.append(p)
        if expect:
            EXPECT[name] = expect
        return p

    def sparse(name: str, size: int, head: bytes = b"", expect: str | None = None) -> Path:
        p = d / name
        with open(p, "wb") as fh:
            fh.write(head)
            fh.truncate(size)
        paths.append(p)
        if expect:
            EXPECT[name] = expect
        return p

    good_pdf = text_pdf(VIET_ASCII)

    # --- empty, tiny, huge
    put("empty.pdf", b"", "EmptyFile")
    put("empty.txt", b"", "EmptyFile")
    put("empty.docx", b"", "EmptyFile")
    put("empty.png", b"", "EmptyFile")
    put("whitespace-only.txt", b" \n\t\r\n   \n", "NoText")
    put("bom-only.txt", b"\xef\xbb\xbf", "NoText")
    sparse("huge-200mb.txt", 200 * 1024 * 1024, "Văn bản ".encode() * 100, "TooLarge")
    sparse("huge-200mb.pdf", 200 * 1024 * 1024, b"%PDF-1.4\n", "TooLarge")
    sparse("sparse-zeros-1mb.pdf", 1 << 20, b"", "UnsupportedFormat")

    # --- PDFs: damaged
    put("truncated-half.pdf", good_pdf[: len(good_pdf) // 2])
    put("truncated-header-only.pdf", b"%PDF-1.7\n", "CorruptFile")
    put("truncated-before-eof.pdf", good_pdf[:-40])
    broken = bytearray(good_pdf)
    x = bytes(broken).rfind(b"xref\n")
    broken[x + 5:x + 60] = b"9 9\nxx garbage xx\n" + b"\0" * 37
    put("broken-xref.pdf", bytes(broken))
    put("xref-offset-past-eof.pdf", good_pdf.replace(b"startxref\n", b"startxref\n99999999") [:len(good_pdf)])
    put("pdf-header-random-body.pdf", b"%PDF-1.5\n" + rnd.randbytes(20000), "CorruptFile")
    put("pdf-no-objects.pdf", b"%PDF-1.4\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n", "CorruptFile")
    put("pdf-zero-pages.pdf", _assemble([b"<< /Type /Catalog /Pages 2 0 R >>",
                                         b"<< /Type /Pages /Kids [] /Count 0 >>"]), "CorruptFile")
    put("pdf-page-tree-loop.pdf", _assemble([b"<< /Type /Catalog /Pages 2 0 R >>",
                                             b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                                             b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>"]))
    put("pdf-count-lies.pdf", good_pdf.replace(b"/Count 1 >>", b"/Count 99999999 >>"))
    put("pdf-deep-nesting.pdf", _assemble([b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * 20000 + b"]" * 20000
                                           + b" >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                           b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]))
    put("pdf-bad-operators.pdf", pdf_bytes([b"BT /F9 12 Tf (x) Tj ET Q Q Q cm cm 1 2 3 re f* BT BT ) )"]))
    put("pdf-content-not-a-stream.pdf", _assemble([b"<< /Type /Catalog /Pages 2 0 R >>",
                                                   b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                                                   b"/Contents 1 0 R >>"]))
    put("pdf-stream-bad-flate.pdf", pdf_bytes([b"\x78\x9c" + rnd.randbytes(500)]).replace(
        b"/Length 502 >>", b"/Length 502 /Filter /FlateDecode >>"))
    put("pdf-huge-mediabox.pdf", pdf_bytes([content_stream(VIET_ASCII)], media=(14400, 14400)), "ok")
    put("pdf-negative-mediabox.pdf", good_pdf.replace(b"/MediaBox [0 0 595 842]", b"/MediaBox [0 0 -1e30 1e30]"))

    # --- PDFs: encryption, size, bombs
    put("encrypted-empty-user-password.pdf", text_pdf(VIET_ASCII, user_password=""), "ok")
    put("encrypted-with-password.pdf", text_pdf(VIET_ASCII, user_password="secret"), "EncryptedFile")
    put("encrypted-unknown-handler.pdf", good_pdf.replace(b"/Root 1 0 R", b"/Root 1 0 R /Encrypt << /Filter "
                                                          b"/NoSuchHandler /V 9 /R 9 >>"))
    put("3000-pages.pdf", many_pages_pdf(3000), "TooLarge")
    put("501-pages.pdf", many_pages_pdf(501), "TooLarge")
    put("400-pages.pdf", many_pages_pdf(400, shared=False), "ok")
    put("flate-bomb-300mb.pdf", bomb_pdf(), "TooLarge")
    put("lzw-bomb-300mb.pdf", filtered_pdf(lzw_bomb(300 << 20), "/LZWDecode"), "TooLarge")
    put("runlength-bomb-300mb.pdf", filtered_pdf(run_length_bomb(300 << 20), "/RunLengthDecode"), "TooLarge")
    put("ascii85-flate-bomb-300mb.pdf", filtered_pdf(base64.a85encode(_deflate_zeros(300 << 20, b" ")) + b"~>",
                                                     "[/ASCII85Decode /FlateDecode]"), "TooLarge")
    put("english.pdf", text_pdf(ENGLISH), "ok")
    put("viet-no-tones.pdf", good_pdf, "ok")
    put("compressed-text.pdf", pdf_bytes([content_stream(VIET_ASCII)], compress=True), "ok")
    put("garbled-font-table.pdf", text_pdf(["BØ CÔNG AN CÔNG AN TÈNH LÂM ÒNG SÑg8 /TTr- CAT-PC04",
                                            "CØNG HOÀ XÃ HØI CHæ NGH(A VIÆT NAM Ùc l-p - Tå do - H¡nh phúc",
                                            "HiÇn nay, trên dËa bàn tÉinh Lâm ông có 4.289 ng°Ýi sí dång tr£i",
                                            "phép ch¥t ma túy và 1.028 nguÝi nghiÇn ma túy ngoài xã hÙi. ê giúp"]))
    put("image-pdf-30000px.pdf", image_pdf(30000, 30000), "TooLarge")
    put("blank-image-only.pdf", image_pdf(64, 64))
    if find_font():
        paths.append(vietnamese_pdf(d / "vietnamese-3-pages.pdf", sample_dispatch_pages(3)))
        EXPECT["vietnamese-3-pages.pdf"] = "ok"
    put("pdf-with-javascript.pdf", _assemble([b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
                                              b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                              b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
                                              b"<< /S /JavaScript /JS (while(true){}) >>"]))

    # --- images
    big_png = png_bytes(30000, 30000)
    put("png-30000x30000.png", big_png, "TooLarge")
    put("png-claims-100mpx.png", png_bytes(20000, 5000, idat=zlib.compress(b"\0" * 100)), "TooLarge")
    put("png-header-only.png", png_bytes(100, 100)[:33])
    put("png-bad-idat.png", png_bytes(200, 200, idat=rnd.randbytes(300)))
    put("png-signature-then-random.png", b"\x89PNG\r\n\x1a\n" + rnd.randbytes(5000))
    put("jpeg-claims-60000x60000.jpg", jpeg_with_size(60000, 60000), "TooLarge")
    put("jpeg-soi-then-random.jpg", b"\xff\xd8\xff\xe0" + rnd.randbytes(5000))
    put("tiff-header-then-random.tif", b"II*\x00" + rnd.randbytes(3000))
    put("gif-header-then-random.gif", b"GIF89a" + rnd.randbytes(2000))
    try:
        from PIL import Image

        buf = io.BytesIO()
        frames = [Image.new("1", (4, 4), 1) for _ in range(600)]
        frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
        put("tiff-600-frames.tif", buf.getvalue(), "TooLarge")
        buf = io.BytesIO()
        Image.new("L", (1, 1), 255).save(buf, "PNG")
        put("png-1x1-blank.png", buf.getvalue())
    except ImportError:  # pragma: no cover - Pillow is a dependency
        pass

    # --- archives and Word
    put("zip-of-text-named.docx", zip_bytes({"hello.txt": b"xin chao"}), "UnsupportedFormat")
    put("zip-truncated.docx", zip_bytes({"word/document.xml": b"<x/>" * 1000})[:200])
    put("zip-many-entries.zip", zip_bytes({f"f{k}.txt": b"" for k in range(5000)}, zipfile.ZIP_STORED),
        "UnsupportedFormat")
    put("docx-bomb-300mb.docx", docx_bomb())
    put("docx-not-xml.docx", docx_bytes(rnd.randbytes(4000)))
    put("docx-billion-laughs.docx", docx_bytes(_LAUGHS))
    put("docx-empty-body.docx", docx_bytes(b'<?xml version="1.0"?><w:document ' + _W + b"><w:body/></w:document>"))
    put("ole2-header-then-random.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rnd.randbytes(8000))
    put("rtf-unbalanced.rtf", b"{\\rtf1\\ansi " + b"{" * 5000 + b"Xin chao")
    put("html-deep-nesting.html", b"<html><body>" + b"<div>" * 50000 + b"Xin ch\xc3\xa0o" + b"</div>" * 10
        + b"</body></html>")
    put("xml-not-html.xml", b'<?xml version="1.0"?><root><a>1</a></root>')

    # --- wrong extensions
    put("pdf-named.txt", good_pdf, "ok")
    put("pdf-named.docx", good_pdf, "ok")
    put("png-named.pdf", big_png, "TooLarge")
    put("text-named.pdf", VIET_UTF8.encode(), "ok")
    put("html-named.pdf", b"<html><body><p>" + VIET_UTF8.encode() + b"</p></body></html>")
    put("zip-named.pdf", zip_bytes({"a.txt": b"a"}), "UnsupportedFormat")

    # --- random bytes, text oddities
    put("random.bin", rnd.randbytes(64 * 1024), "UnsupportedFormat")
    put("random.pdf", rnd.randbytes(64 * 1024), "UnsupportedFormat")
    put("random.txt", rnd.randbytes(64 * 1024), "UnsupportedFormat")
    put("nul-sprinkled.txt", b"\0".join(VIET_UTF8.encode()[k:k + 7] for k in range(0, 200, 7)), "UnsupportedFormat")
    put("english.txt", "\n".join(ENGLISH).encode(), "ok")
    put("chinese.txt", "中华人民共和国国务院关于加强行政管理的通知。各省、自治区、直辖市人民政府。\n".encode() * 20, "ok")
    put("russian.txt", "Министерство внутренних дел Российской Федерации. Приказ № 12.\n".encode() * 20, "ok")
    put("viet-cp1258.txt", VIET_UTF8.encode("cp1258", errors="replace"), "ok")
    put("viet-utf16-bom.txt", VIET_UTF8.encode("utf-16"), "ok")
    put("viet-utf16le-no-bom.txt", VIET_UTF8.encode("utf-16-le"))
    put("viet-nfd.txt", __import__("unicodedata").normalize("NFD", VIET_UTF8).encode(), "ok")
    put("viet-tcvn3-bytes.txt", b"Uy ban nh\xa9n d\xa9n t\xaanh L\xa9m \xa7\xe5ng\nS\xe8: 12/UBND-VX\n", "ok")
    put("invalid-utf8-mix.txt", VIET_UTF8.encode() + b"\xff\xfe\xc3\x28\xa0\xa1" + VIET_UTF8.encode(), "ok")
    put("one-10mb-line.txt", b"van ban " * (10 * 1024 * 1024 // 8), "ok")
    put("control-chars.txt", bytes(rnd.choice(range(1, 32)) for _ in range(5000)), "UnsupportedFormat")
    put("name with\nnewline.txt", VIET_UTF8.encode(), "ok")
    put("tên tiếng Việt có dấu.txt", VIET_UTF8.encode(), "ok")

    # --- not regular files / no access
    sub = d / "a-directory.pdf"
    sub.mkdir(exist_ok=True)
    paths.append(sub)
    EXPECT[sub.name] = "Unreadable"
    link = d / "dangling-symlink.pdf"
    if not link.is_symlink():
        link.symlink_to(d / "does-not-exist.pdf")
    paths.append(link)
    EXPECT[link.name] = "Unreadable"
    loop_a, loop_b = d / "symlink-loop-a.pdf", d / "symlink-loop-b.pdf"
    if not loop_a.is_symlink():
        loop_a.symlink_to(loop_b)
        loop_b.symlink_to(loop_a)
    paths.append(loop_a)
    EXPECT[loop_a.name] = "Unreadable"
    fifo = d / "fifo.pdf"
    if not fifo.exists():
        os.mkfifo(fifo)
    paths.append(fifo)
    EXPECT[fifo.name] = "Unreadable"  # not a regular file: refused before any open() that could block (issue 12)
    locked = put("no-read-permission.pdf", good_pdf)
    os.chmod(locked, 0)
    # root reads it anyway; for everyone else it is Unreadable
    EXPECT[locked.name] = "ok" if os.geteuid() == 0 else "Unreadable"
    paths.append(d / "missing-file.pdf")
    EXPECT["missing-file.pdf"] = "Unreadable"
    return paths


if __name__ == "__main__":  # pragma: no cover
    out = make_hostile_files(sys.argv[1] if len(sys.argv) > 1 else "hostile")
    print(f"{len(out)} files in {out[0].parent}")
