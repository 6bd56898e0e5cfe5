"""Every command of the CLI is documented in the README or a docs/ page (as sqlite-utils does for its own docs)."""

from pathlib import Path

import typer.main

from pipeline.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = README + "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))


def _commands(group, prefix="congvan"):
    for name, cmd in group.commands.items():
        full = f"{prefix} {name}"
        sub = getattr(cmd, "commands", None)
        if sub:
            yield from _commands(cmd, full)
        else:
            yield full


def test_every_command_is_in_the_readme():
    click_app = typer.main.get_command(app)
    missing = [c for c in _commands(click_app) if c not in DOCS]
    assert not missing, f"not documented in README.md or docs/: {missing}"


def test_readme_set_up_commands_match_ci():
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    test_cmd = "bash scripts/install.sh && python3 -m pytest -q"
    assert test_cmd in README and test_cmd in ci
