"""OCR with Tesseract: scanned PDF pages, garbled text layers, and image files (PNG/JPEG/TIFF/GIF).

Pages are rendered (PDF, with pypdfium2 at ~300 dpi) or decoded (images, with Pillow) in this
process, written as PGM into a temporary folder and OCRed by ``tesseract <page> - -l vie tsv`` child
processes, ``options.ocr_workers`` at a time (0 = all cores; each child runs single-threaded). The
TSV word boxes go through the same layout pass as text PDFs, so the letterhead and the
Nơi nhận/signature columns come out as separate blocks; then :mod:`ocrfix` repairs digit and
date-word confusions. ``source.ocr_confidence`` gets each page's mean word confidence (0-100).

Bounds: image size is checked from the header before any pixel is decoded (``max_image_pixels``);
a PDF page is rendered at a resolution that keeps it under that bound, and a page whose embedded
image is larger raises TooLarge; the whole OCR of one file is bounded by ``options.timeout_s``
(ReadTimeout).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
import time
import unicodedata
import warnings as pywarnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..models import Source, Text
from .errors import CorruptFile, ReadTimeout, TooLarge, UnsupportedFormat
from .layout import Word, build_lines, join_pages, layout_text
from .ocrfix import fix_consensus, fix_ocr_text
from .options import ReadOptions

DPI = 300


@dataclass
class PageOCR:
    lines: list[str] = field(default_factory=list)
    confidence: float = 0.0  # mean word confidence, 0-100
    fixes: int = 0  # OCR confusions repaired by ocrfix


@functools.lru_cache(maxsize=8)
def tesseract_available(lang: str = "vie") -> bool:
    exe = shutil.which("tesseract")
    if not exe:
        return False
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return False
    langs = {ln.strip() for ln in (out.stdout + out.stderr).splitlines()}
    return all(part in langs for part in lang.split("+"))


def workers(options: ReadOptions) -> int:
    return options.ocr_workers if options.ocr_workers > 0 else (os.cpu_count() or 1)


def prepare_page(image):
    """The grey page tesseract reads: the red channel, so a red seal over the signature turns pale while black
    and blue ink stay dark, smoothed by a 1-pixel Gaussian, which merges scanner noise and JPEG speckle into the
    strokes (on the team's noisy scans: CER 1.7 % -> 0.4 %; on a real dev scan 9.3 % -> 5.3 %)."""
    from PIL import ImageFilter

    if image.mode in ("1", "L", "I", "I;16", "F"):
        grey = image.convert("L")
    else:
        grey = image.convert("RGB").getchannel("R")
    return deskew(grey.filter(ImageFilter.GaussianBlur(1)))


MAX_SKEW_DEG = 6.0


def skew_angle(grey) -> float:
    """The rotation (degrees, counter-clockwise) that makes the text lines of a page horizontal: the angle whose
    horizontal projection of ink is the most peaked (rows of text and white gaps between them), searched on a
    reduced copy, 1° steps then 0.1° around the best. Tesseract copes with a degree or two, but the layout pass
    groups words into lines by height, and a page fed 3° askew mixes the two columns' lines."""
    import numpy as np
    from PIL import Image

    w, h = grey.size
    scale = min(1.0, 900 / max(1, w))
    small = grey.resize((max(1, int(w * scale)), max(1, int(h * scale))), Image.BILINEAR)
    ink = small.point(lambda v: 255 if v < 140 else 0)
    if np.count_nonzero(np.asarray(ink)) < 200:
        return 0.0  # a blank page

    def score(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, resample=Image.NEAREST, fillcolor=0), dtype=np.float32).sum(axis=1)
        return float(np.var(np.diff(rows)))

    coarse = max((a for a in np.arange(-MAX_SKEW_DEG, MAX_SKEW_DEG + 0.01, 1.0)), key=score)
    fine = max((coarse + d for d in np.arange(-0.9, 0.91, 0.1)), key=score)
    return round(float(fine), 2)


def deskew(grey):
    """Rotate the page by :func:`skew_angle` when it is askew by more than 0.3°."""
    from PIL import Image

    angle = skew_angle(grey)
    if abs(angle) < 0.3:
        return grey
    return grey.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)


