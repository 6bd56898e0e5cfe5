"""PDF reader: text layer with pypdfium2, OCR for scanned pages or a garbled text layer.

Every page's text comes from pdfium's text layer (fast, C). The first page (letterhead: issuer and
"Số" on the left, motto and place/date on the right) and the page holding "Nơi nhận" (copy list on
the left, signature on the right) go through a layout pass on pdfium's character boxes instead, so
the two columns come out as separate blocks in reading order instead of interleaved lines
(spec §12). Annotations on those pages are flattened first: signing software stamps the serial and
the day into widget annotations ("Số: 8151 /BNV-CCHC" has "8151" in a widget in d15).

Running headers/footers (a line repeated at the edge of most pages) and bare page numbers are
dropped. Pages are joined with ``PAGE_SEP`` and ``Text.page_starts`` records where each starts.

Pages without a text layer, or whose text layer is garbled (a broken font table, spec §12 / d16),
are rendered and OCRed by :mod:`pipeline.read.ocr`.

Bounds: more than ``options.max_pages`` pages → TooLarge (only the page count is read); a stream
that inflates past ``options.max_unzipped_bytes`` (a decompression bomb) → TooLarge, found by a
bounded pre-scan before pdfium inflates anything; encrypted files open with the empty user password
(with a warning) or raise EncryptedFile; damaged files raise CorruptFile.
"""

from __future__ import annotations

import re
import unicodedata

from ..models import Source, Text
from .chrome import _drop_chrome_lines, repeated_edge_lines, strip_page_chrome
from .errors import CorruptFile, EncryptedFile, NoText, TooLarge, Unreadable
from .layout import (
    _GLUED_LABEL,
    _NOI_NHAN,
    PAGE_SEP,
    LayoutLine,
    Word,
    build_lines,
    join_pages,
    layout_text,
)
from .options import ReadOptions
from .pdf_guard import check_streams
from .quality import is_vietnamese_syllable, looks_garbled, text_quality

# A page with fewer visible characters than this in its text layer counts as having none.
MIN_PAGE_CHARS = 40
# Pages with more characters than this keep pdfium's plain text (the layout pass is Python per char).
LAYOUT_MAX_CHARS = 30_000


def _open(path: str, warnings: list[str]):
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code is None:
            code = pdfium_c.FPDF_GetLastError()
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedFile(path, "PDF is encrypted and needs a password to open") from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedFile(path, "PDF uses an unsupported encryption scheme") from None
        if code == pdfium_c.FPDF_ERR_FORMAT:
            raise CorruptFile(path, "damaged PDF: its structure (xref) cannot be read or rebuilt") from None
        raise CorruptFile(path, f"cannot open PDF: {str(exc).splitlines()[0][:200]}") from None
    except OSError as exc:
        raise Unreadable(path, f"cannot open file: {exc.strerror or exc}") from None
    if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1:
        warnings.append("PDF is encrypted; opened with the empty user password")
    return pdf


def _page_lines_fast(textpage) -> list[str]:
    text = textpage.get_text_bounded()
    # pdfium reports a hyphen that ends a line as U+0002 and joins the two lines: undo both.
    text = text.replace("\x02", "-\n")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [_GLUED_LABEL.sub(r"\1 ", unicodedata.normalize("NFC", ln.rstrip())) for ln in lines]


# A line whose tail is short tokens of letters outside ASCII ("N i nh n: ơ ậ", "Vũ Th Thanh H i ị ả"): letters
# drawn from a fallback font that pdfium lists after the rest of their line.
_STRAY_TAIL = re.compile(r"(?:\s(?:(?![A-Za-zđĐ])[^\W\d_]){1,3})+\s*$")


def out_of_order(lines: list[str]) -> bool:
    """True when pdfium's plain text of a page has letters split out of their words to the line ends."""
    hits = 0
    for ln in lines:
        m = _STRAY_TAIL.search(ln)
        if m and len(m.group().split()) < len(ln.split()):
            hits += len(m.group().split())
            if hits >= 2:
                return True
    return False


