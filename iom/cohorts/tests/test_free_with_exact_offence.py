"""Derbyshire 2021 Free reaches people convicted of possession with intent to supply.

Seed 001 s4.3: "Free: offenders convicted of possession with intent to supply ...
provided that their OGRS exceeds 50%". The Home Office code 92A covers supply and
production, two OGRS 3 categories, so OGRS 3 is worked out only when the conviction
records its exact category (docs/scores.md, "The exact offence category").
"""

from __future__ import annotations

from datetime import date

from iom.cohorts.candidates import candidates_for
from iom.cohorts.tests.factories import AS_AT, event, found, person, suggested
from iom.people import services

POLICY = "derbyshire-2021"


def _ogrs3(candidate):
    return next(s.value for s in candidate.scores if s.name == "ogrs3")


def _supplier(world):
    """Seven shoplifting convictions from age 16, then 92A three months ago: OGRS 3 68%
    as at 2 June 2025 once the 92A conviction is possession with intent to supply."""
    someone = person(world, born=date(2002, 5, 1))
    for i in range(1, 8):
        event(world, someone, date(2018 + i // 2, 1 + (i % 2) * 5, 10), "46")
    return someone, event(world, someone, date(2025, 3, 3), "92A")


def test_92a_with_its_category_is_scored_and_proposed_for_free(world):
    someone, conviction = _supplier(world)
    services.set_ogrs3_category(event=conviction, category="drug_possession_supply",
                                acting_user=world.users["probation"], through="test")
    candidate = found(candidates_for(world.users["probation"], POLICY, AS_AT), someone)
    assert candidate is not None
    assert _ogrs3(candidate) == 68
    assert suggested(candidates_for(world.users["probation"], POLICY, AS_AT), someone) == "free"


def test_92a_without_its_category_has_no_ogrs3_and_is_not_free(world):
    someone, _ = _supplier(world)
    # The same person is listed once the category is recorded (the test above): without
    # it there is no OGRS 3, so no Free criterion is met or nearly met.
    assert found(candidates_for(world.users["probation"], POLICY, AS_AT), someone) is None


def test_production_is_scored_too_but_stays_below_free(world):
    # The same person with the other category 92A allows: production, import or export.
    someone, conviction = _supplier(world)
    services.set_ogrs3_category(event=conviction, category="drug_import_export_production",
                                acting_user=world.users["probation"], through="test")
    candidate = found(candidates_for(world.users["probation"], POLICY, AS_AT), someone)
    assert candidate is not None and _ogrs3(candidate) < 51
    assert suggested(candidates_for(world.users["probation"], POLICY, AS_AT), someone) != "free"

