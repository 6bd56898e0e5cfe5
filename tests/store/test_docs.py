"""docs/archive.md documents every archive command and option (sqlite-utils' test_docs idea)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from pipeline.cli import app

DOC = Path(__file__).resolve().parents[2] / "docs" / "archive.md"


@pytest.mark.parametrize("command", ["index", "search", "stats", "errors", "export"])
def test_every_option_is_documented(command):
    text = DOC.read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    cmd = group.commands[command]
    assert f"congvan {command}" in text
    checked = 0
    for param in cmd.params:
        if param.param_type_name != "option":
            continue
        checked += 1
        names = [o for o in param.opts + param.secondary_opts if o.startswith("--") and o != "--help"]
        assert any(re.search(re.escape(n) + r"(?![\w-])", text) for n in names), f"{command} {names} undocumented"
    assert checked >= 2