def _tsv_lines(tsv: str) -> dict[tuple[str, ...], list[list[str]]]:
    """Word rows (level 5, with text) of a tesseract TSV, grouped by line (page, block, paragraph, line)."""
    lines: dict[tuple[str, ...], list[list[str]]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) >= 12 and cols[0] == "5" and cols[11].strip():
            lines.setdefault(tuple(cols[1:5]), []).append(cols)
    return lines


def parse_tsv(tsv: str) -> tuple[list[list[Word]], float]:
    """Tesseract TSV → word fragments (one per tesseract line) and the mean word confidence."""
    frags: list[list[Word]] = []
    confs = []
    for rows in _tsv_lines(tsv).values():
        words = []
        for cols in rows:
            try:
                left, top, width, height = (float(c) for c in cols[6:10])
                conf = float(cols[10])
            except ValueError:
                continue
            words.append(Word(unicodedata.normalize("NFC", cols[11].strip()), left, left + width, top, top + height))
            if conf >= 0:
                confs.append(conf)
        if words:
            frags.append(words)
    return frags, (sum(confs) / len(confs) if confs else 0.0)


def page_from_tsv(tsv: str, width: float, *, first: bool, last: bool) -> PageOCR:
    frags, conf = parse_tsv(tsv)
    lines = layout_text(build_lines(frags, split_jumps=False), width, header=first, signature=last)
    text, fixes = fix_ocr_text("\n".join(lines))
    return PageOCR(lines=text.split("\n") if text else [], confidence=round(conf, 1), fixes=fixes)


WEAK_LINE_CONF = 70.0  # a tesseract line whose mean word confidence is under this is read again on its own
MAX_RETRIES_PER_PAGE = 12


def _tesseract(image: str, lang: str, deadline: float, path: str, page_no: int) -> str:
    """OCR one page image, then read its weak lines again one at a time (see :func:`retry_weak_lines`)."""
    tsv = _run_tesseract(image, lang, deadline, path, page_no)
    return retry_weak_lines(image, tsv, lambda crop: _run_tesseract(crop, lang, deadline, path, page_no, psm=7))


def _mean_conf(rows: list[list[str]]) -> float:
    confs = [float(r[10]) for r in rows if r[10].lstrip("-").replace(".", "", 1).isdigit()]
    return sum(confs) / len(confs) if confs else 0.0


def _line_box(rows: list[list[str]]) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of a tesseract line's words, in pixels."""
    return (min(int(r[6]) for r in rows), min(int(r[7]) for r in rows),
            max(int(r[6]) + int(r[8]) for r in rows), max(int(r[7]) + int(r[9]) for r in rows))


