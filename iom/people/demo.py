"""The fictional Northshire demo partnership, built through the same services as users use.

Everything is derived from one seed, so two runs give the same people and
histories. The offending histories come from the synthetic generator
(``iom.synthetic``, the same one the benchmarks use) at a small size; this
module turns its rows into service calls, so every record lands in the access
log like any other change.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import Count

from iom.accounts.models import (
    STATUTORY_KINDS,
    District,
    Organisation,
    OrganisationKind,
    Partnership,
    Role,
    User,
)
from iom.core.identifiers import make_pnc_id
from iom.governance.models import ConsentStatus, GivenBy
from iom.governance.services import record_consent, record_involvement

from . import services
from .models import Nominal, SourceSystem

THROUGH = "command seed_demo"
DEMO_AS_OF = date(2026, 11, 1)
PARTNERSHIP = "Northshire"
# The second, small partnership: it works West Yorkshire's policy, which runs a prevent
# and deter strand (004 1.8), so the demo shows the strand working (README, "The demo
# partnerships").
WEST_PARTNERSHIP = "Westmoor"
WEST_DISTRICTS = ("Westmoor Central", "Moorside")
DISTRICTS = ("Northshire City", "Eastbridge", "Southvale", "Westford", "Kingsmere",
             "Harrowdale", "Millbrook", "Upper Fenwick", "Lowmoor")

ORGANISATIONS: dict[str, tuple[str, OrganisationKind]] = {
    "police": ("Northshire Police", OrganisationKind.POLICE),
    "probation": ("Northshire Probation Service", OrganisationKind.PROBATION),
    "prison": ("HMP Northshire", OrganisationKind.PRISON),
    "council": ("Northshire City Council", OrganisationKind.COUNCIL),
    "youth_justice": ("Northshire Youth Justice Service", OrganisationKind.YOUTH_JUSTICE),
    "drug_alcohol": ("Northshire Recovery Partnership", OrganisationKind.DRUG_ALCOHOL),
    "housing": ("Northshire Homes Housing Association", OrganisationKind.HOUSING),
    "voluntary": ("Second Chance Mentoring", OrganisationKind.VOLUNTARY),
}

# username, organisation key, role, first name, last name, what the persona shows
PERSONAS: list[tuple[str, str, Role, str, str, str]] = [
    ("police.om", "police", Role.OFFENDER_MANAGER, "Pat", "Officer",
     "police offender manager: sees everyone, intelligence and MAPPA"),
    ("police.supervisor", "police", Role.SUPERVISOR, "Sam", "Sergeant", "police supervisor"),
    ("coordinator", "police", Role.COORDINATOR, "Casey", "Coordinator", "IOM coordinator"),
    ("probation.officer", "probation", Role.PROBATION_OFFICER, "Robin", "Probation",
     "probation officer: MAPPA but no intelligence"),
    ("prison.pom", "prison", Role.PRISON_OFFICER, "Jordan", "Prison",
     "prison offender manager"),
    ("yjs.officer", "youth_justice", Role.YOUTH_JUSTICE_OFFICER, "Alex", "Youth",
     "youth justice officer"),
    ("housing.officer", "council", Role.HOUSING_OFFICER, "Morgan", "Council",
     "council housing officer: no intelligence or MAPPA"),
    ("recovery.worker", "drug_alcohol", Role.PRACTITIONER, "Taylor", "Recovery",
     "drug and alcohol worker: only people who consented"),
    ("homes.worker", "housing", Role.PRACTITIONER, "Jamie", "Homes",
     "housing association worker: only people who consented"),
    ("mentor", "voluntary", Role.PRACTITIONER, "Charlie", "Mentor",
     "voluntary mentor: only people involved with the charity who consented"),
    ("analyst", "police", Role.ANALYST, "Avery", "Analyst", "analyst: no named people"),
    ("board.member", "council", Role.BOARD_MEMBER, "Blair", "Board",
     "board member: the board pack only"),
    ("dpo", "council", Role.DATA_PROTECTION_OFFICER, "Dana", "Protection",
     "data-protection officer: who has seen each person"),
    ("admin", "police", Role.ADMIN, "Ari", "Admin", "administrator: organisations and users"),
    ("outsider", "west_police", Role.OFFENDER_MANAGER, "Otto", "Westmoor",
     "Westmoor offender manager, another partnership: sees nobody in Northshire"),
    ("westmoor.coordinator", "west_police", Role.COORDINATOR, "Wren", "Moorcroft",
     "Westmoor IOM coordinator: the West Yorkshire policy, with prevent and deter"),
]

EVENT_ORGANISATION = {
    "arrest": "police", "charge": "police", "caution": "police", "conviction": "police",
    "breach": "probation", "recall": "probation",
}
STREETS = ("Mill Lane", "Station Road", "Church Street", "Park View", "Victoria Road",
           "Queen Street", "The Crescent", "Orchard Close", "Canal Side", "High Street")


@dataclass
class DemoResult:
    password: str
    logins: list[tuple[str, str]]
    people: int
    records: int = 0
    created: bool = True
    notes: list[str] = field(default_factory=list)


# Each organisation's legal basis for sharing (000 ISA s4: a statutory power or duty,
# or the person's consent; a commissioned service under its contract).
S115 = "Crime and Disorder Act 1998, s115 (disclosure for the purposes of the Act) and s17"
LEGAL_BASES: dict[str, tuple[str, str]] = {
    "police": ("statutory", f"{S115}; the common law duty to protect the public"),
    "probation": ("statutory", "Offender Management Act 2007, s14; " + S115),
    "prison": ("statutory", "Offender Management Act 2007, s14; " + S115),
    "council": ("statutory", S115),
    "youth_justice": ("statutory", "Crime and Disorder Act 1998, s37 and s115"),
    "drug_alcohol": ("contract", ""),
    "housing": ("consent", ""),
    "voluntary": ("consent", ""),
    "west_police": ("statutory", f"{S115}; the common law duty to protect the public"),
    "west_probation": ("statutory", "Offender Management Act 2007, s14; " + S115),
}
PURPOSES = "Reducing reoffending and protecting the public through IOM (000 ISA s6)"


def _legal_bases(orgs: dict[str, Organisation]) -> None:
    from iom.governance.services import record_sharing_basis

    for key, (basis, legislation) in LEGAL_BASES.items():
        record_sharing_basis(organisation=orgs[key], basis=basis, legislation=legislation,
                             purposes=PURPOSES, acting_user=None, through=THROUGH)


# People whose records' time is up (000 ISA s8, retention.toml), so that the DPO's
# retention review has work and a real run of apply_retention has someone to erase:
# (forename, surname, born, Home Office code, years since they last came to notice).
RETENTION_EXAMPLES = (
    ("Arthur", "Oldcase", date(1958, 4, 2), "45", 8),     # group 3: disposed of when due
    ("Brian", "Longserve", date(1962, 9, 14), "104", 12),  # group 2: for review
)


# Possession with intent to supply (001 s4.3, Derbyshire 2021 Free): 92A covers supply and
# production, so the feed gives the exact OGRS 3 category with the conviction.
SUPPLY_EXAMPLE = ("Jordan", "Supplied", 23, "drug_possession_supply")


def _supply_example(orgs: dict[str, Organisation]) -> None:
    """Seven shoplifting convictions from 16, then 92A 45 days before the demo day: an
    OGRS 3 over 50 once the category is known, so Free is proposed (docs/policies.md)."""
    forename, surname, age, category = SUPPLY_EXAMPLE
    nominal = services.create_nominal(
        acting_user=None, through=THROUGH, organisation=orgs["police"],
        source_system=SourceSystem.DEMO,
        fields={"forename": forename, "surname": surname, "gender": "M",
                "date_of_birth": date(DEMO_AS_OF.year - age, 5, 1),
                # A serial far above the generator's, so no synthetic person holds it.
                "pnc_id": make_pnc_id(DEMO_AS_OF.year - age + 16, 9_990_001),
                "partnership": orgs["police"].partnership,
                "district": orgs["police"].partnership.districts.order_by("pk").first()})
    for n in range(1, 8):
        when = date(DEMO_AS_OF.year - age + 16 + n // 2, 1 + (n % 2) * 5, 10)
        _add(nominal, "event", orgs["police"], {"kind": "conviction", "event_date": when,
                                                "ho_code": "46", "disposal": "fine"},
             SourceSystem.PNC, when)
    when = DEMO_AS_OF - timedelta(days=45)
    _add(nominal, "event", orgs["police"], {"kind": "conviction", "event_date": when,
                                            "ho_code": "92A", "disposal": "community",
                                            "ogrs3_category": category}, SourceSystem.PNC, when)


def _retention_examples(orgs: dict[str, Organisation]) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    for forename, surname, born, code, years in RETENTION_EXAMPLES:
        nominal = services.create_nominal(
            acting_user=None, through=THROUGH, organisation=orgs["police"],
            source_system=SourceSystem.DEMO,
            fields={"forename": forename, "surname": surname, "date_of_birth": born,
                    "gender": "M", "partnership": orgs["police"].partnership})
        when = date(today.year - years, today.month, min(today.day, 28))
        _add(nominal, "event", orgs["police"], {"kind": "conviction", "event_date": when,
                                                "offence_date": when, "ho_code": code,
                                                "disposal": "fine"}, SourceSystem.PNC, when)


def demo_exists() -> bool:
    return Partnership.objects.filter(name=PARTNERSHIP).exists()


def seed_demo(*, people: int = 300, seed: int = 20151,
              progress: Callable[[str], None] | None = None) -> DemoResult:
    """Create the demo partnership, its users and ``people`` people with histories."""
    from iom.synthetic import generate

    say = progress or (lambda _msg: None)
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    password = f"Demo-{secrets.token_urlsafe(9)}"
    with transaction.atomic():
        orgs, districts = _partnership()
        _legal_bases(orgs)
        users = _personas(orgs, password)
    tables = generate(people=people, seed=seed, as_of=DEMO_AS_OF)
    say(f"Generated {tables.people.height} people and {tables.events.height} events.")
    by_person = _group(tables)
    result = DemoResult(password=password, people=0,
                        logins=[(p[0], p[5]) for p in PERSONAS])
    for row in tables.people.iter_rows(named=True):
        with transaction.atomic():
            result.records += _person(row, by_person, orgs, districts, rng)
        result.people += 1
        if result.people % 50 == 0:
            say(f"  {result.people} people recorded")
    _caseloads(users, orgs, rng)
    _score_history(orgs["police"].partnership, say)
    _cohort(users, orgs, seed, say)
    with transaction.atomic():  # after the cohort, so that no case keeps them
        _retention_examples(orgs)
        _supply_example(orgs)
    result.people += len(RETENTION_EXAMPLES) + 1
    result.people += _westmoor(users, orgs, say)
    return result


# Westmoor's people (forename, surname, age): one moved into prevent and deter after
# placement, one on the cohort in the standard strand, one a candidate (README, "The
# demo partnerships").
WESTMOOR_PEOPLE = (("Kieran", "Brack", 21), ("Leon", "Ashby", 34), ("Shane", "Tolley", 27))


def _westmoor(users: dict[str, User], orgs: dict[str, Organisation],
              say: Callable[[str], None]) -> int:
    """Westmoor's few people, with histories dated back from today (not the demo day)
    so that what the pages show of them holds on whatever day the demo is loaded."""
    from django.utils import timezone

    today = timezone.localdate()
    west = orgs["west_police"].partnership
    districts = list(west.districts.order_by("pk"))
    made = {}
    with transaction.atomic():
        for i, (forename, surname, age) in enumerate(WESTMOOR_PEOPLE):
            made[surname] = services.create_nominal(
                acting_user=None, through=THROUGH, organisation=orgs["west_police"],
                source_system=SourceSystem.DEMO,
                fields={"forename": forename, "surname": surname, "gender": "M",
                        "date_of_birth": date(today.year - age, 3 + i, 14),
                        # Serials far above the generator's and the supply example's.
                        "pnc_id": make_pnc_id(today.year - age + 15, 9_990_101 + i),
                        "partnership": west, "district": districts[i % len(districts)]})
        for surname, history in _westmoor_histories(today).items():
            for kind, org, fields, known in history:
                _add(made[surname], kind, orgs[org], fields,
                     SourceSystem.PROBATION_CASE if kind == "order" else SourceSystem.PNC,
                     known)
    from iom.cohorts.demo import seed_west_yorkshire

    seed_west_yorkshire(brack=made["Brack"], ashby=made["Ashby"], users=users, orgs=orgs,
                        today=today, say=say)
    return len(made)


def _westmoor_histories(today: date) -> dict[str, list[tuple[str, str, dict[str, Any], date]]]:
    """Each Westmoor person's records: (kind, organisation key, fields, day known)."""
    def ago(days: int) -> date:
        return today - timedelta(days=days)

    def conviction(days: int, code: str, disposal: str, *, domestic: bool = False
                   ) -> tuple[str, str, dict[str, Any], date]:
        return ("event", "west_police", {
            "kind": "conviction", "event_date": ago(days), "offence_date": ago(days + 30),
            "ho_code": code, "disposal": disposal, "domestic_abuse": domestic}, ago(days))

    return {
        # Shoplifting and thefts from vehicles, on no order: the police's to disrupt.
        "Brack": [conviction(700, "46", "fine"), conviction(420, "48", "discharge"),
                  conviction(150, "46", "fine"), conviction(75, "48", "fine"),
                  ("event", "west_police", {"kind": "arrest", "event_date": ago(20),
                                            "ho_code": "48"}, ago(20))],
        # Assaults on a partner; a community order for the latest.
        "Ashby": [conviction(900, "105A", "fine", domestic=True),
                  conviction(160, "8N", "community", domestic=True),
                  ("order", "west_probation", {
                      "kind": "community_order", "start_date": ago(160),
                      "end_date": ago(160) + timedelta(days=540),
                      "requirements": "Building Better Relationships programme"}, ago(160))],
        # A domestic-abuse assault two months ago: a Risk of harm candidate, on no case.
        "Tolley": [conviction(1200, "46", "fine"),
                   conviction(60, "105A", "community", domestic=True),
                   ("order", "west_probation", {
                       "kind": "community_order", "start_date": ago(60),
                       "end_date": ago(60) + timedelta(days=365),
                       "requirements": "Unpaid work 100 hours"}, ago(60))],
    }


