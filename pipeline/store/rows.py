"""Records → archive rows: pure functions, run inside the extraction workers (so the single writer only
executes INSERTs). Also the keys shared by the writer and the queries: number keys and issuer keys."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..models import Dispatch, Task
from ..normalize import fold, squash

DOC_COLUMNS = ("sha256", "title", "number", "number_normalized", "number_key", "doc_type", "doc_type_name",
               "issuer", "issuer_parent", "issuer_code", "issuer_keys", "family", "place", "date", "year",
               "subject", "signer", "signer_title", "format", "pages", "ocr", "size", "n_references", "n_tasks",
               "n_warnings", "schema_version", "record", "issuer_province", "year_source", "review")
TEXT_COLUMNS = ("subject", "issuer", "body", "numbers", "refs", "folded", "people")
REFERENCE_COLUMNS = ("idx", "number", "number_key", "title", "doc_type", "date", "issuer", "relation", "via",
                     "start", "end", "text")
TASK_COLUMNS = ("idx", "task_id", "parent_id", "text", "actors", "deadline_text", "deadline_date", "recurrence",
                "kind", "start", "end")
RECIPIENT_COLUMNS = ("idx", "kind", "name")


@dataclass
class PreparedDoc:
    """Everything the writer needs to store one document, as plain tuples (cheap to pickle)."""

    sha256: str
    path: str
    doc: tuple
    text: tuple
    references: list[tuple] = field(default_factory=list)
    tasks: list[tuple] = field(default_factory=list)
    recipients: list[tuple] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        return json.loads(self.doc[DOC_COLUMNS.index("record")])


def number_key(text: str | None) -> str | None:
    """A document number in any spacing or diacritics → one key: "01 - KL / TW" → "01-kl/tw",
    "6713/TLĐ-TG" and "6713/TLD-TG" → "6713/tld-tg"."""
    if not text:
        return None
    from ..extract.number import compact

    key = fold(compact(text))
    return key or None


def number_tokens(text: str | None) -> str:
    """The folded number with separators kept, for the FTS ``numbers``/``refs`` columns ("01-kl/tw")."""
    return number_key(text) or ""


@lru_cache(maxsize=1)
def _abbreviations() -> list[tuple[str, str]]:
    """(folded expansion, abbreviation) pairs, longest expansion first."""
    from ..lexicons import abbreviations, issuer_codes

    pairs: list[tuple[str, str]] = []
    for abbr, expansion, *_ in abbreviations():
        pairs.append((fold(expansion), abbr))
    for code, ic in issuer_codes().items():
        name = getattr(ic, "name", None) or getattr(ic, "full_name", None)
        if name:
            pairs.append((fold(name), code))
    pairs.sort(key=lambda p: -len(p[0]))
    return pairs


def issuer_abbreviations(name: str | None, code: str | None = None) -> list[str]:
    """Abbreviations a user may type for an issuer, as printed: the code inside the number (LĐLĐ, TW), the
    lexicon abbreviations whose expansion starts the name (Liên đoàn Lao động … → LĐLĐ)."""
    out: list[str] = []
    if code:
        out.append(code)
    if name:
        fname = fold(name)
        best = None
        for expansion, abbr in _abbreviations():
            if best is not None and len(expansion) < best:
                break
            if fname == expansion or fname.startswith(expansion + " "):
                best = len(expansion)
                out.append(abbr)
    seen: set[str] = set()
    return [a for a in out if not (a in seen or seen.add(a))]


def issuer_keys(name: str | None, code: str | None, parent: str | None = None,
                province: str | None = None) -> str:
    """Space-padded folded keys for exact ``--issuer`` matching: " ldld | lien doan lao dong tinh nghe an ".
    The governing body and the province are keys too, so ``--issuer "Bộ Công an"`` finds the ministry's
    departments and ``--issuer "Lâm Đồng"`` the province's departments ("Sở Tư pháp" under its UBND)."""
    keys = [fold(a).replace(" ", "") for a in issuer_abbreviations(name, code)]
    for text in (name, parent, province):
        if text:
            keys.append(fold(squash(text)))
    return " " + " | ".join(k for k in keys if k) + " "


def issuer_province(name: str | None, parent: str | None, place: str | None, family: str | None = None
                    ) -> str | None:
    """The province an issuer belongs to, as the lexicon spells it: named in the issuer or its governing
    body ("Sở Y tế" under "UBND tỉnh Thanh Hóa"), else the place of a local body's date line. Central bodies
    (no province in their names) keep None even when they date in Hà Nội."""
    from ..lexicons import province_in, province_names

    key = province_in(name, parent)
    if key is None and place and name and not any(_CENTRAL.search(fold(x)) for x in (name, parent) if x):
        key = province_in(place)
    return province_names().get(key) if key else None


# Bodies of the central level: their date line names the capital, not their province.
_CENTRAL = re.compile(r"^(bo|cuc|tong|chinh phu|thu tuong|quoc hoi|ban chap hanh trung uong|trung uong|van phong "
                      r"trung uong|ban [a-z ]* trung uong|toa an nhan dan toi cao|vien kiem sat nhan dan toi cao)\b")

