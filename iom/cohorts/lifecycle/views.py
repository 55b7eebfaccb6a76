"""Pages that move one person's case through the lifecycle.

Each starts with the access policy (the person, and whether the user may
manage the cohort), asks for the viewing reason like every person page, calls
one service, and puts any refusal back on the field it names. A change made
by someone else since the page was opened is refused as "the record changed".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from iom.accounts.models import OrganisationKind, User
from iom.audit.services import RecordRef
from iom.cohorts import selectors
from iom.cohorts.lifecycle import Rag, Step, services, strands_of
from iom.cohorts.lifecycle.forms import (
    DecisionForm,
    PlacementForm,
    RagForm,
    ReferralForm,
    StepForm,
    TransferInForm,
    VersionedForm,
)
from iom.cohorts.models import CohortMembership
from iom.cohorts.policy.rules import YOUTH_COHORT, SchemeTerms, is_youth
from iom.cohorts.policy.schemes import scheme_names, scheme_terms
from iom.core.errors import DomainError, NotFound
from iom.governance import policy
from iom.governance.web import casework_only, log_read, person_for_view, through_of
from iom.people.forms import record_form_class
from iom.people.models import Nominal

DEFAULT_POLICY = "derbyshire-2021"


@dataclass(frozen=True)
class StepPage:
    title: str
    reason_label: str
    submit: str
    service: Callable[..., Any]


STEP_PAGES: dict[str, StepPage] = {
    Step.START_RESEARCH: StepPage("Start research and scoring", "What the research covers",
                                  "Start research", services.start_research),
    Step.SEND_TO_PANEL: StepPage("Send to the panel", "Summary for the panel",
                                 "Send to the panel", services.send_to_panel),
    Step.REVIEW: StepPage("Record a review", "Review notes", "Record review", services.review),
    Step.CONSIDER_DESELECTION: StepPage("Consider deselection", "Why deselection is considered",
                                        "Consider deselection", services.consider_deselection),
    Step.NOTIFY_DESELECTION: StepPage("Tell the person of deselection",
                                      "How and when the person was told",
                                      "Record that the person was told",
                                      services.notify_deselection),
    Step.KEEP_ON_COHORT: StepPage("Keep on the cohort", "Why the person stays on the cohort",
                                  "Keep on the cohort", services.keep_on_cohort),
    Step.EXIT: StepPage("Exit the cohort", "Exit strategy", "Exit the cohort",
                        services.exit_cohort),
    Step.MONITOR: StepPage("Monitor after exit", "Why the person is monitored",
                           "Monitor the person", services.monitor),
    Step.REMOVE_FOR_CUSTODY: StepPage("Remove for a long custody", "Reason",
                                      "Remove from the cohort", services.remove_for_custody),
    Step.TRANSFER_OUT: StepPage("Transfer out of the area", "Reason", "Transfer out",
                                services.transfer_out),
    Step.CHANGE_STRAND: StepPage("Change strand", "Reason for the change", "Change strand",
                                 services.change_strand),
}


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _for_change(request: HttpRequest, pk: int) -> tuple[Nominal, str]:
    """First line of every change page: the person, if the user may manage their case."""
    nominal = selectors.access_nominal_for_cohort_change(_user(request), pk)
    return person_for_view(request, nominal.pk)


def _case(nominal: Nominal) -> CohortMembership:
    case = selectors.latest_case(nominal)
    if case is None:
        raise NotFound
    return case


def _log_case(request: HttpRequest, nominal: Nominal, case: CohortMembership | None,
              why: str) -> None:
    """Log the page's read of the person and of their case, if the page shows one."""
    case_ref = [RecordRef("cohort_case", case.pk)] if case is not None else []
    log_read(user=_user(request), nominal=nominal, through=through_of(request), reason=why,
             records=[RecordRef("nominal", nominal.pk), *case_ref])


def _done(request: HttpRequest, nominal: Nominal, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("people:profile", args=[nominal.pk]) + "#cohort")


def _refused(form: forms.BaseForm, error: DomainError, case: CohortMembership | None
             ) -> CohortMembership | None:
    """Put a refusal on the form; after "the record changed", show the latest case."""
    form.add_domain_error(error)  # type: ignore[attr-defined]
    if error.code == "conflict" and case is not None:
        case = CohortMembership.objects.get(pk=case.pk)
        if isinstance(form, VersionedForm):
            form.refresh_version(case.version)
    return case


def _page(request: HttpRequest, nominal: Nominal, case: CohortMembership | None,
          form: forms.BaseForm, title: str, **extra: Any) -> HttpResponse:
    return render(request, "cohorts/case_form.html", {
        "nominal": nominal, "case": case, "form": form, "title": title, **extra})


def _partners(user: User) -> Any:
    return policy.partner_organisations(user).order_by("name")


