"""Small numbers suppressed, and no suppressed cell worked back by subtraction."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from iom.reporting.measures.suppression import recoverable, suppress
from iom.reporting.measures.tables import Cell, Table, column_lines, row_lines, suppressed_table

THRESHOLD = 5


def _grid(interior: list[list[int]]):
    """Cells (i, j) with row totals in column 'T', column totals in row 'T'."""
    values: dict[tuple[object, object], int] = {}
    for i, row in enumerate(interior):
        for j, v in enumerate(row):
            values[(i, j)] = v
        values[(i, "T")] = sum(row)
    cols = range(len(interior[0]))
    for j in cols:
        values[("T", j)] = sum(r[j] for r in interior)
    values[("T", "T")] = sum(map(sum, interior))
    rows = [*range(len(interior)), "T"]
    lines = [[(i, j) for j in [*cols, "T"]] for i in rows]
    lines += [[(i, j) for i in rows] for j in [*cols, "T"]]
    return values, lines


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5).flatmap(lambda c: st.lists(
    st.lists(st.integers(0, 30), min_size=c, max_size=c), min_size=1, max_size=6)))
def test_no_suppressed_cell_can_be_worked_back(interior):
    values, lines = _grid(interior)
    hidden = suppress(values, lines, THRESHOLD)
    assert {k for k, v in values.items() if 0 < v < THRESHOLD} <= hidden
    assert not recoverable(values, lines, hidden)
    for line in lines:
        assert sum(k in hidden for k in line) != 1


def test_a_lone_small_cell_takes_the_smallest_other_with_it():
    values, lines = _grid([[3, 10, 20], [12, 40, 9]])
    hidden = suppress(values, lines, THRESHOLD)
    assert (0, 0) in hidden and (0, 1) in hidden  # row 0: 10 is the smallest other
    assert (1, 0) in hidden  # column 0: 12 is then needed too
    assert (1, 1) in hidden  # ...and row 1 again


def test_rates_from_suppressed_counts_are_suppressed():
    table = Table("t", "T", ("people", "rate"), (
        ("A", {"people": Cell(3), "rate": Cell(0.5, "rate", base=("A", "people"))}),
        ("B", {"people": Cell(40), "rate": Cell(0.2, "rate", base=("B", "people"))}),
        ("All", {"people": Cell(43), "rate": Cell(0.3, "rate", base=43)}),
    ), lines=tuple(column_lines(["A", "B"], "All", ["people"])))
    out = suppressed_table(table, THRESHOLD)
    assert out.cell("A", "people").suppressed and out.cell("A", "rate").suppressed
    assert out.cell("B", "people").suppressed and out.cell("B", "rate").suppressed
    assert out.cell("All", "people").value == 43
    assert out.cell("A", "people").value is None


def test_zero_is_shown():
    values, lines = _grid([[0, 10], [10, 10]])
    assert not suppress(values, lines, THRESHOLD)


def test_row_lines_cover_each_row():
    assert row_lines(["a"], ["x", "y"], "T") == [(("a", "x"), ("a", "y"), ("a", "T"))]


def test_offences_of_a_suppressed_group_are_suppressed():
    table = Table("t", "T", ("people", "offences"), (
        ("A", {"people": Cell(2), "offences": Cell(12, base=("A", "people"))}),
        ("B", {"people": Cell(30), "offences": Cell(50, base=("B", "people"))}),
        ("C", {"people": Cell(40), "offences": Cell(70, base=("C", "people"))}),
        ("All", {"people": Cell(72), "offences": Cell(132, base=("All", "people"))}),
    ), lines=tuple(column_lines(["A", "B", "C"], "All", ["people", "offences"])))
    out = suppressed_table(table, THRESHOLD)
    assert out.cell("A", "offences").suppressed
    assert out.cell("B", "offences").suppressed  # else 132 - 50 - 70 gives it away
    assert not out.cell("C", "offences").suppressed
