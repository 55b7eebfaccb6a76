"""Where location fixes are kept: one Parquet file per partnership and UTC day
(docs/adr/0010-location-fixes-in-parquet.md). A window's read opens only its days.

Columns: device_id, fix_time (UTC, microseconds), latitude, longitude, accuracy_m,
import_id. Rows are unique on (device_id, fix_time) and sorted by them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl
from django.conf import settings

from . import fixorder

SCHEMA = pl.Schema({"device_id": pl.String(), "fix_time": pl.Datetime("us", "UTC"),
                    "latitude": pl.Float64(), "longitude": pl.Float64(),
                    "accuracy_m": pl.Float64(), "import_id": pl.Int64()})


def _folder(partnership_id: int) -> Path:
    return Path(settings.IOM_FIX_STORE_DIR) / f"partnership-{partnership_id}"


def day_path(partnership_id: int, day: date) -> Path:
    return _folder(partnership_id) / f"{day.isoformat()}.parquet"


def partnerships() -> list[int]:
    """The partnerships with a folder of fixes, in order."""
    root = Path(settings.IOM_FIX_STORE_DIR)
    if not root.is_dir():
        return []
    found = []
    for folder in root.iterdir():
        name, _, number = folder.name.partition("-")
        if folder.is_dir() and name == "partnership" and number.isdigit():
            found.append(int(number))
    return sorted(found)


def stored_days(partnership_id: int) -> list[date]:
    """The days with a file of fixes, in order (temporary files of an import are not
    days)."""
    folder = _folder(partnership_id)
    if not folder.is_dir():
        return []
    days = []
    for path in folder.glob("*.parquet"):
        try:
            days.append(date.fromisoformat(path.stem))
        except ValueError:
            continue
    return sorted(days)


def count_day(partnership_id: int, day: date) -> int:
    """How many fixes the day's file holds (read from the file's metadata)."""
    path = day_path(partnership_id, day)
    if not path.exists():
        return 0
    return int(pl.scan_parquet(path).select(pl.len()).collect().item())


def remove_day(partnership_id: int, day: date) -> None:
    day_path(partnership_id, day).unlink(missing_ok=True)


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMA)


def read_day(partnership_id: int, day: date) -> pl.DataFrame:
    path = day_path(partnership_id, day)
    return pl.read_parquet(path) if path.exists() else empty()


def _days(start: datetime, end: datetime) -> Iterable[date]:
    day, last = start.astimezone(UTC).date(), end.astimezone(UTC).date()
    while day <= last:
        yield day
        day += timedelta(days=1)


def read_window(partnership_id: int, start: datetime, end: datetime,
                devices: Iterable[str] | None = None) -> pl.DataFrame:
    """The fixes from ``start`` to ``end`` inclusive, of the given devices (or all)."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    paths = [str(day_path(partnership_id, d)) for d in _days(start, end)
             if day_path(partnership_id, d).exists()]
    if not paths:
        return empty()
    query = pl.scan_parquet(paths).filter(pl.col("fix_time").is_between(start, end))
    if devices is not None:
        query = query.filter(pl.col("device_id").is_in(list(devices)))
    return query.sort("device_id", "fix_time").collect()


# Day files are written side by side: Polars releases the GIL while it compresses and
# writes, so each core writes a day.
WRITERS = max(2, min(8, os.cpu_count() or 2))


def merge_day(partnership_id: int, day: date, new: pl.DataFrame) -> tuple[Path | None, int]:
    """Write the day's file with the new fixes added to a temporary file beside it, and
    return it with how many were new (no file when none was); ``commit`` then puts it
    in place. A fix already kept for the same device and time is kept as it was (an
    import is idempotent); the new rows are unique among themselves (checked) and in
    store order (``fixorder.in_store_order``). A day without a file is written as it
    comes; only a day with one is read (its device and time first, the rest only when
    something is new) and sorted again."""
    path = day_path(partnership_id, day)
    merged = new = new.select(list(SCHEMA)).cast(SCHEMA)
    if path.exists():
        kept = pl.read_parquet(path, columns=["device_id", "fix_time"])
        new = new.join(kept, on=["device_id", "fix_time"], how="anti")
        if new.height:
            merged = fixorder.in_store_order(pl.concat([pl.read_parquet(path), new]))
    if not new.height:
        return None, 0
    folder = _folder(partnership_id)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{day.isoformat()}.{uuid.uuid4().hex}.tmp"
    merged.write_parquet(temporary, compression="zstd", statistics=True)
    return temporary, new.height


def write_days(partnership_id: int, fixes: pl.DataFrame) -> tuple[list[tuple[date, Path]], int]:
    """Each touched day's merged file written beside it (``merge_day``, the days side by
    side), with how many fixes were new; ``commit`` then puts each in place. Nothing is
    left behind when a day fails."""
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        futures = [(day, pool.submit(merge_day, partnership_id, day, part))
                   for day, part in _day_slices(fixorder.in_store_order(fixes))]
    written: list[tuple[date, Path]] = []
    stored, failure = 0, None
    for day, future in futures:
        try:
            temporary, new = future.result()
        except BaseException as exc:  # re-raised below, after clearing up
            failure = failure or exc
            continue
        written += [(day, temporary)] if temporary is not None else []
        stored += new
    if failure is not None:
        discard(path for _, path in written)
        raise failure
    return written, stored


def _day_slices(fixes: pl.DataFrame) -> Iterable[tuple[date, pl.DataFrame]]:
    """Each day's rows of fixes in store order (so a day's rows are next to each other)."""
    runs = fixes.select(pl.col("fix_time").dt.date().rle()).unnest("fix_time")
    offset = 0
    for length, day in runs.iter_rows():
        yield day, fixes.slice(offset, length)
        offset += length


def commit(partnership_id: int, day: date, temporary: Path) -> None:
    os.replace(temporary, day_path(partnership_id, day))


def discard(temporaries: Iterable[Path]) -> None:
    for path in temporaries:
        path.unlink(missing_ok=True)
