"""Short ways to walk a test person through the lifecycle with the real services."""

from __future__ import annotations

from datetime import date
from typing import Any

from conftest import World
from iom.cohorts.lifecycle import Meeting, Outcome, services
from iom.cohorts.models import CohortMembership
from iom.people.models import Nominal

THROUGH = "test"
REFERRED = date(2025, 1, 6)
PLACED = date(2025, 1, 10)
# The shared test people have no conviction on record, so the common exclusion "no
# conviction in the last 6 months at liberty" applies to them under every policy: the
# panel accepts them only with a recorded partnership agreement.
AGREEMENT = ("Partnership agreement at the panel: included despite no recent conviction, "
             "on current police intelligence of acquisitive offending")


def fresh(case: CohortMembership) -> CohortMembership:
    return CohortMembership.objects.get(pk=case.pk)


def referral_fields(**extra: Any) -> dict[str, Any]:
    return {"referrer_name": "A Referrer", "current_offences": "Two dwelling burglaries this "
            "year and intelligence of shoplifting to fund drug use", "needs": ["drugs", "ete"],
            **extra}


def refer(world: World, person: Nominal | None = None, *, on: date = REFERRED,
          org: str = "police", policy: str = "derbyshire-2021", **fields: Any
          ) -> CohortMembership:
    return services.refer(nominal=person or world.person, policy_name=policy,
                          referring_organisation=world.orgs[org], referred_on=on,
                          fields=referral_fields(**fields), acting_user=world.users["police"],
                          through=THROUGH)


def to_panel(world: World, case: CohortMembership, on: date = REFERRED) -> CohortMembership:
    user = world.users["police"]
    services.start_research(membership=case, version=fresh(case).version, on=on,
                            reason="Collating police and probation records",
                            acting_user=user, through=THROUGH)
    services.send_to_panel(membership=case, version=fresh(case).version, on=on,
                           reason="Research complete, scores attached", acting_user=user,
                           through=THROUGH)
    return fresh(case)


def decide(world: World, case: CohortMembership, outcome: str = Outcome.ACCEPT, *,
           on: date = PLACED, agreeing: tuple[str, ...] = ("police", "probation"),
           present: tuple[str, ...] = ("police", "probation", "council"),
           meeting: str = Meeting.PANEL, rationale: str = "Prolific acquisitive offending "
           "linked to drug use; IOM adds value", agreement: str = AGREEMENT) -> Any:
    return services.record_panel_decision(
        membership=case, version=fresh(case).version, outcome=outcome, meeting=meeting,
        decided_on=on, rationale=rationale, present=[world.orgs[k] for k in present],
        agreeing=[world.orgs[k] for k in agreeing], acting_user=world.users["police"],
        through=THROUGH, exclusion_agreement=agreement)


def place(world: World, case: CohortMembership, *, on: date = PLACED, rag: str = "amber",
          cohort_type: str = "fixed", lead: str = "probation",
          professional: str = "probation") -> CohortMembership:
    services.place_on_cohort(
        membership=case, version=fresh(case).version, cohort_type=cohort_type,
        lead_agency=world.orgs[lead], lead_professional=world.users[professional],
        police_officer=world.users["police"], rag=rag, placed_on=on,
        reason="Panel allocation at the January panel", acting_user=world.users["police"],
        through=THROUGH)
    return fresh(case)


def on_cohort(world: World, person: Nominal | None = None, **kwargs: Any) -> CohortMembership:
    """Referred, researched, accepted and placed, with the defaults above."""
    case = to_panel(world, refer(world, person))
    decide(world, case)
    return place(world, case, **kwargs)


def youth_on_cohort(world: World) -> CohortMembership:
    """A 14-year-old placed in the Deter Young Offender strand, led by youth justice with
    a parent's consent (004 1.28)."""
    from iom.accounts.models import Role, User
    from iom.governance.models import ConsentStatus, GivenBy
    from iom.governance.services import record_consent
    from iom.people import services as people_services

    young = people_services.create_nominal(
        acting_user=None, through=THROUGH, organisation=world.orgs["police"],
        fields={"forename": "Young", "surname": "Person", "date_of_birth": date(2010, 5, 1),
                "gender": "M", "partnership": world.north})
    world.users["youth"] = User.objects.create_user(
        username="youth_worker", password="Not-used-in-tests-4821",
        organisation=world.orgs["youth_justice"], role=Role.PRACTITIONER)
    case = to_panel(world, refer(world, young))
    decide(world, case)
    record_consent(nominal=young, organisation=world.orgs["youth_justice"],
                   status=ConsentStatus.GIVEN, decided_on=PLACED,
                   given_by=GivenBy.PARENT_OR_GUARDIAN, guardian_name="A Parent",
                   acting_user=world.users["police"], through=THROUGH)
    return place(world, case, cohort_type="deter_young_offender", lead="youth_justice",
                 professional="youth")
