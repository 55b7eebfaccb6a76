"""API operations on meetings: thin endpoints over the access helpers and services.

A meeting is read as the token user may see it: items they may not hear (the
closed session, for a partner without consent) are left out, as on the pages.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from iom.accounts.models import Organisation, User
from iom.api.auth import acting_user
from iom.api.errors import ERRORS
from iom.api.schemas import Input, LocalTime
from iom.audit.services import RecordRef
from iom.core.errors import DomainError, Forbidden
from iom.governance import policy
from iom.governance.web import log_read, through_of

from . import selectors, services
from .export import export_for
from .grounds import notes_for
from .models import AgendaItem, Attendance, Meeting
from .pdf import pdf_response

router = Router(tags=["meetings"])
Kind = Literal["tasking", "panel", "practitioner", "board"]


class MeetingSummary(Schema):
    id: int
    kind: str
    title: str
    held_on: date
    start_time: LocalTime
    location: str
    state: str


class AttendanceOut(Schema):
    id: int
    name: str
    organisation: str
    signed_at: datetime | None
    signed_on_paper: bool


class DecisionOut(Schema):
    kind: str
    summary: str
    rationale: str
    case_record: str


class ItemOut(Schema):
    id: int
    position: int
    title: str
    person_id: int | None
    reasons: list[str]
    notes: str
    session: Literal["open", "closed"]
    minutes: str
    decisions: list[DecisionOut]


class MeetingOut(MeetingSummary):
    chair: str
    statement: str
    attendance: list[AttendanceOut]
    items: list[ItemOut]
    items_withheld: int = Field(description="Closed-session items left out for this user")
    quorum_problem: str


class MeetingIn(Input):
    kind: Kind
    title: str = Field(max_length=120)
    held_on: date
    start_time: LocalTime
    location: str = Field("", max_length=160)


class ScheduleIn(Input):
    kind: Kind
    title: str = Field(max_length=120)
    start_time: LocalTime
    location: str = Field("", max_length=160)
    weekdays: list[int] = Field(description="0 is Monday")
    every_weeks: int = Field(1, ge=1, le=8)
    starts_on: date
    ends_on: date


class ScheduleOut(Schema):
    id: int
    meetings: list[MeetingSummary]


class AttendeeIn(Input):
    user_id: int | None = None
    name: str = Field("", max_length=120)
    organisation_id: int | None = None


class ItemIn(Input):
    title: str = Field("", max_length=200)
    notes: str = Field("", max_length=4000)
    person_id: int | None = None


class MoveIn(Input):
    direction: Literal["up", "down"]


class MinutesIn(Input):
    minutes: str = Field(max_length=10000)


class ItemDecisionIn(Input):
    kind: Literal["accept", "decline", "defer", "rag", "deselection"]
    rationale: str = Field(max_length=4000)
    agreeing_ids: list[int] = []
    rag: str = ""
    exclusion_agreement: str = Field(
        "", max_length=4000,
        description="The partnership agreement to accept a person despite an exclusion of "
                    "the scheme (MAPPA level 2 or 3, a current sex offender, no conviction "
                    "in the last 6 months at liberty); required to accept such a person")


class ItemActionIn(Input):
    title: str = Field(max_length=200)
    due_on: date
    priority: Literal["high", "medium", "low"] = "medium"
    owner_user_id: int | None = None
    owner_organisation_id: int | None = None


class ItemActionOut(Schema):
    id: int
    title: str
    due_on: date


class CancelIn(Input):
    reason: str = Field(max_length=300)



def _summary(meeting: Meeting) -> dict[str, Any]:
    return {"id": meeting.pk, "kind": meeting.kind, "title": meeting.title,
            "held_on": meeting.held_on, "start_time": meeting.start_time,
            "location": meeting.location, "state": meeting.state}


def _item(item: AgendaItem, reader: User) -> dict[str, Any]:
    return {"id": item.pk, "position": item.position, "title": item.title,
            "person_id": item.nominal_id, "reasons": item.reasons,
            "notes": notes_for(item, reader),
            "session": "closed" if item.closed_session else "open", "minutes": item.minutes,
            "decisions": [{"kind": d.kind, "summary": d.summary, "rationale": d.rationale,
                           "case_record": d.case_record} for d in item.decisions.all()]}


def _attendance(a: Attendance) -> dict[str, Any]:
    return {"id": a.pk, "name": a.name, "organisation": a.organisation.name,
            "signed_at": a.signed_at, "signed_on_paper": a.signed_in_person}


def _full(request: HttpRequest, user: User, meeting: Meeting) -> dict[str, Any]:
    meeting.refresh_from_db()
    items = list(selectors.items_visible_to(user, meeting))
    log_read(user=user, nominal=None, through=through_of(request),
             records=[RecordRef("meeting", meeting.pk),
                      *(RecordRef("nominal", i.nominal_id) for i in items if i.nominal_id)],
             reason=f"{meeting.get_kind_display()} on {meeting.held_on:%-d %B %Y}")
    return {**_summary(meeting), "chair": meeting.chair.display_name,
            "statement": meeting.statement,
            "attendance": [_attendance(a) for a in selectors.attendances_of(meeting)],
            "items": [_item(i, user) for i in items],
            "items_withheld": meeting.items.count() - len(items),
            "quorum_problem": selectors.quorum_problem(meeting)}


def _runner(user: User) -> None:
    policy.require_statutory_case_worker(user, "arrange and run meetings")


def _organisation(meeting: Meeting, pk: int | None, field: str) -> Organisation | None:
    if pk is None:
        return None
    found = selectors.partnership_organisations(meeting).filter(pk=pk).first()
    if found is None:
        raise DomainError.on_field(field, "No such organisation in this partnership.")
    return found


def _partner(meeting: Meeting, pk: int | None, field: str) -> User | None:
    if pk is None:
        return None
    found = User.objects.filter(pk=pk, is_active=True,
                                organisation__partnership_id=meeting.partnership_id).first()
    if found is None:
        raise DomainError.on_field(field, "No such user in this partnership.")
    return found


@router.get("", response={200: list[MeetingSummary], **ERRORS}, summary="List meetings")
def list_meetings(request: HttpRequest) -> Any:
    user = acting_user(request)
    return [_summary(m) for m in selectors.meetings_visible_to(user).order_by("-held_on")[:200]]


@router.post("", response={201: MeetingSummary, **ERRORS}, summary="Arrange a meeting")
def arrange_meeting(request: HttpRequest, payload: MeetingIn) -> Any:
    user = acting_user(request)
    _runner(user)
    meeting = services.arrange_meeting(acting_user=user, **payload.dict(),
                                       through=through_of(request))
    return Status(201, _summary(meeting))


@router.post("/schedules", response={201: ScheduleOut, **ERRORS},
             summary="Schedule a recurring meeting")
def schedule_meetings(request: HttpRequest, payload: ScheduleIn) -> Any:
    user = acting_user(request)
    _runner(user)
    made = services.create_schedule(acting_user=user, **payload.dict(),
                                     through=through_of(request))
    return Status(201, {"id": made.pk, "meetings": [_summary(m) for m in made.meetings.all()]})


@router.get("/{meeting_id}", response={200: MeetingOut, **ERRORS},
            summary="Read a meeting as you may see it")
def read_meeting(request: HttpRequest, meeting_id: int) -> Any:
    user = acting_user(request)
    meeting = selectors.access_meeting(user, meeting_id)
    return _full(request, user, meeting)


PDF = {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
       "description": "The dated agenda and minutes as a PDF file, without the items of "
                      "any closed session you are not part of."}


@router.get("/{meeting_id}/export", response={**ERRORS}, openapi_extra={"responses": {200: PDF}},
            summary="Export the agenda and minutes as a PDF")
def export_meeting_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = acting_user(request)
    meeting = selectors.access_meeting(user, meeting_id)
    return pdf_response(export_for(user, meeting),
                        through=through_of(request))


@router.post("/{meeting_id}/attendees", response={201: AttendanceOut, **ERRORS},
             summary="Add an attendee")
def add_meeting_attendee(request: HttpRequest, meeting_id: int, payload: AttendeeIn) -> Any:
    user = acting_user(request)
    meeting = selectors.access_meeting_for_change(user, meeting_id)
    found = services.add_attendee(
        meeting=meeting, acting_user=user, name=payload.name,
        user=_partner(meeting, payload.user_id, "user_id"),
        organisation=_organisation(meeting, payload.organisation_id, "organisation_id"),
        through=through_of(request))
    return Status(201, _attendance(found))


@router.post("/{meeting_id}/attendees/{attendance_id}/signature",
             response={200: AttendanceOut, **ERRORS},
             summary="Sign the confidentiality statement (yours, or on paper as the chair)")
def sign_meeting_statement(request: HttpRequest, meeting_id: int, attendance_id: int) -> Any:
    user = acting_user(request)
    meeting = selectors.access_meeting(user, meeting_id)
    attendance = meeting.attendances.filter(pk=attendance_id).first()
    if attendance is None or not policy.may_record_signature(user, attendance.user_id):
        raise Forbidden("Only the attendee, or the chair for a signature on paper, can sign.")
    signed = services.sign_statement(attendance=attendance, acting_user=user,
                                     through=through_of(request))
    return _attendance(signed)


@router.post("/{meeting_id}/open", response={200: MeetingOut, **ERRORS},
             summary="Open the meeting")
def open_meeting(request: HttpRequest, meeting_id: int) -> Any:
    user = acting_user(request)
    meeting = selectors.access_meeting_for_change(user, meeting_id)
    services.open_meeting(meeting=meeting, acting_user=user,
                          through=through_of(request))
    return _full(request, user, meeting)


@router.post("/{meeting_id}/finish", response={200: MeetingOut, **ERRORS},
             summary="Finish the meeting")
def finish_meeting(request: HttpRequest, meeting_id: int) -> Any:
    user = acting_user(request)
    meeting = selectors.access_meeting_for_change(user, meeting_id)
    services.close_meeting(meeting=meeting, acting_user=user,
                           through=through_of(request))
    return _full(request, user, meeting)


@router.post("/{meeting_id}/cancel", response={200: MeetingSummary, **ERRORS},
             summary="Cancel a meeting that has not started")
def cancel_meeting(request: HttpRequest, meeting_id: int, payload: CancelIn) -> Any:
    user = acting_user(request)
    meeting = selectors.access_meeting_for_change(user, meeting_id)
    return _summary(services.cancel_meeting(meeting=meeting, reason=payload.reason,
                                            acting_user=user,
                                            through=through_of(request)))


@router.post("/{meeting_id}/agenda", response={200: MeetingOut, **ERRORS},
             summary="Generate the agenda")
def generate_meeting_agenda(request: HttpRequest, meeting_id: int) -> Any:
    user = acting_user(request)
    meeting = selectors.access_meeting_for_change(user, meeting_id)
    services.generate_agenda(meeting=meeting, acting_user=user,
                             through=through_of(request))
    return _full(request, user, meeting)


@router.post("/{meeting_id}/items", response={201: ItemOut, **ERRORS},
             summary="Add an agenda item")
def add_meeting_item(request: HttpRequest, meeting_id: int, payload: ItemIn) -> Any:
    user = acting_user(request)
    meeting = selectors.access_meeting_for_change(user, meeting_id)
    nominal = (policy.access_nominal(user, payload.person_id)
               if payload.person_id is not None else None)
    item = services.add_item(meeting=meeting, title=payload.title, notes=payload.notes,
                             nominal=nominal, acting_user=user,
                             through=through_of(request))
    return Status(201, _item(item, user))


def _item_for_change(request: HttpRequest, meeting_id: int,
                     item_id: int) -> tuple[User, AgendaItem]:
    user = acting_user(request)
    meeting = selectors.access_meeting_for_change(user, meeting_id)
    return user, selectors.access_item(user, meeting, item_id)


@router.post("/{meeting_id}/items/{item_id}/move", response={200: ItemOut, **ERRORS},
             summary="Move an item up or down")
def move_meeting_item(request: HttpRequest, meeting_id: int, item_id: int,
                      payload: MoveIn) -> Any:
    user, item = _item_for_change(request, meeting_id, item_id)
    services.move_item(item=item, direction=payload.direction, acting_user=user,
                       through=through_of(request))
    item.refresh_from_db()
    return _item(item, user)


@router.post("/{meeting_id}/items/{item_id}/minutes", response={200: ItemOut, **ERRORS},
             summary="Record an item's minutes")
def minute_meeting_item(request: HttpRequest, meeting_id: int, item_id: int,
                        payload: MinutesIn) -> Any:
    user, item = _item_for_change(request, meeting_id, item_id)
    return _item(services.record_minutes(item=item, text=payload.minutes, acting_user=user,
                                         through=through_of(request)),
                 user)


@router.post("/{meeting_id}/items/{item_id}/decisions", response={201: DecisionOut, **ERRORS},
             summary="Record a decision on a person's item")
def decide_meeting_item(request: HttpRequest, meeting_id: int, item_id: int,
                        payload: ItemDecisionIn) -> Any:
    user, item = _item_for_change(request, meeting_id, item_id)
    agreeing = list(selectors.partnership_organisations(item.meeting).filter(
        pk__in=payload.agreeing_ids))
    decision = services.record_decision(
        item=item, kind=payload.kind, rationale=payload.rationale, agreeing=agreeing,
        rag=payload.rag, exclusion_agreement=payload.exclusion_agreement, acting_user=user,
        through=through_of(request))
    return Status(201, {"kind": decision.kind, "summary": decision.summary,
                        "rationale": decision.rationale, "case_record": decision.case_record})


@router.post("/{meeting_id}/items/{item_id}/actions", response={201: ItemActionOut, **ERRORS},
             summary="Raise an action agreed at the meeting")
def raise_meeting_action(request: HttpRequest, meeting_id: int, item_id: int,
                         payload: ItemActionIn) -> Any:
    user, item = _item_for_change(request, meeting_id, item_id)
    action = services.raise_action(
        item=item, title=payload.title, due_on=payload.due_on, priority=payload.priority,
        owner_user=_partner(item.meeting, payload.owner_user_id, "owner_user_id"),
        owner_organisation=_organisation(item.meeting, payload.owner_organisation_id,
                                         "owner_organisation_id"),
        acting_user=user, through=through_of(request))
    return Status(201, {"id": action.pk, "title": action.title, "due_on": action.due_on})
