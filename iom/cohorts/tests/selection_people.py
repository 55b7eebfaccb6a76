"""Building test people whose records sit just inside or just outside a policy's rules.

Scores are stored as a finished scoring run, exactly as the nightly job leaves
them, so a test can place a person on a threshold (OGRS 3 of exactly 90).
Records are dated as known on the day they happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import count

from django.utils import timezone

from conftest import World
from iom.cohorts.candidates import Candidate, CandidateList
from iom.core.identifiers import make_pnc_id
from iom.people import services
from iom.people.models import (
    CustodyPeriod,
    Nominal,
    OffendingEvent,
    OrderLicence,
    ProtectionKind,
    PublicProtection,
)
from iom.scoring.models import ScoreRun, StoredScore

AS_AT = date(2025, 6, 2)
_serial = count(1)


def known_on(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9)))


def person(world: World, *, born: date = date(1990, 3, 21), name: str = "") -> Nominal:
    number = next(_serial)
    return services.create_nominal(
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
