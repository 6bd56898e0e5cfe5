"""The record contract: the bundled JSON schema and validation against it."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    """The JSON schema of a record (a copy of shared/schema/dispatch.schema.json shipped with the package)."""
    return json.loads(resources.files("pipeline").joinpath("schemas/dispatch.schema.json").read_text("utf-8"))


def validate(record: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when a record breaks the contract."""
    import jsonschema

    jsonschema.Draft202012Validator(load_schema(), format_checker=jsonschema.FormatChecker()).validate(record)