def _cohort(users: dict[str, User], orgs: dict[str, Organisation], seed: int,
            say: Callable[[str], None]) -> None:
    """Cases through the cohort lifecycle and some case work, so the pages are not empty."""
    from iom.cohorts.demo import seed_cases

    seed_cases(people=_most_active(orgs["police"].partnership), users=users, orgs=orgs,
               as_of=DEMO_AS_OF, seed=seed, say=say)
    from iom.casework.demo import seed_casework

    seed_casework(users=users, orgs=orgs, say=say)
    from iom.meetings.demo import seed_meetings

    seed_meetings(users=users, orgs=orgs, say=say)
    from iom.monitoring.demo import seed_tags

    seed_tags(users=users, say=say)


def _score_history(partnership: Partnership, say: Callable[[str], None]) -> None:
    """Monthly scores over the demo's last year, as the nightly job would have stored."""
    from iom.scoring.services import score_partnership

    for months_back in range(12, -1, -1):
        as_at = date(DEMO_AS_OF.year - (months_back > DEMO_AS_OF.month - 1),
                     (DEMO_AS_OF.month - months_back - 1) % 12 + 1, 1)
        score_partnership(people=partnership.nominals.all(), as_at=as_at, kind="backfill",
                          through=THROUGH)
    say("Stored a year of monthly scores.")


