"""Demo cases for the Northshire demo partnership, made through the lifecycle services.

The most active demo people are referred, researched, decided and placed by
the IOM coordinator, so the dashboard shows every RAG status, people in
custody (BLUE), deselection under way, exits and people still on their way to
the panel. A step the rules refuse for a person (for example, offending that
restarts the exit clock) is left out for that person, as it would be in life.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from iom.accounts.models import Organisation, User
from iom.cohorts import selectors
from iom.cohorts.lifecycle import Meeting, Outcome, Rag, services
from iom.cohorts.models import CohortMembership
from iom.core.errors import DomainError
from iom.governance.models import ConsentStatus
from iom.governance.services import record_consent
from iom.people.models import CustodyPeriod, Nominal

THROUGH = "command seed_demo"
POLICY = "derbyshire-2021"
RAGS = [Rag.RED, Rag.AMBER_ALERT, Rag.AMBER, Rag.AMBER, Rag.GREEN, Rag.GREEN]
TYPES = ["fixed"] * 7 + ["flex"] * 2 + ["free"]
RAG_REASONS: dict[str, str] = {
    Rag.RED: "Circulated as wanted on PNC after failing to appear at court",
    Rag.AMBER_ALERT: "Intelligence of further shoplifting and missed two appointments",
    Rag.AMBER: "Missed a drug test; intelligence suggests contact with old associates",
    Rag.GREEN: "Engaging with probation and treatment; no intelligence of offending",
}
DEMO_AGREEMENT = ("Agreed by police, probation and the council at the panel: included "
                  "despite the exclusion on current intelligence")
RELEASED = "Released from custody; engaging with probation but still at risk of offending"


REFUSES_CONSENT = 11  # the demo person who refuses consent to share


class Team:
    def __init__(self, users: dict[str, User], orgs: dict[str, Organisation]) -> None:
        self.coordinator = users["coordinator"]
        self.officer = users["police.om"]
        self.probation = users["probation.officer"]
        self.orgs = orgs


def seed_cases(*, people: list[Nominal], users: dict[str, User],
               orgs: dict[str, Organisation], as_of: date, seed: int,
               say: Callable[[str], None]) -> int:
    """Give ``people`` (the most active adults first) believable cases; returns how many."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    team = Team(users, orgs)
    adults = [p for p in people if p.age_on(as_of) >= 18]
    # A few people in custody (BLUE), the rest at liberty, as on a real cohort.
    inside = [p for p in adults if selectors.custody_on(p.pk, as_of) is not None]
    adults = [*inside[:5], *(p for p in adults if p not in inside)]
    made = 0
    for index, nominal in enumerate(adults[:48]):
        try:
            with transaction.atomic():
                _case_for(index, nominal, team, as_of, rng)
            made += 1
        except DomainError:
            continue
    say(f"Placed demo people on the cohort and at other stages ({made} cases).")
    return made


def _case_for(index: int, nominal: Nominal, team: Team, as_of: date,
              rng: random.Random) -> None:
    if index >= 40:  # still on the way to the panel
        _to_panel(nominal, team, as_of - timedelta(days=rng.randint(3, 40)),
                  stage=index % 4)
        return
    placed = as_of - timedelta(days=rng.randint(35, 200) if index % 8 else 400 + index)
    case = _place(nominal, team, placed, TYPES[index % len(TYPES)], RAGS[index % len(RAGS)])
    services.apply_custody(membership=case, on=as_of, acting_user=team.coordinator,
                           through=THROUGH)
    if _fresh(case).rag == Rag.BLUE and selectors.custody_on(nominal.pk, as_of) is None:
        # Placed while inside and released since: out of BLUE on release or after it
        # (change_rag refuses a day still in custody).
        after = as_of - timedelta(days=rng.randint(20, 30))
        _rag(case, team, max(after, _released_by(nominal, as_of)), Rag.AMBER)
    if index % 8 == 0:
        _deselect(case, team, placed, as_of, leave=index % 16 == 0)
    elif index % 5 == 0 and _fresh(case).rag != Rag.BLUE:
        _rag(case, team, as_of - timedelta(days=rng.randint(5, 25)))
    if index == REFUSES_CONSENT:  # catch and control until they agree (004 1.24)
        record_consent(nominal=nominal, organisation=team.orgs["drug_alcohol"],
                       status=ConsentStatus.REFUSED, decided_on=as_of - timedelta(days=12),
                       acting_user=team.coordinator, through=THROUGH,
                       note="Declined to share with the recovery service at a home visit.")
    if index % 6 != 1:  # most reviewed lately (up to today); a few overdue
        today = timezone.localdate()
        _review(case, team, max(as_of - timedelta(days=5), today - timedelta(
            days=rng.randint(0, 30))))


