"""A suppressed pack as JSON and back, exactly: the same tables, cell for cell.

Only what the tables publish is kept (figures, units, the suppressed flags, the
lines, identities and bases the suppression worked over, titles and notes): aggregates,
never a name or a person's id. A figure that is not a finite number (no JSON
for it) is kept as its text and read back as the same float.
"""

from __future__ import annotations

import math
from typing import Any

from .measures.assemble import Pack
from .measures.tables import Cell, Table

NON_FINITE = ("nan", "inf", "-inf")


def pack_to_json(pack: Pack) -> dict[str, Any]:
    return {"title": pack.title, "period": pack.period, "caveat": pack.caveat,
            "method": list(pack.method), "tables": [_table(t) for t in pack.tables]}


def pack_from_json(data: dict[str, Any]) -> Pack:
    return Pack(title=data["title"], period=data["period"], caveat=data["caveat"],
                method=tuple(data["method"]),
                tables=tuple(_table_back(t) for t in data["tables"]))


def _table(table: Table) -> dict[str, Any]:
    return {"key": table.key, "title": table.title, "columns": list(table.columns),
            "period": table.period, "notes": list(table.notes),
            "headings": list(table.headings),
            "lines": [[list(cell) for cell in line] for line in table.lines],
            "identities": [[list(term) for term in identity] for identity in table.identities],
            "rows": [[group, {c: _cell(cell) for c, cell in cells.items()}]
                     for group, cells in table.rows]}


def _table_back(data: dict[str, Any]) -> Table:
    return Table(key=data["key"], title=data["title"], columns=tuple(data["columns"]),
                 period=data["period"], notes=tuple(data["notes"]),
                 headings=tuple(data["headings"]),
                 lines=tuple(tuple((r, c) for r, c in line) for line in data["lines"]),
                 identities=tuple(tuple((r, c, int(k)) for r, c, k in identity)
                                  for identity in data.get("identities", ())),
                 rows=tuple((group, {c: _cell_back(v) for c, v in cells.items()})
                            for group, cells in data["rows"]))


def _cell(cell: Cell) -> list[Any]:
    value: Any = cell.value
    if isinstance(value, float) and not math.isfinite(value):
        value = str(value)
    base = list(cell.base) if isinstance(cell.base, tuple) else cell.base
    return [value, cell.unit, base, cell.suppressed]


def _cell_back(data: list[Any]) -> Cell:
    value, unit, base, suppressed = data
    if isinstance(value, str) and value in NON_FINITE:
        value = float(value)
    return Cell(value, unit, tuple(base) if isinstance(base, list) else base, suppressed)
