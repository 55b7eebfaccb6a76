"""An agenda item's page (minutes, decisions, actions) and the dated export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from iom.accounts.models import Organisation, User
from iom.audit.services import RecordRef
from iom.casework.models import Action as CaseAction
from iom.casework.selectors import owner_organisations, owner_users
from iom.cohorts import selectors as cohort_selectors
from iom.cohorts.lifecycle import CohortState
from iom.cohorts.lifecycle import services as cohort_services
from iom.cohorts.models import CohortMembership
from iom.core.errors import DomainError, Forbidden
from iom.governance import policy
from iom.governance.web import casework_only, log_read, through_of

from . import selectors, services
from .export import export_for, log_export
from .forms import ActionForm, DecisionForm, MinutesForm
from .models import AgendaItem, Meeting
from .pdf import pdf_response
from .views import agenda_context

FORMS = ("minutes", "decision", "action")


def _forms(meeting: Meeting, item: AgendaItem, data: Any, which: str) -> dict[str, Any]:
    present = selectors.present_organisations(meeting, item)
    owners, owning = ((owner_users(item.nominal), owner_organisations(item.nominal))
                      if item.nominal else (User.objects.none(), Organisation.objects.none()))
    return {
        "minutes": MinutesForm(data if which == "minutes" else None, prefix="minutes",
                               initial={"minutes": item.minutes}),
        "decision": DecisionForm(data if which == "decision" else None, prefix="decision",
                                 present=selectors.partnership_organisations(meeting).filter(
                                     pk__in=[o.pk for o in present])),
        "action": ActionForm(data if which == "action" else None, prefix="action",
                             users=owners, organisations=owning),
    }


def _save(which: str, form: Any, item: AgendaItem, user: User, through: str) -> str:
    data = {k: v for k, v in form.cleaned_data.items() if k != "which"}
    if which == "minutes":
        services.record_minutes(item=item, text=data["minutes"], acting_user=user,
                                through=through)
        return "Minutes saved."
    if which == "decision":
        decision = services.record_decision(item=item, acting_user=user, through=through,
                                            kind=data["kind"], rationale=data["rationale"],
                                            agreeing=list(data["agreeing"]), rag=data["rag"],
                                            exclusion_agreement=data["exclusion_agreement"])
        return f"Decision recorded: {decision.summary}."
    services.raise_action(item=item, acting_user=user, through=through, **data)
    return "Action raised."


@casework_only
@require_http_methods(["GET", "POST"])
def item_page(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    meeting = selectors.access_meeting(user, pk)
    item = selectors.access_item(user, meeting, item_id)
    can_run = policy.is_statutory_case_worker(user)
    which = next((name for name in FORMS if request.POST.get(f"{name}-which") == name), "")
    if request.method == "POST" and (not can_run or not which):
        raise Forbidden("Only the meeting's statutory partners record minutes and decisions.")
    forms = _forms(meeting, item, request.POST, which)
    if which and forms[which].is_valid():
        try:
            done = _save(which, forms[which], item, user, through_of(request))
        except DomainError as error:
            forms[which].add_domain_error(error)
        else:
            messages.success(request, done)
            return redirect("meetings:item", pk=pk, item_id=item.pk)
    case = cohort_selectors.open_case(item.nominal) if item.nominal else None
    actions = list(CaseAction.objects.filter(source_kind="meeting",
                                             source_ref=services.action_ref(item))
                   .select_related("owner_user", "owner_organisation"))
    log_read(user=user, nominal=item.nominal, through=through_of(request),
             records=[RecordRef("meeting_item", item.pk),
                      *(RecordRef("action", a.pk) for a in actions)],
             reason=f"Agenda item at {meeting}")
    previous, following = selectors.items_around(user, meeting, item)
    return render(request, "meetings/item.html", {
        "meeting": meeting, "item": item, "can_run": can_run and meeting.is_open,
        "previous": previous, "following": following,
        "forms": forms, "case": case, "actions": actions,
        "exclusions": _exclusions(user, meeting, case),
        "present": selectors.present_organisations(meeting, item),
        "quorum_problem": selectors.quorum_problem(meeting, item)})


def _exclusions(user: User, meeting: Meeting, case: CohortMembership | None
                ) -> dict[str, Any] | None:
    """The scheme's exclusions that apply to the person on the meeting's date, so the
    meeting sees what accepting them would override (only before the panel decides)."""
    if case is None or case.state != CohortState.AWAITING_PANEL:
        return None
    hits = cohort_services.exclusions_on(
        case, meeting.held_on, sight=policy.sight_of(user))
    return {"hits": hits, "on": meeting.held_on, "policy": case.policy_title}


@casework_only
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """The dated agenda and minutes as this user may see them, for printing."""
    user: User = request.user  # type: ignore[assignment]
    meeting = selectors.access_meeting(user, pk)
    export = export_for(user, meeting)
    log_export(export, through=through_of(request), form="print view")
    context = agenda_context(user, meeting)
    context |= {"sessions": export.sessions, "exported_at": export.exported_at,
                "viewer": user}
    return render(request, "meetings/export.html", context)


@casework_only
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The same, as a PDF file."""
    user: User = request.user  # type: ignore[assignment]
    meeting = selectors.access_meeting(user, pk)
    return pdf_response(export_for(user, meeting), through=through_of(request))

