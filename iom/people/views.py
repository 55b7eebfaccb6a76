"""Pages about people. Each starts with the access policy and logs what it shows."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import ModelChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from iom.accounts.models import User
from iom.accounts.redirects import safe_next
from iom.audit.models import Action
from iom.audit.services import RecordRef
from iom.core.errors import DomainError, NotFound
from iom.governance import policy
from iom.governance.web import (
    casework_only,
    log_read,
    person_for_view,
    remember_reason,
    through_of,
)

from . import selectors, services
from .forms import (
    RECORD_TITLES,
    NominalForm,
    Ogrs3CategoryForm,
    ReasonForm,
    SearchForm,
    record_form_class,
)
from .models import EventKind
from .services import RECORD_KINDS
from .timeline import build_timeline, needs_ogrs3_category
from .validation import (
    offence_code_name,
    ogrs3_categories_for,
    ogrs3_category_depends_on,
    ogrs3_category_names,
)


def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not policy.is_casework_user(user):
        return render(request, "home_other.html", {"figures": policy.can_read_figures(user)})
    people = list(policy.caseload_of(user).select_related("district"))
    if people:
        log_read(user=user, nominal=None, through=through_of(request), action=Action.SEARCH,
                 records=[RecordRef("nominal", n.pk) for n in people],
                 reason="Own caseload", detail={"list": "my people"})
    return render(request, "people/home.html", {"people": people, "form": SearchForm()})


@casework_only
def search(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = SearchForm(request.GET or None)
    hits: list[selectors.SearchHit] = []
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        hits = selectors.search_people(policy.nominals_visible_to(user), query)
        if query:
            log_read(user=user, nominal=None, through=through_of(request), action=Action.SEARCH,
                     records=[RecordRef("nominal", h.nominal.pk) for h in hits],
                     detail={"query": query})
    return render(request, "people/search.html", {
        "form": form, "hits": hits, "query": query,
        "can_create": policy.is_statutory_case_worker(user)})


@casework_only
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    nominal, reason = person_for_view(request, pk)
    timeline = build_timeline(
        nominal,
        intelligence=policy.intelligence_visible_to(user, nominal),
        protection=policy.protection_visible_to(user, nominal),
    )
    aliases = list(nominal.aliases.select_related("originating_organisation"))
    addresses = list(nominal.addresses.select_related("originating_organisation"))
    flags = list(nominal.flags.select_related("originating_organisation"))
    kinds = {item.kind for item in timeline}
    show = request.GET.get("show", "")
    if show:
        timeline = [item for item in timeline if item.kind == show]
    page = Paginator(timeline, TIMELINE_PAGE).get_page(request.GET.get("page"))
    shown = [RecordRef("nominal", nominal.pk), *(item.ref for item in page)]
    shown += [RecordRef("alias", a.pk) for a in aliases]
    shown += [RecordRef("address", a.pk) for a in addresses]
    shown += [RecordRef("flag", f.pk) for f in flags]
    log_read(user=user, nominal=nominal, through=through_of(request), records=shown,
             reason=reason)
    return render(request, "people/profile.html", {
        "nominal": nominal, "timeline": page, "aliases": aliases, "show": show,
        "timeline_kinds": _kind_filters(kinds),
        "addresses": addresses, "flags": flags, "reason": reason,
        "age": nominal.age_on(_today()),
        "record_kinds": _addable_kinds(user),
        "intelligence_hidden": not policy.can_see_intelligence(user),
        "protection_hidden": not policy.can_see_public_protection(user),
        "can_record_consent": policy.is_statutory_case_worker(user),
        "can_set_ogrs3_category": policy.may_write_kind(user, "event"),
    })


TIMELINE_PAGE = 20
KIND_LABELS = {"event": "Arrests, charges, convictions, cautions, breaches and recalls",
               "case_date": "Pending cases, court and bail dates",
               "wanted_missing": "Wanted or missing", "custody": "Custody",
               "order": "Orders and licences", "protection": "MAPPA and registration",
               "intelligence": "Intelligence"}


def _kind_filters(kinds: set[str]) -> list[tuple[str, str]]:
    return [(kind, label) for kind, label in KIND_LABELS.items() if kind in kinds]


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


def _addable_kinds(user: User) -> list[tuple[str, str]]:
    """The record kinds the user may add for the person shown (whose access the page has
    already been through)."""
    return [(kind, RECORD_TITLES[kind]) for kind in RECORD_KINDS
            if policy.may_write_kind(user, kind)]


@casework_only
@require_http_methods(["GET", "POST"])
def reason(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    nominal = policy.access_nominal(user, pk)
    form = ReasonForm(request.POST or None)
    profile = reverse("people:profile", args=[nominal.pk])
    # On this site, and then only a page about a person (a tag wearer's pages too).
    next_url = safe_next(request, profile)
    if not next_url.startswith(("/people/", "/monitoring/")):
        next_url = profile
    if request.method == "POST" and form.is_valid():
        remember_reason(request, nominal.pk, form.cleaned_data["reason"])
        return redirect(next_url)
    return render(request, "people/reason.html", {"form": form, "nominal_id": nominal.pk})


@casework_only
@require_http_methods(["GET", "POST"])
def add_record(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if kind not in RECORD_KINDS:
        raise Http404
    nominal = policy.access_nominal_for_change(user, pk, kind)
    nominal, why = person_for_view(request, nominal.pk)
    form = record_form_class(kind)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_record(nominal=nominal, kind=kind, acting_user=user,
                                through=through_of(request), fields=form.cleaned_data,
                                reason=why)
        except DomainError as error:
            form.add_domain_error(error)  # type: ignore[attr-defined]
        else:
            messages.success(request, f"Added {RECORD_TITLES[kind]}.")
            return redirect("people:profile", pk=nominal.pk)
    log_read(user=user, nominal=nominal, through=through_of(request), reason=why,
             records=[RecordRef("nominal", nominal.pk)], detail={"form": kind})
    return render(request, "people/add_record.html", {
        "form": form, "nominal": nominal, "title": RECORD_TITLES[kind]})


@casework_only
@require_http_methods(["GET", "POST"])
def ogrs3_category(request: HttpRequest, pk: int, event_id: int) -> HttpResponse:
    """Record the exact OGRS 3 category of a conviction whose Home Office code covers
    more than one (who may change the person's convictions may do this)."""
    user: User = request.user  # type: ignore[assignment]
    nominal = policy.access_nominal_for_change(user, pk, "event")
    nominal, why = person_for_view(request, nominal.pk)
    event = nominal.events.filter(pk=event_id, kind=EventKind.CONVICTION).first()
    if event is None or not needs_ogrs3_category(event.ho_code):
        raise NotFound("No such conviction needing an OGRS 3 category.")
    names = ogrs3_category_names()
    choices = [(key, names[key]) for key in ogrs3_categories_for(event.ho_code)]
    form = Ogrs3CategoryForm(request.POST or None, choices=choices,
                             recorded=bool(event.ogrs3_category),
                             initial={"ogrs3_category": event.ogrs3_category})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_ogrs3_category(event=event, category=form.cleaned_data["ogrs3_category"],
                                        acting_user=user, through=through_of(request), reason=why)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "OGRS 3 offence category saved.")
            return redirect("people:profile", pk=nominal.pk)
    log_read(user=user, nominal=nominal, through=through_of(request), reason=why,
             records=[RecordRef("nominal", nominal.pk), RecordRef("event", event.pk)],
             detail={"form": "ogrs3_category"})
    return render(request, "people/ogrs3_category.html", {
        "form": form, "nominal": nominal, "event": event,
        "recorded": names.get(event.ogrs3_category, event.ogrs3_category),
        "offence": offence_code_name(event.ho_code),
        "depends_on": ogrs3_category_depends_on(event.ho_code)})


@casework_only
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    policy.require_statutory_case_worker(user, "can record a new person")
    form = NominalForm(request.POST or None)
    assert user.organisation is not None
    district_field = form.fields["district"]
    assert isinstance(district_field, ModelChoiceField)
    district_field.queryset = user.organisation.partnership.districts.all()
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data, partnership=user.organisation.partnership)
        try:
            nominal = services.create_nominal(acting_user=user, through=through_of(request),
                                              fields=fields, allocate_to=user,
                                              can_see=policy.sees_nominal(user))
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"Recorded {nominal}.")
            return redirect("people:profile", pk=nominal.pk)
    return render(request, "people/create.html", {"form": form})
