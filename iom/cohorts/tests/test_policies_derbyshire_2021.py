"""Derbyshire 2021 / Neighbourhood Crime (seed 001 s4): Fixed, Free, CSS, the 60% floor."""

from __future__ import annotations

from datetime import date

import pytest

from iom.cohorts.candidates import candidates_for
from iom.cohorts.tests.factories import (
    AS_AT,
    Scores,
    criterion,
    custody,
    event,
    found,
    on_cohort,
    on_probation,
    person,
    store_scores,
    suggested,
)

POLICY = "derbyshire-2021"
ELEVEN_MONTHS_AGO = date(2024, 7, 2)
THIRTEEN_MONTHS_AGO = date(2024, 5, 2)
TABLE_1 = "28E"  # burglary residential


def _listed(world):
    return candidates_for(world.users["probation"], POLICY, AS_AT)


def _burglar(world, convicted: date, ogrs: int = 60, *, probation: bool = True):
    someone = person(world)
    event(world, someone, convicted, TABLE_1)
    event(world, someone, date(2025, 4, 1), "46")  # keeps the 6-month exclusion away
    store_scores(world, {someone: Scores(ogrs3=ogrs)})
    if probation:
        on_probation(world, someone)
    return someone


def test_fixed_needs_the_person_current_to_probation(world):
    """001 s4.1: "... and an Offender Group Reconviction Score (OGRS) of 50+ and are
    current to Probation services"; s4.2: "on rare occasions these offenders may not be
    current to Probation services" (a near miss, for the panel to weigh under Flex)."""
    without = _burglar(world, ELEVEN_MONTHS_AGO, probation=False)
    ended = _burglar(world, ELEVEN_MONTHS_AGO, probation=False)
    on_probation(world, ended, start=date(2023, 1, 1), end=date(2025, 1, 1))
    licence = _burglar(world, ELEVEN_MONTHS_AGO, probation=False)
    on_probation(world, licence, kind="licence", start=date(2025, 2, 1))
    prisoner = _burglar(world, ELEVEN_MONTHS_AGO, probation=False)
    custody(world, prisoner, date(2025, 5, 1), None)
    # One scoring run for all four (each _burglar's run would replace the last).
    store_scores(world, {p: Scores(ogrs3=60) for p in (without, ended, licence, prisoner)})
    listed = _listed(world)
    for someone in (without, ended):
        candidate = found(listed, someone)
        assert candidate is not None and candidate.near_miss, someone
        assert candidate.nearest_cohort_type == ("fixed", "Fixed")
        met, why = criterion(candidate, "Current to Probation")
        assert not met and why == "No such current order"
    assert suggested(listed, licence) == "fixed"
    assert suggested(listed, prisoner) == "fixed"
    assert criterion(found(listed, prisoner), "Current to Probation") == (
        True, "Serving a custodial sentence")


def test_a_table_1_conviction_11_months_ago_is_fixed(world):
    someone = _burglar(world, ELEVEN_MONTHS_AGO)
    assert suggested(_listed(world), someone) == "fixed"


def test_13_months_ago_at_liberty_throughout_is_only_a_near_miss(world):
    someone = _burglar(world, THIRTEEN_MONTHS_AGO)
    candidate = found(_listed(world), someone)
    assert candidate is not None
    assert candidate.near_miss
    met, why = criterion(candidate, "Conviction for a Table 1 offence")
    assert not met
    assert "before the window" in why


def test_13_months_ago_with_2_months_in_custody_between_is_fixed(world):
    someone = _burglar(world, THIRTEEN_MONTHS_AGO)
    custody(world, someone, date(2024, 8, 1), date(2024, 10, 15))
    candidate = found(_listed(world), someone)
    assert candidate is not None
    assert candidate.suggested_cohort_type == ("fixed", "Fixed")
    _, why = criterion(candidate, "Conviction for a Table 1 offence")
    assert "75 days in custody added" in why


def test_11_months_ago_counts_even_with_custody_between(world):
    someone = _burglar(world, ELEVEN_MONTHS_AGO)
    custody(world, someone, date(2024, 8, 1), date(2024, 10, 15))
    assert suggested(_listed(world), someone) == "fixed"


def test_custody_that_ended_before_the_window_does_not_stretch_it(world):
    someone = _burglar(world, THIRTEEN_MONTHS_AGO)
    custody(world, someone, date(2023, 1, 1), date(2024, 1, 1))
    assert suggested(_listed(world), someone) is None


@pytest.mark.parametrize(("ogrs", "fixed"), [(50, True), (49, False)])
def test_fixed_needs_ogrs_50_or_more(world, ogrs, fixed):
    someone = _burglar(world, ELEVEN_MONTHS_AGO, ogrs)
    assert (suggested(_listed(world), someone) == "fixed") is fixed


def test_a_non_table_1_conviction_is_not_fixed(world):
    someone = person(world)
    event(world, someone, ELEVEN_MONTHS_AGO, "37.2")  # aggravated vehicle taking: excluded
    store_scores(world, {someone: Scores(ogrs3=80)})
    assert suggested(_listed(world), someone) is None


@pytest.mark.parametrize(("ogrs", "free"), [(51, True), (50, False)])
def test_free_is_intent_to_supply_with_ogrs_above_50(world, ogrs, free):
    someone = person(world)
    event(world, someone, ELEVEN_MONTHS_AGO, "92A")
    event(world, someone, date(2025, 4, 1), "46")
    store_scores(world, {someone: Scores(ogrs3=ogrs)})
    assert (suggested(_listed(world), someone) == "free") is free


def test_css_1500_is_an_indicator_and_robbery_is_flagged(world):
    someone = person(world)
    event(world, someone, ELEVEN_MONTHS_AGO, "34B")
    event(world, someone, date(2025, 4, 1), "46")
    on_probation(world, someone)
    store_scores(world, {someone: Scores(ogrs3=55, crime_severity=1500)})
    candidate = found(_listed(world), someone)
    assert candidate is not None
    assert candidate.suggested_cohort_type == ("fixed", "Fixed")
    assert criterion(candidate, "Crime Severity Score 1500 or more")[0]
    assert criterion(candidate, "Robbery or burglary conviction")[0]
    store_scores(world, {someone: Scores(ogrs3=55, crime_severity=1499)}, date(2025, 6, 3))
    later = found(candidates_for(world.users["probation"], POLICY, date(2025, 6, 3)), someone)
    assert later is not None
    assert not criterion(later, "Crime Severity Score 1500 or more")[0]
    assert later.suggested_cohort_type == ("fixed", "Fixed")  # an indicator, not a requirement


def test_the_fixed_floor_is_reported_against_the_cohort(world):
    on_cohort(world, cohort_type="flex")
    floor = _listed(world).floor
    assert floor is not None
    assert (floor.cohort_type, floor.at_least, floor.of_type, floor.on_cohort) == (
        "fixed", 0.6, 0, 1)
    assert floor.below
