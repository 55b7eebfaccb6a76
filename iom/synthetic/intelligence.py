"""Intelligence entries, concentrated on people who are offending now.

Most entries sit close to one of the person's recorded events (the intelligence that
led to, or followed, an arrest); active offenders also get a stream of recent entries,
which is what the IOM matrix's "last 4 and 4-8 weeks" counts look at.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iom.synthetic._arrays import (
    BoolArray,
    FloatArray,
    IntArray,
    choose_per_row,
    group_starts,
    normalised,
)
from iom.synthetic.dating import DatedEvents
from iom.synthetic.population import MIN_OFFENDING_AGE_DAYS, People
from iom.synthetic.profiles import PROFILES, Profile
from iom.synthetic.schema import CRIME_TYPES, GRADING_SYSTEMS

# The 5x5x5 system is still the one in the partnership's matrix (source 000); a few
# forces' entries arrive graded on 3x5x2.
SHARE_5X5X5 = 0.85
SOURCE_5X5X5 = normalised([0.08, 0.42, 0.32, 0.13, 0.05])  # A..E
INTEL_5X5X5 = normalised([0.10, 0.38, 0.30, 0.15, 0.07])  # 1..5
HANDLING_5X5X5 = normalised([0.86, 0.06, 0.01, 0.05, 0.02])  # 1..5
SOURCE_3X5X2 = normalised([0.35, 0.55, 0.10])  # 1..3
INTEL_3X5X2 = normalised([0.10, 0.40, 0.30, 0.15, 0.05])  # A..E
HANDLING_3X5X2 = normalised([0.85, 0.15])  # P, C

# Labels for each column: the 5x5x5 values first, then the 3x5x2 ones.
SOURCE_LABELS = ("A", "B", "C", "D", "E", "1", "2", "3")
INTEL_LABELS = ("1", "2", "3", "4", "5", "A", "B", "C", "D", "E")
HANDLING_LABELS = ("1", "2", "3", "4", "5", "P", "C")


@dataclass(frozen=True)
class Intelligence:
    owner: IntArray
    recorded_day: IntArray
    grading_system: IntArray  # index into GRADING_SYSTEMS
    source: IntArray  # index into SOURCE_LABELS
    intel: IntArray  # index into INTEL_LABELS
    handling: IntArray  # index into HANDLING_LABELS
    crime_type: IntArray  # index into CRIME_TYPES


def draw_intelligence(
    rng: np.random.Generator, people: People, events: DatedEvents, as_of: int
) -> Intelligence:
    owner = _owners(rng, people)
    day = np.maximum(
        _days(rng, people, events, owner, as_of),
        people.date_of_birth[owner] + MIN_OFFENDING_AGE_DAYS,
    )
    order = np.lexsort((day, owner))
    owner, day = owner[order], np.minimum(day[order], as_of)
    is_5x5x5 = rng.random(len(owner)) < SHARE_5X5X5
    return Intelligence(
        owner=owner,
        recorded_day=day,
        grading_system=np.where(
            is_5x5x5, GRADING_SYSTEMS.index("5x5x5"), GRADING_SYSTEMS.index("3x5x2")
        ),
        source=_grade(rng, is_5x5x5, SOURCE_5X5X5, SOURCE_3X5X2),
        intel=_grade(rng, is_5x5x5, INTEL_5X5X5, INTEL_3X5X2),
        handling=_grade(rng, is_5x5x5, HANDLING_5X5X5, HANDLING_3X5X2),
        crime_type=_crime_types(rng, people, owner),
    )


def _owners(rng: np.random.Generator, people: People) -> IntArray:
    rate = np.array([PROFILES[p].intel_rate for p in Profile])[people.profile]
    rate = rate * np.where(people.active, 1.0, 0.25) * rng.gamma(2.0, 0.5, len(people))
    return np.repeat(np.arange(len(people), dtype=np.int64), rng.poisson(rate))


def _days(
    rng: np.random.Generator, people: People, events: DatedEvents, owner: IntArray, as_of: int
) -> IntArray:
    n = len(owner)
    counts = np.bincount(events.owner, minlength=len(people))
    has_events = counts[owner] > 0
    pick = group_starts(counts)[owner] + (rng.random(n) * counts[owner]).astype(np.int64)
    shift = rng.integers(-60, 15, n)
    recent = as_of - np.floor(rng.exponential(200.0, n)).astype(np.int64)
    anytime = as_of - rng.integers(0, 3650, n)
    if len(events.event_day) == 0:
        return anytime
    # People without events pick a clipped, unused row; np.select discards it.
    near_event = events.event_day[np.minimum(pick, len(events.event_day) - 1)] + shift
    current: BoolArray = people.active[owner] & (rng.random(n) < 0.4)
    return np.select([~has_events, current], [anytime, recent], near_event)


def _grade(
    rng: np.random.Generator, is_5x5x5: BoolArray, five: FloatArray, three: FloatArray
) -> IntArray:
    n = len(is_5x5x5)
    first = rng.choice(len(five), size=n, p=five)
    second = len(five) + rng.choice(len(three), size=n, p=three)
    return np.where(is_5x5x5, first, second)


def _crime_types(rng: np.random.Generator, people: People, owner: IntArray) -> IntArray:
    mix = np.array([normalised(PROFILES[p].intel_mix) for p in Profile])
    crime_type = choose_per_row(rng, people.profile[owner], mix)
    about_partner = people.domestic_abuser[owner] & (rng.random(len(owner)) < 0.4)
    return np.where(about_partner, CRIME_TYPES.index("domestic_abuse"), crime_type)
