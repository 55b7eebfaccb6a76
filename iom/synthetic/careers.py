"""Offence episodes and their outcomes, drawn for all people at once on a "liberty clock".

How a history is built (for every person at the same time, as flat arrays):

1. Offence episodes are scattered over the person's offending span, counted in days
   at liberty since their first offence. The first episode is on day 0.
2. Each episode gets an offence code (from the profile's mix, often repeating the
   person's speciality), then an outcome: no further action after arrest, a caution
   (mostly for minor first offences), a charge that fails, or a conviction.
3. Convictions get a disposal that escalates with gravity and previous convictions;
   custodial ones get a sentence, with half (two thirds for the gravest) served.
   Some charged people are remanded until trial, and remand counts toward the sentence.
4. Community orders and suspended sentences may be breached (a suspended sentence may
   then be activated); people released on licence may be recalled.
5. Every event and custody spell gets a *key*: its liberty day times 8 plus its order
   within the day (arrest before charge before remand before the court decision
   before the prison spell it starts). ``timeline.py`` then turns keys into calendar
   dates by adding the custody time served before each key.

Steps 1-2 are here; steps 3 (custody) to 5 are in ``justice.py``.

Building histories on liberty time is what keeps them coherent without a loop: a
person's custody spells never overlap, nobody offends in prison, each offence precedes
its arrest, charge and conviction, and time spent inside pushes later offending (and,
near the as-of date, whatever no longer fits before it) later.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iom.synthetic._arrays import (
    BoolArray,
    FloatArray,
    IntArray,
    choose_per_row,
    count_before_within,
    owners,
    rank_within,
)
from iom.synthetic.offences import DOMESTIC_ABUSE_POSSIBLE, GRAVITY, KIND, Kind, code_weights
from iom.synthetic.population import People
from iom.synthetic.profiles import PROFILES, Profile
from iom.synthetic.schema import CUSTODY_TYPES, DISPOSALS, EVENT_TYPES

KEY_STEP = 8
# Order of things that happen on the same liberty day.
ARREST, CHARGE, REMAND, DECISION, SENTENCE, RECALL, RECALL_SPELL = range(7)

EVENT = {name: index for index, name in enumerate(EVENT_TYPES)}
DISPOSAL = {name: index for index, name in enumerate(DISPOSALS)}
CUSTODY = {name: index for index, name in enumerate(CUSTODY_TYPES)}
NONE = -1  # null code, disposal, offence key or expected release
# A missing calendar day: days count from 1970-01-01, so -1 is a real day (31 December 1969).
NO_DAY = int(np.iinfo(np.int64).min)

SPECIALITY_SHARE = 0.35  # episodes that repeat the person's usual offence
YOUTH_DAYS = int(18 * 365.25)


@dataclass(frozen=True)
class RawEvents:
    owner: IntArray  # person index within the chunk
    key: IntArray
    offence_key: IntArray  # NONE for breach and recall
    event_type: IntArray
    code: IntArray  # index into offences.CODES, NONE for breach and recall
    disposal: IntArray
    domestic_abuse: BoolArray


@dataclass(frozen=True)
class RawSpells:
    owner: IntArray
    key: IntArray
    actual_days: IntArray  # time in custody, at least one day
    expected_days: IntArray  # NONE when no release date is set (remand)
    custody_type: IntArray


@dataclass(frozen=True)
class Episodes:
    owner: IntArray
    offence_at: IntArray
    code: IntArray
    gravity: FloatArray
    young: BoolArray
    outcome: IntArray  # one of NFA, CAUTION, NOT_CONVICTED, CONVICTED
    prior_convictions: IntArray
    disposal: IntArray
    domestic_abuse: BoolArray
    failure_chance: FloatArray  # of breaching an order or being recalled


NFA, CAUTION, NOT_CONVICTED, CONVICTED = range(4)


def draw_episodes(rng: np.random.Generator, people: People) -> Episodes:
    owner = owners(people.episodes)
    spread = rng.random(len(owner))
    spread[rank_within(people.episodes) == 0] = 0.0
    spread = spread[np.argsort(owner + spread, kind="stable")]  # in time order per person
    offence_at = (people.offending_span[owner] * spread).astype(np.int64)
    code = _draw_codes(rng, people.profile, owner)
    age_days = people.first_offence[owner] - people.date_of_birth[owner] + offence_at
    young = age_days < YOUTH_DAYS
    outcome = _draw_outcomes(rng, code, rank_within(people.episodes), young)
    convicted = outcome == CONVICTED
    prior = count_before_within(convicted, people.episodes)
    failure = np.array([PROFILES[p].order_failure for p in Profile])[people.profile[owner]]
    return Episodes(
        owner=owner,
        offence_at=offence_at,
        code=code,
        gravity=GRAVITY[code],
        young=young,
        outcome=outcome,
        prior_convictions=prior,
        disposal=_draw_disposals(rng, outcome, GRAVITY[code], prior, young),
        domestic_abuse=_draw_domestic_abuse(rng, code, people.domestic_abuser[owner]),
        failure_chance=failure + np.where(people.substance[owner] >= 0, 0.1, 0.0),
    )


def _draw_codes(rng: np.random.Generator, profile: IntArray, owner: IntArray) -> IntArray:
    weights = code_weights()
    speciality = choose_per_row(rng, profile, weights)
    drawn = choose_per_row(rng, profile[owner], weights)
    return np.where(rng.random(len(owner)) < SPECIALITY_SHARE, speciality[owner], drawn)


def _draw_outcomes(
    rng: np.random.Generator, code: IntArray, rank: IntArray, young: BoolArray
) -> IntArray:
    gravity, sexual = GRAVITY[code], KIND[code] == Kind.SEXUAL
    # Cautions go to first and second offences that are minor, and more to the young.
    by_history = np.select([rank == 0, rank <= 2], [0.5, 0.2], 0.03)
    by_gravity = np.select([gravity <= 1.0, gravity <= 1.8], [1.0, 0.4], 0.0)
    p_caution = np.minimum(by_history * by_gravity * np.where(young, 1.4, 1.0), 0.8)
    p_caution[sexual] = 0.0
    p_nfa = np.where(sexual, 0.45, np.clip(0.32 - 0.04 * gravity, 0.12, 0.32))
    p_convicted = np.where(sexual, 0.6, 0.85)
    return np.select(
        [rng.random(len(code)) < p_caution, rng.random(len(code)) < p_nfa],
        [CAUTION, NFA],
        np.where(rng.random(len(code)) < p_convicted, CONVICTED, NOT_CONVICTED),
    )


def _draw_disposals(
    rng: np.random.Generator,
    outcome: IntArray,
    gravity: FloatArray,
    prior: IntArray,
    young: BoolArray,
) -> IntArray:
    # Courts escalate: the same petty theft earns a discharge first and custody after
    # a dozen convictions. Youth courts rarely lock children up.
    score = gravity + 0.2 * np.minimum(prior, 15) + rng.normal(0.0, 0.7, len(gravity))
    score -= np.where(young, 0.8, 0.0)
    disposal = np.select(
        [score < 0.5, score < 1.5, score < 2.6, score < 3.8],
        [DISPOSAL["discharge"], DISPOSAL["fine"], DISPOSAL["community"], DISPOSAL["suspended"]],
        DISPOSAL["custody"],
    )
    disposal[gravity >= 4.5] = DISPOSAL["custody"]
    return np.select(
        [outcome == CONVICTED, outcome == CAUTION], [disposal, DISPOSAL["caution"]], NONE
    )


def _draw_domestic_abuse(
    rng: np.random.Generator, code: IntArray, domestic_abuser: BoolArray
) -> BoolArray:
    chance = np.where(domestic_abuser, 0.75, 0.08)
    flagged: BoolArray = DOMESTIC_ABUSE_POSSIBLE[code] & (rng.random(len(code)) < chance)
    return flagged
