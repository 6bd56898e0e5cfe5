"""Typed records that flow between the stages: read → normalize → segment → extract → link → store.

Every record is plain data. ``Dispatch.to_dict()`` produces the JSON contract of
``shared/schema/dispatch.schema.json`` (fields may be added, never renamed or dropped).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_VERSION = "1.0"


@dataclass
class Source:
    path: str
    sha256: str
    format: str  # txt | pdf | docx | doc | html | md
    pages: int | None = None
    ocr: bool = False
    encoding_repaired: str | None = None
    size: int | None = None
    encoding: str | None = None
    ocr_confidence: list[float] | None = None


@dataclass
class Text:
    """Output of the read stage: the document text as read (NFC) plus where it came from."""

    text: str
    source: Source
    warnings: list[str] = field(default_factory=list)
    # Offsets (into ``text``) where each page starts, when the format has pages.
    page_starts: list[int] = field(default_factory=list)


@dataclass
class DocType:
    code: str
    name: str


@dataclass
class DocNumber:
    text: str  # as printed, whitespace collapsed
    serial: str | None
    year: int | None
    symbol: str | None
    normalized: str | None = None
    family: str | None = None  # legal | party | state | union | national_assembly
    type_code: str | None = None  # the type abbreviation inside the symbol (QĐ, KH, KL), when present
    issuer_code: str | None = None  # the issuer abbreviation inside the symbol (LĐLĐ, TW, UBND)
    start: int | None = None
    end: int | None = None


@dataclass
class Issuer:
    name: str
    parent: str | None = None
    printed: str | None = None  # the header line(s) as printed, when there is a letterhead
    parent_printed: str | None = None
    family: str | None = None  # state | party | union | front
    inferred: bool = False
    # Every body of the letterhead, top-down and re-cased: a three-line letterhead (ministry / police
    # department / its office) keeps the level above the parent here. Joint issuers are one entry.
    hierarchy: list[str] = field(default_factory=list)
    joint: list[str] = field(default_factory=list)  # the bodies of a joint issuer ("Bộ Y tế - Bộ Công an"), re-cased


@dataclass
class Signer:
    name: str | None = None
    title: str | None = None
    authority: str | None = None  # TM. | KT. | TL. | TUQ. | Q. (Party T/M, K/T, T/L normalised to TM./KT./TL.)
    on_behalf_of: str | None = None
    authority_line: str | None = None  # the prefix line directly above the title, as printed
    authority_chain: list[str] = field(default_factory=list)  # every prefix line, outermost first
    rank: str | None = None  # military or police rank printed before the name ("Thiếu tướng"), kept apart


@dataclass
class Reference:
    text: str
    start: int
    end: int
    relation: str
    doc_type: DocType | None = None
    number: str | None = None
    title: str | None = None
    date: str | None = None
    issuer: str | None = None
    via: int | None = None
    cue: str | None = None  # the cue phrase that decided the relation, as printed
    zone: str | None = None  # subject | body | cc ...
    pinpoint: str | None = None  # "khoản 2 Điều 13", kept as text
    # True when the cue was passive ("được sửa đổi, bổ sung bởi Luật số …"): the relation runs from this
    # document to the one it is nested in (via), not the other way round.
    inverse: bool = False


@dataclass
class Deadline:
    text: str
    date: str | None = None


@dataclass
class Task:
    id: str
    text: str
    actors: list[str] = field(default_factory=list)
    deadline: Deadline | None = None
    recurrence: str | None = None
    rrule: str | None = None
    subtasks: list[Task] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    kind: str = "action"
    report_to: str | None = None
    deliverable: str | None = None
    label: str | None = None  # the label as printed (None when regenerated)
    start: int | None = None
    end: int | None = None


@dataclass
class Dispatch:
    source: Source
    doc_type: DocType | None = None
    number: DocNumber | None = None
    issuer: Issuer | None = None
    place: str | None = None
    date: str | None = None
    subject: str | None = None
    recipients: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    signer: Signer | None = None
    references: list[Reference] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    secondary_recipients: list[str] = field(default_factory=list)  # "Đồng kính gửi"
    family: str | None = None
    # how sure each header field is (0..1) and which fields a person should check (extract/confidence.py)
    confidence: dict[str, float] = field(default_factory=dict)
    needs_review: list[dict[str, Any]] = field(default_factory=list)
    # Every signature block, in reading order with the host body's first (joint documents sign several
    # times); the first is ``signer``, which stays for the contract.
    signers: list[Signer] = field(default_factory=list)
    schema_version: str = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        # Contract order first, additions after.
        keys = ["schema_version", "source", "doc_type", "number", "issuer", "place", "date", "subject",
                "recipients", "cc", "signer", "references", "tasks", "warnings"]
        ordered = {k: data[k] for k in keys}
        for k, v in data.items():
            if k not in ordered:
                ordered[k] = v
        return ordered

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Dispatch:
        def opt(klass, value):
            return klass(**value) if isinstance(value, dict) else None

        def task(d: dict[str, Any]) -> Task:
            d = dict(d)
            d["deadline"] = opt(Deadline, d.get("deadline"))
            d["subtasks"] = [task(s) for s in d.get("subtasks", [])]
            return Task(**d)

        refs = []
        for r in data.get("references", []):
            r = dict(r)
            r["doc_type"] = opt(DocType, r.get("doc_type"))
            refs.append(Reference(**r))
        return cls(
            source=Source(**data["source"]),
            doc_type=opt(DocType, data.get("doc_type")),
            number=opt(DocNumber, data.get("number")),
            issuer=opt(Issuer, data.get("issuer")),
            place=data.get("place"),
            date=data.get("date"),
            subject=data.get("subject"),
            recipients=list(data.get("recipients", [])),
            cc=list(data.get("cc", [])),
            signer=opt(Signer, data.get("signer")),
            references=refs,
            tasks=[task(t) for t in data.get("tasks", [])],
            warnings=list(data.get("warnings", [])),
            secondary_recipients=list(data.get("secondary_recipients", [])),
            family=data.get("family"),
            confidence=dict(data.get("confidence") or {}),
            needs_review=[dict(x) for x in data.get("needs_review") or []],
            signers=[Signer(**x) for x in data.get("signers", []) if isinstance(x, dict)],
            schema_version=data.get("schema_version", SCHEMA_VERSION),
        )


@dataclass
class ErrorRecord:
    """One file that could not be turned into a record: the batch records it and goes on. The only shape a
    per-file failure takes (extract, ``extract --jobs``, the archive's errors table); built by
    :func:`pipeline.errors.classify` (see docs/design.md, "Failure model")."""

    path: str
    stage: str  # read | extract | store | worker
    error: str  # error class, e.g. EmptyFile, or WorkerCrashed / TimeLimit
    message: str
    sha256: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"error": True, **asdict(self)}

    def line(self) -> str:
        """One line: a newline or ESC in the file name or the message is escaped, never printed."""
        from .paths import escape_controls

        return escape_controls(f"{self.path}: {self.error}: {self.message}")
