"""The panel: its decisions, and placing an accepted person on the cohort."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction

from iom.accounts.models import Organisation, OrganisationKind, User
from iom.cohorts import selectors
from iom.cohorts.candidates import ExclusionHit, exclusions_for
from iom.cohorts.lifecycle import Meeting, Outcome, Rag, Step, Strand, next_state
from iom.cohorts.lifecycle.services import tell
from iom.cohorts.lifecycle.services.base import check_day, check_reason, claim, move
from iom.cohorts.lifecycle.services.rag import new_rag
from iom.cohorts.models import CohortMembership, PanelDecision
from iom.cohorts.policy.rules import (
    YOUTH_COHORT,
    SchemeTerms,
    add_months,
    is_youth,
    youth_ages_said,
)
from iom.cohorts.policy.schemes import policy_version, scheme_terms
from iom.core.errors import Problems
from iom.governance import policy
from iom.governance.models import GivenBy
from iom.governance.policy import SYSTEM_SIGHT, Sight
from iom.people import services as people_services
from iom.people.models import FlagKind

STEP_FOR: dict[str, str] = {Outcome.ACCEPT: Step.ACCEPT, Outcome.DECLINE: Step.DECLINE,
            Outcome.DEFER: Step.DEFER}


@transaction.atomic
def record_panel_decision(
    *, membership: CohortMembership, version: int, outcome: str, meeting: str,
    decided_on: date, rationale: str, present: Sequence[Organisation],
    agreeing: Sequence[Organisation], acting_user: User, through: str,
    proposed_cohort_type: str = "", exclusion_agreement: str = "", access_reason: str = "",
) -> PanelDecision:
    """Accept, decline or defer, with a rationale (001 s4, s8).

    Police and probation must both agree to accept or decline; a tasking
    meeting decides only with its quorum of agencies present (default 3).
    An exclusion (MAPPA 2-3, current sex offender, no recent conviction at
    liberty) is overridden only by a recorded partnership agreement.
    """
    case = claim(membership, version)
    terms = scheme_terms(case.policy_name, case.policy_version)
    step = STEP_FOR.get(outcome)
    if step is not None:
        next_state(step, case.state)
    problems = Problems()
    rationale = check_reason(problems, "rationale", rationale, "the rationale")
    check_day(problems, "decided_on", decided_on, case, case.nominal)
    _check_panel(problems, case, terms, outcome, meeting, present, agreeing)
    if proposed_cohort_type and proposed_cohort_type not in dict(terms.cohort_types):
        problems.add("proposed_cohort_type", f"{terms.title} has no such cohort.")
    agreement = exclusion_agreement.replace("\x00", "").strip()
    overridden = _overridden(problems, case, outcome, decided_on, proposed_cohort_type,
                             agreement)
    problems.raise_if_any("The decision was not recorded.")
    assert step is not None
    decision = PanelDecision.objects.create(
        membership=case, outcome=outcome, meeting=meeting, decided_on=decided_on,
        rationale=rationale, proposed_cohort_type=proposed_cohort_type,
        exclusion_agreement=agreement, overridden_exclusions=overridden,
        recorded_by=acting_user)
    decision.present.set(present)
    decision.agreeing.set(agreeing)
    detail: dict[str, Any] = {"decision": decision.pk, "meeting": meeting,
                              "agreed_by": ", ".join(o.name for o in agreeing)}
    if overridden:
        detail["overridden_exclusions"] = [hit["label"] for hit in overridden]
    move(case, step, on=decided_on, reason=rationale, user=acting_user, through=through,
         why=access_reason, detail=detail)
    return decision


def exclusions_on(case: CohortMembership, on: date, cohort_type: str = "", *,
                  sight: Sight = SYSTEM_SIGHT) -> list[ExclusionHit]:
    """The case's policy exclusions that apply to the person on a day (the candidate rules)."""
    chosen = policy_version(case.policy_name, case.policy_version)
    return exclusions_for(case.nominal, chosen, on, cohort_type=cohort_type,
                          sight=sight)


