"""The package's imports run one way (issue "house in order"): core ← read ← extract ← run ← store ← link /
checklist ← web ← cli, and no module imports another that (directly or not) imports it back. Every import
counts, the ones inside functions too: a hidden import is still a dependency."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PKG = Path(__file__).resolve().parents[1] / "pipeline"

# the layer of each top-level module or subpackage of pipeline/ (a higher layer may import a lower one)
LAYERS = {
    "_version": 0, "models": 0, "errors": 0, "normalize": 0, "lexicons": 0, "paths": 0, "schema": 0, "outputs": 0,
    "read": 1,
    "extract": 2,
    "eval": 3, "snippets": 3,
    "run": 4, "": 4,  # "" is the package root, the public API (extract(), read(), find_references())
    "store": 5,
    "link": 6, "checklist": 6,
    "web": 7,
    "cli": 8,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _exists(module: str) -> bool:
    rel = Path(*module.split("."))
    return (PKG.parent / rel).with_suffix(".py").is_file() or (PKG.parent / rel / "__init__.py").is_file()


def import_graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for path in PKG.rglob("*.py"):
        src = _module_name(path)
        g.add_node(src)
        package = src if path.name == "__init__.py" else src.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    mod = ".".join(base + ([node.module] if node.module else []))
                else:
                    mod = node.module or ""
                # "from . import header" names a module; "from .models import Dispatch" a name in one
                targets = [f"{mod}.{a.name}" if _exists(f"{mod}.{a.name}") else mod for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for t in targets:
                if t.split(".")[0] == "pipeline" and t != src:
                    g.add_edge(src, t)
    return g


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS[parts[1] if len(parts) > 1 else ""]


def test_every_module_has_a_layer():
    assert not [m for m in import_graph() if (m.split(".") + [""])[1] not in LAYERS]


def test_no_upward_import():
    g = import_graph()
    upward = sorted(f"{a} -> {b}" for a, b in g.edges if layer(a) < layer(b))
    assert not upward, "imports against the layers:\n" + "\n".join(upward)


def test_no_import_cycle():
    g = import_graph()
    # a package's __init__ re-exporting its own modules is not a cycle between stages; modules importing each
    # other (directly or through others) are
    own = [(a, b) for a, b in g.edges if b.startswith(a + ".")]
    g.remove_edges_from(own)
    cycles = list(nx.simple_cycles(g))
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c + [c[0]]) for c in cycles[:10])
