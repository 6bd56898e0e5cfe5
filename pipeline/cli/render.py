"""Human-readable renderings of records: a Markdown card, a terminal table, a displaCy page."""

from __future__ import annotations

import html as htmlmod

from rich.table import Table
from rich.text import Text

from ..extract.references import RELATION_VI
from ..models import Dispatch, ErrorRecord
from ..outputs import terminal_safe

LABEL_COLORS = {
    "NUMBER": "#fde68a", "PLACE_DATE": "#bfdbfe", "SUBJECT": "#ddd6fe", "ISSUER": "#fecaca", "RECIPIENT": "#bbf7d0",
    "CC": "#d1fae5", "SIGNER": "#fbcfe8", "TASK": "#fef3c7",
}
REF_COLORS = {"based_on": "#93c5fd", "implements": "#86efac", "continues": "#5eead4", "guides": "#c4b5fd",
              "amends": "#fdba74", "replaces": "#fca5a5", "repeals": "#f87171", "responds_to": "#a5b4fc",
              "mentions": "#e5e7eb"}


def _number(d: Dispatch) -> str:
    return d.number.text if d.number else "—"


def dispatch_markdown(d: Dispatch | ErrorRecord) -> str:
    """A Markdown card; control characters of the document (ESC/OSC sequences) are escaped, never emitted."""
    return terminal_safe(_markdown(d))


def _markdown(d: Dispatch | ErrorRecord) -> str:
    if isinstance(d, ErrorRecord):
        return f"> **Error** `{d.path}`: {d.error}: {d.message}"
    lines = [f"## {d.doc_type.name if d.doc_type else 'Văn bản'} số {_number(d)}", ""]
    issuer = d.issuer.name if d.issuer else "—"
    if d.issuer and d.issuer.parent:
        issuer += f" (thuộc {d.issuer.parent})"
    lines += [
        f"- **Cơ quan ban hành:** {issuer}",
        f"- **Nơi, ngày ban hành:** {d.place or '—'}, {d.date or '—'}",
        f"- **Trích yếu:** {d.subject or '—'}",
    ]
    if d.recipients:
        lines.append(f"- **Kính gửi:** {'; '.join(d.recipients)}")
    if d.signer:
        who = " ".join(x for x in [d.signer.authority_line or "", d.signer.title or "", "—", d.signer.name or ""] if x)
        lines.append(f"- **Người ký:** {who}")
    if d.cc:
        lines.append(f"- **Nơi nhận:** {'; '.join(d.cc)}")
    if d.references:
        lines += ["", "### Văn bản được dẫn chiếu", ""]
        for i, r in enumerate(d.references):
            via = f" (qua #{r.via})" if r.via is not None else ""
            lines.append(f"{i}. {RELATION_VI[r.relation]}{via}: {' '.join(r.text.split())}"
                         + (f" — {r.issuer}" if r.issuer else ""))
    if d.tasks:
        from ..extract.tasks import flatten_tasks

        lines += ["", "### Nhiệm vụ", ""]
        for t in flatten_tasks(d.tasks):
            extra = []
            if t.actors:
                extra.append(", ".join(t.actors))
            if t.deadline:
                extra.append(f"hạn: {t.deadline.date or t.deadline.text}")
            if t.recurrence:
                extra.append(t.recurrence)
            text = t.text if len(t.text) < 200 else t.text[:197] + "…"
            lines.append(f"- [ ] {t.id}. {text}" + (f" ({'; '.join(extra)})" if extra else ""))
    if d.warnings:
        lines += ["", "### Cảnh báo", ""] + [f"- {w}" for w in d.warnings]
    lines += ["", f"<sub>{d.source.path} · {d.source.format} · sha256 {d.source.sha256[:12]}</sub>"]
    return "\n".join(lines)


def _plain(value: str) -> Text:
    """A table cell from document text: no rich markup (``[link=…]`` stays text), no terminal escapes."""
    return Text(terminal_safe(value))


def dispatch_table(records: list[Dispatch | ErrorRecord]) -> Table:
    table = Table(show_lines=False)
    for col in ("file", "type", "number", "date", "issuer", "subject", "refs", "tasks"):
        table.add_column(col, overflow="fold")
    for d in records:
        if isinstance(d, ErrorRecord):
            table.add_row(_plain(d.path), Text("error", style="red"), _plain(d.error), "", "", _plain(d.message),
                          "", "")
            continue
        subject = (d.subject or "")[:60]
        table.add_row(*(_plain(x) for x in (d.source.path, d.doc_type.code if d.doc_type else "", _number(d),
                                             d.date or "", d.issuer.name if d.issuer else "", subject)),
                      str(len(d.references)), str(len(d.tasks)))
    return table


def displacy_page(doc, title: str) -> str:
    """displaCy's span visualiser over the congvan spans, as one self-contained HTML page."""
    from spacy import displacy

    doc.spans["sc"] = list(doc.spans["congvan"])
    colors = dict(LABEL_COLORS)
    colors.update({f"REF:{k}": v for k, v in REF_COLORS.items()})
    body = displacy.render(doc, style="span", page=False, options={"spans_key": "sc", "colors": colors})
    legend = "".join(f'<span style="background:{c};padding:2px 6px;margin:2px;border-radius:3px">{htmlmod.escape(k)}</span>'
                     for k, c in colors.items())
    return (f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>{htmlmod.escape(title)}</title>"
            "<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;line-height:2.2}</style></head>"
            f"<body><h1>{htmlmod.escape(title)}</h1><p>{legend}</p>{body}</body></html>")
