"""Minutes, decisions that feed the cohort lifecycle, and actions raised at the meeting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from iom.casework.models import Action as CaseAction
from iom.cohorts.lifecycle import CohortState
from iom.cohorts.models import CohortMembership, PanelDecision
from iom.core.errors import DomainError
from iom.meetings import services
from iom.meetings.models import AgendaItem
from iom.meetings.tests.conftest import Room
from iom.meetings.tests.factories import THROUGH, logged
from iom.people.models import Nominal

pytestmark = pytest.mark.django_db


def _item(room: Room, person: Nominal) -> AgendaItem:
    return room.meeting.items.get(nominal=person)


def test_accept_at_the_meeting_is_a_panel_decision_in_the_case(running: Room) -> None:
    w = running.world
    item = _item(running, w.consented)
    decision = services.record_decision(
        item=item, kind="accept", rationale="Prolific burglary linked to drug use; agreed",
        agreeing=[w.orgs["police"], w.orgs["probation"]], acting_user=w.users["police"],
        through=THROUGH)
    made = PanelDecision.objects.get(membership=running.awaiting)
    assert made.meeting == "tasking" and made.outcome == "accept"
    assert {o.name for o in made.present.all()} == {
        "Northshire Police", "Northshire Probation", "Northshire City Council",
        "Northshire Mentors"}
    assert decision.case_record == f"cohort_decision:{made.pk}"
    assert logged("meeting_decision", decision.pk, "create")


def test_the_partner_shut_out_is_not_counted_present_for_a_closed_item(running: Room) -> None:
    w = running.world
    services.record_decision(item=_item(running, w.person), kind="rag", rag="amber",
                             rationale="Arrested and charged; now engaging with probation",
                             acting_user=w.users["police"], through=THROUGH)
    assert CohortMembership.objects.get(pk=running.red.pk).rag == "amber"


def test_a_decision_needs_the_quorum(room: Room) -> None:
    w = room.world
    services.remove_attendee(attendance=room.attendance["housing"], acting_user=w.users[
        "police"], through=THROUGH)
    for persona in ("police", "probation", "mentor"):
        services.sign_statement(attendance=room.attendance[persona], acting_user=w.users[
            persona], through=THROUGH)
    services.generate_agenda(meeting=room.meeting, acting_user=w.users["police"],
                             through=THROUGH)
    services.open_meeting(meeting=room.meeting, acting_user=w.users["police"], through=THROUGH)
    with pytest.raises(DomainError) as refused:
        services.record_decision(item=_item(room, w.person), kind="deselection",
                                 rationale="Six months without offending now",
                                 acting_user=w.users["police"], through=THROUGH)
    assert "Only 2 agencies are present for this item" in str(refused.value)
    assert CohortMembership.objects.get(pk=room.red.pk).state == CohortState.ON_COHORT


def test_deselection_considered_at_the_meeting(running: Room) -> None:
    w = running.world
    services.record_decision(item=_item(running, w.person), kind="deselection",
                             rationale="No further offending for six months",
                             acting_user=w.users["police"], through=THROUGH)
    assert (CohortMembership.objects.get(pk=running.red.pk).state
            == CohortState.DESELECTION_CONSIDERED)


def test_minutes_and_actions_are_kept_with_the_item(running: Room) -> None:
    w = running.world
    item = _item(running, w.consented)
    services.record_minutes(item=item, text="Housing to check the hostel place (source: "
                            "council)", acting_user=w.users["police"], through=THROUGH)
    action = services.raise_action(
        item=item, title="Confirm the hostel place", owner_organisation=w.orgs["council"],
        due_on=timezone.localdate() + timedelta(days=7), priority="high",
        acting_user=w.users["police"], through=THROUGH)
    assert CaseAction.objects.get(pk=action.pk).source_kind == "meeting"
    assert action.source_ref == services.action_ref(item)
    assert logged("action", action.pk, "create")
    services.close_meeting(meeting=running.meeting, acting_user=w.users["police"],
                           through=THROUGH)
    with pytest.raises(DomainError, match="no longer be changed"):
        services.record_minutes(item=item, text="Too late", acting_user=w.users["police"],
                                through=THROUGH)


def test_nothing_is_decided_before_the_meeting_opens(room: Room) -> None:
    w = room.world
    services.generate_agenda(meeting=room.meeting, acting_user=w.users["police"],
                             through=THROUGH)
    with pytest.raises(DomainError) as refused:
        services.record_decision(item=_item(room, w.person), kind="deselection",
                                 rationale="No further offending for six months",
                                 acting_user=w.users["police"], through=THROUGH)
    assert refused.value.problems[0].message == "Open the meeting before recording decisions."
