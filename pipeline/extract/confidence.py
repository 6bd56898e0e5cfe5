"""How sure the extractor is of each header field, and which fields a person should check (issue 16 §9).

The header readers record *evidence* while they work: ``field -> (confidence, reason, detail)`` where the
reason is one of ``REASONS`` (or None when nothing is doubtful). ``assess`` turns that evidence, the record and
how the text was read (OCR and its page confidence) into two record fields:

- ``confidence``: field -> 0..1, how likely the value (or its absence) is right;
- ``needs_review``: ``[{field, reason, detail}]`` for every field below ``REVIEW_BELOW``, so the archive can
  list the records a person should look at.

Confidence values are coarse levels, not calibrated probabilities: 0.95 plain evidence, 0.85-0.9 one soft step
(a date line without its comma, a công văn typed by its V/v line), 0.6-0.75 inferred or OCR-damaged, 0.3-0.5
weak or conflicting, 0 missing.
"""

from __future__ import annotations

from typing import Any

from ..models import Source

HEADER_FIELDS = ("number", "date", "doc_type", "issuer", "subject", "signer", "place")
REASONS = ("ocr", "inferred", "conflicting", "weak_serial", "missing", "blank_serial", "blank_day", "invalid",
           "unparsed", "truncated")
REVIEW_BELOW = 0.8
PLAIN = 0.95
# OCR: the first page's mean word confidence (tesseract, 0-100) caps every header field read from it; without
# a figure an OCR'd page counts as this.
OCR_UNKNOWN = 0.75


def _ocr_cap(source: Source | None) -> float | None:
    if source is None or not source.ocr:
        return None
    if source.ocr_confidence:
        return max(0.0, min(1.0, source.ocr_confidence[0] / 100.0))
    return OCR_UNKNOWN


def _signers(rec: dict[str, Any]) -> list[Any]:
    s = rec.get("signers") or rec.get("signer")
    if s is None:
        return []
    return list(s) if isinstance(s, list) else [s]


def _default(name: str, rec: dict[str, Any]) -> tuple[float, str | None, str | None]:
    """Evidence for a field the readers said nothing about: present = plain, absent = missing."""
    if name == "signer":
        signers = _signers(rec)
        if not signers or not any(getattr(s, "name", None) for s in signers):
            return 0.0, "missing", "no signer name found"
        return PLAIN, None, None
    if name == "issuer":
        issuer = rec.get("issuer")
        if issuer is None:
            return 0.0, "missing", "no issuer found"
        if getattr(issuer, "inferred", False):
            return 0.6, "inferred", "no letterhead: issuer inferred from the symbol, place or body"
        return PLAIN, None, None
    value = rec.get(name)
    if value is None:
        return 0.0, "missing", f"no {name.replace('_', ' ')} found"
    return PLAIN, None, None


def assess(rec: dict[str, Any], evidence: dict[str, tuple], source: Source | None
           ) -> tuple[dict[str, float], list[dict[str, str | None]]]:
    """``(confidence, needs_review)`` for the header fields of one record."""
    cap = _ocr_cap(source)
    confidence: dict[str, float] = {}
    review: list[dict[str, str | None]] = []
    for name in HEADER_FIELDS:
        conf, reason, detail = evidence.get(name) or _default(name, rec)
        if name == "place" and name not in evidence and rec.get("place") is None and rec.get("date") is None:
            conf, reason, detail = 0.0, "missing", "no date line, so no place"
        present = rec.get(name) is not None if name != "signer" else bool(_signers(rec))
        if cap is not None and present and conf > cap:
            conf = cap
            if reason is None and cap < REVIEW_BELOW:
                reason, detail = "ocr", f"read by OCR (page confidence {cap * 100:.0f})"
        confidence[name] = round(conf, 2)
        if conf < REVIEW_BELOW:
            review.append({"field": name, "reason": reason or "ocr", "detail": detail})
    return confidence, review
