"""Imported once by the forkserver of the local engine: builds the spaCy pipeline there, so every worker
process forks with it ready (copy-on-write) instead of building its own."""

try:
    from ..extract import get_nlp

    get_nlp()
except Exception:  # noqa: BLE001 - a broken extractor shows up per file, in the errors table
    pass
