"""The pack as assembled: no suppressed figure can be worked back from anything it shows.

An onlooker holds every published cell of every table of one pack and knows how the
tables fit together. What they know is written out here on its own, from what each
table counts (docs/reporting.md, "Small numbers" 5), rather than read from the code
under test:

- each table's own totals and the composition's month-to-month identity (people on
  the cohort at a month's end = the month before's + placed - left);
- the same figure in two tables: the before-and-after "All" is the youth table's
  "All", the comparison's cohort members with the full window and each balance
  variable's cohort members; the comparison people with the full window and the
  matched ones are each balance variable's; the disproportionality table's totals by
  age, gender and ethnicity are one figure, the before-and-after "All" plus the
  partial-window "All"; the composition's last month is the RAG and strand mixes'
  "All";
- by gender, the disproportionality table's cohort members less the balance table's
  are the partial-window ones of that gender (never published, but a small one must
  not be worked out).

Working out is exact linear algebra over the equations (numpy's rank, not the
elimination under test) and a sum of counts that is zero (every one of them is 0).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iom.reporting.measures.assemble import (
    ALL,
    COHORT_FULL,
    COMPARISON_FULL,
    COMPARISON_MATCHED,
    UNPUBLISHED,
    ImpactFrames,
    build_tables,
    pack_links,
    suppressed_tables,
)
from iom.reporting.measures.config import load_config
from iom.reporting.measures.tables import (
    Cell,
    Table,
    column_lines,
    row_lines,
    suppressed_pack,
    suppressed_table,
)
from iom.scoring.engine import default_config
from iom.synthetic import generate

AS_OF = date(2026, 3, 31)
Key = tuple[str, str, str]


def _frames(seed: int, people: int, share: float, days: int) -> tuple[ImpactFrames, date]:
    """A small partnership: synthetic histories, a random cohort placed in the period
    (some ended, some in the Deter Young Offender strand, some placed before it) and
    random scores; some genders not recorded."""
    g = generate(people, seed=seed, as_of=AS_OF)
    rng = np.random.default_rng(seed)
    start = AS_OF - timedelta(days=days)
    ids = g.people["person_id"].to_list()
    chosen = [i for i in ids if rng.random() < share]
    others = [i for i in ids if i not in set(chosen)]
    index = [start + timedelta(days=int(rng.integers(0, days + 1))) for _ in chosen]
    types = [str(rng.choice(["fixed", "flex"])) for _ in chosen]
    treated = pl.DataFrame({"person_id": chosen, "index_date": index, "cohort_type": types},
                           schema={"person_id": pl.Int64, "index_date": pl.Date,
                                   "cohort_type": pl.String})
    rows = []
    for person, placed, kind in zip(chosen, index, types, strict=True):
        ended = placed + timedelta(days=int(rng.integers(0, 400)))
        rows.append((person, kind, str(rng.choice(["red", "amber", "green"])),
                     str(rng.choice(["standard", "deter_young_offender"])), placed,
                     ended if ended <= AS_OF and rng.random() < 0.4 else None))
    for person in others[:: max(1, len(others) // 4)]:  # on the cohort from before
        rows.append((person, "fixed", "green", "standard", start - timedelta(days=30),
                     start + timedelta(days=int(rng.integers(0, days))) if rng.random() < .5
                     else None))
    memberships = pl.DataFrame(rows, orient="row", schema={
        "person_id": pl.Int64, "cohort_type": pl.String, "rag": pl.String,
        "strand": pl.String, "placed_on": pl.Date, "ended_on": pl.Date})
    placed_before = set(memberships.filter(pl.col("placed_on") < start)["person_id"])
    pool = [i for i in others if i not in placed_before]
    comparison = pl.DataFrame({"person_id": pool, "index_date": [start] * len(pool)},
                              schema={"person_id": pl.Int64, "index_date": pl.Date})
    scores = pl.DataFrame({"person_id": ids,
                           "ogrs3": rng.integers(1, 99, len(ids)).astype(float),
                           "risk": rng.random(len(ids)) * 100,
                           "css": rng.integers(0, 2000, len(ids)).astype(float)})
    gender = pl.Series([None if rng.random() < 0.1 else str(v)
                        for v in g.people["gender"].cast(pl.String)], dtype=pl.String)
    people_frame = g.people.select("person_id", "date_of_birth",
                                   pl.col("ethnicity").cast(pl.String),
                                   pl.col("district").cast(pl.String)).with_columns(
        gender=gender)
    empty = {"kind": pl.String, "status": pl.String, "recorded_on": pl.Date}
    return ImpactFrames(
        events=g.events, custody=g.custody, people=people_frame, treated=treated,
        comparison=comparison, eligible=comparison.select("person_id"),
        scores_at_index=scores, scores_at_report=scores, memberships=memberships,
        outcomes=pl.DataFrame(schema=empty),
        referrals=pl.DataFrame(schema={"pathway": pl.String, "status": pl.String,
                                       "status_on": pl.Date})), start


def _counts(tables: list[Table] | tuple[Table, ...]) -> dict[Key, int]:
    return {(t.key, r, c): int(cell.value or 0) for t in tables for r, cells in t.rows
            for c, cell in cells.items() if cell.unit == "count"}


def _known_equations(tables: list[Table]) -> list[dict[Key, int]]:
    """What the onlooker knows (the module's docstring), as equations adding up to 0."""
    by = {t.key: t for t in tables}
    eqs: list[dict[Key, int]] = []
    for t in tables:
        for line in t.lines:
            eq = {(t.key, r, c): 1 for r, c in line[:-1]}
            eq[(t.key, *line[-1])] = -1
            eqs.append(eq)
    months = [r for r, _ in by["composition"].rows]
    for before, month in pairwise(months):
        eqs.append({("composition", before, "on_cohort"): 1, ("composition", month, "entries"): 1,
                    ("composition", month, "exits"): -1, ("composition", month, "on_cohort"): -1})

    def rows(key: str, suffix: str = ": all") -> list[str]:
        return [r for r, _ in by[key].rows if r.endswith(suffix)]

    same: list[list[Key]] = [
        [("before_after", ALL, "people"), ("youth", ALL, "people"),
         ("comparison", COHORT_FULL, "people"),
         *(("balance", v, "treated") for v in rows("balance"))],
        [("before_after", ALL, "proven_after"), ("youth", ALL, "proven_after")],
        [("comparison", COMPARISON_FULL, "people"),
         *(("balance", v, "comparison") for v in rows("balance"))],
        [("comparison", COMPARISON_MATCHED, "people"),
         *(("balance", v, "comparison_matched") for v in rows("balance"))],
        [("before_after_partial", ALL, "people"), (UNPUBLISHED, ALL, "people")],
        *([("disproportionality", t, c) for t in rows("disproportionality")]
          for c in ("cohort", "eligible", "partnership")),
        [("composition", months[-1], "on_cohort"), ("rag_mix", ALL, "people"),
         ("strand_mix", ALL, "people")],
    ]
    for group in same:
        eqs += [{a: 1, b: -1} for a, b in pairwise(group)]
    eqs.append({("before_after", ALL, "people"): 1, ("before_after_partial", ALL, "people"): 1,
                ("disproportionality", "Age: all", "cohort"): -1})
    words = {"M": "Male", "F": "Female"}
    for row, _ in by["disproportionality"].rows:
        if not row.startswith("Gender: ") or row.endswith(": all"):
            continue
        word = row.removeprefix("Gender: ")
        eq = {("disproportionality", row, "cohort"): 1, (UNPUBLISHED, row, "people"): -1}
        for band, _ in by["balance"].rows:
            code = band.removeprefix("Gender: ")
            other = "Other or not known"
            if band.startswith("Gender: ") and code != "all" and words.get(code, other) == word:
                eq[("balance", band, "treated")] = -1
        eqs.append(eq)
    return eqs


def worked_out(values: dict[Key, int], equations: list[dict[Key, int]],
               unknown: set[Key]) -> set[Key]:
    """The unknown cells that follow from the rest (the module's docstring)."""
    unknown, found = set(unknown), set[Key]()
    while True:
        more = set()
        for eq in equations:
            terms = {k: c for k, c in eq.items() if k in unknown}
            rest = sum(c * values.get(k, 0) for k, c in eq.items() if k not in unknown)
            signs = {c > 0 for c in terms.values()}
            if terms and rest == 0 and len(signs) == 1:
                more |= set(terms)
        columns = sorted(unknown - more, key=repr)
        at = {k: i for i, k in enumerate(columns)}
        rows = [[0.0] * len(columns)]
        for eq in equations:
            row = [0.0] * len(columns)
            for k, c in eq.items():
                if k in at:
                    row[at[k]] += c
            rows.append(row)
        a = np.array(rows)
        if columns:  # a cell is fixed where no solution of the equations moves it
            _, sv, vt = np.linalg.svd(a)
            rank = int((sv > 1e-9 * max(1.0, sv.max(initial=0.0))).sum())
            free = vt[rank:]
            more |= {k for k in columns if np.abs(free[:, at[k]]).max(initial=0.0) < 1e-9}
        if not more:
            return found
        found |= more
        unknown -= more


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), people=st.integers(30, 140),
       share=st.floats(0.1, 0.6), days=st.sampled_from([120, 400, 700]),
       threshold=st.integers(3, 8))
