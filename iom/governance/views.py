"""Pages for data-protection officers: who has seen a person."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from iom.accounts.models import User
from iom.audit.models import AccessLogEntry, Action
from iom.audit.services import RecordRef
from iom.core.errors import DomainError, NotFound
from iom.people import selectors
from iom.people.forms import SearchForm

from . import policy, services
from .audit_words import describe_entries
from .forms import ConsentForm, InvolvementForm
from .models import Consent
from .web import casework_only, log_read, person_for_view, through_of

AUDIT_REASON = "Data-protection audit of access to this person's data"


def _dpo(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not policy.can_read_access_log(user):
        raise Http404
    return user


def audit_search(request: HttpRequest) -> HttpResponse:
    user = _dpo(request)
    form = SearchForm(request.GET or None)
    hits: list[selectors.SearchHit] = []
    query = ""
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        hits = selectors.search_people(policy.nominals_for_audit(user), query)
        log_read(user=user, nominal=None, through=through_of(request), action=Action.SEARCH,
                 records=[RecordRef("nominal", h.nominal.pk) for h in hits],
                 reason=AUDIT_REASON, detail={"query": query})
    return render(request, "governance/audit_search.html",
                  {"form": form, "hits": hits, "query": query})


def audit_person(request: HttpRequest, pk: int) -> HttpResponse:
    user = _dpo(request)
    try:
        nominal = policy.access_nominal_for_audit(user, pk)
    except NotFound as exc:
        raise Http404 from exc
    entries = AccessLogEntry.objects.filter(nominal_id=nominal.pk).order_by("-at", "-id")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    log_read(user=user, nominal=nominal, through=through_of(request),
             records=[RecordRef("access_log", e.pk) for e in page], reason=AUDIT_REASON)
    return render(request, "governance/audit_person.html",
                  {"nominal": nominal, "page": page, "described": describe_entries(
                      page, policy.sight_of(user))})


@casework_only
@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest, pk: int) -> HttpResponse:
    """Consent decisions and involvements for one person (statutory partners record them)."""
    user: User = request.user  # type: ignore[assignment]
    if not policy.is_statutory_case_worker(user):
        raise Http404
    nominal, why = person_for_view(request, pk)
    partners = policy.partner_organisations(user)
    which = request.POST.get("form")
    consent_form = ConsentForm(request.POST if which == "consent" else None,
                               request.FILES if which == "consent" else None,
                               organisations=partners, prefix="consent")
    involvement_form = InvolvementForm(request.POST if which == "involvement" else None,
                                       organisations=partners, prefix="involvement")
    form = consent_form if which == "consent" else involvement_form
    if request.method == "POST" and which == "end":
        found = nominal.involvements.filter(pk=request.POST.get("involvement") or 0).first()
        if found is None:
            raise Http404
        try:
            services.end_involvement(involvement=found, end=timezone.localdate(),
                                     acting_user=user, through=through_of(request))
        except DomainError as error:
            messages.error(request, error.problems[0].message if error.problems
                           else error.message)
        else:
            messages.success(request, f"{found.organisation}'s involvement ended today.")
        return redirect("governance:sharing", pk=nominal.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if which == "consent":
                upload = data.get("paperwork")
                services.record_consent_with_paperwork(
                    paperwork=(upload.name, upload.read()) if upload else None,
                    nominal=nominal, organisation=data["organisation"], status=data["status"],
                    decided_on=data["decided_on"], basis=data["basis"],
                    given_by=data["given_by"], guardian_name=data["guardian_name"],
                    expires_on=data["expires_on"], note=data["note"], acting_user=user,
                    through=through_of(request))
            else:
                services.record_involvement(
                    nominal=nominal, organisation=data["organisation"],
                    start=data["start_date"], end=data["end_date"], purpose=data["purpose"],
                    acting_user=user, through=through_of(request))
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Saved.")
            return redirect("governance:sharing", pk=nominal.pk)
    consents = list(nominal.consents.select_related("organisation", "paperwork"))
    for consent in consents:
        consent.state_today = policy.consent_state_today(consent)  # type: ignore[attr-defined]
    involvements = list(nominal.involvements.select_related("organisation"))
    log_read(user=user, nominal=nominal, through=through_of(request), reason=why,
             records=[RecordRef("consent", c.pk) for c in consents]
             + [RecordRef("involvement", i.pk) for i in involvements])
    return render(request, "governance/sharing.html", {
        "nominal": nominal, "consents": consents, "involvements": involvements,
        "consent_form": consent_form, "involvement_form": involvement_form})


@casework_only
def paperwork(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed consent form, for statutory case workers who may see the person."""
    user: User = request.user  # type: ignore[assignment]
    if not policy.is_statutory_case_worker(user):
        raise Http404
    consent = Consent.objects.filter(pk=pk).select_related("paperwork").first()
    kept = getattr(consent, "paperwork", None) if consent else None
    if consent is None or kept is None:
        raise Http404
    nominal, why = person_for_view(request, consent.nominal_id)
    log_read(user=user, nominal=nominal, through=through_of(request), reason=why,
             action=Action.EXPORT, records=[RecordRef("consent", consent.pk),
                                            RecordRef("consent_paperwork", kept.pk)],
             detail={"format": kept.content_type})
    response = HttpResponse(bytes(kept.content), content_type=kept.content_type)
    response["Content-Disposition"] = f'attachment; filename="consent-{consent.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
