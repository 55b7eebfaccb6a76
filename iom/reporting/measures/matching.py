"""A matched comparison group by coarsened exact matching, and the difference in differences.

In the manner of the Justice Data Lab: people who met the policy but were not
selected, matched to cohort members on what predicts reoffending.

1. Coarsen: OGRS 3 (2-year %), age, prior Crime Severity Score and prior proven
   offences are cut into the bands of the configuration; gender and main
   offence type are kept as they are. An unknown value is its own band.
2. Match: the stratum of a person is the tuple of their bands. Strata holding
   at least one cohort member and one comparison person are matched; everyone
   else is unmatched (and counted as such, never silently dropped).
3. Weight (CEM weights for the effect on the treated): each matched cohort
   member weighs 1; a comparison person in stratum s weighs
   ``(treated_s / comparison_s) * (comparison_matched / treated_matched)``,
   so the comparison group has the cohort's mix of strata.
4. Difference in differences: with d = frequency after - frequency before
   (proven offences per 365 days at liberty), the estimate is the cohort's mean
   d less the weighted comparison mean d, which is
   ``sum_s treated_s / treated_matched * (mean d_T,s - mean d_C,s)``.
5. Confidence interval: a stratified bootstrap (people resampled with
   replacement within each matched stratum and group, so every resample keeps
   the strata) with a fixed seed; the percentile interval. A group of more
   than 2,000 people draws its resampled mean from its normal limit instead.
Only people with the full after-window enter; the rest are counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from .config import MatchingConfig, band_label

NUMERIC = {"ogrs3": "ogrs3_band", "age": "age_band", "prior_css": "prior_css_band",
           "prior_offences": "prior_offence_band"}
EXACT = ("gender", "offence_type")
VARIABLES = (*NUMERIC, *EXACT)
TITLES = {"ogrs3": "OGRS 3 (2-year %)", "age": "Age", "prior_css": "Crime Severity Score before",
          "prior_offences": "Proven offences before", "gender": "Gender",
          "offence_type": "Main offence type"}
UNKNOWN = "unknown"


@dataclass(frozen=True)
class MatchResult:
    people: pl.DataFrame  # person_id, treated, stratum, matched, weight, d
    treated: int
    treated_matched: int
    comparison: int
    comparison_matched: int
    treated_before: float | None
    treated_after: float | None
    comparison_before: float | None  # weighted
    comparison_after: float | None
    did: float | None
    ci_low: float | None
    ci_high: float | None
    bootstrap_samples: int
    seed: int


def coarsened(pool: pl.DataFrame, cfg: MatchingConfig) -> pl.DataFrame:
    """The pool with one text band column per variable (``<variable>_b``)."""
    bands = [_band(name, getattr(cfg, key)) for name, key in NUMERIC.items()]
    exact = [pl.col(n).cast(pl.String).fill_null(UNKNOWN).alias(f"{n}_b") for n in EXACT]
    return pool.with_columns(*bands, *exact).with_columns(
        stratum=pl.concat_str([pl.col(f"{v}_b") for v in VARIABLES], separator=" | "))


def _band(name: str, bounds: tuple[float, ...]) -> pl.Expr:
    value = pl.col(name).cast(pl.Float64)
    index = pl.sum_horizontal([(value >= b).cast(pl.Int32) for b in bounds]) - 1
    labels = {i: band_label(bounds, i) for i in range(-1, len(bounds))}
    return (pl.when(value.is_null()).then(pl.lit(UNKNOWN))
            .otherwise(index.replace_strict(labels, return_dtype=pl.String))).alias(f"{name}_b")


def match(pool: pl.DataFrame, cfg: MatchingConfig) -> MatchResult:
    """``pool``: person_id, treated, the six variables, frequency_before, frequency_after,
    full_after. Returns the matched people with weights and the estimate."""
    full = coarsened(pool.filter(pl.col("full_after")), cfg).with_columns(
        d=pl.col("frequency_after") - pl.col("frequency_before"))
    per = full.group_by("stratum").agg(
        n_t=pl.col("treated").sum().cast(pl.Int64),
        n_c=(~pl.col("treated")).sum().cast(pl.Int64))
    matched_strata = per.filter((pl.col("n_t") > 0) & (pl.col("n_c") > 0))
    n_t = int(matched_strata["n_t"].sum())
    n_c = int(matched_strata["n_c"].sum())
    people = full.join(matched_strata, on="stratum", how="left").with_columns(
        matched=pl.col("n_t").is_not_null())
    weight = (pl.when(~pl.col("matched")).then(0.0)
              .when(pl.col("treated")).then(1.0)
              .otherwise(pl.col("n_t") / pl.col("n_c") * (n_c / max(n_t, 1))))
    people = people.with_columns(weight=weight)
    estimate = _estimate(people, n_t)
    low, high = _bootstrap(people, cfg) if n_t else (None, None)
    return MatchResult(
        people=people, treated=int(full["treated"].sum()), treated_matched=n_t,
        comparison=int((~full["treated"]).sum()), comparison_matched=n_c,
        **estimate, ci_low=low, ci_high=high,
        bootstrap_samples=cfg.bootstrap_samples, seed=cfg.bootstrap_seed)


def _estimate(people: pl.DataFrame, n_t: int) -> dict[str, float | None]:
    if not n_t:
        return dict.fromkeys(("treated_before", "treated_after", "comparison_before",
                              "comparison_after", "did"))
    m = people.filter(pl.col("matched"))
    t, c = m.filter(pl.col("treated")), m.filter(~pl.col("treated"))
    wsum = float(c["weight"].sum())

    def wmean(col: str) -> float:
        return float((c[col] * c["weight"]).sum()) / wsum

    values = {"treated_before": float(t["frequency_before"].mean()),  # type: ignore[arg-type]
              "treated_after": float(t["frequency_after"].mean()),  # type: ignore[arg-type]
              "comparison_before": wmean("frequency_before"),
              "comparison_after": wmean("frequency_after")}
    values["did"] = ((values["treated_after"] - values["treated_before"])
                     - (values["comparison_after"] - values["comparison_before"]))
    return values  # type: ignore[return-value]


def _bootstrap(people: pl.DataFrame, cfg: MatchingConfig) -> tuple[float, float]:
    """Percentile interval of the estimate over stratified resamples (step 5).

    Each (stratum, group) is resampled on its own: a group of up to
    ``EXACT_RESAMPLE_LIMIT`` people by drawing people with replacement; a larger
    one by drawing its resampled mean from the normal distribution that the
    resampled mean of so many people follows (mean, and standard deviation over
    the square root of the count), which spares drawing millions of people.
    """
    m = people.filter(pl.col("matched")).sort("stratum", "treated")
    stratum = m["stratum"].rank("dense").to_numpy().astype(np.int64) - 1
    treated = m["treated"].to_numpy().astype(np.int64)
    d = m["d"].to_numpy().astype(np.float64)
    key = stratum * 2 + treated
    starts = np.r_[0, np.flatnonzero(np.diff(key)) + 1]
    ends = np.r_[starts[1:], len(key)]
    n_t = int(treated.sum())
    treated_in = np.bincount(stratum, weights=treated)
    rng = np.random.default_rng(cfg.bootstrap_seed)
    total = np.zeros(cfg.bootstrap_samples)
    for first, last in zip(starts, ends, strict=True):
        s, is_treated = stratum[first], treated[first]
        sign = 1.0 if is_treated else -1.0
        total += sign * treated_in[s] / n_t * _resampled_means(d[first:last], rng, cfg)
    tail = (1 - cfg.confidence) / 2
    low, high = np.quantile(total, [tail, 1 - tail])
    return float(low), float(high)


EXACT_RESAMPLE_LIMIT = 2000


def _resampled_means(values: np.ndarray, rng: np.random.Generator,
                     cfg: MatchingConfig) -> np.ndarray:
    n = len(values)
    if n > EXACT_RESAMPLE_LIMIT:
        return rng.normal(values.mean(), values.std() / np.sqrt(n), cfg.bootstrap_samples)
    picks = rng.integers(0, n, size=(cfg.bootstrap_samples, n))
    return values[picks].mean(axis=1)  # type: ignore[no-any-return]


def balance(result: MatchResult) -> pl.DataFrame:
    """Per variable and band: cohort members, comparison people (all and matched,
    weighted) as counts and percentages of their group."""
    p = result.people
    rows = []
    for var in VARIABLES:
        col = f"{var}_b"
        per = p.group_by(col).agg(
            treated=pl.col("treated").sum().cast(pl.Int64),
            comparison=(~pl.col("treated")).sum().cast(pl.Int64),
            comparison_matched=(~pl.col("treated") & pl.col("matched")).sum().cast(pl.Int64),
            weighted=(pl.col("weight") * (~pl.col("treated")).cast(pl.Float64)).sum(),
        ).sort(col)
        wsum = float(per["weighted"].sum()) or 1.0
        for r in per.iter_rows(named=True):
            rows.append({"variable": TITLES[var], "band": r[col], "treated": r["treated"],
                         "comparison": r["comparison"],
                         "comparison_matched": r["comparison_matched"],
                         "matched_percent": 100 * r["weighted"] / wsum})
    return pl.DataFrame(rows, schema={"variable": pl.String, "band": pl.String,
                                      "treated": pl.Int64, "comparison": pl.Int64,
                                      "comparison_matched": pl.Int64,
                                      "matched_percent": pl.Float64})
