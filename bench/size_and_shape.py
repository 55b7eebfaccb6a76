"""The size and shape of the code, for "Size and shape" in docs/architecture.md.

    .venv/bin/python bench/size_and_shape.py              # this checkout
    .venv/bin/python bench/size_and_shape.py --root DIR   # another tree, e.g. an archive

1. Lines of Python per app (``iom/<app>/``), source and tests apart: a file under a
   ``tests/`` folder, or named ``test_*.py``, is a test; a file under ``migrations/``
   is counted apart as migrations; every other file is source. Lines are physical
   lines (as ``wc -l``), blank lines and comments included. The top-level ``tests/``
   and ``bench/`` are listed as their own rows.
2. The largest file of source (migrations left out) and the largest of any kind.
3. The import circles among our modules (tests and migrations left out), found by
   the same walk ``tests/test_import_direction.py`` fails on (``circles``).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


@dataclass
class AppSize:
    source: int = 0
    tests: int = 0
    migrations: int = 0
    files: int = 0


@dataclass
class Shape:
    apps: dict[str, AppSize] = field(default_factory=dict)
    largest_source: tuple[str, int] = ("", 0)
    largest_any: tuple[str, int] = ("", 0)
    circles: list[list[str]] = field(default_factory=list)


def _lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def _place(root: Path, path: Path) -> tuple[str, str]:
    """The row a file is counted in and whether it is source, tests or migrations."""
    parts = path.relative_to(root).parts
    row = parts[1] if parts[0] == "iom" and len(parts) > 2 else parts[0]
    kind = ("tests" if "tests" in parts[:-1] or parts[0] == "tests"
            or parts[-1].startswith("test_") else
            "migrations" if "migrations" in parts[:-1] else "source")
    return row, kind


def measure(root: Path, *, with_circles: bool = True) -> Shape:
    shape = Shape()
    files = [*root.glob("iom/**/*.py"), *root.glob("tests/**/*.py"),
             *root.glob("bench/**/*.py")]
    for path in sorted(files):
        row, kind = _place(root, path)
        count = _lines(path)
        size = shape.apps.setdefault(row, AppSize())
        setattr(size, kind, getattr(size, kind) + count)
        size.files += 1
        name = str(path.relative_to(root))
        if count > shape.largest_any[1]:
            shape.largest_any = (name, count)
        if kind == "source" and count > shape.largest_source[1]:
            shape.largest_source = (name, count)
    if with_circles:
        shape.circles = _circles(root)
    return shape


def _circles(root: Path) -> list[list[str]]:
    import grimp

    saved = list(sys.path)
    try:
        sys.path.insert(0, str(HERE))
        from tests.test_import_direction import circles

        # Run as a script, nothing has imported ``iom`` yet, so grimp finds the one in
        # ``root``; in a process that has (a test), it is this checkout's.
        sys.path.insert(0, str(root))
        graph = grimp.build_graph("iom", include_external_packages=False, cache_dir=None)
        return circles(graph)
    finally:
        sys.path[:] = saved


def report(shape: Shape) -> str:
    rows = ["| app | source | tests | migrations | files |", "|---|---:|---:|---:|---:|"]
    total = AppSize()
    for name, size in sorted(shape.apps.items(), key=lambda item: -item[1].source):
        if not (size.source or size.tests or size.migrations):
            continue  # iom/__init__.py, empty
        rows.append(f"| {name} | {size.source:,} | {size.tests:,} | {size.migrations:,} | "
                    f"{size.files} |")
        for kind in ("source", "tests", "migrations", "files"):
            setattr(total, kind, getattr(total, kind) + getattr(size, kind))
    rows.append(f"| all | {total.source:,} | {total.tests:,} | {total.migrations:,} | "
                f"{total.files} |")
    rows.append("")
    rows.append(f"Largest source file: {shape.largest_source[0]} "
                f"({shape.largest_source[1]:,} lines); largest file of any kind: "
                f"{shape.largest_any[0]} ({shape.largest_any[1]:,} lines).")
    rows.append(f"Import circles: {len(shape.circles)}"
                + "".join(f"\n  {' -> '.join(c)}" for c in shape.circles))
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> Shape:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=HERE, help="the tree to measure")
    parser.add_argument("--json", action="store_true", help="the figures as JSON")
    args = parser.parse_args(argv)
    shape = measure(args.root.resolve())
    if args.json:
        print(json.dumps({"apps": {k: vars(v) for k, v in shape.apps.items()},
                          "largest_source": shape.largest_source,
                          "largest_any": shape.largest_any, "circles": shape.circles}))
    else:
        print(report(shape))
    return shape


if __name__ == "__main__":
    main()
