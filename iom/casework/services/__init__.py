"""Every change case work makes: keyword-only, atomic, each with its access-log entry."""

from .actions import add_action_update, close_action, create_action
from .compliance import record_deregistration, record_tag_audit, review_threat
from .contacts import record_contact
from .documents import generate_document
from .plans import (
    add_need,
    close_plan,
    endorse_plan,
    record_outcome,
    record_progress,
    record_referral_response,
    refer_to_service,
    start_plan,
)

__all__ = [
    "add_action_update", "add_need", "close_action", "close_plan", "create_action",
    "endorse_plan", "generate_document", "record_contact", "record_deregistration",
    "record_outcome", "record_progress", "record_referral_response", "record_tag_audit",
    "refer_to_service", "review_threat", "start_plan",
]
