"""The cohort panel on a person's profile: current case, RAG, team and full history.

The profile page has already checked access and the viewing reason; the
panel logs the case records it shows, under the same reason.
"""

from __future__ import annotations

from typing import Any

from django import template

from iom.accounts.models import User
from iom.audit.services import RecordRef
from iom.cohorts import selectors
from iom.cohorts.lifecycle import MANAGED_STATES, RAG_GUIDE, Step, services, steps_from
from iom.governance import policy
from iom.governance.web import log_read, reason_for, stored_reason, through_of
from iom.people.models import Nominal

register = template.Library()

# Where each next step is recorded: (url name, step argument or "", link text).
ACTION_FOR: dict[str, tuple[str, str, str]] = {
    Step.ACCEPT: ("cohorts:decide", "", "Record the panel decision"),
    Step.PLACE: ("cohorts:place", "", "Place on the cohort"),
    Step.EXIT: ("cohorts:step", Step.EXIT, "Exit the cohort"),
    Step.REVIEW: ("cohorts:step", Step.REVIEW, "Record a review"),
}
# Linked on their own below (only the deciding agencies may take them: services/team.py).
SKIPPED = {Step.DECLINE, Step.DEFER, Step.EXIT_MONITORED, Step.CHANGE_TEAM,
           Step.PRISON_HANDOVER}


def actions_for(state: str) -> list[tuple[str, str, str]]:
    found = []
    for step in steps_from(state):
        if step in SKIPPED:
            continue
        found.append(ACTION_FOR.get(step, ("cohorts:step", step, Step(step).label)))
    return found


@register.inclusion_tag("cohorts/profile_panel.html", takes_context=True)
def cohort_panel(context: template.Context, nominal: Nominal) -> dict[str, Any]:
    request = context["request"]
    user: User = request.user
    cases = selectors.cases_of(nominal)
    current = cases[0] if cases else None
    histories = [(case, selectors.history_of(case)) for case in cases]
    shown = [RecordRef("cohort_case", c.pk) for c in cases]
    shown += [RecordRef(*item.ref) for _, items in histories for item in items]
    if shown:
        log_read(user=user, nominal=nominal, through=through_of(request), records=shown,
                 reason=reason_for(user, nominal, stored_reason(request, nominal.pk)))
    can_manage = policy.is_statutory_case_worker(user)
    managed = current is not None and current.state in MANAGED_STATES
    return {
        "nominal": nominal, "current": current, "histories": histories,
        "can_manage": can_manage, "can_refer": policy.is_casework_user(user),
        "open": current is not None and current.is_open, "managed": managed,
        "actions": actions_for(current.state) if current and can_manage else [],
        "rag_meaning": RAG_GUIDE[current.rag] if current and current.rag else None,
        "can_change_team": (managed and current is not None
                            and services.may_change_team(user, current)),
    }
