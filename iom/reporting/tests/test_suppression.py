"""Small numbers suppressed, and no suppressed cell worked back by subtraction."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from iom.reporting.measures.suppression import recoverable, suppress
from iom.reporting.measures.tables import (
    Cell,
    Table,
    column_lines,
    row_lines,
    suppressed_pack,
    suppressed_table,
)
from iom.reporting.tests.test_pack_suppression import worked_out

THRESHOLD = 5


def _equation(line):
    return {**dict.fromkeys(line[:-1], 1), line[-1]: -1}


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
    # nor by any combination of the lines (exact linear algebra, and zero sums)
    assert not worked_out(values, [_equation(line) for line in lines], hidden)


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


# Across the tables of a pack ----------------------------------------------------------


def _table(key: str, values: dict[tuple[object, object], int], lines) -> Table:
    rows: dict[str, dict[str, Cell]] = {}
    for (r, c), v in values.items():
        rows.setdefault(str(r), {})[str(c)] = Cell(v)
    return Table(key, key, tuple(sorted({str(c) for _, c in values})), tuple(rows.items()),
                 lines=tuple(tuple((str(r), str(c)) for r, c in line) for line in lines))


def _pack_hidden(tables: list[Table]) -> set[tuple[str, str, str]]:
    return {(t.key, r, c) for t in tables for r, cells in t.rows
            for c, cell in cells.items() if cell.suppressed}


def _pack_values(tables: list[Table]) -> dict[tuple[str, str, str], int]:
    return {(t.key, r, c): int(cell.value or 0) for t in tables for r, cells in t.rows
            for c, cell in cells.items()}


def _pack_lines(tables: list[Table], links) -> list[tuple[tuple[str, str, str], ...]]:
    return [tuple((t.key, r, c) for r, c in line) for t in tables for line in t.lines] + [
        tuple(link) for link in links]


def test_a_figure_hidden_in_one_table_is_hidden_where_another_shows_it():
    """Worked by hand: table A has 3 + 20 = 23, so the 3 and the 20 are suppressed; table B
    publishes the same 20 in 20 + 40 = 60. Table by table, B's 20 gives A's 3 away
    (23 - 20); with the two 20s linked, B's 20 goes, and so does its 40 (else 60 - 40)."""
    a = _table("a", {("s", "n"): 3, ("big", "n"): 20, ("T", "n"): 23},
               [[("s", "n"), ("big", "n"), ("T", "n")]])
    b = _table("b", {("big", "n"): 20, ("z", "n"): 40, ("T", "n"): 60},
               [[("big", "n"), ("z", "n"), ("T", "n")]])
    links = [(("a", "big", "n"), ("b", "big", "n"))]
    alone = [suppressed_table(a, THRESHOLD), suppressed_table(b, THRESHOLD)]
    values = _pack_values([a, b])
    assert recoverable(values, _pack_lines([a, b], links), _pack_hidden(alone)) == {
        ("a", "s", "n"), ("a", "big", "n")}
    together = suppressed_pack([a, b], links, THRESHOLD)
    assert _pack_hidden(together) == {("a", "s", "n"), ("a", "big", "n"), ("b", "big", "n"),
                                      ("b", "z", "n")}
    assert not recoverable(values, _pack_lines([a, b], links), _pack_hidden(together))


@settings(max_examples=200, deadline=None)
@given(st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3)).flatmap(
    lambda shape: st.lists(st.integers(0, 12), min_size=shape[0] * shape[1] * shape[2],
                           max_size=shape[0] * shape[1] * shape[2]).map(
        lambda flat: (shape, flat))))
def test_no_suppressed_value_of_a_pack_can_be_worked_back_from_any_of_its_tables(drawn):
    """One population counted two ways: table A by group x, table B by group y, each with
    the same columns and row and column totals. Their total rows are the same figures,
    linked; some of A's and B's interior cells are the same figure too where a group has
    one member of the other grouping only. Whatever the counts, after suppressing the
    pack, every small count is hidden and no hidden value follows by subtraction from
    the cells and totals published anywhere in the pack."""
    (nx, ny, nc), flat = drawn
    n = {(x, y, c): flat[(x * ny + y) * nc + c] for x in range(nx) for y in range(ny)
         for c in range(nc)}
    a_interior = [[sum(n[x, y, c] for y in range(ny)) for c in range(nc)] for x in range(nx)]
    b_interior = [[sum(n[x, y, c] for x in range(nx)) for c in range(nc)] for y in range(ny)]
    a_values, a_lines = _grid(a_interior)
    b_values, b_lines = _grid(b_interior)
    a, b = _table("a", a_values, a_lines), _table("b", b_values, b_lines)
    links = [(("a", "T", str(c)), ("b", "T", str(c))) for c in [*range(nc), "T"]]
    if ny == 1:  # B's one group is everyone: its row is A's total row
        links += [(("a", "T", str(c)), ("b", "0", str(c))) for c in [*range(nc), "T"]]
    tables = suppressed_pack([a, b], links, THRESHOLD)
    values, lines = _pack_values([a, b]), _pack_lines([a, b], links)
    hidden = _pack_hidden(tables)
    assert {k for k, v in values.items() if 0 < v < THRESHOLD} <= hidden
    assert not recoverable(values, lines, hidden)
    assert not worked_out(values, [_equation(line) for line in lines], hidden)
