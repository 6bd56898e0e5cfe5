"""Imported once by the forkserver of the local engine: builds the spaCy pipeline there, so every worker
process forks with it ready (copy-on-write) instead of building its own, and ties the forkserver's life to the
main process (it dies with it; the workers die with the forkserver, see engines.die_with_parent)."""

from .engines import die_with_parent

die_with_parent()

try:
    from ..extract import get_nlp

    get_nlp()
except Exception:  # noqa: BLE001 - a broken extractor shows up per file, in the errors table
    pass