@casework_only
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    """Any partner may refer a person they can see; a partner's referral needs consent."""
    user = _user(request)
    nominal, why = person_for_view(request, pk)
    assert user.organisation is not None
    organisations = policy.referring_organisations(user).order_by("name")
    today = timezone.localdate()
    form = ReferralForm(request.POST or None, organisations=organisations, initial={
        "referring_organisation": user.organisation.pk, "referred_on": today,
        "referrer_name": user.display_name, "policy": _policy_asked(request)})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.refer(nominal=nominal, policy_name=data.pop("policy"),
                           referring_organisation=data.pop("referring_organisation"),
                           referred_on=data.pop("referred_on"), fields=data, acting_user=user,
                           through=through_of(request), access_reason=why)
        except DomainError as error:
            _refused(form, error, None)
        else:
            return _done(request, nominal, "Referral recorded.")
    case = selectors.open_case(nominal)
    _log_case(request, nominal, case, why)
    return _page(request, nominal, case, form, "Refer to IOM", caption="Referral form",
                 wide=True)


def _policy_asked(request: HttpRequest) -> str:
    """The scheme a link asked for (the candidate list's "Refer" carries its policy),
    if it is one of those installed; otherwise the default."""
    asked = request.GET.get("policy", "").partition("@")[0]
    return asked if asked in dict(scheme_names()) else DEFAULT_POLICY


