"""How the risk-of-reoffending grades split on synthetic people, and how a scale would move them.

    python -m iom.scoring.calibrate --people 20000

The score is a sum of point figures, so multiplying every figure in [risk] by a
factor multiplies each score by about that factor (each line is rounded on its
own). The table shows the grade split for several factors; pick one, multiply
the figures in reference/scoring.toml by it, and run again to confirm.
"""

from __future__ import annotations

import argparse
from datetime import date

import polars as pl

from iom.scoring.batch import score_tables
from iom.scoring.engine.config import default_config

FACTORS = (0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25)


def grade_split(scores: pl.Series, factor: float = 1.0) -> dict[str, float]:
    """Share of people in each seed 003 grade when every score is multiplied by `factor`."""
    grades = dict(default_config().risk.grades)
    scaled = scores * factor
    n = max(len(scores), 1)
    high = int((scaled >= grades["high"]).sum()) / n
    medium = int((scaled >= grades["medium"]).sum()) / n - high
    low = int((scaled >= grades["low"]).sum()) / n - high - medium
    return {"not_brought_on": 1 - low - medium - high, "low": low, "medium": medium, "high": high}


def main() -> None:
    from iom.synthetic import generate  # only this tool needs the generator

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20151)
    parser.add_argument("--as-at", type=date.fromisoformat, default=date(2026, 11, 1))
    args = parser.parse_args()
    tables = generate(args.people, seed=args.seed, as_of=args.as_at)
    scored = score_tables(tables.people, tables.events, tables.custody, tables.intelligence,
                          args.as_at)
    print(f"{args.people} synthetic people, seed {args.seed}, as at {args.as_at}")
    print("factor  not_brought_on    low  medium   high")
    for factor in FACTORS:
        split = grade_split(scored["risk"], factor)
        print(f"{factor:6.2f}  {split['not_brought_on']:14.3f} {split['low']:6.3f} "
              f"{split['medium']:7.3f} {split['high']:6.3f}")
    emerging = int(scored["emerging_band"].eq("emerging").sum()) / max(scored.height, 1)
    print(f"emerging threat at the current settings: {emerging:.3f}")


if __name__ == "__main__":
    main()
