"""Score pages: a person's scores with their working and history, and the OGRS 3 calculator."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from iom.accounts.models import User
from iom.audit.services import RecordRef
from iom.core import spreadsheets
from iom.core.errors import DomainError
from iom.governance import policy
from iom.governance.web import casework_only, log_read, person_for_view, through_of
from iom.scoring.engine import Ogrs3Inputs, ogrs3

from . import services
from .downloads import SCORE_TITLES, as_at_problem, history_of, scores_download
from .forms import AsAtForm, Ogrs3Form, SuppliedOgrs3Form


def _as_at(request: HttpRequest) -> tuple[date, AsAtForm]:
    today = timezone.localdate()
    form = AsAtForm(request.GET if AsAtForm.asked(request.GET) else None,
                    initial={"as_at": today})
    if form.is_bound and form.is_valid():
        problem = as_at_problem(form.cleaned_data["as_at"])
        if problem:
            form.add_error("as_at", problem)
        else:
            return form.cleaned_data["as_at"], form
    return today, form


@casework_only
@require_http_methods(["GET", "POST"])
def person_scores(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    nominal, why = person_for_view(request, pk)
    as_at, form = _as_at(request)
    if request.method == "POST":
        services.score_and_store(nominal=nominal, as_at=as_at, acting_user=user,
                                 through=through_of(request), reason=why)
        messages.success(request, f"Scores as at {as_at:%-d %B %Y} added to the history.")
        return redirect(f"{request.path}?as_at={as_at.isoformat()}")
    sight = policy.sight_of(user)
    results = services.scores_for(nominal, as_at, sight=sight)
    history = history_of(nominal, with_risk=sight.intelligence)
    chosen, supplied = services.ogrs3_in_use(nominal, as_at, results)
    log_read(user=user, nominal=nominal, through=through_of(request), reason=why,
             records=[*services.records_read(results),
                      *(RecordRef("supplied_ogrs3", s.pk) for s in supplied)],
             detail={"scores_as_at": as_at})
    return render(request, "scoring/person_scores.html", {
        "nominal": nominal, "as_at": as_at, "form": form, "history": history,
        "without_intelligence": not sight.intelligence,
        "ogrs3_in_use": chosen, "supplied": supplied,
        "can_supply": policy.may_write_kind(user, "supplied_ogrs3"),
        "download_query": urlencode({"as_at": as_at.isoformat()}),
        "scores": [(SCORE_TITLES[name], name, result, services.result_detail(result))
                   for name, result in results.items()],
    })


@casework_only
@require_http_methods(["GET", "POST"])
def supplied_ogrs3(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an OGRS 3 score worked out by probation (001), with its date and source."""
    user: User = request.user  # type: ignore[assignment]
    nominal = policy.access_nominal_for_change(user, pk, "supplied_ogrs3")
    nominal, why = person_for_view(request, nominal.pk)
    form = SuppliedOgrs3Form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_supplied_ogrs3(nominal=nominal, acting_user=user,
                                           through=through_of(request), reason=why,
                                           **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Supplied OGRS 3 score saved.")
            return redirect("scoring:person", pk=nominal.pk)
    log_read(user=user, nominal=nominal, through=through_of(request), reason=why,
             records=[RecordRef("nominal", nominal.pk)], detail={"form": "supplied_ogrs3"})
    return render(request, "scoring/supplied_ogrs3.html", {"form": form, "nominal": nominal})


@casework_only
@require_GET
def person_scores_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The scores page as CSV or XLSX: the same scores, worked out from the records this
    reader may see, logged as an export of the person and the records their working read."""
    spreadsheets.content_type(fmt)  # an unknown format: not found, before anything is read
    user: User = request.user  # type: ignore[assignment]
    nominal, why = person_for_view(request, pk)
    as_at, form = _as_at(request)
    if form.errors:
        said = "; ".join(f"{form[name].label}: {' '.join(str(e) for e in errors)}"
                         for name, errors in form.errors.items())
        return HttpResponse(f"The date is not valid: {said}", status=400,
                            content_type="text/plain; charset=utf-8")
    return scores_download(user=user, nominal=nominal, reason=why, as_at=as_at, fmt=fmt,
                           through=through_of(request))


@require_http_methods(["GET", "POST"])
def ogrs3_calculator(request: HttpRequest) -> HttpResponse:
    """OGRS 3 from the seven inputs a probation officer types in; nothing is stored."""
    form = Ogrs3Form(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = ogrs3(Ogrs3Inputs(**form.cleaned_data))
        if result.errors:
            for error in result.errors:
                for field in error.fields or (None,):
                    form.add_error(field if field in form.fields else None, error.message)
            result = None
    return render(request, "scoring/ogrs3.html", {"form": form, "result": result})
