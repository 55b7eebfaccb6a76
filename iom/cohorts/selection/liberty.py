"""Windows of "N months at liberty": time in custody does not count (001 s4, 000 ISA s1).

The window ends on the as-at date and starts N calendar months earlier, moved
back by every day spent in custody inside it. Moving it back can take in more
custody, so the start is worked out again until it stops moving (it only ever
moves back). A release day counts as a day at liberty, as for the Crime
Severity Score window (iom.scoring.engine.crime_severity).
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from ..lifecycle import add_months

_ONE_DAY = timedelta(days=1)
_MOST_ROUNDS = 50


def window_starts(spells: pl.DataFrame, as_at: date, months: int) -> pl.DataFrame:
    """person_id, start (exclusive) and custody_days, for people with custody in the window.

    Everyone else's window starts at ``add_months(as_at, -months)``. Each round
    looks again only at the people whose start moved in the round before.
    """
    plain = add_months(as_at, -months)
    result = _days_inside(spells, as_at, pl.lit(plain))
    moved = result
    for _ in range(_MOST_ROUNDS):
        starts = moved.select("person_id", after=pl.lit(plain) - pl.duration(
            days=pl.col("custody_days")))
        longer = _days_inside(spells.join(starts, on="person_id"), as_at, pl.col("after"))
        moved = longer.join(moved, on=["person_id", "custody_days"], how="anti")
        if moved.is_empty():
            break
        result = result.update(moved, on="person_id")
    return result.select("person_id", "custody_days",
                         start=pl.lit(plain) - pl.duration(days=pl.col("custody_days")))


def _days_inside(spells: pl.DataFrame, as_at: date, after: pl.Expr) -> pl.DataFrame:
    """Days d with after < d <= as_at spent in custody, per person (only those above 0)."""
    first = pl.max_horizontal("start_date", after + _ONE_DAY)
    release = pl.col("release_date")
    last = (pl.when(release.is_null() | (release > as_at)).then(pl.lit(as_at))
            .otherwise(release - _ONE_DAY))
    days = ((last - first).dt.total_days() + 1).clip(lower_bound=0)
    return (spells.group_by("person_id").agg(custody_days=days.sum().cast(pl.Int64))
            .filter(pl.col("custody_days") > 0).sort("person_id"))
