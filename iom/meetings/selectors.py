"""Reads about meetings, scoped by the access policy in the query.

Who sees what is the access policy's (rules 9 and 10 in ``iom.governance.policy``):
these load what it allows. Statutory case workers see every meeting of their
partnership and run them; a non-statutory partner's case worker sees only the
meetings they attend (``policy.meeting_reach``). Within a meeting, an item about a
person is shown only to a user who may see that person (``policy.nominals_visible_to``)
and whose organisation was not shut out of it (``AgendaItem.shut_out``, kept by
``services.base.refresh_sessions`` from the policy), so a closed-session item is left
out of their agenda, minutes and export alike (000 ISA s10).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from iom.accounts.models import Organisation, User
from iom.casework.workdays import is_bank_holiday, is_working_day
from iom.core.lookup import one_visible
from iom.governance import policy

from .models import AgendaItem, Attendance, Meeting, MeetingKind, MeetingState, Schedule
from .rules import MeetingRules, meeting_rules


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    reach = policy.meeting_reach(user)
    if reach is policy.MeetingReach.NONE:
        return Meeting.objects.none()
    assert user.organisation is not None
    mine = Meeting.objects.filter(partnership_id=user.organisation.partnership_id)
    if reach is policy.MeetingReach.PARTNERSHIP:
        return mine
    attending = Attendance.objects.filter(meeting=OuterRef("pk"), user=user)
    return mine.filter(Exists(attending))


def access_meeting(user: User, meeting_id: int | str) -> Meeting:
    """The meeting if the user may see it; NotFound for absent and forbidden alike."""
    return one_visible(meetings_visible_to(user).select_related("chair", "partnership"),
                       meeting_id)


def access_meeting_for_change(user: User, meeting_id: int | str) -> Meeting:
    """The meeting, if the user may see it and arrange and run meetings (rule 9)."""
    meeting = access_meeting(user, meeting_id)
    policy.require_statutory_case_worker(user, "arrange and run meetings")
    return meeting


def items_visible_to(user: User, meeting: Meeting) -> QuerySet[AgendaItem]:
    visible = policy.nominals_visible_to(user).values("pk")
    if user.organisation_id is None:
        return meeting.items.filter(nominal__isnull=True)
    shut_out = AgendaItem.shut_out.through.objects.filter(
        agendaitem_id=OuterRef("pk"), organisation_id=user.organisation_id)
    return (meeting.items.filter(Q(nominal__isnull=True) | Q(nominal__in=visible))
            .exclude(Exists(shut_out)).select_related("nominal", "minuted_by")
            .prefetch_related("decisions__recorded_by", "shut_out"))


def access_item(user: User, meeting: Meeting, item_id: int | str) -> AgendaItem:
    return one_visible(items_visible_to(user, meeting), item_id)


def attendances_of(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendances.select_related("organisation", "user",
                                                   "signature_recorded_by"))


def own_attendance(user: User, meeting: Meeting) -> Attendance | None:
    return meeting.attendances.filter(user=user).first()


def present_organisations(meeting: Meeting, item: AgendaItem | None = None) -> list[Organisation]:
    """The agencies present with a signed statement; for an item, those who may hear it."""
    signed = Organisation.objects.filter(
        pk__in=meeting.attendances.filter(signed_at__isnull=False).values("organisation_id"))
    if item is not None:
        signed = signed.exclude(pk__in=item.shut_out.values("pk"))
    return list(signed.order_by("name"))


def attendable_users(meeting: Meeting) -> QuerySet[User]:
    """Active case workers of the partnership who are not yet on the list."""
    return (User.objects.filter(is_active=True,
                                organisation__partnership_id=meeting.partnership_id,
                                organisation__active=True)
            .exclude(meeting_attendances__meeting=meeting)
            .select_related("organisation").order_by("organisation__name", "last_name"))


def partnership_organisations(meeting: Meeting) -> QuerySet[Organisation]:
    return Organisation.objects.filter(partnership_id=meeting.partnership_id, active=True)


# The policy minimums ---------------------------------------------------------------


@dataclass(frozen=True)
class Breach:
    """A week in which tasking met on fewer days than the policy asks for."""

    week_starting: date
    days: int
    required: int

    @property
    def message(self) -> str:
        start = f"{self.week_starting.day} {self.week_starting:%B %Y}"
        return (f"Week starting {start}: tasking meets on {self.days} "
                f"day{'s' if self.days != 1 else ''}; the policy asks for at least "
                f"{self.required}.")


def tasking_breaches(partnership_id: int, start: date, end: date,
                     rules: MeetingRules | None = None) -> list[Breach]:
    """Each week from ``start`` to ``end`` with too few tasking days (001 s8).

    The rule (docs/meetings.md, "The tasking minimum"):
    1. Weeks run Monday to Sunday; every week the period touches is judged, and
       the distinct days tasking meets anywhere in that week count, so meetings
       already held earlier in the first week, or arranged after ``end`` in the
       last, count towards their week. Cancelled meetings do not count.
    2. Each weekday bank holiday of England and Wales in the week lowers its
       minimum by one: tasking does not meet on a bank holiday.
    3. A week the period covers only in part asks for no more days than the
       working days it covers.
    """
    rules = rules or meeting_rules()
    monday = start - timedelta(days=start.weekday())
    last_sunday = end + timedelta(days=6 - end.weekday())
    days = set(Meeting.objects.filter(
        partnership_id=partnership_id, kind=MeetingKind.TASKING, held_on__gte=monday,
        held_on__lte=last_sunday).exclude(state=MeetingState.CANCELLED)
        .values_list("held_on", flat=True))
    breaches = []
    while monday <= end:
        week = [monday + timedelta(days=n) for n in range(7)]
        count = sum(1 for d in days if d in week)
        required = _week_minimum(week, start, end, rules.tasking_days_per_week)
        if count < required:
            breaches.append(Breach(monday, count, required))
        monday += timedelta(days=7)
    return breaches


def _week_minimum(week: list[date], start: date, end: date, per_week: int) -> int:
    """The week's minimum after its bank holidays, capped by the working days covered."""
    holidays = sum(1 for d in week if d.weekday() < 5 and is_bank_holiday(d))
    covered = sum(1 for d in week if start <= d <= end and is_working_day(d))
    return max(0, min(per_week - holidays, covered))


