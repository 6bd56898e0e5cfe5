"""spaCy components: thin adapters from a ``Doc`` to the pure extractors, writing the fields of
``doc._.record`` (a typed ``RecordDraft``) and character spans (``doc.spans["congvan"]``) that displaCy can show."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..normalize import join_wrapped_lines
from . import header, parties, references, signer, tasks
from .draft import RecordDraft
from .references import Cue
from .segment import segment


def _token_starts(doc: Doc) -> list[int]:
    starts = doc.user_data.get("congvan_starts")
    if starts is None:
        starts = doc.to_array("IDX").tolist()  # char offset of every token, computed in C
        doc.user_data["congvan_starts"] = starts
    return starts


def _add(doc: Doc, start: int, end: int, label: str) -> None:
    """Add a character span as a token span (expanded to token boundaries) to doc.spans["congvan"]."""
    if end <= start or len(doc) == 0:
        return
    starts = _token_starts(doc)
    i = bisect_right(starts, start) - 1
    j = bisect_left(starts, end)
    i, j = max(i, 0), max(j, i + 1)
    doc.spans["congvan"].append(Span(doc, i, min(j, len(doc)), label=label))


MAX_CUES = 20000  # a bound for hostile input ("Căn cứ" repeated a million times)

# what the components read and write, declared to spaCy (``nlp.analyze_pipes()`` checks the order)
ZONES, RECORD, CUES, SPANS = "doc._.zones", "doc._.record", "doc._.cues", "doc.spans"
# set by run_pipeline with the Doc itself (like its text), so not listed as any component's requirement:
# doc._.raw, doc._.norm, doc._.source, doc._.warnings (components append to it)
EVIDENCE, WARNINGS = "doc._.evidence", "doc._.warnings"
CUE_ENGINES = ("regex", "phrase")
GAP_NORM = "\u2423"  # the NORM of every whitespace token while cues are matched ("␣")
_GAP_RE = re.compile(r"[ \t]*\n?[ \t]*")  # spaces and tabs around at most one line break (never a blank line)


class CueMatcher:
    """Relation cue phrases (lexicons/cues.jsonl, SpanRuler pattern format), matched case-insensitively with any
    whitespace between their words: PDF and scan text wraps lines inside "tiếp tục\nthực hiện", where a plain
    ``PhraseMatcher`` would see a newline token. Matches go to ``doc._.cues`` as (start_char, end_char, label).

    Two engines, chosen by the factory's ``engine`` setting, find the same matches:

    - ``phrase`` (the default): spaCy's ``PhraseMatcher`` on ``NORM`` (lower case); every whitespace token gets
      one gap NORM and each phrase is added with and without a gap at each of its spaces, then matches are kept
      leftmost-longest, and only where the text's own spacing is the phrase's (no blank line inside);
    - ``regex``: the phrases compiled into one regular expression over the text (what ran before, and what
      ``references.find_cues`` uses without spaCy).

    The PhraseMatcher is the default because it measured 3x faster on the cue step (docs/design.md, "spaCy");
    patterns are loaded in ``initialize()`` either way, from the bundled lexicon unless ``patterns`` are given."""

    def __init__(self, nlp, name: str, engine: str = "phrase"):
        if engine not in CUE_ENGINES:
            raise ValueError(f"congvan_cues: engine must be one of {', '.join(CUE_ENGINES)}, not {engine!r}")
        self.name = name
        self.engine = engine
        self.vocab = nlp.vocab
        self.tokenizer = nlp.tokenizer
        self.labels: dict[str, str] = {}
        self.regex: re.Pattern | None = None
        self.matcher = None

    def initialize(self, get_examples=None, *, nlp=None, patterns: list[dict] | None = None) -> None:
        if patterns is None:
            from ..lexicons import cue_patterns

            patterns = cue_patterns()
        self.labels, self.regex, self.matcher = {}, None, None
        self.add_patterns(patterns)

    def add_patterns(self, patterns: list[dict]) -> None:
        for p in patterns:
            self.labels[" ".join(p["pattern"].lower().split())] = p["label"]
        if self.engine == "phrase":
            self._build_phrases()
        else:
            self._build_regex()

    def _build_regex(self) -> None:
        alts = sorted(self.labels, key=len, reverse=True)  # longest first: "tiếp tục thực hiện" before "thực hiện"
        gap = r"(?:[ \t]+\n?[ \t]*|\n[ \t]*)"  # spaces, or one line break (never a blank line: a new block)
        # a class of the phrases' first letters up front: the engine skips every other position at once (1 MB of
        # blank lines or bullets would otherwise try ~90 alternatives per character)
        first = "".join(sorted({ch for a in alts for ch in (a[0].lower(), a[0].upper())}))
        self.regex = re.compile(r"(?=[" + re.escape(first) + r"])(?<!\w)(?:"
                                + "|".join(gap.join(map(re.escape, a.split())) for a in alts)
                                + r")(?!\w)", re.IGNORECASE)

    def _build_phrases(self) -> None:
        from itertools import product

        from spacy.matcher import PhraseMatcher

        # Whitespace tokens ("\n", " \n  ") all get one NORM (set per Doc in __call__), and every phrase is added
        # with and without that token at each of its spaces: a line wrapped inside a phrase still matches.
        self.gap = self.vocab.strings.add(GAP_NORM)
        self.matcher = PhraseMatcher(self.vocab, attr="NORM")
        for phrase, label in self.labels.items():
            toks = list(self.tokenizer(phrase))
            spaces = [k for k, t in enumerate(toks[:-1]) if t.whitespace_]
            variants = []
            for mask in product((False, True), repeat=len(spaces)):
                gaps = {k for k, on in zip(spaces, mask, strict=True) if on}
                words = []
                for k, t in enumerate(toks):
                    words.append(t.lower_)
                    if k in gaps:
                        words.append(GAP_NORM)
                variants.append(Doc(self.vocab, words=words))
            for v in variants:
                for t in v:
                    t.norm_ = t.text
            self.matcher.add(label, variants)

    def __call__(self, doc: Doc) -> Doc:
        out: list[tuple[int, int, str]] = []
        if self.regex is not None:
            text = doc._.norm if doc._.norm is not None else doc.text
            for m in self.regex.finditer(text):
                out.append((m.start(), m.end(), self.labels[" ".join(m.group(0).lower().split())]))
                if len(out) >= MAX_CUES:
                    break
        elif self.matcher is not None:
            out = self._phrase_matches(doc)
        doc._.cues = out
        return doc

    def _phrase_matches(self, doc: Doc) -> list[tuple[int, int, str]]:
        from spacy.attrs import IS_SPACE, NORM

        if len(doc) == 0:
            return []
        arr = doc.to_array([NORM, IS_SPACE])  # every whitespace token gets the one gap NORM, in C
        arr[arr[:, 1] == 1, 0] = self.gap
        doc.from_array([NORM], arr[:, :1].copy())
        text = doc._.norm if doc._.norm is not None else doc.text
        out: list[tuple[int, int, str]] = []
        end = 0
        # leftmost, then longest, never overlapping: what one pass of the regex keeps
        for _id, i, j in sorted(self.matcher(doc), key=lambda m: (m[1], -m[2])):
            if i < end:
                continue
            a, b = doc[i].idx, doc[j - 1].idx + len(doc[j - 1])
            # the text's own spacing must be the phrase's (no blank line inside, no space before a comma)
            label = self.labels.get(" ".join(text[a:b].lower().split()))
            if label is None or (j - i > 2 and not all(_GAP_RE.fullmatch(t.text) for t in doc[i + 1:j - 1]
                                                       if t.is_space)):
                continue
            end = j
            out.append((a, b, label))
            if len(out) >= MAX_CUES:
                break
        return out


@Language.factory("congvan_cues", assigns=[CUES], default_config={"engine": "phrase"})
def make_cue_matcher(nlp, name: str, engine: str):
    return CueMatcher(nlp, name, engine)


@Language.component("congvan_segment", assigns=[ZONES, SPANS], requires=[])
def segment_component(doc: Doc) -> Doc:
    if doc._.norm is None:  # a Doc made outside run_pipeline
        doc._.norm = doc.text
    if doc._.record is None:
        doc._.record = RecordDraft()
    if doc._.evidence is None:
        doc._.evidence = {}
    if doc._.warnings is None:
        doc._.warnings = []
    doc._.zones = segment(doc._.norm)
    doc.spans["congvan"] = []
    return doc


@Language.component("congvan_header", assigns=[RECORD, EVIDENCE, SPANS, WARNINGS], requires=[ZONES])
def header_component(doc: Doc) -> Doc:
    z, rec, w = doc._.zones, doc._.record, doc._.warnings
    raw = doc._.norm  # values come from the normalized text (same offsets as the text as read)
    source = doc._.source
    ocr = bool(source is not None and source.ocr)
    page_conf = source.ocr_confidence[0] if source is not None and source.ocr_confidence else None
    ev = doc._.evidence  # field -> (confidence, review reason, detail)
    number = header.read_number(z, raw, w, ocr=ocr, page_confidence=page_conf, evidence=ev)
    consolidated = header.read_consolidation(z, raw, w)
    if consolidated is not None:
        number = consolidated.number or number
    place, date = header.read_date_place(z, raw, w, number, ev)
    if consolidated is not None and consolidated.from_block:
        place, date = consolidated.place, consolidated.date
        ev["date"] = (0.85, None, "date of the VBHN authentication block") if date else \
            (0.0, "missing", "consolidated text without a date in its authentication block")
        if consolidated.number is None:
            ev["number"] = (0.3, "conflicting", "consolidated text: only the original's number was found")
        if consolidated.issuer_cells:
            z.issuer_cells = consolidated.issuer_cells  # the consolidating body, not the original's letterhead
    rec.number, rec.place, rec.date = number, place, date
    rec.doc_type = header.read_doc_type(z, raw, number, ev)
    if consolidated is not None:
        rec.doc_type = consolidated.doc_type
        ev.pop("doc_type", None)
    rec.subject = header.read_subject(z, raw, ev)
    if number is not None and number.start is not None:
        _add(doc, number.start, number.end, "NUMBER")
    if z.date_line is not None:
        _add(doc, z.date_line.start, z.date_line.end, "PLACE_DATE")
    for a, b in z.subject:
        _add(doc, a, b, "SUBJECT")
    for a, b in z.issuer_cells:
        _add(doc, a, b, "ISSUER")
    if not z.subject:
        w.append("subject (trích yếu) not found")
    return doc


@Language.component("congvan_signer", assigns=[RECORD, SPANS, WARNINGS], requires=[ZONES, RECORD])
def signer_component(doc: Doc) -> Doc:
    z, rec, w = doc._.zones, doc._.record, doc._.warnings
    raw = doc._.norm
    blocks = z.signature_blocks or ([z.signature] if z.signature else [])
    signers = signer.parse_signers([[raw[a:b] for a, b in block] for block in blocks])
    s = signers[0] if signers else None
    for a, b in z.signature:
        _add(doc, a, b, "SIGNER")
    if s is None or s.name is None:
        w.append("signer name not found")
    # the issuer needs the signature authority (Party central documents, spec §1)
    rec.issuer = header.read_issuer(z, raw, rec.number, rec.place,
                                       s.on_behalf_of if s else None, w)
    rec.family = rec.issuer.family if rec.issuer else None
    # joint documents: the host body's signer first, and ``signer`` is that one
    signers = signer.host_first(signers, rec.issuer.printed if rec.issuer else None)
    rec.signers = signers
    rec.signer = signers[0] if signers else None
    return doc


@Language.component("congvan_parties", assigns=[RECORD, SPANS, WARNINGS], requires=[ZONES])
def parties_component(doc: Doc) -> Doc:
    z, rec = doc._.zones, doc._.record
    raw = doc._.norm
    rec.recipients = parties.recipients_from_lines([raw[a:b] for a, b in z.recipients])
    rec.secondary_recipients = parties.recipients_from_lines([raw[a:b] for a, b in z.secondary])
    rec.cc = parties.cc_from_items([" ".join(raw[a:b] for a, b in item) for item in z.cc])
    for a, b in z.recipients:
        _add(doc, a, b, "RECIPIENT")
    for item in z.cc:
        for a, b in item:
            _add(doc, a, b, "CC")
    if rec.secondary_recipients:
        doc._.warnings.append("'Đồng kính gửi' addressees kept apart in secondary_recipients")
    return doc


def _longest_cues(matches: list[tuple[int, int, str]]) -> list[Cue]:
    """Overlapping cue matches: the longest wins ("tiếp tục thực hiện" over "thực hiện")."""
    if not matches:
        return []
    taken = bytearray(max(e for _s, e, _l in matches) + 1)
    out: list[Cue] = []
    for s, e, label in sorted(matches, key=lambda m: (-(m[1] - m[0]), m[0])):
        if not any(taken[s:e]):
            taken[s:e] = b"\x01" * (e - s)
            out.append(Cue(s, e, label))
    return sorted(out, key=lambda c: (c.start, c.end))


def _regions(z) -> list[tuple[int, int, str]]:
    regions = []
    for a, b in z.subject:
        regions.append((a, b, "subject"))
    if regions:
        # one region for the whole (wrapped) subject so citations broken across lines are found
        regions = [(z.subject[0][0], z.subject[-1][1], "subject")]
    lo = max(z.body[0], regions[-1][1] if regions else 0)
    regions.append((lo, z.body[1], "body"))
    # an appendix after the signature and Nơi nhận ("PHỤ LỤC", "DANH MỤC VĂN BẢN …") cites documents too
    tail = max([z.body[1]] + [b for _a, b in z.signature] + [b for item in z.cc for _a, b in item])
    if tail < len(z.text) and _APPENDIX_RE.search(z.text, tail):
        regions.append((tail, len(z.text), "appendix"))
    return regions


_APPENDIX_RE = re.compile(r"(?m)^[ \t]*(?:PHỤ[ \t]+LỤC|Phụ[ \t]+lục|DANH[ \t]+MỤC|BIỂU|Biểu)\b")


@Language.component("congvan_references", assigns=[RECORD, SPANS, WARNINGS], requires=[ZONES, CUES, RECORD])
def references_component(doc: Doc) -> Doc:
    z, rec = doc._.zones, doc._.record
    text = doc._.norm
    joined = join_wrapped_lines(text)  # a citation wrapped by the layout is found as one line (same offsets)
    number = rec.number
    own = number.normalized if number is not None else None
    if number is not None and number.start is not None and z.body[0] <= number.start < z.body[1]:
        # no letterhead: the "own number" is the first citation of a title or sentence ("Thông tư số … sửa đổi …
        # Thông tư số …"), and it stays a reference
        own = None
    regions = _regions(z)
    cands = references.find_candidates(joined, regions, own)
    if len(cands) >= references.MAX_REFERENCES:
        doc._.warnings.append(f"reference search stopped after {references.MAX_REFERENCES} citations")
    cands = references.add_short_forms(joined, cands, regions)
    cues = _longest_cues(doc._.cues or [])
    floors = {zone: a for a, _b, zone in regions}
    refs = references.relate(text, cands, cues, floors)
    references.harmonize(refs)
    notes = references.inherit_issuers(refs)
    raw = doc._.raw
    for r in refs:
        r.text = raw[r.start:r.end]  # spans are sliced from the text as read
        _add(doc, r.start, r.end, f"REF:{r.relation}")
    rec.references = refs
    doc._.warnings.extend(dict.fromkeys(notes))
    return doc


@Language.component("congvan_tasks", assigns=[RECORD, SPANS, WARNINGS], requires=[ZONES, RECORD])
def tasks_component(doc: Doc) -> Doc:
    z, rec = doc._.zones, doc._.record
    notes: list[str] = []
    dt = rec.doc_type
    normative = bool(dt and dt.name in tasks.NORMATIVE_NAMES) or bool(
        rec.number is not None and rec.number.year is not None)
    ts = tasks.extract_tasks(doc._.norm, z.body, rec.date, rec.recipients or None, notes,
                             normative=normative)
    rec.tasks = ts
    for t in tasks.flatten_tasks(ts):
        if t.start is not None:
            _add(doc, t.start, t.end, "TASK")
    doc._.warnings.extend(sorted(set(notes)))
    return doc
