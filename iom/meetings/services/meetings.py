"""Schedules and meetings: arrange, open, close, cancel."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from iom.accounts.models import User
from iom.audit.models import Action
from iom.audit.services import RecordRef, record_access
from iom.casework.confidentiality import confidentiality_statement
from iom.casework.workdays import is_bank_holiday
from iom.core.errors import DomainError, Problems

from ..models import Meeting, MeetingKind, MeetingState, Schedule
from ..rules import meeting_rules
from .base import clean_text, log, moment, refresh_sessions


def _partnership_id(user: User) -> int:
    assert user.organisation is not None
    return user.organisation.partnership_id


def _check_basics(problems: Problems, kind: str, title: str, start_time: time | None,
                  location: str) -> tuple[str, str]:
    if kind not in MeetingKind.values:
        problems.add("kind", "Choose the kind of meeting.")
    if start_time is None:
        problems.add("start_time", "Enter the start time, for example 09:30.")
    return (clean_text(problems, "title", title, 120, "Enter a title for the meeting."),
            clean_text(problems, "location", location, 160))


def meeting_days(weekdays: Sequence[int], every_weeks: int, starts_on: date,
                 ends_on: date) -> list[date]:
    """The days a schedule meets: chosen weekdays of every n-th week from the start,
    less the bank holidays of England and Wales (no meeting is arranged on Christmas
    Day or 1 January; the week's tasking minimum is lowered to match, see
    ``selectors.tasking_breaches``)."""
    first_monday = starts_on - timedelta(days=starts_on.weekday())
    days, day = [], starts_on
    while day <= ends_on:
        week = (day - first_monday).days // 7
        if (day.weekday() in weekdays and week % every_weeks == 0
                and not is_bank_holiday(day)):
            days.append(day)
        day += timedelta(days=1)
    return days


@transaction.atomic
def create_schedule(*, kind: str, title: str, weekdays: Sequence[int], every_weeks: int,
                    starts_on: date | None, ends_on: date | None, start_time: time | None,
                    location: str = "", acting_user: User, through: str) -> Schedule:
    """A recurring meeting, and each of its meetings from the start to the end date."""
    rules = meeting_rules()
    problems = Problems()
    title, location = _check_basics(problems, kind, title, start_time, location)
    days = sorted({int(d) for d in weekdays if str(d).isdigit() and 0 <= int(d) <= 6})
    if not days or len(days) != len(weekdays):
        problems.add("weekdays", "Choose the days of the week the meeting is held.")
    if not 1 <= every_weeks <= 8:
        problems.add("every_weeks", "Choose how often: every 1 to 8 weeks.")
    if starts_on is None or starts_on < timezone.localdate():
        problems.add("starts_on", "Enter a start date from today onwards.")
    if ends_on is None or (starts_on and ends_on < starts_on):
        problems.add("ends_on", "Enter an end date on or after the start date.")
    elif starts_on and ends_on > starts_on + timedelta(weeks=rules.schedule_weeks_max):
        problems.add("ends_on", f"A schedule covers at most {rules.schedule_weeks_max} weeks; "
                                f"make another for later dates.")
    problems.raise_if_any("The schedule was not saved.")
    assert starts_on and ends_on and start_time
    schedule = Schedule.objects.create(
        partnership_id=_partnership_id(acting_user), kind=kind, title=title, weekdays=days,
        every_weeks=every_weeks, starts_on=starts_on, ends_on=ends_on, start_time=start_time,
        location=location, created_by=acting_user)
    meetings = Meeting.objects.bulk_create([
        Meeting(partnership_id=schedule.partnership_id, schedule=schedule, kind=kind,
                title=title, held_on=day, start_time=start_time, location=location,
                chair=acting_user, statement=confidentiality_statement(),
                created_by=acting_user)
        for day in meeting_days(days, every_weeks, starts_on, ends_on)])
    record_access(user=acting_user, action=Action.CREATE, through=through,
                  records=[RecordRef("meeting_schedule", schedule.pk)],
                  detail={"title": title, "meetings": len(meetings), "weekdays": days,
                          "every_weeks": every_weeks, "from": starts_on, "to": ends_on})
    return schedule


@transaction.atomic
def arrange_meeting(*, kind: str, title: str, held_on: date | None, start_time: time | None,
                    location: str = "", acting_user: User, through: str) -> Meeting:
    """One meeting, chaired by whoever arranges it, with today's confidentiality statement."""
    problems = Problems()
    title, location = _check_basics(problems, kind, title, start_time, location)
    if held_on is None:
        problems.add("held_on", "Enter the date of the meeting.")
    problems.raise_if_any("The meeting was not arranged.")
    assert held_on and start_time
    meeting = Meeting.objects.create(
        partnership_id=_partnership_id(acting_user), kind=kind, title=title, held_on=held_on,
        start_time=start_time, location=location, chair=acting_user,
        statement=confidentiality_statement(), created_by=acting_user)
    log(user=acting_user, meeting=meeting, through=through, action=Action.CREATE,
        detail={"title": title, "kind": kind, "held_on": held_on})
    return meeting


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


