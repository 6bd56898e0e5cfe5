"""Realistic test fixtures in every input format, built from a plain-text gold corpus.

:func:`build_format_corpus` turns a gold folder laid out like ``corpora/`` (``docs/<id>.txt``,
``gold/<id>.json``) into a folder of the same layout whose ``files/<id>.<ext>`` hold the documents as

- ``docx``: a Word document built with python-docx: the letterhead as a borderless two-column table
  (issuer lines + "Số: …" + "V/v …" on the left, motto + place/date on the right), body paragraphs (level-one
  "1.", "2." items as Word automatic numbering, so the reader has to rebuild the labels from
  ``numbering.xml``), the Nơi nhận list and the signature block as a second two-column table;
- ``doc`` and ``pdf``: that DOCX converted by LibreOffice (``soffice --headless --convert-to``);
- ``scan``: the PDF's pages rendered with pypdfium2, slightly rotated, blurred, noised and with a red round
  stamp over the signature, saved as an image-only PDF (no text layer);
- ``html``: a saved-web-page-like file (head, navigation chrome, the document in ``<article>``);
- ``tcvn3`` and ``vni``: the text file re-encoded in the legacy 8-bit font encodings, with the inverse of the
  tables :mod:`pipeline.read.legacy` loads from ``pipeline/lexicons/tcvn3.tsv`` and ``vni.tsv``.

The gold JSON is copied with ``file`` and ``format`` set, so ``evaluate(out_dir, use_files=True)`` scores the
converted files. Everything is deterministic (seeded noise).
"""

from __future__ import annotations

import html
import json
import os
import random
import re
import shutil
import signal
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("docx", "doc", "pdf", "scan", "html", "tcvn3", "vni")
EXTENSIONS = {"docx": "docx", "doc": "doc", "pdf": "pdf", "scan": "pdf", "html": "html", "tcvn3": "txt",
              "vni": "txt"}
SOFFICE_TIMEOUT_S = 300

_DATE_LINE_RE = re.compile(r",\s*ngày\s+(?:\d{1,2}\s+)?tháng\s+\S+\s+năm\s+\d{4}")
_GAP_RE = re.compile(r"(?<=\S)\s{3,}(?=\S)")
_CC_RE = re.compile(r"^\s*Nơi\s+nhận\b")
_NUMBERED_RE = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
_LABEL_RE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\)|[IVX]{1,5}\.|[-+•])\s")
_STARS_ONLY_RE = re.compile(r"^\*+$")


# --- the document's layout, recovered from the plain text ---------------------------------------------------


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Para:
    runs: list[Run]
    align: str = "left"  # left | center | justify
    number: int | None = None  # level-one list item written by Word automatic numbering ("1." ...)
    list_id: int | None = None  # which list (a new one starts at every "1.")

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    def labelled(self) -> str:
        return (f"{self.number}. " if self.number is not None else "") + self.text


@dataclass
class Layout:
    head_left: list[Para] = field(default_factory=list)
    head_right: list[Para] = field(default_factory=list)
    body: list[Para] = field(default_factory=list)
    cc: list[Para] = field(default_factory=list)
    sign: list[Para] = field(default_factory=list)

    def plain_text(self) -> str:
        """The text put on the page, in reading order (left column before right column)."""
        parts = [p.labelled() for block in (self.head_left, self.head_right, self.body, self.cc, self.sign)
                 for p in block]
        return "\n".join(parts)


def _runs(line: str, state: dict[str, bool], markdown: bool) -> list[Run]:
    """Split ``**bold**``/``*italic*`` markers (which may span lines: ``state`` carries them over)."""
    if not markdown or _STARS_ONLY_RE.match(line.strip()):
        return [Run(line, state["bold"], state["italic"])]
    runs: list[Run] = []
    for piece in re.split(r"(\*\*|\*)", line):
        if piece == "**":
            state["bold"] = not state["bold"]
        elif piece == "*":
            state["italic"] = not state["italic"]
        elif piece:
            runs.append(Run(piece, state["bold"], state["italic"]))
    return runs or [Run("")]


