"""Small lookup tables that turn the configuration into arrays the batch can gather from.

Each event gets a code index (`ci`) and an event-type index (`t`); everything
that depends only on those (and on the recency band) is computed here once,
with the pure scorers' own helpers, so the batch cannot drift from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from iom.scoring.engine.config import NEED_DETAILS, ScoringConfig
from iom.scoring.engine.facts import Event
from iom.scoring.engine.risk import event_crime_type, scaled

# The event types of docs/data.md; any other type gets index OTHER_TYPE.
EVENT_TYPES = ("arrest", "charge", "conviction", "caution", "breach", "recall")
OTHER_TYPE = len(EVENT_TYPES)
N_TYPES = OTHER_TYPE + 1
# OGRS 3 category markers for a code index.
CAT_NEED_DETAILS = -1
CAT_NOT_MAPPED = -2
CAT_NO_CODE = -3
# A recorded OGRS 3 category that is not one of the reference's categories.
CAT_UNKNOWN_RECORDED = -4
_EPOCH = date(2000, 1, 1)  # any date: a probe event for event_crime_type
INTEL_CRIME_TYPES = ("acquisitive", "violence", "domestic_abuse", "drugs", "other")
OTHER_INTEL_TYPE = len(INTEL_CRIME_TYPES)  # any crime type not listed: no share


@dataclass(frozen=True)
class Lookups:
    # Per-event values are Int32 (sums are Int64): halving the bytes written
    # for ~30 million rows is a measurable share of the batch's time.
    codes: tuple[str, ...]  # ci of a code is its place here (an Enum's categories)
    null_code: int  # ci of an event with no HO code
    unknown_code: int  # ci of a code missing from offence_codes.csv
    css_units: pl.Series  # by ci
    css_unweighted: pl.Series  # by ci: 1 when the code has no weight, else 0
    matrix_weight: pl.Series  # by ci
    ogrs3_category: pl.Series  # by ci: category index or a CAT_ marker
    ogrs3_categories: tuple[str, ...]
    event_risk: dict[str, pl.Series]  # profile -> points by event key
    intel_risk: dict[str, pl.Series]  # profile -> points by intelligence key
    event_bands: int  # recency rows + 1 (the last: too old)
    no_points_key: int  # an event key whose points are 0 in every profile
    intel_bands: int


def event_key(t: pl.Expr, ci: pl.Expr, da: pl.Expr, band: pl.Expr, lk: Lookups) -> pl.Expr:
    n_codes = lk.unknown_code + 1
    return ((t * n_codes + ci) * 2 + da) * lk.event_bands + band


def intel_key(high: pl.Expr, ct: pl.Expr, band: pl.Expr, lk: Lookups) -> pl.Expr:
    return (high * (OTHER_INTEL_TYPE + 1) + ct) * lk.intel_bands + band


_BUILT: dict[str, Lookups] = {}


def lookups(cfg: ScoringConfig) -> Lookups:
    """Built once per configuration version (a changed config has a new version)."""
    if cfg.version not in _BUILT:
        _BUILT[cfg.version] = _build(cfg)
    return _BUILT[cfg.version]


def _build(cfg: ScoringConfig) -> Lookups:
    codes = tuple(cfg.offence_names)
    all_codes: tuple[str | None, ...] = (*codes, None, "\0unknown")
    categories = tuple(cfg.ogrs3.offence_parameters)
    weights = cfg.css.weights
    return Lookups(
        codes=codes,
        null_code=len(codes),
        unknown_code=len(codes) + 1,
        css_units=pl.Series([weights[c].units if c is not None and c in weights else 0
                            for c in all_codes],
                            dtype=pl.Int64),
        css_unweighted=pl.Series([int(c not in weights) for c in all_codes], dtype=pl.Int32),
        matrix_weight=pl.Series([_matrix_weight(c, cfg) for c in all_codes], dtype=pl.Int32),
        ogrs3_category=pl.Series([_category(c, cfg, categories) for c in all_codes],
                                 dtype=pl.Int32),
        ogrs3_categories=categories,
        event_risk=_event_risk(all_codes, cfg),
        intel_risk=_intel_risk(cfg),
        event_bands=len(cfg.risk.event_recency) + 1,
        # the "other" event type with no code, too old: 0 points whatever the config
        no_points_key=(OTHER_TYPE * (len(codes) + 2) + len(codes)) * 2 * (
            len(cfg.risk.event_recency) + 1) + len(cfg.risk.event_recency),
        intel_bands=len(cfg.risk.intelligence_recency) + 1,
    )


def _matrix_weight(code: str | None, cfg: ScoringConfig) -> int:
    row = cfg.matrix.offence_map.get(code or "", "")
    return cfg.matrix.row_weights[row] if row else 0


def _category(code: str | None, cfg: ScoringConfig, categories: tuple[str, ...]) -> int:
    if code is None:
        return CAT_NO_CODE
    mapped = cfg.ogrs3.offence_map.get(code)
    if mapped is None:
        return CAT_NOT_MAPPED
    return CAT_NEED_DETAILS if mapped == NEED_DETAILS else categories.index(mapped)


def _event_risk(all_codes: tuple[str | None, ...], cfg: ScoringConfig) -> dict[str, pl.Series]:
    """Points of one event for every (type, code, domestic abuse flag, recency band)."""
    r = cfg.risk
    percents = [p for _, p in r.event_recency] + [0]
    table: dict[str, list[int]] = {p: [] for p in r.profiles}
    for t in (*EVENT_TYPES, "\0other"):
        base = r.event_points.get(t, 0)
        for code in all_codes:
            gravity = r.gravity.get(code, 1) if code else 1
            for da in (False, True):
                probe = Event(0, t, _EPOCH, None, code, None, da, _EPOCH)
                kind = event_crime_type(probe, r)
                for profile, shares in r.profiles.items():
                    share = shares.get(kind, 0)
                    table[profile] += [scaled(base * gravity, share, pct) for pct in percents]
    return {p: pl.Series(v, dtype=pl.Int32) for p, v in table.items()}


def _intel_risk(cfg: ScoringConfig) -> dict[str, pl.Series]:
    r = cfg.risk
    percents = [p for _, p in r.intelligence_recency] + [0]
    table: dict[str, list[int]] = {p: [] for p in r.profiles}
    for base in (r.intelligence_other_points, r.intelligence_high_points):
        for crime_type in (*INTEL_CRIME_TYPES, "\0other"):
            for profile, shares in r.profiles.items():
                share = shares.get(crime_type, 0)
                table[profile] += [scaled(base, share, pct) for pct in percents]
    return {p: pl.Series(v, dtype=pl.Int32) for p, v in table.items()}


