"""The apps import one way (docs/architecture.md, "Which app imports which"), and no
module imports itself back through others.

The direction is the layers contract in ``.importlinter``, checked by import-linter;
the circles are found with grimp, the graph import-linter builds on.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def _ours(module: str) -> bool:
    return ".tests" not in module and ".migrations" not in module


def test_the_apps_import_only_the_apps_below_them() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(  # noqa: S603 - our own tool from the virtual environment
        [str(lint), "--no-cache", "--config", str(ROOT / ".importlinter")],
        check=False, cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Each circle once: a module that imports a module which leads back to it."""
    found: list[list[str]] = []
    seen: set[frozenset[str]] = set()
    for module in sorted(m for m in graph.modules if _ours(m)):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if not _ours(imported):
                continue
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back and frozenset(back) not in seen:
                seen.add(frozenset(back))
                found.append([module, *back])
    return found


def test_no_module_imports_itself_back() -> None:
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph("iom", include_external_packages=False, cache_dir=None)
    assert circles(graph) == []


def test_a_circle_is_found() -> None:
    """The check can fail: a graph with one circle in it gives that circle."""
    graph = grimp.ImportGraph()
    for module in ("iom", "iom.a", "iom.b", "iom.c"):
        graph.add_module(module)
    graph.add_import(importer="iom.a", imported="iom.b")
    graph.add_import(importer="iom.b", imported="iom.c")
    graph.add_import(importer="iom.c", imported="iom.a")
    assert circles(graph) == [["iom.a", "iom.b", "iom.c", "iom.a"]]


# Tests share test data only through factories -----------------------------------

SHARED = ("factories",)  # the one module of an app's tests that others may import


def _app_of(path: Path) -> str | None:
    """The app a file belongs to (``iom/<app>/...``), or None for the top-level tests,
    the benchmarks and the root conftest."""
    parts = path.relative_to(ROOT).parts
    return parts[1] if len(parts) > 2 and parts[0] == "iom" else None


def crossings(path: Path, source: str) -> list[str]:
    """Imports in ``source`` (the file at ``path``) of another app's test modules other
    than its factories."""
    import ast

    found = []
    here = _app_of(path)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if len(parts) >= 4 and parts[0] == "iom" and parts[2] == "tests" \
                    and parts[1] != here and parts[3] not in SHARED:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    return found


def test_no_test_imports_another_apps_test_modules() -> None:
    files = [*ROOT.glob("iom/*/tests/**/*.py"), *ROOT.glob("tests/**/*.py"),
             *ROOT.glob("bench/**/*.py"), ROOT / "conftest.py"]
    found = [hit for path in sorted(files)
             for hit in crossings(path, path.read_text(encoding="utf-8"))]
    assert found == []


def test_a_crossing_is_found() -> None:
    """The check can fail: another app's test module is found, its factories are not."""
    path = ROOT / "iom" / "feeds" / "tests" / "test_example.py"
    source = ("from iom.casework.tests.test_documents import pdf_text\n"
              "from iom.cohorts.tests.factories import case_on_cohort\n"
              "from iom.feeds.tests.conftest import something\n")
    assert crossings(path, source) == [
        "iom/feeds/tests/test_example.py:1 imports iom.casework.tests.test_documents"]