def _released_by(nominal: Nominal, day: date) -> date:
    """The person's last release from custody on or before ``day``."""
    released = CustodyPeriod.objects.filter(
        nominal=nominal, actual_release_date__lte=day).aggregate(last=Max(
            "actual_release_date"))["last"]
    return released or date.min


def _fresh(case: CohortMembership) -> CohortMembership:
    return CohortMembership.objects.get(pk=case.pk)


def _common(team: Team) -> dict[str, Any]:
    return {"acting_user": team.coordinator, "through": THROUGH}


def _to_panel(nominal: Nominal, team: Team, referred: date, stage: int = 3
              ) -> CohortMembership:
    """Referred (stage 0), researching (1), awaiting the panel (2 and 3)."""
    case = services.refer(
        nominal=nominal, policy_name=POLICY, referring_organisation=team.orgs["police"],
        referred_on=referred, **_common(team), fields={
            "referrer_name": team.officer.display_name,
            "current_offences": "Repeat acquisitive offending: burglary and shoplifting, "
                                "linked to drug use", "needs": ["drugs", "accommodation"],
            "previously_iom": "no"})
    if stage >= 1:
        services.start_research(membership=case, version=_fresh(case).version, on=referred,
                                reason="Collating police, probation and partner records",
                                **_common(team))
    if stage >= 2:
        services.send_to_panel(membership=case, version=_fresh(case).version,
                               on=referred + timedelta(days=1),
                               reason="Research complete: scores and needs attached",
                               **_common(team))
    return _fresh(case)


def _place(nominal: Nominal, team: Team, placed: date, cohort_type: str, rag: str
           ) -> CohortMembership:
    case = _to_panel(nominal, team, placed - timedelta(days=14))
    orgs = team.orgs
    decided = placed - timedelta(days=7)
    # A demo person to whom an exclusion applies joins, as anyone would, only on a
    # recorded partnership agreement.
    excluded = services.exclusions_on(case, decided, cohort_type)
    services.record_panel_decision(
        membership=case, version=_fresh(case).version, outcome=Outcome.ACCEPT,
        meeting=Meeting.PANEL, decided_on=decided,
        rationale="Prolific acquisitive offending linked to drug use; IOM adds value",
        present=[orgs["police"], orgs["probation"], orgs["council"]],
        agreeing=[orgs["police"], orgs["probation"]], proposed_cohort_type=cohort_type,
        exclusion_agreement=DEMO_AGREEMENT if excluded else "", **_common(team))
    lead_police = cohort_type == "flex"
    services.place_on_cohort(
        membership=case, version=_fresh(case).version, cohort_type=cohort_type,
        lead_agency=orgs["police"] if lead_police else orgs["probation"],
        lead_professional=team.officer if lead_police else team.probation,
        police_officer=team.officer, rag=rag, placed_on=placed,
        reason="Allocated at the monthly panel", **_common(team))
    return _fresh(case)


def _rag(case: CohortMembership, team: Team, on: date, to: str | None = None) -> None:
    current = _fresh(case)
    to = to or (Rag.RED if current.rag != Rag.RED else Rag.AMBER)
    try:
        with transaction.atomic():
            services.change_rag(membership=current, version=current.version, to=to, on=on,
                                reason=RAG_REASONS[to] if current.rag != Rag.BLUE
                                else RELEASED, **_common(team))
    except DomainError:
        return


def _review(case: CohortMembership, team: Team, on: date) -> None:
    current = _fresh(case)
    try:
        with transaction.atomic():
            services.review(membership=current, version=current.version, on=on,
                            notes="Monthly review: plan on track, partners updated",
                            **_common(team))
    except DomainError:
        return


