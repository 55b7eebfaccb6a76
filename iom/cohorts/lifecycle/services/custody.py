"""Custody and moving area: BLUE in custody, removal for a long sentence, transfer out."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from iom.accounts.models import User
from iom.cohorts import selectors
from iom.cohorts.lifecycle import Step
from iom.cohorts.lifecycle.services import tell
from iom.cohorts.lifecycle.services.base import simple_step
from iom.cohorts.lifecycle.services.rag import apply_custody
from iom.cohorts.models import CohortMembership, Transition
from iom.cohorts.policy.rules import custody_removal_due
from iom.cohorts.policy.schemes import scheme_terms
from iom.core.errors import Problems
from iom.people import services as people_services
from iom.people.models import CustodyPeriod, Nominal


@transaction.atomic
def record_custody(*, nominal: Nominal, fields: dict[str, Any], acting_user: User,
                   through: str, access_reason: str = "") -> CustodyPeriod:
    """Record a custody period; a managed person in custody turns BLUE by itself (002)."""
    spell = people_services.add_record(nominal=nominal, kind="custody", acting_user=acting_user,
                                       through=through, fields=fields, reason=access_reason)
    assert isinstance(spell, CustodyPeriod)
    case = selectors.open_case(nominal)
    if case is not None:
        apply_custody(membership=case, on=timezone.localdate(), acting_user=acting_user,
                      through=through, access_reason=access_reason)
    return spell


@transaction.atomic
def remove_for_custody(*, membership: CohortMembership, version: int, on: date, reason: str,
                       acting_user: User, through: str, access_reason: str = "") -> Transition:
    """Remove a person with more than 12 months left to serve, remand counted (001 s7)."""
    rules = scheme_terms(membership.policy_name, membership.policy_version).rules

    def check(case: CohortMembership, problems: Problems) -> dict[str, Any] | None:
        spell = selectors.custody_on(case.nominal_id, on)
        if spell is None:
            problems.add("on", "No custody is recorded on that date.")
            return None
        release = selectors.release_of(spell)
        if not custody_removal_due(release, on, rules):
            when = (f"release is expected on {release:%-d %B %Y}" if release
                    else "no release date is recorded")
            problems.add("on", f"Removal is for more than {rules.custody_removal_months} "
                               f"months left to serve, counting remand; {when}.")
        return {"expected_release": f"{release:%-d %B %Y}"} if release else None

    step = simple_step(
        Step.REMOVE_FOR_CUSTODY, membership=membership, version=version, on=on, reason=reason,
        acting_user=acting_user, through=through, access_reason=access_reason, check=check,
        ended_on=on)
    tell.on_exit(step.membership, step.pk, on=on, monitored=False, user=acting_user,
                 through=through, how="removed_custody")
    return step


@transaction.atomic
def transfer_out(*, membership: CohortMembership, version: int, on: date, to_area: str,
                 reason: str, acting_user: User, through: str,
                 access_reason: str = "") -> Transition:
    """Supervision moves out of the area: the case closes and keeps its history (001 s6)."""
    area = (to_area or "").replace("\x00", "").strip()[:120]

    def check(case: CohortMembership, problems: Problems) -> None:
        if not area:
            problems.add("to_area", "Enter the area the person is moving to.")

    step = simple_step(Step.TRANSFER_OUT, membership=membership, version=version, on=on,
                       reason=reason, acting_user=acting_user, through=through,
                       access_reason=access_reason, check=check, ended_on=on,
                       transferred_to=area, detail={"to_area": area})
    tell.on_exit(step.membership, step.pk, on=on, monitored=False, user=acting_user,
                 through=through, how="transferred_out")
    return step
