"""The ``congvan`` command line: a thin Typer + rich layer over the library API.

Each command group lives in its own module and registers itself on ``app``. Heavy libraries
(spaCy, underthesea, pdf readers) are imported inside commands so ``congvan --help`` is fast.
Exit codes: 0 all good, 1 some files failed, 2 usage error.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="congvan",
    help="Read Vietnamese administrative documents into structured records, task lists and a citation graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command modules register on import (keep one line per module).
from . import extract_cmds  # noqa: E402,F401,I001
from . import tasks_cmd  # noqa: E402,F401
from . import archive_cmds  # noqa: E402,F401
from . import graph_cmds  # noqa: E402,F401
from . import cite_cmd  # noqa: E402,F401
from . import web_cmd  # noqa: E402,F401
