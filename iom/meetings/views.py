"""Meeting pages. Each starts with the meeting's access helper, calls a service
for any change, and logs the people it shows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from iom.accounts.models import User
from iom.audit.models import Action
from iom.audit.services import RecordRef
from iom.core.errors import DomainError, Forbidden, NotFound
from iom.governance import policy
from iom.governance.web import casework_only, log_read, through_of

from . import selectors, services
from .forms import AttendeeForm, CancelForm, ItemForm, MeetingForm, ScheduleForm
from .models import AgendaItem, Meeting


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _runner(user: User) -> None:
    policy.require_statutory_case_worker(user, "arrange and run meetings")


@casework_only
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    meetings = selectors.meetings_visible_to(user)
    context: dict[str, Any] = {
        "upcoming": meetings.filter(held_on__gte=today).order_by("held_on", "start_time")[:30],
        "past": meetings.filter(held_on__lt=today).order_by("-held_on", "-start_time")[:30],
        "can_run": policy.is_statutory_case_worker(user),
    }
    if context["can_run"]:
        assert user.organisation is not None
        context["breaches"] = selectors.tasking_breaches(
            user.organisation.partnership_id, today, today + timedelta(days=27))
        context["schedules"] = selectors.schedules_of(user)[:10]
    return render(request, "meetings/list.html", context)


@casework_only
@require_http_methods(["GET", "POST"])
def arrange(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _runner(user)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.arrange_meeting(acting_user=user, through=through_of(request),
                                               **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"Arranged {meeting}.")
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "title": "Arrange a meeting"})


@casework_only
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _runner(user)
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data, weekdays=[int(d) for d in form.cleaned_data["weekdays"]])
        try:
            made = services.create_schedule(acting_user=user, through=through_of(request), **data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"Scheduled {made.meetings.count()} meetings: {made}.")
            return redirect("meetings:list")
    return render(request, "meetings/form.html", {"form": form, "title": "Schedule meetings"})


def _shown(request: HttpRequest, meeting: Meeting, items: list[AgendaItem]) -> None:
    people = [i.nominal_id for i in items if i.nominal_id]
    log_read(user=_user(request), nominal=None, through=through_of(request),
             action=Action.SEARCH if people else Action.VIEW,
             records=[RecordRef("meeting", meeting.pk),
                      *(RecordRef("nominal", pk) for pk in people)],
             reason=f"{meeting.get_kind_display()} on {meeting.held_on:%-d %B %Y}",
             detail={"meeting": meeting.pk})


def agenda_context(user: User, meeting: Meeting) -> dict[str, Any]:
    """What every view of a meeting shares: the sessions as this user may see them."""
    items = list(selectors.items_visible_to(user, meeting))
    own = selectors.own_attendance(user, meeting)
    hidden = meeting.items.count() - len(items)
    return {
        "meeting": meeting, "items": items,
        "open_items": [i for i in items if not i.closed_session],
        "closed_items": [i for i in items if i.closed_session],
        "withheld": hidden, "attendances": selectors.attendances_of(meeting),
        "own": own, "quorum_problem": selectors.quorum_problem(meeting),
    }


@casework_only
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    meeting = selectors.access_meeting(user, pk)
    context = agenda_context(user, meeting)
    can_run = policy.is_statutory_case_worker(user)
    context["can_run"] = can_run
    # The service opens a meeting only on or after its day, so the button waits too.
    context["opens_today"] = meeting.held_on <= timezone.localdate()
    if can_run and not meeting.is_finished:
        context["attendee_form"] = AttendeeForm(
            users=selectors.attendable_users(meeting),
            organisations=selectors.partnership_organisations(meeting))
        context["cancel_form"] = CancelForm()
    _shown(request, meeting, context["items"])
    return render(request, "meetings/detail.html", context)


def _change(request: HttpRequest, pk: int, done: str, work: Any) -> HttpResponse:
    """Run one change for a button on the meeting page, then go back to it."""
    try:
        work()
    except DomainError as error:
        for problem in error.problems or []:
            messages.error(request, problem.message)
        if not error.problems:
            messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("meetings:detail", pk=pk)


@casework_only
@require_POST
def add_attendee(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    meeting = selectors.access_meeting_for_change(user, pk)
    form = AttendeeForm(request.POST, users=selectors.attendable_users(meeting),
                        organisations=selectors.partnership_organisations(meeting))
    if not form.is_valid():
        messages.error(request, "Choose a user, or give a guest's name and organisation.")
        return redirect("meetings:detail", pk=pk)
    return _change(request, pk, "Attendee added.", lambda: services.add_attendee(
        meeting=meeting, acting_user=user, through=through_of(request), **form.cleaned_data))


def _attendance(meeting: Meeting, attendance_id: int) -> Any:
    found = meeting.attendances.filter(pk=attendance_id).first()
    if found is None:
        raise NotFound
    return found


@casework_only
@require_POST
def remove_attendee(request: HttpRequest, pk: int, attendance_id: int) -> HttpResponse:
    user = _user(request)
    meeting = selectors.access_meeting_for_change(user, pk)
    attendance = _attendance(meeting, attendance_id)
    return _change(request, pk, f"Removed {attendance.name}.", lambda: services.remove_attendee(
        attendance=attendance, acting_user=user, through=through_of(request)))


@casework_only
@require_POST
def sign(request: HttpRequest, pk: int, attendance_id: int) -> HttpResponse:
    """The chair records a signature given on paper in the room."""
    user = _user(request)
    meeting = selectors.access_meeting_for_change(user, pk)
    attendance = _attendance(meeting, attendance_id)
    return _change(request, pk, f"Recorded {attendance.name}'s signature.",
                   lambda: services.sign_statement(attendance=attendance, acting_user=user,
                                                   through=through_of(request)))


@casework_only
@require_http_methods(["GET", "POST"])
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    """An attendee reads the confidentiality statement and signs it themselves."""
    user = _user(request)
    meeting = selectors.access_meeting(user, pk)
    own = selectors.own_attendance(user, meeting)
    if request.method == "POST":
        if own is None:
            raise Forbidden("Only attendees sign the statement for a meeting.")
        return _change(request, pk, "You signed the confidentiality statement.",
                       lambda: services.sign_statement(attendance=own, acting_user=user,
                                                       through=through_of(request)))
    return render(request, "meetings/statement.html", {"meeting": meeting, "own": own})


@casework_only
@require_POST
def open_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    meeting = selectors.access_meeting_for_change(user, pk)
    return _change(request, pk, "The meeting is open.", lambda: services.open_meeting(
        meeting=meeting, acting_user=user, through=through_of(request)))


@casework_only
@require_http_methods(["GET", "POST"])
def close_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """Finishing cannot be undone, so the button leads to a page that asks first."""
    user = _user(request)
    meeting = selectors.access_meeting_for_change(user, pk)
    if request.method == "GET":
        return render(request, "meetings/close.html", {"meeting": meeting})
    return _change(request, pk, "The meeting is finished; the minutes are kept.",
                   lambda: services.close_meeting(meeting=meeting, acting_user=user,
                                                  through=through_of(request)))


@casework_only
@require_POST
def cancel_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    meeting = selectors.access_meeting_for_change(user, pk)
    form = CancelForm(request.POST)
    reason = form.data.get("reason", "")
    return _change(request, pk, "The meeting is cancelled.", lambda: services.cancel_meeting(
        meeting=meeting, reason=str(reason), acting_user=user, through=through_of(request)))


@casework_only
@require_POST
def generate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    meeting = selectors.access_meeting_for_change(user, pk)
    created: list[AgendaItem] = []

    def work() -> None:
        created.extend(services.generate_agenda(meeting=meeting, acting_user=user,
                                                through=through_of(request)))
        if not created:
            raise DomainError("Nothing new for the agenda: it is up to date.")

    return _change(request, pk, "Added new items to the agenda.", work)


@casework_only
@require_http_methods(["GET", "POST"])
def add_item(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    meeting = selectors.access_meeting_for_change(user, pk)
    people = policy.nominals_visible_to(user).filter(partnership_id=meeting.partnership_id,
                                                     cohort_memberships__isnull=False).distinct()
    form = ItemForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_item(meeting=meeting, acting_user=user, through=through_of(request),
                              **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Item added to the agenda.")
            return redirect("meetings:detail", pk=pk)
    listed = sorted(people.values_list("pk", flat=True))  # the form's list of names
    log_read(user=user, nominal=None, through=through_of(request),
             action=Action.SEARCH if listed else Action.VIEW,
             records=[RecordRef("meeting", meeting.pk),
                      *(RecordRef("nominal", p) for p in listed)],
             detail={"list": "people for an agenda item"})
    return render(request, "meetings/form.html", {
        "form": form, "title": "Add an agenda item", "meeting": meeting})


@casework_only
@require_POST
def move_item(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    user = _user(request)
    meeting = selectors.access_meeting_for_change(user, pk)
    item = selectors.access_item(user, meeting, item_id)
    direction = request.POST.get("direction", "")
    return _change(request, pk, f"Moved {item.title} {direction}.", lambda: services.move_item(
        item=item, direction=direction, acting_user=user, through=through_of(request)))