def _partnership() -> tuple[dict[str, Organisation], list[District]]:
    north = Partnership.objects.create(name=PARTNERSHIP)
    west = Partnership.objects.create(name="Westmoor")
    districts = [District.objects.create(partnership=north, name=n) for n in DISTRICTS]
    orgs = {
        key: Organisation.objects.create(partnership=north, name=name, kind=kind,
                                         is_statutory=kind in STATUTORY_KINDS)
        for key, (name, kind) in ORGANISATIONS.items()
    }
    orgs["west_police"] = Organisation.objects.create(
        partnership=west, name="Westmoor Police", kind=OrganisationKind.POLICE, is_statutory=True)
    orgs["west_probation"] = Organisation.objects.create(
        partnership=west, name="Westmoor Probation Service", kind=OrganisationKind.PROBATION,
        is_statutory=True)
    for name in WEST_DISTRICTS:
        District.objects.create(partnership=west, name=name)
    return orgs, districts


def _personas(orgs: dict[str, Organisation], password: str) -> dict[str, User]:
    users = {}
    for username, org, role, first, last, _ in PERSONAS:
        users[username] = User.objects.create_user(
            username=username, password=password, organisation=orgs[org], role=role,
            first_name=first, last_name=last, email=f"{username}@example.invalid",
        )
    return users


