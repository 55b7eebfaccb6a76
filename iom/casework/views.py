"""Case-work pages. Each starts with the access policy and logs what it shows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from iom.accounts.models import Organisation, User
from iom.accounts.selectors import district_choices
from iom.audit.models import Action as LogAction
from iom.audit.services import RecordRef
from iom.cohorts.candidates.views import Paging
from iom.core.errors import DomainError, Forbidden
from iom.governance import policy
from iom.governance.web import casework_only, log_read, person_for_view, through_of
from iom.people.models import Nominal
from iom.scoring.models import EmergingThreat

from . import forms as cw_forms
from . import selectors, services
from .compliance import Item
from .models import Action, DocumentKind, PlanNeed, ServiceReferral
from .rules import compliance_rules, rule_title
from .services.base import today
from .services.plans import current_membership

COMPLIANCE_PAGE = 50  # rows of the compliance dashboard a page

Save = Callable[[Nominal, dict[str, Any], User, str], object]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@casework_only
def person(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    nominal, reason = person_for_view(request, pk)
    plan = selectors.open_plan(nominal)
    actions = list(nominal.actions.select_related("owner_user", "owner_organisation"))
    contacts = list(nominal.contacts.select_related("organisation")[:50])
    documents = list(selectors.documents_readable_by(user, nominal).defer("content")
                     .select_related("generated_by"))
    threats = list(EmergingThreat.objects.filter(nominal=nominal).prefetch_related("reviews"))
    shown = [RecordRef("nominal", nominal.pk), *(RecordRef("action", a.pk) for a in actions),
             *(RecordRef("contact", c.pk) for c in contacts)]
    if plan:
        shown.append(RecordRef("plan", plan.pk))
    log_read(user=user, nominal=nominal, through=through_of(request), records=shown,
             reason=reason)
    return render(request, "casework/person.html", {
        "nominal": nominal, "plan": plan, "actions": actions, "contacts": contacts,
        "documents": documents, "threats": threats, "today": today(),
        "membership": current_membership(nominal),
        "closed_plans": list(selectors.closed_plans(nominal)),
        "left_case": nominal.cohort_memberships.filter(ended_on__isnull=False).first(),
        "statutory": policy.is_statutory_case_worker(user),
        "document_rows": [(kind, label, [d for d in documents if d.kind == kind])
                          for kind, label in DocumentKind.choices]})


def _form_page(request: HttpRequest, pk: int, *, title: str, save: Save,
               build: Callable[..., forms.Form] = forms.Form,
               build_for: Callable[[Any, Nominal], forms.Form] | None = None,
               statutory: str = "", done: str = "Saved.",
               shown: Sequence[RecordRef] = ()) -> HttpResponse:
    """The shape of every case-work form: policy first, then the service, errors on fields.

    Showing the form shows the person (and ``shown``, the record it is about), so it
    is logged as a read; a change saved is logged by its service instead.
    """
    user = _user(request)
    nominal, reason = person_for_view(request, pk)
    if statutory:
        policy.require_statutory_case_worker(user, f"can {statutory}")
    data = request.POST or None
    # A form whose choices depend on the person (``build_for``) is built with them.
    form = build_for(data, nominal) if build_for else build(data)
    if request.method == "POST" and form.is_valid():
        try:
            save(nominal, form.cleaned_data, user, through_of(request))
        except DomainError as error:
            form.add_domain_error(error)  # type: ignore[attr-defined]
        else:
            messages.success(request, done)
            return redirect("casework:person", pk=nominal.pk)
    log_read(user=user, nominal=nominal, through=through_of(request), reason=reason,
             records=[RecordRef("nominal", nominal.pk), *shown])
    return render(request, "casework/form.html", {"form": form, "nominal": nominal,
                                                  "title": title, "reason": reason})


def _plan_or_404(nominal: Nominal) -> Any:
    plan = selectors.open_plan(nominal)
    if plan is None:
        raise Http404
    return plan


@casework_only
@require_http_methods(["GET", "POST"])
def start_plan(request: HttpRequest, pk: int) -> HttpResponse:
    def save(n: Nominal, data: dict[str, Any], u: User, through: str) -> object:
        return services.start_plan(nominal=n, acting_user=u, through=through, **data)

    return _form_page(request, pk, title="Start an intervention plan", build=cw_forms.PlanStartForm,
                      save=save, statutory="start a plan", done="Plan started.")


@casework_only
@require_http_methods(["GET", "POST"])
def add_need(request: HttpRequest, pk: int) -> HttpResponse:
    nominal, _ = person_for_view(request, pk)
    plan = _plan_or_404(nominal)

    def save(n: Nominal, data: dict[str, Any], u: User, through: str) -> object:
        return services.add_need(plan=plan, acting_user=u, through=through, **data)

    return _form_page(request, pk, title="Add a need", save=save, statutory="assess needs",
                      build=lambda d: cw_forms.NeedForm(d, pathway_set=plan.pathway_set),
                      done="Need added.", shown=[RecordRef("plan", plan.pk)])


def _need(nominal: Nominal, need_id: int) -> PlanNeed:
    return get_object_or_404(PlanNeed.objects.select_related("plan"), pk=need_id,
                             plan__nominal=nominal)


@casework_only
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, pk: int, need_id: int) -> HttpResponse:
    nominal, _ = person_for_view(request, pk)
    need = _need(nominal, need_id)

    def save(n: Nominal, data: dict[str, Any], u: User, through: str) -> object:
        return services.refer_to_service(need=need, acting_user=u, through=through, **data)

    partnership = _user(request).partnership_id or 0
    return _form_page(request, pk, title=f"Refer to a service: {need.pathway_label}", save=save,
                      build=lambda d: cw_forms.ServiceReferralForm(d, partnership_id=partnership),
                      statutory="refer to services", done="Referral recorded.",
                      shown=[RecordRef("plan_need", need.pk)])


@casework_only
@require_http_methods(["GET", "POST"])
def referral_response(request: HttpRequest, pk: int, referral_id: int) -> HttpResponse:
    nominal, _ = person_for_view(request, pk)
    referral = get_object_or_404(ServiceReferral.objects.select_related("need__plan"),
                                 pk=referral_id, need__plan__nominal=nominal)

    def save(n: Nominal, data: dict[str, Any], u: User, through: str) -> object:
        return services.record_referral_response(referral=referral, acting_user=u,
                                                 through=through, **data)

    return _form_page(request, pk, title=f"How the person responded: {referral.service}",
                      build=cw_forms.ReferralResponseForm, save=save, done="Response recorded.",
                      shown=[RecordRef("service_referral", referral.pk)])


@casework_only
@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest, pk: int, need_id: int) -> HttpResponse:
    nominal, _ = person_for_view(request, pk)
    need = _need(nominal, need_id)

    def save(n: Nominal, data: dict[str, Any], u: User, through: str) -> object:
        return services.record_progress(need=need, acting_user=u, through=through, **data)

    return _form_page(request, pk, title=f"Record progress: {need.pathway_label}",
                      build=cw_forms.ProgressForm, save=save, done="Progress recorded.",
                      shown=[RecordRef("plan_need", need.pk)])


@casework_only
@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    nominal, _ = person_for_view(request, pk)
    plan = _plan_or_404(nominal)

    def save(n: Nominal, data: dict[str, Any], u: User, through: str) -> object:
        return services.record_outcome(plan=plan, acting_user=u, through=through, **data)

    return _form_page(request, pk, title="Record an intermediate outcome", save=save,
                      build=cw_forms.OutcomeForm, done="Outcome recorded.",
                      shown=[RecordRef("plan", plan.pk)])


@casework_only
@require_http_methods(["GET", "POST"])
def endorse(request: HttpRequest, pk: int) -> HttpResponse:
    nominal, _ = person_for_view(request, pk)
    plan = _plan_or_404(nominal)

    def save(n: Nominal, data: dict[str, Any], u: User, through: str) -> object:
        return services.endorse_plan(plan=plan, acting_user=u, through=through, **data)

    return _form_page(request, pk, title="Endorse the intervention plan", save=save,
                      build=cw_forms.EndorseForm, statutory="endorse a plan",
                      done="Plan endorsed.", shown=[RecordRef("plan", plan.pk)])


@casework_only
@require_http_methods(["GET", "POST"])
def close_plan(request: HttpRequest, pk: int) -> HttpResponse:
    nominal, _ = person_for_view(request, pk)
    plan = _plan_or_404(nominal)

    def save(n: Nominal, data: dict[str, Any], u: User, through: str) -> object:
        return services.close_plan(plan=plan, acting_user=u, through=through, **data)

    return _form_page(request, pk, title="Close the intervention plan", save=save,
                      build=cw_forms.PlanCloseForm, statutory="close a plan",
                      done="Plan closed. It stays in the person's history.",
                      shown=[RecordRef("plan", plan.pk)])


@casework_only
@require_http_methods(["GET", "POST"])
def add_action(request: HttpRequest, pk: int) -> HttpResponse:
    def save(n: Nominal, data: dict[str, Any], u: User, through: str) -> object:
        return services.create_action(
            nominal=n, title=data["title"], due_on=data["due_on"], priority=data["priority"],
            source_kind=data["source_kind"], source_ref=data["source_ref"], acting_user=u,
            through=through, **_owners(data["owner"]))

    return _form_page(request, pk, title="Add an action", save=save,
                      build_for=lambda d, n: cw_forms.ActionForm(
                          d, users=selectors.owner_users(n), orgs=selectors.owner_organisations(n)),
                      done="Action added.")


def _owners(value: str) -> dict[str, Any]:
    kind, _, key = value.partition(":")
    if kind == "user":
        return {"owner_user": User.objects.filter(pk=key).first()}
    return {"owner_organisation": Organisation.objects.filter(pk=key).first()}


def _action(request: HttpRequest, pk: int, action_id: int) -> tuple[Nominal, Action]:
    nominal, _ = person_for_view(request, pk)
    action = get_object_or_404(Action, pk=action_id, nominal=nominal)
    if request.method == "POST" and not policy.may_work_action(_user(request), action):
        raise Forbidden("Only the action's owner or a statutory partner can update it.")
    return nominal, action


@casework_only
@require_http_methods(["GET", "POST"])
def action_update(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    _, action = _action(request, pk, action_id)

    def save(n: Nominal, data: dict[str, Any], u: User, through: str) -> object:
        return services.add_action_update(action=action, acting_user=u, through=through, **data)

    return _form_page(request, pk, title=f"Update: {action.title}", save=save,
                      build=cw_forms.ActionUpdateForm, done="Update added.",
                      shown=[RecordRef("action", action.pk)])


@casework_only
@require_http_methods(["GET", "POST"])
def action_close(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    _, action = _action(request, pk, action_id)

    def save(n: Nominal, data: dict[str, Any], u: User, through: str) -> object:
        return services.close_action(action=action, acting_user=u, through=through, **data)

    return _form_page(request, pk, title=f"Result: {action.title}", save=save,
                      build=cw_forms.ActionCloseForm, done="Result recorded.",
                      shown=[RecordRef("action", action.pk)])


@casework_only
@require_http_methods(["GET", "POST"])
def add_contact(request: HttpRequest, pk: int) -> HttpResponse:
    def save(n: Nominal, data: dict[str, Any], u: User, through: str) -> object:
        return services.record_contact(nominal=n, acting_user=u, through=through, **data)

    return _form_page(request, pk, title="Record a visit or appointment", save=save,
                      build=cw_forms.ContactForm, done="Contact recorded.")


@casework_only
@require_http_methods(["GET", "POST"])
def review_threat(request: HttpRequest, pk: int, threat_id: int) -> HttpResponse:
    nominal, _ = person_for_view(request, pk)
    threat = get_object_or_404(EmergingThreat, pk=threat_id, nominal=nominal)

    def save(n: Nominal, data: dict[str, Any], u: User, through: str) -> object:
        return services.review_threat(threat=threat, acting_user=u, through=through, **data)

    return _form_page(request, pk, title="Review the emerging threat", save=save,
                      build=cw_forms.ThreatReviewForm, statutory="review emerging threats",
                      done="Review recorded.", shown=[RecordRef("emerging_threat", threat.pk)])


@casework_only
@require_http_methods(["GET", "POST"])
def deregister(request: HttpRequest, pk: int) -> HttpResponse:
    nominal, _ = person_for_view(request, pk)
    case = nominal.cohort_memberships.filter(ended_on__isnull=False).first()
    if case is None:
        raise Http404

    def save(n: Nominal, data: dict[str, Any], u: User, through: str) -> object:
        return services.record_deregistration(membership=case, acting_user=u, through=through,
                                              **data)

    return _form_page(request, pk, title="Record the deregistration", save=save,
                      build=cw_forms.DeregistrationForm, statutory="record deregistration",
                      done="Deregistration recorded.", shown=[RecordRef("cohort_case", case.pk)])


@casework_only
@require_POST
def generate_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    user = _user(request)
    nominal, reason = person_for_view(request, pk)
    policy.require_statutory_case_worker(user, "can produce documents")
    if kind not in DocumentKind.values:
        raise Http404
    document = services.generate_document(nominal=nominal, kind=kind, acting_user=user,
                                          through=through_of(request), reason=reason)
    messages.success(request, f"{document.get_kind_display()} produced.")
    return redirect("casework:person", pk=nominal.pk)


@casework_only
def download_document(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    user = _user(request)
    nominal, reason = person_for_view(request, pk)
    policy.require_statutory_case_worker(user, "can open documents")
    document = get_object_or_404(selectors.documents_readable_by(user, nominal), pk=document_id)
    log_read(user=user, nominal=nominal, through=through_of(request), reason=reason,
             action=LogAction.EXPORT, records=[RecordRef("document", document.pk)],
             detail={"document": document.kind})
    response = HttpResponse(bytes(document.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


def _action_list(request: HttpRequest, actions: list[Action], title: str) -> HttpResponse:
    user = _user(request)
    if actions:
        log_read(user=user, nominal=None, through=through_of(request), action=LogAction.SEARCH,
                 records=[RecordRef("action", a.pk) for a in actions],
                 detail={"list": title})
    return render(request, "casework/actions.html", {"actions": actions, "title": title,
                                                     "today": today()})


@casework_only
def my_actions(request: HttpRequest) -> HttpResponse:
    return _action_list(request, list(selectors.my_actions(_user(request))), "My actions")


@casework_only
def overdue_actions(request: HttpRequest) -> HttpResponse:
    actions = list(selectors.overdue_actions(_user(request), today()))
    return _action_list(request, actions, "Overdue actions")


@casework_only
def compliance_dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = cw_forms.ComplianceFilterForm(
        request.GET or None, districts=[name for _, name in district_choices(user)])
    filters = form.cleaned_data if form.is_valid() else {}
    items = selectors.compliance_items(user, today(), **filters)
    page, paging, beyond = _compliance_page(request, items)
    people = {i.nominal.pk for i in page if i.nominal is not None}
    if people:
        log_read(user=user, nominal=None, through=through_of(request), action=LogAction.SEARCH,
                 records=[RecordRef("nominal", p) for p in sorted(people)],
                 detail={"list": "compliance", "page": paging.number})
    rules = compliance_rules()
    titles = {key: rule_title(key, rules) for key, _ in cw_forms.RULE_CHOICES}
    return render(request, "casework/compliance.html", {
        "form": form, "items": page, "matching": len(items), "titles": titles,
        "today": today(), "short_titles": dict(cw_forms.RULE_CHOICES),
        "paging": paging, "beyond": beyond,
        "first_shown": (paging.number - 1) * COMPLIANCE_PAGE + 1 if page else 0,
        "last_shown": (paging.number - 1) * COMPLIANCE_PAGE + len(page),
        "figures": selectors.compliance_figures(items),
        "late": sum(1 for i in items if i.status == "late"),
        "can_record_audit": policy.is_statutory_case_worker(user)})


def _compliance_page(request: HttpRequest, items: list[Item]
                     ) -> tuple[list[Item], Paging, bool]:
    """One page of the compliance items, the links to the others (keeping the filters),
    and whether the page asked for was past the last, so the last is shown instead."""
    asked = Paging.of(request)
    pages = max(1, -(-len(items) // COMPLIANCE_PAGE))
    number = min(asked.number, pages)
    start = (number - 1) * COMPLIANCE_PAGE
    paging = Paging(number, pages, len(items), asked.query)
    return items[start:start + COMPLIANCE_PAGE], paging, asked.number > pages


@casework_only
@require_http_methods(["GET", "POST"])
def tag_audit(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policy.require_statutory_case_worker(user, "can record tag audits")
    form = cw_forms.TagAuditForm(request.POST or None, partnership_id=user.partnership_id or 0)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_tag_audit(acting_user=user, through=through_of(request),
                                      **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Tag audit recorded.")
            return redirect("casework:compliance")
    return render(request, "casework/form.html", {"form": form, "title": "Record a tag audit"})
