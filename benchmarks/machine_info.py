"""What machine a benchmark ran on, printed beside its figures (shared by the benchmark scripts)."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def basic() -> dict:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {"cpu": cpu_model(), "cores": cores, "python": platform.python_version(), "load_avg_1m": load}


def print_figures(figures: dict, json_path: Path | None = None) -> None:
    """A benchmark's figures: one aligned line each, then one JSON line (and the JSON file when asked)."""
    import json

    width = max(len(k) for k in figures)
    for k, v in figures.items():
        print(f"{k:<{width}}  {v}")
    print(json.dumps(figures, ensure_ascii=False))
    if json_path:
        json_path.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