def _group(tables: Any) -> dict[str, dict[int, list[dict[str, Any]]]]:
    grouped: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for name in ("events", "custody", "intelligence"):
        frame: pl.DataFrame = getattr(tables, name)
        bucket: dict[int, list[dict[str, Any]]] = {}
        for row in frame.iter_rows(named=True):
            bucket.setdefault(row["person_id"], []).append(row)
        grouped[name] = bucket
    return grouped


def _add(nominal: Nominal, kind: str, org: Organisation, fields: dict[str, Any],
         source: str = SourceSystem.DEMO, known: date | None = None) -> int:
    services.add_record(nominal=nominal, kind=kind, acting_user=None, through=THROUGH,
                        organisation=org, source_system=source, fields=fields,
                        recorded_at=_noon(known) if known else None)
    return 1


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def _person(row: dict[str, Any], by_person: dict[str, dict[int, list[dict[str, Any]]]],
            orgs: dict[str, Organisation], districts: list[District], rng: random.Random) -> int:
    pid = row["person_id"]
    nominal = services.create_nominal(
        acting_user=None, through=THROUGH, organisation=orgs["police"],
        source_system=SourceSystem.DEMO,
        fields={
            "forename": row["forename"], "surname": row["surname"],
            "date_of_birth": row["date_of_birth"], "gender": row["gender"],
            "ethnicity": row["ethnicity"], "pnc_id": row["pnc_id"], "crn": row["crn"],
            "primary_substance": row["primary_substance"] or "",
            "partnership": orgs["police"].partnership,
            # The generator's own district names are replaced by Northshire's.
            "district": districts[pid % len(districts)],
        },
    )
    count = 1
    for event in by_person["events"].get(pid, []):
        count += _add(nominal, "event", orgs[EVENT_ORGANISATION[event["event_type"]]], {
            "kind": event["event_type"], "event_date": event["event_date"],
            "offence_date": event["offence_date"], "ho_code": event["ho_code"] or "",
            "disposal": event["disposal"] or "", "domestic_abuse": event["domestic_abuse"],
        }, SourceSystem.PNC, event["recorded_date"])
    for spell in by_person["custody"].get(pid, []):
        count += _add(nominal, "custody", orgs["prison"], {
            "custody_type": spell["custody_type"], "start_date": spell["start_date"],
            "expected_release_date": spell["expected_release_date"],
            "actual_release_date": spell["actual_release_date"],
            "establishment": "HMP Northshire",
            "sentence_length_days": sentence_days(spell),
        }, SourceSystem.PRISON, spell["start_date"])
    for intel in by_person["intelligence"].get(pid, []):
        count += _add(nominal, "intelligence", orgs["police"], {
            "recorded_date": intel["recorded_date"], "grading_system": intel["grading_system"],
            "source_grade": intel["source_grade"], "intel_grade": intel["intel_grade"],
            "handling_code": intel["handling_code"], "crime_type": intel["crime_type"],
            "summary": _intel_summary(intel["crime_type"], rng),
        }, SourceSystem.POLICE_RECORDS, intel["recorded_date"])
    return count + _extras(nominal, row, by_person["events"].get(pid, []),
                           by_person["custody"].get(pid, []), orgs, rng)


