"""The package version (one place: the root package and the archive's run rows read it)."""

__version__ = "0.1.0"