# "ngày 05 tháng 3 năm 2024", "05/3/2024", "năm 2024": years the text itself gives.
_TEXT_YEAR = re.compile(r"(?:năm|/|-|\.)\s*((?:19|20)\d{2})(?!\d)")


def text_year(body: str, limit: int = 4000) -> int | None:
    """The year a document is most likely from when its date line has none: the most frequent year among
    the dates at its head and foot (the date line, the first citations, "Lưu: VT" block); latest on ties."""
    head = body[:limit] + "\n" + body[-limit:] if len(body) > 2 * limit else body
    counts: dict[int, int] = {}
    for m in _TEXT_YEAR.finditer(head):
        y = int(m.group(1))
        counts[y] = counts.get(y, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], y))


def review_reasons(d: Dispatch) -> list[str]:
    """Why a record needs a person (codes, stable: the web review queue translates them)."""
    out: list[str] = []
    if d.number is None or not (d.number.normalized or d.number.text):
        out.append("number_missing")
    elif d.number.serial in (None, ""):
        out.append("number_weak")
    if not d.date:
        out.append("date_missing")
    if d.source.ocr:
        out.append("ocr")
    if d.issuer is None:
        out.append("issuer_missing")
    elif d.issuer.inferred:
        out.append("issuer_inferred")
    if not d.subject:
        out.append("subject_missing")
    return out


def _flatten(tasks: list[Task], parent: str | None = None):
    for t in tasks:
        yield t, parent
        yield from _flatten(t.subtasks, t.id)


def prepare(d: Dispatch, body: str) -> PreparedDoc:
    """Build the rows for one extracted record; ``body`` is the normalized text its offsets point into."""
    record = d.to_dict()
    number = d.number
    number_norm = (number.normalized or number.text) if number else None
    issuer = d.issuer.name if d.issuer else None
    parent = d.issuer.parent if d.issuer else None
    code = number.issuer_code if number else None
    year, year_source = None, None
    if d.date and re.match(r"\d{4}", d.date):
        year, year_source = int(d.date[:4]), "date"
    elif number and number.year:
        year, year_source = number.year, "number"
    else:
        year = text_year(body)
        year_source = "text" if year else None
    province = issuer_province(issuer, parent, d.place, d.family)
    type_name = d.doc_type.name if d.doc_type else None
    title = " ".join(x for x in [type_name or "Văn bản", number_norm or ""] if x)
    if d.date:
        title += f" ({d.date})"
    src = d.source
    doc = dict(
        sha256=src.sha256, title=title, number=number.text if number else None, number_normalized=number_norm,
        number_key=number_key(number_norm), doc_type=d.doc_type.code if d.doc_type else None,
        doc_type_name=type_name, issuer=issuer, issuer_parent=parent, issuer_code=code,
        issuer_keys=issuer_keys(issuer, code, parent, province), family=d.family or (number.family if number else None),
        place=d.place, date=d.date, year=year, subject=d.subject,
        signer=d.signer.name if d.signer else None, signer_title=d.signer.title if d.signer else None,
        format=src.format, pages=src.pages, ocr=1 if src.ocr else 0, size=src.size,
        n_references=len(d.references), n_tasks=sum(1 for _ in _flatten(d.tasks)), n_warnings=len(d.warnings),
        schema_version=d.schema_version, record=json.dumps(record, ensure_ascii=False, separators=(",", ":")),
        issuer_province=province, year_source=year_source, review="; ".join(review_reasons(d)) or None,
    )
    refs = []
    for i, r in enumerate(d.references):
        refs.append((i, r.number, number_key(r.number), r.title, r.doc_type.code if r.doc_type else None, r.date,
                     r.issuer, r.relation, r.via, r.start, r.end, squash(r.text)))
    tasks = []
    for i, (t, parent_id) in enumerate(_flatten(d.tasks)):
        tasks.append((i, t.id, parent_id, t.text, "; ".join(t.actors), t.deadline.text if t.deadline else None,
                      t.deadline.date if t.deadline else None, t.recurrence, t.kind, t.start, t.end))
    recipients = []
    for kind, names in (("to", d.recipients), ("also_to", d.secondary_recipients), ("cc", d.cc)):
        for n in names:
            recipients.append((len(recipients), kind, n))
    issuer_text = " · ".join(x for x in [issuer, parent, province, " ".join(issuer_abbreviations(issuer, code))]
                             if x)
    signer = d.signer
    people = " · ".join(x for x in ([signer.name, signer.title, signer.authority_line] if signer else []) if x)
    ref_numbers = sorted({number_tokens(r.number) for r in d.references if r.number})
    text = dict(
        subject=d.subject or "", issuer=issuer_text, body=body, numbers=number_tokens(number_norm),
        refs=" ; ".join(ref_numbers),
        # the type's name too: "công văn 2214" finds the công văn numbered 2214 even if its text never says
        # "công văn" (a letter's type is printed as its symbol only)
        folded=fold(" · ".join(x for x in [type_name, d.subject, issuer_text, d.place, people] if x)),
        people=people,
    )
    return PreparedDoc(sha256=src.sha256, path=src.path, doc=tuple(doc[c] for c in DOC_COLUMNS),
                       text=tuple(text[c] for c in TEXT_COLUMNS), references=refs, tasks=tasks,
                       recipients=recipients)
