"""OGRS 3 from offending history, one row per person: twin of engine.ogrs3."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from iom.scoring.batch.frames import whole_years
from iom.scoring.batch.lookups import (
    CAT_NEED_DETAILS,
    CAT_NO_CODE,
    CAT_NOT_MAPPED,
    CAT_UNKNOWN_RECORDED,
    Lookups,
)
from iom.scoring.engine.config import ScoringConfig
from iom.scoring.engine.ogrs3 import MIN_AGE
from iom.scoring.engine.results import ErrorCode

_SPLITTER = 134217729.0  # as engine.ogrs3: Veltkamp's splitter for Dekker's two-product
_FIVE_DP = 100000.0


def with_ogrs3(person: pl.LazyFrame, lk: Lookups, as_at: date, cfg: ScoringConfig) -> pl.LazyFrame:
    """Adds ogrs3_error, ogrs3_1y, ogrs3_2y, their percents and ogrs3_band.

    Expects the person columns date_of_birth, gender (text) and the sanction
    aggregates ogrs3_* (ogrs3_rc: the latest conviction's recorded category, or
    null). The error is the first of engine.ogrs3's checks that
    fails, in the same order. Built in stages, each on named columns: nested,
    the rounding's repeated sub-expressions would be evaluated many times over.
    """
    c = cfg.ogrs3
    x, ok = pl.col("ogrs3_x"), pl.col("ogrs3_error").is_null()
    return (
        person.with_columns(**dict(zip(_AGE_COLUMNS, _ages(as_at), strict=True)))
        .with_columns(ogrs3_error=_error(lk, as_at, cfg), ogrs3_x=_score_x(lk, as_at, cfg))
        .with_columns(ogrs3_1y=pl.when(ok).then(_logistic(c.intercept_1y + x)),
                      ogrs3_2y=pl.when(ok).then(_logistic(c.intercept_2y + x)))
        .pipe(five_dp_units, "ogrs3_1y", "_units_1y")
        .pipe(five_dp_units, "ogrs3_2y", "_units_2y")
        .with_columns(ogrs3_1y_percent=_percent("_units_1y"),
                      ogrs3_2y_percent=_percent("_units_2y"))
        .with_columns(ogrs3_band=pl.when(ok).then(_band(pl.col("ogrs3_2y_percent"), cfg)))
    )


OGRS3_COLUMNS = ("ogrs3_error", "ogrs3_1y", "ogrs3_2y", "ogrs3_1y_percent",
                 "ogrs3_2y_percent", "ogrs3_band")


# Ages at first sanction, current conviction and follow-up, made once as columns:
# inside the age-band chain an expression would be worked out again for every band.
_AGE_COLUMNS = ("_age_first", "_age_conv", "_age_fu")


def _age_columns() -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    first, conv, follow_up = _AGE_COLUMNS
    return pl.col(first), pl.col(conv), pl.col(follow_up)


def _ages(as_at: date) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    dob = pl.col("date_of_birth")
    return (whole_years(dob, pl.col("ogrs3_first_sanction")),
            whole_years(dob, pl.col("ogrs3_conviction_date")),
            whole_years(dob, as_at))


def _error(lk: Lookups, as_at: date, cfg: ScoringConfig) -> pl.Expr:
    dob, gender = pl.col("date_of_birth"), pl.col("gender")
    category = pl.lit(lk.ogrs3_category).gather(pl.col("ogrs3_ci"))
    recorded = pl.col("ogrs3_rc")
    none_recorded = recorded.is_null()
    age_first, age_conv, age_fu = _age_columns()
    # In engine.ogrs3.validate's order; offence_category's own order within it.
    checks = [
        (pl.col("ogrs3_latest").is_null(), ErrorCode.NO_CONVICTION),
        (dob.is_null() | gender.is_null() | ((category == CAT_NO_CODE) & none_recorded),
         ErrorCode.MISSING_INPUT),
        (~gender.is_in(["M", "F"]), ErrorCode.UNKNOWN_GENDER),
        (pl.col("ogrs3_sanctions") > cfg.ogrs3.max_total_sanctions,
         ErrorCode.TOTAL_SANCTIONS_OUT_OF_RANGE),
        (recorded == CAT_UNKNOWN_RECORDED, ErrorCode.UNKNOWN_OFFENCE_CATEGORY),
        (category == CAT_NOT_MAPPED, ErrorCode.OFFENCE_CODE_NOT_MAPPED),
        ((category == CAT_NEED_DETAILS) & none_recorded, ErrorCode.NEED_DETAILS_OF_EXACT_OFFENCE),
        ((category >= 0) & ~none_recorded & (recorded != category),
         ErrorCode.OFFENCE_CATEGORY_AND_CODE_DISAGREE),
        (age_first < 0, ErrorCode.AGE_AT_FIRST_SANCTION_NEGATIVE),
        (pl.col("ogrs3_conviction_date") <= dob, ErrorCode.CONVICTION_DATE_NOT_AFTER_BIRTH),
        (age_conv < MIN_AGE, ErrorCode.AGE_AT_CURRENT_CONVICTION_BELOW_10),
        (age_first > age_conv, ErrorCode.AGE_AT_FIRST_SANCTION_AFTER_CURRENT_CONVICTION),
        (pl.lit(as_at) <= dob, ErrorCode.FOLLOWUP_DATE_NOT_AFTER_BIRTH),
        (age_fu < MIN_AGE, ErrorCode.AGE_AT_FOLLOWUP_BELOW_10),
    ]
    chain: Any = pl
    for failed, code in checks:
        chain = chain.when(failed).then(pl.lit(code.value))
    return chain.otherwise(pl.lit(None, pl.String))  # type: ignore[no-any-return]


def _score_x(lk: Lookups, as_at: date, cfg: ScoringConfig) -> pl.Expr:
    c = cfg.ogrs3
    age_first, age_conv, age_fu = _age_columns()
    total = pl.col("ogrs3_sanctions")
    sanction = (pl.when(total == 1).then(pl.lit(c.first_sanction))
                .otherwise(pl.lit(c.repeat_offender)))
    ratio = total.cast(pl.Float64) / (10 + age_conv - age_first).cast(pl.Float64)
    copas = c.copas * ratio.log()
    parameters = pl.lit(pl.Series([c.offence_parameters[k] for k in lk.ogrs3_categories]))
    category = pl.lit(lk.ogrs3_category).gather(pl.col("ogrs3_ci"))
    # A recorded category stands for a need-details code, or agrees with a mapped one.
    category = pl.when(pl.col("ogrs3_rc") >= 0).then(pl.col("ogrs3_rc")).otherwise(category)
    offence = parameters.gather(category.clip(lower_bound=0))
    return ((_age_gender(age_fu, cfg) + sanction) + copas) + offence


def _age_gender(age: pl.Expr, cfg: ScoringConfig) -> pl.Expr:
    c = cfg.ogrs3
    male = pl.col("gender") == "M"
    chain: Any = pl
    for band in c.age_bands:
        inside = age >= band.lowest if band.highest is None else age.is_between(
            band.lowest, band.highest)
        chain = chain.when(inside & male).then(pl.lit(c.male_age[band.label]))
        chain = chain.when(inside).then(pl.lit(c.female_age[band.label]))
    return chain.otherwise(pl.lit(None, pl.Float64))  # type: ignore[no-any-return]


def _logistic(z: pl.Expr) -> pl.Expr:
    e = z.exp()
    return pl.when(z < 709.0).then(e / (1.0 + e)).otherwise(pl.lit(1.0))


def five_dp_units(frame: pl.LazyFrame, p: str, out: str) -> pl.LazyFrame:
    """Twin of engine.ogrs3.five_dp_units, operation for operation, in named steps."""
    prob = pl.col(p)
    return (
        frame.with_columns(_hi=prob * _FIVE_DP, _split=prob * _SPLITTER)
        .with_columns(_p_hi=pl.col("_split") - (pl.col("_split") - prob))
        .with_columns(_lo=(pl.col("_p_hi") * _FIVE_DP - pl.col("_hi"))
                      + (prob - pl.col("_p_hi")) * _FIVE_DP,
                      _whole=pl.col("_hi").floor())
        .with_columns(_fraction=pl.col("_hi") - pl.col("_whole"))
        .with_columns((pl.col("_whole").cast(pl.Int64)
                       + ((pl.col("_fraction") > 0.5)
                          | ((pl.col("_fraction") == 0.5) & (pl.col("_lo") >= 0.0)))
                       .cast(pl.Int64)).alias(out))
        .drop("_hi", "_split", "_p_hi", "_lo", "_whole", "_fraction")
    )


def _percent(units: str) -> pl.Expr:
    return ((pl.col(units) + 500) // 1000).clip(1, 99)


def _band(percent: pl.Expr, cfg: ScoringConfig) -> pl.Expr:
    bands = cfg.ogrs3.risk_bands
    chain: Any = pl
    for name, lowest in reversed(bands[1:]):
        chain = chain.when(percent >= lowest).then(pl.lit(name))
    return chain.otherwise(pl.lit(bands[0][0]))  # type: ignore[no-any-return]
