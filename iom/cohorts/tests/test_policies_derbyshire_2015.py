"""Derbyshire 2015 (seed 000 Strategy App A "Entry Level"): OGRS 3 tiers and the matrix."""

from __future__ import annotations

from datetime import date

import pytest

from iom.audit.models import AccessLogEntry
from iom.cohorts.candidates import candidates_for
from iom.cohorts.tests.factories import (
    AS_AT,
    Scores,
    criterion,
    event,
    found,
    person,
    refer,
    store_scores,
    suggested,
)

POLICY = "derbyshire-2015"
RECENT = date(2025, 3, 3)  # a conviction inside the last 6 months at liberty


@pytest.mark.parametrize(("ogrs", "tier"), [(90, "tier_1"), (89, "tier_2"), (80, "tier_2")])
def test_ogrs_tiers_at_their_edges(world, ogrs, tier):
    someone = person(world)
    event(world, someone, RECENT, "46")
    store_scores(world, {someone: Scores(ogrs3=ogrs, iom_matrix=85)})
    assert suggested(candidates_for(world.users["police"], POLICY, AS_AT), someone) == tier


def test_79_is_not_eligible_but_shown_as_a_near_miss_for_tier_2(world):
    someone = person(world)
    event(world, someone, RECENT, "46")
    store_scores(world, {someone: Scores(ogrs3=79, iom_matrix=85)})
    candidate = found(candidates_for(world.users["police"], POLICY, AS_AT), someone)
    assert candidate is not None
    assert candidate.suggested_cohort_type is None
    assert candidate.near_miss
    assert candidate.nearest_cohort_type == ("tier_2", "Tier 2: professional judgement "
                                                       "(OGRS 3 80-89)")
    met, why = criterion(candidate, "OGRS 3 2-year score 80 to 89")
    assert not met
    assert "79" in why


def test_tier_2_is_ogrs_80_to_89_and_the_matrix_only_an_indicator(world):
    """000 App A Entry Level: "2 | 80 - 89 | Professional judgement - To complete IOM
    referral form and matrix": the matrix follows the referral, so it is shown, not asked."""
    at_80, at_79, unscored = person(world), person(world), person(world)
    for someone in (at_80, at_79, unscored):
        event(world, someone, RECENT, "46")
    store_scores(world, {at_80: Scores(ogrs3=85, iom_matrix=80),
                         at_79: Scores(ogrs3=85, iom_matrix=79), unscored: Scores(ogrs3=85)})
    listed = candidates_for(world.users["police"], POLICY, AS_AT)
    for someone in (at_80, at_79, unscored):
        assert suggested(listed, someone) == "tier_2"
    met, _ = criterion(found(listed, at_79), "IOM Matrix 80 or more")
    assert not met
    met, _ = criterion(found(listed, at_80), "IOM Matrix 80 or more")
    assert met


def test_far_below_every_threshold_is_not_listed(world):
    someone = person(world)
    event(world, someone, RECENT, "46")
    store_scores(world, {someone: Scores(ogrs3=60, iom_matrix=20)})
    assert found(candidates_for(world.users["police"], POLICY, AS_AT), someone) is None


def test_people_with_an_open_case_are_not_candidates(world):
    someone = person(world)
    event(world, someone, RECENT, "46")
    store_scores(world, {someone: Scores(ogrs3=95)})
    refer(world, someone, policy=POLICY)
    assert found(candidates_for(world.users["police"], POLICY, AS_AT), someone) is None


def test_the_list_is_scoped_and_each_listed_person_logged(world):
    someone = person(world)
    event(world, someone, RECENT, "46")
    store_scores(world, {someone: Scores(ogrs3=95), world.foreign: Scores(ogrs3=99)})
    listed = candidates_for(world.users["police"], POLICY, AS_AT)
    assert [c.nominal_id for c in listed.candidates] == [someone.pk]
    entry = AccessLogEntry.objects.get(nominal_id=someone.pk, through="candidate list")
    assert entry.user_id == world.users["police"].pk
    theirs = candidates_for(world.users["outsider"], POLICY, AS_AT)
    assert [c.nominal_id for c in theirs.candidates] == [world.foreign.pk]
    assert not candidates_for(world.users["analyst"], POLICY, AS_AT).candidates


def test_scores_are_shown_with_their_values_and_bands(world):
    someone = person(world)
    event(world, someone, RECENT, "46")
    store_scores(world, {someone: Scores(ogrs3=92, iom_matrix=95, crime_severity=1200)})
    candidate = found(candidates_for(world.users["police"], POLICY, AS_AT), someone)
    assert candidate is not None
    used = {s.name: s for s in candidate.scores}
    assert used["ogrs3"].value == 92
    assert used["iom_matrix"].band == "to_panel"
    assert used["crime_severity"].value == 1200
    assert used["ogrs3"].as_at == AS_AT
