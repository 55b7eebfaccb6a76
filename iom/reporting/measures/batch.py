"""Before-and-after measures for many people in Polars: twin of person.person_measures.

Input: the tables of docs/data.md (events, custody) and an ``index`` frame of
``person_id, index_date`` (the selection date; any other columns are carried
through, e.g. the cohort type). A property test holds it to the pure version.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from iom.scoring.batch.frames import as_text, stored_in
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


_DAY_BITS = 1 << 21  # room for any day number, offset to be positive
_DAY_OFFSET = 1 << 20


def custody_blocks(spells: pl.DataFrame, report_date: date) -> pl.DataFrame:
    """Twin of windows.custody_blocks: each person's custody up to the report date as
    separate blocks (first, last, days; both ends in custody), overlapping or touching
    spells merged. The same reading as iom/cohorts/candidates/liberty.py, kept here so
    that the measures import nothing of Django.

    Without a grouping per person: the last day is packed with the person id into one
    integer, so a running maximum over rows in (person, first) order never carries one
    person's custody into the next person's.
    """
    release = pl.col("release_date")
    last = (pl.when(release.is_null() | (release > report_date)).then(pl.lit(report_date))
            .otherwise(release - _ONE_DAY))
    days = (spells.select("person_id", first=pl.col("start_date"), last=last)
            .filter(pl.col("first") <= pl.col("last")).sort(["person_id", "first"]))
    packed = (pl.col("person_id") * _DAY_BITS
              + pl.col("last").cast(pl.Int32).cast(pl.Int64) + _DAY_OFFSET)
    reached = packed.cum_max().shift(1)
    same = (reached // _DAY_BITS) == pl.col("person_id")
    reached_last = (reached % _DAY_BITS - _DAY_OFFSET).cast(pl.Int32).cast(pl.Date)
    starts_block = (~same | (pl.col("first") > reached_last + _ONE_DAY)).fill_null(value=True)
    numbered = days.with_columns(block=starts_block.cast(pl.Int64).cum_sum())
    if numbered.height == 0 or numbered["block"][-1] == numbered.height:
        merged = numbered  # no spell touches another: every spell is a block
    else:
        merged = (numbered.group_by("block", maintain_order=True)
                  .agg(pl.col("person_id").first(), pl.col("first").min(), pl.col("last").max()))
    return merged.select("person_id", "first", "last", days=(
        pl.col("last") - pl.col("first")).dt.total_days() + 1)


def _within_person(column: str) -> pl.Expr:
    """Running total of ``column`` restarting at each person (rows in person order),
    without a grouping: the running total less its value before the person's first row."""
    total = pl.col(column).cum_sum()
    first = pl.col("person_id") != pl.col("person_id").shift(1)
    before = pl.when(first.fill_null(value=True)).then(total - pl.col(column)).forward_fill()
    return total - before


def _before(blocks: pl.DataFrame, n: int) -> pl.DataFrame:
    days = pl.col("days")
    parts = (blocks.filter(pl.col("first") <= pl.col("index_date"))
             .with_columns(last=pl.min_horizontal("last", "index_date"))
             .with_columns(days=(pl.col("last") - pl.col("first")).dt.total_days() + 1)
             .sort(["person_id", "last"], descending=[False, True]))
    later = _within_person("days") - days
    liberty_after = (pl.col("index_date") - pl.col("last")).dt.total_days() - later
    return (parts.filter(liberty_after < n).group_by("person_id")
            .agg(before_custody_days=days.sum().cast(pl.Int64)))


def _after(blocks: pl.DataFrame, n: int, report_date: date) -> tuple[pl.DataFrame, pl.DataFrame]:
    days = pl.col("days")
    parts = (blocks.filter(pl.col("last") > pl.col("index_date"))
             .with_columns(first=pl.max_horizontal("first", pl.col("index_date") + _ONE_DAY))
             .with_columns(days=(pl.col("last") - pl.col("first")).dt.total_days() + 1)
             .sort(["person_id", "first"]))
    earlier = _within_person("days") - days
    liberty_before = (pl.col("first") - pl.col("index_date")).dt.total_days() - 1 - earlier
    inside = (parts.filter(liberty_before < n).group_by("person_id")
              .agg(after_window_custody=days.sum().cast(pl.Int64)))
    return inside, parts.select("person_id", "first", "last")


def _event_counts(events: pl.LazyFrame, w: pl.LazyFrame, report_date: date,
                  cfg: ReportingConfig, scoring: ScoringConfig) -> pl.LazyFrame:
    kinds = cfg.proven_event_types | cfg.arrest_event_types
    earliest = w.select(pl.col("before_start").min()).collect().item()
    if earliest is None:
        earliest = report_date
    schema = events.collect_schema()
    # Nothing on or before the earliest window start counts: drop it while reading, then
    # drop each person's events from before their own window (an offence is never
    # proven before it happened, so its event date is in or after the window too).
    ev = (events.filter((pl.col("event_date") <= report_date)
                        & (pl.col("recorded_date") <= report_date)
                        & (pl.col("event_date") > earliest)
                        & stored_in("event_type", kinds, schema))
          .select(pl.col("person_id").cast(pl.Int64),
                  kind=as_text("event_type", schema), day=pl.col("event_date"),
                  placed=pl.coalesce("offence_date", "event_date"),
                  ho_code=as_text("ho_code", schema))
          .join(w.select("person_id", "index_date", "before_start", "after_end"),
                on="person_id")
          .filter(pl.col("day") > pl.col("before_start"))
          .with_columns(units=pl.col("ho_code").replace_strict(
              list(scoring.css.weights), [x.units for x in scoring.css.weights.values()],
              default=0, return_dtype=pl.Int64)))
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
