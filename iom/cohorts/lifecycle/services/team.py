"""Changing the case team or the cohort type after placement, with a reason.

At placement the panel names the cohort type, the lead agency, the lead
professional and the police officer (003 "Action upon Selection": "Supervision
to allocate a manager"); any of them may change later, with a reason, and the
change is a step in the case's history with the values before and after.
Only the deciding agencies of the scheme policy may change them (police and
probation, who "must agree" to a selection: 001 s8); the choice of cohort
category "is at the discretion of the IOM supervision ... who must rationale
that decision" (003 Offender Selection/Deselection).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from iom.accounts.models import Organisation, OrganisationKind, User
from iom.cohorts.lifecycle import Step, Strand
from iom.cohorts.lifecycle.services.base import simple_step
from iom.cohorts.lifecycle.services.panel import _check_team
from iom.cohorts.models import CohortMembership, Transition
from iom.cohorts.policy.rules import YOUTH_COHORT, is_youth, youth_ages_said
from iom.cohorts.policy.schemes import scheme_terms
from iom.core.errors import Forbidden, Problems
from iom.governance import policy
from iom.people import services as people_services

TEAM_FIELDS = ("cohort_type", "lead_agency", "lead_professional", "police_officer")
FIELD_LABELS = {"cohort_type": "Cohort type", "lead_agency": "Lead agency",
                "lead_professional": "Lead professional", "police_officer": "Police officer"}


def may_change_team(user: User, case: CohortMembership) -> bool:
    """A statutory case worker of one of the policy's deciding agencies (001 s8)."""
    rules = scheme_terms(case.policy_name, case.policy_version).rules
    return policy.is_statutory_case_worker_of(user, rules.deciding_agencies)


def check_may_change_team(user: User, case: CohortMembership) -> None:
    if not may_change_team(user, case):
        rules = scheme_terms(case.policy_name, case.policy_version).rules
        who = " or ".join(OrganisationKind(k).label.lower() for k in rules.deciding_agencies)
        raise Forbidden(f"Only a case worker of the {who} changes the case team or the "
                        f"cohort type under {case.policy_title}.")


def _label(case: CohortMembership, field: str, value: Any) -> str:
    if field == "cohort_type":
        return scheme_terms(case.policy_name, case.policy_version).cohort_type_label(value)
    if isinstance(value, User):
        return value.display_name
    return str(value or "")


@transaction.atomic
def change_team(*, membership: CohortMembership, version: int, on: date, reason: str,
                acting_user: User, through: str, access_reason: str = "",
                cohort_type: str | None = None, lead_agency: Organisation | None = None,
                lead_professional: User | None = None, police_officer: User | None = None
                ) -> Transition:
    """Change any of the cohort type, lead agency, lead professional and police officer.

    What is not given stays. The new workers join the person's caseload; the
    old ones keep theirs until it is ended (they may still work with the person).
    """
    check_may_change_team(acting_user, membership)
    asked: dict[str, Any] = {"cohort_type": cohort_type, "lead_agency": lead_agency,
             "lead_professional": lead_professional, "police_officer": police_officer}
    changes: dict[str, Any] = {}

    def check(case: CohortMembership, problems: Problems) -> dict[str, Any]:
        terms = scheme_terms(case.policy_name, case.policy_version)
        for field, value in asked.items():
            if value is not None and value != getattr(case, field):
                changes[field] = value
        if not changes:
            problems.add("cohort_type", "Change at least one of the cohort type, the lead "
                                        "agency, the lead professional or the police officer.")
            return {}
        new = {f: changes.get(f, getattr(case, f)) for f in TEAM_FIELDS}
        if new["cohort_type"] not in dict(terms.cohort_types):
            problems.add("cohort_type", f"Choose one of the cohorts of {terms.title}.")
        if None in (new["lead_agency"], new["lead_professional"], new["police_officer"]):
            problems.add("lead_agency", "Name the lead agency, the lead professional and the "
                                        "police officer.")
        else:
            _check_team(problems, case, new["lead_agency"], new["lead_professional"],
                        new["police_officer"])
            _check_youth(problems, case, new, on)
        before_after = {f: {"old": _label(case, f, getattr(case, f)), "new": _label(case, f, v)}
                        for f, v in changes.items()}
        words = "; ".join(f"{FIELD_LABELS[f]} from {ba['old'] or 'none'} to {ba['new']}"
                          for f, ba in before_after.items())
        return {"changed_team": before_after, "team_change": words}

    given: dict[str, Any] = {f: v for f, v in asked.items() if v is not None}
    step = simple_step(Step.CHANGE_TEAM, membership=membership, version=version, on=on,
                       reason=reason, acting_user=acting_user, through=through,
                       access_reason=access_reason, check=check,
                       **given)
    case = step.membership
    for field in ("lead_professional", "police_officer"):
        worker = changes.get(field)
        if worker is not None and not worker.allocations.filter(
                nominal_id=case.nominal_id, end_date__isnull=True).exists():
            people_services.allocate(nominal=case.nominal, user=worker, acting_user=acting_user,
                                     through=through, start=on)
    return step


def _check_youth(problems: Problems, case: CohortMembership, new: dict[str, Any],
                 on: date) -> None:
    """The youth rules of placement (004 1.28) hold after it too."""
    rules = scheme_terms(case.policy_name, case.policy_version).rules
    youth = is_youth(case.nominal.age_on(on), rules)
    if new["cohort_type"] == YOUTH_COHORT[0] and not youth:
        problems.add("cohort_type",
                     f"Deter Young Offender is for people {youth_ages_said(rules)}.")
    if (youth and rules.youth_strand and case.strand == Strand.DETER_YOUNG_OFFENDER
            and new["lead_agency"].kind != OrganisationKind.YOUTH_JUSTICE):
        problems.add("lead_agency", f"Youth justice leads for a person {youth_ages_said(rules)}"
                                    " in the Deter Young Offender strand.")
