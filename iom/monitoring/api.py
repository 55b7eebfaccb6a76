"""API operations for voluntary tags: the inventory, fittings, trails and matching.

Thin (STYLE.md rule 7): the one access policy first, a declared schema, a service or
selector, an explicit output. Who may call each is in tests/test_every_route_denies.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status

from iom.accounts.models import District
from iom.api.auth import acting_user
from iom.api.errors import ERRORS
from iom.audit.services import RecordRef
from iom.core.errors import DomainError, NotFound
from iom.governance import policy
from iom.governance.web import log_read, reason_for, stated_reason, through_of

from . import fixstore, selectors, services
from .match_views import result_pdf_response
from .models import Device, Fitting, MatchResult, MatchRun
from .rules import monitoring_rules
from .services.base import today
from .services.crimes import trail_of

router = Router(tags=["monitoring"])
UPLOAD_BODY = {"requestBody": {"content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary"}}}}}}}


class UnitOut(Schema):
    id: int
    serial: str
    supplier: str
    district: str
    state: str


class UnitIn(Schema):
    district_id: int
    serial: str
    supplier: str
    added_on: date


class StateIn(Schema):
    to: str
    on: date
    note: str = ""


class UnitMoveIn(Schema):
    to_district_id: int
    reason: str


class MoveDecisionIn(Schema):
    approve: bool
    note: str = ""


class TagRecordOut(Schema):
    id: int


class AuditIn(Schema):
    district_id: int
    month: date
    note: str = ""


class AuditOut(Schema):
    id: int
    district: str
    month: date
    counts: dict[str, int]
    completed_on: date


class TagConsentIn(Schema):
    purpose: str
    consented_on: date
    planned_start: date
    planned_end: date
    guardian_name: str = ""
    guardian_relationship: str = ""


class FitIn(Schema):
    device_id: int
    fitted_at: datetime
    guardian_present: bool = False


class RemoveIn(Schema):
    removed_at: datetime
    reason: str
    device_state: str = "in_stock"


class FixOut(Schema):
    time: datetime
    latitude: float
    longitude: float
    accuracy_m: float | None


class ImportOut(Schema):
    id: int
    accepted: bool
    rows: int
    stored: int
    duplicates: int
    unattributed: int
    problem_count: int
    problems: list[dict[str, Any]]


class RunIn(Schema):
    radius_m: float | None = None
    pad_minutes: int | None = None
    max_gap_minutes: int | None = None


class ResultOut(Schema):
    id: int
    crime_ref: str
    crime_version: int
    person_id: int
    outcome: str
    nearest_m: float | None
    first_time: datetime | None
    last_time: datetime | None
    fixes: int
    accuracies: list[float | None]
    action: str


class MatchRunOut(Schema):
    id: int
    batch_id: int
    algorithm_version: str
    radius_m: float
    pad_minutes: int
    max_gap_minutes: int
    results: list[ResultOut]


class ResultActionIn(Schema):
    action: str
    reason: str = ""


def _keeper(request: HttpRequest) -> Any:
    user = acting_user(request)
    if not policy.can_manage_tags(user):
        raise NotFound
    return user


def _police(request: HttpRequest) -> Any:
    user = acting_user(request)
    if not policy.can_match_crimes(user):
        raise NotFound
    return user


def _district(user: Any, district_id: int) -> District:
    found = selectors.districts_of(user).filter(pk=district_id).first()
    if found is None:
        raise DomainError.on_field("district_id", "Choose a district of your partnership.")
    return found


def _unit(d: Device) -> dict[str, Any]:
    return {"id": d.pk, "serial": d.serial, "supplier": d.supplier, "district": d.district.name,
            "state": d.state}


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="List the tag units")
def list_tag_units(request: HttpRequest) -> Any:
    return [_unit(d) for d in selectors.devices_visible_to(acting_user(request))]


@router.post("/units", response={201: UnitOut, **ERRORS}, summary="Add a tag unit")
def add_tag_unit(request: HttpRequest, payload: UnitIn) -> Any:
    user = _keeper(request)
    unit = services.add_device(district=_district(user, payload.district_id),
                               serial=payload.serial, supplier=payload.supplier,
                               added_on=payload.added_on, acting_user=user,
                               through=through_of(request))
    return Status(201, _unit(unit))


@router.post("/units/{device_id}/state", response={200: UnitOut, **ERRORS},
             summary="Change a unit's state")
def change_tag_unit_state(request: HttpRequest, device_id: int, payload: StateIn) -> Any:
    user = _keeper(request)
    unit = services.change_device_state(device=selectors.access_device(user, device_id),
                                        acting_user=user, through=through_of(request),
                                        **payload.dict())
    return _unit(unit)


@router.post("/units/{device_id}/moves", response={201: TagRecordOut, **ERRORS},
             summary="Ask to move a unit to another district")
def request_tag_unit_move(request: HttpRequest, device_id: int, payload: UnitMoveIn) -> Any:
    user = _keeper(request)
    move = services.request_flex(device=selectors.access_device(user, device_id),
                                 to_district=_district(user, payload.to_district_id),
                                 reason=payload.reason, acting_user=user,
                                 through=through_of(request))
    return Status(201, {"id": move.pk})


@router.post("/moves/{flex_id}/decision", response={200: TagRecordOut, **ERRORS},
             summary="Approve or refuse a unit's move (not by the one who asked)")
def decide_tag_unit_move(request: HttpRequest, flex_id: int, payload: MoveDecisionIn) -> Any:
    user = _keeper(request)
    move = services.decide_flex(flex=selectors.access_flex(user, flex_id),
                                approve=payload.approve, note=payload.note, acting_user=user,
                                through=through_of(request))
    return {"id": move.pk}


@router.post("/audits", response={201: AuditOut, **ERRORS},
             summary="Record a district's monthly audit, its counts from the inventory")
def record_tag_inventory_audit(request: HttpRequest, payload: AuditIn) -> Any:
    user = _keeper(request)
    audit = services.record_inventory_audit(district=_district(user, payload.district_id),
                                            month=payload.month, note=payload.note,
                                            acting_user=user, through=through_of(request))
    return Status(201, {"id": audit.pk, "district": audit.district.name, "month": audit.month,
                        "counts": audit.counts, "completed_on": audit.completed_on})


@router.post("/people/{person_id}/consent", response={201: TagRecordOut, **ERRORS},
             summary="Record a person's voluntary consent to wear a tag")
def record_tag_consent(request: HttpRequest, person_id: int, payload: TagConsentIn) -> Any:
    user = _keeper(request)
    nominal = policy.access_nominal(user, person_id)
    reason_for(user, nominal, stated_reason(request))
    fitting = services.record_consent(nominal=nominal, acting_user=user,
                                      through=through_of(request), **payload.dict())
    return Status(201, {"id": fitting.pk})


def _fitting(request: HttpRequest, fitting_id: int) -> tuple[Any, Fitting]:
    user = _keeper(request)
    fitting = selectors.access_fitting(user, fitting_id)
    reason_for(user, fitting.nominal, stated_reason(request))
    return user, fitting


@router.post("/fittings/{fitting_id}/fit", response={200: TagRecordOut, **ERRORS},
             summary="Record the fitting of a unit after consent")
def fit_tag_unit(request: HttpRequest, fitting_id: int, payload: FitIn) -> Any:
    user, fitting = _fitting(request, fitting_id)
    device = selectors.access_device(user, payload.device_id)
    services.fit_tag(fitting=fitting, device=device, fitted_at=payload.fitted_at,
                     guardian_present=payload.guardian_present, acting_user=user,
                     through=through_of(request))
    return {"id": fitting.pk}


@router.post("/fittings/{fitting_id}/removal", response={200: TagRecordOut, **ERRORS},
             summary="Record a tag's removal (or consent withdrawn before fitting)")
def remove_tag_unit(request: HttpRequest, fitting_id: int, payload: RemoveIn) -> Any:
    user, fitting = _fitting(request, fitting_id)
    services.remove_tag(fitting=fitting, acting_user=user, through=through_of(request),
                        **payload.dict())
    return {"id": fitting.pk}


@router.get("/people/{person_id}/trail", response={200: list[FixOut], **ERRORS},
            summary="A wearer's fixes for one day (police and the lead professional)")
def read_wearer_trail(request: HttpRequest, person_id: int, day: date | None = None) -> Any:
    user = acting_user(request)
    nominal = policy.access_wearer_locations(user, person_id)
    day = day or today()
    why = reason_for(user, nominal, stated_reason(request))
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    end = start + timedelta(days=1) - timedelta(microseconds=1)
    fixes = []
    for fitting in selectors.fitted_between(type(nominal).objects.filter(pk=nominal.pk),
                                            day, day):
        window = fixstore.read_window(nominal.partnership_id, start, end,
                                      [fitting.device.serial] if fitting.device else [])
        fixes += [{"time": datetime.fromtimestamp(f.time, UTC), "latitude": f.latitude,
                   "longitude": f.longitude, "accuracy_m": f.accuracy_m}
                  for f in trail_of(fitting, window)]
    log_read(user=user, nominal=nominal, through=through_of(request), reason=why,
             records=[RecordRef("nominal", nominal.pk), RecordRef("trail", f"{nominal.pk}:{day}")],
             detail={"trail": {"day": str(day), "fixes": len(fixes)}})
    return fixes


def _upload(request: HttpRequest, endings: tuple[str, ...]) -> Any:
    upload = request.FILES.get("file")
    if upload is None or not (upload.name or "").lower().endswith(endings):
        raise DomainError.on_field("file", "Send a " + " or ".join(endings) +
                                   " file in the field 'file'")
    return upload


def _import(record: Any) -> dict[str, Any]:
    return {"id": record.pk, "accepted": record.accepted, "rows": record.rows,
            "stored": getattr(record, "stored", record.rows if record.accepted else 0),
            "duplicates": getattr(record, "duplicates", 0),
            "unattributed": getattr(record, "unattributed", 0),
            "problem_count": record.problem_count, "problems": record.problems}


@router.post("/fixes", response={201: ImportOut, **ERRORS}, openapi_extra=UPLOAD_BODY,
             summary="Import a file of location fixes (CSV or Parquet), all or nothing")
def import_location_fixes(request: HttpRequest) -> Any:
    user = _police(request)
    upload = _upload(request, (".csv", ".parquet", ".pq"))
    record = services.import_fixes(data=upload.read(), file_name=upload.name or "",
                                   acting_user=user, through=through_of(request))
    return Status(201, _import(record))


@router.post("/crime-batches", response={201: ImportOut, **ERRORS}, openapi_extra=UPLOAD_BODY,
             summary="Upload a crime batch (CSV), all or nothing")
def upload_crime_batch(request: HttpRequest) -> Any:
    user = _police(request)
    upload = _upload(request, (".csv",))
    batch = services.import_crimes(data=upload.read(), file_name=upload.name or "",
                                   acting_user=user, through=through_of(request))
    return Status(201, _import(batch))


def _run(run: MatchRun) -> dict[str, Any]:
    return {"id": run.pk, "batch_id": run.batch_id, "algorithm_version": run.algorithm_version,
            "radius_m": run.radius_m, "pad_minutes": run.pad_minutes,
            "max_gap_minutes": run.max_gap_minutes,
            "results": [{"id": r.pk, "crime_ref": r.crime.crime_ref,
                         "crime_version": r.crime.version, "person_id": r.fitting.nominal_id,
                         "outcome": r.outcome, "nearest_m": r.nearest_m,
                         "first_time": r.first_time, "last_time": r.last_time,
                         "fixes": r.fixes, "accuracies": r.accuracies, "action": r.action}
                        for r in run.results.select_related("crime", "fitting")]}


@router.post("/crime-batches/{batch_id}/runs", response={201: MatchRunOut, **ERRORS},
             summary="Match a batch's crimes against every wearer's trail")
def run_crime_matching(request: HttpRequest, batch_id: int, payload: RunIn) -> Any:
    user = _police(request)
    rules = monitoring_rules()
    run = services.run_matching(
        batch=selectors.access_batch(user, batch_id),
        radius_m=rules.radius_m if payload.radius_m is None else payload.radius_m,
        pad_minutes=rules.pad_minutes if payload.pad_minutes is None else payload.pad_minutes,
        max_gap_minutes=(rules.max_gap_minutes if payload.max_gap_minutes is None
                         else payload.max_gap_minutes),
        acting_user=user, through=through_of(request))
    return Status(201, _run(run))


@router.get("/runs/{run_id}", response={200: MatchRunOut, **ERRORS},
            summary="Read a matching run and its results")
def read_matching_run(request: HttpRequest, run_id: int) -> Any:
    user = _police(request)
    run = selectors.access_run(user, run_id)
    shown = _run(run)
    for person_id in sorted({r["person_id"] for r in shown["results"]}):
        log_read(user=user, nominal=None, through=through_of(request),
                 records=[RecordRef("nominal", person_id), RecordRef("match_run", run.pk)],
                 reason=f"Crime matching run {run.pk}")
    return shown


PDF = {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
       "description": "The result as a PDF file."}


@router.get("/results/{result_id}/pdf", response={**ERRORS},
            openapi_extra={"responses": {200: PDF}},
            summary="Download a matching result for the investigation as a PDF (police)")
def download_match_result_pdf(request: HttpRequest, result_id: int) -> HttpResponse:
    user = _police(request)
    result = MatchResult.objects.filter(
        run__batch__in=selectors.batches_visible_to(user), pk=result_id).select_related(
        "crime", "run", "fitting__device", "action_by").first()
    if result is None:
        raise NotFound
    nominal = policy.access_wearer_locations(user, result.fitting.nominal_id)
    why = reason_for(user, nominal, stated_reason(request))
    return result_pdf_response(user=user, result=result, nominal=nominal, reason=why,
                               through=through_of(request))


@router.post("/results/{result_id}/action", response={200: TagRecordOut, **ERRORS},
             summary="Record what was done with a placed result")
def record_match_result_action(request: HttpRequest, result_id: int,
                               payload: ResultActionIn) -> Any:
    user = _police(request)
    result = MatchResult.objects.filter(run__batch__in=selectors.batches_visible_to(user),
                                        pk=result_id).select_related("fitting").first()
    if result is None:
        raise NotFound
    services.record_result_action(result=result, action=payload.action, reason=payload.reason,
                                  acting_user=user, through=through_of(request))
    return {"id": result.pk}
