"""Schedules and the policy minimums; attendance and the signed statement."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from iom.core.errors import DomainError, Forbidden
from iom.meetings import selectors, services
from iom.meetings.models import MeetingState
from iom.meetings.services.meetings import meeting_days
from iom.meetings.tests.conftest import Room
from iom.meetings.tests.factories import THROUGH, arrange

pytestmark = pytest.mark.django_db


def _next_monday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


def _schedule(world, weekdays: list[int], weeks: int = 2, every: int = 1):
    start = _next_monday()
    return services.create_schedule(
        kind="tasking", title="Daily tasking", weekdays=weekdays, every_weeks=every,
        starts_on=start, ends_on=start + timedelta(weeks=weeks, days=-1),
        start_time=time(9, 0), acting_user=world.users["police"], through=THROUGH)


@time_machine.travel(date(2027, 3, 1), tick=False)  # two weeks with no bank holiday
def test_schedule_creates_each_meeting_and_meets_the_minimum(world) -> None:
    made = _schedule(world, [0, 2, 4])
    assert made.meetings.count() == 6
    start = _next_monday()
    assert selectors.tasking_breaches(world.north.pk, start, start + timedelta(days=13)) == []


@time_machine.travel(date(2027, 3, 1), tick=False)  # two weeks with no bank holiday
def test_too_few_tasking_days_is_a_breach_shown_on_the_list(world, client) -> None:
    _schedule(world, [1, 3])
    start = _next_monday()
    breaches = selectors.tasking_breaches(world.north.pk, start, start + timedelta(days=13))
    assert [b.days for b in breaches] == [2, 2]
    client.force_login(world.users["police"])
    page = client.get("/meetings/").content.decode()
    assert "tasking meets on 2 days; the policy asks for at least 3" in page


@override_settings(IOM_MEETING_RULES={"tasking_days_per_week": 2})
@time_machine.travel(date(2027, 3, 1), tick=False)  # two weeks with no bank holiday
def test_the_minimum_is_configurable(world) -> None:
    _schedule(world, [1, 3])
    start = _next_monday()
    assert selectors.tasking_breaches(world.north.pk, start, start + timedelta(days=13)) == []


def test_fortnightly_days() -> None:
    days = meeting_days([2], 2, date(2026, 1, 5), date(2026, 2, 1))
    assert days == [date(2026, 1, 7), date(2026, 1, 21)]


def test_schedule_refuses_bad_input_by_field(world) -> None:
    with pytest.raises(DomainError) as refused:
        services.create_schedule(kind="tasking", title="", weekdays=[], every_weeks=9,
                                 starts_on=date(2020, 1, 1), ends_on=date(2019, 1, 1),
                                 start_time=None, acting_user=world.users["police"],
                                 through=THROUGH)
    fields = {p.field for p in refused.value.problems}
    assert fields == {"title", "weekdays", "every_weeks", "starts_on", "ends_on", "start_time"}


def test_the_meeting_opens_only_when_everyone_has_signed(room: Room) -> None:
    w = room.world
    police = w.users["police"]
    with pytest.raises(DomainError, match="not opened") as refused:
        services.open_meeting(meeting=room.meeting, acting_user=police, through=THROUGH)
    assert "Not yet signed" in str(refused.value)
    services.sign_statement(attendance=room.attendance["mentor"], acting_user=w.users["mentor"],
                            through=THROUGH)
    with pytest.raises(Forbidden):
        services.sign_statement(attendance=room.attendance["housing"],
                                acting_user=w.users["mentor"], through=THROUGH)
    for persona in ("police", "probation", "housing"):
        services.sign_statement(attendance=room.attendance[persona], acting_user=police,
                                through=THROUGH)
    with pytest.raises(DomainError, match="already signed"):
        services.sign_statement(attendance=room.attendance["mentor"],
                                acting_user=w.users["mentor"], through=THROUGH)
    opened = services.open_meeting(meeting=room.meeting, acting_user=police, through=THROUGH)
    assert opened.state == MeetingState.OPEN
    on_paper = opened.attendances.get(pk=room.attendance["housing"].pk)
    assert on_paper.signed_in_person and on_paper.signature_recorded_by == police


def test_a_future_meeting_cannot_open_and_can_be_cancelled(world) -> None:
    meeting = arrange(world, held_on=timezone.localdate() + timedelta(days=3))
    with pytest.raises(DomainError, match="open it on the day"):
        services.open_meeting(meeting=meeting, acting_user=world.users["police"],
                              through=THROUGH)
    cancelled = services.cancel_meeting(meeting=meeting, reason="Bank holiday",
                                        acting_user=world.users["police"], through=THROUGH)
    assert cancelled.state == MeetingState.CANCELLED


@override_settings(IOM_CONFIDENTIALITY_STATEMENT="Our own statement of confidence.")
def test_the_statement_is_configurable_and_kept_with_the_meeting(world) -> None:
    assert arrange(world).statement == "Our own statement of confidence."


def test_the_default_statement_is_the_agreement_appendix(world) -> None:
    assert "Article 8.2 European Convention of Human Rights" in arrange(world).statement


def test_attendees_come_from_the_partnership(room: Room) -> None:
    w = room.world
    with pytest.raises(DomainError, match="not added"):
        services.add_attendee(meeting=room.meeting, name="Visitor",
                              organisation=w.orgs["west_police"], acting_user=w.users["police"],
                              through=THROUGH)
    guest = services.add_attendee(meeting=room.meeting, name="A Guest",
                                  organisation=w.orgs["drug_alcohol"],
                                  acting_user=w.users["police"], through=THROUGH)
    assert guest.user is None and str(guest) == "A Guest (Northshire Recovery)"
