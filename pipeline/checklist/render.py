"""Task checklists: who does what by when, from extracted records, as Markdown, CSV, JSON and iCalendar.

The library side of ``congvan tasks``. Everything works on :class:`~pipeline.models.Dispatch` records:

- :func:`select` keeps the tasks that reach a unit (``--for``) and fall in a due window, as a tree of
  :class:`ChecklistItem` (a parent that does not match itself stays as context for a subtask that does);
- :func:`render_markdown`, :func:`render_csv`, :func:`render_json`, :func:`render_ics` turn the selection
  into text (ICS: bytes), one VTODO per task and subtask.

Due dates. A task's due date is its deadline's date. A recurring task printed without one ("hằng năm",
"hằng quý", "trước ngày 20 hằng tháng") is due at the end of each period, counted from the issue date:
yearly → 31 December of the issue year, half-yearly → 30 June or 31 December, quarterly → the quarter's
end, monthly → the month's end (or its day: BYMONTHDAY), weekly → a week after issue. That first due date
anchors the RRULE in the calendar and the ``--due-before/--due-after`` window.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import io
import json
import re
from dataclasses import asdict, dataclass, field

from ..models import Dispatch, Task
from .labels import check_lang, label

RECURRENCE_VI = {k: label(k) for k in ("yearly", "half-yearly", "quarterly", "monthly", "weekly", "daily")}
CSV_COLUMNS = ["file", "number", "issuer", "issue_date", "task_id", "parent_id", "text", "actors", "cooperating",
               "deadline_text", "deadline_date", "recurrence", "rrule", "due", "kind", "report_to", "sha256", "why",
               "deliverable"]
SUMMARY_CHARS = 160


# --------------------------------------------------------------------------- selection


@dataclass
class ChecklistItem:
    """A task as selected: ``matched`` is False for a parent kept only as context for its subtasks."""

    task: Task
    actors: list[str]  # the task's actors, else its parent's, else the document's recipients
    actors_from: str  # task | parent | recipients | none
    due: dt.date | None  # the deadline's date, else the first due date of a recurring task
    due_computed: bool  # True when `due` comes from the recurrence, not from a printed date
    parent_id: str | None
    matched: bool = True
    children: list[ChecklistItem] = field(default_factory=list)
    why: str | None = None  # with --for: why the task reaches the unit (Vietnamese, one phrase)
    rank: int = 0  # with --for: 0 the unit's own task, 1 a partner, 2 a kind of units, 3 a family, 4 everyone


@dataclass
class ChecklistDoc:
    dispatch: Dispatch
    items: list[ChecklistItem]

    def flat(self, matched_only: bool = True) -> list[ChecklistItem]:
        out: list[ChecklistItem] = []

        def walk(items: list[ChecklistItem]) -> None:
            for it in items:
                if it.matched or not matched_only:
                    out.append(it)
                walk(it.children)

        walk(self.items)
        return out


def _iso(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _bymonthday(rrule: str | None) -> int | None:
    m = re.search(r"BYMONTHDAY=(-?\d+)", rrule or "")
    return int(m.group(1)) if m else None


def first_due(task: Task, doc_date: str | None) -> tuple[dt.date | None, bool]:
    """(due date, computed?) of a task: its deadline's date, else for a recurring task the end of the first
    period counted from the issue date (see the module doc). (None, False) when neither is known."""
    explicit = _iso(task.deadline.date if task.deadline else None)
    if explicit:
        return explicit, False
    issued = _iso(doc_date)
    if not task.recurrence or issued is None:
        return None, False
    kind, day = task.recurrence, _bymonthday(task.rrule)
    if kind == "yearly":
        return dt.date(issued.year, 12, 31), True
    if kind == "half-yearly":
        return (dt.date(issued.year, 6, 30) if issued.month <= 6 else dt.date(issued.year, 12, 31)), True
    if kind in ("quarterly", "monthly"):
        step = 3 if kind == "quarterly" else 1
        first_month = ((issued.month - 1) // step + 1) * step if step == 3 else issued.month
        for k in range(0, 24, step):
            y, m = issued.year + (first_month - 1 + k) // 12, (first_month - 1 + k) % 12 + 1
            if day and day > 0:
                if day > calendar.monthrange(y, m)[1]:
                    continue
                cand = dt.date(y, m, day)
            else:
                cand = _month_end(y, m)
            if cand >= issued:
                return cand, True
        return None, False
    if kind == "weekly":
        return issued + dt.timedelta(days=7), True
    if kind == "daily":
        return issued, True
    return None, False


def calendar_rrule(task: Task, due: dt.date | None, computed: bool) -> str | None:
    """The RRULE to put in a calendar: the task's, anchored on `due`; a month-end anchor repeats on the last
    day of the month (BYMONTHDAY=-1) so short months are not skipped."""
    rule = task.rrule
    if not rule or due is None:
        return None
    if computed and "FREQ=MONTHLY" in rule and "BYMONTHDAY" not in rule and due == _month_end(due.year, due.month):
        rule += ";BYMONTHDAY=-1"
    return rule


def _occurs_in(task: Task, due: dt.date | None, computed: bool, after: dt.date | None,
               before: dt.date | None) -> bool:
    if after is None and before is None:
        return True
    if due is None:
        return False
    rule = calendar_rrule(task, due, computed)
    if not rule:
        return (after is None or due >= after) and (before is None or due <= before)
    if before is not None and due > before:
        return False
    if after is None or due >= after:
        return True
    from dateutil.rrule import rrulestr

    start = dt.datetime.combine(due, dt.time())
    try:
        nxt = rrulestr(rule, dtstart=start).after(dt.datetime.combine(after, dt.time()), inc=True)
    except (ValueError, TypeError):
        return False
    return nxt is not None and (before is None or nxt.date() <= before)


_RANKS = {"name": 0, "cooperating": 1, "kind": 2, "family": 3, "everyone": 4}


def why_matched(for_unit: str, actors: list[str], cooperating: list[str],
                members: list[str] | None = None, lang: str = "vi") -> tuple[str, int] | None:
    """(why, rank) a task with these actors reaches `for_unit`, or None: named as lead ("giao trực tiếp"), as a
    partner ("phối hợp"), or as one of a group ("thuộc nhóm “các sở, ban, ngành”"); a group is linked to the
    member the document lists in Kính gửi / Nơi nhận when there is one."""
    from .actors import actor_matches, match_reason

    best: tuple[int, str, bool] | None = None  # (rank, actor phrase, as a partner)
    for a in actors:
        r = match_reason(for_unit, a)
        if r and (best is None or _RANKS[r] < best[0]):
            best = (_RANKS[r], a, False)
    for c in cooperating:
        r = match_reason(for_unit, c)
        rank = 1 if r == "name" else _RANKS[r] if r else None
        if rank is not None and (best is None or rank < best[0]):
            best = (rank, c, True)
    if best is None:
        return None
    rank, via, partner = best
    if rank == 0:
        return label("why_direct", lang), 0
    if rank == 1:
        return label("why_partner", lang), 1
    why = (label("why_partner_group", lang) if partner else "") + label("why_group", lang, group=" ".join(via.split()))
    listed = [m for m in (members or []) if not m.lower().startswith("các ") and actor_matches(for_unit, m)
              and actor_matches(m, via)]
    if listed:
        why += label("why_listed", lang, member=" ".join(listed[0].split()))
    return why, rank


def select(dispatch: Dispatch, for_unit: str | None = None, due_after: dt.date | None = None,
           due_before: dt.date | None = None, lang: str = "vi") -> ChecklistDoc:
    """The document's tasks that reach `for_unit` (lead or cooperating, forgiving match; see ``actors``) and
    are due in [due_after, due_before] (both inclusive; a recurring task when any occurrence is). Without
    filters every task is kept. A task with no actor of its own takes its parent's, then the recipients'.
    With `for_unit` each kept task says why it matched (``ChecklistItem.why``) and the unit's own tasks come first,
    then those of partners, then those of groups that include it. `lang` ("vi" or "en") is the language of
    ``why``."""
    lang = check_lang(lang)
    recipients = list(dispatch.recipients)
    members = recipients + [c for c in dispatch.cc if not c.lower().startswith(("lưu", "như"))]

    def build(tasks: list[Task], parent: ChecklistItem | None) -> list[ChecklistItem]:
        out = []
        for t in tasks:
            if t.actors:
                actors, src = list(t.actors), "task"
            elif parent is not None and parent.actors:
                actors, src = list(parent.actors), "parent"
            elif recipients:
                actors, src = recipients, "recipients"
            else:
                actors, src = [], "none"
            due, computed = first_due(t, dispatch.date)
            it = ChecklistItem(t, actors, src, due, computed, parent.task.id if parent else None)
            ok = _occurs_in(t, due, computed, due_after, due_before)
            if ok and for_unit:
                got = why_matched(for_unit, actors, list(t.cooperating), members, lang)
                ok = got is not None
                if got:
                    it.why, it.rank = got
            it.children = build(t.subtasks, it)
            it.matched = ok
            if ok or it.children:
                out.append(it)
        if for_unit:
            out.sort(key=_best_rank)  # stable: document order within a rank
        return out

    return ChecklistDoc(dispatch, build(dispatch.tasks, None))


def _best_rank(it: ChecklistItem) -> int:
    ranks = [it.rank] if it.matched else []
    ranks += [_best_rank(c) for c in it.children]
    return min(ranks) if ranks else 9


def named_units(docs: list[ChecklistDoc]) -> list[str]:
    """Every unit the documents name as a task's actor or partner, and their recipients, in first-seen order:
    what to suggest when ``--for`` matches nothing."""
    from .actors import actor_key

    seen: dict[str, str] = {}

    def add(name: str) -> None:
        n = " ".join(name.split())
        key = actor_key(n)  # "UBND các xã" and "Ủy ban nhân dân các xã" are one unit
        if n and key not in seen:
            seen[key] = n

    def walk(tasks: list[Task]) -> None:
        for t in tasks:
            for a in list(t.actors) + list(t.cooperating):
                add(a)
            walk(t.subtasks)

    for d in docs:
        walk(d.dispatch.tasks)
        for r in d.dispatch.recipients:
            add(r)
    return list(seen.values())


# --------------------------------------------------------------------------- shared bits


def _squash(s: str | None) -> str:
    return " ".join((s or "").split())


def summary(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first sentence of a task's text, cut at a word boundary to `limit` characters."""
    t = _squash(text)
    t = re.sub(r"^[-+•]\s+", "", t)
    m = re.search(r"[.;!?](?=\s+[^\W\d_])", t)
    if m and m.start() >= 20:
        t = t[:m.start()]
    t = t.rstrip(" .;:,")
    if len(t) > limit:
        cut = t.rfind(" ", 0, limit - 1)
        t = t[:cut if cut > limit // 2 else limit - 1].rstrip(" ,;:") + "…"
    return t


def _issuer(d: Dispatch) -> str:
    return d.issuer.name if d.issuer else ""


def _number(d: Dispatch) -> str:
    return d.number.text if d.number else ""


def _doc_label(d: Dispatch, lang: str = "vi") -> str:
    kind = d.doc_type.name if d.doc_type else label("document", lang)  # the type's printed name is the document's
    num = _number(d)
    return label("doc_number", lang, kind=kind, number=num) if num else kind


def _source_line(d: Dispatch, task_id: str, lang: str = "vi") -> str:
    parts = [_doc_label(d, lang)]
    if d.date:
        parts.append(label("dated", lang, date=d.date))
    if _issuer(d):
        parts.append(label("by_issuer", lang, issuer=_issuer(d)))
    return " ".join(parts) + ", " + label("item", lang, id=task_id)


def _deadline_label(it: ChecklistItem, lang: str = "vi") -> str | None:
    t = it.task
    if t.deadline and t.deadline.date:
        text = _squash(t.deadline.text)
        return label("md_due_date", lang, date=t.deadline.date) + (f" “{text}”" if text else "")
    if t.deadline and t.deadline.text:
        return label("md_due_text", lang, text=_squash(t.deadline.text))
    return None


def _recurrence_name(recurrence: str, lang: str = "vi") -> str:
    return label(recurrence, lang) if recurrence in RECURRENCE_VI else recurrence


def _recurrence_label(t: Task, lang: str = "vi") -> str | None:
    if not t.recurrence:
        return None
    name = _recurrence_name(t.recurrence, lang)
    day = _bymonthday(t.rrule)
    if day and day > 0:
        name = label("monthday", lang, label=name, day=day)
    return name


# --------------------------------------------------------------------------- Markdown

_MD_ESCAPE = re.compile(r"([\\`*_\[\]<])")


def _md(s: str) -> str:
    return _MD_ESCAPE.sub(r"\\\1", s)


def _md_items(items: list[ChecklistItem], depth: int, full_text: bool, out: list[str], lang: str = "vi") -> int:
    """Append checklist lines for `items` and their subtasks; returns how many tasks matched."""
    total = 0
    for it in items:
        t = it.task
        text = _squash(t.text) if full_text else summary(t.text)
        text = re.sub(r"^[-+•]\s+", "", text)
        extra: list[str] = []
        if it.actors and (depth == 0 or it.actors_from == "task"):
            who = ", ".join(_squash(a) for a in it.actors)
            extra.append(who + (" " + label("from_recipients", lang) if it.actors_from == "recipients" else ""))
        if t.cooperating:
            extra.append(label("md_cooperating", lang, units=", ".join(t.cooperating)))
        dl = _deadline_label(it, lang)
        if dl:
            extra.append(dl)
        rec = _recurrence_label(t, lang)
        if rec:
            extra.append(rec)
        if t.report_to:
            extra.append(label("md_report_to", lang, to=t.report_to))
        if it.why and it.matched:
            extra.append(it.why)
        box = "[ ] " if it.matched else ""
        total += it.matched
        tail = f" ({_md('; '.join(extra))})" if extra else ""
        out.append(f"{'  ' * depth}- {box}{_md(t.id)}. {_md(text)}{tail}")
        total += _md_items(it.children, depth + 1, full_text, out, lang)
    return total


def render_markdown(docs: list[ChecklistDoc], full_text: bool = False, lang: str = "vi") -> str:
    """A checklist per document: ``- [ ] 1. … (actors; hạn …; hằng năm)``; subtasks indented under their
    item; a parent kept only as context has no checkbox. `lang` "en" writes the frame in English (the
    document's own words stay as printed)."""
    lang = check_lang(lang)
    out: list[str] = []
    total = 0
    for doc in docs:
        if not doc.items:
            continue
        d = doc.dispatch
        head = _doc_label(d, lang)
        if _issuer(d):
            head += f" — {_issuer(d)}"
        if d.date:
            head += f", {d.date}"
        out += [f"## {_md(head)}", ""]
        if d.subject:
            out += [_md(label("subject", lang, subject=_squash(d.subject))), ""]
        total += _md_items(doc.items, 0, full_text, out, lang)
        out += ["", f"<sub>{_md(d.source.path)} · sha256 {d.source.sha256[:12]}</sub>", ""]
    if not total:
        return label("no_tasks", lang) + "\n"
    return "\n".join(out).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- CSV

def _cell(value: object) -> str:
    from ..outputs import csv_cell  # the one formula rule of every congvan CSV

    return csv_cell("" if value is None else _squash(str(value)))


def csv_rows(docs: list[ChecklistDoc]) -> list[dict[str, str]]:
    rows = []
    for doc in docs:
        d = doc.dispatch
        for it in doc.flat():
            t = it.task
            rows.append({
                "file": d.source.path, "number": _number(d), "issuer": _issuer(d), "issue_date": d.date or "",
                "task_id": t.id, "parent_id": it.parent_id or "", "text": re.sub(r"^[-+•]\s+", "", _squash(t.text)),
                "actors": "; ".join(it.actors), "cooperating": "; ".join(t.cooperating),
                "deadline_text": t.deadline.text if t.deadline else "",
                "deadline_date": (t.deadline.date or "") if t.deadline else "",
                "recurrence": t.recurrence or "", "rrule": t.rrule or "",
                "due": it.due.isoformat() if it.due else "", "kind": t.kind, "report_to": t.report_to or "",
                "sha256": d.source.sha256, "why": it.why or "", "deliverable": t.deliverable or "",
            })
    return rows


def render_csv(docs: list[ChecklistDoc], bom: bool = False) -> str:
    """One row per task and subtask, UTF-8 (with a byte-order mark when `bom`, for Excel), CRLF line ends,
    every field on one line, cells that a spreadsheet would take for a formula prefixed with '."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    w.writeheader()
    for row in csv_rows(docs):
        w.writerow({k: _cell(v) for k, v in row.items()})
    return ("\ufeff" if bom else "") + buf.getvalue()


# --------------------------------------------------------------------------- JSON


def _item_dict(it: ChecklistItem) -> dict:
    t = it.task
    data = asdict(t)
    data.pop("subtasks", None)
    data["actors"] = list(it.actors)
    data["actors_from"] = it.actors_from
    data["due"] = it.due.isoformat() if it.due else None
    data["due_computed"] = it.due_computed
    if not it.matched:
        data["matched"] = False
    if it.why:
        data["why"] = it.why
    data["subtasks"] = [_item_dict(c) for c in it.children]
    return data


def render_json(docs: list[ChecklistDoc]) -> str:
    """A list with one object per document: its identity and its (selected) task tree."""
    payload = []
    for doc in docs:
        d = doc.dispatch
        if not doc.items:
            continue
        payload.append({
            "file": d.source.path, "sha256": d.source.sha256, "number": _number(d) or None,
            "doc_type": d.doc_type.name if d.doc_type else None, "issuer": _issuer(d) or None, "date": d.date,
            "subject": d.subject, "recipients": list(d.recipients), "tasks": [_item_dict(it) for it in doc.items],
        })
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


# --------------------------------------------------------------------------- iCalendar


def task_uid(dispatch: Dispatch, task_id: str) -> str:
    """Stable per document content and task id: re-importing an updated export updates the same VTODO."""
    sha = dispatch.source.sha256 or hashlib.sha256(dispatch.source.path.encode("utf-8")).hexdigest()
    safe = re.sub(r"[^0-9A-Za-z.\-]+", "_", task_id) or "task"
    return f"{sha[:20]}-{safe}@congvan"


def _uids(doc: ChecklistDoc) -> tuple[dict[int, str], dict[int, ChecklistItem]]:
    """UID of every item (by id()), a suffix added when a task id repeats, and each subtask's parent."""
    uids: dict[int, str] = {}
    parents: dict[int, ChecklistItem] = {}
    seen: dict[str, int] = {}
    stack: list[tuple[ChecklistItem, ChecklistItem | None]] = [(it, None) for it in reversed(doc.items)]
    while stack:
        it, parent = stack.pop()
        base = task_uid(doc.dispatch, it.task.id)
        n = seen.get(base, 0)
        seen[base] = n + 1
        uids[id(it)] = base if n == 0 else base.replace("@", f"-{n + 1}@")
        if parent is not None:
            parents[id(it)] = parent
        stack.extend((c, it) for c in reversed(it.children))
    return uids, parents


def _description(d: Dispatch, it: ChecklistItem, lang: str = "vi") -> str:
    t = it.task
    lines = [re.sub(r"^[-+•]\s+", "", _squash(t.text)), ""]
    if it.actors:
        lines.append(label("ics_lead", lang, units="; ".join(it.actors))
                     + (" " + label("from_recipients", lang) if it.actors_from == "recipients" else ""))
    if t.cooperating:
        lines.append(label("ics_cooperating", lang, units="; ".join(t.cooperating)))
    if t.report_to:
        lines.append(label("ics_report_to", lang, to=t.report_to))
    if t.deadline:
        lines.append(label("ics_deadline", lang, text=t.deadline.text)
                     + (f" ({t.deadline.date})" if t.deadline.date else ""))
    if it.due is None:
        # a calendar cannot place it: say so where the officer will read it
        lines.append(label("ics_no_deadline", lang))
    if it.why:
        lines.append(label("ics_why", lang, why=it.why))
    if t.recurrence:
        lines.append(label("ics_repeats", lang, label=_recurrence_name(t.recurrence, lang))
                     + (label("ics_period_end", lang) if it.due_computed else ""))
    lines.append(label("ics_source", lang, source=_source_line(d, t.id, lang)))
    lines.append(label("ics_file", lang, path=d.source.path, sha=d.source.sha256[:12]))
    return "\n".join(lines)


def render_ics(docs: list[ChecklistDoc], now: dt.datetime | None = None, lang: str = "vi") -> bytes:
    """An iCalendar (RFC 5545) file: one VTODO per task and subtask, with SUMMARY, DESCRIPTION (the text, who,
    when, and the source document and item), DUE as a date, and RRULE (anchored by DTSTART = DUE) for
    recurring tasks. Subtasks point to their parent with RELATED-TO."""
    from icalendar import Calendar, Todo, vRecur

    lang = check_lang(lang)
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", f"-//congvan//tasks//{lang.upper()}")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", label("ics_calendar", lang))
    for doc in docs:
        d = doc.dispatch
        uids, parents = _uids(doc)
        for it in doc.flat():
            t = it.task
            todo = Todo()
            todo.add("uid", uids[id(it)])
            todo.add("dtstamp", stamp)
            num = _number(d)
            todo.add("summary", (f"[{num}] " if num else "") + f"{t.id}. {summary(t.text, 120)}")
            todo.add("description", _description(d, it, lang))
            if it.due:
                todo.add("due", it.due)
            rule = calendar_rrule(t, it.due, it.due_computed)
            if rule:
                todo.add("dtstart", it.due)
                todo.add("rrule", vRecur.from_ical(rule))
            todo.add("status", "NEEDS-ACTION")
            if it.actors:
                todo.add("categories", [_squash(a) for a in it.actors])
            parent = parents.get(id(it))
            if parent is not None:
                todo.add("related-to", uids[id(parent)], parameters={"RELTYPE": "PARENT"})
            cal.add_component(todo)
    return cal.to_ical()


FORMATS = ("md", "csv", "json", "ics")


def render(docs: list[ChecklistDoc], fmt: str, bom: bool = False, full_text: bool = False,
           now: dt.datetime | None = None, lang: str = "vi") -> bytes:
    """Any format as UTF-8 bytes; `lang` ("vi", the default, or "en") is the language of the labels (CSV and
    JSON keep their machine column names and codes in both; the ``why`` text follows :func:`select`'s `lang`)."""
    lang = check_lang(lang)
    if fmt == "md":
        return render_markdown(docs, full_text=full_text, lang=lang).encode("utf-8")
    if fmt == "csv":
        return render_csv(docs, bom=bom).encode("utf-8")
    if fmt == "json":
        return render_json(docs).encode("utf-8")
    if fmt == "ics":
        return render_ics(docs, now=now, lang=lang)
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
