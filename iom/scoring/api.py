"""API operations for scores: the OGRS 3 calculator, a person's scores and their download."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from iom.api.auth import acting_user
from iom.api.errors import ERRORS
from iom.api.schemas import Input
from iom.audit.services import RecordRef
from iom.core import spreadsheets
from iom.core.errors import DomainError, FieldProblem, NotFound
from iom.governance import policy
from iom.governance.web import log_read, reason_for, stated_reason, through_of
from iom.scoring.engine import Ogrs3Inputs, ogrs3

from . import services
from .downloads import as_at_problem, scores_download

router = Router(tags=["scores"])


class Ogrs3In(Input):
    gender: Literal["M", "F"]
    date_of_birth: date
    date_of_current_conviction: date
    date_at_start_of_followup: date
    total_number_of_sanctions: int = Field(description="including the current sanction")
    age_at_first_sanction: int
    offence_category: str | None = Field(None, description="OGRS 3 category key")
    offence_code: str | None = Field(None, description="Home Office offence code")


class LineOut(Schema):
    rule: str
    amount: float
    event_id: int | None
    detail: str


class Ogrs3Out(Schema):
    ogrs3_1y: float
    ogrs3_2y: float
    ogrs3_1y_percent: int
    ogrs3_2y_percent: int
    band: str
    reference_version: str
    working: list[LineOut]


class ScoreOut(Schema):
    name: str
    value: float | None
    band: str | None
    detail: dict[str, Any]
    working: list[LineOut]
    error: str | None
    reference_version: str


class Ogrs3InUseOut(Schema):
    source: str = Field(description="computed, supplied, or empty when there is none")
    percent_2y: int | None
    band: str | None
    why: str


class ScoresOut(Schema):
    person_id: int
    as_at: date
    scores: list[ScoreOut]
    ogrs3_in_use: Ogrs3InUseOut


class SuppliedOgrs3In(Input):
    percent_2y: int = Field(description="the 2-year score as a whole percent, 1 to 99")
    percent_1y: int | None = Field(None, description="the 1-year score, if given")
    assessed_on: date = Field(description="the day of probation's assessment")
    source: str = Field(max_length=120, description="where the score came from, e.g. OASys")


class SuppliedOgrs3Out(Schema):
    id: int
    person_id: int
    percent_2y: int
    percent_1y: int | None
    assessed_on: date
    source: str


class AsAtIn(Input):
    as_at: date | None = Field(None, description="YYYY-MM-DD; default today")


@router.post("/ogrs3", response={200: Ogrs3Out, **ERRORS}, summary="OGRS 3 calculator")
def ogrs3_calculator(request: HttpRequest, payload: Ogrs3In) -> Any:
    acting_user(request)
    result = ogrs3(Ogrs3Inputs(**payload.dict()))
    if result.errors:
        raise DomainError("OGRS 3 cannot be calculated from these inputs.",
                          [FieldProblem(field, e.message) for e in result.errors
                           for field in (e.fields or ("body",))])
    return {"ogrs3_1y": result.probability_1y, "ogrs3_2y": result.probability_2y,
            "ogrs3_1y_percent": result.percent_1y, "ogrs3_2y_percent": result.percent_2y,
            "band": result.band, "reference_version": result.reference_version,
            "working": services.working_json(result)}


@router.get("/people/{person_id}", response={200: ScoresOut, **ERRORS},
            summary="A person's five scores as at a date, with their working")
def person_scores(request: HttpRequest, person_id: int, params: Query[AsAtIn]) -> Any:
    user = acting_user(request)
    nominal = policy.access_nominal(user, person_id)
    why = reason_for(user, nominal, stated_reason(request))
    as_at = params.as_at or timezone.localdate()
    if as_at > timezone.localdate():
        raise DomainError.on_field("as_at", "Scores cannot be worked out for a future date.")
    results = services.scores_for(nominal, as_at, sight=policy.sight_of(user))
    chosen, supplied = services.ogrs3_in_use(nominal, as_at, results)
    log_read(user=user, nominal=nominal, through=through_of(request), reason=why,
             records=[*services.records_read(results),
                      *(RecordRef("supplied_ogrs3", s.pk) for s in supplied)],
             detail={"scores_as_at": as_at})
    return {"person_id": nominal.pk, "as_at": as_at, "ogrs3_in_use": chosen.__dict__,
            "scores": [
        {"name": name, "value": r.value, "band": r.band, "detail": services.result_detail(r),
         "working": services.working_json(r), "error": r.error.message if r.error else None,
         "reference_version": r.reference_version} for name, r in results.items()]}


@router.post("/people/{person_id}/supplied-ogrs3", response={201: SuppliedOgrs3Out, **ERRORS},
             summary="Record an OGRS 3 score supplied by probation, with its date and source")
def record_supplied_ogrs3(request: HttpRequest, person_id: int, payload: SuppliedOgrs3In
                          ) -> Any:
    user = acting_user(request)
    nominal = policy.access_nominal_for_change(user, person_id, "supplied_ogrs3")
    why = reason_for(user, nominal, stated_reason(request))
    supplied = services.record_supplied_ogrs3(nominal=nominal, acting_user=user,
                                              through=through_of(request), reason=why,
                                              **payload.dict())
    return Status(201, {"id": supplied.pk, "person_id": nominal.pk,
                        "percent_2y": supplied.percent_2y, "percent_1y": supplied.percent_1y,
                        "assessed_on": supplied.assessed_on, "source": supplied.source})


SPREADSHEET = {"content": {kind: {"schema": {"type": "string", "format": "binary"}}
                           for kind in spreadsheets.CONTENT_TYPES.values()},
               "description": "The file the scores page downloads: sheets Scores, Working "
                              "and History (CSV: the three tables one after another)."}


@router.get("/people/{person_id}/download/{fmt}", response={**ERRORS},
            openapi_extra={"responses": {200: SPREADSHEET}},
            summary="A person's scores, working and history as CSV or XLSX; logged as an "
                    "export")
def person_scores_spreadsheet(request: HttpRequest, person_id: int,
                              fmt: Literal["csv", "xlsx"], params: Query[AsAtIn]
                              ) -> HttpResponse:
    """The same file as the scores page's download, for the same readers: the scores
    worked out from the records the caller may see."""
    user = acting_user(request)
    if not policy.is_casework_user(user):
        raise NotFound
    nominal = policy.access_nominal(user, person_id)
    why = reason_for(user, nominal, stated_reason(request))
    as_at = params.as_at or timezone.localdate()
    problem = as_at_problem(as_at)
    if problem:
        raise DomainError.on_field("as_at", f"{problem}.", code="invalid_date")
    return scores_download(user=user, nominal=nominal, reason=why, as_at=as_at, fmt=fmt,
                           through=through_of(request))
