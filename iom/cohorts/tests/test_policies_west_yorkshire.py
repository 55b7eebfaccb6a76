"""West Yorkshire (seed 003): Risk of Reoffending grades, Risk of Harm, Statutory."""

from __future__ import annotations

from datetime import date

import pytest

from iom.cohorts.candidates import candidates_for
from iom.cohorts.tests.factories import (
    AS_AT,
    Scores,
    event,
    found,
    mappa,
    person,
    registered,
    store_scores,
    suggested,
)

POLICY = "west-yorkshire"
RECENT = date(2025, 4, 1)


def _listed(world):
    return candidates_for(world.users["police"], POLICY, AS_AT)


@pytest.mark.parametrize(("score", "cohort"), [
    (1000, "risk_of_reoffending"), (500, "risk_of_reoffending"), (499, None)])
def test_risk_of_reoffending_is_graded_medium_or_high(world, score, cohort):
    someone = person(world)
    event(world, someone, RECENT, "46")
    store_scores(world, {someone: Scores(risk=score)})
    assert suggested(_listed(world), someone) == cohort


def test_low_grade_is_a_near_miss(world):
    someone = person(world)
    event(world, someone, RECENT, "46")
    store_scores(world, {someone: Scores(risk=350)})
    candidate = found(_listed(world), someone)
    assert candidate is not None
    assert candidate.near_miss


def test_domestic_abuse_offending_is_risk_of_harm_without_the_6_month_exclusion(world):
    someone = person(world)
    event(world, someone, date(2024, 6, 1), "8N", kind="charge", domestic_abuse=True)
    store_scores(world, {someone: Scores(risk=100)})
    candidate = found(_listed(world), someone)
    assert candidate is not None
    assert candidate.suggested_cohort_type == ("risk_of_harm", "Risk of harm")
    assert candidate.exclusions == []
    assert candidate.included


def test_firearms_offending_25_months_ago_is_not_risk_of_harm(world):
    someone = person(world)
    event(world, someone, date(2023, 5, 1), "10B")
    store_scores(world, {someone: Scores(risk=100)})
    assert suggested(_listed(world), someone) is None


def test_mappa_and_registered_people_go_to_the_statutory_cohort_unexcluded(world):
    managed, registered_person = person(world), person(world)
    mappa(world, managed, 2)
    registered(world, registered_person)
    store_scores(world, {managed: Scores(), registered_person: Scores()})
    listed = _listed(world)
    for someone in (managed, registered_person):
        candidate = found(listed, someone)
        assert candidate is not None
        assert candidate.suggested_cohort_type == ("statutory", "Statutory")
        assert candidate.exclusions == []


def test_a_mappa_person_meeting_risk_of_reoffending_is_still_excluded_there(world):
    someone = person(world)
    event(world, someone, RECENT, "46")
    mappa(world, someone, 3)
    store_scores(world, {someone: Scores(risk=1200)})
    candidate = found(_listed(world), someone)
    assert candidate is not None
    assert candidate.suggested_cohort_type == ("risk_of_reoffending", "Risk of reoffending")
    assert [e.label for e in candidate.exclusions] == ["MAPPA level 2 or 3"]
    assert not candidate.included
