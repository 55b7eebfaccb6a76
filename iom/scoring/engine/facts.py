"""The facts a scorer reads about one person.

Columns mirror docs/data.md (people, events, custody, intelligence). The
dataclasses are frozen so that a score can be recomputed from exactly the facts
it was given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Event:
    """One offending-history event: arrest, charge, conviction, caution, breach or recall."""

    event_id: int
    event_type: str
    event_date: date
    offence_date: date | None
    ho_code: str | None
    disposal: str | None
    domestic_abuse: bool
    recorded_date: date
    # The exact OGRS 3 category recorded with a conviction whose Home Office code
    # covers more than one (the offence map's NEED_DETAILS); None when not recorded.
    ogrs3_category: str | None = None

    def known_at(self, as_at: date) -> bool:
        """True when the event had happened and was recorded by `as_at`."""
        return self.event_date <= as_at and self.recorded_date <= as_at


@dataclass(frozen=True, slots=True)
class CustodyPeriod:
    """A period in custody; the release day itself is spent at liberty."""

    custody_id: int
    custody_type: str
    start_date: date
    expected_release_date: date | None
    actual_release_date: date | None


@dataclass(frozen=True, slots=True)
class IntelEntry:
    """One intelligence entry with its grading (5x5x5 or 3x5x2)."""

    intel_id: int
    recorded_date: date
    grading_system: str
    source_grade: str
    intel_grade: str
    handling_code: str
    crime_type: str

    def known_at(self, as_at: date) -> bool:
        return self.recorded_date <= as_at


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """Everything the scorers may use about one person."""

    person_id: int
    date_of_birth: date | None
    gender: str | None
    primary_substance: str | None
    events: tuple[Event, ...] = field(default=())
    custody: tuple[CustodyPeriod, ...] = field(default=())
    intelligence: tuple[IntelEntry, ...] = field(default=())

    def events_known_at(self, as_at: date) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.known_at(as_at))


@dataclass(frozen=True, slots=True)
class Ogrs3Inputs:
    """The seven OGRS 3 inputs (reference/ogrs3.md, "Inputs").

    Give either `offence_category` (a key of ogrs3_coefficients.json) or
    `offence_code` (a Home Office code, mapped by ogrs3_offence_map.csv).
    """

    gender: str | None
    date_of_birth: date | None
    date_of_current_conviction: date | None
    date_at_start_of_followup: date | None
    total_number_of_sanctions: int | None
    age_at_first_sanction: int | None
    offence_category: str | None = None
    offence_code: str | None = None
