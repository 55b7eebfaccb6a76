"""Demo meetings for the Northshire demo partnership, made through the services.

The coordinator schedules daily tasking on Monday, Wednesday and Friday from
today, so every coming week meets the policy minimum, and a panel every four
weeks. The tasking days of the current week that have already passed were held:
police, probation, the council and the voluntary mentoring charity attended and
signed the confidentiality statement. The latest of them has the generated
agenda (people the charity may not see go to the closed session), minutes on a
few items, a RAG change and an action. Dates come from today, because the
services open a meeting only on or after its day and refuse actions due in the
past.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from iom.accounts.models import Organisation, User
from iom.cohorts import selectors as cohort_selectors
from iom.cohorts.lifecycle import Rag
from iom.core.errors import DomainError

from . import services
from .models import AgendaItem, DecisionKind, Meeting, MeetingKind

THROUGH = "command seed_demo"
TASKING_DAYS = (0, 2, 4)  # Monday, Wednesday, Friday
TASKING_WEEKS = 12
PANEL_WEEKS = 24
TASKING_AT = time(9, 30)
PANEL_AT = time(14, 0)
ROOM = "Northshire Police HQ, meeting room 2"
# who attends, by demo login; the first chairs
ATTENDING = ("coordinator", "police.om", "probation.officer", "housing.officer", "mentor")
MINUTES = (
    "Engaging with probation and attending appointments. Police to keep a watching brief.",
    "Missed the last two appointments. Probation to write; council to check the address.",
    "Housing referral accepted; moves into supported housing next week.",
)
ACTION = "Joint home visit by police and probation to check the new address"


def seed_meetings(*, users: dict[str, User], orgs: dict[str, Organisation],
                  say: Callable[[str], None]) -> None:
    """Tasking and panel schedules from today, and this week's past tasking held."""
    chair = users[ATTENDING[0]]
    day = timezone.localdate()
    services.create_schedule(
        kind=MeetingKind.TASKING, title="Daily tasking", weekdays=list(TASKING_DAYS),
        every_weeks=1, starts_on=day, ends_on=day + timedelta(weeks=TASKING_WEEKS),
        start_time=TASKING_AT, location=ROOM, acting_user=chair, through=THROUGH)
    services.create_schedule(
        kind=MeetingKind.PANEL, title="IOM panel", weekdays=[3], every_weeks=4,
        starts_on=day, ends_on=day + timedelta(weeks=PANEL_WEEKS), start_time=PANEL_AT,
        location=ROOM, acting_user=chair, through=THROUGH)
    *earlier, last = _past_tasking_days(day)
    for held_on in earlier:
        with transaction.atomic():
            _hold(held_on, users, full=False)
    with transaction.atomic():
        meeting = _hold(last, users, full=True)
    say(f"Scheduled tasking and the panel; held {len(earlier) + 1} past tasking "
        f"meeting{'s' if earlier else ''}, the last with {meeting.items.count()} agenda items.")


def _past_tasking_days(day: date) -> list[date]:
    """This week's tasking days before today, or the last one before today if none."""
    monday = day - timedelta(days=day.weekday())
    days = [monday + timedelta(days=d) for d in TASKING_DAYS
            if monday + timedelta(days=d) < day]
    if days:
        return days
    last = day - timedelta(days=1)
    while last.weekday() not in TASKING_DAYS:
        last -= timedelta(days=1)
    return [last]


def _hold(held_on: date, users: dict[str, User], *, full: bool) -> Meeting:
    """Arrange, sign in and open the meeting; record on the agenda if ``full``; close it.

    The meeting was held on a past day, so the services are given the times it
    happened: signatures as people came in, opening at the start time, finishing an
    hour later (the minutes and decisions are stamped when they are seeded).
    """
    chair = users[ATTENDING[0]]
    meeting = services.arrange_meeting(
        kind=MeetingKind.TASKING, title="Daily tasking", held_on=held_on,
        start_time=TASKING_AT, location=ROOM, acting_user=chair, through=THROUGH)
    starts = timezone.make_aware(datetime.combine(held_on, TASKING_AT))
    for n, username in enumerate(ATTENDING):
        attendance = services.add_attendee(meeting=meeting, user=users[username],
                                           acting_user=chair, through=THROUGH)
        services.sign_statement(attendance=attendance, acting_user=users[username],
                                through=THROUGH,
                                signed_at=starts - timedelta(minutes=10 - n))
    if full:
        services.generate_agenda(meeting=meeting, acting_user=chair, through=THROUGH)
    meeting = services.open_meeting(meeting=meeting, acting_user=chair, through=THROUGH,
                                    at=starts)
    if full:
        _record(meeting, chair, users["police.om"])
    return services.close_meeting(meeting=meeting, acting_user=chair, through=THROUGH,
                                  at=starts + timedelta(hours=1))


def _record(meeting: Meeting, chair: User, officer: User) -> None:
    """Minutes on the first items, and a RAG change and an action on one person."""
    items = list(meeting.items.filter(nominal__isnull=False).order_by("position", "pk"))
    for item, text in zip(items, MINUTES, strict=False):
        services.record_minutes(item=item, text=text, acting_user=chair, through=THROUGH)
    for item in items:
        if _decide(item, chair):
            due = timezone.localdate() + timedelta(days=7)
            services.raise_action(item=item, title=ACTION, due_on=due, priority="high",
                                  owner_user=officer, acting_user=chair, through=THROUGH)
            return


def _decide(item: AgendaItem, chair: User) -> bool:
    """A RAG change on the item if the services accept it (quorum, dates, status)."""
    assert item.nominal is not None
    case = cohort_selectors.open_case(item.nominal)
    if case is None or case.rag in {"", Rag.BLUE}:
        return False
    to = Rag.AMBER if case.rag == Rag.RED else Rag.RED
    try:
        with transaction.atomic():
            services.record_decision(
                item=item, kind=DecisionKind.RAG, rag=to, acting_user=chair, through=THROUGH,
                rationale="Arrested on suspicion of burglary at the weekend; partners agree "
                          "the status changes until the investigation concludes."
                if to == Rag.RED else "No new offending for six weeks and engaging with "
                                      "the plan; partners agree to step down from RED.")
    except DomainError:
        return False
    return True
