"""The extract stage, assembled as a spaCy pipeline over one ``Doc``.

``spacy.blank("vi")`` (whitespace tokenizer, no pyvi) carries the normalized text. Components:

- ``congvan_cues``      the relation cue phrases of ``lexicons/cues.jsonl`` (SpanRuler-style patterns kept as data),
                        loaded into a PhraseMatcher in ``initialize()``, matched with one line break at most
                        between words so wrapped PDF lines still match (``doc._.cues``)
- ``congvan_segment``   layout zones (``doc._.zones``)
- ``congvan_header``    number, place, date, type, subject, issuer
- ``congvan_parties``   Kính gửi and Nơi nhận
- ``congvan_signer``    signature block
- ``congvan_references`` citations, relations, via chains
- ``congvan_tasks``     action items

Each component declares what it reads and writes (``Language.component(assigns=…, requires=…)``;
``nlp.analyze_pipes()`` checks the order), writes fields to ``doc._.record`` (a typed ``draft.RecordDraft``) and
spans to ``doc.spans["congvan"]`` (for displaCy). The functions they call are pure and live in the sibling modules.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, NamedTuple

from ..errors import classify
from ..lexicons import Lexicon, default_lexicon
from ..models import Dispatch, ErrorRecord, Source, Text
from ..normalize import letter_counts, normalize, unwrap_header_cells
from .budget import Budget, cap_fields, cap_warnings, clip_text
from .confidence import assess
from .draft import RecordDraft

COMPONENTS = ["congvan_cues", "congvan_segment", "congvan_header", "congvan_signer", "congvan_parties",
              "congvan_references", "congvan_tasks"]


EXTENSIONS = ("zones", "record", "cues", "evidence", "source", "raw", "norm", "warnings")


@lru_cache(maxsize=4)
def get_nlp(cue_engine: str = "phrase", lexicon: Lexicon | None = None):
    """The spaCy pipeline (built once per process; it holds no per-document state). ``cue_engine`` picks how
    ``congvan_cues`` matches (spaCy's "phrase" matcher, the default, or one "regex"; docs/design.md compares
    them). ``lexicon`` (default: the bundled one, loaded once) gives the cue phrases and the mottos."""
    import spacy
    from spacy.tokens import Doc

    from . import components  # noqa: F401  (registers the components)

    # typed extensions, one per thing a component hands on (see components.py for who reads and writes what):
    # zones (segment.Zones), record (draft.RecordDraft), cues (list of (start, end, label)), evidence (field ->
    # (confidence, reason, detail)), source (models.Source), raw and norm (str), warnings (list of str)
    for ext in EXTENSIONS:
        if not Doc.has_extension(ext):
            Doc.set_extension(ext, default=None)
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    # The stock Vietnamese tokenizer without pyvi aligns words in Python and is quadratic in the text
    # length (12 s for 1 MB); syllables split by one regex give the same tokens for the cue phrases, and
    # phrase patterns are tokenized by the same tokenizer, so matching is unchanged.
    nlp.tokenizer = SyllableTokenizer(nlp.vocab, _rule_tokenizer(nlp))
    for name in COMPONENTS:
        nlp.add_pipe(name, config={"engine": cue_engine} if name == "congvan_cues" else {})
    lexicon = lexicon or default_lexicon()
    # components load their data here (congvan_cues: the cue phrases of the lexicon)
    nlp.config["initialize"]["components"]["congvan_cues"] = {"patterns": [dict(p) for p in lexicon.cue_patterns]}
    nlp.initialize()
    # run_pipeline reads the mottos from the same lexicon (an attribute: nlp.meta must stay JSON for to_disk)
    nlp.congvan_lexicon = lexicon
    nlp.max_length = 30_000_000
    return nlp


_TOKEN_RE = __import__("re").compile(r"\w+|[^\w\s]|\s+")
# spaCy's rule tokenizer spends ~1.4 µs per character inside one long token or whitespace run
_LONG_RUN = __import__("re").compile(r"\S{200}|\s{200}")


def _rule_tokenizer(nlp):
    from spacy.lang.punctuation import TOKENIZER_INFIXES, TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    # "./." closes a Vietnamese administrative text ("… thực hiện./."): a suffix of its own, so the last word
    # is a token a cue pattern can match
    return Tokenizer(nlp.vocab, prefix_search=compile_prefix_regex(TOKENIZER_PREFIXES).search,
                     suffix_search=compile_suffix_regex([r"\./\."] + list(TOKENIZER_SUFFIXES)).search,
                     infix_finditer=compile_infix_regex(TOKENIZER_INFIXES).finditer)


class SyllableTokenizer:
    """Vietnamese syllables, numbers and punctuation marks as tokens, whitespace kept (spaCy's convention).

    Ordinary text goes to spaCy's rule tokenizer (C); text with very long runs (hostile input) is split by one
    regex pass instead, linear whatever it contains (the rule tokenizer spends ~1.4 µs per character inside a
    long token, so a 1 MB run of digits took seconds). Cue phrases tokenize the same either way."""

    def __init__(self, vocab, rules=None):
        self.vocab = vocab
        self.rules = rules

    def __call__(self, text: str):
        from spacy.tokens import Doc

        if self.rules is not None and not _LONG_RUN.search(text):
            return self.rules(text)  # spaCy's rule tokenizer in C: fastest on ordinary text

        words: list[str] = []
        spaces: list[bool] = []
        for m in _TOKEN_RE.finditer(text):
            tok = m.group()
            if tok[0].isspace():
                if words and not spaces[-1] and tok[0] == " ":
                    spaces[-1] = True
                    tok = tok[1:]
                if tok:
                    words.append(tok)
                    spaces.append(False)
            else:
                words.append(tok)
                spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)


def run_pipeline(raw: str, source: Source | None = None, budget: Budget | None = None, nlp=None) -> Any:
    """Run the pipeline on text as read; returns the spaCy Doc (``doc._.record``, a ``RecordDraft``, holds the
    fields). ``nlp`` is ``get_nlp()`` unless given (the benchmarks pass the other cue engine). ``source`` tells the header how the text was read (OCR and its confidence decide how far a serial is trusted). The
    extraction budget (pipeline.extract.budget) bounds the text seen, the time spent and every field's length."""
    import time

    budget = budget or Budget.from_env()
    nlp = get_nlp() if nlp is None else nlp
    started = time.process_time()  # CPU time: what this document costs, whatever else shares the machine
    raw, warnings = clip_text(raw, budget)
    norm = unwrap_header_cells(normalize(raw), getattr(nlp, "congvan_lexicon", default_lexicon()).motto_keys)
    doc = nlp.make_doc(norm)
    doc._.source = source
    doc._.raw = raw
    doc._.norm = norm  # Doc.text rebuilds the string from its tokens on every access
    doc._.record = RecordDraft()
    doc._.evidence = {}
    doc._.warnings = warnings
    for k, (_name, proc) in enumerate(nlp.pipeline):
        if time.process_time() - started > budget.time_s:
            skipped = [n for n, _ in nlp.pipeline[k:]]
            doc._.warnings.append(f"extraction budget of {budget.time_s:g} CPU s spent; skipped "
                                  f"{', '.join(s.removeprefix('congvan_') for s in skipped)}")
            break
        doc = proc(doc)
    doc._.warnings.extend(cap_fields(doc._.record.fields(), budget))
    doc._.warnings = cap_warnings(doc._.warnings, budget)
    return doc


def extract_from_text(text: str | Text, path: str = "<text>", fmt: str = "txt", source: Source | None = None
                      ) -> Dispatch:
    warnings: list[str] = []
    if isinstance(text, Text):
        source = text.source
        warnings.extend(text.warnings)
        raw = text.text
    else:
        raw = text
    if source is None:
        import hashlib

        source = Source(path=path, sha256=hashlib.sha256(raw.encode("utf-8")).hexdigest(), format=fmt,
                        size=len(raw.encode("utf-8")))
    doc = run_pipeline(raw, source)
    rec = doc._.record.fields()
    rec["confidence"], rec["needs_review"] = assess(rec, doc._.evidence, source)
    if source.format.startswith("pdf") and "chủ trì" in raw.lower():
        _pdf_task_tables(source.path, rec, doc._.warnings)
    return Dispatch(source=source, warnings=warnings + doc._.warnings, **rec)


def _pdf_task_tables(path: str, rec: dict, warnings: list[str]) -> None:
    """Task tables of a PDF read through pdfplumber's table finder: its rows replace the rows the task finder
    read from the text layer (which interleaves the columns of wrapped rows)."""
    import os

    from ..read.pdf_tables import pdf_tables
    from .task_tables import grid_tasks

    if not os.path.isfile(path):
        return
    grid = grid_tasks(pdf_tables(path), rec.get("date"), warnings)
    if not grid:
        return
    kept = [t for t in rec.get("tasks", []) if not re.match(r"(?:PL|B\d+)\.", t.id)]
    rec["tasks"] = kept + grid


LANGUAGE_WINDOW = 1500  # characters per sampled window


def language_sample(text: str, window: int = LANGUAGE_WINDOW) -> str:
    """Three windows (start, middle, end) of a long text: a language decision needs a few thousand letters, and
    looking at all of them cost a fifth of extraction time on 15 KB documents. Three places, so a foreign-language
    cover or annex alone does not decide."""
    if len(text) <= 3 * window:
        return text
    mid = len(text) // 2
    return text[:window] + "\n" + text[mid - window // 2: mid + window // 2] + "\n" + text[-window:]


def check_language(text: Text) -> None:
    """Refuse text that is not Vietnamese (after any legacy-encoding repair): letters of a sample, counted in C."""
    from ..read.errors import NotVietnamese

    c = letter_counts(language_sample(text.text))
    if c.total and c.foreign / c.total > 0.3:
        raise NotVietnamese(text.source.path, "text is mostly in a non-Latin script, not Vietnamese")
    if c.total >= 200 and c.other_latin / c.total < 0.04:
        raise NotVietnamese(text.source.path, "text has almost no Vietnamese letters (not Vietnamese?)")


def _read_checked(path: str, options=None) -> Text:
    from ..read import read

    text = read(path, options)
    if options is None or getattr(options, "require_vietnamese", True):
        check_language(text)
    return text


def extract_path(path: str | os.PathLike, options=None) -> Dispatch:
    """Read, check the language, extract; raises on failure (a ``ReadError`` for a bad file)."""
    return extract_from_text(_read_checked(os.fspath(path), options))


class Outcome(NamedTuple):
    """What :func:`process_path` made of one file: the text it read (None when reading failed) and the record."""

    text: Text | None
    record: Dispatch | ErrorRecord


def process_path(path: str | os.PathLike, options=None, *, name: str | None = None) -> Outcome:
    """The one place a file becomes a record: read, check the language, extract. Never raises: a failure is
    classified once, where it happens (:func:`pipeline.errors.classify`), with the stage it reached and the
    content hash when the file was read. Every caller (``extract_one``, the archive's workers) goes through here,
    so a bad file gets the same ErrorRecord everywhere and is never extracted twice.

    ``name`` replaces the path in the record and the error (a worker reading a private copy of a shipped file);
    by default it is the lossless text form of ``path`` (see pipeline.paths)."""
    from ..paths import path_text

    p = os.fspath(path)
    label = path_text(p) if name is None else name
    text: Text | None = None
    stage = "read"
    try:
        text = _read_checked(p, options)
        if name is not None:
            text.source.path = name
        stage = "extract"
        return Outcome(text, extract_from_text(text))
    except Exception as exc:  # RecursionError and MemoryError included: one bad file must not stop the batch
        return Outcome(text, classify(exc, stage, label, text.source.sha256 if text is not None else None))


def extract_one(path: str | os.PathLike, options=None) -> Dispatch | ErrorRecord:
    """Never raises: a failure becomes an ErrorRecord naming the file (its lossless text form, see
    pipeline.paths) and the reason."""
    return process_path(path, options).record


def extract_batch(paths: Iterable[str | os.PathLike], options=None) -> Iterator[Dispatch | ErrorRecord]:
    for p in paths:
        yield extract_one(p, options)
