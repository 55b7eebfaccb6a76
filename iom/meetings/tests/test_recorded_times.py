"""A past meeting carries its own times: the services take the time a signature,
opening or finish happened when it is recorded afterwards (the demo's past meetings),
and refuse a time in the future or off the meeting's day."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from iom.accounts.models import Role, User
from iom.core.errors import DomainError
from iom.meetings import services
from iom.meetings.demo import TASKING_AT, seed_meetings
from iom.meetings.models import Meeting, MeetingState
from iom.meetings.tests.conftest import Room
from iom.meetings.tests.factories import THROUGH, arrange, attend

pytestmark = pytest.mark.django_db


def _at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def test_the_demos_past_meetings_are_signed_opened_and_finished_on_their_day(world):
    world.users["coordinator"] = User.objects.create_user(
        username="coordinator", password="Not-used-in-tests-4821",
        organisation=world.orgs["police"], role=Role.COORDINATOR)
    users = {"coordinator": world.users["coordinator"], "police.om": world.users["police"],
             "probation.officer": world.users["probation"],
             "housing.officer": world.users["housing"], "mentor": world.users["mentor"]}
    seed_meetings(users=users, orgs=world.orgs, say=lambda _: None)
    held = list(Meeting.objects.filter(state=MeetingState.CLOSED))
    assert held
    for meeting in held:
        starts = _at(meeting.held_on, TASKING_AT.hour, TASKING_AT.minute)
        assert meeting.opened_at == starts
        assert timezone.localdate(meeting.closed_at) == meeting.held_on
        for attendance in meeting.attendances.all():
            assert attendance.signed_at is not None
            assert starts - timedelta(hours=1) < attendance.signed_at <= starts


def test_a_past_meeting_can_be_recorded_with_its_times(world):
    yesterday = timezone.localdate() - timedelta(days=1)
    meeting = arrange(world, held_on=yesterday)
    found = attend(world, meeting, "police", "probation")
    for persona, attendance in found.items():
        services.sign_statement(attendance=attendance, acting_user=world.users[persona],
                                through=THROUGH, signed_at=_at(yesterday, 9, 25))
    police = world.users["police"]
    services.open_meeting(meeting=meeting, acting_user=police, through=THROUGH,
                          at=_at(yesterday, 9, 30))
    with pytest.raises(DomainError) as refused:
        services.close_meeting(meeting=meeting, acting_user=police, through=THROUGH,
                               at=_at(yesterday, 9, 0))
    assert [p.field for p in refused.value.problems] == ["closed_at"]
    closed = services.close_meeting(meeting=meeting, acting_user=police, through=THROUGH,
                                    at=_at(yesterday, 10, 30))
    assert timezone.localtime(closed.closed_at).time() == time(10, 30)


def test_a_time_in_the_future_or_off_the_day_is_refused(room: Room):
    world, meeting = room.world, room.meeting
    attendance = room.attendance["police"]
    for when in (timezone.now() + timedelta(hours=2), _at(meeting.held_on + timedelta(days=1), 9)):
        with pytest.raises(DomainError) as refused:
            services.sign_statement(attendance=attendance, acting_user=world.users["police"],
                                    through=THROUGH, signed_at=when)
        assert [p.field for p in refused.value.problems] == ["signed_at"]
    attendance.refresh_from_db()
    assert attendance.signed_at is None
    with pytest.raises(DomainError) as refused:
        services.open_meeting(meeting=meeting, acting_user=world.users["police"],
                              through=THROUGH, at=_at(meeting.held_on - timedelta(days=1), 9))
    assert "opened_at" in [p.field for p in refused.value.problems]
