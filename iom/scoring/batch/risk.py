"""Risk-of-reoffending grades and emerging threat per person: twin of engine.risk.

Each stage adds named columns that the next reads, so no total is computed twice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from iom.scoring.engine.config import ScoringConfig
from iom.scoring.engine.risk import EMERGING, NOT_BROUGHT_ON, NOT_EMERGING


def risk_columns(cfg: ScoringConfig) -> list[str]:
    return ["risk", "risk_grade", "risk_profile", *(f"risk_{p}" for p in cfg.risk.profiles),
            "risk_before", "risk_grade_before", "emerging_rise", "emerging_band",
            "emerging_period_start"]


def with_risk(person: pl.LazyFrame, before: date, cfg: ScoringConfig) -> pl.LazyFrame:
    """Expects risk_events_[before_]<profile>, risk_intel_[before_]<profile>, primary_substance."""
    r, e = cfg.risk, cfg.emerging
    graded = r.graded_profiles
    rise = pl.col("risk") - pl.col("risk_before")
    crossed = (pl.col("_rank") > pl.col("_rank_before")) & e.on_grade_crossing
    return (
        person.with_columns(**_totals(cfg, ""), **_totals(cfg, "before_"))
        .with_columns(risk=pl.max_horizontal(f"risk_{p}" for p in graded),
                      risk_before=pl.max_horizontal(f"risk_before_{p}" for p in graded))
        .with_columns(
            risk_profile=_profile(graded),
            risk_grade=_grade("risk", cfg, names=True),
            _rank=_grade("risk", cfg, names=False),
            risk_grade_before=_grade("risk_before", cfg, names=True),
            _rank_before=_grade("risk_before", cfg, names=False),
        )
        .with_columns(
            emerging_rise=rise,
            emerging_band=pl.when((rise >= e.min_rise) | crossed).then(pl.lit(EMERGING))
            .otherwise(pl.lit(NOT_EMERGING)),
            emerging_period_start=pl.lit(before),
        )
    )


def _totals(cfg: ScoringConfig, suffix: str) -> dict[str, pl.Expr]:
    """Profile totals: event points + intelligence points + substance points."""
    totals = {}
    for profile in cfg.risk.profiles:
        table = cfg.risk.substance_points.get(profile, {})
        substance = pl.col("primary_substance").replace_strict(
            list(table), list(table.values()), default=0, return_dtype=pl.Int64)
        totals[f"risk_{suffix}{profile}"] = (
            pl.col(f"risk_events_{suffix}{profile}") + pl.col(f"risk_intel_{suffix}{profile}")
            + substance)
    return totals


def _profile(graded: tuple[str, ...]) -> pl.Expr:
    chain: Any = pl
    for p in graded:  # the first profile in configuration order wins a tie
        chain = chain.when(pl.col(f"risk_{p}") == pl.col("risk")).then(pl.lit(p))
    return chain.otherwise(pl.lit(None, pl.String))  # type: ignore[no-any-return]


def _grade(column: str, cfg: ScoringConfig, *, names: bool) -> pl.Expr:
    """The grade's name, or its rank (0 = not brought on), as engine.risk.grade."""
    ranks = [NOT_BROUGHT_ON, *[name for name, _ in reversed(cfg.risk.grades)]]
    chain: Any = pl
    for name, lowest in cfg.risk.grades:
        value = pl.lit(name) if names else pl.lit(ranks.index(name))
        chain = chain.when(pl.col(column) >= lowest).then(value)
    fallback = pl.lit(NOT_BROUGHT_ON) if names else pl.lit(0)
    return chain.otherwise(fallback)  # type: ignore[no-any-return]
