"""Task checklists: who does what by when, rendered from extracted records (the library side of ``congvan tasks``).

- :mod:`.render` selects tasks (``--for`` a unit, a due window) and writes Markdown, CSV, JSON and iCalendar;
- :mod:`.actors` matches a unit against a task's actors (names, kinds of units, families, "everyone").
"""

from __future__ import annotations

from .actors import REASONS, Reach, actor_key, actor_matches, match_reason, reaches, task_matches
from .render import (
    CSV_COLUMNS,
    FORMATS,
    ChecklistDoc,
    ChecklistItem,
    calendar_rrule,
    csv_rows,
    first_due,
    named_units,
    render,
    render_csv,
    render_ics,
    render_json,
    render_markdown,
    select,
    summary,
    task_uid,
    why_matched,
)

__all__ = [
    "CSV_COLUMNS", "FORMATS", "REASONS", "ChecklistDoc", "ChecklistItem", "Reach", "actor_key", "actor_matches",
    "calendar_rrule", "csv_rows", "first_due", "match_reason", "named_units", "reaches", "render", "render_csv",
    "render_ics", "render_json", "render_markdown", "select", "summary", "task_matches", "task_uid", "why_matched",
]