def _intel_summary(crime_type: str, rng: random.Random) -> str:
    phrases = {
        "acquisitive": ["Reported to be selling stolen power tools locally.",
                        "Seen checking car door handles late at night.",
                        "Believed to be targeting garden sheds in the area."],
        "violence": ["Reported to be carrying a knife.", "Involved in a fight outside a pub."],
        "domestic_abuse": ["Partner reported controlling behaviour to a neighbour.",
                           "Seen at the address of a former partner despite conditions."],
        "drugs": ["Believed to be running drugs for a local line.",
                  "Frequent short visits to the address reported."],
        "other": ["Associating with known offenders.", "Changed phone number recently."],
    }
    return rng.choice(phrases.get(crime_type, phrases["other"]))


def _extras(nominal: Nominal, row: dict[str, Any], events: list[dict[str, Any]],
            custody: list[dict[str, Any]], orgs: dict[str, Organisation],
            rng: random.Random) -> int:
    """Aliases, addresses, flags, orders, court dates and public protection."""
    count = 0
    born = nominal.date_of_birth
    if rng.random() < 0.3:
        count += _add(nominal, "alias", orgs["police"], {
            "forename": rng.choice([nominal.forename[:3] + "y", "Jay", "Danny", "Mo", "Kez"]),
            "surname": nominal.surname if rng.random() < 0.5 else rng.choice(
                ["Smyth", "Jonson", "Brown", "Clarke", "Phillips"])})
    start = max(born + timedelta(days=18 * 365), DEMO_AS_OF - timedelta(days=8 * 365))
    steps = range(rng.randint(1, 3))
    moves = sorted({start + timedelta(days=i * rng.randint(300, 900)) for i in steps})
    moves = [m for m in moves if m < DEMO_AS_OF]
    for i, moved in enumerate(moves):
        left = moves[i + 1] - timedelta(days=1) if i + 1 < len(moves) else None
        count += _add(nominal, "address", orgs["council"], {
            "line1": f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            "town": nominal.district.name if nominal.district else "Northshire",
            "postcode": f"NS{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNP')}"
                        f"{rng.choice('QRSTUWXYZ')}",
            "from_date": moved, "to_date": left})
    count += _orders_and_flags(nominal, events, orgs, rng)
    count += _court_and_release(nominal, events, custody, orgs, rng)
    return count + _public_protection(nominal, row, orgs, rng)


