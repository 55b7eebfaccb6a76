"""Crime Severity Score windows: custody inside the window lengthens it.

Most people spent no time in custody in the last five years; their window is
the plain five years and `event_aggregates` has already summed it. For the
others, this module works out the longer window and sums the convictions in
the extra stretch ("the zone") only.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from iom.scoring.batch.events import counted_date, per_person_sums, type_in
from iom.scoring.batch.frames import Windows, category_index
from iom.scoring.batch.lookups import Lookups
from iom.scoring.engine.config import ScoringConfig

_ONE_DAY = timedelta(days=1)


def custody_windows(custody: pl.LazyFrame, w: Windows, cfg: ScoringConfig) -> pl.DataFrame:
    """person_id, css_custody_days, css_extension (days), for people with custody inside.

    Twin of engine.crime_severity.window_start, including its repeat-until-
    stable loop when `iterate_extension` is set.
    """
    types = tuple(sorted(cfg.css.custody_types))
    schema = custody.collect_schema()
    periods = custody.filter(
        (category_index("custody_type", schema, types, -1) >= 0)
        & (pl.col("start_date") <= w.as_at)
    ).select("person_id", "start_date", "actual_release_date").collect()
    first = _days_inside(periods.lazy().with_columns(after=pl.lit(w.css_five_years_back)), w)
    result = first.collect()
    while cfg.css.iterate_extension and result.height:
        starts = result.select("person_id", after=_start(w.css_five_years_back))
        longer = _days_inside(periods.lazy().join(starts.lazy(), on="person_id"), w).collect()
        if longer.equals(result.select(longer.columns)):
            break
        result = longer
    return result.select("person_id", "css_custody_days", "css_extension")


def _start(five_years_back: date) -> pl.Expr:
    return pl.lit(five_years_back) - pl.duration(days=pl.col("css_extension"))


def _days_inside(periods: pl.LazyFrame, w: Windows) -> pl.LazyFrame:
    """Twin of engine.crime_severity.custody_days_inside, per person."""
    first = pl.max_horizontal("start_date", pl.col("after") + _ONE_DAY)
    release = pl.col("actual_release_date")
    last = (pl.when(release.is_null() | (release > w.as_at)).then(pl.lit(w.as_at))
            .otherwise(release - _ONE_DAY))
    days = ((last - first).dt.total_days() + 1).clip(lower_bound=0)
    return (
        periods.group_by("person_id")
        .agg(css_custody_days=days.sum().cast(pl.Int64))
        .filter(pl.col("css_custody_days") > 0)
        .with_columns(css_extension=(pl.col("css_custody_days") + 1) // 2)
        .sort("person_id")
    )


def earliest_start(extensions: pl.DataFrame, w: Windows) -> date:
    """The day before the longest extended window begins: older events never count."""
    longest = int(extensions.select(pl.col("css_extension").max().fill_null(0)).item())
    return w.css_five_years_back - timedelta(days=longest)


def zone_aggregates(
    ev: pl.LazyFrame, extensions: pl.DataFrame, lk: Lookups, w: Windows, cfg: ScoringConfig
) -> pl.LazyFrame:
    """Units and unweighted convictions between the longer window's start and five years back."""
    if extensions.height == 0:
        return pl.LazyFrame(schema={"person_id": pl.Int64, "css_zone_units": pl.Int64,
                                    "css_zone_unweighted": pl.Int64})
    longest = int(extensions["css_extension"].max())  # type: ignore[arg-type]
    in_zone = (type_in(cfg.css.event_types)
               & (counted_date(cfg) <= w.css_five_years_back)
               & (counted_date(cfg) > w.css_five_years_back - timedelta(days=longest)))
    starts = extensions.lazy().select(
        pl.col("person_id").cast(pl.Int64), start=_start(w.css_five_years_back))
    return (
        ev.filter(in_zone)
        .join(starts, on="person_id")
        .filter(counted_date(cfg) > pl.col("start"))
        .select(
            "person_id",
            css_zone_units=pl.lit(lk.css_units).gather(pl.col("ci")),
            css_zone_unweighted=pl.lit(lk.css_unweighted).gather(pl.col("ci")),
        )
        .pipe(per_person_sums, ["css_zone_units", "css_zone_unweighted"])
    )
