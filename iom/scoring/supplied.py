"""Which OGRS 3 a decision uses: the one worked out here, or the one probation supplied.

Seed 001: "OGRS will be calculated by probation services". A supplied score is kept
with its date and source (``SuppliedOgrs3``); the rule choosing between the two is
configuration, ``[supplied_ogrs3] use`` in reference/scoring.toml (docs/scores.md,
"Supplied OGRS 3"). ``choose`` is the rule for one person, ``with_chosen_ogrs3`` the
same rule for a frame of many, held to it by tests.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path

import polars as pl

from iom.scoring.engine.config import CONFIG_FILE, REFERENCE_DIR, default_config
from iom.scoring.engine.ogrs3 import risk_band
from iom.scoring.engine.words import day


class Use(StrEnum):
    SUPPLIED_IF_CURRENT = "supplied_if_current"
    SUPPLIED_FIRST = "supplied_first"
    COMPUTED_FIRST = "computed_first"


COMPUTED, SUPPLIED = "computed", "supplied"


@cache
def configured_use(directory: Path = REFERENCE_DIR) -> Use:
    settings = tomllib.loads((directory / CONFIG_FILE).read_text(encoding="utf-8"))
    value = settings.get("supplied_ogrs3", {}).get("use", Use.SUPPLIED_IF_CURRENT)
    try:
        return Use(value)
    except ValueError:
        allowed = ", ".join(u.value for u in Use)
        raise ValueError(f"[supplied_ogrs3] use must be one of {allowed}, not {value!r}") from None


@dataclass(frozen=True)
class Supplied:
    percent_2y: int
    assessed_on: date
    source: str


@dataclass(frozen=True)
class Chosen:
    """The OGRS 3 a decision uses (``source`` computed, supplied or "" for none) and why."""

    source: str
    percent_2y: int | None
    band: str | None
    why: str


def choose(computed: int | None, supplied: Supplied | None, latest_conviction: date | None,
           use: Use | None = None) -> Chosen:
    """The rule for one person: ``computed`` is the worked-out 2-year percent (None when it
    cannot be worked out), ``supplied`` the latest supplied score known at the date."""
    use = use or configured_use()
    if supplied is None:
        return _computed(computed, "no score supplied by probation")
    said = f"supplied by probation ({supplied.source}), assessed {day(supplied.assessed_on)}"
    if use == Use.COMPUTED_FIRST and computed is not None:
        return _computed(computed, "the computed score comes first (configuration)")
    if use == Use.SUPPLIED_IF_CURRENT and not _current(supplied, latest_conviction):
        assert latest_conviction is not None
        return _computed(computed, f"the score {said} is older than the latest conviction, "
                                   f"{day(latest_conviction)}")
    return Chosen(SUPPLIED, supplied.percent_2y, _band(supplied.percent_2y), f"OGRS 3 {said}")


def _current(supplied: Supplied, latest_conviction: date | None) -> bool:
    # On the conviction's own day counts: a pre-sentence assessment knows the conviction.
    return latest_conviction is None or supplied.assessed_on >= latest_conviction


def _computed(computed: int | None, why: str) -> Chosen:
    if computed is None:
        return Chosen("", None, None, f"No OGRS 3: it cannot be worked out and {why}")
    return Chosen(COMPUTED, computed, _band(computed), f"OGRS 3 computed here; {why}")


def _band(percent: int) -> str:
    return risk_band(percent, default_config().ogrs3)


def with_chosen_ogrs3(frame: pl.DataFrame, use: Use | None = None) -> pl.DataFrame:
    """Twin of ``choose`` over a frame with score_ogrs3 and band_ogrs3 (computed),
    supplied_percent, supplied_on and latest_conviction: sets score_ogrs3 and band_ogrs3
    to the chosen score and adds ogrs3_source (computed, supplied or null)."""
    use = use or configured_use()
    computed, supplied = pl.col("score_ogrs3"), pl.col("supplied_percent")
    current = (pl.col("latest_conviction").is_null()
               | (pl.col("supplied_on") >= pl.col("latest_conviction")))
    takes = supplied.is_not_null() & {
        Use.SUPPLIED_FIRST: pl.lit(value=True),
        Use.COMPUTED_FIRST: computed.is_null(),
        Use.SUPPLIED_IF_CURRENT: current,
    }[use]
    bands = default_config().ogrs3.risk_bands
    band: pl.Expr = pl.lit(bands[0][0])
    for name, lowest in bands[1:]:
        band = pl.when(supplied >= lowest).then(pl.lit(name)).otherwise(band)
    return frame.with_columns(
        score_ogrs3=pl.when(takes).then(supplied.cast(pl.Float64)).otherwise(computed),
        band_ogrs3=pl.when(takes).then(band).otherwise(pl.col("band_ogrs3")),
        ogrs3_source=pl.when(takes).then(pl.lit(SUPPLIED))
        .when(computed.is_not_null()).then(pl.lit(COMPUTED)).otherwise(pl.lit(None, pl.String)),
    )
