"""Bytes on disk of the fix store for a day of realistic trails.

    IOM_ENV=development DATABASE_URL=sqlite:///var/iom.sqlite3 \\
        .venv/bin/python bench/fix_store_size.py --tags 1000 [--tags 10000] [--decimals 6]

ADR 0010 sized the store from a day of random fixes, which compress worse than real
trails (people are still most of the day) and better in other ways (the random bench
reports exactly on the minute). This script generates a UTC day of trails that look
like a tag's (``trails``), writes them as the Parquet file an import takes, imports
them through ``import_fixes`` (the real check, attribution and day files) into the
loaded demo's partnership as police.om with a throw-away store (a temporary
IOM_FIX_STORE_DIR; the import record is rolled back), and measures the day file: bytes
per day per 1,000 tags, bytes per fix, and the year for a region (1,000 tags) and a
national scheme (10,000 tags). The same run also stores a day of the random fixes of
``bench/fix_import.py`` for comparison, and the share of each column (each written
alone, zstd, as the store writes it). Figures: docs/benchmarks.md, "Bytes on disk".
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DAY_START = np.datetime64("2025-03-04T00:00:00", "s")  # a Tuesday in GMT: UTC is local
MINUTES = 1440
# The region the homes are in: about 50 km by 30 km around a city centre.
CENTRE_LAT, CENTRE_LON = 53.80, -1.55
METRES_PER_DEG_LAT = 111_320.0
METRES_PER_DEG_LON = METRES_PER_DEG_LAT * np.cos(np.radians(CENTRE_LAT))


def _accuracy(rng: np.random.Generator, indoors: np.ndarray) -> np.ndarray:
    """Horizontal accuracy in whole metres as trackers report it: about 3 to 15 m in the
    open, 10 to 60 m or more indoors (a lognormal, as estimated errors are)."""
    outdoor = rng.lognormal(np.log(6.0), 0.45, indoors.size)
    indoor = rng.lognormal(np.log(22.0), 0.55, indoors.size)
    return np.clip(np.rint(np.where(indoors, indoor, outdoor)), 2, 250)


def _one_tag(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One tag's day, minute by minute, in metres east and north of the region's centre:
    at home overnight, out on a few trips by day (walking under 2 km, by car or bus
    beyond, along a route with turns), staying at each place a while; with GPS noise of
    a few metres outdoors and more indoors, and silent spells."""
    home = rng.uniform([-25_000, -15_000], [25_000, 15_000])
    east, north = np.empty(MINUTES), np.empty(MINUTES)
    indoors = np.ones(MINUTES, dtype=bool)
    place, minute = home.copy(), 0
    leave = int(np.clip(rng.normal(8.5 * 60, 90), 6 * 60, 14 * 60))
    back = int(np.clip(rng.normal(19 * 60, 150), leave + 60, 23.5 * 60))
    # A quarter of wearers stay in all day; the rest make one to four trips out.
    trips = 0 if rng.random() < 0.25 else int(rng.integers(1, 5))
    stops = [leave, *sorted(rng.integers(leave + 30, back, trips - 1).tolist()), back] \
        if trips else []
    targets = [home + rng.normal(0, 1, 2) / np.sqrt(2) * rng.choice([800, 3000, 9000])
               for _ in range(len(stops) - 1)] + [home] if trips else []
    for planned, target in zip(stops, targets, strict=True):
        at = max(planned, minute)  # a trip that ran late delays the next
        east[minute:at], north[minute:at] = place[0], place[1]  # staying put
        leg = target - place
        distance = float(np.abs(leg).sum())  # along the streets: east then north
        speed = rng.uniform(1.1, 1.6) if distance < 2000 else rng.uniform(6.0, 14.0)
        steps = max(1, int(np.ceil(distance / (speed * 60))))
        walked = np.minimum(np.arange(1, steps + 1) * speed * 60, distance)
        first = np.abs(leg[0])
        along_east = np.minimum(walked, first)
        along_north = np.maximum(walked - first, 0)
        end = min(at + steps, MINUTES)
        east[at:end] = (place[0] + np.sign(leg[0]) * along_east)[: end - at]
        north[at:end] = (place[1] + np.sign(leg[1]) * along_north)[: end - at]
        indoors[at:end] = False
        place, minute = target, end
    east[minute:], north[minute:] = place[0], place[1]
    noise = np.where(indoors, 9.0, 4.0)
    east = east + rng.normal(0, 1, MINUTES) * noise
    north = north + rng.normal(0, 1, MINUTES) * noise
    accuracy = _accuracy(rng, indoors)
    # A fix about once a minute, at the tag's own second, a second or two early or late.
    seconds = (np.arange(MINUTES) * 60 + int(rng.integers(0, 60))
               + rng.integers(-2, 3, MINUTES)).clip(0, 86_399)
    # Silent spells (flat battery, charging, no signal): none to three a day of 5 to
    # 90 minutes, and one fix in a hundred lost on its own.
    kept = rng.random(MINUTES) > 0.01
    for _ in range(int(rng.integers(0, 4))):
        start = int(rng.integers(0, MINUTES))
        kept[start:start + int(rng.integers(5, 91))] = False
    return {"seconds": seconds[kept], "east": east[kept], "north": north[kept],
            "accuracy": accuracy[kept]}


