"""A writer of feed files for people already stored: any size, CSV or Parquet.

Built with numpy so that a million rows take seconds. ``bad`` rows break one
rule each (in turn: an unknown record type, a wrong PNC check character, a date
that is not a date, a missing source record id), for tests and demonstrations.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from iom.core.identifiers import known_offence_codes, make_pnc_id

from .feedformat import COLUMNS, is_parquet

TYPES = np.array(["arrest", "charge", "conviction", "caution", "breach", "recall",
                  "pending_case", "court_date", "bail_date", "wanted", "missing", "custody"])
WEIGHTS = np.array([20, 14, 18, 5, 4, 2, 8, 12, 6, 3, 1, 7], dtype=float)
COURTS = np.array(["Northshire Magistrates' Court", "Northshire Crown Court",
                   "Eastport Magistrates' Court"])
PRISONS = np.array(["HMP Northshire", "HMP Eastport", "HMP Westmoor"])
DISPOSALS = np.array(["custody", "suspended", "community", "fine", "discharge"])


def feed_frame(pnc_ids: list[str], *, rows: int, day: date, seed: int = 1, bad: int = 0,
               new_people: int = 0) -> pl.DataFrame:
    """``rows`` feed rows about the given people, as of ``day``."""
    rng = np.random.default_rng(seed)
    people = np.array(pnc_ids + _new_pncs(new_people, seed), dtype=object)
    if len(people) == 0:
        raise ValueError("There are no people with a PNC ID to write a feed about")
    kinds = rng.choice(TYPES, size=rows, p=WEIGHTS / WEIGHTS.sum())
    who = people[rng.integers(0, len(people), size=rows)]
    # Days before the file's day: what a feed reports has happened by then (court and
    # bail dates are put ahead of the day in _shape).
    days = rng.integers(-400, 1, size=rows)
    frame = pl.DataFrame({
        "record_type": kinds, "pnc_id": who.astype(str),
        "source_record_id": [f"PNC-{seed}-{i:09d}" for i in range(rows)],
        "offset": days, "length": rng.integers(30, 720, size=rows),
        "ho_code": rng.choice(np.array(sorted(known_offence_codes())), size=rows),
        "court": rng.choice(COURTS, size=rows), "establishment": rng.choice(PRISONS, size=rows),
        "disposal": rng.choice(DISPOSALS, size=rows),
        "custody_type": rng.choice(np.array(["remand", "sentence"]), size=rows),
    })
    frame = _shape(frame, day)
    frame = _identities(frame, set(pnc_ids))
    return _spoil(frame, bad) if bad else frame


def _new_pncs(count: int, seed: int) -> list[str]:
    return [make_pnc_id(2019, 9_000_000 + seed * 10_000 + i) for i in range(count)]


def _shape(frame: pl.DataFrame, day: date) -> pl.DataFrame:
    kind = pl.col("record_type")
    start = pl.lit(day) + pl.duration(days=pl.col("offset"))
    event = kind.is_in(["arrest", "charge", "conviction", "caution", "breach", "recall"])
    upcoming = kind.is_in(["court_date", "bail_date", "pending_case"])
    record_date = pl.when(upcoming).then(pl.lit(day) + pl.duration(days=pl.col("offset").abs()
                                                                 % 60)).otherwise(start)
    released = start + pl.duration(days=pl.col("length"))
    text = pl.String
    return frame.select(
        "record_type", "pnc_id", "source_record_id",
        record_date.dt.to_string("%Y-%m-%d").alias("record_date"),
        pl.when((kind == "custody") & (released < pl.lit(day))).then(released)
        .when(kind.is_in(["wanted", "missing"]) & (pl.col("offset") < -60))
        .then(start + pl.duration(days=30)).otherwise(None)
        .dt.to_string("%Y-%m-%d").alias("end_date"),
        pl.when(kind == "custody").then(released).otherwise(None)
        .dt.to_string("%Y-%m-%d").alias("expected_release_date"),
        pl.when(event | upcoming).then(pl.col("ho_code")).otherwise(None).alias("ho_code"),
        pl.when(kind.is_in(["wanted", "missing"])).then(pl.lit("Failed to appear"))
        .otherwise(None).cast(text).alias("description"),
        pl.when(kind == "conviction").then(pl.col("disposal")).otherwise(None).alias("disposal"),
        pl.lit(None, text).alias("sentence"),
        pl.when(event | upcoming).then(pl.col("court")).otherwise(None).alias("court"),
        pl.when(kind == "custody").then(pl.col("custody_type")).otherwise(None)
        .alias("custody_type"),
        pl.when(kind == "custody").then(pl.col("establishment")).otherwise(None)
        .alias("establishment"),
        # The optional exact OGRS 3 category: generated files leave it blank, as most do.
        pl.lit(None, text).alias("ogrs3_category"),
        # And the optional length of a sentence, which the generated sources do not send.
        pl.lit(None, text).alias("sentence_length_days"),
    )


def _identities(frame: pl.DataFrame, known: set[str]) -> pl.DataFrame:
    """Rows about people not yet stored carry enough identity to add them."""
    unknown = ~pl.col("pnc_id").is_in(sorted(known))
    serial = pl.col("pnc_id").str.slice(5, 7).cast(pl.Int64) % 1000
    return frame.with_columns(
        pl.when(unknown).then(pl.lit("Feed")).otherwise(None).alias("forename"),
        pl.when(unknown).then(pl.format("Person{}", serial)).otherwise(None).alias("surname"),
        pl.when(unknown).then(pl.lit("1990-01-01")).otherwise(None).alias("date_of_birth"),
        pl.when(unknown).then(pl.lit("M")).otherwise(None).alias("gender"),
    ).select(COLUMNS)


def _spoil(frame: pl.DataFrame, bad: int) -> pl.DataFrame:
    spoilers = [
        ("record_type", "teleportation"),
        ("pnc_id", "2012/0012345Q"),
        ("record_date", "31/02/2024"),
        ("source_record_id", None),
    ]
    index = pl.int_range(pl.len())
    step = max(1, frame.height // max(bad, 1))
    for n, (column, value) in enumerate(spoilers):
        picked = (index % step == 0) & ((index // step) % len(spoilers) == n) & (
            index // step < bad)
        frame = frame.with_columns(pl.when(picked).then(pl.lit(value, pl.String))
                                   .otherwise(pl.col(column)).alias(column))
    return frame


def write_feed(frame: pl.DataFrame, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    if is_parquet(out.name):
        frame.write_parquet(out)
    else:
        frame.write_csv(out)
