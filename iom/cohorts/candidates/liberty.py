"""Windows of "N months at liberty": time in custody does not count (001 s4, 000 ISA s1).

The window ends on the as-at date and starts N calendar months earlier, moved
back by every day spent in custody inside it; moving it back can take in more
custody, which moves it back again. A release day counts as a day at liberty,
as for the Crime Severity Score window (iom.scoring.engine.crime_severity), and
a day is in custody once however many spells cover it (a remand and a sentence
that overlap).

Worked out directly, not by repeating "move it back" until it stops moving
(which can take a round per day of custody: a spell that began long before
the window and ended a day inside it moves the start back one day a round).
The window holds exactly D days at liberty, where D is the plain window's
length in days, and starts the day before the D-th day at liberty counted
back from the as-at date. So, for each person's custody merged into
separate blocks and taken newest first, a block lies wholly inside the window
when fewer than D days at liberty come after it; the start is the plain start
moved back by the days of those blocks.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from iom.cohorts.policy.rules import add_months

_ONE_DAY = timedelta(days=1)


def window_starts(spells: pl.DataFrame, as_at: date, months: int) -> pl.DataFrame:
    """person_id, start (exclusive) and custody_days, for people with custody in the window.

    Everyone else's window starts at ``add_months(as_at, -months)``.
    ``spells``: person_id, start_date and release_date (empty while in custody).
    """
    plain = add_months(as_at, -months)
    needed = (as_at - plain).days  # days at liberty in every window of this length
    blocks = custody_blocks(spells, as_at).sort(["person_id", "last"],
                                                descending=[False, True])
    days = pl.col("days")
    later = days.cum_sum().over("person_id") - days  # custody after the block
    at_liberty_after = (pl.lit(as_at) - pl.col("last")).dt.total_days() - later
    inside = blocks.filter(at_liberty_after < needed)
    return (inside.group_by("person_id").agg(custody_days=days.sum().cast(pl.Int64))
            .sort("person_id")
            .with_columns(start=pl.lit(plain) - pl.duration(days=pl.col("custody_days"))))


def custody_blocks(spells: pl.DataFrame, as_at: date) -> pl.DataFrame:
    """Each person's days in custody up to the as-at date as separate blocks (first, last
    and days, both ends in custody): overlapping or touching spells become one block."""
    release = pl.col("release_date")
    last = (pl.when(release.is_null() | (release > as_at)).then(pl.lit(as_at))
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
