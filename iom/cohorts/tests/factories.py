"""Test data of the cohorts app, for its own tests and every other app's.

- Cases walked through the lifecycle by the real services (``refer``, ``to_panel``,
  ``decide``, ``place``, ``on_cohort``), so each step's rules and log entries apply.
- ``CaseFactory`` / ``case_on_cohort``: a case made directly, placed on the cohort,
  for tests about what comes after placement (case work, feeds, alerts).
- People with the records the selection rules read (``person``, ``event``,
  ``custody``, ``mappa``, ...), a stored scoring run (``store_scores``), and readers of
  a candidate list (``found``, ``criterion``, ``suggested``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import count
from typing import Any

from django.utils import timezone
from factory.declarations import LazyAttribute, SubFactory
from factory.django import DjangoModelFactory

from conftest import World
from iom.accounts.models import User
from iom.cohorts.candidates import Candidate, CandidateList
from iom.cohorts.lifecycle import CohortState, Meeting, Outcome, Rag, services
from iom.cohorts.models import CohortMembership
from iom.core.identifiers import make_pnc_id
from iom.people import services as people_services
from iom.people.models import (
    CustodyPeriod,
    Nominal,
    OffendingEvent,
    OrderLicence,
    ProtectionKind,
    PublicProtection,
)
from iom.scoring.models import ScoreRun, StoredScore

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


# People and records for the selection rules --------------------------------------

AS_AT = date(2025, 6, 2)
_serial = count(1)


def known_on(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9)))


def person(world: World, *, born: date = date(1990, 3, 21), name: str = "") -> Nominal:
    number = next(_serial)
    return people_services.create_nominal(
        acting_user=None, through="test", organisation=world.orgs["police"],
        fields={"forename": name or f"Test{number}", "surname": "Candidate",
                "date_of_birth": born, "gender": "M", "partnership": world.north,
                "pnc_id": make_pnc_id(2020, 500_000 + number)})


@dataclass
class Scores:
    ogrs3: int | None = None
    iom_matrix: float | None = None
    crime_severity: float | None = None
    risk: float | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _matrix_band(total: float) -> str:
    return "to_panel" if total >= 90 else (
        "professional_discretion" if total >= 80 else "not_eligible")


def _risk_grade(score: float) -> str:
    for lowest, grade in ((1000, "high"), (500, "medium"), (350, "low")):
        if score >= lowest:
            return grade
    return "not_brought_on"


def store_scores(world: World, scored: dict[Nominal, Scores], as_at: date = AS_AT) -> ScoreRun:
    """A finished nightly run as at the date, with each person's scores as given."""
    run = ScoreRun.objects.create(as_at=as_at, kind="nightly", people=len(scored),
                                  reference_version="test", finished_at=timezone.now())
    rows = []
    for nominal, s in scored.items():
        values = {
            "ogrs3": (s.ogrs3 / 100 if s.ogrs3 is not None else None, "",
                      {"percent_2y": s.ogrs3}),
            "iom_matrix": (s.iom_matrix, _matrix_band(s.iom_matrix or 0), {}),
            "crime_severity": (s.crime_severity, "", {}),
            "risk_of_reoffending": (s.risk, _risk_grade(s.risk or 0), {}),
            "emerging_threat": (0.0, s.extra.get("emerging_threat", ""), {})}
        rows += [StoredScore(nominal=nominal, name=name, as_at=as_at, value=value, band=band,
                             detail=detail, reference_version="test", run=run)
                 for name, (value, band, detail) in values.items()]
    StoredScore.objects.bulk_create(rows)
    return run


def event(world: World, nominal: Nominal, on: date, code: str, *, kind: str = "conviction",
          offence_on: date | None = None, domestic_abuse: bool = False) -> OffendingEvent:
    return OffendingEvent.objects.create(
        nominal=nominal, kind=kind, event_date=on, offence_date=offence_on, ho_code=code,
        domestic_abuse=domestic_abuse, originating_organisation=world.orgs["police"],
        recorded_at=known_on(on))


def custody(world: World, nominal: Nominal, start: date, release: date | None) -> CustodyPeriod:
    return CustodyPeriod.objects.create(
        nominal=nominal, custody_type="sentence", start_date=start, actual_release_date=release,
        originating_organisation=world.orgs["prison"], recorded_at=known_on(start))


def mappa(world: World, nominal: Nominal, level: int, start: date = date(2024, 1, 1)) -> None:
    PublicProtection.objects.create(
        nominal=nominal, kind=ProtectionKind.MAPPA, mappa_level=level, mappa_category=2,
        start_date=start, originating_organisation=world.orgs["probation"])


def registered(world: World, nominal: Nominal, start: date = date(2024, 1, 1),
               end: date | None = None) -> None:
    PublicProtection.objects.create(
        nominal=nominal, kind=ProtectionKind.SEX_OFFENDER_REGISTER, start_date=start,
        end_date=end, originating_organisation=world.orgs["police"])


def youth_order(world: World, nominal: Nominal, start: date = date(2025, 3, 1)) -> None:
    OrderLicence.objects.create(nominal=nominal, kind="yro", start_date=start,
                                originating_organisation=world.orgs["youth_justice"])


def on_probation(world: World, nominal: Nominal, kind: str = "community_order",
                 start: date = date(2024, 7, 2), end: date | None = None) -> None:
    """A current order Probation supervises (001 s4.1: "current to Probation services")."""
    OrderLicence.objects.create(nominal=nominal, kind=kind, start_date=start, end_date=end,
                                originating_organisation=world.orgs["probation"])


def found(listed: CandidateList, nominal: Nominal) -> Candidate | None:
    return next((c for c in listed.candidates if c.nominal_id == nominal.pk), None)


def criterion(candidate: Candidate | None, starts: str) -> tuple[bool, str]:
    assert candidate is not None, "the person is not listed"
    hit = next(c for c in candidate.criteria if c.label.startswith(starts))
    return hit.met, hit.why


def suggested(listed: CandidateList, nominal: Nominal) -> str | None:
    candidate = found(listed, nominal)
    if candidate is None or candidate.suggested_cohort_type is None:
        return None
    return candidate.suggested_cohort_type[0]


# A case made directly ------------------------------------------------------------


class CaseFactory(DjangoModelFactory[CohortMembership]):
    """A case on the cohort under Derbyshire 2021, GREEN, placed on ``placed_on``."""

    class Meta:
        model = CohortMembership

    nominal = SubFactory("iom.people.tests.factories.NominalFactory")
    policy_name = "derbyshire_2021"
    policy_version = 1
    state = CohortState.ON_COHORT
    rag = Rag.GREEN
    placed_on = date(2025, 1, 6)
    opened_on = LazyAttribute(lambda case: case.placed_on)
    lead_professional = None
    ended_on = None


def case_on_cohort(nominal: Nominal, placed_on: date, lead: User | None = None,
                   state: str = CohortState.ON_COHORT,
                   ended_on: date | None = None) -> CohortMembership:
    return CaseFactory.create(nominal=nominal, placed_on=placed_on, lead_professional=lead,
                       state=state, ended_on=ended_on)
