"""All five scores for N people in one batch, against the pure scorers' rate.

Run from the repository root:

    python -m bench.score_batch --people 1000000
    python -m bench.score_batch --people 1000000 --tables /tmp/synth

Without --tables the synthetic tables are generated in memory and the batch is
timed from those frames. With --tables it reads the Parquet files written by
`python -m bench.generate_synthetic` and the timing includes reading them.
The pure scorers are timed on a sample (people 1..S) in the same run, their
results are compared with the batch's, and both rates, their ratio and the
peak memory during the batch are printed. Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import time
from datetime import date
from pathlib import Path
from typing import Any

from iom.scoring.batch import person_facts, read_tables, score_tables
from iom.scoring.batch.compare import differences
from iom.scoring.engine import default_config, score_person

_CLEAR_REFS = Path("/proc/self/clear_refs")
_STATUS = Path("/proc/self/status")


def main(argv: list[str] | None = None) -> dict[str, float]:
    args = _parser().parse_args(argv)
    tables = _tables(args)
    default_config()  # load the reference files before the clock starts
    _reset_peak_rss()
    load = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), time.process_time()
    scored = score_tables(*tables, as_at=args.as_at)
    batch_seconds = time.perf_counter() - started
    batch_cpu = time.process_time() - cpu_started  # all threads: up to 2 x wall on 2 cores
    batch_peak = _peak_rss_mib()
    sample = list(range(1, min(args.sample, scored.height) + 1))
    facts = person_facts(*tables, person_ids=sample)
    started = time.perf_counter()
    pure = [score_person(f, args.as_at) for f in facts]
    pure_seconds = time.perf_counter() - started
    head = scored.filter(scored["person_id"] <= len(sample))
    rows = {r["person_id"]: r for r in head.to_dicts()}
    pairs = zip(facts, pure, strict=True)
    mismatches = sum(bool(differences(p, rows[f.person_id])) for f, p in pairs)
    figures = _figures(scored.height, batch_seconds, len(facts), pure_seconds, batch_peak)
    figures["sample_mismatches"] = mismatches
    # On a shared machine the wall time grows with other work; CPU time much less so.
    figures["batch_cpu_seconds"] = round(batch_cpu, 2)
    figures["load_average_1m"] = round(load, 2)
    for name, value in figures.items():
        print(f"{name:>22}: {value:,}")
    return figures


def _tables(args: argparse.Namespace) -> tuple[Any, Any, Any, Any]:
    if args.tables:
        t = read_tables(args.tables)
        return t.people, t.events, t.custody, t.intelligence
    from iom.synthetic import generate

    g = generate(args.people, as_of=args.as_at)
    return g.people, g.events, g.custody, g.intelligence


def _figures(
    people: int, batch_s: float, sample: int, pure_s: float, peak: int
) -> dict[str, float]:
    batch_rate = people / batch_s
    pure_rate = sample / pure_s if pure_s else float("inf")
    return {
        "people": people,
        "batch_seconds": round(batch_s, 2),
        "batch_people_per_s": round(batch_rate),
        "pure_sample": sample,
        "pure_people_per_s": round(pure_rate),
        "ratio": round(batch_rate / pure_rate, 1),
        "batch_peak_rss_mib": peak,
        "process_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _reset_peak_rss() -> None:
    """Linux: writing 5 to clear_refs resets the peak (VmHWM) to the current RSS."""
    # Where that is refused, the peak also covers generating the tables.
    with contextlib.suppress(OSError):
        _CLEAR_REFS.write_text("5")


def _peak_rss_mib() -> int:
    for line in _STATUS.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--tables", type=Path, help="read the Parquet tables from this folder")
    parser.add_argument("--sample", type=int, default=2_000, help="people for the pure scorers")
    parser.add_argument("--as-at", type=date.fromisoformat, default=date(2026, 11, 1))
    return parser


if __name__ == "__main__":
    main()
