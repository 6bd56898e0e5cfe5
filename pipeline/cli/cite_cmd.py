"""`congvan cite FILE|-`: the citations of any text (a title, a paragraph, a whole document) as JSON or HTML."""

from __future__ import annotations

import html as htmlmod
import json
import sys
from dataclasses import asdict
from pathlib import Path

import typer

from . import app
from .common import err_console, write_output


def reference_dicts(refs) -> list[dict]:
    """JSON-ready references: the dataclass fields, the Vietnamese relation name, and the cited number (or title)
    of the ``via`` reference beside its index."""
    from ..extract.references import RELATION_VI

    out = []
    for r in refs:
        d = asdict(r)
        d["relation_vi"] = RELATION_VI.get(r.relation, r.relation)
        outer = refs[r.via] if r.via is not None and 0 <= r.via < len(refs) else None
        d["via_number"] = (outer.number or outer.title) if outer is not None else None
        out.append(d)
    return out


def citations_html(text: str, refs, title: str) -> str:
    """A self-contained page: the text with each citation highlighted and its relation (and via) shown.
    Everything from the input is escaped."""
    from ..extract.references import RELATION_VI
    from .render import REF_COLORS

    parts, pos = [], 0
    for i, r in enumerate(refs):
        if r.start < pos:  # overlapping spans do not occur; never print text twice if they did
            continue
        parts.append(htmlmod.escape(text[pos:r.start]))
        label = RELATION_VI.get(r.relation, r.relation)
        if r.via is not None and 0 <= r.via < len(refs):
            outer = refs[r.via]
            label += " ← " + (outer.number or outer.title or "?")
        facts = [f for f in (r.number, r.date, r.issuer) if f]
        tip = " · ".join(facts)
        color = REF_COLORS.get(r.relation, "#e5e7eb")
        parts.append(
            f'<mark id="ref{i}" class="ref {htmlmod.escape(r.relation)}" style="background:{color}" '
            f'title="{htmlmod.escape(tip, quote=True)}">{htmlmod.escape(text[r.start:r.end])}'
            f'<span class="rel">{htmlmod.escape(label)}</span></mark>')
        pos = r.end
    parts.append(htmlmod.escape(text[pos:]))
    style = ("body{font-family:serif;max-width:60em;margin:2em auto;line-height:1.8}"
             "pre{white-space:pre-wrap;font-family:inherit}mark{padding:0 .2em;border-radius:.2em}"
             ".rel{font:bold 70% sans-serif;margin-left:.4em;color:#374151;text-transform:uppercase}")
    return (f'<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><title>{htmlmod.escape(title)}</title>'
            f"<style>{style}</style></head><body><h1>{htmlmod.escape(title)}</h1>"
            f"<p>{len(refs)} citation(s)</p><pre>{''.join(parts)}</pre></body></html>\n")


@app.command()
def cite(
    source: str = typer.Argument(..., help="A file of any supported format (read through the readers), or - for "
                                           "standard input (UTF-8 text)."),
    html: bool = typer.Option(False, "--html", help="Print an HTML page with each citation highlighted instead of "
                                                    "JSON."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
) -> None:
    """Find the citations of other documents in any text (no letterhead needed): number, type, date, issuer,
    relation and via, with offsets into the text."""
    from .. import find_references

    if source == "-":
        data = sys.stdin.buffer.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            err_console.print("congvan cite: standard input is not UTF-8 text", markup=False)
            raise typer.Exit(1) from None
        import unicodedata

        text = unicodedata.normalize("NFC", text)
        title = "<stdin>"
    else:
        from ..read import ReadError, read

        try:
            text = read(source).text
        except ReadError as exc:
            err_console.print(f"{exc.path}: {exc.kind}: {exc.message}", markup=False, highlight=False)
            raise typer.Exit(1) from None
        title = source
    refs = find_references(text)
    if html:
        write_output(citations_html(text, refs, title), output)
    else:
        write_output(json.dumps(reference_dicts(refs), ensure_ascii=False, indent=1) + "\n", output)


@app.command("eval-snippets")
def eval_snippets(
    path: Path = typer.Argument(..., help="Snippets as JSON Lines: {id, text, references: [{number|title, relation, "
                                          "date}]} (tests/data/snippets.jsonl)."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores (and misses) as JSON."),
    details: bool = typer.Option(False, "--details", help="List every miss."),
) -> None:
    """Score `congvan cite` on one-sentence citation snippets: recall, relation, date, and references invented on
    snippets that have none."""
    from ..snippets import load_snippets, score_snippets

    try:
        snippets = load_snippets(path)
    except (OSError, ValueError) as exc:
        err_console.print(f"congvan eval-snippets: {exc}", markup=False, highlight=False)
        raise typer.Exit(2) from None
    report = score_snippets(snippets)
    scores = report.scores()
    if as_json:
        payload = {"scores": scores, "misses": report.misses} if details else {"scores": scores}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
        return
    from rich.table import Table

    from .common import console

    targets = {"recall": 0.95, "date": 0.90, "invented": 0.10}
    table = Table(title=f"citation snippets ({scores['snippets']} snippets, {scores['expected']} citations)")
    for col in ("score", "value", "target"):
        table.add_column(col, justify="left" if col == "score" else "right")
    for name in ("recall", "precision", "relation", "date", "full", "invented"):
        t = targets.get(name)
        table.add_row(name, f"{scores[name]:.3f}", "" if t is None else (f"≤ {t:.2f}" if name == "invented"
                                                                          else f"≥ {t:.2f}"))
    console.print(table)
    if details:
        for m in report.misses:
            console.print(json.dumps(m, ensure_ascii=False), markup=False, highlight=False)
