"""Who is at the meeting, for which organisation, and their signed statement."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from iom.accounts.models import Organisation, User
from iom.audit.models import Action
from iom.audit.services import RecordRef
from iom.core.errors import DomainError, Forbidden, Problems
from iom.governance import policy

from ..models import Attendance, Meeting, MeetingState
from .base import clean_text, log, moment, must_be_running, refresh_sessions


@transaction.atomic
def add_attendee(*, meeting: Meeting, acting_user: User, through: str, user: User | None = None,
                 name: str = "", organisation: Organisation | None = None) -> Attendance:
    """Add a user of the partnership, or a guest by name and organisation.

    The sessions are worked out again: a new organisation in the room may put
    items into the closed session.
    """
    must_be_running(meeting, "the attendance")
    problems = Problems()
    if user is not None:
        organisation, name = user.organisation, user.display_name
        if not user.is_active or organisation is None:
            problems.add("user", "Choose an active user.")
        elif meeting.attendances.filter(user=user).exists():
            problems.add("user", f"{name} is already on the list.")
    else:
        name = clean_text(problems, "name", name, 120, "Enter the attendee's name, or choose "
                                                       "a user.")
    if organisation is None:
        problems.add("organisation", "Choose the attendee's organisation.")
    elif organisation.partnership_id != meeting.partnership_id or not organisation.active:
        problems.add("organisation", "Choose an active organisation of this partnership.")
    problems.raise_if_any("The attendee was not added.")
    assert organisation is not None
    attendance = Attendance.objects.create(meeting=meeting, user=user, name=name,
                                           organisation=organisation, added_by=acting_user)
    refresh_sessions(meeting)
    log(user=acting_user, meeting=meeting, through=through, action=Action.CREATE,
        refs=[RecordRef("meeting_attendance", attendance.pk)],
        detail={"attendee": name, "organisation": organisation.name})
    return attendance


@transaction.atomic
def remove_attendee(*, attendance: Attendance, acting_user: User, through: str) -> None:
    """Take someone off the list before the meeting opens."""
    meeting = attendance.meeting
    if meeting.state != MeetingState.SCHEDULED:
        raise DomainError("Once the meeting has opened, the attendance list is kept as it is.",
                          code="meeting_state")
    detail = {"attendee": attendance.name, "organisation": attendance.organisation.name}
    pk = attendance.pk
    attendance.delete()
    refresh_sessions(meeting)
    log(user=acting_user, meeting=meeting, through=through, action=Action.DELETE,
        refs=[RecordRef("meeting_attendance", pk)], detail=detail)


@transaction.atomic
def sign_statement(*, attendance: Attendance, acting_user: User, through: str,
                   signed_at: datetime | None = None) -> Attendance:
    """Sign the confidentiality statement (000 ISA s10 and Appendix A).

    An attendee with an account signs for themselves; the chair may record a
    signature given on paper in the room. ``signed_at``: when it was signed, if
    earlier than now (on or before the meeting's day).
    """
    attendance = Attendance.objects.select_for_update().select_related("meeting").get(
        pk=attendance.pk)
    meeting = attendance.meeting
    must_be_running(meeting, "the signatures")
    in_person = attendance.user_id != acting_user.pk
    if not policy.may_record_signature(acting_user, attendance.user_id):
        raise Forbidden("Only the attendee, or the chair for a signature on paper, can sign.")
    if attendance.has_signed:
        raise DomainError.on_field("attendance", f"{attendance.name} has already signed.")
    problems = Problems()
    signed_at = moment(problems, "signed_at", signed_at, meeting, before_the_day=True)
    problems.raise_if_any("The signature was not recorded.")
    attendance.signed_at = signed_at
    attendance.signed_in_person = in_person
    attendance.signature_recorded_by = acting_user
    attendance.save(update_fields=["signed_at", "signed_in_person", "signature_recorded_by"])
    log(user=acting_user, meeting=meeting, through=through,
        refs=[RecordRef("meeting_attendance", attendance.pk)],
        detail={"signed": attendance.name, "on_paper": in_person})
    return attendance
