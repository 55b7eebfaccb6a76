"""The order fixes are kept in: by UTC day, then device, then time (each day file of
the fix store is sorted by device and time; ADR 0010). Pure: Polars, no Django.

One integer per fix carries that order, so that sorting 20 M fixes and finding a device
and time given twice are single-column operations: on text and times together (a sort
on two columns, a hash of a struct) they cost seconds more (docs/benchmarks.md).
"""

from __future__ import annotations

import polars as pl

US_PER_DAY = 86_400_000_000
TIME_BITS = 37  # 2**37 microseconds is more than a day
INT64_BITS = 62  # leave the sign bit and one spare


def store_key(device: pl.Series, time: pl.Series) -> pl.Series:
    """A key that orders fixes by (day, device, time) and is equal exactly when device
    and time are; null where the time is.

    1. Each distinct device id gets its rank in text order (found on the distinct values,
       a file's few hundred or thousand tags, not on every row); a missing id ranks 0.
    2. Each time is split into its day (counted from the file's first) and the
       microseconds into that day.
    3. The key is day, rank and microseconds side by side in the bits of one integer:
       Int64 when they fit (a file of weeks and up to millions of tags), else Int128.
    """
    codes = device.cast(pl.String).cast(pl.Categorical)
    distinct = codes.unique().drop_nulls()
    ranks = codes.to_physical().replace_strict(
        distinct.to_physical(), distinct.cast(pl.String).rank("dense").cast(pl.Int64),
        default=0, return_dtype=pl.Int64).fill_null(0)
    micros = time.dt.epoch("us")
    days = micros // US_PER_DAY
    first, last = days.min(), days.max()
    if first is None or last is None:
        return pl.Series("key", [None] * len(time), dtype=pl.Int64)
    assert isinstance(first, int) and isinstance(last, int)
    device_bits = (distinct.len() + 1).bit_length()
    day_bits = (last - first).bit_length()
    dtype = pl.Int64 if day_bits + device_bits + TIME_BITS <= INT64_BITS else pl.Int128
    return pl.select(
        (pl.lit(days - first).cast(dtype) * pl.lit(1 << (device_bits + TIME_BITS), dtype))
        + (pl.lit(ranks).cast(dtype) * pl.lit(1 << TIME_BITS, dtype))
        + pl.lit(micros - days * US_PER_DAY).cast(dtype)).to_series().alias("key")


def repeated(key: pl.Expr) -> pl.Expr:
    """Whether a row's key is also on the row before or after (the rows sorted by key)."""
    return ((key == key.shift(1)) | (key == key.shift(-1))).fill_null(False)


def in_store_order(frame: pl.DataFrame, device: str = "device_id",
                   time: str = "fix_time") -> pl.DataFrame:
    """The rows sorted by day, device and time (as they are, when they already are)."""
    key = store_key(frame[device], frame[time])
    if key.is_sorted(nulls_last=True):
        return frame
    return frame.with_columns(key.alias("__key")).sort("__key", nulls_last=True).drop("__key")
