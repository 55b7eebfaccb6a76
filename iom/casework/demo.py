"""Demo case work for the Northshire demo partnership, made through the services.

A few people on the cohort get an intervention plan with needs, referrals,
responses and outcomes, some actions and contacts, and one a generated
document; one has an earlier plan that was replaced; one person who left the
cohort has a recorded deregistration (the monthly tag audits come from the tag
inventory, iom.monitoring.demo). Dates are
counted back from today because the services refuse dates in the future.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction

from iom.accounts.models import Organisation, User
from iom.cohorts.lifecycle import MANAGED_STATES
from iom.cohorts.models import CohortMembership
from iom.core.errors import DomainError
from iom.people.models import Nominal
from iom.scoring.models import EmergingThreat

from . import services
from .services.base import today
from .services.compliance import LEFT_STATES

THROUGH = "command seed_demo"
PLANS = 6

# pathway, level, what the need is, the service offered, how the person responded
NEEDS = [
    ("accommodation", "high", "Sofa-surfing since release; no tenancy.",
     "Northshire Homes supported housing", "Viewed a room and accepted the offer."),
    ("drugs", "high", "Daily heroin use; previously on a script.",
     "Northshire Recovery Partnership", "Attends weekly and tests mostly clean."),
    ("ete", "medium", "No work for three years; wants to train as a driver.",
     "Jobcentre work coach", "Missed the first appointment; rebooked."),
    ("finance", "low", "Rent arrears of about 400 pounds.",
     "Citizens Advice debt clinic", "Agreed a repayment plan."),
]
ACTIONS = [
    ("Check the new address with the landlord", "high", 3),
    ("Book a joint home visit with probation", "medium", 7),
    ("Ask the recovery worker for the last test results", "low", 14),
]
CONTACTS = [("home_visit", "kept", "Seen at home; engaging well."),
            ("appointment", "missed", "Did not attend; phoned later to apologise."),
            ("appointment", "kept", "Attended probation on time.")]


def seed_casework(*, users: dict[str, User], orgs: dict[str, Organisation],
                  say: Callable[[str], None]) -> None:
    """Plans, actions, contacts and compliance records for a few demo people."""
    officer, probation = users["police.om"], users["probation.officer"]
    partnership = officer.partnership_id or 0
    managed = CohortMembership.objects.filter(
        state__in=MANAGED_STATES, nominal__partnership_id=partnership).select_related(
        "nominal").order_by("placed_on", "pk")
    made = 0
    for index, case in enumerate(managed[:PLANS]):
        try:
            with transaction.atomic():
                _plan_for(case.nominal, index, officer, probation, orgs)
            made += 1
        except DomainError:
            continue
    _left(partnership, officer)
    _threat_review(partnership, officer)
    say(f"Gave {made} people on the cohort a plan, actions and contacts.")


def _plan_for(nominal: Nominal, index: int, officer: User, probation: User,
              orgs: dict[str, Organisation]) -> None:
    day = today()
    if index == 1:  # an earlier plan, replaced, so the page shows the history
        earlier = services.start_plan(nominal=nominal, started_on=day - timedelta(days=60),
                                      summary="", acting_user=officer, through=THROUGH)
        services.close_plan(plan=earlier, closed_on=day - timedelta(days=21), reason="replaced",
                            note="Rewritten after release from custody.", acting_user=officer,
                            through=THROUGH)
    plan = services.start_plan(nominal=nominal, started_on=day - timedelta(days=20),
                               summary="Agreed with the person at the first meeting.",
                               acting_user=officer, through=THROUGH)
    for pathway, level, what, service, response in NEEDS[: 2 + index % 3]:
        need = services.add_need(plan=plan, pathway=pathway, level=level, description=what,
                                 assessed_on=day - timedelta(days=19), acting_user=officer,
                                 through=THROUGH)
        referral = services.refer_to_service(need=need, service=service, organisation=None,
                                             referred_on=day - timedelta(days=15),
                                             acting_user=officer, through=THROUGH)
        services.record_referral_response(referral=referral, status="started",
                                          response=response, on=day - timedelta(days=8),
                                          acting_user=probation, through=THROUGH)
    if index % 3 != 2:  # a few plans still wait for endorsement, so the dashboard shows them
        services.endorse_plan(plan=plan, endorsed_on=day - timedelta(days=14 + index),
                              acting_user=officer, through=THROUGH)
    services.record_outcome(plan=plan, kind="engagement", status="engaging" if index % 2
                            else "partly", recorded_on=day - timedelta(days=5), note="",
                            acting_user=officer, through=THROUGH)
    _actions_and_contacts(nominal, index, officer, probation, orgs)


def _actions_and_contacts(nominal: Nominal, index: int, officer: User, probation: User,
                          orgs: dict[str, Organisation]) -> None:
    day = today()
    for number, (title, priority, days) in enumerate(ACTIONS[: 1 + index % 3]):
        owner = {"owner_user": officer} if number % 2 == 0 else {
            "owner_organisation": orgs["probation"]}
        services.create_action(nominal=nominal, title=title, due_on=day + timedelta(days=days),
                               priority=priority, source_kind="plan", source_ref="",
                               acting_user=officer, through=THROUGH, **owner)
    for number, (kind, outcome, note) in enumerate(CONTACTS[: 1 + index % 3]):
        services.record_contact(nominal=nominal, kind=kind, outcome=outcome, note=note,
                                happened_on=day - timedelta(days=2 + 5 * number),
                                acting_user=probation, through=THROUGH)
    if index == 0:
        services.generate_document(nominal=nominal, kind="intervention_statement",
                                   acting_user=officer, through=THROUGH,
                                   reason="On own caseload")


def _left(partnership: int, officer: User) -> None:
    """One person who left the cohort, with the deregistration recorded."""
    case = CohortMembership.objects.filter(
        state__in=LEFT_STATES, ended_on__isnull=False,
        nominal__partnership_id=partnership).order_by("pk").first()
    if case is None or case.ended_on is None:
        return
    day, ended = today(), min(case.ended_on, today())
    try:
        with transaction.atomic():
            services.record_deregistration(membership=case, recorded_on=min(
                ended + timedelta(days=3), day), rationale="Exit agreed at the panel.",
                acting_user=officer, through=THROUGH)
    except DomainError:
        return


def _threat_review(partnership: int, officer: User) -> None:
    threat = EmergingThreat.objects.filter(nominal__partnership_id=partnership,
                                           raised_on__lte=today()).first()
    if threat is None:
        return
    services.review_threat(threat=threat, reviewed_on=today(), outcome="keep_watching",
                           rationale="Score rose after two arrests; keep under review.",
                           acting_user=officer, through=THROUGH)
