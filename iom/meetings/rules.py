"""The partnership's meeting rules: defaults from the seeds, changed in settings.

Defaults: tasking meets at least 3 days a week and decides only with at least 3
agencies present (001 s8); attendees sign the confidentiality statement of the
2015 information sharing agreement (000 ISA Appendix A) before the meeting opens.
``IOM_MEETING_RULES`` (a dict of the field names below, read from the
``IOM_MEETING_*`` environment variables in ``config/settings.py``) overrides them.
The statement is the one the paper form prints too, from
``iom.casework.confidentiality`` (``IOM_CONFIDENTIALITY_STATEMENT``). The generated
agenda brings the first ``candidates_max`` candidates who meet a cohort type under
the partnership's scheme policy (``IOM_MEETING_POLICIES``, partnership name to
policy name, or else the policy of most of its cases: see ``agenda.scheme_policy``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from iom.cohorts.policy.schemes import installed_policies


@dataclass(frozen=True)
class MeetingRules:
    tasking_days_per_week: int = 3
    decision_quorum: int = 3  # agencies present, signed, for a decision
    release_months: int = 3  # releases this far ahead come to the agenda
    threat_days: int = 14  # emerging threats raised this recently
    candidates_max: int = 10  # the first candidates meeting a cohort type; 0 for none
    schedule_weeks_max: int = 26  # how far ahead one schedule may create meetings


def meeting_rules() -> MeetingRules:
    overrides = getattr(settings, "IOM_MEETING_RULES", {}) or {}
    known = {f.name for f in fields(MeetingRules)}
    return MeetingRules(**{k: int(v) for k, v in overrides.items() if k in known})


def check_meeting_policies() -> None:
    """Refuse to start when ``IOM_MEETING_POLICIES`` names a policy not installed, rather
    than failing later on the first generated agenda of that partnership."""
    named = getattr(settings, "IOM_MEETING_POLICIES", {}) or {}
    if not named:
        return
    known = {name for name, _ in installed_policies()}
    unknown = sorted({str(policy) for policy in named.values()} - known)
    if unknown:
        raise ImproperlyConfigured(
            f"IOM_MEETING_POLICIES names scheme policies that are not installed: "
            f"{', '.join(unknown)}; installed: {', '.join(sorted(known))}")
