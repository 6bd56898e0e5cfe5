"""Scoring against gold folders laid out like ``shared/corpus/dev`` (docs/, gold/, files/).

Field accuracy for single values, micro-averaged F1 for lists. Comparisons forgive what the gold
format and the schema print differently: case, tone-mark placement, a leading ``V/v``, printed
abbreviations (``UBND`` = ``Ủy ban nhân dân``). References are matched per cited document
(number, or title for name-only citations) occurrence by occurrence, so the score does not depend
on character offsets and works for every input format.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .extract.issuers import expand_abbreviations
from .extract.references import RELATION_VI, VI_RELATION
from .extract.tasks import flatten_tasks
from .models import Dispatch, ErrorRecord
from .normalize import compare_key, squash

# Targets of the real-documents and checklist issues (plain text); corpora/ is held to the same bar.
THRESHOLDS = {
    "number": 0.97, "date": 0.95, "doc_type": 0.90, "issuer": 0.93, "subject": 0.85, "signer_name": 0.93,
    "recipients_f1": 0.85, "cc_f1": 0.80, "references_f1": 0.95, "reference_relation": 0.85,
    "reference_full": 0.80, "tasks_f1": 0.75,
}
TASK_THRESHOLDS = {"task_lead_actor": 0.85, "task_deadline": 0.85}


def _key(s: str | None) -> str:
    if not s:
        return ""
    return compare_key(expand_abbreviations(squash(s)))


def _subject_key(s: str | None) -> str:
    if not s:
        return ""
    s = re.sub(r"^\s*(?:V/v|V/V|v/v|Về việc|VỀ VIỆC)\s*:?\s*", "", squash(s))
    return _key(s)


def ref_key(number: str | None, title: str | None) -> str:
    if number:
        return re.sub(r"\s+", "", number)
    t = re.sub(r"\s+(?:năm\s+\d{4}|ngày\s+.*)$", "", squash(title or ""))
    return "title:" + compare_key(t)


@dataclass
class Tally:
    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.correct += int(ok)
        self.total += 1

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None


@dataclass
class F1:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def value(self) -> float | None:
        if self.tp + self.fp + self.fn == 0:
            return None
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def _multiset_f1(pred: list[str], gold: list[str]) -> tuple[int, int, int]:
    pc, gc = Counter(k for k in pred if k), Counter(k for k in gold if k)
    tp = sum((pc & gc).values())
    return tp, sum(pc.values()) - tp, sum(gc.values()) - tp


def _tokens(s: str) -> list[str]:
    return compare_key(s).split()


def _containment(gold: str, pred: str) -> float:
    g, p = Counter(_tokens(gold)), Counter(_tokens(pred))
    if not g:
        return 0.0
    return sum((g & p).values()) / sum(g.values())


def _actor_match(gold_actor: str | None, pred_actors: list[str]) -> bool:
    if not gold_actor:
        return not pred_actors
    if not pred_actors:
        return False
    g = _key(gold_actor)
    p = _key(pred_actors[0])
    if not p:
        return False
    if p in g or g in p:
        return True
    gs, ps = set(g.split()), set(p.split())
    return len(gs & ps) / max(1, min(len(gs), len(ps))) >= 0.6


@dataclass
class DocResult:
    id: str
    fields: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


@dataclass
class Report:
    folder: str
    split: str = "all"
    docs: int = 0
    tallies: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    f1s: dict[str, F1] = field(default_factory=lambda: defaultdict(F1))
    per_doc: list[DocResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def scores(self) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for name in ("number", "date", "doc_type", "issuer", "place", "subject", "signer_name"):
            out[name] = self.tallies[name].value
        for name in ("recipients", "cc", "references", "tasks"):
            out[f"{name}_f1"] = self.f1s[name].value
        out["reference_relation"] = self.tallies["reference_relation"].value
        out["reference_date"] = self.tallies["reference_date"].value
        out["reference_full"] = self.tallies["reference_full"].value
        out["reference_via"] = self.tallies["reference_via"].value
        tf = self.f1s["tasks"]
        out["tasks_precision"] = tf.tp / (tf.tp + tf.fp) if tf.tp + tf.fp else None
        out["tasks_recall"] = tf.tp / (tf.tp + tf.fn) if tf.tp + tf.fn else None
        out["task_lead_actor"] = self.tallies["task_lead_actor"].value
        out["task_deadline"] = self.tallies["task_deadline"].value
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "split": self.split,
            "documents": self.docs,
            "scores": self.scores(),
            "thresholds": {**THRESHOLDS, **TASK_THRESHOLDS},
            "counts": {k: {"correct": v.correct, "total": v.total} for k, v in self.tallies.items()}
            | {k: {"tp": v.tp, "fp": v.fp, "fn": v.fn} for k, v in self.f1s.items()},
            "errors": self.errors,
            "per_document": [{"id": d.id, "error": d.error, **d.fields} for d in self.per_doc],
        }


def gold_signer_names(gold: dict[str, Any]) -> list[str]:
    """Signer names of a gold record: ``signer`` is one object, or a list for a joint document."""
    signer = gold.get("signer")
    items = signer if isinstance(signer, list) else [signer] if signer else []
    return [s["name"] for s in items if isinstance(s, dict) and s.get("name")]


SPLITS_FILE = Path(__file__).with_name("eval_splits.json")
SPLITS = ("all", "dev", "blind")


def blind_ids() -> frozenset[str]:
    """The fixed blind third of the real dev corpus (scored, never read while writing rules)."""
    return frozenset(json.loads(SPLITS_FILE.read_text(encoding="utf-8"))["blind"])


def select_split(gold_files: list[Path], split: str) -> list[Path]:
    """Keep the gold files of one split. Folders without blind documents (corpora/, seed) are all dev."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")
    if split == "all":
        return gold_files
    blind = blind_ids()
    return [g for g in gold_files if (g.stem in blind) == (split == "blind")]


