"""Case work on a person on the cohort: the intervention plan, actions, contacts,
compliance records and the documents generated about them."""

from .actions import Action, ActionPriority, ActionStatus, ActionUpdate, SourceKind
from .compliance import Deregistration, TagAudit, ThreatReview, ThreatReviewOutcome
from .contacts import Contact, ContactKind, ContactOutcome
from .documents import DocumentKind, GeneratedDocument
from .plans import (
    IntermediateOutcome,
    InterventionPlan,
    NeedLevel,
    NeedStatus,
    OutcomeKind,
    PlanClosure,
    PlanNeed,
    PlanProgress,
    ReferralStatus,
    ServiceReferral,
)

__all__ = [
    "Action", "ActionPriority", "ActionStatus", "ActionUpdate", "Contact", "ContactKind",
    "ContactOutcome", "Deregistration", "DocumentKind", "GeneratedDocument",
    "IntermediateOutcome", "InterventionPlan", "NeedLevel", "NeedStatus", "OutcomeKind",
    "PlanClosure", "PlanNeed", "PlanProgress", "ReferralStatus", "ServiceReferral", "SourceKind",
    "TagAudit", "ThreatReview", "ThreatReviewOutcome",
]
