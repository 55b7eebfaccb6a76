"""The tables of the impact pack: cells with units, and suppression applied once.

Every output (the pages, the API, the CSV, the PDF) reads these same tables
after ``suppressed_table``, so the same numbers, and the same ``[c]``, appear
everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .suppression import as_equation, primary, protect

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
    # Equations of (row, column, coefficient) adding up to zero, for the identities that
    # are not a total (docs/reporting.md, "Small numbers").
    identities: tuple[tuple[tuple[str, str, int], ...], ...] = field(default=())
    # An unpublished table holds figures the pack never shows but an onlooker could work
    # out from two that it does; the suppression keeps the small ones unknown, and the
    # pack leaves the table out.
    published: bool = True

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


# A cell of a pack: (table key, row, column).
PackCell = tuple[str, str, str]


def suppressed_table(table: Table, threshold: int) -> Table:
    return suppressed_pack([table], (), threshold)[0]


def suppressed_pack(tables: Sequence[Table], links: Sequence[Sequence[PackCell]],
                    threshold: int, *,
                    identities: Sequence[Sequence[tuple[PackCell, int]]] = ()) -> list[Table]:
    """Suppression over every table of a pack at once (docs/reporting.md, "Small numbers").

    ``links`` are lines across tables, as a table's own lines are within it: count cells
    whose last is the total of the others, so that two cells holding the same figure in
    two tables are a line of two (one suppressed takes the other with it), and a total
    split one way in one table and another way in another is a line too. ``identities``
    are equations across tables with coefficients of their own. Every table's lines and
    identities and every link are made safe together, until nothing more changes. The
    cells of an unpublished table are unknown to any reader; only the published tables
    come back.
    """
    cells = {(t.key, r, c): cell for t in tables for r, row in t.rows for c, cell in row.items()}
    counts = {k: _int(cell.value) for k, cell in cells.items() if cell.unit == "count"}
    unpublished = {(t.key, r, c) for t in tables if not t.published for r, row in t.rows
                   for c, cell in row.items() if cell.unit == "count"}
    equations = [as_equation(tuple((t.key, r, c) for r, c in line))
                 for t in tables for line in t.lines]
    equations += [tuple(((t.key, r, c), k) for r, c, k in identity)
                  for t in tables for identity in t.identities]
    equations += [as_equation(tuple(link)) for link in links]
    equations += [tuple(identity) for identity in identities]
    # declared only between count cells the pack has (the builders name no other)
    equations = [eq for eq in equations if all(k in counts for k, _ in eq)]

    def protected(hidden: set[PackCell]) -> set[PackCell]:
        return protect(counts, equations, hidden, threshold=threshold,
                       unpublished=unpublished)

    hidden = protected(primary(counts, threshold) - unpublished)
    # A count about a suppressed group (offences of a handful of people) goes too, and
    # the equations are made safe again, until nothing more changes.
    while True:
        about_hidden = {k for k, cell in cells.items() if cell.unit == "count"
                        and k not in hidden and k not in unpublished
                        and _derived_hidden(k[0], cell, hidden, counts, threshold)}
        if not about_hidden:
            break
        hidden = protected(hidden | about_hidden)
    return [_hide(t, hidden, counts, threshold) for t in tables if t.published]


def _hide(table: Table, hidden: set[PackCell], counts: dict[PackCell, int | None],
          threshold: int) -> Table:
    rows = []
    for r, cells in table.rows:
        out = {}
        for c, cell in cells.items():
            hide = (table.key, r, c) in hidden if cell.unit == "count" else _derived_hidden(
                table.key, cell, hidden, counts, threshold)
            out[c] = replace(cell, value=None, suppressed=True) if hide else cell
        rows.append((r, out))
    return replace(table, rows=tuple(rows))


def _derived_hidden(key: str, cell: Cell, hidden: set[PackCell],
                    counts: dict[PackCell, int | None], threshold: int) -> bool:
    base = cell.base
    if isinstance(base, tuple):
        found = (key, *base)
        return found in hidden or 0 < (counts.get(found) or 0) < threshold
    return base is not None and 0 < base < threshold


def _int(value: float | int | None) -> int | None:
    return None if value is None else int(value)
