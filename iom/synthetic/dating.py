"""Put events and custody spells on the calendar and keep what is known at the as-of date."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iom.synthetic._arrays import BoolArray, IntArray
from iom.synthetic.careers import EVENT, NO_DAY, NONE, RawEvents, RawSpells
from iom.synthetic.schema import EVENT_TYPES
from iom.synthetic.timeline import KEY_SPAN, Calendar

LATE_RECORD_SHARE = 0.015  # e.g. a conviction in another force area, keyed in months later


@dataclass(frozen=True)
class DatedEvents:
    owner: IntArray
    event_type: IntArray
    event_day: IntArray
    offence_day: IntArray  # NO_DAY for breach and recall
    code: IntArray
    disposal: IntArray
    domestic_abuse: BoolArray
    recorded_day: IntArray


@dataclass(frozen=True)
class DatedSpells:
    owner: IntArray
    custody_type: IntArray
    start_day: IntArray
    expected_release_day: IntArray  # NO_DAY when unknown
    actual_release_day: IntArray  # NO_DAY while still inside


def date_events(
    rng: np.random.Generator, raw: RawEvents, calendar: Calendar, as_of: int
) -> DatedEvents:
    """Events recorded by the as-of date, sorted by person, date and order of events."""
    event_day = calendar.day(raw.owner, raw.key)
    has_offence = raw.offence_key != NONE
    offence_day = np.where(
        has_offence, calendar.day(raw.owner, np.maximum(raw.offence_key, 0)), NO_DAY
    )
    recorded_day = event_day + _recording_lag(rng, raw.event_type)
    rows = np.flatnonzero(recorded_day <= as_of)
    rows = rows[np.argsort(_sort_key(raw, rows), kind="stable")]
    return DatedEvents(
        owner=raw.owner[rows],
        event_type=raw.event_type[rows],
        event_day=event_day[rows],
        offence_day=offence_day[rows],
        code=raw.code[rows],
        disposal=raw.disposal[rows],
        domestic_abuse=raw.domestic_abuse[rows],
        recorded_day=recorded_day[rows],
    )


def _sort_key(raw: RawEvents, rows: IntArray) -> IntArray:
    """One integer per event that sorts by person, then date, then order of events.

    A person's calendar day never decreases as the liberty key grows, so sorting by
    key sorts by date too; one int64 sort is several times faster than a lexsort.
    """
    if len(rows) and int(raw.key[rows].max()) >= KEY_SPAN:
        raise ValueError("a liberty day is beyond the supported range")
    types = len(EVENT_TYPES)
    sort_key: IntArray = (raw.owner[rows] * KEY_SPAN + raw.key[rows]) * types + raw.event_type[rows]
    return sort_key


def _recording_lag(rng: np.random.Generator, event_type: IntArray) -> IntArray:
    n = len(event_type)
    usual = np.select(
        [
            event_type == EVENT["arrest"],
            event_type == EVENT["charge"],
            event_type == EVENT["conviction"],
            event_type == EVENT["caution"],
            event_type == EVENT["breach"],
        ],
        [
            np.where(rng.random(n) < 0.8, 0, rng.integers(1, 4, n)),
            rng.integers(0, 3, n),
            rng.geometric(0.2, n),  # court results take days to reach the PNC
            rng.integers(0, 8, n),
            rng.integers(0, 15, n),
        ],
        rng.integers(0, 3, n),  # recall
    )
    late = np.where(rng.random(n) < LATE_RECORD_SHARE, rng.integers(30, 401, n), 0)
    lag: IntArray = usual + late
    return lag


def date_spells(raw: RawSpells, calendar: Calendar, as_of: int) -> DatedSpells:
    """Spells begun by the as-of date, sorted by person and start."""
    start = calendar.spell_starts(raw)
    begun = start <= as_of
    order = np.lexsort((start[begun], raw.owner[begun]))
    rows = np.flatnonzero(begun)[order]
    release = start[rows] + raw.actual_days[rows]
    expected = raw.expected_days[rows]
    return DatedSpells(
        owner=raw.owner[rows],
        custody_type=raw.custody_type[rows],
        start_day=start[rows],
        expected_release_day=np.where(expected == NONE, NO_DAY, start[rows] + expected),
        actual_release_day=np.where(release > as_of, NO_DAY, release),
    )