def _overridden(problems: Problems, case: CohortMembership, outcome: str, on: date,
                cohort_type: str, agreement: str) -> list[dict[str, str]]:
    """An acceptance despite an exclusion needs a recorded partnership agreement (000, 001 s4).

    Only an acceptance is checked: declining or deferring an excluded person
    needs no agreement. The exclusions are those of the case's own policy
    version as at the decision date, for the proposed cohort type if any.
    """
    if outcome != Outcome.ACCEPT:
        return []
    hits = exclusions_on(case, on, cohort_type)
    fixed = [hit.label for hit in hits if not hit.overridable]
    if fixed:
        problems.add("outcome", f"{'; '.join(fixed)}: this exclusion cannot be overridden, "
                                f"so the panel cannot accept the person.")
    elif hits and not agreement:
        listed = "; ".join(f"{hit.label} ({hit.why})" for hit in hits)
        problems.add("exclusion_agreement", f"The person meets an exclusion: {listed}. "
                                            f"Record the partnership agreement to include "
                                            f"them despite it.")
    return [{"label": hit.label, "why": hit.why} for hit in hits]


def _check_panel(problems: Problems, case: CohortMembership, terms: SchemeTerms, outcome: str,
                 meeting: str, present: Sequence[Organisation],
                 agreeing: Sequence[Organisation]) -> None:
    if outcome not in Outcome.values:
        problems.add("outcome", "Choose accept, decline or defer.")
    if meeting not in Meeting.values:
        problems.add("meeting", "Choose a panel or a tasking meeting.")
    if any(o.partnership_id != case.nominal.partnership_id for o in [*present, *agreeing]):
        problems.add("present", "Only the person's own partnership's agencies decide.")
    if not {o.pk for o in agreeing} <= {o.pk for o in present}:
        problems.add("agreeing", "An agency that agreed must also be recorded as present.")
    quorum = terms.rules.tasking_quorum
    if meeting == Meeting.TASKING and len({o.pk for o in present}) < quorum:
        problems.add("present", f"A tasking meeting needs at least {quorum} agencies present "
                                f"to decide.")
    if outcome in {Outcome.ACCEPT, Outcome.DECLINE}:
        kinds = {o.kind for o in agreeing}
        missing = [k for k in terms.rules.deciding_agencies if k not in kinds]
        if missing:
            names = " and ".join(OrganisationKind(k).label.lower() for k in missing)
            problems.add("agreeing", f"Police and probation must both agree; no agreement "
                                     f"recorded from {names}.")


@transaction.atomic
def place_on_cohort(
    *, membership: CohortMembership, version: int, cohort_type: str, lead_agency: Organisation,
    lead_professional: User, police_officer: User, rag: str, placed_on: date, reason: str,
    acting_user: User, through: str, access_reason: str = "",
) -> CohortMembership:
    """Put an accepted person on the cohort (002 steps 5-7; 003 action upon selection).

    Sets the cohort type, the RAG status (BLUE by itself while in custody), the
    lead agency, lead professional and police officer; adds the IOM flag; and
    puts the person on both workers' caseloads. A youth (10-17) is led by youth
    justice, with a parent or guardian's consent decision (004 1.28).
    """
    case = claim(membership, version)
    next_state(Step.PLACE, case.state)
    terms = scheme_terms(case.policy_name, case.policy_version)
    problems = Problems()
    reason = check_reason(problems, "reason", reason)
    check_day(problems, "placed_on", placed_on, case, case.nominal)
    decision = selectors.latest_decision(case)
    if decision is None or decision.outcome != Outcome.ACCEPT:
        problems.add("cohort_type", "The panel has not accepted this person.")
    _check_team(problems, case, lead_agency, lead_professional, police_officer)
    strand = _check_youth(problems, case, terms, cohort_type, lead_agency, placed_on)
    in_custody = selectors.custody_on(case.nominal_id, placed_on) is not None
    rag = _placement_rag(problems, rag, in_custody)
    problems.raise_if_any("The person was not placed on the cohort.")
    _set(case, cohort_type=cohort_type, strand=strand, lead_agency=lead_agency,
         lead_professional=lead_professional, police_officer=police_officer,
         placed_on=placed_on,
         next_review_due=add_months(placed_on, terms.rules.review_every_months))
    move(case, Step.PLACE, on=placed_on, reason=reason, user=acting_user, through=through,
         why=access_reason, changed=PLACEMENT_FIELDS,
         detail={"cohort_type": terms.cohort_type_label(cohort_type),
                 "lead_agency": lead_agency.name})
    new_rag(case, rag, on=placed_on, reason=f"Set at placement. {reason}", user=acting_user,
            automatic=in_custody, through=through, why=access_reason)
    _after_placement(case, acting_user, through, terms, access_reason)
    tell.on_selection(case, user=acting_user, through=through, exclusions=[
        {"label": hit.label, "restricted": hit.restricted}
        for hit in exclusions_on(case, placed_on, cohort_type)])
    return case


