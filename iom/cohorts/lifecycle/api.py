"""API operations on a person's case: their cases with history, and every step of the
lifecycle (referral, panel decision, placement, RAG, exit, the other steps, the case
team and the prison hub). Thin endpoints over the access policy, the lifecycle
services and the case selectors; mounted in the cohorts router (``iom/cohorts/api.py``).

A change carries the ``version`` of the case the client last read; if someone
else changed the case since, the answer is 409 with code ``conflict`` and
nothing is stored.

Every operation names its ``operation_id`` as it was when these operations lived in
``iom.cohorts.api`` (django-ninja would otherwise derive it from this module's path),
so that API clients keep the ids they call (ADR 0019).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from iom.accounts.models import Organisation, User
from iom.api.auth import acting_user
from iom.api.errors import ERRORS
from iom.api.schemas import Input
from iom.audit.services import RecordRef
from iom.cohorts import selectors
from iom.cohorts.lifecycle import Step, services
from iom.cohorts.models import CohortMembership
from iom.core.errors import DomainError, Forbidden
from iom.governance import policy
from iom.governance.web import log_read, reason_for, stated_reason, through_of
from iom.people.models import Nominal

# No tags of its own: it takes "cohorts" from the router it is mounted in.
router = Router()


def _person(request: HttpRequest, person_id: int, *, change: bool = True
            ) -> tuple[User, Nominal, str]:
    """The person and the viewing reason; for a change, only a cohort manager passes."""
    user = acting_user(request)
    nominal = (selectors.access_nominal_for_cohort_change(user, person_id) if change
               else policy.access_nominal(user, person_id))
    return user, nominal, reason_for(user, nominal, stated_reason(request))


def _latest(nominal: Nominal) -> CohortMembership:
    case = selectors.latest_case(nominal)
    if case is None:
        raise DomainError.on_field("person_id", "This person has no case: refer them first.",
                                   code="no_case")
    return case


def _organisation(user: User, pk: int, field: str) -> Organisation:
    found = policy.partner_organisations(user).filter(pk=pk).first()
    if found is None:
        raise DomainError.on_field(field, "No such agency in your partnership.")
    return found


def _organisations(user: User, ids: list[int], field: str) -> list[Organisation]:
    return [_organisation(user, pk, field) for pk in ids]


def _worker(user: User, pk: int, field: str) -> User:
    found = User.objects.filter(pk=pk, is_active=True,
                                organisation__in=policy.partner_organisations(user)).first()
    if found is None:
        raise DomainError.on_field(field, "No such person in your partnership.")
    return found


# Reading ---------------------------------------------------------------------


class CaseOut(Schema):
    id: int
    person_id: int
    state: str
    state_label: str
    policy: str
    policy_version: int
    strand: str
    cohort_type: str
    rag: str | None
    lead_agency: str | None
    lead_professional: str | None
    police_officer: str | None
    opened_on: date
    placed_on: date | None
    next_review_due: date | None
    ended_on: date | None
    version: int


class HistoryOut(Schema):
    date: date
    kind: str
    title: str
    lines: list[str]
    by: str


class CaseWithHistoryOut(CaseOut):
    history: list[HistoryOut]


class PersonCasesOut(Schema):
    person_id: int
    cases: list[CaseWithHistoryOut]


def case_out(case: CohortMembership) -> dict[str, Any]:
    return {**selectors.summary(case), "id": case.pk, "person_id": case.nominal_id,
            "opened_on": case.opened_on, "ended_on": case.ended_on,
            "cohort_type": case.cohort_type, "state_label": case.get_state_display()}


@router.get("/people/{person_id}", response={200: PersonCasesOut, **ERRORS},
            summary="A person's cases with their full history",
            operation_id="iom_cohorts_api_person_cases")
def person_cases(request: HttpRequest, person_id: int) -> Any:
    user, nominal, why = _person(request, person_id, change=False)
    cases = selectors.cases_of(nominal)
    out, shown = [], []
    for case in cases:
        history = selectors.history_of(case)
        shown += [RecordRef("cohort_case", case.pk), *(RecordRef(*i.ref) for i in history)]
        out.append({**case_out(case), "history": [
            {"date": i.when, "kind": i.kind, "title": i.title, "lines": i.lines, "by": i.by}
            for i in history]})
    log_read(user=user, nominal=nominal, through=through_of(request),
             records=[RecordRef("nominal", nominal.pk), *shown], reason=why)
    return {"person_id": nominal.pk, "cases": out}


# Changing --------------------------------------------------------------------


class ReferralIn(Input):
    policy: str = Field(description="Scheme policy name, e.g. derbyshire-2021")
    referring_organisation_id: int | None = Field(
        None, description="Default: the caller's own organisation")
    referred_on: date
    referrer_name: str = Field(max_length=120)
    referrer_contact: str = ""
    offender_manager: str = ""
    current_offences: str
    index_offences: str = ""
    relevant_factors: str = ""
    needs: list[str] = []
    primary_substance: str = ""
    ogrs_1y: float | None = None
    ogrs_2y: float | None = None
    crime_severity: int | None = None
    current_orders: str = ""
    previously_iom: Literal["yes", "no", "unknown"] = "unknown"
    risk_to_community: bool = False
    exceptional_circumstances: str = ""


class VersionIn(Input):
    version: int = Field(description="The case version last read; 409 if it has changed")


class DecisionIn(VersionIn):
    outcome: Literal["accept", "decline", "defer"]
    meeting: Literal["panel", "tasking"] = "panel"
    decided_on: date
    rationale: str
    present_ids: list[int] = Field(description="Agencies present")
    agreeing_ids: list[int] = Field(description="Agencies agreeing")
    proposed_cohort_type: str = ""
    exclusion_agreement: str = Field(
        "", description="The partnership agreement to accept despite an exclusion of the "
                        "policy (MAPPA level 2 or 3, a current sex offender, no conviction in "
                        "the last 6 months at liberty); required to accept such a person")


class PlacementIn(VersionIn):
    cohort_type: str
    rag: Literal["red", "amber_alert", "amber", "green"]
    lead_agency_id: int
    lead_professional_id: int
    police_officer_id: int
    placed_on: date
    reason: str


class RagIn(VersionIn):
    to: Literal["red", "amber_alert", "amber", "green", "blue"]
    on: date
    reason: str


class ExitIn(VersionIn):
    on: date
    reason: str
    supporting_intelligence: str
    monitored: bool = False


STEP_SERVICES: dict[str, Callable[..., Any]] = {
    Step.START_RESEARCH: services.start_research, Step.SEND_TO_PANEL: services.send_to_panel,
    Step.REVIEW: services.review, Step.CONSIDER_DESELECTION: services.consider_deselection,
    Step.NOTIFY_DESELECTION: services.notify_deselection,
    Step.KEEP_ON_COHORT: services.keep_on_cohort, Step.MONITOR: services.monitor,
    Step.REMOVE_FOR_CUSTODY: services.remove_for_custody,
    Step.TRANSFER_OUT: services.transfer_out, Step.CHANGE_STRAND: services.change_strand,
}


class StepIn(VersionIn):
    step: Literal["start_research", "send_to_panel", "review", "consider_deselection",
                  "notify_deselection", "keep_on_cohort", "monitor", "remove_for_custody",
                  "transfer_out", "change_strand"]
    on: date
    reason: str
    to_area: str = Field("", description="For transfer_out: the area moving to")
    strand: Literal["", "standard", "deter_young_offender", "catch_and_control"] = Field(
        "", description="For change_strand: the new strand")


class DoneOut(Schema):
    case: CaseOut
    record_id: int


def _done(case: CohortMembership, record_id: int) -> Any:
    fresh = CohortMembership.objects.select_related(
        "lead_agency", "lead_professional", "police_officer").get(pk=case.pk)
    return {"case": case_out(fresh), "record_id": record_id}


@router.post("/people/{person_id}/referral", response={201: DoneOut, **ERRORS},
             summary="Refer a person (the referral form)",
             operation_id="iom_cohorts_api_refer_person")
def refer_person(request: HttpRequest, person_id: int, payload: ReferralIn) -> Any:
    user, nominal, why = _person(request, person_id, change=False)
    assert user.organisation is not None
    fields = payload.dict()
    org_id = fields.pop("referring_organisation_id") or user.organisation.pk
    if not policy.may_refer_as(user, org_id):
        raise Forbidden("A partner refers only as its own organisation.")
    organisation = _organisation(user, org_id, "referring_organisation_id")
    case = services.refer(nominal=nominal, policy_name=fields.pop("policy"),
                          referring_organisation=organisation,
                          referred_on=fields.pop("referred_on"), fields=fields,
                          acting_user=user, through=through_of(request),
                          access_reason=why)
    return Status(201, _done(case, case.referral.pk))


@router.post("/people/{person_id}/decision", response={201: DoneOut, **ERRORS},
             summary="Record a panel decision: accept, decline or defer",
             operation_id="iom_cohorts_api_record_decision")
def record_decision(request: HttpRequest, person_id: int, payload: DecisionIn) -> Any:
    user, nominal, why = _person(request, person_id)
    case = _latest(nominal)
    decision = services.record_panel_decision(
        membership=case, version=payload.version, outcome=payload.outcome,
        meeting=payload.meeting, decided_on=payload.decided_on, rationale=payload.rationale,
        present=_organisations(user, payload.present_ids, "present_ids"),
        agreeing=_organisations(user, payload.agreeing_ids, "agreeing_ids"),
        proposed_cohort_type=payload.proposed_cohort_type,
        exclusion_agreement=payload.exclusion_agreement, acting_user=user,
        through=through_of(request), access_reason=why)
    return Status(201, _done(case, decision.pk))


@router.post("/people/{person_id}/placement", response={201: DoneOut, **ERRORS},
             summary="Place an accepted person on the cohort",
             operation_id="iom_cohorts_api_place_person")
def place_person(request: HttpRequest, person_id: int, payload: PlacementIn) -> Any:
    user, nominal, why = _person(request, person_id)
    case = _latest(nominal)
    placed = services.place_on_cohort(
        membership=case, version=payload.version, cohort_type=payload.cohort_type,
        lead_agency=_organisation(user, payload.lead_agency_id, "lead_agency_id"),
        lead_professional=_worker(user, payload.lead_professional_id, "lead_professional_id"),
        police_officer=_worker(user, payload.police_officer_id, "police_officer_id"),
        rag=payload.rag, placed_on=payload.placed_on, reason=payload.reason,
        acting_user=user, through=through_of(request), access_reason=why)
    return Status(201, _done(placed, placed.pk))


@router.post("/people/{person_id}/rag", response={201: DoneOut, **ERRORS},
             summary="Change the RAG status with a reason",
             operation_id="iom_cohorts_api_change_rag_status")
def change_rag_status(request: HttpRequest, person_id: int, payload: RagIn) -> Any:
    user, nominal, why = _person(request, person_id)
    case = _latest(nominal)
    change = services.change_rag(membership=case, version=payload.version, to=payload.to,
                                 on=payload.on, reason=payload.reason, acting_user=user,
                                 through=through_of(request),
                                 access_reason=why)
    return Status(201, _done(case, change.pk))


@router.post("/people/{person_id}/exit", response={201: DoneOut, **ERRORS},
             summary="Exit the cohort, optionally into the monitored category",
             operation_id="iom_cohorts_api_exit_person")
def exit_person(request: HttpRequest, person_id: int, payload: ExitIn) -> Any:
    user, nominal, why = _person(request, person_id)
    case = _latest(nominal)
    step = services.exit_cohort(
        membership=case, version=payload.version, on=payload.on, reason=payload.reason,
        supporting_intelligence=payload.supporting_intelligence, monitored=payload.monitored,
        acting_user=user, through=through_of(request), access_reason=why)
    return Status(201, _done(case, step.pk))


@router.post("/people/{person_id}/steps", response={201: DoneOut, **ERRORS},
             summary="Record another lifecycle step (research, review, deselection, custody, "
                     "transfer out, change of strand)",
                     operation_id="iom_cohorts_api_record_step")
def record_step(request: HttpRequest, person_id: int, payload: StepIn) -> Any:
    user, nominal, why = _person(request, person_id)
    case = _latest(nominal)
    arguments: dict[str, Any] = {"version": payload.version, "on": payload.on}
    name = str(payload.step)
    arguments["notes" if name == Step.REVIEW else "reason"] = payload.reason
    if name == Step.TRANSFER_OUT:
        arguments["to_area"] = payload.to_area
    if name == Step.CHANGE_STRAND:
        arguments["to"] = payload.strand
    step = STEP_SERVICES[name](
        membership=case, acting_user=user, through=through_of(request),
        access_reason=why, **arguments)
    return Status(201, _done(case, step.pk))


# The steps after placement (the case team, the prison hub). Only the scheme's deciding
# agencies may take them (services/team.py, services/handover.py).


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
                     "type after placement, with a reason",
                     operation_id="iom_cohorts_api_change_case_team")
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
                     "offender manager; the release-planning contact becomes their action",
                     operation_id="iom_cohorts_api_hand_to_prison_hub")
def hand_to_prison_hub(request: HttpRequest, person_id: int, payload: PrisonHandoverIn) -> Any:
    user, nominal, why = _person(request, person_id)
    case = _latest(nominal)
    step = services.hand_to_prison_hub(
        membership=case, version=payload.version, on=payload.on, reason=payload.reason,
        prison_offender_manager=_worker(user, payload.prison_offender_manager_id,
                                        "prison_offender_manager_id"),
        acting_user=user, through=through_of(request), access_reason=why)
    return Status(201, _done(case, step.pk))
