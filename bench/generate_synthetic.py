"""Generate the synthetic tables at full scale and report rows, wall time and peak memory.

Run from the repository root:

    python -m bench.generate_synthetic --people 1000000 --out /tmp/synth

(or ``PYTHONPATH=. python bench/generate_synthetic.py ...``). Measured figures are in
docs/data.md, section "Generator".
"""

from __future__ import annotations

import argparse
import resource
import time
from datetime import date
from pathlib import Path

import polars as pl

from iom.synthetic import DEFAULT_AS_OF, DEFAULT_SEED, write_synthetic


def main(argv: list[str] | None = None) -> dict[str, float]:
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    paths = write_synthetic(args.people, args.out, seed=args.seed, as_of=args.as_of)
    seconds = time.perf_counter() - started
    figures: dict[str, float] = {
        name: pl.scan_parquet(path).select(pl.len()).collect().item()
        for name, path in paths.items()
    }
    figures["seconds"] = round(seconds, 1)
    # On Linux ru_maxrss is in KiB; the generator runs in this process, so this is its peak.
    figures["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    for name, value in figures.items():
        print(f"{name:>14}: {value:,}")
    return figures


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF)
    return parser


if __name__ == "__main__":
    main()