@transaction.atomic
def open_meeting(*, meeting: Meeting, acting_user: User, through: str,
                 at: datetime | None = None) -> Meeting:
    """Start the meeting: on its day, with everyone present having signed (000 ISA s10).

    ``at``: when it opened, if earlier than now (on the meeting's day)."""
    meeting = _locked(meeting)
    if meeting.state != MeetingState.SCHEDULED:
        raise DomainError(f"The meeting is already {meeting.get_state_display().lower()}.",
                          code="meeting_state")
    problems = Problems()
    if meeting.held_on > timezone.localdate():
        problems.add("held_on", f"The meeting is on {meeting.held_on:%-d %B %Y}; open it on "
                                f"the day.")
    attendances = list(meeting.attendances.all())
    if not attendances:
        problems.add("attendees", "Add the people present first.")
    unsigned = [a.name for a in attendances if not a.has_signed]
    if unsigned:
        problems.add("attendees", "Everyone present signs the confidentiality statement "
                                  f"before the meeting opens. Not yet signed: "
                                  f"{', '.join(unsigned)}.")
    opened_at = moment(problems, "opened_at", at, meeting)
    problems.raise_if_any("The meeting was not opened.")
    refresh_sessions(meeting)
    meeting.state, meeting.opened_at = MeetingState.OPEN, opened_at
    meeting.save(update_fields=["state", "opened_at"])
    log(user=acting_user, meeting=meeting, through=through,
        detail={"changed": {"state": {"old": MeetingState.SCHEDULED, "new": meeting.state}}})
    return meeting


@transaction.atomic
def close_meeting(*, meeting: Meeting, acting_user: User, through: str,
                  at: datetime | None = None) -> Meeting:
    """Finish the meeting: the minutes, sessions and signed list are kept as they stand.

    ``at``: when it finished, if earlier than now (on its day, after it opened)."""
    meeting = _locked(meeting)
    if meeting.state != MeetingState.OPEN:
        raise DomainError("Only a meeting in progress can be finished.", code="meeting_state")
    problems = Problems()
    closed_at = moment(problems, "closed_at", at, meeting)
    if meeting.opened_at and closed_at < meeting.opened_at:
        opened = timezone.localtime(meeting.opened_at)
        problems.add("closed_at", f"The meeting opened at {opened:%H:%M}; it cannot finish "
                                  f"before that.")
    problems.raise_if_any("The meeting was not finished.")
    refresh_sessions(meeting)
    meeting.state, meeting.closed_at = MeetingState.CLOSED, closed_at
    meeting.save(update_fields=["state", "closed_at"])
    log(user=acting_user, meeting=meeting, through=through,
        detail={"changed": {"state": {"old": MeetingState.OPEN, "new": meeting.state}}})
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, reason: str, acting_user: User,
                   through: str) -> Meeting:
    """Call off a meeting that has not started; it then counts for nothing."""
    meeting = _locked(meeting)
    problems = Problems()
    reason = clean_text(problems, "reason", reason, 300, "Enter why the meeting is cancelled.")
    if meeting.state != MeetingState.SCHEDULED:
        problems.add("reason", "Only a meeting that has not started can be cancelled.")
    problems.raise_if_any("The meeting was not cancelled.")
    meeting.state = MeetingState.CANCELLED
    meeting.save(update_fields=["state"])
    log(user=acting_user, meeting=meeting, through=through,
        detail={"changed": {"state": {"old": MeetingState.SCHEDULED, "new": meeting.state}},
                "reason": reason})
    return meeting
