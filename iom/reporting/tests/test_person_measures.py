"""Proven offences, arrests and severity around selection, by hand and against the twin."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iom.reporting.measures.batch import person_measures_frame
from iom.reporting.measures.config import load_config
from iom.reporting.measures.person import person_measures
from iom.scoring.engine.config import default_config
from iom.scoring.tests.factories import custody, event, people, person, to_tables

INDEX = date(2025, 1, 1)
REPORT = date(2026, 6, 30)
CFG = load_config()
SCORING = default_config()


def test_hand_worked_person():
    # Convicted of a burglary committed in the before-window, and of a shoplifting
    # committed after selection but inside custody-lengthened time; arrested twice.
    facts = person(
        event(1, "conviction", date(2024, 8, 1), "28A", offence_day=date(2024, 6, 1)),
        event(2, "arrest", date(2024, 6, 1), "28A"),
        event(3, "conviction", date(2025, 9, 1), "46", offence_day=date(2025, 7, 1)),
        event(4, "arrest", date(2025, 7, 1), "46"),
        event(5, "caution", date(2026, 7, 15), "46"),  # after the report date: unknown
        custody_periods=(custody(1, date(2025, 2, 1), date(2025, 3, 3)),),  # 30 days
    )
    m = person_measures(facts, INDEX, REPORT, CFG, SCORING)
    assert (m.proven_before, m.proven_after, m.arrests_before, m.arrests_after) == (1, 1, 1, 1)
    w28a = SCORING.css.weights["28A"].weight
    w46 = SCORING.css.weights["46"].weight
    assert m.css_before == w28a and m.css_after == w46
    assert m.days_to_first_proven == (date(2025, 7, 1) - INDEX).days
    assert m.windows.after_end == INDEX + timedelta(days=395)
    assert m.frequency_after() == 1.0


def test_no_after_window_counts_nothing_after():
    facts = person(event(1, "conviction", INDEX, "46"))
    m = person_measures(facts, INDEX, INDEX, CFG, SCORING)
    assert m.proven_before == 1 and m.proven_after == 0
    assert not m.windows.full_after and m.frequency_after() is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people(as_at=REPORT), st.lists(st.integers(-900, 500), min_size=12, max_size=12))
def test_batch_equals_pure(persons, offsets):
    index_dates = {p.person_id: REPORT + timedelta(days=offsets[p.person_id - 1])
                   for p in persons}
    tables = to_tables(persons)
    index = pl.DataFrame({"person_id": list(index_dates), "index_date": list(index_dates.values())},
                         schema={"person_id": pl.Int64, "index_date": pl.Date})
    frame = person_measures_frame(tables["events"], tables["custody"], index, REPORT, CFG,
                                  SCORING)
    for row in frame.iter_rows(named=True):
        facts = next(p for p in persons if p.person_id == row["person_id"])
        m = person_measures(facts, row["index_date"], REPORT, CFG, SCORING)
        w = m.windows
        assert (row["before_start"], row["before_custody_days"], row["after_end"],
                row["after_custody_days"], row["after_liberty_days"], row["full_after"]) == (
            w.before_start, w.before_custody_days, w.after_end, w.after_custody_days,
            w.after_liberty_days, w.full_after), row
        assert (row["proven_before"], row["proven_after"], row["arrests_before"],
                row["arrests_after"], row["days_to_first_proven"]) == (
            m.proven_before, m.proven_after, m.arrests_before, m.arrests_after,
            m.days_to_first_proven)
        assert abs(row["css_before"] - m.css_before) < 1e-9
        assert abs(row["css_after"] - m.css_after) < 1e-9


def test_overlapping_spells_count_once_in_both():
    # A remand and a sentence that overlap (docs/data.md allows the database to hold both).
    facts = person(custody_periods=(custody(1, date(2024, 10, 1), date(2024, 11, 1), "remand"),
                                    custody(2, date(2024, 10, 20), date(2024, 12, 1))))
    tables = to_tables([facts])
    index = pl.DataFrame({"person_id": [1], "index_date": [INDEX]})
    row = person_measures_frame(tables["events"], tables["custody"], index, REPORT, CFG,
                                SCORING).row(0, named=True)
    pure = person_measures(facts, INDEX, REPORT, CFG, SCORING).windows
    assert row["before_custody_days"] == pure.before_custody_days == 61
