"""The Polars twin gives exactly the pure scorers' results, person by person.

Generated people aim at the edges (strategies.py): birthdays on the as-at date
and on 29 February, custody across the window's start or still running, events
on window boundaries or recorded after the as-at date, and no history at all.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from iom.scoring.batch.compare import differences
from iom.scoring.batch.score import score_tables
from iom.scoring.engine import PersonFacts, score_person
from iom.scoring.engine.dates import add_years
from iom.scoring.tests.factories import AS_AT, custody, event, intel, people, to_tables

# As-at dates that put leap days and month ends on the window edges.
AS_AT_DATES = [AS_AT, date(2028, 2, 29), date(2025, 3, 1), date(2024, 2, 29), date(2026, 12, 31)]


def mismatches(persons: list[PersonFacts], as_at: date) -> list[str]:
    t = to_tables(persons)
    batch = score_tables(t["people"], t["events"], t["custody"], t["intelligence"], as_at)
    rows = {row["person_id"]: row for row in batch.iter_rows(named=True)}
    assert set(rows) == {p.person_id for p in persons}
    return [f"person {p.person_id}: {d}" for p in persons
            for d in differences(score_person(p, as_at), rows[p.person_id])]


def _edge_people(as_at: date) -> list[PersonFacts]:
    """Hand-picked edge cases, always run as explicit examples."""
    five_back = add_years(as_at, -5)
    spanning = custody(1, five_back - timedelta(days=40), five_back + timedelta(days=61))
    return [
        PersonFacts(1, None, None, None),  # nothing known at all
        PersonFacts(2, add_years(as_at, -18), "M", None,  # birthday on the as-at date
                    (event(1, "conviction", as_at, "28E"),)),
        PersonFacts(3, date(2004, 2, 29), "F", "heroin",  # leap-day birthday
                    (event(2, "caution", date(2016, 3, 1), "46"),
                     event(3, "conviction", as_at - timedelta(days=30), "34B"),
                     event(4, "conviction", five_back - timedelta(days=20), "29A")),
                    (spanning,)),
        PersonFacts(4, date(1980, 6, 1), "M", None,
                    (event(5, "arrest", as_at - timedelta(days=28), "8N"),),
                    (custody(2, as_at - timedelta(days=100), None),),  # still in custody
                    (intel(6, as_at - timedelta(days=56), "B2"),
                     intel(7, as_at - timedelta(days=28), "1A", system="3x5x2"))),
        # Recorded OGRS 3 categories: for a need-details code (scored), none for one
        # (refused), one that disagrees with a mapped code, one outside the reference.
        PersonFacts(5, date(1990, 1, 1), "M", None,
                    (event(8, "conviction", as_at - timedelta(days=40), "92A",
                           ogrs3_category="drug_possession_supply"),)),
        PersonFacts(6, date(1990, 1, 1), "M", None,
                    (event(9, "conviction", as_at - timedelta(days=40), "92A"),)),
        PersonFacts(7, date(1990, 1, 1), "F", None,
                    (event(10, "conviction", as_at - timedelta(days=40), "28A",
                           ogrs3_category="robbery"),
                     event(11, "conviction", as_at - timedelta(days=400), "92A",
                           ogrs3_category="drug_possession_supply"))),
        PersonFacts(8, date(1990, 1, 1), "F", None,
                    (event(12, "conviction", as_at - timedelta(days=4), "92C",
                           ogrs3_category="no_such_category"),)),
        PersonFacts(9, date(1990, 1, 1), "F", None,
                    (event(13, "conviction", as_at - timedelta(days=4), "28A",
                           ogrs3_category="burglary_domestic"),)),
    ]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
@example(data=None)
def test_batch_equals_pure(data: st.DataObject | None) -> None:
    if data is None:  # the explicit edge cases, at every chosen as-at date
        for as_at in AS_AT_DATES:
            assert mismatches(_edge_people(as_at), as_at) == []
        return
    as_at = data.draw(st.sampled_from(AS_AT_DATES))
    persons = data.draw(people(as_at))
    assert mismatches(persons, as_at) == []


def test_the_comparison_can_fail() -> None:
    # A guard on the guard: a changed pure result is reported.
    persons = _edge_people(AS_AT)
    t = to_tables(persons)
    batch = score_tables(t["people"], t["events"], t["custody"], t["intelligence"], AS_AT)
    row = next(r for r in batch.iter_rows(named=True) if r["person_id"] == 3)
    row["css"] = row["css"] + 1.0
    assert differences(score_person(persons[2], AS_AT), row)