def _mottos() -> list[str]:
    from pipeline.read.legacy import LEXICONS

    out = []
    for line in (LEXICONS / "mottos.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(re.sub(r"\s+", "", line.split("\t")[0]).upper())
    return out


def _is_motto(text: str) -> bool:
    key = re.sub(r"[\s*]+", "", text).upper().replace("–", "-")
    return bool(key) and any(key == m or key.replace("HOÀ", "HÒA") == m.replace("HOÀ", "HÒA") for m in _mottos())


def parse_layout(text: str) -> Layout:
    """Recover letterhead columns, body paragraphs and the Nơi nhận/signature columns from a corpus text
    (either one letterhead cell per line, or pdftotext-style columns separated by runs of spaces)."""
    lines = text.replace("\r\n", "\n").split("\n")
    columns = any(_GAP_RE.search(ln) for ln in lines[:8])  # pdftotext -layout style
    markdown = "**" in text
    state = {"bold": False, "italic": False}
    lay = Layout()

    def para(s: str, align: str = "left", bold: bool = False) -> Para:
        runs = _runs(s, state, markdown)
        if bold:
            for r in runs:
                r.bold = True
        return Para(runs, align)

    date_at = next((i for i, ln in enumerate(lines[:30]) if _DATE_LINE_RE.search(ln)), -1)
    i = 0
    if date_at >= 0:
        for ln in lines[:date_at + 1]:
            if not ln.strip():
                continue
            pieces = _GAP_RE.split(ln.strip()) if columns else [ln.strip()]
            if len(pieces) >= 2:
                lay.head_left.append(para(pieces[0], "center", bold=True))
                lay.head_right.append(para(" ".join(pieces[1:]), "center", bold=True))
            elif _is_motto(pieces[0]) or _DATE_LINE_RE.search(pieces[0]):
                lay.head_right.append(para(pieces[0], "center", bold=not _DATE_LINE_RE.search(pieces[0])))
            elif columns and len(ln) - len(ln.lstrip()) > 25:
                lay.head_right.append(para(pieces[0], "center"))
            else:
                lay.head_left.append(para(pieces[0], "center", bold=not pieces[0].startswith(("Số", "V/"))))
        for p in lay.head_right:  # the place and date line is italic
            if _DATE_LINE_RE.search(p.text):
                for r in p.runs:
                    r.italic, r.bold = True, False
        i = date_at + 1
        if i < len(lines) and lines[i].strip().lower().startswith("v/v"):  # subject under the number
            while i < len(lines) and lines[i].strip() and not lines[i].strip().startswith("Kính gửi"):
                lay.head_left.append(para(lines[i].strip(), "center"))
                i += 1
    cc_at = next((k for k in range(len(lines) - 1, i - 1, -1) if _CC_RE.match(lines[k])), len(lines))

    # body
    body_lines = lines[i:cc_at]
    paras: list[tuple[str, bool]] = []  # (text, centered)
    title_zone = True
    for ln in body_lines:
        s = ln.strip()
        if not s:
            if paras and paras[-1][0]:
                paras.append(("", False))  # a blank line: an empty paragraph, as typed
            continue
        indent = len(ln) - len(ln.lstrip())
        if title_zone and (s in ("-----", "-----o0o-----") or s.startswith(("Căn cứ", "Thực hiện", "Kính gửi"))
                           or (paras and not columns and _LABEL_RE.match(s))):
            title_zone = False
        if columns:
            starts = (not paras or not paras[-1][0] or indent >= 4 or _LABEL_RE.match(s) or title_zone)
            if starts:
                paras.append((s, title_zone and indent >= 6))
            else:
                paras[-1] = (paras[-1][0] + " " + s, paras[-1][1])
        else:
            paras.append((s, title_zone and len([p for p in paras if p[0]]) < 6 and not s.startswith(("V/v", "Kính gửi"))
                          and bool(re.match(r"^[\W\d]*[A-ZĐÀ-Ỹ]{2,}", s.replace("*", "")) or paras)))
    while paras and not paras[-1][0]:
        paras.pop()
    list_id = 0
    last = None
    for s, centered in paras:
        if not s:
            lay.body.append(Para([Run("")]))
            continue
        m = _NUMBERED_RE.match(s)
        p = para(m.group(2) if m else s, "center" if centered else "justify",
                 bold=centered and s.replace("*", "").isupper())
        if m and not centered:
            n = int(m.group(1))
            if n == 1:
                list_id += 1
                last = 1
                p.number, p.list_id = 1, list_id
            elif last is not None and n == last + 1:
                last = n
                p.number, p.list_id = n, list_id
            else:
                p.runs = para(s).runs
                last = None
        lay.body.append(p)

    # Nơi nhận (left) and signature (right)
    tail = lines[cc_at:]
    if columns:
        for ln in tail:
            if not ln.strip():
                continue
            pieces = _GAP_RE.split(ln.strip())
            indent = len(ln) - len(ln.lstrip())
            if len(pieces) >= 2:
                lay.cc.append(para(pieces[0]))
                lay.sign.append(para(" ".join(pieces[1:]), "center", bold=True))
            elif indent > 20:
                lay.sign.append(para(pieces[0], "center", bold=True))
            else:
                lay.cc.append(para(ln.rstrip() if indent <= 2 else "  " + pieces[0]))
        if len(lay.sign) >= 2:  # room for the handwritten signature
            lay.sign[-1:-1] = [Para([Run("")], "center") for _ in range(3)]
    else:
        k = 0
        while k < len(tail):
            s = tail[k]
            nxt = tail[k + 1] if k + 1 < len(tail) else ""
            if k == 0 or s.startswith(("- ", "+ ", "  ")) or (not s.strip() and nxt.startswith("- ")):
                if s.strip():
                    lay.cc.append(para(s))
                k += 1
                continue
            break
        for s in tail[k:]:
            lay.sign.append(para(s.strip(), "center", bold=bool(s.strip())))
        while lay.sign and not lay.sign[0].text.strip():
            lay.sign.pop(0)
        while lay.sign and not lay.sign[-1].text.strip():
            lay.sign.pop()
    for p in lay.cc[:1]:
        for r in p.runs:
            r.bold, r.italic = True, True
    return lay


# --- DOCX ---------------------------------------------------------------------------------------------------

_ABSTRACT_NUM_ID = 90


def _numbering_xml(doc, list_ids: list[int]) -> dict[int, int]:
    """Add a decimal "%1." list definition and one w:num per list (each restarting at 1); list id -> numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    numbering = doc.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{_ABSTRACT_NUM_ID}">'
        '<w:multiLevelType w:val="hybridMultilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
        '<w:lvlJc w:val="left"/><w:suff w:val="space"/><w:pPr><w:ind w:left="0" w:firstLine="567"/></w:pPr>'
        '</w:lvl></w:abstractNum>')
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    used = {int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))}
    out = {}
    next_id = max(used, default=0) + 1
    for lid in list_ids:
        numbering.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{next_id}"><w:abstractNumId w:val="{_ABSTRACT_NUM_ID}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
        out[lid] = next_id
        next_id += 1
    return out


def _add_para(container, p: Para, size: float, num_ids: dict[int, int] | None = None, first: bool = False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    para = container.paragraphs[0] if first else container.add_paragraph()
    para.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}.get(
        p.align, WD_ALIGN_PARAGRAPH.LEFT)
    fmt = para.paragraph_format
    fmt.space_after = Pt(3 if p.align == "justify" else 0)
    fmt.space_before = Pt(0)
    if p.align == "justify" and p.number is None:
        fmt.first_line_indent = Pt(28)
    if p.number is not None and num_ids is not None:
        para._p.get_or_add_pPr().insert(0, parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_ids[p.list_id]}"/></w:numPr>'))
    for r in p.runs:
        run = para.add_run(r.text)
        run.bold = r.bold or None
        run.italic = r.italic or None
        run.font.size = Pt(size)
    return para


def _two_columns(doc, left: list[Para], right: list[Para], widths: tuple[float, float], size: float,
                 left_size: float | None = None) -> None:
    from docx.shared import Cm

    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    for cell, paras, width, sz in ((table.cell(0, 0), left, widths[0], left_size or size),
                                   (table.cell(0, 1), right, widths[1], size)):
        cell.width = Cm(width)
        for k, p in enumerate(paras or [Para([Run("")])]):
            _add_para(cell, p, sz, first=(k == 0))


def write_docx(lay: Layout, path: Path, font: str = "Times New Roman") -> Path:
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Cm(2), Cm(2), Cm(3), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(13)
    if lay.head_left or lay.head_right:
        _two_columns(doc, lay.head_left, lay.head_right, (6.5, 9.5), 12.5)
        doc.add_paragraph()
    list_ids = sorted({p.list_id for p in lay.body if p.list_id is not None})
    num_ids = _numbering_xml(doc, list_ids) if list_ids else {}
    for p in lay.body:
        _add_para(doc, p, 13, num_ids)
    if lay.cc or lay.sign:
        doc.add_paragraph()
        _two_columns(doc, lay.cc, lay.sign, (8.0, 8.0), 13, left_size=11)
        # Word always ends a body with a paragraph after a table; without it LibreOffice's DOC export merges
        # the table's last cells into one paragraph, which no file saved by Word has.
        doc.add_paragraph()
    doc.save(str(path))
    return path


# --- LibreOffice -----------------------------------------------------------------------------------------------


def soffice_convert(sources: list[Path], out_dir: Path, target: str, timeout_s: float = SOFFICE_TIMEOUT_S) -> None:
    """Convert files with ``soffice --headless --convert-to`` under a private profile (one batch)."""
    from pipeline.read.doc import find_soffice

    exe = find_soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="congvan-fixtures-lo-") as profile:
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", target, "--outdir", str(out_dir), *map(str, sources)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _out, err = proc.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise RuntimeError(f"soffice --convert-to {target} ran past {timeout_s:g} s") from None
    ext = target.split(":")[0]
    missing = [s.name for s in sources if not (out_dir / f"{s.stem}.{ext}").exists()]
    if missing:
        raise RuntimeError(f"soffice did not convert {missing}: {err.decode(errors='replace')[-300:]}")


# --- scans -----------------------------------------------------------------------------------------------------


def _stamp(img, center: tuple[int, int], radius: int, label: str, seed: int):
    """Draw a red round seal (two rings, a star, text around) multiplied onto ``img`` like ink."""
    from PIL import Image, ImageChops, ImageDraw, ImageFont

    size = 2 * radius + 4
    layer = Image.new("RGB", (size, size), "white")
    d = ImageDraw.Draw(layer)
    red = (205, 35, 40)
    c = size // 2
    w = max(3, radius // 28)
    d.ellipse([c - radius, c - radius, c + radius, c + radius], outline=red, width=w)
    r2 = int(radius * 0.72)
    d.ellipse([c - r2, c - r2, c + r2, c + r2], outline=red, width=max(2, w // 2))
    star = []
    import math
    for k in range(10):
        rr = radius * (0.22 if k % 2 == 0 else 0.09)
        a = -math.pi / 2 + k * math.pi / 5
        star.append((c + rr * math.cos(a), c + rr * math.sin(a)))
    d.polygon(star, fill=red)
    try:
        font = ImageFont.truetype("DejaVuSans-Bold.ttf", max(10, radius // 7))
    except OSError:
        font = ImageFont.load_default()
    text = label.upper()[:40]
    n = max(1, len(text))
    for k, ch in enumerate(text):
        a = math.pi + (k + 0.5) * (math.pi * 1.6) / n - math.pi * 0.3
        x = c + (radius * 0.86) * math.cos(a)
        y = c + (radius * 0.86) * math.sin(a)
        d.text((x, y), ch, fill=red, font=font, anchor="mm")
    layer = layer.rotate(random.Random(seed).uniform(-30, 30), fillcolor="white")
    box = (center[0] - c, center[1] - c)
    region = img.crop((box[0], box[1], box[0] + size, box[1] + size))
    img.paste(ImageChops.multiply(region, layer), box)
    return img


def _signature_anchor(page, name: str) -> tuple[float, float, float, float] | None:
    """Bounding box (PDF points, origin bottom-left) of the signer's name on a text PDF page."""
    tp = page.get_textpage()
    try:
        search = tp.search(name, match_case=True)
        found = search.get_next()
        if not found:
            return None
        idx, count = found
        boxes = [tp.get_charbox(k) for k in range(idx, idx + count)]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                max(b[3] for b in boxes))
    finally:
        tp.close()