def test_no_suppressed_figure_of_an_assembled_pack_can_be_worked_back(
        seed, people, share, days, threshold):
    frames, start = _frames(seed, people, share, days)
    cfg = load_config({"small_number_threshold": threshold})
    tables, _ = build_tables(frames, date_from=start, date_to=AS_OF, period="p", labels={},
                             cfg=cfg, scoring=default_config())
    values = _counts(tables)
    equations = [eq for eq in _known_equations(tables) if all(k in values for k in eq)]
    for eq in equations:  # what the onlooker knows is true of these figures
        assert sum(c * values[k] for k, c in eq.items()) == 0, eq
    published = suppressed_tables(tables, cfg)
    assert UNPUBLISHED not in {t.key for t in published}
    hidden = {(t.key, r, c) for t in published for r, cells in t.rows
              for c, cell in cells.items() if cell.unit == "count" and cell.suppressed}
    unpublished = {k for k in values if k[0] == UNPUBLISHED}
    small = {k for k, v in values.items() if 0 < v < threshold}
    assert small - unpublished <= hidden
    leaks = worked_out(values, equations, hidden | unpublished) & (hidden | small)
    assert not leaks


# Worked by hand: for each figure two tables share, the leak a table-by-table
# suppression leaves, and the pack's suppression closing it (threshold 5). -----------

