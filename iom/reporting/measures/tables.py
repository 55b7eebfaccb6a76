"""The tables of the impact pack: cells with units, and suppression applied once.

Every output (the pages, the API, the CSV, the PDF) reads these same tables
after ``suppressed_table``, so the same numbers, and the same ``[c]``, appear
everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .suppression import secondary, suppress

UNITS = ("count", "rate", "percent", "mean", "score")


@dataclass(frozen=True)
class Cell:
    value: float | int | None
    unit: str = "count"
    # For a rate, percentage, mean or score: the count it was worked out from, as a
    # number or as the (row, column) of a count cell of the same table. For a count of
    # events (offences, arrests): the count of the people they are about.
    base: int | tuple[str, str] | None = None
    suppressed: bool = False

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r}")


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, dict[str, Cell]], ...]
    period: str = ""
    notes: tuple[str, ...] = ()
    # Lines of (row, column) count cells whose last is the total of the others.
    lines: tuple[tuple[tuple[str, str], ...], ...] = field(default=())
    headings: tuple[str, ...] = ()  # a heading for each column, in order

    def heading(self, column: str) -> str:
        if self.headings:
            return self.headings[self.columns.index(column)]
        return column

    def cell(self, row: str, column: str) -> Cell:
        return dict(self.rows)[row].get(column, Cell(None))


Line = tuple[tuple[str, str], ...]


def column_lines(rows: list[str], total: str, columns: list[str]) -> list[Line]:
    """For each column: the group rows, then the total row."""
    return [tuple((r, c) for r in [*rows, total]) for c in columns]


def row_lines(rows: list[str], parts: list[str], total: str) -> list[Line]:
    """For each row: the part columns, then the total column."""
    return [tuple((r, c) for c in [*parts, total]) for r in rows]


def suppressed_table(table: Table, threshold: int) -> Table:
    counts = {(r, c): _int(cell.value) for r, cells in table.rows for c, cell in cells.items()
              if cell.unit == "count"}
    hidden = suppress(counts, table.lines, threshold)
    # A count about a suppressed group (offences of a handful of people) goes too, and
    # the lines are made safe again, until nothing more changes.
    while True:
        about_hidden = {(r, c) for r, cells in table.rows for c, cell in cells.items()
                        if cell.unit == "count" and (r, c) not in hidden
                        and _derived_hidden(cell, hidden, counts, threshold)}
        if not about_hidden:
            break
        hidden = secondary(counts, table.lines, hidden | about_hidden)
    rows = []
    for r, cells in table.rows:
        out = {}
        for c, cell in cells.items():
            hide = (r, c) in hidden if cell.unit == "count" else _derived_hidden(
                cell, hidden, counts, threshold)
            out[c] = replace(cell, value=None, suppressed=True) if hide else cell
        rows.append((r, out))
    return replace(table, rows=tuple(rows))


def _derived_hidden(cell: Cell, hidden: set[tuple[str, str]],
                    counts: dict[tuple[str, str], int | None], threshold: int) -> bool:
    base = cell.base
    if isinstance(base, tuple):
        return base in hidden or 0 < (counts.get(base) or 0) < threshold
    return base is not None and 0 < base < threshold


def _int(value: float | int | None) -> int | None:
    return None if value is None else int(value)
