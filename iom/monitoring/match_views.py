"""Pages for the police: fix imports, crime batches, matching runs, results and trails."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from iom.accounts.models import User
from iom.audit.models import Action
from iom.audit.services import RecordRef
from iom.core.errors import DomainError, NotFound
from iom.governance import policy
from iom.governance.web import casework_only, log_read, person_for_view, through_of
from iom.people.models import Nominal

from . import fixstore, selectors, services
from . import forms as mf
from . import result_pdf as document
from .maptiles import allow_tiles, configured, map_data
from .models import Fitting, MatchResult, Outcome
from .rules import monitoring_rules
from .services.base import today
from .services.crimes import trail_of
from .trailmap import Place, draw
from .views import form_page

# The column names are what the file must hold, so they are shown as code.
FIX_HELP = mark_safe(
    "A CSV or Parquet file with the columns <code>device_id</code>, <code>fix_time</code>, "
    "<code>latitude</code>, <code>longitude</code> and <code>accuracy_m</code>; times in "
    "ISO 8601 with an offset, places in WGS84 degrees.")
CRIME_HELP = mark_safe(
    "A CSV file with the columns <code>crime_ref</code>, <code>crime_type</code>, "
    "<code>from_time</code>, <code>to_time</code> and either <code>latitude</code> and "
    "<code>longitude</code> or <code>easting</code> and <code>northing</code> (British "
    "National Grid).")


def police(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not policy.can_match_crimes(user):
        raise NotFound
    return user


@casework_only
@require_http_methods(["GET", "POST"])
def fix_upload(request: HttpRequest) -> HttpResponse:
    police(request)
    form = mf.UploadForm(request.POST or None, request.FILES or None, help_text=FIX_HELP,
                         parquet=True)
    return form_page(request, form, title="Import location fixes", done="File checked.",
                     back="monitoring:home", context={"upload": True, "imports": list(
                         selectors.imports_visible_to(request.user)[:10])},  # type: ignore[arg-type]
                     save=lambda d, u, t: "/monitoring/fixes/{}/".format(services.import_fixes(
                         data=d["file"].read(), file_name=d["file"].name, acting_user=u,
                         through=t).pk))


@casework_only
@require_GET
def fix_import(request: HttpRequest, import_id: int) -> HttpResponse:
    record = selectors.access_fix_import(police(request), import_id)
    return render(request, "monitoring/import.html", {"record": record, "kind": "fixes"})


@casework_only
@require_http_methods(["GET", "POST"])
def crime_upload(request: HttpRequest) -> HttpResponse:
    user = police(request)
    form = mf.UploadForm(request.POST or None, request.FILES or None, help_text=CRIME_HELP,
                         parquet=False)
    return form_page(request, form, title="Upload a crime batch", done="File checked.",
                     back="monitoring:home", context={"upload": True, "batches": list(
                         selectors.batches_visible_to(user)[:10])},
                     save=lambda d, u, t: "/monitoring/crimes/{}/".format(services.import_crimes(
                         data=d["file"].read(), file_name=d["file"].name, acting_user=u,
                         through=t).pk))


@casework_only
@require_http_methods(["GET", "POST"])
def batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = police(request)
    record = selectors.access_batch(user, batch_id)
    rules = monitoring_rules()
    form = mf.RunForm(request.POST or None, initial={
        "radius_m": int(rules.radius_m), "pad_minutes": rules.pad_minutes,
        "max_gap_minutes": rules.max_gap_minutes})
    if request.method == "POST" and form.is_valid():
        try:
            run = services.run_matching(batch=record, acting_user=user,
                                        through=through_of(request), **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Matching run.")
            return redirect("monitoring:run", run_id=run.pk)
    return render(request, "monitoring/batch.html", {
        "batch": record, "crimes": record.entries.all(), "form": form,
        "runs": record.runs.all(), "record": record, "kind": "crimes"})


# A run's results for each crime: placed first (what the investigation must look at),
# then those who cannot be eliminated, then the eliminated.
OUTCOME_ORDER: list[str] = [Outcome.PLACED, Outcome.NOT_ELIMINATED, Outcome.ELIMINATED]


@casework_only
@require_GET
def run(request: HttpRequest, run_id: int) -> HttpResponse:
    user = police(request)
    record = selectors.access_run(user, run_id)
    results = list(record.results.select_related("crime", "fitting__nominal"))
    for nominal_id in sorted({r.fitting.nominal_id for r in results}):
        log_read(user=user, nominal=None, through=through_of(request),
                 records=[RecordRef("nominal", nominal_id), RecordRef("match_run", record.pk)],
                 reason=f"Crime matching run {record.pk}")
    crimes: dict[Any, list[MatchResult]] = {}
    for result in results:
        crimes.setdefault(result.crime, []).append(result)
    for listed in crimes.values():
        listed.sort(key=lambda r: (OUTCOME_ORDER.index(r.outcome), r.fitting.nominal.surname,
                                   r.fitting.nominal.forename, r.pk))
    counts = {o: sum(r.outcome == o for r in results) for o in Outcome.values}
    return render(request, "monitoring/run.html", {"run": record, "crimes": crimes.items(),
                                                   "counts": counts})


@casework_only
@require_http_methods(["GET", "POST"])
def result(request: HttpRequest, result_id: int) -> HttpResponse:
    user, found, nominal, reason = _result_for_view(request, result_id)
    form = mf.ResultActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_result_action(result=found, acting_user=user,
                                          through=through_of(request), **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Action recorded.")
            return redirect("monitoring:run", run_id=found.run_id)
    crime, (start, end), fixes = _result_trail(found)
    log_read(user=user, nominal=nominal, through=through_of(request), reason=reason,
             records=[RecordRef("nominal", nominal.pk), RecordRef("match_result", found.pk)],
             detail={"trail": {"from": str(start), "to": str(end)}})
    scene = Place(crime.latitude, crime.longitude)
    places = [Place(f["latitude"], f["longitude"], f["near"]) for f in fixes]
    return _with_map(request, "monitoring/result.html", {
        "result": found, "nominal": nominal, "crime": crime, "form": form, "fixes": fixes,
        "rows": fix_cells(fixes)}, places, scene, found.run.radius_m)


@casework_only
@require_GET
def result_pdf(request: HttpRequest, result_id: int) -> HttpResponse:
    """The result for the investigation as a PDF: drawn from the records loaded for this
    police user, and logged as a disclosure of the wearer with the file's SHA-256."""
    user, found, nominal, reason = _result_for_view(request, result_id)
    return result_pdf_response(user=user, result=found, nominal=nominal, reason=reason,
                               through=through_of(request))