def write_scan(pdf_path: Path, out_path: Path, signer: str | None, issuer: str | None, seed: int,
               dpi: int = 250) -> Path:
    """Rasterize a text PDF into a noisy, skewed, stamped image-only PDF."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    pdf = pdfium.PdfDocument(str(pdf_path))
    pages = []
    try:
        n = len(pdf)
        for i in range(n):
            page = pdf[i]
            scale = dpi / 72
            img = page.render(scale=scale).to_pil().convert("RGB")
            anchor = _signature_anchor(page, signer) if signer else None
            if anchor is not None:
                ph = page.get_size()[1]
                x0, _y0, _x1, y1 = anchor
                pw = page.get_size()[0]
                radius = int(0.55 * dpi)  # a 28 mm seal over the left part of the signature, as it is pressed
                cx = int(min(x0, pw * 0.55) * scale) + radius // 3
                cy = int((ph - y1) * scale) - int(0.42 * dpi)
                img = _stamp(img, (cx, cy), radius, issuer or "CƠ QUAN BAN HÀNH", seed)
            page.close()
            img = img.rotate(rng.choice((-1, 1)) * rng.uniform(0.5, 1.5), resample=Image.BICUBIC, expand=False,
                             fillcolor=(255, 255, 255))
            img = img.filter(ImageFilter.GaussianBlur(radius=0.7))
            arr = np.asarray(img).astype(np.int16)
            arr = arr + nrng.normal(0, 12, arr.shape[:2])[..., None].astype(np.int16)
            specks = nrng.random(arr.shape[:2]) < 0.0004
            arr[specks] = 40
            img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
            pages.append(img)
    finally:
        pdf.close()
    pages[0].save(str(out_path), "PDF", resolution=float(dpi), save_all=True, append_images=pages[1:], quality=85)
    return out_path


# --- HTML ------------------------------------------------------------------------------------------------------


def _html_para(p: Para, tag: str = "p") -> str:
    parts = []
    for r in p.runs:
        t = html.escape(r.text)
        if r.bold:
            t = f"<strong>{t}</strong>"
        if r.italic:
            t = f"<em>{t}</em>"
        parts.append(t)
    style = {"center": ' style="text-align:center"', "justify": ' style="text-align:justify"'}.get(p.align, "")
    return f"<{tag}{style}>{''.join(parts) or '&nbsp;'}</{tag}>"


def _html_cell(paras: list[Para]) -> str:
    lines = []
    for p in paras:
        inner = _html_para(p, "span")
        lines.append(inner)
    return "<br>\n".join(lines)


def write_html(lay: Layout, title: str, path: Path) -> Path:
    body = []
    if lay.head_left or lay.head_right:
        body.append('<table class="letterhead" width="100%"><tr>'
                    f'<td width="40%" align="center">{_html_cell(lay.head_left)}</td>'
                    f'<td width="60%" align="center">{_html_cell(lay.head_right)}</td></tr></table>')
    for p in lay.body:
        body.append(_html_para(Para(p.runs if p.number is None else [Run(f"{p.number}. ")] + p.runs, p.align)))
    if lay.cc or lay.sign:
        body.append('<table class="signature" width="100%"><tr>'
                    f'<td width="50%" valign="top">{_html_cell(lay.cc)}</td>'
                    f'<td width="50%" align="center" valign="top">{_html_cell(lay.sign)}</td></tr></table>')
    page = f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} - Cổng thông tin điện tử</title>
<link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
</head>
<body>
<header class="site-header"><div class="logo">CỔNG THÔNG TIN ĐIỆN TỬ</div>
<nav class="menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu</a></li>
<li><a href="/tin-tuc">Tin tức - Sự kiện</a></li><li><a href="/van-ban">Văn bản chỉ đạo điều hành</a></li>
<li><a href="/lien-he">Liên hệ</a></li></ul></nav></header>
<div class="breadcrumb"><a href="/">Trang chủ</a> &raquo; <a href="/van-ban">Văn bản</a></div>
<main class="container">
<article class="document">
<h1 class="doc-title">{html.escape(title)}</h1>
<div class="meta">Ngày đăng: 01/01/2025 | Lượt xem: 1024</div>
<div class="content">
{chr(10).join(body)}
</div>
</article>
<aside class="sidebar"><h3>Văn bản mới</h3><ul><li><a href="/van-ban/1">Thông báo lịch tiếp công dân</a></li>
<li><a href="/van-ban/2">Kế hoạch cải cách hành chính năm 2025</a></li></ul></aside>
</main>
<footer class="site-footer">Bản quyền thuộc Cổng thông tin điện tử. Địa chỉ: số 1 đường Trần Phú.
Điện thoại: 0238 3844 555.</footer>
</body>
</html>
"""
    path.write_text(page, encoding="utf-8")
    return path


