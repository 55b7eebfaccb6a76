"""Keep the fix store's size benchmark honest: its trails are a valid day for the import
and look like tags' trails (still at night, moving by day, silent spells)."""

import io

import numpy as np
import polars as pl

from bench.fix_store_size import METRES_PER_DEG_LAT, trails
from iom.monitoring.parsing import check_fixes, read_table


def test_the_trails_are_a_day_the_import_takes_whole() -> None:
    day = trails(20)
    buffer = io.BytesIO()
    day.write_parquet(buffer)
    checked = check_fixes(read_table(buffer.getvalue(), "day.parquet"))
    assert checked.problem_count == 0
    assert checked.rows.height == day.height
    assert checked.rows["fix_time"].dt.date().n_unique() == 1  # one UTC day file


def test_the_trails_are_still_at_night_move_by_day_and_fall_silent() -> None:
    day = trails(50).with_columns(
        step=(pl.col("latitude").diff().over("device_id").abs() * METRES_PER_DEG_LAT),
        gap=pl.col("fix_time").diff().over("device_id").dt.total_seconds(),
        hour=pl.col("fix_time").dt.hour())
    night, noon = day.filter(pl.col("hour") < 5), day.filter(pl.col("hour").is_between(10, 16))
    steps, gaps = night["step"].drop_nulls().to_numpy(), day["gap"].drop_nulls().to_numpy()
    assert np.quantile(steps, 0.99) < 80  # jitter only
    assert noon["step"].drop_nulls().to_numpy().max() > 300  # someone travels
    assert day.height < 50 * 1440  # silent spells
    assert gaps.max() >= 5 * 60
    accuracy = day["accuracy_m"].to_numpy()
    assert accuracy.min() >= 2 and accuracy.max() <= 250
    assert (day["accuracy_m"] == day["accuracy_m"].round(0)).all()
    assert (day["latitude"] == day["latitude"].round(6)).all()
