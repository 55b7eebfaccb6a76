"""Sentenced to custody: the case goes to the prison hub (003 "Imprisoned Offenders").

"Once a managed individual receives a custodial sentence, they become the
responsibility of the Prison Hub. The originating district must contact the
Prison Hub supervision to discuss the handover of the individual." And "Three
months prior to release the Prison Hub must contact the relevant district to
discuss the release of an offender and their management on release."

The handover names the prison offender manager, who joins the person's
caseload, and raises the release-planning contact as a dated action for them,
due the policy's ``release_contact_months`` before the expected release. The
action lives in case work, which registers how it raises one
(``plan_release_with``), because case work builds on this app, not the reverse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from iom.accounts.models import User
from iom.cohorts import selectors
from iom.cohorts.lifecycle import Step
from iom.cohorts.lifecycle.services.base import simple_step
from iom.cohorts.lifecycle.services.team import check_may_change_team
from iom.cohorts.models import CohortMembership, Transition
from iom.cohorts.policy.rules import release_contact_from
from iom.cohorts.policy.schemes import scheme_terms
from iom.core.errors import Problems
from iom.governance import policy
from iom.people import services as people_services


@dataclass(frozen=True)
class ReleasePlan:
    """What the release-planning action needs: the case, who contacts whom, and when."""

    case: CohortMembership
    prison_offender_manager: User
    release: date
    contact_by: date
    acting_user: User
    through: str


ReleasePlanner = Callable[[ReleasePlan], Any]
RELEASE_PLANNERS: list[ReleasePlanner] = []


def plan_release_with(planner: ReleasePlanner) -> None:
    """Register ``planner(plan)``, called in the handover's transaction, once."""
    if planner not in RELEASE_PLANNERS:
        RELEASE_PLANNERS.append(planner)


@transaction.atomic
def hand_to_prison_hub(*, membership: CohortMembership, version: int, on: date,
                       prison_offender_manager: User, reason: str, acting_user: User,
                       through: str, access_reason: str = "") -> Transition:
    """Hand a managed person in custody to the prison hub, naming the offender manager."""
    check_may_change_team(acting_user, membership)
    rules = scheme_terms(membership.policy_name, membership.policy_version).rules
    found: dict[str, Any] = {}

    def check(case: CohortMembership, problems: Problems) -> dict[str, Any]:
        spell = selectors.custody_on(case.nominal_id, on)
        if spell is None:
            problems.add("on", "No custody is recorded on that date: record the custodial "
                               "sentence first.")
            return {}
        worker = prison_offender_manager
        if (not worker.is_active or worker.organisation is None
                or worker.organisation.partnership_id != case.nominal.partnership_id):
            problems.add("prison_offender_manager", "Choose a case worker of this partnership.")
        elif not policy.is_casework_user(worker):
            problems.add("prison_offender_manager",
                         f"{worker.display_name} works with no named people, so cannot "
                         f"manage one: choose a case worker.")
        elif not policy.sees_nominal(worker)(case.nominal):
            problems.add("prison_offender_manager",
                         f"{worker.display_name} cannot see this person under the access "
                         f"policy (no statutory power, or no consent and involvement).")
        elif case.prison_offender_manager_id == worker.pk:
            problems.add("prison_offender_manager",
                         f"{worker.display_name} is already the prison offender manager.")
        release = selectors.release_of(spell)
        found["release"] = release
        detail = {"prison_offender_manager": worker.display_name,
                  "establishment": spell.establishment or ""}
        if release is not None:
            contact = max(release_contact_from(release, rules), timezone.localdate())
            found["contact_by"] = contact
            detail |= {"expected_release": f"{release:%-d %B %Y}",
                       "release_contact_on": f"{contact:%-d %B %Y}"}
        return detail

    step = simple_step(Step.PRISON_HANDOVER, membership=membership, version=version, on=on,
                       reason=reason, acting_user=acting_user, through=through,
                       access_reason=access_reason, check=check,
                       prison_offender_manager=prison_offender_manager,
                       handed_to_prison_on=on)
    case = step.membership
    if not prison_offender_manager.allocations.filter(nominal_id=case.nominal_id,
                                                      end_date__isnull=True).exists():
        people_services.allocate(nominal=case.nominal, user=prison_offender_manager,
                                 acting_user=acting_user, through=through, start=on)
    if found.get("release") is not None:
        plan = ReleasePlan(case, prison_offender_manager, found["release"],
                           found["contact_by"], acting_user, through)
        for planner in RELEASE_PLANNERS:
            planner(plan)
    return step
