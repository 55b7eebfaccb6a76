"""Every step of the case lifecycle, one service each.

Each service is atomic, takes the acting user, a date and a reason (a
rationale for panel decisions), asks ``lifecycle.next_state`` whether the step
is allowed from where the person is, and writes its access-log entry in the
same transaction. A change to an existing case carries the ``version`` the
user saw: if someone else saved a change in between, the second change is
refused ("the record changed") and nothing is stored.
"""

from iom.cohorts.lifecycle.services.base import STALE
from iom.cohorts.lifecycle.services.custody import record_custody, remove_for_custody, transfer_out
from iom.cohorts.lifecycle.services.deselection import (
    consider_deselection,
    exit_cohort,
    keep_on_cohort,
    monitor,
    notify_deselection,
    review,
)
from iom.cohorts.lifecycle.services.handover import hand_to_prison_hub
from iom.cohorts.lifecycle.services.panel import (
    exclusions_on,
    place_on_cohort,
    record_panel_decision,
)
from iom.cohorts.lifecycle.services.rag import apply_custody, change_rag
from iom.cohorts.lifecycle.services.referral import (
    refer,
    send_to_panel,
    start_research,
    transfer_in,
)
from iom.cohorts.lifecycle.services.strand import after_consent, change_strand
from iom.cohorts.lifecycle.services.team import change_team, may_change_team
from iom.cohorts.lifecycle.services.youth import prompt_youth_transitions

__all__ = [
    "STALE",
    "after_consent",
    "apply_custody",
    "change_rag",
    "change_strand",
    "change_team",
    "consider_deselection",
    "exclusions_on",
    "exit_cohort",
    "hand_to_prison_hub",
    "keep_on_cohort",
    "may_change_team",
    "monitor",
    "notify_deselection",
    "place_on_cohort",
    "prompt_youth_transitions",
    "record_custody",
    "record_panel_decision",
    "refer",
    "remove_for_custody",
    "review",
    "send_to_panel",
    "start_research",
    "transfer_in",
    "transfer_out",
]
