"""Cohort-wide pages: the dashboard (and, over ``selection``, candidates and what-if)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from iom.accounts.models import User
from iom.accounts.selectors import district_choices
from iom.audit.models import Action
from iom.audit.services import RecordRef
from iom.cohorts import dashboard
from iom.cohorts.dashboard_sheets import dashboard_download
from iom.cohorts.forms import FilterForm
from iom.core import spreadsheets
from iom.governance import policy
from iom.governance.web import casework_only, log_read, through_of


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def filters_from(form: FilterForm) -> dashboard.Filters:
    if not form.is_valid():
        return dashboard.Filters()
    data = form.cleaned_data
    return dashboard.Filters(policy=data["policy"], cohort_type=data["cohort_type"],
                             rag=data["rag"], lead_agency=data["lead_agency"],
                             mine=bool(data["mine"]), district=data["district"])


@require_GET
def cohort_figures(request: HttpRequest) -> HttpResponse:
    """The cohort's counts without names, for an analyst (and any case worker, over the
    people they may see). The read is logged, without records: it shows nobody."""
    user = _user(request)
    if not policy.can_read_figures(user):
        raise Http404
    board = dashboard.figures_for(user, timezone.localdate())
    log_read(user=user, nominal=None, through=through_of(request), action=Action.SEARCH,
             records=[], reason="Cohort figures", detail={"list": "cohort figures"})
    whole = not policy.is_casework_user(user)
    return render(request, "cohorts/figures.html", {
        "board": board, "whole_partnership": whole,
        "partnership": user.organisation.partnership if user.organisation else ""})


@casework_only
@require_GET
def cohort_dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    organisations = policy.partner_organisations(user).order_by("name")
    form = FilterForm(request.GET, organisations=organisations,
                      districts=district_choices(user))
    filters = filters_from(form)
    board = dashboard.dashboard_for(user, filters, timezone.localdate())
    people = board.people_ids()
    if people:
        log_read(user=user, nominal=None, through=through_of(request), action=Action.SEARCH,
                 records=[RecordRef("nominal", pk) for pk in people],
                 reason="Cohort dashboard", detail={"list": "cohort dashboard",
                                                    "filters": request.GET.urlencode()})
    chosen = [(form[name].label, form[name].value()) for name in form.fields
              if form.is_valid() and form.cleaned_data.get(name)]
    return render(request, "cohorts/dashboard.html", {
        "board": board, "form": form, "chosen": chosen,
        "can_manage": policy.is_statutory_case_worker(user)})


@casework_only
@require_GET
def cohort_dashboard_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The dashboard's tables as CSV or XLSX: the same board, with the same filters, as the
    page; one export entry in the access log for each person in it."""
    spreadsheets.content_type(fmt)  # an unknown format: not found, before anything is read
    user = _user(request)
    form = FilterForm(request.GET, organisations=policy.partner_organisations(user),
                      districts=district_choices(user))
    if request.GET and not form.is_valid():
        return _bad_filters(form)
    return dashboard_download(user=user, filters=filters_from(form), fmt=fmt,
                              through=through_of(request), asked=request.GET.urlencode())


def _bad_filters(form: FilterForm) -> HttpResponse:
    said = "; ".join(f"{form[name].label if name in form.fields else name}: "
                     f"{' '.join(str(e) for e in errors)}" for name, errors in form.errors.items())
    return HttpResponse(f"The filters are not valid: {said}", status=400,
                        content_type="text/plain; charset=utf-8")
