"""The intervention plan: start it, assess needs by pathway, refer to services,
record progress and intermediate outcomes, and endorse it (003: within 7
working days of selection)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from iom.accounts.models import Organisation, User
from iom.audit.models import Action as LogAction
from iom.cohorts.lifecycle import MANAGED_STATES
from iom.cohorts.models import CohortMembership
from iom.core.errors import DomainError
from iom.people.models import Nominal

from ..models import (
    IntermediateOutcome,
    InterventionPlan,
    NeedLevel,
    NeedStatus,
    PlanClosure,
    PlanNeed,
    PlanProgress,
    ReferralStatus,
    ServiceReferral,
)
from ..pathways import OUTCOME_STATES, current_pathway_set, pathways_of
from .base import logged, not_in_future, required_text


def current_membership(nominal: Nominal) -> CohortMembership | None:
    return CohortMembership.objects.filter(nominal=nominal, state__in=MANAGED_STATES).first()


@transaction.atomic
def start_plan(*, nominal: Nominal, started_on: date, summary: str, acting_user: User,
               through: str) -> InterventionPlan:
    membership = current_membership(nominal)
    if membership is None:
        raise DomainError(message="A plan is for a person on the cohort; this person is not.",
                          code="not_on_cohort")
    not_in_future("started_on", started_on, "The start date")
    try:
        with transaction.atomic():
            plan = InterventionPlan.objects.create(
                nominal=nominal, membership=membership, pathway_set=current_pathway_set(),
                started_on=started_on, summary=summary.strip(), created_by=acting_user)
    except IntegrityError as exc:
        raise DomainError(message="This person already has an open intervention plan.",
                          code="plan_exists") from exc
    logged(user=acting_user, through=through, nominal_id=nominal.pk, kind="plan",
           record_id=plan.pk, event="plan started", detail={"new": {"started_on": str(started_on)}})
    return plan


@transaction.atomic
def add_need(*, plan: InterventionPlan, pathway: str, level: str, description: str,
             assessed_on: date, acting_user: User, through: str) -> PlanNeed:
    if pathway not in dict(pathways_of(plan.pathway_set)):
        raise DomainError.on_field("pathway", "Choose a pathway from the plan's list.")
    if level not in NeedLevel.values:
        raise DomainError.on_field("level", "Choose the assessed level.")
    description = required_text("description", description, "the need")
    not_in_future("assessed_on", assessed_on, "The assessment date")
    need = PlanNeed.objects.create(plan=plan, pathway=pathway, level=level,
                                   description=description, assessed_on=assessed_on,
                                   recorded_by=acting_user)
    logged(user=acting_user, through=through, nominal_id=plan.nominal_id, kind="plan_need",
           record_id=need.pk, event="need assessed",
           detail={"new": {"pathway": pathway, "level": level}})
    return need


@transaction.atomic
def refer_to_service(*, need: PlanNeed, service: str, organisation: Organisation | None,
                     referred_on: date, acting_user: User, through: str) -> ServiceReferral:
    service = required_text("service", service, "the service")
    not_in_future("referred_on", referred_on, "The referral date")
    referral = ServiceReferral.objects.create(
        need=need, service=service, organisation=organisation, referred_on=referred_on,
        status_on=referred_on, recorded_by=acting_user)
    if need.status == NeedStatus.IDENTIFIED:
        PlanNeed.objects.filter(pk=need.pk).update(status=NeedStatus.IN_PROGRESS)
    logged(user=acting_user, through=through, nominal_id=need.plan.nominal_id,
           kind="service_referral", record_id=referral.pk, event="referred to a service",
           detail={"new": {"service": service, "need_id": need.pk}})
    return referral


@transaction.atomic
def record_referral_response(*, referral: ServiceReferral, status: str, response: str,
                             on: date, acting_user: User, through: str) -> ServiceReferral:
    if status not in ReferralStatus.values:
        raise DomainError.on_field("status", "Choose how the referral stands.")
    not_in_future("on", on, "The date")
    if on < referral.referred_on:
        raise DomainError.on_field("on", "The date cannot be before the referral.")
    old = referral.status
    referral.status, referral.status_on = status, on
    referral.response = required_text("response", response, "how the person responded")
    referral.save(update_fields=["status", "status_on", "response"])
    logged(user=acting_user, through=through, nominal_id=referral.need.plan.nominal_id,
           kind="service_referral", record_id=referral.pk, event="referral response",
           action=LogAction.UPDATE, detail={"old": {"status": old}, "new": {"status": status}})
    return referral


@transaction.atomic
def record_progress(*, need: PlanNeed, note: str, recorded_on: date, status: str = "",
                    acting_user: User, through: str) -> PlanProgress:
    note = required_text("note", note, "the progress")
    not_in_future("recorded_on", recorded_on, "The date")
    if status and status not in NeedStatus.values:
        raise DomainError.on_field("status", "Choose where the need stands.")
    progress = PlanProgress.objects.create(need=need, note=note, recorded_on=recorded_on,
                                           recorded_by=acting_user)
    detail: dict[str, object] = {"progress_id": progress.pk}
    if status and status != need.status:
        detail.update(old={"status": need.status}, new={"status": status})
        need.status = status
        need.save(update_fields=["status"])
    logged(user=acting_user, through=through, nominal_id=need.plan.nominal_id,
           kind="plan_need", record_id=need.pk, event="progress recorded",
           action=LogAction.UPDATE, detail=detail)
    return progress


@transaction.atomic
def record_outcome(*, plan: InterventionPlan, kind: str, status: str, recorded_on: date,
                   note: str, acting_user: User, through: str) -> IntermediateOutcome:
    if kind not in OUTCOME_STATES:
        raise DomainError.on_field("kind", "Choose the kind of outcome.")
    if status not in dict(OUTCOME_STATES[kind]):
        raise DomainError.on_field("status", "Choose a status that fits this kind of outcome.")
    not_in_future("recorded_on", recorded_on, "The date")
    outcome = IntermediateOutcome.objects.create(
        plan=plan, kind=kind, status=status, recorded_on=recorded_on, note=note.strip(),
        recorded_by=acting_user)
    logged(user=acting_user, through=through, nominal_id=plan.nominal_id, kind="outcome",
           record_id=outcome.pk, event="intermediate outcome",
           detail={"new": {"kind": kind, "status": status}})
    return outcome


@transaction.atomic
def endorse_plan(*, plan: InterventionPlan, endorsed_on: date, acting_user: User,
                 through: str) -> InterventionPlan:
    """Endorse the plan once its needs and pathways are identified (003 compliance)."""
    if plan.endorsed_on is not None:
        raise DomainError(message="This plan is already endorsed.", code="endorsed")
    if not plan.needs.exists():
        raise DomainError(message="Identify at least one need before endorsing the plan.",
                          code="no_needs")
    not_in_future("endorsed_on", endorsed_on, "The endorsement date")
    if endorsed_on < plan.started_on:
        raise DomainError.on_field("endorsed_on", "The date cannot be before the plan started.")
    plan.endorsed_on, plan.endorsed_by = endorsed_on, acting_user
    plan.save(update_fields=["endorsed_on", "endorsed_by"])
    logged(user=acting_user, through=through, nominal_id=plan.nominal_id, kind="plan",
           record_id=plan.pk, event="plan endorsed", action=LogAction.UPDATE,
           detail={"new": {"endorsed_on": str(endorsed_on)}})
    return plan


@transaction.atomic
def close_plan(*, plan: InterventionPlan, closed_on: date, reason: str, note: str = "",
               acting_user: User, through: str) -> InterventionPlan:
    """Close the plan, for example when the person leaves the cohort.

    The closed plan stays as history; a person who comes back gets a new plan.
    """
    if plan.closed_on is not None:
        raise DomainError(message="This plan is already closed.", code="plan_closed")
    if reason not in PlanClosure.values:
        raise DomainError.on_field("reason", "Choose why the plan is closing.")
    if reason == PlanClosure.OTHER:
        note = required_text("note", note, "why the plan is closing", minimum=10)
    not_in_future("closed_on", closed_on, "The closing date")
    if closed_on < plan.started_on:
        raise DomainError.on_field("closed_on", "The date cannot be before the plan started.")
    plan.closed_on, plan.closed_reason, plan.closing_note = closed_on, reason, note.strip()
    plan.closed_by = acting_user
    plan.save(update_fields=["closed_on", "closed_reason", "closing_note", "closed_by"])
    logged(user=acting_user, through=through, nominal_id=plan.nominal_id, kind="plan",
           record_id=plan.pk, event="plan closed", action=LogAction.UPDATE,
           detail={"old": {"closed_on": None},
                   "new": {"closed_on": str(closed_on), "reason": reason}})
    return plan
