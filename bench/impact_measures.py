"""Every impact measure for N synthetic people in one batch (issue 15).

Run from the repository root:

    python -m bench.impact_measures --people 1000000 --tables /tmp/synth
    python -m bench.impact_measures --people 20000            # generated in memory

The inputs are those of a real run: the four tables of docs/data.md and the
scores (the batch scorer's output, computed before the clock starts, as the
nightly run stores them). Everyone gets a selection date in the two years to
the as-of date; ``--treated`` of them (2% by default) are the cohort, everyone
else is the comparison pool. The clock covers ``build_tables`` (windows,
counts, matching with the bootstrap, balance, composition, disproportionality)
and suppression, reported step by step. Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from iom.reporting.measures.assemble import ImpactFrames, build_tables, suppressed_tables
from iom.reporting.measures.batch import person_measures_frame
from iom.reporting.measures.config import load_config
from iom.scoring.batch import read_tables, score_tables
from iom.scoring.engine import default_config
from iom.synthetic import DEFAULT_AS_OF, generate


def main(argv: list[str] | None = None) -> dict[str, float]:
    args = _parser().parse_args(argv)
    frames = _frames(args)
    cfg, scoring = load_config(), default_config()
    start = args.as_of - timedelta(days=729)
    figures: dict[str, float] = {"people": frames.people.height,
                                 "events": frames.events.height,
                                 "treated": frames.treated.height}
    began, cpu = time.perf_counter(), time.process_time()
    everyone = pl.concat([frames.treated.select("person_id", "index_date"),
                          frames.comparison])
    person_measures_frame(frames.events, frames.custody, everyone, args.as_of, cfg, scoring)
    figures["windows_and_counts_s"] = round(time.perf_counter() - began, 2)
    figures["windows_and_counts_cpu_s"] = round(time.process_time() - cpu, 2)
    began, cpu = time.perf_counter(), time.process_time()
    tables, result = build_tables(frames, date_from=start, date_to=args.as_of, period="bench",
                                  labels={}, cfg=cfg, scoring=scoring)
    suppressed_tables(tables, cfg)
    figures["all_measures_s"] = round(time.perf_counter() - began, 2)
    figures["all_measures_cpu_s"] = round(time.process_time() - cpu, 2)
    figures["load_average"] = round(os.getloadavg()[0], 1)
    figures["treated_matched"] = result.treated_matched
    figures["comparison_matched"] = result.comparison_matched
    figures["did"] = round(result.did or 0.0, 4)
    figures["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    for name, value in figures.items():
        print(f"{name:>22}: {value:,}")
    return figures


def _frames(args: argparse.Namespace) -> ImpactFrames:
    """The inputs, outside the clock: tables, scores and a synthetic selection."""
    if args.tables:
        t = read_tables(args.tables)
        people, events, custody, intel = (t.people.collect(), t.events.collect(),
                                          t.custody.collect(), t.intelligence.collect())
    else:
        g = generate(args.people, seed=args.seed, as_of=args.as_of)
        people, events, custody, intel = g.people, g.events, g.custody, g.intelligence
    scores = score_tables(people, events, custody, intel, as_at=args.as_of).select(
        "person_id", ogrs3=pl.col("ogrs3_2y_percent").cast(pl.Float64),
        risk=pl.col("risk").cast(pl.Float64), css=pl.col("css"))
    rng = np.random.default_rng(args.seed)
    n = people.height
    ids = people["person_id"].to_numpy()
    days = rng.integers(0, 730, n)
    index = pl.DataFrame({"person_id": ids, "index_date": [
        args.as_of - timedelta(days=int(d)) for d in days]},
        schema={"person_id": pl.Int64, "index_date": pl.Date})
    chosen = rng.random(n) < args.treated
    treated = index.filter(pl.Series(chosen)).with_columns(
        cohort_type=pl.lit("fixed"), rag=pl.lit("amber"))
    comparison = index.filter(~pl.Series(chosen))
    memberships = treated.select(
        "person_id", "cohort_type", "rag", strand=pl.lit("standard"),
        placed_on="index_date", ended_on=pl.lit(None, pl.Date))
    return ImpactFrames(
        events=events, custody=custody,
        people=people.select("person_id", "date_of_birth", pl.col("gender").cast(pl.String),
                             pl.col("ethnicity").cast(pl.String),
                             pl.col("district").cast(pl.String)),
        treated=treated.select("person_id", "index_date", "cohort_type"),
        comparison=comparison, eligible=comparison.select("person_id"),
        scores_at_index=scores, scores_at_report=scores, memberships=memberships,
        outcomes=pl.DataFrame(schema={"kind": pl.String, "status": pl.String,
                                      "recorded_on": pl.Date}),
        referrals=pl.DataFrame(schema={"pathway": pl.String, "status": pl.String,
                                       "status_on": pl.Date}))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--tables", type=Path, help="a folder of Parquet tables to read")
    parser.add_argument("--treated", type=float, default=0.02, help="share on the cohort")
    parser.add_argument("--seed", type=int, default=20151)
    parser.add_argument("--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF)
    return parser


if __name__ == "__main__":
    main()