# --- legacy encodings ------------------------------------------------------------------------------------------


def _inverse(fmt: str) -> dict[str, str]:
    """Unicode letter -> legacy sequence (as Windows-1252/Latin-1 characters), inverted from the very tables
    :mod:`pipeline.read.legacy` decodes with."""
    from pipeline.read.legacy import tcvn3_table, vni_table

    rev: dict[str, str] = {}
    if fmt == "tcvn3":
        for code, uni in tcvn3_table().items():
            rev.setdefault(uni, code)
        # .VnTimeH draws capitals from the lower-case codes: toned capitals are written with those
        for uni, code in list(rev.items()):
            if uni.islower() and uni.upper() not in rev and not uni.upper().isascii():
                rev[uni.upper()] = code
    else:
        for seq, uni in vni_table().items():
            # skip the title-case aliases ("Aù") the decoder also accepts
            if len(seq) == 1 or seq[0].isupper() == seq[1].isupper() or not seq[1].isalpha():
                rev.setdefault(uni, seq)
    return rev


def encode_legacy(text: str, fmt: str) -> bytes:
    """Unicode text -> the bytes a TCVN3 (``fmt="tcvn3"``) or VNI-Windows (``"vni"``) file holds."""
    rev = _inverse(fmt)
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        seq = rev.get(ch, ch)
        for c in seq:
            try:
                out += c.encode("cp1252")
            except UnicodeEncodeError:
                out += bytes([ord(c)]) if ord(c) < 256 else b"?"
    return bytes(out)