def result_pdf_response(*, user: User, result: MatchResult, nominal: Nominal, reason: str,
                        through: str) -> HttpResponse:
    """The PDF of a result the caller has been let see (the page and the API), logged
    as an export of the wearer naming the file's SHA-256."""
    crime, (start, end), fixes = _result_trail(result)
    content = document.result_pdf(
        result=result, nominal=nominal, rows=fix_cells(fixes), viewer=user,
        trail=draw([Place(f["latitude"], f["longitude"], f["near"]) for f in fixes],
                   Place(crime.latitude, crime.longitude), result.run.radius_m))
    log_read(user=user, nominal=nominal, through=through, reason=reason,
             action=Action.EXPORT,
             records=[RecordRef("nominal", nominal.pk), RecordRef("match_result", result.pk)],
             detail={"format": "PDF", "sha256": hashlib.sha256(content).hexdigest(),
                     "fixes": len(fixes), "trail": {"from": str(start), "to": str(end)}})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename(result)}"'
    return response


def _result_for_view(request: HttpRequest,
                     result_id: int) -> tuple[User, MatchResult, Nominal, str]:
    """A result of a batch the police user may see, whose wearer's locations they may see
    (the same answer for absent and refused), and the reason the view is for."""
    user = police(request)
    found = MatchResult.objects.filter(
        run__batch__in=selectors.batches_visible_to(user), pk=result_id).select_related(
        "crime", "run", "fitting__device", "action_by").first()
    if found is None:
        raise NotFound
    policy.access_wearer_locations(user, found.fitting.nominal_id)
    nominal, reason = person_for_view(request, found.fitting.nominal_id)
    return user, found, nominal, reason


def _result_trail(found: MatchResult) -> tuple[Any, tuple[datetime, datetime],
                                               list[dict[str, Any]]]:
    """The padded window widened by the maximum gap: the fixes that decided the outcome."""
    crime = found.crime
    pad = timedelta(minutes=found.run.pad_minutes + found.run.max_gap_minutes)
    start, end = crime.from_time - pad, crime.to_time + pad
    fixes = _trail(found.fitting, start, end,
                   (crime.latitude, crime.longitude, found.run.radius_m))
    return crime, (start, end), fixes


def _with_map(request: HttpRequest, template: str, context: dict[str, Any],
              places: list[Place], scene: Place | None = None,
              radius_m: float = 0.0) -> HttpResponse:
    """The page with its map: the server's drawing always (no script, no tiles), and with
    a tile server set, the data Leaflet draws over the tiles (docs/adr/0012)."""
    tiles = configured()
    context.update({"map": draw(places, scene, radius_m), "tiles": tiles,
                    "map_data": map_data(places, scene, radius_m) if tiles else None})
    return allow_tiles(render(request, template, context), tiles)