def _deselect(case: CohortMembership, team: Team, placed: date, as_of: date, *,
              leave: bool) -> None:
    """Deselection considered lately; or, for the longest-standing, told and exited."""
    told = placed + timedelta(days=200)
    steps: list[tuple[Callable[..., Any], dict[str, Any]]] = [
        (services.consider_deselection, {
            "on": told if leave else as_of - timedelta(days=20),
            "reason": "Six months without further offending approaching"}),
    ]
    if leave:
        steps += [
            (services.notify_deselection, {
                "on": told, "reason": "Told at a three-way meeting with probation"}),
            (services.exit_cohort, {
                "on": as_of - timedelta(days=5), "reason": "Exit strategy agreed with the "
                                                           "person and partners",
                "supporting_intelligence": "No intelligence of further offending",
                "monitored": placed.day % 2 == 0}),
        ]
    for step, arguments in steps:
        current = _fresh(case)
        try:
            with transaction.atomic():
                step(membership=current, version=current.version, **arguments,
                     **_common(team))
        except DomainError:
            return


# Westmoor: the second demo partnership, working West Yorkshire's policy (003), which
# runs a prevent and deter strand (004 1.8). Every date is counted back from today.
WEST_POLICY = "west-yorkshire"


def seed_west_yorkshire(*, brack: Nominal, ashby: Nominal, users: dict[str, User],
                        orgs: dict[str, Organisation], today: date,
                        say: Callable[[str], None]) -> None:
    """Two Westmoor cases through the lifecycle services: Brack placed on the Risk of
    reoffending cohort and moved, after placement, into prevent and deter (004 1.8:
    "frustration and disruption tactics ... for adults or young people"); Ashby on
    the Risk of harm cohort in the standard strand."""
    coordinator, officer = users["westmoor.coordinator"], users["outsider"]
    police, probation = orgs["west_police"], orgs["west_probation"]
    common: dict[str, Any] = {"acting_user": coordinator, "through": THROUGH}
    for nominal, cohort_type, placed, rationale in (
            (brack, "risk_of_reoffending", today - timedelta(days=35),
             "Frequent thefts from vehicles and shoplifting; on no order, so the police "
             "lead"),
            (ashby, "risk_of_harm", today - timedelta(days=100),
             "Repeated assaults on a partner; on a community order")):
        with transaction.atomic():
            case = services.refer(
                nominal=nominal, policy_name=WEST_POLICY, referring_organisation=police,
                referred_on=placed - timedelta(days=14), **common, fields={
                    "referrer_name": officer.display_name, "current_offences": rationale,
                    "needs": (["peers", "ete"] if nominal == brack
                              else ["relationships", "thinking"]),
                    "previously_iom": "no"})
            services.start_research(membership=case, version=_fresh(case).version,
                                    on=placed - timedelta(days=14),
                                    reason="Collating police and probation records", **common)
            services.send_to_panel(membership=case, version=_fresh(case).version,
                                   on=placed - timedelta(days=13),
                                   reason="Research complete: scores attached", **common)
            services.record_panel_decision(
                membership=case, version=_fresh(case).version, outcome=Outcome.ACCEPT,
                meeting=Meeting.PANEL, decided_on=placed - timedelta(days=7),
                rationale=rationale, present=[police, probation], agreeing=[police, probation],
                proposed_cohort_type=cohort_type, **common)
            services.place_on_cohort(
                membership=case, version=_fresh(case).version, cohort_type=cohort_type,
                lead_agency=police, lead_professional=officer, police_officer=officer,
                rag=Rag.AMBER, placed_on=placed, reason="Allocated at the selection board",
                **common)
            if nominal == brack:
                services.change_strand(
                    membership=_fresh(case), version=_fresh(case).version,
                    to="prevent_and_deter", on=today - timedelta(days=21),
                    reason="Not engaging and on no order: police disruption of his "
                           "offending at car parks (prevent and deter)", **common)
            services.review(membership=_fresh(case), version=_fresh(case).version,
                            on=today - timedelta(days=7),
                            notes="Monthly review: partners updated", **common)
    say("Westmoor: two cases on the West Yorkshire policy, one in prevent and deter.")
