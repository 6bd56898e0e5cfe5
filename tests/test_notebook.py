"""The analyst walkthrough notebook runs top to bottom (nbclient) against a freshly indexed archive."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "analyst_walkthrough.ipynb"


def test_analyst_walkthrough_runs():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    os.environ["CONGVAN_ROOT"] = str(ROOT)
    os.environ["PYTHONPATH"] = str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")
    client = nbclient.NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2  # lag chart and cascade tree, inline
    text = "".join(o.get("text", "") for o in outputs) + "".join(str(o.get("data", {}).get("text/plain", ""))
                                                                    for o in outputs)
    assert "1856/TLĐ-TG" in text and "nodes" in text
