"""Actions: raised by any source, owned by a person or an organisation, updated and closed;
an owner must be able to see the person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from iom.audit.models import AccessLogEntry
from iom.casework import services
from iom.casework.models import ActionStatus
from iom.casework.selectors import my_actions, overdue_actions
from iom.core.errors import DomainError


def _raise(world, **overrides):
    fields = {"nominal": world.person, "title": "Home visit after release",
              "owner_user": world.users["probation"],
              "due_on": timezone.localdate() + timedelta(days=3),
              "priority": "high", "source_kind": "meeting", "source_ref": "meeting:12",
              "acting_user": world.users["police"], "through": "test"}
    return services.create_action(**{**fields, **overrides})


def test_a_meeting_raises_an_action_and_it_is_logged(world):
    action = _raise(world)
    assert action.source_kind == "meeting" and action.source_ref == "meeting:12"
    entry = AccessLogEntry.objects.filter(nominal_id=world.person.pk, action="create").first()
    assert entry.detail["event"] == "action raised"
    assert list(my_actions(world.users["probation"])) == [action]


def test_an_organisation_can_own_an_action(world):
    action = _raise(world, owner_user=None, owner_organisation=world.orgs["council"])
    assert action.owner_label == "Northshire City Council"
    assert list(my_actions(world.users["housing"])) == [action]


def test_an_owner_who_cannot_see_the_person_is_refused(world):
    with pytest.raises(DomainError) as refused:
        _raise(world, owner_user=world.users["mentor"])
    assert refused.value.problems[0].field == "owner"
    with pytest.raises(DomainError):
        _raise(world, owner_user=None, owner_organisation=world.orgs["voluntary"])


def test_a_partner_with_consent_may_own_an_action(world):
    action = _raise(world, nominal=world.consented, owner_user=world.users["mentor"])
    assert list(my_actions(world.users["mentor"])) == [action]


def test_one_owner_only_and_a_due_date_not_past(world):
    with pytest.raises(DomainError):
        _raise(world, owner_organisation=world.orgs["council"])
    with pytest.raises(DomainError):
        _raise(world, due_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(DomainError):
        _raise(world, source_kind="rumour")


def test_updates_then_a_result_close_the_action(world):
    action = _raise(world)
    services.add_action_update(action=action, note="Visited, no answer",
                               acting_user=world.users["probation"], through="test")
    closed = services.close_action(action=action, result="Seen at home on the second visit",
                                   closed_on=timezone.localdate(), through="test",
                                   acting_user=world.users["probation"])
    assert closed.status == ActionStatus.DONE and action.updates.count() == 1
    with pytest.raises(DomainError):
        services.add_action_update(action=action, note="Late note",
                                   acting_user=world.users["probation"], through="test")


def test_overdue_actions(world):
    action = _raise(world)
    later = timezone.localdate() + timedelta(days=10)
    assert list(overdue_actions(world.users["probation"], later)) == [action]
    assert list(overdue_actions(world.users["probation"], timezone.localdate())) == []
    assert list(overdue_actions(world.users["mentor"], later)) == []