def trails(tags: int, decimals: int | None = 6, seed: int = 14) -> pl.DataFrame:
    """A UTC day of ``tags`` tags' fixes, in the import's columns. ``decimals``: the
    places the supplier gives latitude and longitude to (6 is about 0.1 m; None keeps
    every bit of the float)."""
    rng = np.random.default_rng(seed)
    parts = [_one_tag(rng) for _ in range(tags)]
    counts = np.array([part["seconds"].size for part in parts])
    lat = CENTRE_LAT + np.concatenate([p["north"] for p in parts]) / METRES_PER_DEG_LAT
    lon = CENTRE_LON + np.concatenate([p["east"] for p in parts]) / METRES_PER_DEG_LON
    if decimals is not None:
        lat, lon = np.round(lat, decimals), np.round(lon, decimals)
    seconds = np.concatenate([p["seconds"] for p in parts])
    times = (DAY_START + seconds.astype("timedelta64[s]")).astype("datetime64[us]")
    return pl.DataFrame({
        "device_id": pl.Series([f"BUD-{i:05d}" for i in range(tags)]).gather(
            np.repeat(np.arange(tags), counts)),
        "fix_time": pl.Series(times).dt.replace_time_zone("UTC"),
        "latitude": lat, "longitude": lon,
        "accuracy_m": np.concatenate([p["accuracy"] for p in parts])})


def _parquet(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


def column_bytes(path: Path) -> dict[str, int]:
    """Each column of a day file written alone as the store writes it (zstd, with
    statistics): roughly its share of the file."""
    day = pl.read_parquet(path)
    shares = {}
    for column in day.columns:
        buffer = io.BytesIO()
        day.select(column).write_parquet(buffer, compression="zstd", statistics=True)
        shares[column] = len(buffer.getvalue())
    return shares


def stored_day(data: bytes, user: Any, store: Path) -> dict[str, Any]:
    """Import the file and measure what the store holds for it."""
    from iom.monitoring.services import import_fixes

    before = {p: p.stat().st_size for p in store.rglob("*.parquet")}
    began = time.perf_counter()
    record = import_fixes(data=data, file_name="day.parquet", acting_user=user,
                          through="bench")
    seconds = time.perf_counter() - began
    files = [p for p in store.rglob("*.parquet") if p not in before]
    assert record.accepted and len(files) == 1, (record.problems, files)
    size = files[0].stat().st_size
    return {"fixes": record.stored, "bytes": size, "import_s": round(seconds, 2),
            "bytes_per_fix": round(size / record.stored, 2), "file": files[0]}


def measure(tags_list: list[int], decimals: int | None, user: Any,
            store: Path) -> dict[str, Any]:
    from bench.fix_import import fixes_file

    figures: dict[str, Any] = {"decimals": decimals, "days": {}}
    for tags in tags_list:
        began = time.perf_counter()
        data = _parquet(trails(tags, decimals, seed=14 + tags))
        generated = round(time.perf_counter() - began, 1)
        day = stored_day(data, user, store)
        per_thousand = day["bytes"] * 1000 / tags
        figures["days"][tags] = {
            "fixes": day["fixes"], "generate_s": generated, "import_s": day["import_s"],
            "import_file_mib": round(len(data) / 2**20, 1),
            "day_file_mib": round(day["bytes"] / 2**20, 2),
            "bytes_per_fix": day["bytes_per_fix"],
            "mib_per_day_per_1000_tags": round(per_thousand / 2**20, 2),
            "region_year_gib": round(per_thousand * 365 / 2**30, 2),
            "national_year_gib": round(per_thousand * 10 * 365 / 2**30, 1),
            "columns_kib": {k: v // 1024 for k, v in column_bytes(day["file"]).items()}}
        # Another partnership's day next time: the days are the same date.
        day["file"].unlink()
    # The random fixes the ADR's figure came from, 1.44 M, side by side.
    random_day = stored_day(fixes_file(1_440_000), user, store)
    figures["random_1440000"] = {
        "day_file_mib": round(random_day["bytes"] / 2**20, 2),
        "bytes_per_fix": random_day["bytes_per_fix"]}
    return figures


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tags", type=int, action="append",
                        help="tags in the day (repeat for more days; default 1000)")
    parser.add_argument("--decimals", type=int, default=6,
                        help="decimal places of latitude and longitude (-1: every bit)")
    args = parser.parse_args(argv)
    store = Path(tempfile.mkdtemp(prefix="fix-size-"))
    os.environ["IOM_FIX_STORE_DIR"] = str(store)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import transaction

    from iom.accounts.models import User

    user = User.objects.get(username="police.om")
    load_before = [round(x, 1) for x in os.getloadavg()]
    with transaction.atomic():
        figures = measure(args.tags or [1000], None if args.decimals < 0 else args.decimals,
                          user, store)
        transaction.set_rollback(True)
    figures["load_average"] = {"before": load_before,
                               "after": [round(x, 1) for x in os.getloadavg()]}
    for path in store.rglob("*.parquet"):
        path.unlink()
    print(json.dumps(figures, indent=1))
    return figures


if __name__ == "__main__":
    main()
