"""The record the pipeline's components fill in, one typed object per ``Doc`` (``doc._.record``).

Every field has the default of the same field of ``models.Dispatch``, so a component skipped by the extraction
budget leaves exactly what the output would have had without it. ``fields()`` is the live ``__dict__``: the
budget caps values in place through it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..models import DocNumber, DocType, Issuer, Reference, Signer, Task


@dataclass
class RecordDraft:
    # congvan_header
    number: DocNumber | None = None
    place: str | None = None
    date: str | None = None
    doc_type: DocType | None = None
    subject: str | None = None
    # congvan_signer
    issuer: Issuer | None = None
    family: str | None = None
    signers: list[Signer] = field(default_factory=list)
    signer: Signer | None = None
    # congvan_parties
    recipients: list[str] = field(default_factory=list)
    secondary_recipients: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    # congvan_references, congvan_tasks
    references: list[Reference] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    # extract_from_text, after the pipeline (extract/confidence.py)
    confidence: dict[str, float] = field(default_factory=dict)
    needs_review: list[dict[str, Any]] = field(default_factory=list)

    def fields(self) -> dict[str, Any]:
        """The fields as a mapping (the object's own ``__dict__``: writes go to the draft), the keyword
        arguments of ``models.Dispatch``."""
        return vars(self)