def fix_cells(fixes: list[dict[str, Any]]) -> list[tuple[str, str, str, str, str]]:
    """The fixes table's cells as text, formatted here rather than by template filters
    (a day has 1,440 fixes; bench/fixes_table.py measures the table)."""
    return [(f"{timezone.localtime(f['time']):%H:%M:%S}", f"{f['latitude']:.5f}",
             f"{f['longitude']:.5f}",
             "" if f["accuracy_m"] is None else f"{f['accuracy_m']:.0f} m",
             "Yes" if f["near"] else "") for f in fixes]


def _trail(fitting: Fitting, start: datetime, end: datetime,
           scene: tuple[float, float, float] | None = None) -> list[dict[str, Any]]:
    from .matching import haversine_m

    if fitting.device is None:
        return []
    window = fixstore.read_window(fitting.nominal.partnership_id, start, end,
                                  [fitting.device.serial])
    return [{"time": datetime.fromtimestamp(f.time, UTC), "latitude": f.latitude,
             "longitude": f.longitude, "accuracy_m": f.accuracy_m,
             "near": bool(scene and haversine_m(scene[0], scene[1], f.latitude,
                                                f.longitude) <= scene[2])}
            for f in trail_of(fitting, window)]


@casework_only
@require_GET
def trail(request: HttpRequest, pk: int) -> HttpResponse:
    """A wearer's trail for one day: the map and, beside it, the table of fixes. A day
    that is not a real date shows only the form with its error, not another day's trail;
    a day without fixes says whether a tag was worn and links the latest day with some."""
    user: User = request.user  # type: ignore[assignment]
    policy.access_wearer_locations(user, pk)  # before the reason: refused is refused
    nominal, reason = person_for_view(request, pk)
    form = mf.TrailForm(request.GET if mf.TrailForm.asked(request.GET) else None,
                        initial={"day": today()})
    if form.is_bound and not form.is_valid():
        log_read(user=user, nominal=nominal, through=through_of(request), reason=reason,
                 records=[RecordRef("nominal", nominal.pk)], detail={"trail": {"day": None}})
        return render(request, "monitoring/trail.html", {
            "nominal": nominal, "day": None, "form": form, "fixes": []})
    day = form.cleaned_data["day"] if form.is_bound else today()
    fittings = _fittings_on(nominal, day)
    fixes = [f for fitting in fittings for f in _trail(fitting, *_day_window(day))]
    latest = None if fixes else _latest_day_with_fixes(nominal, day)
    log_read(user=user, nominal=nominal, through=through_of(request), reason=reason,
             records=[RecordRef("nominal", nominal.pk), RecordRef("trail", f"{nominal.pk}:{day}")],
             detail={"trail": {"day": str(day), "fixes": len(fixes),
                               **({"latest_day_with_fixes": str(latest)} if latest else {})}})
    return _with_map(request, "monitoring/trail.html", {
        "nominal": nominal, "day": day, "fixes": fixes, "form": form,
        "rows": fix_cells(fixes), "fittings": fittings, "latest": latest,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1) if day < today() else None},
        [Place(f["latitude"], f["longitude"]) for f in fixes])


def _day_window(day: Any) -> tuple[datetime, datetime]:
    """The local day from its first to its last microsecond."""
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return start, start + timedelta(days=1) - timedelta(microseconds=1)


# How many days of fixes the trail page looks back through for the latest day with the
# wearer's fixes (each look reads one day file, skipping other tags' row groups).
LOOK_BACK_DAYS = 31


def _latest_day_with_fixes(nominal: Nominal, shown: Any) -> Any:
    """The latest day (other than the one shown) on which the wearer's tag sent fixes
    within a fitting, among the last ``LOOK_BACK_DAYS`` days the store holds; or None."""
    fittings = list(Fitting.objects.filter(nominal=nominal, fitted_at__isnull=False,
                                           device__isnull=False).select_related("device"))
    if not fittings:
        return None
    first = min(timezone.localdate(f.fitted_at) for f in fittings)
    days = [d for d in fixstore.stored_days(nominal.partnership_id) if d >= first]
    # A UTC day's file may hold the end of the local day before or the start of the next.
    candidates = sorted({d + timedelta(days=k) for d in days for k in (-1, 0, 1)
                         if d + timedelta(days=k) != shown and d + timedelta(days=k) >= first
                         and d + timedelta(days=k) <= today()}, reverse=True)
    for day in candidates[:LOOK_BACK_DAYS]:
        if any(_trail(fitting, *_day_window(day)) for fitting in _fittings_on(nominal, day)):
            return day
    return None


def _fittings_on(nominal: Nominal, day: Any) -> list[Fitting]:
    return list(selectors.fitted_between(
        type(nominal).objects.filter(pk=nominal.pk), day, day))
