"""The faster import gives the same report and the same day files as the plain
formulation it replaced: one sort key per fix instead of text and times together."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iom.monitoring import fixorder, fixstore
from iom.monitoring.parsing import FIX_COLUMNS, MAX_PROBLEMS, Problem, check_fixes, iso_time

DEVICES = ["BUD-001", " BUD-001", "BUD-002 ", "BUD-10", "", None, "A"]
TIMES = ["2025-03-04T10:00:00+00:00", "2025-03-04T11:00:00+01:00", "2025-03-04T23:59:59Z",
         "2025-03-05T00:00:00Z", "2025-03-04 10:00:00Z", "2025-03-04 10:00", "soon", None,
         "1901-01-01T00:00:00Z", "2099-12-31T23:59:59.999999Z"]
LATS = ["53.8", "91", "-90", "x", None]
ACCURACIES = ["5", "", "-1", None, "0"]

rows = st.lists(st.tuples(st.sampled_from(DEVICES), st.sampled_from(TIMES),
                          st.sampled_from(LATS), st.sampled_from(ACCURACIES)),
                min_size=1, max_size=40)


def _raw(sample: list[tuple[object, ...]]) -> pl.DataFrame:
    return pl.DataFrame([(d, t, lat, "-1.55", a) for d, t, lat, a in sample], orient="row",
                        schema=dict.fromkeys(FIX_COLUMNS, pl.String))


def _earlier_report(raw: pl.DataFrame) -> tuple[list[Problem], int, set[tuple[object, ...]]]:
    """The checks as first written: every id stripped, repeats found on a struct."""
    number = pl.col("latitude").str.strip_chars().cast(pl.Float64, strict=False)
    acc = pl.col("accuracy_m").str.strip_chars().cast(pl.Float64, strict=False)
    frame = raw.with_row_index("row", offset=1).with_columns(
        pl.col("row").cast(pl.Int64), pl.col("device_id").str.strip_chars(),
        iso_time("fix_time").alias("time"), number.alias("lat"), acc.alias("acc"))
    checks = [
        ("device_id", pl.col("device_id").fill_null("") == "", "Enter the device id"),
        ("fix_time", pl.col("time").is_null(),
         "Not an ISO 8601 time with an offset, such as 2025-06-02T14:05:00+01:00"),
        ("latitude", ~pl.col("lat").is_between(-90, 90).fill_null(False),
         "Not a latitude from -90 to 90 (WGS84 degrees)"),
        ("accuracy_m", (pl.col("accuracy_m").str.strip_chars().fill_null("") != "")
         & ~(pl.col("acc") >= 0).fill_null(False),
         "Not an accuracy in metres (0 or more), or leave it empty"),
        ("fix_time", pl.struct("device_id", "time").is_duplicated() & pl.col("time").is_not_null(),
         "The same device and time appear on another row of the file")]
    found = pl.concat([frame.filter(bad).select("row", pl.lit(c).alias("column"),
                                                pl.lit(r).alias("reason"))
                       for c, bad, r in checks]).sort("row", "column")
    bad = set(found["row"].to_list())
    good = frame.filter(~pl.col("row").is_in(list(bad))).select("row", "device_id", "time")
    return ([Problem(*p) for p in found.head(MAX_PROBLEMS).iter_rows()], found.height,
            set(good.iter_rows()))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sample=rows)
def test_the_report_and_the_good_rows_are_those_of_the_earlier_checks(sample):
    raw = _raw(sample)
    problems, count, good = _earlier_report(raw)
    checked = check_fixes(raw)
    assert (checked.problems, checked.problem_count) == (problems, count)
    assert set(checked.rows.select("row", "device_id", "fix_time").iter_rows()) == good
    order = [(t.date(), d, t) for _, d, t in
             checked.rows.select("row", "device_id", "fix_time").iter_rows()]
    assert order == sorted(order)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(DEVICES), st.integers(-3_000_000, 3_000_000)),
                min_size=1, max_size=30))
def test_the_key_orders_by_day_device_and_time_and_is_equal_only_for_the_same_fix(pairs):
    base = datetime(2025, 3, 4, tzinfo=UTC)
    times = [base + timedelta(minutes=m) for _, m in pairs]
    key = fixorder.store_key(pl.Series([d for d, _ in pairs], dtype=pl.String),
                             pl.Series(times)).to_list()
    fixes = [(t.date(), "" if d is None else "\x00" + d, t) for (d, _), t in zip(pairs, times,
                                                                                   strict=True)]
    for i, a in enumerate(fixes):
        for j, b in enumerate(fixes):
            assert (key[i] < key[j]) == (a < b) and (key[i] == key[j]) == (a == b)


def test_a_century_of_many_tags_takes_the_wide_key_and_keeps_the_order():
    devices = pl.Series([f"T{i:04d}" for i in range(3000)] * 2)
    times = pl.Series([datetime(1900, 1, 1, tzinfo=UTC)] * 3000
                      + [datetime(2100, 1, 1, tzinfo=UTC)] * 3000)
    key = fixorder.store_key(devices, times)
    assert key.dtype == pl.Int128 and key.is_sorted() and key.n_unique() == 6000


@pytest.fixture
def fixes_of_two_days() -> pl.DataFrame:
    times = [datetime(2025, 3, 4, 23, 58, tzinfo=UTC) + timedelta(minutes=m) for m in range(4)]
    return pl.DataFrame({"device_id": ["B", "A"] * 4, "fix_time": sorted(times * 2),
                         "latitude": [53.8] * 8, "longitude": [-1.55] * 8,
                         "accuracy_m": [5.0] * 8, "import_id": [1] * 8})


def _kept(day: date) -> pl.DataFrame:
    return pl.read_parquet(fixstore.day_path(1, day))


def test_day_files_are_sorted_by_device_and_time_and_merged_only_with_what_is_new(
        fixes_of_two_days):
    first = fixes_of_two_days.filter(pl.col("fix_time").dt.minute() != 59)
    written, stored = fixstore.write_days(1, first)
    for day, path in written:
        fixstore.commit(1, day, path)
    assert stored == 6
    written, stored = fixstore.write_days(1, fixes_of_two_days.with_columns(import_id=2))
    assert stored == 2 and [day for day, _ in written] == [date(2025, 3, 4)]
    for day, path in written:
        fixstore.commit(1, day, path)
    expected = fixes_of_two_days.with_columns(
        import_id=pl.when(pl.col("fix_time").dt.minute() == 59).then(2).otherwise(1))
    for day in (date(2025, 3, 4), date(2025, 3, 5)):
        assert _kept(day).equals(expected.filter(pl.col("fix_time").dt.date() == day)
                                 .sort("device_id", "fix_time"))
    assert fixstore.write_days(1, fixes_of_two_days) == ([], 0)


def test_a_day_that_fails_leaves_no_temporary_file(fixes_of_two_days, monkeypatch):
    def refuse(partnership_id, day, new):
        if day == date(2025, 3, 5):
            raise OSError("disk full")
        return original(partnership_id, day, new)

    original = fixstore.merge_day
    monkeypatch.setattr(fixstore, "merge_day", refuse)
    with pytest.raises(OSError, match="disk full"):
        fixstore.write_days(1, fixes_of_two_days)
    assert not list(fixstore.day_path(1, date(2025, 3, 4)).parent.glob(".*.tmp"))
