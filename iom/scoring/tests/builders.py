"""Small builders for hand-written people in the table tests."""

from __future__ import annotations

from datetime import date

from iom.scoring.engine.facts import CustodyPeriod, Event, IntelEntry, PersonFacts


def event(
    event_id: int,
    event_type: str,
    day: date,
    ho_code: str | None = None,
    *,
    recorded: date | None = None,
    offence_day: date | None = None,
    domestic_abuse: bool = False,
    ogrs3_category: str | None = None,
) -> Event:
    """An event recorded on the day it happened unless `recorded` says otherwise."""
    return Event(event_id, event_type, day, offence_day, ho_code, None, domestic_abuse,
                 recorded or day, ogrs3_category)


def custody(
    custody_id: int, start: date, release: date | None, custody_type: str = "sentence"
) -> CustodyPeriod:
    return CustodyPeriod(custody_id, custody_type, start, release, release)


def intel(
    intel_id: int, recorded: date, grade: str, *, system: str = "5x5x5",
    crime_type: str = "acquisitive",
) -> IntelEntry:
    """`grade` is the pair as written on the form: "A1", "C3" (5x5x5) or "1A" (3x5x2)."""
    handling = "1" if system == "5x5x5" else "P"
    return IntelEntry(intel_id, recorded, system, grade[0], grade[1], handling, crime_type)


def person(
    *events: Event,
    custody_periods: tuple[CustodyPeriod, ...] = (),
    intelligence: tuple[IntelEntry, ...] = (),
    born: date | None = date(1990, 1, 1),
    gender: str | None = "M",
    substance: str | None = None,
) -> PersonFacts:
    return PersonFacts(1, born, gender, substance, tuple(events), custody_periods,
                       intelligence)
