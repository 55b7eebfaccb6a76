"""From episodes to events and custody spells: arrests, courts, prison, breaches, recalls.

Steps 3 to 5 of the method described in ``careers.py``. Everything stays on the
liberty clock; each row gets a key (liberty day * KEY_STEP + order within the day).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iom.synthetic._arrays import BoolArray, FloatArray, IntArray
from iom.synthetic.careers import (
    ARREST,
    CAUTION,
    CHARGE,
    CONVICTED,
    CUSTODY,
    DECISION,
    DISPOSAL,
    EVENT,
    KEY_STEP,
    NFA,
    NONE,
    RECALL,
    RECALL_SPELL,
    REMAND,
    SENTENCE,
    Episodes,
    RawEvents,
    RawSpells,
)

CROWN_COURT_GRAVITY = 2.5  # graver cases wait months for the Crown Court


@dataclass(frozen=True)
class _Prison:
    inside: BoolArray  # the conviction sent the person to prison
    expected_days: IntArray
    actual_days: IntArray


@dataclass(frozen=True)
class _Timing:
    arrest_at: IntArray
    charge_at: IntArray
    decision_at: IntArray  # caution or conviction (the trial, for those remanded)
    remanded: BoolArray
    remand_days: IntArray


def build_histories(rng: np.random.Generator, episodes: Episodes) -> tuple[RawEvents, RawSpells]:
    timing = _draw_timing(rng, episodes)
    served = _served_days(rng, episodes)
    prison = _prison_time(rng, episodes, timing, served)
    events = _case_events(rng, episodes, timing)
    spells = [
        _spells(
            episodes,
            timing.remanded,
            day=timing.charge_at,
            order=REMAND,
            actual=timing.remand_days,
            expected=None,
        ),
        _spells(
            episodes,
            prison.inside,
            day=timing.decision_at,
            order=SENTENCE,
            actual=prison.actual_days,
            expected=prison.expected_days,
        ),
    ]
    breach_events, breach_spells = _breaches(rng, episodes, timing, served)
    recall_events, recall_spells = _recalls(rng, episodes, timing, prison, served)
    return (
        _concat_events([*events, breach_events, recall_events]),
        _concat_spells([*spells, breach_spells, recall_spells]),
    )


def _days(rng: np.random.Generator, median: FloatArray | float, sigma: float, n: int) -> IntArray:
    return np.floor(rng.lognormal(np.log(median), sigma, n)).astype(np.int64)


def _draw_timing(rng: np.random.Generator, episodes: Episodes) -> _Timing:
    n, outcome = len(episodes.owner), episodes.outcome
    caught_at_once = rng.random(n) < 0.6
    arrest_at = episodes.offence_at + np.where(caught_at_once, 0, _days(rng, 10.0, 1.2, n))
    charged_in_custody = rng.random(n) < 0.5
    charge_at = arrest_at + np.where(charged_in_custody, 0, _days(rng, 30.0, 0.8, n))
    crown = episodes.gravity >= CROWN_COURT_GRAVITY
    court_days = 1 + _days(rng, np.where(crown, 150.0, 35.0), 0.6, n)
    remanded = _draw_remand(rng, episodes)
    remand_days = np.where(remanded, np.clip(_days(rng, 70.0, 0.7, n), 3, 500), 0)
    caution_days = np.where(rng.random(n) < 0.7, 0, rng.integers(1, 31, n))
    decision_at = np.select(
        [outcome == CAUTION, remanded],
        [arrest_at + caution_days, charge_at],
        charge_at + court_days,
    )
    return _Timing(arrest_at, charge_at, decision_at, remanded, remand_days)


def _draw_remand(rng: np.random.Generator, episodes: Episodes) -> BoolArray:
    charged = (episodes.outcome != NFA) & (episodes.outcome != CAUTION)
    grave = 0.04 + 0.08 * episodes.gravity + 0.01 * episodes.prior_convictions
    chance = np.where(
        episodes.gravity >= 1.5,
        np.minimum(grave, 0.8),
        np.where(episodes.prior_convictions >= 5, 0.06, 0.0),
    )
    remanded: BoolArray = charged & (rng.random(len(chance)) < chance)
    return remanded


def _served_days(rng: np.random.Generator, episodes: Episodes) -> IntArray:
    """Days a sentence would keep the person inside, for every conviction."""
    # Median sentence: 30 days for the pettiest offence, about 18 years for homicide.
    median = 30.0 * np.exp(
        0.9 * episodes.gravity + 0.04 * np.minimum(episodes.prior_convictions, 20)
    )
    sentence = median * rng.lognormal(0.0, 0.5, len(median))
    # Automatic release at half way; two thirds for the gravest offences.
    share = np.where(episodes.gravity >= 5, 2 / 3, 1 / 2)
    return np.maximum(np.ceil(sentence * share).astype(np.int64), 1)


def _prison_time(
    rng: np.random.Generator, episodes: Episodes, timing: _Timing, served: IntArray
) -> _Prison:
    custodial = (episodes.outcome == CONVICTED) & (episodes.disposal == DISPOSAL["custody"])
    expected = served - timing.remand_days  # remand counts toward the sentence
    in_prison = custodial & (expected >= 1)
    # Home detention curfew lets some out early; a few stay late (added days).
    early = (rng.random(len(expected)) < 0.3) & (expected >= 60)
    early_days = np.floor(expected * rng.uniform(0.05, 0.25, len(expected))).astype(np.int64)
    late_days = np.where(rng.random(len(expected)) < 0.03, rng.integers(1, 43, len(expected)), 0)
    actual = np.maximum(expected - np.where(early, early_days, 0) + late_days, 1)
    return _Prison(in_prison, expected, actual)


def _breaches(
    rng: np.random.Generator, episodes: Episodes, timing: _Timing, served: IntArray
) -> tuple[RawEvents, RawSpells]:
    n = len(episodes.owner)
    on_order = (episodes.outcome == CONVICTED) & np.isin(
        episodes.disposal, [DISPOSAL["community"], DISPOSAL["suspended"]]
    )
    breached = on_order & (rng.random(n) < episodes.failure_chance)
    order_days = rng.integers(180, 731, n)
    breach_at = timing.decision_at + 14 + (rng.random(n) * (order_days - 14)).astype(np.int64)
    activated = breached & (episodes.disposal == DISPOSAL["suspended"]) & (rng.random(n) < 0.4)
    return (
        _order_events(episodes, breached, breach_at * KEY_STEP + DECISION, EVENT["breach"]),
        _spells(episodes, activated, day=breach_at, order=SENTENCE, actual=served, expected=served),
    )


def _recalls(
    rng: np.random.Generator,
    episodes: Episodes,
    timing: _Timing,
    prison: _Prison,
    served: IntArray,
) -> tuple[RawEvents, RawSpells]:
    n = len(episodes.owner)
    recalled = prison.inside & (rng.random(n) < episodes.failure_chance)
    # Everyone released is supervised for at least a year; a recall comes within two.
    licence_days = np.maximum(prison.expected_days, 365)
    gap = 7 + (rng.random(n) * (np.minimum(licence_days, 730) - 7)).astype(np.int64)
    recall_at = timing.decision_at + gap
    fixed_term = rng.random(n) < 0.55
    until_licence_ends = np.maximum(licence_days - gap, 1)
    expected_back = np.where(fixed_term, np.where(served >= 365, 28, 14), until_licence_ends)
    actual_back = np.where(
        fixed_term, expected_back, np.minimum(expected_back, 1 + _days(rng, 150.0, 0.6, n))
    )
    return (
        _order_events(episodes, recalled, recall_at * KEY_STEP + RECALL, EVENT["recall"]),
        _spells(
            episodes,
            recalled,
            day=recall_at,
            order=RECALL_SPELL,
            actual=actual_back,
            expected=expected_back,
        ),
    )


def _case_events(rng: np.random.Generator, episodes: Episodes, timing: _Timing) -> list[RawEvents]:
    outcome = episodes.outcome
    charged = (outcome != NFA) & (outcome != CAUTION)
    # Some suspects attend a voluntary interview or are summonsed instead of being
    # arrested; "no further action" only follows an arrest here.
    arrested = (outcome == NFA) | (rng.random(len(outcome)) < 0.85)
    return [
        _offence_events(episodes, arrested, timing.arrest_at * KEY_STEP + ARREST, "arrest"),
        _offence_events(episodes, charged, timing.charge_at * KEY_STEP + CHARGE, "charge"),
        _offence_events(
            episodes, outcome == CONVICTED, timing.decision_at * KEY_STEP + DECISION, "conviction"
        ),
        _offence_events(
            episodes, outcome == CAUTION, timing.decision_at * KEY_STEP + DECISION, "caution"
        ),
    ]


def _offence_events(episodes: Episodes, rows: BoolArray, key: IntArray, kind: str) -> RawEvents:
    return RawEvents(
        owner=episodes.owner[rows],
        key=key[rows],
        offence_key=episodes.offence_at[rows] * KEY_STEP + ARREST,
        event_type=np.full(int(rows.sum()), EVENT[kind], dtype=np.int64),
        code=episodes.code[rows],
        disposal=episodes.disposal[rows] if kind in ("conviction", "caution") else _none(rows),
        domestic_abuse=episodes.domestic_abuse[rows],
    )


def _order_events(episodes: Episodes, rows: BoolArray, key: IntArray, event_type: int) -> RawEvents:
    count = int(rows.sum())
    return RawEvents(
        owner=episodes.owner[rows],
        key=key[rows],
        offence_key=_none(rows),
        event_type=np.full(count, event_type, dtype=np.int64),
        code=_none(rows),
        disposal=_none(rows),
        domestic_abuse=np.zeros(count, dtype=np.bool_),
    )


def _spells(
    episodes: Episodes,
    rows: BoolArray,
    *,
    day: IntArray,
    order: int,
    actual: IntArray,
    expected: IntArray | None,
) -> RawSpells:
    kind = CUSTODY["remand"] if order == REMAND else CUSTODY["sentence"]
    return RawSpells(
        owner=episodes.owner[rows],
        key=day[rows] * KEY_STEP + order,
        actual_days=actual[rows],
        expected_days=_none(rows) if expected is None else expected[rows],
        custody_type=np.full(int(rows.sum()), kind, dtype=np.int64),
    )


def _none(rows: BoolArray) -> IntArray:
    return np.full(int(rows.sum()), NONE, dtype=np.int64)


def _concat_events(parts: list[RawEvents]) -> RawEvents:
    fields = RawEvents.__dataclass_fields__
    return RawEvents(**{f: np.concatenate([getattr(p, f) for p in parts]) for f in fields})


def _concat_spells(parts: list[RawSpells]) -> RawSpells:
    fields = RawSpells.__dataclass_fields__
    return RawSpells(**{f: np.concatenate([getattr(p, f) for p in parts]) for f in fields})
