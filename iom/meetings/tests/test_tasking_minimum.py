"""The tasking minimum around bank holidays and part weeks (docs/meetings.md)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
import time_machine

from iom.meetings import selectors, services
from iom.meetings.models import Meeting
from iom.meetings.services.meetings import meeting_days
from iom.meetings.tests.factories import THROUGH

pytestmark = pytest.mark.django_db

MON_WED_FRI = [0, 2, 4]


def _schedule(world, weekdays: list[int], starts_on: date, ends_on: date):
    return services.create_schedule(
        kind="tasking", title="Daily tasking", weekdays=weekdays, every_weeks=1,
        starts_on=starts_on, ends_on=ends_on, start_time=time(9, 30),
        acting_user=world.users["police"], through=THROUGH)


def test_a_schedule_skips_christmas_boxing_day_substitute_and_new_year() -> None:
    days = meeting_days(MON_WED_FRI, 1, date(2026, 12, 21), date(2027, 1, 3))
    assert days == [date(2026, 12, 21), date(2026, 12, 23), date(2026, 12, 30)]


@time_machine.travel(date(2026, 11, 30), tick=False)
def test_the_christmas_weeks_are_no_breach(world) -> None:
    _schedule(world, MON_WED_FRI, date(2026, 11, 30), date(2027, 2, 25))
    assert not Meeting.objects.filter(held_on__in=[date(2026, 12, 25), date(2027, 1, 1)])
    assert selectors.tasking_breaches(world.north.pk, date(2026, 12, 3),
                                      date(2026, 12, 30)) == []
    assert selectors.tasking_breaches(world.north.pk, date(2026, 12, 3),
                                      date(2027, 1, 10)) == []


@time_machine.travel(date(2026, 12, 3), tick=False)
def test_a_bank_holiday_week_with_too_few_days_is_still_a_breach(world) -> None:
    _schedule(world, [2], date(2026, 12, 21), date(2027, 1, 3))  # Wednesdays only
    breaches = selectors.tasking_breaches(world.north.pk, date(2026, 12, 21),
                                          date(2026, 12, 27))
    assert [(b.week_starting, b.days, b.required) for b in breaches] == [
        (date(2026, 12, 21), 1, 2)]


@time_machine.travel(date(2027, 3, 1), tick=False)
def test_a_part_week_asks_no_more_than_the_working_days_it_covers(world) -> None:
    monday = date(2027, 3, 8)
    _schedule(world, [0], monday, monday + timedelta(days=6))  # Mondays only
    tuesday = monday + timedelta(days=1)
    breaches = selectors.tasking_breaches(world.north.pk, monday, monday)
    assert breaches == []  # one working day covered, one meeting
    breaches = selectors.tasking_breaches(world.north.pk, monday, tuesday)
    assert [(b.days, b.required) for b in breaches] == [(1, 2)]


@time_machine.travel(date(2027, 3, 1), tick=False)
def test_meetings_after_the_period_end_count_towards_its_last_week(world) -> None:
    monday = date(2027, 3, 8)
    _schedule(world, MON_WED_FRI, monday, monday + timedelta(days=6))
    assert selectors.tasking_breaches(world.north.pk, monday, monday + timedelta(days=1)) == []
