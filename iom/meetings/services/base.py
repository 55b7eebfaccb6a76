"""What the meeting services share: logging, checks and the closed-session rule."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from iom.accounts.models import User
from iom.audit.models import Action
from iom.audit.services import RecordRef, record_access
from iom.core.errors import DomainError, Problems
from iom.governance import policy

from ..models import AgendaItem, Meeting


def clean_text(problems: Problems, name: str, value: str | None, longest: int,
               required: str = "") -> str:
    text = (value or "").replace("\x00", "").strip()
    if len(text) > longest:
        problems.add(name, f"Must be {longest} characters or fewer.")
    elif not text and required:
        problems.add(name, required)
    return text


def log(*, user: User, meeting: Meeting, through: str, action: Action = Action.UPDATE,
        item: AgendaItem | None = None, detail: dict[str, Any] | None = None,
        refs: list[RecordRef] | None = None) -> None:
    records = [RecordRef("meeting", meeting.pk)]
    if item is not None:
        records.append(RecordRef("meeting_item", item.pk))
    record_access(user=user, action=action, through=through,
                  nominal_id=item.nominal_id if item is not None else None,
                  records=[*records, *(refs or [])],
                  reason=f"{meeting.get_kind_display()} on {meeting.held_on:%-d %B %Y}",
                  detail=detail)


def moment(problems: Problems, name: str, at: datetime | None, meeting: Meeting, *,
           before_the_day: bool = False) -> datetime:
    """When something happened at the meeting: now, or the time it happened when it is
    recorded afterwards (a paper record typed in later; the demo's past meetings).

    A given time is not in the future and falls on the meeting's day (a signature may
    also come before it)."""
    now = timezone.now()
    if at is None:
        return now
    day = timezone.localdate(at)
    if at > now:
        problems.add(name, "The time cannot be in the future.")
    elif day > meeting.held_on or (day < meeting.held_on and not before_the_day):
        problems.add(name, f"The time must be on the day of the meeting, "
                           f"{meeting.held_on:%-d %B %Y}.")
    return at


def must_be_running(meeting: Meeting, what: str) -> None:
    if meeting.is_finished:
        raise DomainError(f"The meeting is {meeting.get_state_display().lower()}: {what} can "
                          f"no longer be changed.", code="meeting_finished")


def refresh_sessions(meeting: Meeting) -> None:
    """Put each person's item in the open or closed session for who is attending.

    1. Take the organisations on the attendance list.
    2. For each, ask the access policy which of the agenda's people it may see.
    3. An item is closed, and those organisations are shut out of it, when any
       attending organisation may not see its person (000 ISA s10).
    A finished meeting keeps the sessions it had.
    """
    if meeting.is_finished:
        return
    items = list(meeting.items.filter(nominal__isnull=False))
    people = {i.nominal_id for i in items if i.nominal_id is not None}
    organisations = {a.organisation for a in meeting.attendances.select_related("organisation")}
    may_see = {org.pk: set(policy.nominals_visible_to_organisation(org).filter(
        pk__in=people).values_list("pk", flat=True)) for org in organisations}
    for item in items:
        shut = [org for org in organisations if item.nominal_id not in may_see[org.pk]]
        item.shut_out.set(shut)
        closed = bool(shut)
        if item.closed_session != closed:
            item.closed_session = closed
            item.save(update_fields=["closed_session"])
