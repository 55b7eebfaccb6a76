"""Where the batch scorer spends its time: wall and CPU seconds per stage.

Run from the repository root, on tables written by bench/generate_synthetic.py:

    python -m bench.score_stages --tables /tmp/synth

It calls the steps of `iom.scoring.batch.score.score_tables` in the same order,
but collects each one on its own, so the four sums that `score_tables` runs
together are timed apart and the total is a little higher than the real run's.
CPU time counts every thread: on two idle cores it can reach twice the wall time.
Each stage's output rows are shown (the prepared events: the rows kept).
Figures: docs/benchmarks.md, "Scoring".
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from iom.scoring.batch import read_tables
from iom.scoring.batch import score as s
from iom.scoring.batch.css import custody_windows, earliest_start, zone_aggregates
from iom.scoring.batch.events import event_aggregates, prepared_events, sanction_aggregates
from iom.scoring.batch.frames import windows
from iom.scoring.batch.intel import intel_aggregates
from iom.scoring.batch.lookups import lookups
from iom.scoring.batch.ogrs3 import with_ogrs3
from iom.scoring.batch.risk import with_risk
from iom.scoring.engine.config import default_config

Stage = tuple[str, Callable[[], Any]]


def main(argv: list[str] | None = None) -> dict[str, tuple[float, float]]:
    args = _parser().parse_args(argv)
    t, cfg, as_at = read_tables(args.tables), default_config(), args.as_at
    lk, w = lookups(cfg), windows(as_at, cfg)
    got: dict[str, Any] = {}
    stages: list[Stage] = [
        ("custody windows", lambda: custody_windows(t.custody, w, cfg)),
        ("prepared events (read)", lambda: prepared_events(
            t.events, lk, w, cfg, earliest_start(got["custody windows"], w))),
        ("event sums", lambda: event_aggregates(ev(), lk, w, cfg).collect()),
        ("sanctions (OGRS 3)", lambda: sanction_aggregates(ev(), cfg).collect()),
        ("intelligence sums", lambda: intel_aggregates(t.intelligence, lk, w, cfg).collect()),
        ("CSS extended windows", lambda: zone_aggregates(
            ev(), got["custody windows"], lk, w, cfg).collect()),
        ("people and joins", lambda: _joined(t.people, got)),
        ("OGRS 3 per person", lambda: with_ogrs3(
            got["people and joins"].lazy(), lk, as_at, cfg).collect(engine="in-memory")),
        ("risk and emerging", lambda: with_risk(
            got["OGRS 3 per person"].lazy(), w.before, cfg).collect(engine="in-memory")),
        ("outputs", lambda: got["risk and emerging"].lazy().select(
            s._outputs(w, cfg)).collect(engine="in-memory")),
    ]

    def ev() -> pl.LazyFrame:
        return got["prepared events (read)"].lazy()  # type: ignore[no-any-return]

    return _run(stages, got)


def _run(stages: list[Stage], got: dict[str, Any]) -> dict[str, tuple[float, float]]:
    times: dict[str, tuple[float, float]] = {}
    for name, step in stages:
        wall, cpu = time.perf_counter(), time.process_time()
        got[name] = step()
        times[name] = (time.perf_counter() - wall, time.process_time() - cpu)
    times["total"] = (sum(v[0] for v in times.values()), sum(v[1] for v in times.values()))
    for name, (wall_s, cpu_s) in times.items():
        rows = got.get(name)
        shown = f"  {rows.height:,} rows" if isinstance(rows, pl.DataFrame) else ""
        print(f"{name:>24}: wall {wall_s:6.2f} s  cpu {cpu_s:6.2f} s{shown}")
    return times


def _joined(people: pl.LazyFrame, got: dict[str, Any]) -> pl.DataFrame:
    parts = ("event sums", "sanctions (OGRS 3)", "intelligence sums", "CSS extended windows",
             "custody windows")
    return s.joined(people, [got[name] for name in parts]).collect(engine="in-memory")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--tables", type=Path, required=True)
    parser.add_argument("--as-at", type=date.fromisoformat, default=date(2026, 11, 1))
    return parser


if __name__ == "__main__":
    main()
