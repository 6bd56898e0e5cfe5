"""Tables of a PDF through pdfplumber's table finder (ruled tables): the cells of each table, row by row.

Used for task tables (STT | Nội dung | Cơ quan chủ trì | Phối hợp | Thời gian): the text layer alone
interleaves the columns of a wrapped row, the table finder keeps each cell whole. A table continued on the
next page is returned as its own table; the caller carries the header over.
"""

from __future__ import annotations

MAX_PAGES = 300


def _pages_with_tables(path: str, max_pages: int) -> set[int]:
    """Pages worth the table finder (it costs about half a second a page): those whose text names a lead
    column ("chủ trì"), and the page after each (a table runs on without repeating its header)."""
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(path)
    except Exception:
        return set()
    pages: set[int] = set()
    try:
        for n in range(min(len(pdf), max_pages)):
            page = pdf[n]
            text = page.get_textpage().get_text_range().lower()
            if "chủ trì" in text or "chủ  trì" in text:
                pages.update((n, n + 1))
            elif n - 1 in pages and n in pages:
                pages.add(n + 1)  # still inside a long table
            page.close()
    finally:
        pdf.close()
    return pages


def pdf_tables(path: str, max_pages: int = MAX_PAGES) -> list[list[list[str | None]]]:
    """Every ruled table of the first `max_pages` pages: rows of cells (None where a merged cell continues).
    An unreadable file gives no tables (the text reader has already reported what is wrong with it)."""
    try:
        import pdfplumber
    except ImportError:  # pragma: no cover - a declared dependency
        return []
    out: list[list[list[str | None]]] = []
    wanted = _pages_with_tables(path, max_pages)
    if not wanted:
        return []
    try:
        with pdfplumber.open(path) as pdf:
            for n, page in enumerate(pdf.pages[:max_pages]):
                if n not in wanted:
                    continue
                for table in page.find_tables():
                    rows = table.extract()
                    if rows and len(rows[0]) >= 3:
                        out.append([[None if c is None else " ".join(c.split()) for c in row] for row in rows])
                page.flush_cache()
    except Exception:  # a damaged or encrypted file: the task finder falls back to the text
        return []
    return out