def page_fragments(textpage, page_top: float, page_left: float = 0.0) -> list[list[Word]]:
    """Words from pdfium's character boxes, grouped by pdfium's own text lines.

    Boxes come in PDF user space (y up); words get top-down coordinates relative to the crop box's
    top-left corner (``page_top``, ``page_left``)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    raw = textpage.raw
    n = pdfium_c.FPDFText_CountChars(raw)
    rect = pdfium_c.FS_RECTF()
    get_unicode = pdfium_c.FPDFText_GetUnicode
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    rect_ref = ctypes.byref(rect)
    fragments: list[list[Word]] = []
    frag: list[Word] = []
    cur: list = []  # [chars, x0, x1, top, bottom]

    def flush_word():
        nonlocal cur
        if cur:
            frag.append(Word(unicodedata.normalize("NFC", "".join(cur[0])), cur[1], cur[2], cur[3], cur[4]))
            cur = []

    for i in range(n):
        u = get_unicode(raw, i)
        ch = "-" if u == 2 else chr(u) if 0 <= u < 0x110000 else "\ufffd"
        if ch in "\r\n":
            flush_word()
            if frag:
                fragments.append(frag)
                frag = []
            continue
        if ch.isspace() or u in (0, 0xFFFE, 0xFFFF):
            flush_word()
            continue
        if not get_box(raw, i, rect_ref):
            continue
        left, right = rect.left - page_left, rect.right - page_left
        top, bottom = page_top - rect.top, page_top - rect.bottom
        if cur and unicodedata.combining(ch):
            cur[0].append(ch)
            continue
        if cur:
            h = max(cur[4] - cur[3], bottom - top, 1e-6)
            if (left - cur[2] > 0.25 * h or left < cur[2] - 0.6 * h
                    or abs((top + bottom) - (cur[3] + cur[4])) > 3 * h):
                flush_word()
        if cur:
            cur[0].append(ch)
            cur[2] = max(cur[2], right)
            cur[3] = min(cur[3], top)
            cur[4] = max(cur[4], bottom)
        else:
            cur = [[ch], left, right, top, bottom]
    flush_word()
    if frag:
        fragments.append(frag)
    return fragments


def _has_images(page) -> bool:
    import pypdfium2.raw as pdfium_c

    objs = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2)
    return next(iter(objs), None) is not None


def read_pdf(path: str, source: Source, options: ReadOptions) -> Text:
    warnings: list[str] = []
    check_streams(path, options)
    pdf = _open(path, warnings)
    try:
        return _read_open_pdf(path, pdf, source, options, warnings)
    finally:
        pdf.close()


def _read_open_pdf(path: str, pdf, source: Source, options: ReadOptions, warnings: list[str]) -> Text:
    n = len(pdf)
    if n == 0:
        raise CorruptFile(path, "PDF has no pages (damaged or truncated)")
    if n > options.max_pages:
        raise TooLarge(path, f"PDF has {n:,} pages, over the {options.max_pages:,}-page limit "
                             "(raise max_pages to read it)")
    source.pages = n
    forms_ready = False
    try:
        pdf.init_forms()  # needed to flatten widget annotations (stamped serials and dates)
        forms_ready = True
    except Exception:  # noqa: BLE001 - a broken AcroForm only costs the widget text
        pass

    pages: list[list[str] | None] = [None] * n
    raw_text: list[str] = [""] * n
    to_ocr: list[tuple[int, str]] = []  # (page index, why)
    for i in range(n):
        try:
            page = pdf[i]
        except Exception as exc:  # noqa: BLE001 - pdfium raises PdfiumError on a broken page
            raise CorruptFile(path, f"page {i + 1} cannot be loaded: {str(exc).splitlines()[0][:120]}") from None
        try:
            tp = page.get_textpage()
            lines = _page_lines_fast(tp)
            tp.close()
            if out_of_order(lines) and page.get_rotation() % 360 == 0:
                try:  # order the characters of each line by x (the layout pass, without the columns)
                    lines = _layout_page(pdf, i, header=False, signature=False, flatten=False)
                except Exception:  # noqa: BLE001 - keep pdfium's plain text
                    warnings.append(f"page {i + 1}: characters out of order, could not be reordered")
            text = "\n".join(lines)
            visible = len("".join(text.split()))
            if visible < MIN_PAGE_CHARS:
                if _has_images(page):
                    to_ocr.append((i, "no text layer"))
                pages[i] = [ln for ln in lines if ln.strip()]
            elif looks_garbled(text):
                to_ocr.append((i, "garbled text layer"))
                pages[i] = lines
            else:
                pages[i] = lines
            raw_text[i] = text
        finally:
            page.close()

    # Layout pass: the first page, and the last page (of the last two) that holds "Nơi nhận".
    ocr_pages = {i for i, _ in to_ocr}
    sig_page = None
    for i in range(n - 1, max(-1, n - 3), -1):
        if i not in ocr_pages and any(_NOI_NHAN.match(ln.strip()) for ln in (pages[i] or [])):
            sig_page = i
            break
    repeated = repeated_edge_lines([p or [] for p in pages])
    for i in sorted({0, sig_page} - {None} - ocr_pages):
        if not raw_text[i].strip():
            continue
        try:
            pages[i] = _layout_page(pdf, i, header=(i == 0), signature=(i == sig_page), flatten=forms_ready,
                                    repeated=repeated, n_pages=n)
        except CorruptFile:
            raise
        except ValueError as exc:
            warnings.append(f"page {i + 1}: {exc}; columns not separated")
        except Exception as exc:  # noqa: BLE001 - keep the plain text of the page
            warnings.append(f"page {i + 1}: layout pass failed ({type(exc).__name__}); plain text kept")

    ocr_conf: list[float] | None = None
    if to_ocr:
        ocr_conf = _ocr_pages(path, pdf, to_ocr, pages, raw_text, source, options, warnings)

    page_lines, _ = strip_page_chrome([p or [] for p in pages], repeated)
    texts = [unicodedata.normalize("NFC", "\n".join(lines).strip("\n")) for lines in page_lines]
    text, starts = join_pages(texts)
    if to_ocr and not source.ocr and not text.strip():
        why = "OCR is off" if not options.ocr else f"tesseract ({options.ocr_lang}) is not installed"
        raise NoText(path, f"scanned PDF without a usable text layer, and {why}")
    if len(text) > options.max_text_chars:
        raise TooLarge(path, f"text has {len(text):,} characters, over the {options.max_text_chars:,} limit")
    if ocr_conf is not None:
        source.ocr_confidence = ocr_conf
    return Text(text=text, source=source, warnings=warnings, page_starts=starts)


def _layout_page(pdf, i: int, *, header: bool, signature: bool, flatten: bool, repeated: set[str] = frozenset(),
                 n_pages: int = 1) -> list[str]:
    import pypdfium2.raw as pdfium_c

    page = pdf[i]
    try:
        if page.get_rotation() % 360:
            raise ValueError("rotated page")  # char boxes are unrotated: keep pdfium's own order
        if flatten and pdfium_c.FPDFPage_GetAnnotCount(page.raw) > 0:
            page.flatten()
            page.close()
            page = pdf[i]
        left, _bottom, right, top = page.get_cropbox()
        width = right - left
        tp = page.get_textpage()
        try:
            if tp.count_chars() > LAYOUT_MAX_CHARS:
                raise ValueError("too many characters for the layout pass")
            frags = page_fragments(tp, top, left)
        finally:
            tp.close()
    finally:
        page.close()
    lines = _drop_chrome_lines(build_lines(frags), repeated, n_pages)
    return layout_text(lines, width, header=header, signature=signature)


def _ocr_pages(path, pdf, to_ocr, pages, raw_text, source, options, warnings) -> list[float] | None:
    from . import ocr

    if not options.ocr:
        warnings.append(f"{len(to_ocr)} page(s) need OCR (scanned or garbled text layer); OCR is off")
        return None
    if not ocr.tesseract_available(options.ocr_lang):
        warnings.append(f"{len(to_ocr)} page(s) need OCR but Tesseract ({options.ocr_lang}) is not installed")
        return None
    indices = [i for i, _ in to_ocr]
    results = ocr.ocr_pdf_pages(path, pdf, indices, options)
    conf = []
    garbled = [i + 1 for i, why in to_ocr if why.startswith("garbled")]
    if garbled:
        warnings.append(f"text layer of page(s) {', '.join(map(str, garbled))} is garbled "
                        "(broken font table); replaced by OCR")
    from .ocrfix import fix_consensus

    texts, fixes = fix_consensus(["\n".join(res.lines) for res in results])
    for (i, _), res, text in zip(to_ocr, results, texts, strict=True):
        pages[i] = text.split("\n") if res.lines else []
        conf.append(res.confidence)
        fixes += res.fixes
    source.ocr = True
    if fixes:
        warnings.append(f"OCR: {fixes} misreading(s) repaired (digits, dates, labels, known phrases)")
    low = [i + 1 for (i, _), c in zip(to_ocr, conf, strict=True) if c < 60]
    if low:
        warnings.append(f"low OCR confidence on page(s) {', '.join(map(str, low))}")
    return conf


def pdf_page_count(path: str) -> int:
    """Number of pages, without reading any page (for benchmarks and the CLI)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


__all__ = ["read_pdf", "looks_garbled", "text_quality", "strip_page_chrome", "check_streams", "Word", "LayoutLine",
           "build_lines", "layout_text", "join_pages", "PAGE_SEP", "pdf_page_count", "is_vietnamese_syllable"]
