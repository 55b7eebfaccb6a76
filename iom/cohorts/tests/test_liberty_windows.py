"""'N months at liberty' windows against a day-by-day count (selection/liberty.py)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from iom.cohorts.candidates.liberty import window_starts
from iom.cohorts.policy.rules import add_months

AS_AT = date(2025, 6, 1)


def _by_day(spells: list[tuple[date, date | None]], as_at: date, months: int) -> date:
    """Walk back a day at a time: the window holds as many days at liberty as the plain
    window has days, and starts the day before the earliest of them."""
    def in_custody(day: date) -> bool:
        return any(start <= day and (release is None or release > as_at or day < release)
                   for start, release in spells)

    needed = (as_at - add_months(as_at, -months)).days
    day, free = as_at, 0
    while True:
        if not in_custody(day):
            free += 1
            if free == needed:
                return day - timedelta(days=1)
        day -= timedelta(days=1)


spell = st.tuples(st.integers(min_value=0, max_value=6000),  # start, days before AS_AT
                  st.one_of(st.none(), st.integers(min_value=0, max_value=3000)))  # length


@settings(max_examples=300, deadline=None)
@given(st.lists(spell, max_size=6), st.sampled_from([6, 12, 13, 15, 24]))
@example([(400, 399)], 12)  # began before the window, released a day inside it
@example([(200, 100), (150, 100)], 6)  # a remand and a sentence that overlap
@example([(100, None)], 12)  # in custody now
@example([(30, 0)], 6)  # released the day it began: no day in custody
def test_window_starts_are_the_day_by_day_count(raw, months):
    spells = [(AS_AT - timedelta(days=back),
               None if length is None else AS_AT - timedelta(days=back) + timedelta(
                   days=length)) for back, length in raw]
    frame = pl.DataFrame({"person_id": [1] * len(spells),
                          "start_date": [s for s, _ in spells],
                          "release_date": [r for _, r in spells]},
                         schema={"person_id": pl.Int64, "start_date": pl.Date,
                                 "release_date": pl.Date})
    found = window_starts(frame, AS_AT, months)
    expected = _by_day(spells, AS_AT, months)
    plain = add_months(AS_AT, -months)
    if expected == plain:
        assert found.is_empty()
    else:
        assert found.row(0, named=True) == {"person_id": 1, "custody_days": (
            plain - expected).days, "start": expected}