def score_document(pred: Dispatch, gold: dict[str, Any], report: Report) -> DocResult:
    res = DocResult(gold.get("id", "?"))
    t, f = report.tallies, report.f1s

    def check(name: str, ok: bool, p: Any, g: Any) -> None:
        t[name].add(ok)
        if not ok:
            res.fields[name] = {"pred": p, "gold": g}

    pn = pred.number.normalized if pred.number else None
    check("number", (pn or None) == (gold.get("number_normalized") or None), pn, gold.get("number_normalized"))
    check("date", pred.date == gold.get("date"), pred.date, gold.get("date"))
    pdt = pred.doc_type.name if pred.doc_type else None
    check("doc_type", _key(pdt) == _key(gold.get("doc_type")), pdt, gold.get("doc_type"))
    gi = gold.get("issuer")
    cand = [pred.issuer.name, pred.issuer.printed] if pred.issuer else []
    check("issuer", (not gi and not pred.issuer) or any(_key(c) == _key(gi) for c in cand if c),
          pred.issuer.name if pred.issuer else None, gi)
    check("place", _key(pred.place) == _key(gold.get("place")), pred.place, gold.get("place"))
    check("subject", _subject_key(pred.subject) == _subject_key(gold.get("subject")), pred.subject, gold.get("subject"))
    gnames = gold_signer_names(gold)
    pnames = [s.name for s in (getattr(pred, "signers", None) or ([pred.signer] if pred.signer else [])) if s.name]
    if len(gnames) > 1:
        # a joint document: every signer, in any order
        check("signer_name", Counter(map(_key, pnames)) == Counter(map(_key, gnames)), pnames, gnames)
    else:
        gs = gnames[0] if gnames else None
        ps = pred.signer.name if pred.signer else None
        check("signer_name", _key(ps) == _key(gs), ps, gs)

    f["recipients"].add(*_multiset_f1([_key(x) for x in pred.recipients], [_key(x) for x in gold.get("recipients", [])]))
    f["cc"].add(*_multiset_f1([_key(x) for x in pred.cc], [_key(x) for x in gold.get("cc", [])]))

    # references: occurrence-level multiset per cited document, aligned in text order
    pred_by: dict[str, list] = defaultdict(list)
    gold_by: dict[str, list] = defaultdict(list)
    for r in pred.references:
        pred_by[ref_key(r.number, r.title)].append(r)
    for r in gold.get("references", []):
        gold_by[ref_key(r.get("number"), r.get("title") or (r.get("text") if not r.get("number") else None))].append(r)
    tp = fp = fn = 0
    missed, extra = [], []
    for k in set(pred_by) | set(gold_by):
        ps_, gs_ = pred_by.get(k, []), gold_by.get(k, [])
        n = min(len(ps_), len(gs_))
        tp += n
        fp += len(ps_) - n
        fn += len(gs_) - n
        if len(gs_) > n:
            missed.append(k)
        if len(ps_) > n:
            extra.append(k)
        for pr, gr in zip(ps_, gs_, strict=False):
            rel = VI_RELATION.get(gr.get("relation"), "mentions")
            t["reference_relation"].add(pr.relation == rel)
            # fully right: number (matched by key), relation, and the date wherever the occurrence prints one
            t["reference_full"].add(pr.relation == rel and (not gr.get("date") or pr.date == gr.get("date")))
            if gr.get("date"):
                t["reference_date"].add(pr.date == gr.get("date"))
            if pr.relation != rel:
                res.fields.setdefault("relations", []).append({"ref": k, "pred": RELATION_VI[pr.relation],
                                                               "gold": gr.get("relation")})
            gvia = gr.get("via")
            pvia = None
            if pr.via is not None and 0 <= pr.via < len(pred.references):
                o = pred.references[pr.via]
                pvia = ref_key(o.number, o.title)
            t["reference_via"].add((gvia is None and pvia is None) or (gvia is not None and pvia is not None and
                                                                      ref_key(gvia if re.search(r"\d", gvia) else None,
                                                                              gvia) == pvia))
    f["references"].add(tp, fp, fn)
    if missed:
        res.fields["references_missed"] = missed
    if extra:
        res.fields["references_extra"] = extra

    # tasks: greedy one-to-one matching by how much of the gold text the predicted task contains
    ptasks = flatten_tasks(pred.tasks)
    gtasks = gold.get("action_items", [])
    pairs = []
    for gi_, g in enumerate(gtasks):
        for pi, p in enumerate(ptasks):
            c = _containment(g.get("text", ""), p.text)
            if c >= 0.5:
                pairs.append((c, gi_, pi))
    pairs.sort(reverse=True)
    gused, pused = set(), set()
    for _c, gi_, pi in pairs:
        if gi_ in gused or pi in pused:
            continue
        gused.add(gi_)
        pused.add(pi)
        g, p = gtasks[gi_], ptasks[pi]
        t["task_lead_actor"].add(_actor_match(g.get("actor"), p.actors))
        gd = g.get("deadline")
        if gd and re.fullmatch(r"\d{4}-\d{2}-\d{2}", gd):
            t["task_deadline"].add(bool(p.deadline and p.deadline.date == gd))
    f["tasks"].add(len(gused), len(ptasks) - len(pused), len(gtasks) - len(gused))
    return res


