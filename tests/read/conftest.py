"""Shared fixtures for the read-stage tests: where the development corpus lives (``../shared`` beside the
repository, or ``$CONGVAN_SHARED``); tests that need it are skipped when it is missing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def shared_dir() -> Path:
    return Path(os.environ.get("CONGVAN_SHARED", REPO.parent / "shared"))


DEV = shared_dir() / "corpus" / "dev"
SEED = shared_dir() / "corpus" / "seed"


def dev_files(suffix: str) -> list[Path]:
    folder = DEV / "files"
    return sorted(folder.glob(f"*{suffix}")) if folder.is_dir() else []


def reference_text(path: Path) -> str:
    """The corpus' reference extraction (docs/<id>.txt) of a dev file."""
    return (DEV / "docs" / (path.stem + ".txt")).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def dev_corpus() -> Path:
    if not (DEV / "files").is_dir():
        pytest.skip("development corpus (../shared/corpus/dev) not found")
    return DEV
