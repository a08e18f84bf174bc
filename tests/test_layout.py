"""The tree's layers, checked on the import graph of the source (no import is executed).

ingest → index → search → HTTP: shared text processing (``analysis``) and domain
knowledge (``knowledge``) import neither side; the search core never reaches into the
ingest pipeline; engines need nothing of the search core but the plan language; the web
page and the JSON API share parameters and view models, not each other's modules; the
Elasticsearch engine needs no tantivy; and no module imports itself back.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("analysis", "knowledge", "ingest", "search_api")


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports (``from a.b import c`` gives a.b and a.b.c)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    return {name: {m for m in _imports(path) if m in modules} for name, path in modules.items()}


GRAPH = _graph()


def _importers(prefix: str, imported: str) -> list[str]:
    return sorted(
        f"{m} → {t}"
        for m, targets in GRAPH.items()
        if m == prefix or m.startswith(prefix + ".")
        for t in targets
        if t == imported or t.startswith(imported + ".")
    )


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("analysis", "knowledge"),
        ("analysis", "ingest"),
        ("analysis", "search_api"),
        ("knowledge", "ingest"),
        ("knowledge", "search_api"),
        ("ingest", "search_api"),
        ("search_api.index", "search_api.search"),
        ("search_api.index", "search_api.http"),
        ("search_api.search", "search_api.http"),
        ("search_api.http.page", "search_api.http.api"),
        ("search_api.http.api", "search_api.http.page"),
        ("search_api.index.elasticsearch", "search_api.index.tantivy"),
        ("search_api.index.tantivy", "search_api.index.elasticsearch"),
    ],
)
def test_a_layer_does_not_import_another(importer: str, imported: str) -> None:
    assert _importers(importer, imported) == []


def test_the_search_core_uses_only_the_record_model_of_ingest() -> None:
    reaching = [edge for edge in _importers("search_api.search", "ingest") if not edge.endswith("→ ingest.model")]
    assert reaching == []


def test_the_elasticsearch_engine_does_not_need_tantivy() -> None:
    for path in (ROOT / "search_api" / "index" / "elasticsearch").rglob("*.py"):
        assert not {m for m in _imports(path) if m.split(".")[0] == "tantivy"}, path
    for path in (ROOT / "analysis").rglob("*.py"):
        assert not {m for m in _imports(path) if m.split(".")[0] == "tantivy"}, path


def test_no_import_cycle() -> None:
    # Only top-level imports count: a deferred import inside a function cannot cycle at
    # import time, but every edge is kept here, so deferred imports may not cycle either.
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        stack.append(module)
        for target in sorted(GRAPH.get(module, ())):
            # "from pkg import sub" names pkg too; a package importing its own
            # submodule is how packages re-export, not a cycle.
            if target == module or module.startswith(target + "."):
                continue
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[module] = 2
        return None

    for module in sorted(GRAPH):
        if module not in state and (cycle := visit(module)):
            pytest.fail(" → ".join(cycle))