def _orders_and_flags(nominal: Nominal, events: list[dict[str, Any]],
                      orgs: dict[str, Organisation], rng: random.Random) -> int:
    count = 0
    convictions = [e for e in events if e["event_type"] == "conviction"]
    if any(e["domestic_abuse"] for e in events):
        count += _add(nominal, "flag", orgs["police"], {
            "kind": "domestic_abuse", "start_date": min(e["event_date"] for e in events
                                                        if e["domestic_abuse"])})
    if any((e["ho_code"] or "").startswith("10") for e in events):
        count += _add(nominal, "flag", orgs["police"], {
            "kind": "weapons", "description": "Has carried a bladed article",
            "start_date": max(e["event_date"] for e in events
                              if (e["ho_code"] or "").startswith("10"))})
    for conviction in convictions[-2:]:
        if conviction["disposal"] in ("community", "suspended"):
            kind = "community_order" if conviction["disposal"] == "community" else \
                "suspended_sentence"
            count += _add(nominal, "order", orgs["probation"], {
                "kind": kind, "start_date": conviction["event_date"],
                "end_date": conviction["event_date"] + timedelta(days=365),
                "requirements": rng.choice(["Unpaid work 120 hours", "Drug rehabilitation",
                                            "Rehabilitation activity 20 days", "Curfew"])},
                SourceSystem.PROBATION_CASE)
    return count


# Burglary, robbery, theft from the person or a vehicle, vehicle theft (001 Table 1).
ACQUISITIVE = ("28", "29", "30", "31", "34", "39", "45", "48")


def sentence_days(spell: dict[str, Any]) -> int | None:
    """A sentence's length in days: release falls at its halfway point, so twice the
    time from its start to the expected release (none for remand)."""
    due: date | None = spell["expected_release_date"]
    start: date = spell["start_date"]
    if spell["custody_type"] != "sentence" or due is None:
        return None
    return max(1, 2 * (due - start).days)


def _tagged_on_release(events: list[dict[str, Any]], spell: dict[str, Any]) -> bool:
    """The acquisitive crime project tags people released from a sentence for
    acquisitive offending, monitored on licence (001 s11). The project asks for a
    sentence of 12 months or more; the synthetic sentences are nearly all shorter, so
    the demo tags every release after an acquisitive conviction, to show the route."""
    before = [e for e in events if e["event_type"] == "conviction"
              and e["event_date"] <= spell["start_date"]]
    last = max(before, key=lambda e: e["event_date"], default=None)
    return last is not None and (last["ho_code"] or "").startswith(ACQUISITIVE)


