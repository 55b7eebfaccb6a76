"""API operations for scores: the OGRS 3 calculator and a person's scores."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from iom.api.auth import acting_user
from iom.api.errors import ERRORS
from iom.api.schemas import Input
from iom.core.errors import DomainError, FieldProblem
from iom.governance import policy
from iom.governance.web import log_read, reason_for, stated_reason, through_of
from iom.scoring.engine import Ogrs3Inputs, ogrs3

from . import services

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


class ScoresOut(Schema):
    person_id: int
    as_at: date
    scores: list[ScoreOut]


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
    log_read(user=user, nominal=nominal, through=through_of(request),
             reason=why, records=services.records_read(results), detail={"scores_as_at": as_at})
    return {"person_id": nominal.pk, "as_at": as_at, "scores": [
        {"name": name, "value": r.value, "band": r.band, "detail": services.result_detail(r),
         "working": services.working_json(r), "error": r.error.message if r.error else None,
         "reference_version": r.reference_version} for name, r in results.items()]}
