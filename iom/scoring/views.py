"""Score pages: a person's scores with their working and history, and the OGRS 3 calculator."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from iom.accounts.models import User
from iom.audit.services import RecordRef
from iom.governance.web import casework_only, log_read, person_for_view, through_of
from iom.scoring.engine import Ogrs3Inputs, ogrs3

from . import selectors, services
from .charts import line_chart
from .forms import AsAtForm, Ogrs3Form
from .models import ScoreName

SCORE_TITLES = dict(ScoreName.choices)


def _as_at(request: HttpRequest) -> tuple[date, AsAtForm]:
    today = timezone.localdate()
    form = AsAtForm(request.GET if "as_at" in request.GET else None, initial={"as_at": today})
    if form.is_bound and form.is_valid():
        if form.cleaned_data["as_at"] > today:
            form.add_error("as_at", "Scores cannot be worked out for a future date")
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
        messages.success(request, f"Scores as at {as_at:%d %B %Y} added to the history.")
        return redirect(f"{request.path}?as_at={as_at.isoformat()}")
    results = services.scores_for(nominal, as_at)
    history = _history(nominal)
    log_read(user=user, nominal=nominal, through=through_of(request), reason=why,
             records=[RecordRef("event", c.event_id) for r in results.values()
                      for c in r.working if c.event_id],
             detail={"scores_as_at": as_at})
    return render(request, "scoring/person_scores.html", {
        "nominal": nominal, "as_at": as_at, "form": form, "history": history,
        "scores": [(SCORE_TITLES[name], name, result, services.result_detail(result))
                   for name, result in results.items()],
    })


def _history(nominal: Any) -> dict[str, Any]:
    risk = selectors.score_history(nominal, ScoreName.RISK)
    ogrs = {s.as_at: s for s in selectors.score_history(nominal, ScoreName.OGRS3)}
    rows = [(s.as_at, s.value, s.band, ogrs.get(s.as_at)) for s in risk]
    series = [(s.as_at, s.value) for s in risk if s.value is not None]
    return {"rows": rows[::-1], "chart": line_chart(series)}


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
