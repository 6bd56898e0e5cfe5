"""Task tables (issue 11 layout 3): STT | Nội dung / Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian.

Three shapes of the same table reach the task finder:

- **cells, one per line** — DOCX text (python-docx writes each cell once, row by row) and HTML pages whose
  cells end a block: the header cells are consecutive short lines, then every row starts with its number
  ("1", "(2)", "II") and its cells follow, one per line (blank lines may separate them);
- **tab-separated rows** — HTML readers that end a cell with a tab: one row per line;
- **layout columns** — ``pdftotext -layout`` text of a PDF: the header words give the columns' left edges and
  a row runs from one number in the first column to the next; for the PDF file itself the reader can hand
  over pdfplumber's cells instead (``rows_to_tasks``).

Every data row becomes one task: the content cell is its text, the lead cell its actor, the co-operating
cell its partners, the time cell its deadline (``deadline_from_cell``: "Quý III/2025" → 2025-09-30) and a
product cell its deliverable. A row whose unit cell spans several rows (a merged cell) repeats the unit, as
python-docx and pdfplumber print it; a row with only a title ("I", "CÔNG TÁC TUYÊN TRUYỀN") is a group, not a task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..models import Task
from ..normalize import fold, squash
from .deadlines import deadline_from_cell, find_recurrence

# Header cell → role; checked in this order ("Đơn vị phối hợp thực hiện" is co-operating, "Thời gian thực
# hiện" a time, not a lead).
_ROLES: list[tuple[str, re.Pattern]] = [
    ("stt", re.compile(r"^(?:stt|tt|so tt|so thu tu)\.?$")),
    ("note", re.compile(r"^ghi chu")),
    ("deadline", re.compile(r"thoi gian|thoi han|tien do|moc hoan thanh|han hoan thanh")),
    ("coop", re.compile(r"phoi hop|tham gia")),
    ("lead", re.compile(r"chu tri|thuc hien chinh|(?:co quan|don vi) (?:thuc hien|trinh|tham muu)|^co quan trinh|"
                        r"trach nhiem")),
    ("product", re.compile(r"san pham|ket qua dau ra|hinh thuc")),
    ("content", re.compile(r"noi dung|nhiem vu|cong viec|de an|du an|hoat dong|giai phap|ten ")),
]
_LEAD_HEADER = dict(_ROLES)["lead"]
_STT = re.compile(r"^\s*(?P<n>\(?\d{1,6}\)?\.?|\d{1,3}(?:\.\d{1,3}){1,3}\.?|[IVXLC]{1,6}\.?|[A-DĐ]\.?|[a-zđ]\))\s*$")
_STOP = re.compile(r"^\s*(?:Nơi nhận|TM\.|KT\.|T/M|TL\.|PHỤ LỤC|Phụ lục\s*(?:\d|[IVX]|$))")
_DEADLINE_LIKE = re.compile(r"(?i)^(?:(?:xong|hoàn thành|trước|trong|dự kiến|từ|chậm nhất|đến|vào|cuối|đầu)\s+)*(?:quý|tháng|năm|"
                            r"ngày|tuần|thường xuyên|hằng|hàng|định kỳ|giai đoạn|\d{1,2}[/\-.]\d{1,2}|\d{4}|"
                            r"theo (?:kế hoạch|chỉ đạo|tiến độ)|nhiệm vụ thường xuyên|sau khi)")


@dataclass
class TableRow:
    label: str | None
    cells: dict[str, str]  # role → text
    start: int
    end: int


@lru_cache(maxsize=8192)  # header cells repeat ("STT", "Nội dung"); so does every line of a hostile text
def _role(cell: str) -> str | None:
    key = fold(squash(cell)).strip(" :.")
    if not key or len(key.split()) > 10:
        return None
    for role, pat in _ROLES:
        if pat.search(key):
            return role
    return None


def _unit_like(cell: str) -> bool:
    from .actor_phrases import clean_actor

    c = squash(cell)
    return bool(c) and len(c.split()) <= 40 and not _DEADLINE_LIKE.match(c) and clean_actor(c) is not None and \
        not re.search(r"\b(?:xây dựng|ban hành|tổ chức|triển khai|thực hiện|rà soát|đề án|kế hoạch)\b", c[:40])


def _header_roles(cells: list[str], roles: list[str | None] | None = None) -> list[str | None] | None:
    roles = [_role(c) for c in cells] if roles is None else list(roles)
    seen: set[str] = set()
    for k, r in enumerate(roles):
        # a second column of the same kind ("Thời gian ban hành" | "Thời gian thực hiện"): the first counts
        if r in seen and r != "content":
            roles[k] = "note"
        elif r:
            seen.add(r)
    have = set(r for r in roles if r)
    if "content" in have and "lead" in have and len(have) >= 3:
        return roles
    return None


# --------------------------------------------------------------------------- cells one per line / tab rows


def _lines(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    out = []
    pos = start
    for raw in text[start:end].split("\n"):
        out.append((pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def _map_cells(tokens: list[str], roles: list[str | None]) -> dict[str, str]:
    """Cells of one row (without its number) → roles: by position when the counts agree, else by shape."""
    cols = [r for r in roles if r != "stt"]
    out: dict[str, str] = {}
    missing = cols[len(tokens):]
    if len(tokens) == len(cols) or (len(tokens) < len(cols) and all(r in ("note", "product", None) for r in missing)):
        # by position; empty trailing cells (notes) leave no line
        for r, t in zip(cols, tokens, strict=False):
            if r and t.strip() and r not in out:
                out[r] = squash(t)
        return out
    # counts differ (empty cells dropped, a cell of several paragraphs): content first, then units, then time
    i = 0
    content: list[str] = []
    while i < len(tokens) and (not content or not (_unit_like(tokens[i]) or _DEADLINE_LIKE.match(tokens[i].strip()))):
        content.append(tokens[i])
        i += 1
    if content:
        out["content"] = squash(" ".join(content))
    units: list[str] = []
    for t in tokens[i:]:
        if _DEADLINE_LIKE.match(t.strip()) and "deadline" not in out:
            out["deadline"] = squash(t)
        elif _unit_like(t) and len(units) < 2:
            units.append(squash(t))
        elif "product" in roles and "product" not in out:
            out["product"] = squash(t)
    if units:
        out["lead"] = units[0]
    if len(units) > 1:
        out["coop"] = units[1]
    return out


def _cell_tables(text: str, start: int, end: int) -> list[tuple[list[TableRow], int, int]]:
    lines = _lines(text, start, end)
    tables = []
    role_of: dict[int, str | None] = {}  # each line's column role, computed once (a header scan looks ahead)

    def line_role(k: int, s: str) -> str | None:
        if k not in role_of:
            role_of[k] = None if "\t" in s or len(s.split()) > 10 else _role(s)
        return role_of[k]

    i = 0
    while i < len(lines):
        # a header: consecutive short lines (blank lines allowed between) naming the columns
        j, cells, idx, cell_roles = i, [], [], []
        while j < len(lines) and len(cells) < 9:
            s = lines[j][2].strip()
            if not s:
                j += 1
                continue
            r = line_role(j, s)
            if r is None:
                break
            cells.append(s)
            cell_roles.append(r)
            idx.append(j)
            j += 1
        roles = _header_roles(cells, cell_roles) if len(cells) >= 3 else None
        if roles is None:
            i += 1
            continue
        rows, j = _cell_rows(lines, j, roles)
        if rows:
            tables.append((rows, lines[i][0], rows[-1].end))
        i = max(j, i + 1)
    return tables


def _cell_rows(lines: list[tuple[int, int, str]], j: int, roles: list[str | None]) -> tuple[list[TableRow], int]:
    has_stt = "stt" in roles
    rows: list[TableRow] = []
    # the column-number row "(1) (2) (3) …"
    k = j
    nums = 0
    while k < len(lines) and (not lines[k][2].strip() or re.fullmatch(r"\s*\(\d{1,2}\)\s*", lines[k][2])):
        nums += bool(lines[k][2].strip())
        k += 1
    if nums >= 2:
        j = k
    cur: list[tuple[int, int, str]] = []
    label: str | None = None
    blank_run = 0

    def flush():
        nonlocal cur, label
        toks = [t for _s, _e, t in cur if t.strip()]
        if toks:
            cells = _map_cells(toks, roles)
            if cells.get("content") and "lead" not in cells and rows and rows[-1].cells.get("lead") and \
                    ({"deadline", "coop"} & cells.keys()):
                cells["lead"] = rows[-1].cells["lead"]  # a merged unit cell is printed once, on its first row
            if cells.get("content"):
                rows.append(TableRow(label, cells, cur[0][0], cur[-1][1]))
        cur, label = [], None

    while j < len(lines):
        s, e, raw = lines[j]
        st = raw.strip()
        if _STOP.match(raw) or (st and len(st.split()) > 400):
            break
        if not st:
            blank_run += 1
            if blank_run >= 4:
                break
            j += 1
            continue
        blank_run = 0
        if "\t" in raw and raw.count("\t") >= 2:
            break
        m = _STT.match(raw) if has_stt else None
        if m:
            flush()
            label = m.group("n").strip().rstrip(".")
            cur = []
            j += 1
            continue
        if not has_stt and cur and len(cur) >= len([r for r in roles if r]):
            flush()
        if label is None and has_stt and not rows and not cur:
            break  # no numbered row after the header: not a table of tasks
        cur.append((s, e, raw))
        j += 1
    flush()
    return rows, j


def _tab_tables(text: str, start: int, end: int) -> list[tuple[list[TableRow], int, int]]:
    lines = _lines(text, start, end)
    tables = []
    i = 0
    while i < len(lines):
        raw = lines[i][2]
        roles = _header_roles(raw.strip("\t ").split("\t")) if raw.count("\t") >= 2 else None
        if roles is None:
            i += 1
            continue
        rows: list[TableRow] = []
        j = i + 1
        while j < len(lines) and lines[j][2].count("\t") >= 2:
            cells = lines[j][2].strip("\n").split("\t")
            label = None
            if "stt" in roles and cells and _STT.match(cells[0] or "-"):
                label = cells[0].strip().rstrip(".")
            mapped = {r: squash(c) for r, c in zip(roles, cells, strict=False) if r and r != "stt" and c.strip()}
            if mapped.get("content") and (mapped.keys() - {"content"} or label):
                rows.append(TableRow(label, mapped, lines[j][0], lines[j][1]))
            j += 1
        if rows:
            tables.append((rows, lines[i][0], rows[-1].end))
        i = j
    return tables


# --------------------------------------------------------------------------- layout columns (pdftotext -layout)

_CHUNK = re.compile(r"\S+(?: \S+)*")


def _layout_header(lines: list[tuple[int, int, str]], i: int) -> list[tuple[int, str]] | None:
    """Columns (left edge, role) from a header of 1–5 lines starting at line i."""
    found: dict[str, int] = {}
    stt_col = None
    for k in range(i, min(i + 5, len(lines))):
        raw = lines[k][2]
        for m in _CHUNK.finditer(raw):
            r = _role(m.group(0))
            if r == "stt":
                stt_col = m.start()
            elif r and r not in found:
                found[r] = m.start()
    if "content" not in found or "lead" not in found or len(found) < 3:
        return None
    cols = sorted((c, r) for r, c in found.items())
    if stt_col is not None:
        cols.insert(0, (stt_col, "stt"))
    return cols


def _layout_tables(text: str, start: int, end: int) -> list[tuple[list[TableRow], int, int]]:
    lines = _lines(text, start, end)
    tables = []
    i = 0
    while i < len(lines):
        raw = lines[i][2]
        if len(re.findall(r"\S {2,}\S", raw)) < 2 or not re.search(r"(?i)chủ trì|nội dung|nhiệm vụ", raw):
            i += 1
            continue
        hstart = max(0, i - 3)
        cols = _layout_header(lines, hstart)
        if cols is None:
            i += 1
            continue
        # the table runs to a stop line (Nơi nhận, a signature, the next appendix) or a long blank gap
        j = i + 1
        blank = 0
        while j < len(lines):
            r = lines[j][2]
            if _STOP.match(r):
                break
            if not r.strip():
                blank += 1
                if blank >= 6:  # a page break leaves a few blank lines (form feeds may be normalised away)
                    break
            else:
                blank = 0
            j += 1
        region = lines[hstart:j]
        rows = _layout_rows(region)
        alt = _edge_rows(region, cols)
        if _good_rows(alt) > _good_rows(rows):
            rows = alt
        if rows:
            tables.append((rows, lines[hstart][0], rows[-1].end))
        i = max(j, i + 1)
    return tables


def _edge_rows(region_lines: list[tuple[int, int, str]], cols: list[tuple[int, str]]) -> list[TableRow]:
    """Rows read with the header words' left edges as column edges (a chunk of text goes to the column it starts
    in): the fallback when no clean gutters separate the columns."""
    edges = [c for c, _r in cols]
    roles = [r for _c, r in cols]
    content_col = roles.index("content")
    rows: list[TableRow] = []
    cur: dict[str, list[str]] = {}
    label: str | None = None
    span: list[int | None] = [None, None]

    def flush() -> None:
        nonlocal cur, label
        if cur.get("content"):
            cells = {r: squash(" ".join(v)) for r, v in cur.items() if r != "stt" and v}
            rows.append(TableRow(label, cells, span[0] or 0, span[1] or 0))
        cur, label = {}, None

    def col_of(x: int) -> int:
        k = 0
        for n, edge in enumerate(edges):
            if x >= edge - 2:
                k = n
        return k

    for s, e, raw in region_lines:
        if not raw.strip() or re.fullmatch(r"[\s\f]*\d{1,3}[\s\f]*", raw):
            continue
        chunks = [(m.start(), m.group(0)) for m in _CHUNK.finditer(raw)]
        if sum(bool(_role(t)) for _x, t in chunks) >= 2 or (len(chunks) == 1 and _role(chunks[0][1])):
            continue  # a header line
        first = chunks[0] if chunks else None
        m = _STT.match(first[1]) if first and col_of(first[0]) <= content_col and first[0] < edges[content_col] else None
        if m:
            flush()
            label = m.group("n").strip().rstrip(".")
            span[0] = s
            chunks = chunks[1:]
        if span[0] is None:
            span[0] = s
        for x, t in chunks:
            r = roles[col_of(x)]
            cur.setdefault("content" if r == "stt" else r, []).append(t)
        span[1] = e
    flush()
    return rows


def _good_rows(rows: list[TableRow]) -> int:
    return sum(1 for r in rows if r.cells.get("content") and r.cells.get("lead") and _unit_like(r.cells["lead"]))


def _gutters(region: list[str]) -> list[int]:
    """Column boundaries: positions that (almost) no line of the table uses, taken at the middle of each run."""
    body = [r for r in region if r.strip()]
    width = max((len(r) for r in body), default=0)
    occ = [0] * (width + 1)
    for r in body:
        for x, ch in enumerate(r):
            if not ch.isspace():
                occ[x] += 1
    tol = len(body) // 25  # a long table tolerates a few letters bleeding into a gutter
    # in a few lines one blank column may be spaces between words that happen to line up
    min_gap = 1 if len(body) >= 20 else 2
    first = next((x for x in range(width) if occ[x] > tol), 0)
    cuts = []
    x = first
    while x < width:
        if occ[x] <= tol:
            y = x
            while y < width and occ[y] <= tol:
                y += 1
            if y < width and y - x >= min_gap:
                cuts.append((x + y) // 2)
            x = y
        else:
            x += 1
    return cuts


def _split_at(raw: str, cuts: list[int]) -> list[str]:
    """A line cut into columns; a cut falling inside a word moves to the nearest space on the left."""
    out = []
    prev = 0
    for c in cuts:
        c = min(c, len(raw))
        k = c
        while 0 < k < len(raw) and k > prev and not raw[k - 1].isspace() and not raw[k].isspace():
            k -= 1
        if k <= prev:
            k = c
        out.append(raw[prev:k])
        prev = k
    out.append(raw[prev:])
    return [o.strip() for o in out]


def _page_layout(page: list[tuple[int, int, str]]) -> tuple[list[int], list[str | None], int] | None:
    """Column cuts, the role of each column and the first data line of one page of a layout table."""
    if _layout_header(page, 0) is None:
        return None
    cuts = _gutters([r for _s, _e, r in page])
    nseg = len(cuts) + 1
    starts = [0] + cuts
    ends = cuts + [10 ** 6]
    seg_role: list[str | None] = [None] * nseg
    best: dict[int, int] = {}
    first_data = 0
    for n, (_s, _e, raw) in enumerate(page[:8]):
        hit = False
        for m in _CHUNK.finditer(raw):
            r = _role(m.group(0))
            if not r:
                continue
            hit = True
            for k in range(nseg):
                ov = min(m.end(), ends[k]) - max(m.start(), starts[k])
                if ov > best.get(k, 0):
                    seg_role[k], best[k] = r, ov
        if hit:
            first_data = n + 1
    if "content" not in seg_role or "lead" not in seg_role:
        return None
    # a second column of the same kind ("Thời gian ban hành" | "Thời gian thực hiện"): the first one counts
    seen_roles: set[str] = set()
    for k, r in enumerate(seg_role):
        if r in seen_roles and r != "content":
            seg_role[k] = "note"
        elif r:
            seen_roles.add(r)
    return cuts, seg_role, first_data


def _layout_rows(region_lines: list[tuple[int, int, str]]) -> list[TableRow]:
    pages: list[list[tuple[int, int, str]]] = [[]]
    for ln in region_lines:
        # a new page repeats the header: its first line has two column names or more
        if pages[-1] and len(pages[-1]) > 3 and sum(bool(_role(m.group(0))) for m in _CHUNK.finditer(ln[2])) >= 2:
            head = max(0, len(pages[-1]) - 3)
            carry = [x for x in pages[-1][head:] if not x[2].strip() or _role(x[2].strip())]
            pages[-1] = pages[-1][:len(pages[-1]) - len(carry)] if carry else pages[-1]
            pages.append(carry)
        pages[-1].append(ln)
    layout = None
    stream: list[tuple[int, int, str, list[int], list[str | None]]] = []
    for page in pages:
        got = _page_layout(page)
        skip = 0
        if got is not None:
            layout = got[:2]
            skip = got[2]
        if layout is None:
            continue
        for s, e, raw in page[skip:]:
            stream.append((s, e, raw, layout[0], layout[1]))
    if not stream:
        return []
    rows: list[TableRow] = []
    cur: dict[str, list[str]] = {}
    pending: list[tuple[int, int, dict[str, str]]] = []
    label: str | None = None
    span: list[int] = [0, 0]

    def add(cells: dict[str, str]) -> None:
        for r, v in cells.items():
            cur.setdefault(r, []).append(v)

    def flush() -> None:
        nonlocal cur, label
        if cur.get("content"):
            rows.append(TableRow(label, {r: squash(" ".join(v)) for r, v in cur.items() if v}, span[0], span[1]))
        cur, label = {}, None

    for s, e, raw, cuts, seg_role in stream:
        if not raw.strip() or re.fullmatch(r"[\s\f]*\d{1,3}[\s\f]*", raw):
            continue
        parts = _split_at(raw.replace("\f", " "), cuts)
        if any(_role(p) for p in parts if p) and sum(bool(_role(p)) for p in parts if p) >= 2:
            continue  # the header repeated on a new page
        cells: dict[str, str] = {}
        lab = None
        for k, p in enumerate(parts):
            if not p:
                continue
            r = seg_role[k] or "content"
            if r == "stt" or (k == 0 and _STT.match(p)):
                m = _STT.match(p.split()[0]) if p.split() else None
                if m and len(p.split()) == 1:
                    lab = m.group("n").strip().rstrip(".")
                    continue
                if m:
                    lab = m.group("n").strip().rstrip(".")
                    p = p[len(p.split()[0]):].strip()
                r = "content"
            if r in ("note",):
                continue
            cells[r] = (cells.get(r, "") + " " + p).strip()
        if lab is not None:
            flush()
            label = lab
            span[0] = s
            for ps, _pe, pc in pending:
                span[0] = min(span[0], ps)
                add(pc)
            pending = []
            add(cells)
            span[1] = e
            continue
        content = cells.get("content", "")
        if label is not None and cur and content[:1].isupper() and cur.get("content") and \
                (cur.get("lead") or cur.get("deadline")):
            pending.append((s, e, cells))  # the next row's first lines: its number sits lower, mid-row
            continue
        if pending:
            pending.append((s, e, cells))
            continue
        add(cells)
        span[1] = e
    for _ps, pe, pc in pending:
        add(pc)
        span[1] = pe
    flush()
    return rows


# --------------------------------------------------------------------------- rows → tasks


def rows_to_tasks(rows: list[TableRow], prefix: str, doc_date: str | None, notes: list[str]) -> list[Task]:
    """One task per data row; rows without a unit or time cell (group titles) are skipped."""
    from .actor_phrases import clean_actor

    out: list[Task] = []
    n = 0
    group: str | None = None
    for row in rows:
        c = row.cells
        content = c.get("content", "")
        if not content or not ({"lead", "coop", "deadline", "product"} & c.keys()):
            if row.label:
                group = row.label  # a group title spanning the row: its number prefixes the rows below
            continue
        n += 1
        lead = clean_actor(c.get("lead")) if c.get("lead") else None
        coop = [squash(x) for x in re.split(r"\s*[;,]\s*(?=[A-ZĐÀ-Ỹ]|các\b|UBND)", c.get("coop", "")) if x.strip()]
        dl = deadline_from_cell(c["deadline"], doc_date, notes) if c.get("deadline") else None
        rec = find_recurrence(c.get("deadline", ""))
        label = row.label or str(n)
        if group and row.label and row.label.startswith("("):
            label = f"{group}.{label}"  # "(1)" under group "2.1" is item 2.1.(1)
        out.append(Task(id=f"{prefix}.{label}" if prefix else label, text=content, actors=[lead] if lead else [],
                        deadline=dl, recurrence=rec.kind if rec else None, rrule=rec.rrule if rec else None,
                        cooperating=coop, kind="action", deliverable=c.get("product"), label=row.label,
                        start=row.start, end=row.end))
    return out


def find_table_tasks(text: str, start: int, end: int, doc_date: str | None, body_end: int | None = None,
                     notes: list[str] | None = None) -> tuple[list[Task], list[tuple[int, int]]]:
    """Tasks of every task table in text[start:end] and the spans the tables cover (so the paragraph finder
    skips them). Tables after ``body_end`` (an appendix) get ids "PL.<n>"."""
    notes = notes if notes is not None else []
    tasks: list[Task] = []
    spans: list[tuple[int, int]] = []
    if not _LEAD_HEADER.search(fold(text[start:end])):
        return tasks, spans  # every task table has a lead-unit column: no such header word, no table to read
    found = _tab_tables(text, start, end) + _cell_tables(text, start, end) + _layout_tables(text, start, end)
    found.sort(key=lambda t: t[1])
    k = 0
    for rows, s, e in found:
        if any(s < pe and e > ps for ps, pe in spans):
            continue
        # a table of tasks names a unit in most rows: an agenda, a list of comments or a budget table does not
        units = sum(1 for r in rows if r.cells.get("lead") and _unit_like(r.cells["lead"]))
        if units < max(1, len(rows) // 2):
            notes.append(f"a table with a 'chủ trì' column was not read as tasks: {units} of {len(rows)} rows name a unit")
            continue
        k += 1
        prefix = "PL" if body_end is not None and s >= body_end else f"B{k}"
        got = rows_to_tasks(rows, prefix, doc_date, notes)
        if got:
            tasks.extend(got)
            spans.append((s, e))
    return tasks, spans


# --------------------------------------------------------------------------- cell grids (pdfplumber)


def grid_tasks(tables: list[list[list[str | None]]], doc_date: str | None,
               notes: list[str] | None = None) -> list[Task]:
    """Tasks of task tables given as cell grids (pdfplumber): the first row that names the columns is the
    header, carried over to a continuation table of the same width on the next page; a merged unit or time
    cell (None below its first row) applies to every row it spans."""
    notes = notes if notes is not None else []
    rows: list[TableRow] = []
    roles: list[str | None] | None = None
    for grid in tables:
        width = len(grid[0]) if grid else 0
        start = 0
        for k, row in enumerate(grid[:4]):
            got = _header_roles([c or "" for c in row])
            if got is not None:
                roles, start = got, k + 1
                break
        else:
            if roles is None or len(roles) != width:
                continue  # not a task table, nor the continuation of one
        while start < len(grid) and all(re.fullmatch(r"\(?\d{1,2}\)?", (c or "").strip() or "1") for c in grid[start]):
            start += 1  # the column-number row "(1) (2) (3) …"
        last: dict[str, str] = {}
        for row in grid[start:]:
            cells: dict[str, str] = {}
            label = None
            group = all(c is None or not c.strip() for r, c in zip(roles, row, strict=False)
                        if r in ("lead", "coop", "deadline", "product"))
            for r, c in zip(roles, row, strict=False):
                if r == "stt":
                    label = (c or "").strip().rstrip(".") or None
                    continue
                if r is None or r == "note":
                    continue
                if c is None and not group and r in ("lead", "coop", "deadline") and r in last:
                    cells[r] = last[r]  # a merged cell spanning grouped rows
                elif c:
                    cells[r] = c
            for r in ("lead", "coop", "deadline"):
                if r in cells:
                    last[r] = cells[r]
            if cells.get("content"):
                rows.append(TableRow(label, cells, 0, 0))
    tasks = rows_to_tasks(rows, "PL", doc_date, notes)
    for t in tasks:
        t.start = t.end = None  # the cells have no offsets in the text layer
    return tasks
