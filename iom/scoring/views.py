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
from iom.governance import policy
from iom.governance.web import casework_only, log_read, person_for_view, through_of
from iom.scoring.engine import Ogrs3Inputs, ogrs3

from . import selectors, services
from .charts import line_chart
from .forms import AsAtForm, Ogrs3Form
from .models import ScoreName

SCORE_TITLES = dict(ScoreName.choices)


def _as_at(request: HttpRequest) -> tuple[date, AsAtForm]:
    today = timezone.localdate()
    form = AsAtForm(request.GET if AsAtForm.asked(request.GET) else None,
                    initial={"as_at": today})
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
    sight = policy.sight_of(user)
    results = services.scores_for(nominal, as_at, sight=sight)
    history = _history(nominal, with_risk=sight.intelligence)
    log_read(user=user, nominal=nominal, through=through_of(request), reason=why,
             records=services.records_read(results), detail={"scores_as_at": as_at})
    return render(request, "scoring/person_scores.html", {
        "nominal": nominal, "as_at": as_at, "form": form, "history": history,
        "without_intelligence": not sight.intelligence,
        "scores": [(SCORE_TITLES[name], name, result, services.result_detail(result))
                   for name, result in results.items()],
    })


def _history(nominal: Any, *, with_risk: bool) -> dict[str, Any]:
    """Stored scores, newest first. The stored risk score was worked out with
    intelligence, so a reader without intelligence sight is shown OGRS 3 alone."""
    ogrs = {s.as_at: s for s in selectors.score_history(nominal, ScoreName.OGRS3)}
    if not with_risk:
        rows: list[tuple[date, float | None, str, Any]] = [
            (day, None, "", score) for day, score in ogrs.items()]
        return {"rows": rows[::-1], "chart": None, "with_risk": False}
    risk = selectors.score_history(nominal, ScoreName.RISK)
    rows = [(s.as_at, s.value, s.band, ogrs.get(s.as_at)) for s in risk]
    series = [(s.as_at, s.value) for s in risk if s.value is not None]
    return {"rows": rows[::-1], "chart": line_chart(series), "with_risk": True}


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