# --- the corpus ------------------------------------------------------------------------------------------------


def _doc_ids(src: Path, ids) -> list[str]:
    all_ids = sorted(p.stem for p in (src / "gold").glob("*.json"))
    if ids is None:
        return all_ids
    wanted = list(ids)
    missing = [i for i in wanted if i not in all_ids]
    if missing:
        raise ValueError(f"no gold for {missing}")
    return wanted


def txt_baseline(src_dir: str | os.PathLike, ids: list[str], out_dir: str | os.PathLike) -> dict[str, float | None]:
    """Scores of ``congvan eval`` on the plain texts of ``ids`` (docs/ and gold/ copied to ``out_dir``): what the
    converted formats are compared with."""
    from pipeline.eval import evaluate

    src, out = Path(src_dir), Path(out_dir)
    for sub in ("docs", "gold"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    for i in ids:
        shutil.copyfile(src / "docs" / f"{i}.txt", out / "docs" / f"{i}.txt")
        shutil.copyfile(src / "gold" / f"{i}.json", out / "gold" / f"{i}.json")
    return evaluate(out).scores()


def build_format_corpus(src_dir: str | os.PathLike, out_dir: str | os.PathLike, fmt: str, ids=None,
                        font: str = "Times New Roman") -> Path:
    """Write ``out_dir`` (docs/ copied, gold/ with "file" and "format" set, files/<id>.<ext>) holding the
    documents of ``src_dir`` (or only ``ids``) converted to ``fmt`` (one of :data:`FORMATS`), set in ``font``
    (the DOCX they start from names it; LibreOffice falls back to another font where it is not installed)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    src, out = Path(src_dir), Path(out_dir)
    doc_ids = _doc_ids(src, ids)
    for sub in ("docs", "gold", "files"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    ext = EXTENSIONS[fmt]
    texts: dict[str, str] = {}
    golds: dict[str, dict] = {}
    for i in doc_ids:
        shutil.copyfile(src / "docs" / f"{i}.txt", out / "docs" / f"{i}.txt")
        texts[i] = (src / "docs" / f"{i}.txt").read_text(encoding="utf-8")
        golds[i] = json.loads((src / "gold" / f"{i}.json").read_text(encoding="utf-8"))
    files = out / "files"
    if fmt in ("tcvn3", "vni"):
        for i in doc_ids:
            (files / f"{i}.txt").write_bytes(encode_legacy(texts[i], fmt))
    elif fmt == "html":
        for i in doc_ids:
            write_html(parse_layout(texts[i]), golds[i].get("subject") or i, files / f"{i}.html")
    else:
        with tempfile.TemporaryDirectory(prefix="congvan-fixtures-") as tmp:
            work = Path(tmp)
            docx_paths = [write_docx(parse_layout(texts[i]), work / f"{i}.docx", font) for i in doc_ids]
            if fmt == "docx":
                for p in docx_paths:
                    shutil.copyfile(p, files / p.name)
            elif fmt == "doc":
                soffice_convert(docx_paths, files, "doc:MS Word 97")
            else:
                soffice_convert(docx_paths, work / "pdf", "pdf:writer_pdf_Export")
                for k, i in enumerate(doc_ids):
                    if fmt == "pdf":
                        shutil.copyfile(work / "pdf" / f"{i}.pdf", files / f"{i}.pdf")
                    else:
                        gold = golds[i]
                        from pipeline.eval import gold_signer_names

                        names = gold_signer_names(gold)
                        write_scan(work / "pdf" / f"{i}.pdf", files / f"{i}.pdf",
                                   names[0] if names else None, gold.get("issuer"), seed=1000 + k)
    for i in doc_ids:
        gold = dict(golds[i])
        gold["file"] = f"files/{i}.{ext}"
        gold["format"] = fmt
        (out / "gold" / f"{i}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


def page_text(text: str) -> str:
    """The text a fixture puts on the page, in reading order (for OCR error rates)."""
    return parse_layout(text).plain_text()


# --- scoring helpers -------------------------------------------------------------------------------------------


def levenshtein(a: str, b: str) -> int:
    """Edit distance (rapidfuzz: C, and a dev dependency)."""
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(a, b)


def _squash_ws(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def char_error_rate(hypothesis: str, reference: str) -> float:
    """Edit distance / reference length, both NFC with whitespace runs collapsed to one space (line wrapping
    differs between a page and its source text, characters do not)."""
    ref, hyp = _squash_ws(reference), _squash_ws(hypothesis)
    return levenshtein(hyp, ref) / max(1, len(ref))


def ocr_cer(folder: str | os.PathLike) -> tuple[float, dict[str, float]]:
    """Character error rate of the reader's text of every files/<id> in a scan corpus against the text put on
    the page (docs/<id>.txt in page reading order): (pooled over all characters, per document)."""
    from pipeline.read import read

    folder = Path(folder)
    per: dict[str, float] = {}
    errors = chars = 0
    for gp in sorted((folder / "gold").glob("*.json")):
        gold = json.loads(gp.read_text(encoding="utf-8"))
        ref = _squash_ws(page_text((folder / "docs" / f"{gp.stem}.txt").read_text(encoding="utf-8")))
        hyp = _squash_ws(read(folder / gold["file"]).text.replace("\f", " "))
        d = levenshtein(hyp, ref)
        per[gp.stem] = d / max(1, len(ref))
        errors += d
        chars += len(ref)
    return errors / max(1, chars), per


def field_deltas(baseline: dict[str, float | None], other: dict[str, float | None]) -> dict[str, float]:
    """Per-field difference other - baseline, in points (0-100); fields the baseline does not score are left out."""
    return {k: 100 * ((other.get(k) or 0.0) - v) for k, v in baseline.items() if v is not None}