@casework_only
@require_http_methods(["GET", "POST"])
def transfer_in(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    nominal, why = _for_change(request, pk)
    form = TransferInForm(request.POST or None, initial={"on": timezone.localdate(),
                                                         "policy": DEFAULT_POLICY})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.transfer_in(nominal=nominal, policy_name=data["policy"],
                                 from_area=data["from_area"], on=data["on"],
                                 reason=data["reason"], acting_user=user,
                                 through=through_of(request), access_reason=why)
        except DomainError as error:
            _refused(form, error, None)
        else:
            return _done(request, nominal, "Transfer in recorded: the case goes to the panel.")
    case = selectors.open_case(nominal)
    _log_case(request, nominal, case, why)
    return _page(request, nominal, case, form, "Transfer in from another area")


def _versioned(request: HttpRequest, case: CohortMembership) -> dict[str, Any]:
    return {"data": request.POST if request.method == "POST" else None,
            "initial": {"version": case.version, "on": timezone.localdate(),
                        "decided_on": timezone.localdate(),
                        "placed_on": timezone.localdate()}}


@casework_only
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    nominal, why = _for_change(request, pk)
    case: CohortMembership | None = _case(nominal)
    assert case is not None
    form = DecisionForm(**_versioned(request, case), organisations=_partners(user),
                        terms=scheme_terms(case.policy_name, case.policy_version))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_panel_decision(
                membership=case, version=data["version"], outcome=data["outcome"],
                meeting=data["meeting"], decided_on=data["decided_on"],
                rationale=data["rationale"], present=list(data["present"]),
                agreeing=list(data["agreeing"]), acting_user=user,
                proposed_cohort_type=data["proposed_cohort_type"],
                exclusion_agreement=data["exclusion_agreement"],
                through=through_of(request), access_reason=why)
        except DomainError as error:
            case = _refused(form, error, case)
        else:
            return _done(request, nominal, "Panel decision recorded.")
    assert case is not None
    _log_case(request, nominal, case, why)
    shown = _exclusions_shown(user, case, form)
    if shown["hits"]:
        form.fields["exclusion_agreement"].label = ("Partnership agreement to include the "
                                                    "person despite the exclusions")
    return _page(request, nominal, case, form, "Record the panel decision",
                 referral=getattr(case, "referral", None), wide=True, exclusions=shown)


def _exclusions_shown(user: User, case: CohortMembership, form: DecisionForm
                      ) -> dict[str, Any]:
    """The policy's exclusions that apply to the person, as at the decision date entered
    (today until one is), so the panel sees what an acceptance would override."""
    on = form.cleaned_data.get("decided_on") if hasattr(form, "cleaned_data") else None
    on = on or timezone.localdate()
    hits = services.exclusions_on(case, on, sight=policy.sight_of(user))
    terms = scheme_terms(case.policy_name, case.policy_version)
    return {"hits": hits, "on": on, "policy": terms.title}


@casework_only
@require_http_methods(["GET", "POST"])
def place(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    nominal, why = _for_change(request, pk)
    case: CohortMembership | None = _case(nominal)
    assert case is not None
    terms = scheme_terms(case.policy_name, case.policy_version)
    arguments = _versioned(request, case)
    arguments["initial"] |= _youth_placement(user, case, terms)
    form = PlacementForm(**arguments, organisations=_partners(user), terms=terms)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.place_on_cohort(
                membership=case, version=data["version"], cohort_type=data["cohort_type"],
                lead_agency=data["lead_agency"], lead_professional=data["lead_professional"],
                police_officer=data["police_officer"], rag=data["rag"],
                placed_on=data["placed_on"], reason=data["reason"], acting_user=user,
                through=through_of(request), access_reason=why)
        except DomainError as error:
            case = _refused(form, error, case)
        else:
            return _done(request, nominal, _placed(case, data["rag"], data["placed_on"]))
    assert case is not None
    _log_case(request, nominal, case, why)
    return _page(request, nominal, case, form, "Place on the cohort",
                 custody=selectors.custody_on(nominal.pk, timezone.localdate()))


def _placed(case: CohortMembership, chosen: str, placed_on: date) -> str:
    """Say so when custody made the status BLUE instead of the one chosen."""
    stored = CohortMembership.objects.get(pk=case.pk).rag
    if stored == chosen or stored != Rag.BLUE:
        return "Placed on the cohort."
    spell = selectors.custody_on(case.nominal_id, placed_on)
    since = f" from {spell.start_date:%-d %B %Y}" if spell else ""
    return (f"Placed on the cohort. The RAG status is BLUE, not {Rag(chosen).label} as "
            f"chosen, because the person is in custody{since}: BLUE lasts until release.")


def _youth_placement(user: User, case: CohortMembership, terms: SchemeTerms
                     ) -> dict[str, Any]:
    """For a person aged 10 to 17, youth justice leads in the Deter Young Offender
    cohort (004 1.28): both are chosen already, and the service checks them anyway."""
    if not (terms.rules.youth_strand
            and is_youth(case.nominal.age_on(timezone.localdate()), terms.rules)):
        return {}
    chosen: dict[str, Any] = {}
    if YOUTH_COHORT[0] in dict(terms.cohort_types):
        chosen["cohort_type"] = YOUTH_COHORT[0]
    youth_justice = _partners(user).filter(kind=OrganisationKind.YOUTH_JUSTICE,
                                           active=True).first()
    if youth_justice is not None:
        chosen["lead_agency"] = youth_justice.pk
    return chosen


@casework_only
@require_http_methods(["GET", "POST"])
def change_rag(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    nominal, why = _for_change(request, pk)
    case: CohortMembership | None = _case(nominal)
    assert case is not None
    form = RagForm(**_versioned(request, case))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_rag(membership=case, version=data["version"], to=data["to"],
                                reason=data["reason"], on=data["on"], acting_user=user,
                                through=through_of(request), access_reason=why)
        except DomainError as error:
            case = _refused(form, error, case)
        else:
            return _done(request, nominal, "RAG status changed.")
    assert case is not None
    _log_case(request, nominal, case, why)
    return _page(request, nominal, case, form, "Change the RAG status")


@casework_only
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    page = STEP_PAGES.get(name)
    if page is None:
        raise Http404
    user = _user(request)
    nominal, why = _for_change(request, pk)
    case: CohortMembership | None = _case(nominal)
    assert case is not None
    form = StepForm(**_versioned(request, case), step=name, reason_label=page.reason_label,
                    submit=page.submit,
                    strands=strands_of(scheme_terms(case.policy_name, case.policy_version)))
    if request.method == "POST" and form.is_valid():
        try:
            page.service(**_step_arguments(name, form.cleaned_data), membership=case,
                         acting_user=user, through=through_of(request), access_reason=why)
        except DomainError as error:
            case = _refused(form, error, case)
        else:
            return _done(request, nominal, f"Recorded: {page.title.lower()}.")
    assert case is not None
    _log_case(request, nominal, case, why)
    return _page(request, nominal, case, form, page.title)


def _step_arguments(name: str, data: dict[str, Any]) -> dict[str, Any]:
    arguments = {"version": data["version"], "on": data["on"]}
    arguments["notes" if name == Step.REVIEW else "reason"] = data["reason"]
    if name == Step.EXIT:
        arguments["supporting_intelligence"] = data["supporting_intelligence"]
        arguments["monitored"] = data["monitored"]
    if name == Step.TRANSFER_OUT:
        arguments["to_area"] = data["to_area"]
    if name == Step.CHANGE_STRAND:
        arguments["to"] = data["strand"]
    return arguments


@casework_only
@require_http_methods(["GET", "POST"])
def record_custody(request: HttpRequest, pk: int) -> HttpResponse:
    """A custody period; a person on the cohort turns BLUE by themselves (002)."""
    user = _user(request)
    nominal, why = _for_change(request, pk)
    policy.access_nominal_for_change(user, nominal.pk, "custody")
    form = record_form_class("custody")(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_custody(nominal=nominal, fields=form.cleaned_data,
                                    acting_user=user, through=through_of(request),
                                    access_reason=why)
        except DomainError as error:
            form.add_domain_error(error)  # type: ignore[attr-defined]
        else:
            return _done(request, nominal, "Custody recorded.")
    case = selectors.open_case(nominal)
    _log_case(request, nominal, case, why)
    return _page(request, nominal, case, form, "Record custody")
