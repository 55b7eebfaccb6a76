"""Candidates on the generated agenda: the first on the partnership's candidate list who
meet a cohort type in full, as many as the rules allow, each with the type suggested."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings

from conftest import World
from iom.audit.models import AccessLogEntry
from iom.cohorts import selectors as cohort_selectors
from iom.cohorts.candidates import Candidate, candidates_for
from iom.cohorts.tests.factories import (
    AS_AT,
    Scores,
    event,
    mappa,
    on_probation,
    person,
    refer,
    store_scores,
)
from iom.meetings import services
from iom.meetings.grounds import notes_for
from iom.meetings.models import ItemSource, Meeting
from iom.meetings.tests.factories import THROUGH, arrange

pytestmark = pytest.mark.django_db
RECENT = date(2025, 4, 1)
POLICY = "derbyshire-2015"


@pytest.fixture
def listed(world: World) -> World:
    """People who meet a cohort type, nearly meet one, or meet one with an exclusion."""
    scored = {}
    for ogrs3, code, excluded in [(95, "46", False), (92, "28E", True), (85, "46", False),
                                  (78, "28E", False), (60, "34A", False), (52, "46", True),
                                  (91, "46", False), (40, "28E", False)]:
        someone = person(world)
        event(world, someone, RECENT, code)
        event(world, someone, date(2024, 9, 2), "28E")
        on_probation(world, someone)
        if excluded:
            mappa(world, someone, 2)
        scored[someone] = Scores(ogrs3=ogrs3, risk=800, iom_matrix=ogrs3)
    nearly = person(world)  # one short of Tier 2 under the 2015 policy
    event(world, nearly, RECENT, "46")
    scored[nearly] = Scores(ogrs3=79, iom_matrix=85)
    store_scores(world, scored)
    return world


def _meeting(world: World) -> Meeting:
    return arrange(world, held_on=AS_AT)


def _whole_list(world: World) -> list[Candidate]:
    return candidates_for(world.users["police"], POLICY, AS_AT).candidates


def _generate(world: World, meeting: Meeting) -> None:
    services.generate_agenda(meeting=meeting, acting_user=world.users["police"], through=THROUGH)


def _candidate_items(meeting: Meeting) -> list[tuple[int | None, str]]:
    police = meeting.chair
    return [(i.nominal_id, notes_for(i, police)) for i in meeting.items.all()
            if ItemSource.CANDIDATE in i.reasons]


@override_settings(IOM_MEETING_POLICIES={})
def test_those_who_meet_a_cohort_type_come_in_list_order_with_the_type(listed: World) -> None:
    whole = _whole_list(listed)
    meeting = _meeting(listed)
    _generate(listed, meeting)
    meeting_type = [c for c in whole if c.suggested_cohort_type is not None]
    near = [c for c in whole if c.suggested_cohort_type is None]
    assert meeting_type and near, "the people should include both kinds"
    items = _candidate_items(meeting)
    assert [pk for pk, _ in items] == [c.nominal_id for c in meeting_type][:10]
    for (_, notes), c in zip(items, meeting_type, strict=False):
        assert c.suggested_cohort_type is not None
        assert f"meets the criteria for {c.suggested_cohort_type[1]}" in notes
    assert not {c.nominal_id for c in near} & {pk for pk, _ in items}


@override_settings(IOM_MEETING_POLICIES={}, IOM_MEETING_RULES={"candidates_max": 2})
def test_the_rules_cap_them_and_only_those_read_are_logged(listed: World) -> None:
    first_two = [c.nominal_id for c in _whole_list(listed)[:2]]
    meeting = _meeting(listed)
    before = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    _generate(listed, meeting)
    assert [pk for pk, _ in _candidate_items(meeting)] == first_two
    read = AccessLogEntry.objects.filter(id__gt=before, through="candidate list")
    assert sorted(e.nominal_id or 0 for e in read) == sorted(first_two)


@override_settings(IOM_MEETING_POLICIES={}, IOM_MEETING_RULES={"candidates_max": 0})
def test_a_cap_of_nought_brings_no_candidates(listed: World) -> None:
    meeting = _meeting(listed)
    _generate(listed, meeting)
    assert _candidate_items(meeting) == []


def test_candidates_come_after_new_referrals(listed: World) -> None:
    refer(listed, listed.consented)
    meeting = _meeting(listed)
    _generate(listed, meeting)
    reasons = [i.reasons[0] for i in meeting.items.all()]
    assert reasons[0] == ItemSource.REFERRAL and reasons[1] == ItemSource.CANDIDATE


def test_the_partnership_policy_is_the_one_its_cases_are_under(world: World) -> None:
    with override_settings(IOM_MEETING_POLICIES={}):
        assert cohort_selectors.scheme_policy(world.north.pk).name == POLICY  # no cases: the first
        case = refer(world, world.consented)
        assert cohort_selectors.scheme_policy(world.north.pk).name == case.policy_name
    with override_settings(IOM_MEETING_POLICIES={world.north.name: "london"}):
        assert cohort_selectors.scheme_policy(world.north.pk).name == "london"


@override_settings(IOM_MEETING_POLICIES={})
def test_the_agenda_page_shows_the_type_suggested(client, listed: World) -> None:
    meeting = _meeting(listed)
    _generate(listed, meeting)
    client.force_login(listed.users["police"])
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Candidate for selection" in page
    assert "Candidate under Derbyshire 2015: meets the criteria for Tier 1" in page
