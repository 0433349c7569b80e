"""Imports point one way: no module of the project imports a module that imports it back,
directly or through others, imports inside functions included (only ``TYPE_CHECKING`` blocks,
which never run, are left out). Read from the source with the standard library's ``ast``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("contract", "pages", "harness", "mockportal", "certs", "fixtures")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports (a ``from package import name`` counts as the
    submodule when ``name`` is one, else as the package)."""
    files = {module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        never_run = {
            id(sub)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for sub in ast.walk(node)
        }
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(tree):
            if id(node) in never_run:
                continue
            imported: list[str] = []
            if isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                submodules = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in graph]
                imported = submodules or [base]
            graph[name].update(module for module in imported if module in graph and module != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle a depth-first walk meets, each as the modules in order, the first repeated."""
    found: list[list[str]] = []
    seen: set[str] = set()

    def walk(module: str, path: list[str]) -> None:
        seen.add(module)
        path.append(module)
        for imported in sorted(graph[module]):
            if imported in path:
                found.append(path[path.index(imported) :] + [imported])
            elif imported not in seen:
                walk(imported, path)
        path.pop()

    for module in sorted(graph):
        if module not in seen:
            walk(module, [])
    return found


def test_the_graph_sees_imports_inside_functions() -> None:
    graph = import_graph()
    assert "pages.screens" in graph["pages.flows"]  # a plain top-level import
    assert "mockportal.defects" in graph["harness.plugin"]  # imported inside a hook


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycle(package: str) -> None:
    touching = [cycle for cycle in cycles(import_graph()) if any(m.split(".")[0] == package for m in cycle)]
    assert not touching, "imports that run in circles: " + "; ".join(" -> ".join(c) for c in touching)


def test_a_cycle_is_found_when_there_is_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c", "a"]]