def retry_weak_lines(image: str, tsv: str, ocr_line) -> str:
    """Page segmentation sometimes groups a small line with a larger one beside it (the last Nơi nhận item
    next to the signer's name) and reads it as noise ("-1UuU: V1;£1." for "- Lưu: VT, PT."). Each line whose
    mean confidence is under WEAK_LINE_CONF is cropped and read again as a single text line (``--psm 7``);
    the second reading replaces the first when it is more confident. ``ocr_line(crop_file) -> tsv``."""
    from PIL import Image

    weak = []
    for key, rows in _tsv_lines(tsv).items():
        x0, y0, x1, y1 = _line_box(rows)
        # a line at least a few characters long: a speck of noise read again only turns into a stray digit
        if _mean_conf(rows) < WEAK_LINE_CONF and sum(c.isalnum() for r in rows for c in r[11]) >= 3 \
                and x1 - x0 >= 3 * max(int(r[9]) for r in rows):
            weak.append((key, rows, (x0, y0, x1, y1)))
    if not weak:
        return tsv
    weak.sort(key=lambda w: _mean_conf(w[1]))
    replaced: dict[tuple[str, ...], list[str]] = {}
    with Image.open(image) as page:
        for key, rows, (x0, y0, x1, y1) in weak[:MAX_RETRIES_PER_PAGE]:
            pad = max(6, (y1 - y0) // 3)
            box = (max(0, x0 - pad), max(0, y0 - pad), min(page.width, x1 + pad), min(page.height, y1 + pad))
            crop_file = f"{image}.line.pgm"
            page.crop(box).save(crop_file)
            try:
                again = [r for rr in _tsv_lines(ocr_line(crop_file)).values() for r in rr]
            finally:
                os.unlink(crop_file)
            if not again or _mean_conf(again) < _mean_conf(rows) + 10:
                continue
            out = []
            for r in again:  # back to page coordinates, under the original line's ids
                r = list(r)
                r[1:5] = list(key)
                r[6] = str(int(r[6]) + box[0])
                r[7] = str(int(r[7]) + box[1])
                out.append("\t".join(r))
            replaced[key] = out
    if not replaced:
        return tsv
    head, *rows_ = tsv.splitlines()
    kept = [head]
    done: set[tuple[str, ...]] = set()
    for row in rows_:
        cols = row.split("\t")
        key = tuple(cols[1:5]) if len(cols) >= 12 and cols[0] == "5" else None
        if key in replaced:
            if key not in done:
                kept.extend(replaced[key])
                done.add(key)
            continue
        kept.append(row)
    return "\n".join(kept) + "\n"


def _run_tesseract(image: str, lang: str, deadline: float, path: str, page_no: int, psm: int = 3) -> str:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise ReadTimeout(path, f"OCR ran past the time limit before page {page_no}")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        proc = subprocess.run(["tesseract", image, "-", "-l", lang, "--psm", str(psm), "tsv"], capture_output=True,
                              timeout=remaining, env=env)
    except subprocess.TimeoutExpired:
        raise ReadTimeout(path, f"OCR of page {page_no} ran past the time limit") from None
    except OSError as exc:
        raise UnsupportedFormat(path, f"cannot run tesseract: {exc.strerror or exc}") from None
    if proc.returncode != 0:
        err = [ln for ln in proc.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        raise CorruptFile(path, f"OCR of page {page_no} failed: {(err[-1] if err else 'tesseract error')[:160]}")
    return proc.stdout.decode("utf-8", "replace")


def _ocr_files(path: str, images: list[tuple[str, float]], options: ReadOptions, deadline: float) -> list[PageOCR]:
    """OCR already-written page images [(file, width in px)] in parallel."""
    n = len(images)
    with ThreadPoolExecutor(max_workers=max(1, min(workers(options), n))) as pool:
        futures = [pool.submit(_tesseract, img, options.ocr_lang, deadline, path, k + 1)
                   for k, (img, _) in enumerate(images)]
        try:
            tsvs = [f.result() for f in futures]
        except BaseException:
            for f in futures:
                f.cancel()
            raise
    return [page_from_tsv(tsv, w, first=(k == 0), last=(k == n - 1)) for k, (tsv, (_, w)) in
            enumerate(zip(tsvs, images, strict=True))]


def _image_px_size(obj) -> tuple[int, int]:
    import ctypes

    import pypdfium2.raw as pdfium_c

    meta = pdfium_c.FPDF_IMAGEOBJ_METADATA()
    if not pdfium_c.FPDFImageObj_GetImageMetadata(obj.raw, None, ctypes.byref(meta)):
        return 0, 0
    return int(meta.width), int(meta.height)


def ocr_pdf_pages(path: str, pdf, indices: list[int], options: ReadOptions) -> list[PageOCR]:
    """Render the given pages of an open pypdfium2 document and OCR them (results in order).

    Rendering happens here (pdfium is not thread-safe); tesseract children run while the next
    page renders.
    """
    import pypdfium2.raw as pdfium_c

    deadline = time.monotonic() + options.timeout_s
    n_pages = len(pdf)
    results: list[PageOCR] = []
    with tempfile.TemporaryDirectory(prefix="congvan-ocr-") as tmp, \
            ThreadPoolExecutor(max_workers=max(1, min(workers(options), len(indices)))) as pool:
        futures = []
        widths = []
        try:
            for i in indices:
                page = pdf[i]
                try:
                    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
                        w, h = _image_px_size(obj)
                        if w * h > options.max_image_pixels:
                            raise TooLarge(path, f"page {i + 1} holds a {w:,} × {h:,} image, over the "
                                                 f"{options.max_image_pixels:,}-pixel limit")
                    pw, ph = page.get_size()
                    scale = DPI / 72
                    if pw * ph * scale * scale > options.max_image_pixels:
                        scale = (options.max_image_pixels / max(pw * ph, 1.0)) ** 0.5
                    bitmap = page.render(scale=scale)
                    image = prepare_page(bitmap.to_pil())
                    bitmap.close()
                finally:
                    page.close()
                file = os.path.join(tmp, f"p{i:05d}.pgm")
                image.save(file)
                widths.append(image.width)
                del image
                if time.monotonic() > deadline:
                    raise ReadTimeout(path, f"OCR ran past the {options.timeout_s:g} s time limit")
                futures.append(pool.submit(_tesseract, file, options.ocr_lang, deadline, path, i + 1))
            tsvs = [f.result() for f in futures]
        except BaseException:
            for f in futures:
                f.cancel()
            raise
        for k, (i, tsv) in enumerate(zip(indices, tsvs, strict=True)):
            results.append(page_from_tsv(tsv, widths[k], first=(i == 0), last=(i == n_pages - 1)))
    return results


def read_image(path: str, source: Source, options: ReadOptions) -> Text:
    if not options.ocr:
        raise UnsupportedFormat(path, "image file, and OCR is turned off")
    if not tesseract_available(options.ocr_lang):
        raise UnsupportedFormat(path, f"image file needs OCR, but tesseract with '{options.ocr_lang}' "
                                      "is not installed")
    deadline = time.monotonic() + options.timeout_s
    with pywarnings.catch_warnings():
        # Pillow warns (DecompressionBombWarning, corrupt EXIF) where we raise or carry on anyway
        pywarnings.simplefilter("ignore")
        pages = _ocr_image_file(path, options, deadline)
    texts, agreed = fix_consensus(["\n".join(p.lines).strip("\n") for p in pages])
    text, starts = join_pages(texts)
    source.pages = len(pages)
    source.ocr = True
    source.ocr_confidence = [p.confidence for p in pages]
    notes: list[str] = []
    fixes = sum(p.fixes for p in pages) + agreed
    if fixes:
        notes.append(f"OCR: {fixes} misreading(s) repaired (digits, dates, labels, known phrases)")
    low = [k + 1 for k, p in enumerate(pages) if p.confidence < 60]
    if low:
        notes.append(f"low OCR confidence on page(s) {', '.join(map(str, low))}")
    return Text(text=text, source=source, warnings=notes, page_starts=starts)


def _ocr_image_file(path: str, options: ReadOptions, deadline: float) -> list[PageOCR]:
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = options.max_image_pixels
    try:
        with Image.open(path) as im, tempfile.TemporaryDirectory(prefix="congvan-ocr-") as tmp:
            w, h = im.size  # from the header; no pixel decoded yet
            if w * h > options.max_image_pixels:
                raise TooLarge(path, f"image is {w:,} × {h:,} pixels, over the "
                                     f"{options.max_image_pixels:,}-pixel limit")
            frames = 1 if im.format == "GIF" else getattr(im, "n_frames", 1)
            if frames > options.max_pages:
                raise TooLarge(path, f"image has {frames:,} frames, over the {options.max_pages:,}-page limit")
            images = []
            for k in range(frames):
                im.seek(k)
                fw, fh = im.size
                if fw * fh > options.max_image_pixels:
                    raise TooLarge(path, f"frame {k + 1} is {fw:,} × {fh:,} pixels, over the limit")
                frame = ImageOps.exif_transpose(im) if k == 0 else im
                frame = prepare_page(frame)
                file = os.path.join(tmp, f"f{k:05d}.pgm")
                frame.save(file)
                images.append((file, float(frame.width)))
            return _ocr_files(path, images, options, deadline)
    except (UnidentifiedImageError, SyntaxError, EOFError) as exc:
        raise CorruptFile(path, f"cannot decode image: {type(exc).__name__}") from None
    except Image.DecompressionBombError:
        raise TooLarge(path, f"image is over the {options.max_image_pixels:,}-pixel limit") from None
    except OSError as exc:
        raise CorruptFile(path, f"cannot decode image (truncated or damaged): {str(exc)[:160]}") from None


__all__ = ["read_image", "prepare_page", "ocr_pdf_pages", "tesseract_available", "parse_tsv", "page_from_tsv", "PageOCR"]
