"""Shared fixtures: where the read-only shared corpus lives (../shared beside the repo, as in CI)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CONGVAN_SHARED", REPO.parent / "shared"))
CORPORA = REPO / "corpora"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def seed_path(shared) -> Path:
    return shared / "corpus" / "seed" / "1244-LDLD.txt"


@pytest.fixture(scope="session")
def dev_dir(shared) -> Path:
    return shared / "corpus" / "dev"
