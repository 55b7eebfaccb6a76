"""London (seed 002 step 2): OGRS 3 75+, or 51-74 with robbery or burglary in 12 months."""

from __future__ import annotations

from datetime import date

import pytest

from iom.cohorts.candidates import candidates_for
from iom.cohorts.tests.factories import (
    AS_AT,
    Scores,
    event,
    found,
    person,
    store_scores,
    suggested,
)

POLICY = "london"
RECENT = date(2025, 4, 1)


def _someone(world, ogrs: int, code: str = "46", on: date = RECENT, kind: str = "conviction"):
    someone = person(world)
    event(world, someone, on, code, kind=kind, offence_on=on)
    store_scores(world, {someone: Scores(ogrs3=ogrs)})
    return someone


def _listed(world):
    return candidates_for(world.users["police"], POLICY, AS_AT)


@pytest.mark.parametrize(("ogrs", "london"), [(75, True), (74, False)])
def test_ogrs_75_or_more_is_the_cohort_without_robbery_or_burglary(world, ogrs, london):
    someone = _someone(world, ogrs)
    assert (suggested(_listed(world), someone) == "london") is london


@pytest.mark.parametrize(("ogrs", "london"), [(74, True), (51, True), (50, False)])
def test_51_to_74_with_a_burglary_in_the_last_12_months(world, ogrs, london):
    someone = _someone(world, ogrs, "28E")
    assert (suggested(_listed(world), someone) == "london") is london


def test_a_robbery_charge_counts_as_a_recent_offence(world):
    someone = _someone(world, 60, "34B", kind="charge")
    event(world, someone, date(2025, 2, 1), "46")
    assert suggested(_listed(world), someone) == "london"


def test_a_burglary_13_months_ago_is_not_recent(world):
    someone = _someone(world, 60, "28E", on=date(2024, 5, 1))
    event(world, someone, date(2025, 2, 1), "46")
    candidate = found(_listed(world), someone)
    assert candidate is not None
    assert candidate.suggested_cohort_type is None
    assert candidate.near_miss


def test_50_with_a_burglary_is_a_near_miss_with_the_reason(world):
    someone = _someone(world, 50, "28E")
    candidate = found(_listed(world), someone)
    assert candidate is not None
    assert candidate.near_miss
    assert any("OGRS 3 (2-year) 50 (wanted 51 to 74)" in r for r in candidate.reasons())