def _court_and_release(nominal: Nominal, events: list[dict[str, Any]],
                       custody: list[dict[str, Any]], orgs: dict[str, Organisation],
                       rng: random.Random) -> int:
    count = 0
    for spell in custody[-1:]:
        released = spell["actual_release_date"]
        if spell["custody_type"] == "sentence" and released:
            count += _add(nominal, "order", orgs["probation"], {
                "kind": "licence", "start_date": released,
                "end_date": released + timedelta(days=rng.choice([180, 365, 540])),
                "requirements": "Reside at approved address; drug testing",
                "acquisitive_crime_tag": _tagged_on_release(events, spell)},
                SourceSystem.PROBATION_CASE, released)
    recent_arrests = [e for e in events if e["event_type"] == "arrest"
                      and e["event_date"] > DEMO_AS_OF - timedelta(days=60)]
    for arrest in recent_arrests[-1:]:
        count += _add(nominal, "case_date", orgs["police"], {
            "kind": "bail_to_return", "date": arrest["event_date"] + timedelta(days=28),
            "ho_code": arrest["ho_code"] or "", "location": "Northshire Central Police Station"},
            SourceSystem.PNC, arrest["event_date"])
    charges = [e for e in events if e["event_type"] == "charge"
               and e["event_date"] > DEMO_AS_OF - timedelta(days=120)]
    for charge in charges[-1:]:
        count += _add(nominal, "case_date", orgs["police"], {
            "kind": "court_hearing", "date": DEMO_AS_OF + timedelta(days=rng.randint(3, 60)),
            "ho_code": charge["ho_code"] or "", "location": "Northshire Magistrates' Court"},
            SourceSystem.PNC)
        count += _add(nominal, "case_date", orgs["police"], {
            "kind": "pending_case", "date": charge["event_date"],
            "ho_code": charge["ho_code"] or "", "description": "Awaiting trial"},
            SourceSystem.PNC)
    if events and rng.random() < 0.04:
        count += _add(nominal, "wanted_missing", orgs["police"], {
            "kind": rng.choice(["wanted", "missing"]),
            "start_date": DEMO_AS_OF - timedelta(days=rng.randint(1, 40)),
            "reason": "Failed to appear at court"}, SourceSystem.PNC)
    return count


def _public_protection(nominal: Nominal, row: dict[str, Any],
                       orgs: dict[str, Organisation], rng: random.Random) -> int:
    count = 0
    if row["mappa_level"]:
        count += _add(nominal, "protection", orgs["probation"], {
            "kind": "mappa", "mappa_level": row["mappa_level"],
            "mappa_category": 2 if not row["sex_offender_registered"] else 1,
            "start_date": DEMO_AS_OF - timedelta(days=rng.randint(30, 900))},
            SourceSystem.PROBATION_CASE)
    if row["sex_offender_registered"]:
        count += _add(nominal, "protection", orgs["police"], {
            "kind": "sex_offender_register",
            "start_date": DEMO_AS_OF - timedelta(days=rng.randint(100, 2000))})
    return count


def _caseloads(users: dict[str, User], orgs: dict[str, Organisation],
               rng: random.Random) -> None:
    """Give personas caseloads, and partners involvement and consent for some people."""
    prolific = _most_active(orgs["police"].partnership)
    start = DEMO_AS_OF - timedelta(days=200)
    plan = {"police.om": prolific[:25], "probation.officer": prolific[10:35],
            "prison.pom": prolific[35:45], "housing.officer": prolific[5:12],
            "coordinator": prolific[:10]}
    for username, people in plan.items():
        for nominal in people:
            services.allocate(nominal=nominal, user=users[username], acting_user=None,
                              through=THROUGH, start=start)
    for key, username, people in (("voluntary", "mentor", prolific[:20]),
                                  ("drug_alcohol", "recovery.worker", prolific[20:40]),
                                  ("housing", "homes.worker", prolific[40:50])):
        for i, nominal in enumerate(people):
            _involve(nominal, orgs[key], users[username], start, rng, consent=i % 4 != 3)


def _most_active(partnership: Partnership) -> list[Nominal]:
    return list(Nominal.objects.filter(partnership=partnership)
                .annotate(event_count=Count("events")).order_by("-event_count", "pk")[:80])


def _involve(nominal: Nominal, org: Organisation, worker: User, start: date,
             rng: random.Random, *, consent: bool) -> None:
    """Involvement for everyone; consent given for most, refused for the rest."""
    with transaction.atomic():
        record_involvement(nominal=nominal, organisation=org, start=start, acting_user=None,
                           through=THROUGH, purpose="Referred by the IOM panel")
        youth = nominal.age_on(DEMO_AS_OF) < 18
        record_consent(
            nominal=nominal, organisation=org, decided_on=start + timedelta(days=3),
            status=ConsentStatus.GIVEN if consent else ConsentStatus.REFUSED,
            given_by=GivenBy.PARENT_OR_GUARDIAN if youth else GivenBy.PERSON,
            guardian_name="Parent on file" if youth else "", acting_user=None, through=THROUGH,
            note="Signed the offender letter" if consent else "Declined to sign")
        if consent:
            services.allocate(nominal=nominal, user=worker, acting_user=None, through=THROUGH,
                              start=start)
