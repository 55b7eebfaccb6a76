"""API operations for feeds: upload a file, read a run, list and acknowledge alerts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from iom.api.auth import acting_user
from iom.api.errors import ERRORS
from iom.api.schemas import Input
from iom.audit.services import RecordRef
from iom.core.errors import DomainError, Forbidden
from iom.governance import policy
from iom.governance.web import log_read, through_of

from . import selectors, services, uploads
from .models import Alert, ImportRun

router = Router(tags=["feeds"])
UPLOAD_BODY = {"requestBody": {"content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary"},
        "full_snapshot": {"type": "boolean"}}}}}}}


class ProblemOut(Schema):
    row: int
    column: str
    reason: str


class RunOut(Schema):
    id: int
    file_name: str
    source: str
    feed_date: date
    full_snapshot: bool
    status: str
    finished: bool
    rows: int
    rows_done: int = Field(description="rows of the file stored so far while writing")
    percent_done: int = Field(description="how far along the run is, 0 to 100 (100 once "
                              "it has ended, whatever the outcome)")
    new: int
    changed: int
    unchanged: int
    rejected: int
    withdrawn: int
    people_created: int
    alerts_raised: int
    problem_count: int
    message: str
    file_removed_at: datetime | None = Field(
        description="when the uploaded file was deleted under IOM_FEED_KEEP_DAYS")
    problems: list[ProblemOut]


class AlertOut(Schema):
    id: int
    person_id: int
    kind: str
    summary: str
    created_at: datetime
    read_at: datetime | None
    acknowledged_at: datetime | None
    note: str


class AcknowledgeIn(Input):
    note: str


def _run(run: ImportRun) -> dict[str, Any]:
    return {"id": run.pk, "file_name": run.file_name, "source": run.source,
            "feed_date": run.feed_date, "full_snapshot": run.full_snapshot,
            "status": run.status, "finished": run.is_finished, "rows": run.rows_total,
            "rows_done": run.rows_done, "percent_done": run.percent_done,
            **run.counts, "problem_count": run.problem_count,
            "message": run.message, "file_removed_at": run.file_removed_at,
            "problems": [{"row": p.row_number, "column": p.column, "reason": p.reason}
                         for p in run.problems.all()[:100]]}


def _alert(alert: Alert) -> dict[str, Any]:
    return {"id": alert.pk, "person_id": alert.nominal_id, "kind": alert.kind,
            "summary": alert.summary, "created_at": alert.created_at, "read_at": alert.read_at,
            "acknowledged_at": alert.acknowledged_at, "note": alert.note}



@router.post("/uploads", response={201: RunOut, **ERRORS}, openapi_extra=UPLOAD_BODY,
             summary="Upload a feed file (multipart field 'file') and import it")
def upload_feed_file(request: HttpRequest) -> Any:
    user = acting_user(request)
    if not policy.can_import_feeds(user):
        raise Forbidden("Only IOM coordinators can import feed files")
    upload = request.FILES.get("file")
    if upload is None or not (upload.name or "").lower().endswith((".csv", ".parquet", ".pq")):
        raise DomainError.on_field("file", "Send a CSV or Parquet feed file in the field 'file'")
    snapshot = request.POST.get("full_snapshot", "").lower() in {"1", "true", "yes", "on"}
    run = uploads.receive_upload(upload=upload, full_snapshot=snapshot, acting_user=user,
                                  through=through_of(request))
    return Status(201, _run(run))


@router.get("/runs/{run_id}", response={200: RunOut, **ERRORS},
            summary="Read an import run: status, counts and the first problems")
def read_import_run(request: HttpRequest, run_id: int) -> Any:
    user = acting_user(request)
    services.end_stalled_runs()
    return _run(selectors.access_run(user, run_id))


@router.get("/alerts", response={200: list[AlertOut], **ERRORS},
            summary="List your alerts not yet acknowledged")
def list_my_alerts(request: HttpRequest) -> Any:
    user = acting_user(request)
    alerts = list(selectors.alerts_for(user).filter(acknowledged_at__isnull=True)[:200])
    for nominal_id in sorted({a.nominal_id for a in alerts}):
        log_read(user=user, nominal=None, through=through_of(request),
                 records=[RecordRef("nominal", nominal_id)], reason="Alerts inbox")
    return [_alert(a) for a in alerts]


@router.post("/alerts/{alert_id}/acknowledge", response={200: AlertOut, **ERRORS},
             summary="Acknowledge one of your alerts with a note")
def acknowledge_alert(request: HttpRequest, alert_id: int, payload: AcknowledgeIn) -> Any:
    user = acting_user(request)
    alert = selectors.access_alert(user, alert_id)
    done = services.acknowledge_alert(alert=alert, note=payload.note, acting_user=user,
                                      through=through_of(request))
    return _alert(done)