PLACEMENT_FIELDS = ["cohort_type", "strand", "lead_agency", "lead_professional",
                    "police_officer", "placed_on", "next_review_due"]


def _set(case: CohortMembership, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(case, name, value)


def _check_team(problems: Problems, case: CohortMembership, agency: Organisation,
                professional: User, officer: User) -> None:
    if agency.partnership_id != case.nominal.partnership_id or not agency.active:
        problems.add("lead_agency", "Choose an active agency of this partnership.")
    if professional.organisation_id != agency.pk or not professional.is_active:
        problems.add("lead_professional", "The lead professional must work for the lead "
                                          "agency.")
    elif not policy.is_casework_user(professional):
        problems.add("lead_professional", _not_casework("lead professional", professional))
    officer_org = officer.organisation
    if (officer_org is None or officer_org.kind != OrganisationKind.POLICE
            or officer_org.partnership_id != case.nominal.partnership_id
            or not officer.is_active):
        problems.add("police_officer", "Choose a police officer of this partnership.")
    elif not policy.is_casework_user(officer):
        problems.add("police_officer", _not_casework("police officer", officer))


def _not_casework(what: str, user: User) -> str:
    """Administrators, analysts and data-protection officers see no named people, so
    they cannot manage one."""
    return (f"{user.display_name} ({user.get_role_display().lower()}) works with no named "
            f"people, so cannot be the {what}: choose a case worker.")


def _check_youth(problems: Problems, case: CohortMembership, terms: SchemeTerms,
                 cohort_type: str, agency: Organisation, on: date) -> str:
    """The strand the placement puts the person in; the youth rules checked on the way."""
    if cohort_type not in dict(terms.cohort_types):
        problems.add("cohort_type", f"Choose one of the cohorts of {terms.title}.")
    if not is_youth(case.nominal.age_on(on), terms.rules):
        if cohort_type == YOUTH_COHORT[0]:
            problems.add("cohort_type",
                         f"Deter Young Offender is for people {youth_ages_said(terms.rules)}.")
        return str(case.strand)
    aged = youth_ages_said(terms.rules)
    if agency.kind != OrganisationKind.YOUTH_JUSTICE:
        problems.add("lead_agency", f"Youth justice leads for a person {aged}.")
    if cohort_type != YOUTH_COHORT[0]:
        problems.add("cohort_type", f"A person {aged} joins the Deter Young Offender cohort.")
    consent = policy.consent_decision(case.nominal, agency, on)
    if consent is None or consent.given_by != GivenBy.PARENT_OR_GUARDIAN:
        problems.add("lead_agency", "Record a parent or guardian's consent decision for "
                                    "youth justice first.")
        return str(case.strand)
    if not policy.is_current_consent(consent, on) or case.strand == Strand.CATCH_AND_CONTROL:
        return Strand.CATCH_AND_CONTROL
    return Strand.DETER_YOUNG_OFFENDER


def _placement_rag(problems: Problems, rag: str, in_custody: bool) -> str:
    if in_custody:
        return Rag.BLUE
    if rag not in Rag.values or rag == Rag.BLUE:
        problems.add("rag", "Choose RED, AMBER ALERT, AMBER or GREEN; BLUE is for custody "
                            "only.")
    return rag


def _after_placement(case: CohortMembership, user: User, through: str, terms: SchemeTerms,
                     why: str) -> None:
    """Action upon selection (003): the IOM flag, and the workers' caseloads."""
    assert case.placed_on is not None
    people_services.add_record(
        nominal=case.nominal, kind="flag", acting_user=user, through=through, reason=why,
        fields={"kind": FlagKind.IOM, "start_date": case.placed_on,
                "description": f"IOM cohort: {terms.cohort_type_label(case.cohort_type)}"})
    for worker in {case.lead_professional, case.police_officer}:
        assert worker is not None
        if not worker.allocations.filter(nominal=case.nominal, end_date__isnull=True).exists():
            people_services.allocate(nominal=case.nominal, user=worker, acting_user=user,
                                     through=through, start=case.placed_on)
