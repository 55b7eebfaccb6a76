"""Pages for the tag inventory, the monthly audit and each person's fittings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from iom.accounts.models import User
from iom.audit.services import RecordRef
from iom.casework.compliance import recent_months
from iom.core.errors import DomainError, NotFound
from iom.governance import policy
from iom.governance.web import casework_only, log_read, person_for_view, through_of

from . import forms as mf
from . import selectors, services
from .models import DeviceState, InventoryAudit
from .rules import monitoring_rules
from .services.base import month_end, today

AUDIT_MONTHS = 3


def keeper(request: HttpRequest) -> User:
    """First line of every inventory page: those who keep the tags, or not found."""
    user: User = request.user  # type: ignore[assignment]
    if not policy.can_manage_tags(user):
        raise NotFound
    return user


Save = Callable[[dict[str, Any], User, str], Any]


def form_page(request: HttpRequest, form: forms.Form, *, title: str, save: Save, done: str,
              back: str, context: dict[str, Any] | None = None) -> HttpResponse:
    """The shape of every monitoring form: the service, its errors on the fields."""
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data, user, through_of(request))
        except DomainError as error:
            form.add_domain_error(error)  # type: ignore[attr-defined]
        else:
            messages.success(request, done)
            return redirect(saved if isinstance(saved, str) else back)
    return render(request, "monitoring/form.html",
                  {"form": form, "title": title, "back": back, **(context or {})})


@casework_only
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = keeper(request)
    rules = monitoring_rules()
    districts = list(selectors.districts_of(user))
    as_at = today()
    rows = [(d, selectors.inventory_counts(d, as_at)) for d in districts]
    due = selectors.fittings_due_review(user, as_at, rules)
    current = list(selectors.fittings_visible_to(user).filter(removed_at__isnull=True))
    for nominal_id in sorted({f.nominal_id for f in current}):
        log_read(user=user, nominal=None, through=through_of(request),
                 records=[RecordRef("nominal", nominal_id)], reason="Tag wearers list")
    return render(request, "monitoring/home.html", {
        "rows": rows, "states": DeviceState.choices, "due": due, "current": current,
        "flexes": list(selectors.flexes_waiting(user)),
        "devices": list(selectors.devices_visible_to(user)),
        "police": policy.can_match_crimes(user), "rules": rules})


@casework_only
@require_http_methods(["GET", "POST"])
def add_device(request: HttpRequest) -> HttpResponse:
    user = keeper(request)
    form = mf.DeviceForm(request.POST or None, districts=selectors.districts_of(user))
    return form_page(request, form, title="Add a tag unit", done="Unit added.",
                     back="monitoring:home",
                     save=lambda d, u, t: services.add_device(acting_user=u, through=t, **d))


@casework_only
@require_GET
def device(request: HttpRequest, device_id: int) -> HttpResponse:
    unit = selectors.access_device(keeper(request), device_id)
    events = unit.events.select_related("from_district", "to_district", "recorded_by")
    return render(request, "monitoring/device.html", {
        "device": unit, "events": events, "flexes": unit.flexes.all(),
        "fitted": unit.state == DeviceState.FITTED})


@casework_only
@require_http_methods(["GET", "POST"])
def device_state(request: HttpRequest, device_id: int) -> HttpResponse:
    unit = selectors.access_device(keeper(request), device_id)
    form = mf.StateForm(request.POST or None, initial={"on": today()})
    return form_page(request, form, title=f"Change the state of unit {unit.serial}",
                     done="State changed.", back=f"/monitoring/units/{unit.pk}/",
                     save=lambda d, u, t: services.change_device_state(
                         device=unit, acting_user=u, through=t, **d))


@casework_only
@require_http_methods(["GET", "POST"])
def device_flex(request: HttpRequest, device_id: int) -> HttpResponse:
    user = keeper(request)
    unit = selectors.access_device(user, device_id)
    form = mf.FlexForm(request.POST or None,
                       districts=selectors.districts_of(user).exclude(pk=unit.district_id))
    return form_page(request, form, title=f"Move unit {unit.serial} to another district",
                     done="Move requested: someone else must approve it.",
                     back=f"/monitoring/units/{unit.pk}/",
                     save=lambda d, u, t: services.request_flex(
                         device=unit, acting_user=u, through=t, **d))


@casework_only
@require_http_methods(["GET", "POST"])
def flex(request: HttpRequest, flex_id: int) -> HttpResponse:
    move = selectors.access_flex(keeper(request), flex_id)
    form = mf.FlexDecisionForm(request.POST or None)
    return form_page(request, form, title=f"Move unit {move.device.serial} from "
                     f"{move.from_district} to {move.to_district}?", done="Decision recorded.",
                     back="monitoring:home", context={"flex": move},
                     save=lambda d, u, t: services.decide_flex(flex=move, acting_user=u,
                                                               through=t, **d))


@casework_only
@require_http_methods(["GET", "POST"])
def audit(request: HttpRequest) -> HttpResponse:
    """The monthly audits: each recent month's counts per district, recorded or not."""
    user = keeper(request)
    districts = selectors.districts_of(user)
    form = mf.AuditForm(request.POST or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_inventory_audit(acting_user=user, through=through_of(request),
                                            **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Audit recorded.")
            return redirect("monitoring:audit")
    recorded = {(a.district_id, a.month): a
                for a in InventoryAudit.objects.filter(district__in=districts)}
    months = [(m, [(d, recorded.get((d.pk, m)) , selectors.inventory_counts(d, month_end(m)))
                   for d in districts]) for m in recent_months(today(), AUDIT_MONTHS)]
    return render(request, "monitoring/audit.html", {"form": form, "months": months,
                                                     "states": DeviceState.choices})


@casework_only
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    user = keeper(request)
    nominal, reason = person_for_view(request, pk)
    log_read(user=user, nominal=nominal, through=through_of(request), reason=reason,
             records=[RecordRef("nominal", nominal.pk)])
    form = mf.ConsentForm(request.POST or None, initial={"consented_on": today()})
    return form_page(request, form, title="Record consent to wear a tag",
                     done="Consent recorded. Record the fitting when the tag goes on.",
                     back="monitoring:home", context={"nominal": nominal},
                     save=lambda d, u, t: _fitting_url(services.record_consent(
                         nominal=nominal, acting_user=u, through=t, **d)))


def _fitting_url(fitting: Any) -> str:
    return f"/monitoring/fittings/{fitting.pk}/"


def _fitting_for_view(request: HttpRequest, fitting_id: int) -> Any:
    user = keeper(request)
    fitting = selectors.access_fitting(user, fitting_id)
    _, reason = person_for_view(request, fitting.nominal_id)
    log_read(user=user, nominal=fitting.nominal, through=through_of(request), reason=reason,
             records=[RecordRef("nominal", fitting.nominal_id),
                      RecordRef("tag_fitting", fitting.pk)])
    return fitting


@casework_only
@require_GET
def fitting(request: HttpRequest, fitting_id: int) -> HttpResponse:
    record = _fitting_for_view(request, fitting_id)
    user: User = request.user  # type: ignore[assignment]
    rules = monitoring_rules()
    return render(request, "monitoring/fitting.html", {
        "fitting": record, "review_due": selectors.review_due_on(record, rules),
        "youth": record.nominal.age_on(record.consented_on) < rules.adult_age,
        "locations": policy.can_see_locations(user, record.nominal), "today": today()})


@casework_only
@require_http_methods(["GET", "POST"])
def fit(request: HttpRequest, fitting_id: int) -> HttpResponse:
    record = _fitting_for_view(request, fitting_id)
    units = selectors.devices_visible_to(request.user).filter(  # type: ignore[arg-type]
        state=DeviceState.IN_STOCK)
    form = mf.FitForm(request.POST or None, devices=units)
    return form_page(request, form, title="Record the fitting", done="Fitting recorded.",
                     back=f"/monitoring/fittings/{record.pk}/", context={"nominal": record.nominal},
                     save=lambda d, u, t: services.fit_tag(fitting=record, acting_user=u,
                                                           through=t, **d))


@casework_only
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest, fitting_id: int) -> HttpResponse:
    record = _fitting_for_view(request, fitting_id)
    form = mf.RemoveForm(request.POST or None)
    return form_page(request, form, title="Record the removal", done="Removal recorded.",
                     back=f"/monitoring/fittings/{record.pk}/", context={"nominal": record.nominal},
                     save=lambda d, u, t: services.remove_tag(fitting=record, acting_user=u,
                                                              through=t, **d))