THRESHOLD = 5


def _table(key: str, cells: dict[tuple[str, str], int], lines=(), identities=(),
           published: bool = True) -> Table:
    rows: dict[str, dict[str, Cell]] = {}
    for (r, c), v in cells.items():
        rows.setdefault(r, {})[c] = Cell(v)
    return Table(key, key, tuple(dict.fromkeys(c for _, c in cells)), tuple(rows.items()),
                 lines=tuple(lines), identities=tuple(identities), published=published)


def _column(key: str, column: str, parts: dict[str, int], total: str = ALL) -> Table:
    cells = {(r, column): v for r, v in parts.items()}
    cells[(total, column)] = sum(parts.values())
    return _table(key, cells, column_lines(list(parts), total, [column]))


def _hidden(tables) -> set[Key]:
    return {(t.key, r, c) for t in tables for r, cells in t.rows for c, cell in cells.items()
            if cell.suppressed}


def _both_ways(tables: list[Table], equations: list[dict[Key, int]]):
    """What an onlooker works out from the tables suppressed one by one, and from the
    pack suppressed at once."""
    values = _counts(tables)
    unpublished = {k for k in values if k[0] == UNPUBLISHED}
    small = {k for k, v in values.items() if 0 < v < THRESHOLD}
    alone = [suppressed_table(t, THRESHOLD) for t in tables if t.published]
    lines, identities = pack_links(tables)
    together = suppressed_pack(tables, lines, THRESHOLD, identities=identities)
    known = [*_known_lines(tables), *equations]
    leak_alone = worked_out(values, known, _hidden(alone) | unpublished) & (
        _hidden(alone) | small)
    leak_together = worked_out(values, known, _hidden(together) | unpublished) & (
        _hidden(together) | small)
    return leak_alone, leak_together, _hidden(together)


