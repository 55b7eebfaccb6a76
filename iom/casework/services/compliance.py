"""Recording what the compliance rules measure: threat reviews, deregistrations
and monthly tag audits."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from iom.accounts.models import District, User
from iom.audit.models import Action as LogAction
from iom.cohorts.lifecycle import CohortState
from iom.cohorts.models import CohortMembership
from iom.core.errors import DomainError
from iom.scoring.models import EmergingThreat

from ..models import Deregistration, TagAudit, ThreatReview, ThreatReviewOutcome
from .base import logged, not_in_future, required_text

LEFT_STATES = frozenset({CohortState.EXITED, CohortState.MONITORED})


@transaction.atomic
def review_threat(*, threat: EmergingThreat, reviewed_on: date, outcome: str, rationale: str,
                  acting_user: User, through: str) -> ThreatReview:
    if outcome not in ThreatReviewOutcome.values:
        raise DomainError.on_field("outcome", "Choose the outcome of the review.")
    rationale = required_text("rationale", rationale, "the rationale", minimum=10)
    not_in_future("reviewed_on", reviewed_on, "The review date")
    if reviewed_on < threat.raised_on:
        raise DomainError.on_field("reviewed_on", "The review cannot be before the threat.")
    review = ThreatReview.objects.create(threat=threat, reviewed_on=reviewed_on,
                                         outcome=outcome, rationale=rationale,
                                         reviewed_by=acting_user)
    logged(user=acting_user, through=through, nominal_id=threat.nominal_id,
           kind="threat_review", record_id=review.pk, event="emerging threat reviewed",
           detail={"new": {"threat_id": threat.pk, "outcome": outcome}})
    return review


@transaction.atomic
def record_deregistration(*, membership: CohortMembership, recorded_on: date, rationale: str,
                          acting_user: User, through: str) -> Deregistration:
    if membership.state not in LEFT_STATES or membership.ended_on is None:
        raise DomainError(message="Deregistration is recorded after the person has left the "
                                  "cohort.", code="not_deselected")
    rationale = required_text("rationale", rationale, "the rationale", minimum=10)
    not_in_future("recorded_on", recorded_on, "The date")
    try:
        with transaction.atomic():
            record = Deregistration.objects.create(membership=membership,
                                                   recorded_on=recorded_on,
                                                   rationale=rationale,
                                                   recorded_by=acting_user)
    except IntegrityError as exc:
        raise DomainError(message="Deregistration is already recorded.",
                          code="exists") from exc
    logged(user=acting_user, through=through, nominal_id=membership.nominal_id,
           kind="deregistration", record_id=record.pk, event="deregistration recorded",
           action=LogAction.UPDATE, detail={"new": {"recorded_on": str(recorded_on)}})
    return record


@transaction.atomic
def record_tag_audit(*, district: District, month: date, completed_on: date, findings: str,
                     acting_user: User, through: str) -> TagAudit:
    findings = required_text("findings", findings, "the findings", minimum=10)
    not_in_future("completed_on", completed_on, "The date")
    month = month.replace(day=1)
    if completed_on < month:
        raise DomainError.on_field("completed_on", "The audit cannot be before its month.")
    try:
        with transaction.atomic():
            audit = TagAudit.objects.create(district=district, month=month,
                                            completed_on=completed_on, findings=findings,
                                            recorded_by=acting_user)
    except IntegrityError as exc:
        raise DomainError.on_field("month", "That month's audit is already recorded.") from exc
    logged(user=acting_user, through=through, nominal_id=None, kind="tag_audit",
           record_id=audit.pk, event="tag audit recorded",
           detail={"new": {"district": district.pk, "month": str(month)}})
    return audit