def _score_failure(gold: dict[str, Any], report: Report) -> None:
    for name in ("number", "date", "doc_type", "issuer", "place", "subject", "signer_name"):
        report.tallies[name].add(False)
    report.f1s["recipients"].add(0, 0, len(gold.get("recipients", [])))
    report.f1s["cc"].add(0, 0, len(gold.get("cc", [])))
    report.f1s["references"].add(0, 0, len(gold.get("references", [])))
    report.f1s["tasks"].add(0, 0, len(gold.get("action_items", [])))


def evaluate(folder: str | Path, use_files: bool = False, limit: int | None = None, split: str = "all") -> Report:
    """Extract every document of a gold folder and score it. ``use_files`` reads files/<id>.<ext>
    (the originals) instead of docs/<id>.txt; ``split`` keeps the dev or the blind documents."""
    from .extract import extract_one

    folder = Path(folder)
    report = Report(folder=str(folder), split=split)
    gold_files = select_split(sorted((folder / "gold").glob("*.json")), split)
    if limit:
        gold_files = gold_files[:limit]
    for gp in gold_files:
        gold = json.loads(gp.read_text(encoding="utf-8"))
        gid = gold.get("id", gp.stem)
        if use_files and gold.get("file"):
            pred = extract_one(folder / gold["file"])
        else:
            doc = folder / "docs" / f"{gid}.txt"
            if not doc.exists():
                report.errors.append(f"{doc}: missing")
                continue
            pred = extract_one(doc)  # through the reader, so legacy encodings are repaired as for any file
        report.docs += 1
        if isinstance(pred, ErrorRecord):
            # a document that could not be read scores as all wrong, never as absent
            report.errors.append(pred.line())
            report.per_doc.append(DocResult(gid, error=pred.line()))
            _score_failure(gold, report)
            continue
        report.per_doc.append(score_document(pred, gold, report))
    return report
