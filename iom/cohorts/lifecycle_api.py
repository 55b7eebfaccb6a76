"""API operations for the lifecycle steps after placement: the case team, the prison hub.

Thin, like api.py: the access policy, the viewing reason, one service. Only the
scheme's deciding agencies may take these steps (services/team.py); a change
carries the case ``version`` last read (409 ``conflict`` if it moved on).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Status

from iom.api.errors import ERRORS
from iom.governance.web import through_of

from . import services
from .api import DoneOut, VersionIn, _done, _latest, _organisation, _person, _worker

router = Router(tags=["cohorts"])


class CaseTeamChangeIn(VersionIn):
    on: date
    reason: str
    cohort_type: str = Field("", description="The new cohort type; empty keeps it")
    lead_agency_id: int | None = Field(None, description="The new lead agency; null keeps it")
    lead_professional_id: int | None = Field(None, description="Null keeps the current one")
    police_officer_id: int | None = Field(None, description="Null keeps the current one")


class PrisonHandoverIn(VersionIn):
    on: date
    reason: str
    prison_offender_manager_id: int = Field(
        description="The prison hub's case worker; they get the release-planning action")


@router.post("/people/{person_id}/team", response={201: DoneOut, **ERRORS},
             summary="Change the lead agency, lead professional, police officer or cohort "
                     "type after placement, with a reason")
def change_case_team(request: HttpRequest, person_id: int, payload: CaseTeamChangeIn) -> Any:
    user, nominal, why = _person(request, person_id)
    case = _latest(nominal)
    step = services.change_team(
        membership=case, version=payload.version, on=payload.on, reason=payload.reason,
        cohort_type=payload.cohort_type or None,
        lead_agency=(_organisation(user, payload.lead_agency_id, "lead_agency_id")
                     if payload.lead_agency_id is not None else None),
        lead_professional=(_worker(user, payload.lead_professional_id, "lead_professional_id")
                           if payload.lead_professional_id is not None else None),
        police_officer=(_worker(user, payload.police_officer_id, "police_officer_id")
                        if payload.police_officer_id is not None else None),
        acting_user=user, through=through_of(request), access_reason=why)
    return Status(201, _done(case, step.pk))


@router.post("/people/{person_id}/prison-hub", response={201: DoneOut, **ERRORS},
             summary="Hand a person sentenced to custody to the prison hub, naming the prison "
                     "offender manager; the release-planning contact becomes their action")
def hand_to_prison_hub(request: HttpRequest, person_id: int, payload: PrisonHandoverIn) -> Any:
    user, nominal, why = _person(request, person_id)
    case = _latest(nominal)
    step = services.hand_to_prison_hub(
        membership=case, version=payload.version, on=payload.on, reason=payload.reason,
        prison_offender_manager=_worker(user, payload.prison_offender_manager_id,
                                        "prison_offender_manager_id"),
        acting_user=user, through=through_of(request), access_reason=why)
    return Status(201, _done(case, step.pk))