def _known_lines(tables: list[Table]) -> list[dict[Key, int]]:
    eqs = []
    for t in tables:
        for line in t.lines:
            eq = {(t.key, r, c): 1 for r, c in line[:-1]}
            eq[(t.key, *line[-1])] = -1
            eqs.append(eq)
        eqs += [{(t.key, r, c): k for r, c, k in identity} for identity in t.identities]
    return eqs


def test_few_people_without_the_full_window_are_not_the_difference_of_two_tables():
    """43 cohort members in the disproportionality table, 40 with the full window in the
    before-and-after table (one cohort type, so its row is the "All" row), 3 without.
    One by one, the 3 is suppressed where it is shown, but 43 - 40 gives it away. In the
    pack the 40 goes, and with it every figure that is the same 40: the cohort type's
    row, the youth table's "All", the comparison's cohort members with the full window
    and the balance table's total; each of their tables then loses one more cell."""
    tables = [
        _column("before_after", "people", {"Fixed": 40}),
        _column("before_after_partial", "people", {"Fixed": 3}),
        _column("youth", "people", {"Deter Young Offender": 10, "Others on the cohort": 30}),
        _column("comparison", "people", {"Cohort members (matched)": 25,
                                         "Cohort members not matched": 15}, COHORT_FULL),
        _column("balance", "treated", {"Gender: F": 10, "Gender: M": 30}, "Gender: all"),
        _column("disproportionality", "cohort", {"Age: 18 to 24": 20, "Age: 25 and over": 23},
                "Age: all"),
    ]
    equations = [
        {("before_after", ALL, "people"): 1, ("before_after_partial", ALL, "people"): 1,
         ("disproportionality", "Age: all", "cohort"): -1},
        {("before_after", ALL, "people"): 1, ("youth", ALL, "people"): -1},
        {("before_after", ALL, "people"): 1, ("comparison", COHORT_FULL, "people"): -1},
        {("before_after", ALL, "people"): 1, ("balance", "Gender: all", "treated"): -1}]
    leak_alone, leak_together, hidden = _both_ways(tables, equations)
    assert ("before_after_partial", ALL, "people") in leak_alone
    assert not leak_together
    assert {("before_after", ALL, "people"), ("before_after", "Fixed", "people"),
            ("youth", ALL, "people"), ("comparison", COHORT_FULL, "people"),
            ("balance", "Gender: all", "treated")} <= hidden


def test_the_matched_comparison_people_are_hidden_in_the_balance_table_too():
    """33 comparison people with the full window, 30 of them matched, 3 not. The
    comparison table hides the 3 and the 30; the balance table, on its own, shows the
    matched 30 as its total, and 33 - 30 gives the 3 away. In the pack the balance
    total goes, and a band of it (the smaller, 10) with it."""
    tables = [
        _column("comparison", "people", {COMPARISON_MATCHED: 30,
                                         "Comparison people not matched": 3}, COMPARISON_FULL),
        _column("balance", "comparison_matched", {"Gender: F": 10, "Gender: M": 20},
                "Gender: all"),
    ]
    equations = [{("comparison", COMPARISON_MATCHED, "people"): 1,
                  ("balance", "Gender: all", "comparison_matched"): -1}]
    leak_alone, leak_together, hidden = _both_ways(tables, equations)
    assert ("comparison", "Comparison people not matched", "people") in leak_alone
    assert not leak_together
    assert {("balance", "Gender: all", "comparison_matched"),
            ("balance", "Gender: F", "comparison_matched")} <= hidden


def _composition(months: dict[str, tuple[int, int, int]]) -> Table:
    """Months of (on the cohort at the end, placed, left), with one cohort type."""
    cells: dict[tuple[str, str], int] = {}
    for name, (on, placed, left) in months.items():
        cells |= {(name, "on_cohort"): on, (name, "entries"): placed, (name, "exits"): left,
                  (name, "type:fixed"): on}
    names = list(months)
    return _table("composition", cells, row_lines(names, ["type:fixed"], "on_cohort"),
                  [((a, "on_cohort", 1), (b, "entries", 1), (b, "exits", -1),
                    (b, "on_cohort", -1)) for a, b in pairwise(names)])


