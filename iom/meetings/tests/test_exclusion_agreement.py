"""A meeting accepts a person an exclusion of the scheme applies to only with the
partnership agreement recorded (000, 001 s4); the item page shows the exclusions.

Here the consented person has no conviction on record, so the common exclusion
"no conviction in the last 6 months at liberty" applies to them.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import World
from iom.cohorts.lifecycle import CohortState
from iom.cohorts.models import CohortMembership, PanelDecision
from iom.cohorts.tests.factories import on_cohort, refer, to_panel
from iom.core.errors import DomainError
from iom.meetings import services
from iom.meetings.models import AgendaItem
from iom.meetings.tests.conftest import Room
from iom.meetings.tests.factories import THROUGH, arrange, attend, sign_all

pytestmark = pytest.mark.django_db
AGREEMENT = ("Every agency present agreed to include the person on current intelligence "
             "of acquisitive offending")
EXCLUSION = "No conviction in the last 6 months at liberty"


@pytest.fixture
def excluded(world: World) -> Room:
    """A running tasking meeting with the consented person, unconvicted, awaiting it."""
    red = on_cohort(world, world.person, rag="red")
    awaiting = to_panel(world, refer(world, world.consented))
    meeting = arrange(world)
    attendance = attend(world, meeting, "police", "probation", "housing", "mentor")
    sign_all(world, attendance)
    police = world.users["police"]
    services.generate_agenda(meeting=meeting, acting_user=police, through=THROUGH)
    meeting = services.open_meeting(meeting=meeting, acting_user=police, through=THROUGH)
    return Room(world, meeting, red, awaiting, attendance)


def _item(room: Room) -> AgendaItem:
    return room.meeting.items.get(nominal=room.world.consented)


def _accept(room: Room, agreement: str = "") -> Any:
    w = room.world
    return services.record_decision(
        item=_item(room), kind="accept", rationale="Prolific burglary linked to drug use",
        agreeing=[w.orgs["police"], w.orgs["probation"]], acting_user=w.users["police"],
        through=THROUGH, exclusion_agreement=agreement)


def test_the_meeting_accepts_an_excluded_person_only_with_the_agreement(excluded: Room
                                                                        ) -> None:
    with pytest.raises(DomainError) as refused:
        _accept(excluded)
    assert "Record the partnership agreement" in str(refused.value.problems)
    assert not PanelDecision.objects.filter(membership=excluded.awaiting).exists()
    assert not _item(excluded).decisions.exists()
    decision = _accept(excluded, AGREEMENT)
    made = PanelDecision.objects.get(membership=excluded.awaiting)
    assert made.outcome == "accept" and made.exclusion_agreement == AGREEMENT
    assert [hit["label"] for hit in made.overridden_exclusions] == [EXCLUSION]
    assert decision.case_record == f"cohort_decision:{made.pk}"


def test_declining_an_excluded_person_needs_no_agreement(excluded: Room) -> None:
    w = excluded.world
    services.record_decision(
        item=_item(excluded), kind="decline", rationale="Not enough recent offending",
        agreeing=[w.orgs["police"], w.orgs["probation"]], acting_user=w.users["police"],
        through=THROUGH)
    assert (CohortMembership.objects.get(pk=excluded.awaiting.pk).state
            == CohortState.DECLINED)


def test_the_item_page_shows_the_exclusions_and_takes_the_agreement(client: Any,
                                                                     excluded: Room) -> None:
    w, m = excluded.world, excluded.meeting
    client.force_login(w.users["police"])
    url = f"/meetings/{m.pk}/items/{_item(excluded).pk}/"
    page = client.get(url).content.decode()
    assert EXCLUSION in page and "decision-exclusion_agreement" in page
    form = {"decision-which": "decision", "decision-kind": "accept",
            "decision-rationale": "Agreed by all agencies present",
            "decision-agreeing": [w.orgs["police"].pk, w.orgs["probation"].pk]}
    response = client.post(url, form)
    assert response.status_code == 200
    assert "Record the partnership agreement" in response.content.decode()
    response = client.post(url, {**form, "decision-exclusion_agreement": AGREEMENT})
    assert response.status_code == 302
    assert PanelDecision.objects.get(membership=excluded.awaiting
                                     ).exclusion_agreement == AGREEMENT


def test_no_exclusion_is_shown_for_a_person_already_on_the_cohort(client: Any,
                                                                  excluded: Room) -> None:
    w, m = excluded.world, excluded.meeting
    client.force_login(w.users["police"])
    item = m.items.get(nominal=w.person)
    assert EXCLUSION not in client.get(f"/meetings/{m.pk}/items/{item.pk}/").content.decode()


def test_the_api_passes_the_agreement(client: Any, excluded: Room, token_for: Any) -> None:
    w = excluded.world
    url = f"/api/meetings/{excluded.meeting.pk}/items/{_item(excluded).pk}/decisions"
    body = {"kind": "accept", "rationale": "Agreed by all agencies present",
            "agreeing_ids": [w.orgs["police"].pk, w.orgs["probation"].pk]}
    auth = token_for("police")
    response = client.post(url, json.dumps(body), content_type="application/json",
                           HTTP_AUTHORIZATION=auth)
    assert response.status_code == 422, response.json()
    response = client.post(url, json.dumps({**body, "exclusion_agreement": AGREEMENT}),
                           content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert response.status_code == 201, response.json()
    assert PanelDecision.objects.get(membership=excluded.awaiting
                                     ).exclusion_agreement == AGREEMENT
