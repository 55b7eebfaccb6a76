"""Reviews, deselection and exit (000 Exit Level; 001 s7; 003 deselection)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from iom.accounts.models import User
from iom.cohorts import selectors
from iom.cohorts.lifecycle import Step
from iom.cohorts.lifecycle.services import tell
from iom.cohorts.lifecycle.services.base import check_reason, simple_step
from iom.cohorts.models import CohortMembership, Transition
from iom.cohorts.policy.rules import add_months
from iom.cohorts.policy.schemes import scheme_terms
from iom.core.errors import Problems


@transaction.atomic
def review(*, membership: CohortMembership, version: int, on: date, notes: str,
           acting_user: User, through: str, access_reason: str = "") -> Transition:
    """A review of a managed person; the next falls due one review period later."""
    rules = scheme_terms(membership.policy_name, membership.policy_version).rules
    return simple_step(Step.REVIEW, membership=membership, version=version, on=on,
                       reason=notes, acting_user=acting_user, through=through,
                       access_reason=access_reason, last_reviewed_on=on,
                       next_review_due=add_months(on, rules.review_every_months))


@transaction.atomic
def consider_deselection(*, membership: CohortMembership, version: int, on: date, reason: str,
                         acting_user: User, through: str, access_reason: str = "") -> Transition:
    """The partnership starts to consider deselection (003 deselection considerations)."""
    return simple_step(Step.CONSIDER_DESELECTION, membership=membership, version=version,
                       on=on, reason=reason, acting_user=acting_user, through=through,
                       access_reason=access_reason, deselection_considered_on=on)


@transaction.atomic
def notify_deselection(*, membership: CohortMembership, version: int, on: date, reason: str,
                       acting_user: User, through: str, access_reason: str = "") -> Transition:
    """Tell the person as they reach 3 months before exit, not as a cliff edge (001 s7)."""

    def check(case: CohortMembership, problems: Problems) -> None:
        clock = selectors.exit_clock(case, on)
        if clock is not None and on < clock.notice_from:
            problems.add("on", _too_early("tell the person", clock.notice_from, clock))

    step = simple_step(Step.NOTIFY_DESELECTION, membership=membership, version=version, on=on,
                       reason=reason, acting_user=acting_user, through=through,
                       access_reason=access_reason, check=check, deselection_notified_on=on)
    clock = selectors.exit_clock(step.membership, on)
    tell.on_deselection_notice(step.membership, step.pk, on=on, user=acting_user,
                               through=through, exit_from=clock.exit_from if clock else None)
    return step


def _too_early(what: str, earliest: date, clock: selectors.ExitClock) -> str:
    since = (f"the last offence on {clock.last_offence:%-d %B %Y}" if clock.last_offence
             else f"placement on {clock.started:%-d %B %Y}")
    return (f"Too early to {what}: the earliest date is {earliest:%-d %B %Y}, counting "
            f"from {since}.")


@transaction.atomic
def keep_on_cohort(*, membership: CohortMembership, version: int, on: date, reason: str,
                   acting_user: User, through: str, access_reason: str = "") -> Transition:
    """Deselection stops (for example after further offending); the person stays managed."""
    return simple_step(Step.KEEP_ON_COHORT, membership=membership, version=version, on=on,
                       reason=reason, acting_user=acting_user, through=through,
                       access_reason=access_reason, deselection_considered_on=None,
                       deselection_notified_on=None)


@transaction.atomic
def exit_cohort(*, membership: CohortMembership, version: int, on: date, reason: str,
                supporting_intelligence: str, acting_user: User, through: str,
                monitored: bool = False, access_reason: str = "") -> Transition:
    """Exit after 6 months without further offending, when police intelligence does not
    support staying (000 Exit Level, 001 s7). The IOM flag is expired, not deleted (003);
    ``monitored`` puts the person in the monitored category at the same time."""
    intelligence = (supporting_intelligence or "").replace("\x00", "").strip()

    def check(case: CohortMembership, problems: Problems) -> None:
        check_reason(problems, "supporting_intelligence", intelligence,
                     "the intelligence that supports exit")
        clock = selectors.exit_clock(case, on)
        if clock is not None and on < clock.exit_from:
            problems.add("on", _too_early("exit", clock.exit_from, clock))

    step = simple_step(Step.EXIT_MONITORED if monitored else Step.EXIT, membership=membership,
                       version=version, on=on, reason=reason, acting_user=acting_user,
                       through=through, access_reason=access_reason, check=check,
                       detail={"supporting_intelligence": intelligence},
                       ended_on=on, monitored=monitored)
    tell.on_exit(step.membership, step.pk, on=on, monitored=monitored, user=acting_user,
                 through=through)
    return step


@transaction.atomic
def monitor(*, membership: CohortMembership, version: int, on: date, reason: str,
            acting_user: User, through: str, access_reason: str = "") -> Transition:
    """Put an exited person in the "monitored" category (003 action upon deselection)."""
    return simple_step(Step.MONITOR, membership=membership, version=version, on=on,
                       reason=reason, acting_user=acting_user, through=through,
                       access_reason=access_reason, monitored=True)