def quorum_problem(meeting: Meeting, item: AgendaItem | None = None,
                   rules: MeetingRules | None = None) -> str:
    """Why the meeting (or this item) cannot decide yet, or "" when it can."""
    rules = rules or meeting_rules()
    count = len(present_organisations(meeting, item))
    if count >= rules.decision_quorum:
        return ""
    where = "for this item" if item is not None else "with a signed statement"
    return (f"Only {count} agenc{'y is' if count == 1 else 'ies are'} present {where}; a "
            f"decision needs at least {rules.decision_quorum}.")


def schedules_of(user: User) -> QuerySet[Schedule]:
    if not policy.is_statutory_case_worker(user):
        return Schedule.objects.none()
    assert user.organisation is not None
    return Schedule.objects.filter(partnership_id=user.organisation.partnership_id)


def items_around(user: User, meeting: Meeting, item: AgendaItem
                 ) -> tuple[AgendaItem | None, AgendaItem | None]:
    """The items before and after this one, as the user's agenda lists them: the open
    session, then the closed one, each in agenda order."""
    listed = sorted(items_visible_to(user, meeting),
                    key=lambda i: (i.closed_session, i.position, i.pk))
    at = next(n for n, i in enumerate(listed) if i.pk == item.pk)
    return (listed[at - 1] if at > 0 else None,
            listed[at + 1] if at + 1 < len(listed) else None)
