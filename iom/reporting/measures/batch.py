"""Before-and-after measures for many people in Polars: twin of person.person_measures.

Input: the tables of docs/data.md (events, custody) and an ``index`` frame of
``person_id, index_date`` (the selection date; any other columns are carried
through, e.g. the cohort type). A property test holds it to the pure version.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from iom.scoring.engine.config import ScoringConfig

from .config import ReportingConfig

_ONE_DAY = timedelta(days=1)
PERSON_COLUMNS = (
    "person_id", "index_date", "before_start", "before_custody_days", "after_end",
    "after_custody_days", "after_liberty_days", "full_after", "proven_before", "proven_after",
    "arrests_before", "arrests_after", "css_before", "css_after", "days_to_first_proven",
    "frequency_before", "frequency_after")


def person_measures_frame(events: pl.LazyFrame | pl.DataFrame,
                          custody: pl.LazyFrame | pl.DataFrame, index: pl.DataFrame,
                          report_date: date, cfg: ReportingConfig,
                          scoring: ScoringConfig) -> pl.DataFrame:
    """One row per person of ``index``: the windows and the counts in them."""
    n = cfg.window_days
    index = index.with_columns(pl.col("person_id").cast(pl.Int64))
    w = windows_frame(custody.lazy(), index.select("person_id", "index_date"), report_date, n)
    counts = _event_counts(events.lazy(), w.lazy(), report_date, cfg, scoring)
    joined = (index.lazy().join(w.lazy().drop("index_date"), on="person_id", how="left")
              .join(counts, on="person_id", how="left"))
    zero = ["proven_before", "proven_after", "arrests_before", "arrests_after"]
    return joined.with_columns(
        *(pl.col(c).fill_null(0) for c in zero),
        *(pl.col(c).fill_null(0.0) for c in ("css_before", "css_after")),
    ).with_columns(
        frequency_before=pl.col("proven_before") * 365.0 / n,
        frequency_after=pl.when(pl.col("after_liberty_days") > 0)
        .then(pl.col("proven_after") * 365.0 / pl.col("after_liberty_days")),
    ).collect()


def windows_frame(custody: pl.LazyFrame, index: pl.DataFrame, report_date: date,
                  n: int) -> pl.DataFrame:
    """Twin of windows.person_windows for every person of ``index``."""
    spells = (custody.join(index.lazy().select("person_id"), on="person_id", how="semi")
              .select("person_id", "start_date", release_date=pl.col("actual_release_date"))
              .collect())
    blocks = custody_blocks(spells, report_date).join(index, on="person_id")
    before = _before(blocks, n)
    after_custody, seen = _after(blocks, n, report_date)
    out = (index.join(before, on="person_id", how="left")
           .join(after_custody, on="person_id", how="left")
           .with_columns(pl.col("before_custody_days", "after_window_custody").fill_null(0))
           .with_columns(
               before_start=pl.col("index_date") - pl.duration(
                   days=n + pl.col("before_custody_days")),
               after_end=pl.col("index_date") + pl.duration(
                   days=n + pl.col("after_window_custody")))
           .with_columns(seen_to=pl.min_horizontal("after_end", pl.lit(report_date))))
    custody_seen = (seen.join(out.select("person_id", "seen_to"), on="person_id")
                    .select("person_id", d=(pl.min_horizontal("last", "seen_to") - pl.col("first"))
                            .dt.total_days() + 1)
                    .filter(pl.col("d") > 0)
                    .group_by("person_id").agg(after_custody_days=pl.col("d").sum()))
    return (out.join(custody_seen, on="person_id", how="left")
            .with_columns(pl.col("after_custody_days").fill_null(0).cast(pl.Int64))
            .with_columns(
                after_liberty_days=((pl.col("seen_to") - pl.col("index_date")).dt.total_days()
                                    - pl.col("after_custody_days")).clip(lower_bound=0),
                full_after=pl.col("after_end") <= pl.lit(report_date))
            .select("person_id", "index_date", "before_start", "before_custody_days",
                    "after_end", "after_custody_days", "after_liberty_days", "full_after"))


def custody_blocks(spells: pl.DataFrame, report_date: date) -> pl.DataFrame:
    """Twin of windows.custody_blocks: each person's custody up to the report date as
    separate blocks (first, last, days; both ends in custody), overlapping or touching
    spells merged. The same reading as iom/cohorts/selection/liberty.py, kept here so
    that the measures import nothing of Django."""
    release = pl.col("release_date")
    last = (pl.when(release.is_null() | (release > report_date)).then(pl.lit(report_date))
            .otherwise(release - _ONE_DAY))
    days = (spells.select("person_id", first=pl.col("start_date"), last=last)
            .filter(pl.col("first") <= pl.col("last")).sort(["person_id", "first"]))
    reached = pl.col("last").cum_max().shift(1).over("person_id")
    starts_block = reached.is_null() | (pl.col("first") > reached + _ONE_DAY)
    numbered = days.with_columns(block=starts_block.cast(pl.Int64).cum_sum().over("person_id"))
    return (numbered.group_by("person_id", "block")
            .agg(pl.col("first").min(), pl.col("last").max())
            .with_columns(days=(pl.col("last") - pl.col("first")).dt.total_days() + 1)
            .drop("block"))


def _before(blocks: pl.DataFrame, n: int) -> pl.DataFrame:
    days = pl.col("days")
    parts = (blocks.filter(pl.col("first") <= pl.col("index_date"))
             .with_columns(last=pl.min_horizontal("last", "index_date"))
             .with_columns(days=(pl.col("last") - pl.col("first")).dt.total_days() + 1)
             .sort(["person_id", "last"], descending=[False, True]))
    later = days.cum_sum().over("person_id") - days
    liberty_after = (pl.col("index_date") - pl.col("last")).dt.total_days() - later
    return (parts.filter(liberty_after < n).group_by("person_id")
            .agg(before_custody_days=days.sum().cast(pl.Int64)))


def _after(blocks: pl.DataFrame, n: int, report_date: date) -> tuple[pl.DataFrame, pl.DataFrame]:
    days = pl.col("days")
    parts = (blocks.filter(pl.col("last") > pl.col("index_date"))
             .with_columns(first=pl.max_horizontal("first", pl.col("index_date") + _ONE_DAY))
             .with_columns(days=(pl.col("last") - pl.col("first")).dt.total_days() + 1)
             .sort(["person_id", "first"]))
    earlier = days.cum_sum().over("person_id") - days
    liberty_before = (pl.col("first") - pl.col("index_date")).dt.total_days() - 1 - earlier
    inside = (parts.filter(liberty_before < n).group_by("person_id")
              .agg(after_window_custody=days.sum().cast(pl.Int64)))
    return inside, parts.select("person_id", "first", "last")


def _event_counts(events: pl.LazyFrame, w: pl.LazyFrame, report_date: date,
                  cfg: ReportingConfig, scoring: ScoringConfig) -> pl.LazyFrame:
    kinds = sorted(cfg.proven_event_types | cfg.arrest_event_types)
    weights = pl.LazyFrame(
        {"ho_code": list(scoring.css.weights),
         "units": [x.units for x in scoring.css.weights.values()]},
        schema={"ho_code": pl.String, "units": pl.Int64})
    ev = (events.filter((pl.col("event_date") <= report_date)
                        & (pl.col("recorded_date") <= report_date)
                        & pl.col("event_type").cast(pl.String).is_in(kinds))
          .select(pl.col("person_id").cast(pl.Int64),
                  kind=pl.col("event_type").cast(pl.String), day=pl.col("event_date"),
                  placed=pl.coalesce("offence_date", "event_date"),
                  ho_code=pl.col("ho_code").cast(pl.String))
          .join(w.select("person_id", "index_date", "before_start", "after_end"),
                on="person_id")
          .join(weights, on="ho_code", how="left"))
    after_to = pl.min_horizontal("after_end", pl.lit(report_date))
    proven = pl.col("kind").is_in(sorted(cfg.proven_event_types))
    arrest = pl.col("kind").is_in(sorted(cfg.arrest_event_types))
    p_before = proven & (pl.col("placed") > pl.col("before_start")) & (
        pl.col("placed") <= pl.col("index_date"))
    p_after = proven & (pl.col("placed") > pl.col("index_date")) & (pl.col("placed") <= after_to)
    a_before = arrest & (pl.col("day") > pl.col("before_start")) & (
        pl.col("day") <= pl.col("index_date"))
    a_after = arrest & (pl.col("day") > pl.col("index_date")) & (pl.col("day") <= after_to)
    units = pl.col("units").fill_null(0)
    scale = float(scoring.css.scale)
    return ev.group_by("person_id").agg(
        proven_before=p_before.sum().cast(pl.Int64), proven_after=p_after.sum().cast(pl.Int64),
        arrests_before=a_before.sum().cast(pl.Int64), arrests_after=a_after.sum().cast(pl.Int64),
        css_before=(units * p_before).sum() / scale, css_after=(units * p_after).sum() / scale,
        days_to_first_proven=(pl.col("placed").filter(p_after).min() - pl.col("index_date").first())
        .dt.total_days(),
    )