def test_a_month_placed_is_not_the_difference_of_its_neighbours():
    """40 on the cohort at the end of January; in February 3 placed and 10 left, 33 at its
    end; in March 6 placed, 8 left, 31 at its end. With the cohort-type lines alone the 3
    is suppressed but 33 - 40 + 10 gives it back. The month-to-month identity takes the
    smallest other figure of February's with it (the 10 who left): February then says
    only that 7 more left than were placed."""
    table = _composition({"Jan 2026": (40, 5, 6), "Feb 2026": (33, 3, 10),
                          "Mar 2026": (31, 6, 8)})
    lines_only = replace(table, identities=())
    values = _counts([table])
    known = _known_lines([table])
    alone = _hidden([suppressed_table(lines_only, THRESHOLD)])
    assert worked_out(values, known, alone) == {("composition", "Feb 2026", "entries")}
    hidden = _hidden([suppressed_table(table, THRESHOLD)])
    assert hidden == {("composition", "Feb 2026", "entries"),
                      ("composition", "Feb 2026", "exits")}
    assert not worked_out(values, known, hidden)


def test_the_last_month_on_the_cohort_is_hidden_in_the_rag_and_strand_mixes_too():
    """60 on the cohort at the end of January; in February 3 placed and 50 left, 13 at its
    end. The 3 takes February's 13 with it (the smallest other figure of the identity),
    but the RAG and strand mixes, at the end of the period, show the same 13 as their
    "All": 13 - 60 + 50 gives the 3 back. In the pack both "All"s go, and a group of
    each with them."""
    tables = [_composition({"Jan 2026": (60, 8, 6), "Feb 2026": (13, 3, 50)}),
              _column("rag_mix", "people", {"Red": 5, "Amber": 8}),
              _column("strand_mix", "people", {"Standard": 6, "Prolific": 7})]
    equations = [{("composition", "Feb 2026", "on_cohort"): 1, ("rag_mix", ALL, "people"): -1},
                 {("composition", "Feb 2026", "on_cohort"): 1,
                  ("strand_mix", ALL, "people"): -1}]
    leak_alone, leak_together, hidden = _both_ways(tables, equations)
    assert ("composition", "Feb 2026", "entries") in leak_alone
    assert not leak_together
    assert {("rag_mix", ALL, "people"), ("strand_mix", ALL, "people")} <= hidden


def test_few_people_of_a_gender_without_the_full_window_are_not_a_difference():
    """The disproportionality table counts 10 women and 30 men placed in the period; the
    balance table 8 women and 27 men with the full window; the 5 without it (shown, in
    the second before-and-after table) are 2 women and 3 men, which no table shows. One
    by one nothing is small, so nothing is hidden, and 10 - 8 tells of 2 women. In the
    pack enough goes that neither the 2 nor the 3 follows."""
    tables = [
        _column("disproportionality", "cohort", {"Gender: Female": 10, "Gender: Male": 30},
                "Gender: all"),
        _column("balance", "treated", {"Gender: F": 8, "Gender: M": 27}, "Gender: all"),
        _column("before_after", "people", {"Fixed": 35}),
        _column("before_after_partial", "people", {"Fixed": 5}),
        replace(_column(UNPUBLISHED, "people", {"Gender: Female": 2, "Gender: Male": 3}),
                published=False),
    ]
    equations = [
        {("disproportionality", "Gender: Female", "cohort"): 1,
         ("balance", "Gender: F", "treated"): -1, (UNPUBLISHED, "Gender: Female", "people"): -1},
        {("disproportionality", "Gender: Male", "cohort"): 1,
         ("balance", "Gender: M", "treated"): -1, (UNPUBLISHED, "Gender: Male", "people"): -1},
        {("before_after_partial", ALL, "people"): 1, (UNPUBLISHED, ALL, "people"): -1},
        {("before_after", ALL, "people"): 1, ("balance", "Gender: all", "treated"): -1}]
    leak_alone, leak_together, hidden = _both_ways(tables, equations)
    assert leak_alone == {(UNPUBLISHED, "Gender: Female", "people"),
                          (UNPUBLISHED, "Gender: Male", "people")}
    assert not leak_together
    assert hidden and not any(k[0] == UNPUBLISHED for k in hidden)
