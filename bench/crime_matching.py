"""Crime-scene matching at scale: 20 M fixes against 10,000 crimes, in memory.

    .venv/bin/python bench/crime_matching.py --tags 1000 --days 14 --crimes 10000
    .venv/bin/python bench/crime_matching.py ... --postgis   # the same match in PostGIS

Generates (not timed) 1,000 tags reporting once a minute for 14 days (20.2 M fixes,
a random walk each in a 30 km square, some tags silent for an hour now and then)
and 10,000 crimes (windows of up to 2 h, half of them at a place a wearer passed);
writes the fixes as day Parquet files like the fix store; then times, side by side:

- ``read``: the fixes of the crimes' days from Parquet with Polars, to arrays;
- ``index``: the cell index (one sort of the fixes by cell and second);
- ``placed``: the fixes within 100 m of each crime in its window;
- ``match``: every outcome for every crime and wearer active in its window
  (placed, eliminated or not eliminated) as a crimes x wearers table, on the index
  built once for the data; ``pairs``: the same listed as one row per pair;
- with ``--postgis``: the placed pairs with ``ST_DWithin`` on geography, GiST and a
  time index, in a throw-away database (installs Debian's postgresql-15-postgis-3
  when the extension is missing), checked identical to ours.

Targets (issue 14): the match in at most 1 s; PostGIS at least 10x slower with the
same placed pairs. Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from iom.monitoring.batchmatch import (
    OUTCOMES,
    CellIndex,
    Crimes,
    Fixes,
    match_arrays,
    outcome_table,
    placed,
    stable_order,
)
from iom.monitoring.matching import EARTH_RADIUS_M, Params

M_PER_DEG = EARTH_RADIUS_M * math.pi / 180
LAT0, LON0, T0 = 53.8, -1.55, 1_735_689_600.0  # 1 January 2025, 00:00 UTC


def generate(tags: int, days: int, crimes: int, seed: int) -> tuple[pl.DataFrame, Crimes]:
    rng = np.random.default_rng(seed)
    minutes = days * 24 * 60
    steps = rng.normal(0, 25, size=(tags, minutes, 2)).astype(np.float64)  # metres a minute
    start = rng.uniform(-15_000, 15_000, size=(tags, 1, 2))
    walk = start + np.cumsum(steps, axis=1)
    keep = np.ones((tags, minutes), bool)
    for tag in range(tags):  # about one silent hour a day
        for begin in rng.integers(0, minutes - 60, size=days):
            keep[tag, begin:begin + int(rng.integers(5, 60))] = False
    tag_idx, minute_idx = np.nonzero(keep)
    east, north = walk[tag_idx, minute_idx, 0], walk[tag_idx, minute_idx, 1]
    frame = pl.DataFrame({
        "device": tag_idx.astype(np.int64), "time": T0 + minute_idx * 60.0,
        "latitude": LAT0 + north / M_PER_DEG,
        "longitude": LON0 + east / (M_PER_DEG * math.cos(math.radians(LAT0)))})
    c_start = T0 + rng.uniform(0, minutes * 60 - 7200, size=crimes)
    c_end = c_start + rng.uniform(0, 7200, size=crimes)
    c_east = rng.uniform(-15_000, 15_000, size=crimes)
    c_north = rng.uniform(-15_000, 15_000, size=crimes)
    passed = rng.random(crimes) < 0.5  # half at a place some wearer was, in the window
    pick = rng.integers(0, len(tag_idx), size=crimes)
    c_east = np.where(passed, east[pick] + rng.normal(0, 40, crimes), c_east)
    c_north = np.where(passed, north[pick] + rng.normal(0, 40, crimes), c_north)
    mid = T0 + minute_idx[pick] * 60.0
    c_start = np.where(passed, mid - rng.uniform(0, 3600, crimes), c_start)
    c_end = np.where(passed, c_start + rng.uniform(0, 7200, crimes), c_end)
    c_end = np.maximum(c_end, c_start)
    return frame, Crimes(c_start, c_end, LAT0 + c_north / M_PER_DEG,
                         LON0 + c_east / (M_PER_DEG * math.cos(math.radians(LAT0))))


def write_days(frame: pl.DataFrame, folder: Path) -> None:
    day = ((pl.col("time") - T0) // 86400).cast(pl.Int64)
    for (number,), part in frame.with_columns(day.alias("day")).group_by("day"):
        part.drop("day").sort("device", "time").write_parquet(folder / f"day-{number}.parquet")


def read_days(folder: Path) -> Fixes:
    """The day files in day order (each sorted by device and time), then a stable sort
    by device: every device's fixes in time order."""
    paths = sorted(folder.glob("day-*.parquet"), key=lambda p: int(p.stem.split("-")[1]))
    frame = pl.concat([pl.read_parquet(p) for p in paths])
    device = frame["device"].to_numpy()
    order = stable_order(device)
    return Fixes(device[order], frame["time"].to_numpy()[order],
                 frame["latitude"].to_numpy()[order], frame["longitude"].to_numpy()[order])


def timed(figures: dict[str, Any], name: str, work: Any) -> Any:
    """Wall time, and this process's CPU time (the machine is shared: the load average
    is reported with the figures)."""
    began, cpu = time.perf_counter(), time.process_time()
    result = work()
    figures[f"{name}_s"] = round(time.perf_counter() - began, 3)
    figures[f"{name}_cpu_s"] = round(time.process_time() - cpu, 3)
    return result


def _index(fixes: Fixes, params: Params) -> CellIndex:
    index = CellIndex(fixes, params.radius_m)
    index.gaps_over(params.max_gap_s)
    return index


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tags", type=int, default=1000)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--crimes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--postgis", action="store_true")
    args = parser.parse_args(argv)
    params = Params(radius_m=100.0, pad_s=0.0, max_gap_s=600.0)
    figures: dict[str, Any] = {}
    frame, crimes = generate(args.tags, args.days, args.crimes, args.seed)
    figures["fixes"], figures["crimes"] = frame.height, args.crimes
    with tempfile.TemporaryDirectory() as folder:
        write_days(frame, Path(folder))
        del frame
        fixes = timed(figures, "read", lambda: read_days(Path(folder)))
    index = timed(figures, "index", lambda: _index(fixes, params))
    found = timed(figures, "placed", lambda: placed(index, crimes, params))
    starts = np.full(args.tags, -np.inf)
    ends = np.full(args.tags, np.inf)
    table, _ = timed(figures, "match", lambda: outcome_table(fixes, crimes, params, starts,
                                                             ends, index))
    outcomes = timed(figures, "pairs", lambda: match_arrays(fixes, crimes, params, starts,
                                                            ends, index))
    figures["placed_pairs"] = len(found.crime)
    figures["outcomes"] = {name: int((table == i).sum()) for i, name in enumerate(OUTCOMES)}
    assert figures["outcomes"]["placed"] == int((outcomes.outcome == 0).sum())
    figures["end_to_end_s"] = round(figures["read_s"] + figures["index_s"]
                                    + figures["match_s"], 3)
    if args.postgis:
        from bench.crime_matching_postgis import compare

        figures.update(compare(fixes, crimes, params, found))
    figures["load_average"] = [round(x, 1) for x in os.getloadavg()]
    figures["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
