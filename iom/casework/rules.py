"""The compliance table of 003, as configuration.

Each rule can be changed for a partnership with the ``IOM_COMPLIANCE`` setting,
a dictionary overriding the defaults below by key, read from the
``IOM_COMPLIANCE_*`` environment variables in ``config/settings.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class ComplianceRules:
    plan_within_working_days: int = 7
    engagement_within_working_days: int = 7
    deregistration_within_working_days: int = 7
    threat_reviews_needed: int = 2
    threat_review_period_working_days: int = 7
    tag_audit_due_working_day_of_next_month: int = 5


RULE_TITLES: dict[str, str] = {
    "plan": "Intervention plan and pathways endorsed within {n} working days of selection",
    "engagement": "Initial engagement with the person within {n} working days of selection",
    "deregistration": "Deregistration and rationale recorded within {n} working days of "
                      "deselection",
    "threat_review": "Emerging threats reviewed at least {k} times in every {n}-working-day "
                     "period",
    "tag_audit": "Monthly audit of active and inactive tags, due by working day {n} of the "
                 "next month",
}


def compliance_rules() -> ComplianceRules:
    overrides: dict[str, Any] = dict(getattr(settings, "IOM_COMPLIANCE", {}) or {})
    return replace(ComplianceRules(), **overrides)


def rule_title(key: str, rules: ComplianceRules) -> str:
    numbers = {
        "plan": {"n": rules.plan_within_working_days},
        "engagement": {"n": rules.engagement_within_working_days},
        "deregistration": {"n": rules.deregistration_within_working_days},
        "threat_review": {"n": rules.threat_review_period_working_days,
                          "k": rules.threat_reviews_needed},
        "tag_audit": {"n": rules.tag_audit_due_working_day_of_next_month},
    }[key]
    return RULE_TITLES[key].format(**numbers)
