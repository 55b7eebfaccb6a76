"""Deterministic synthetic IOM data: people, offending events, custody and intelligence.

People are generated in chunks (100,000 by default), each from its own random stream
seeded by ``(seed, chunk number)``, so the output depends only on the seed, the number
of people and the as-of date, and memory stays bounded by the chunk size. Within a
chunk nothing loops over people: see ``careers.py`` for how histories are built.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl

from iom.synthetic.careers import draw_episodes
from iom.synthetic.dating import date_events, date_spells
from iom.synthetic.intelligence import draw_intelligence
from iom.synthetic.justice import build_histories
from iom.synthetic.population import draw_people
from iom.synthetic.statuses import draw_statuses
from iom.synthetic.tables import custody_frame, events_frame, intelligence_frame, people_frame
from iom.synthetic.timeline import Calendar

DEFAULT_SEED = 20151
DEFAULT_AS_OF = date(2026, 11, 1)
CHUNK_PEOPLE = 100_000
_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class SyntheticTables:
    """The four tables of docs/data.md."""

    people: pl.DataFrame
    events: pl.DataFrame
    custody: pl.DataFrame
    intelligence: pl.DataFrame

    def frames(self) -> dict[str, pl.DataFrame]:
        """Table name to frame, in the order of docs/data.md."""
        return {field.name: getattr(self, field.name) for field in fields(self)}


TABLE_NAMES = tuple(field.name for field in fields(SyntheticTables))


def generate(
    people: int,
    seed: int = DEFAULT_SEED,
    as_of: date = DEFAULT_AS_OF,
    *,
    chunk_size: int = CHUNK_PEOPLE,
) -> SyntheticTables:
    """All four tables in memory (about 2 GB for a million people; see write_synthetic)."""
    chunks = list(generate_chunks(people, seed, as_of, chunk_size=chunk_size))
    if not chunks:
        return _empty_tables()
    return SyntheticTables(
        *(pl.concat([chunk.frames()[name] for chunk in chunks]) for name in TABLE_NAMES)
    )


def generate_chunks(
    people: int,
    seed: int = DEFAULT_SEED,
    as_of: date = DEFAULT_AS_OF,
    *,
    chunk_size: int = CHUNK_PEOPLE,
) -> Iterator[SyntheticTables]:
    """The tables for successive blocks of ``chunk_size`` people, ids continuing across blocks."""
    if people < 0 or chunk_size < 1:
        raise ValueError("people must be >= 0 and chunk_size >= 1")
    next_ids = dict.fromkeys(TABLE_NAMES, 1)
    for number, start in enumerate(range(0, people, chunk_size)):
        size = min(chunk_size, people - start)
        chunk = _chunk(np.random.default_rng([seed, number]), next_ids, size, as_of)
        next_ids = {name: next_ids[name] + chunk.frames()[name].height for name in TABLE_NAMES}
        yield chunk


# Uncompressed: the batch scorer reads 30 million events in a few seconds, and
# decoding zstd cost it about 0.5 of its 6-7 CPU seconds (docs/benchmarks.md, "Scoring").
# The files are about twice the size (about 0.5 GB of events per million people).
PARQUET_COMPRESSION: Literal["uncompressed"] = "uncompressed"


def write_tables(tables: SyntheticTables, out_dir: Path) -> dict[str, Path]:
    """Write the frames as ``people.parquet``, ``events.parquet`` and so on into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {name: out_dir / f"{name}.parquet" for name in TABLE_NAMES}
    for name, frame in tables.frames().items():
        frame.write_parquet(paths[name], compression=PARQUET_COMPRESSION)
    return paths


def write_synthetic(
    people: int,
    out_dir: Path,
    *,
    seed: int = DEFAULT_SEED,
    as_of: date = DEFAULT_AS_OF,
    chunk_size: int = CHUNK_PEOPLE,
) -> dict[str, Path]:
    """Generate and write the four tables without holding them all in memory.

    Each chunk is written to temporary Parquet files next to the output; each table is
    then streamed from its parts into its single file (``sink_parquet``, order kept) and
    the parts are deleted. The files equal ``write_tables(generate(...))``. The parts
    are left uncompressed: they are read once, and decoding them costs more than the
    disk they take (about 1 GB per million people, briefly).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    parts_dir = Path(tempfile.mkdtemp(prefix=".synthetic-parts-", dir=out_dir))
    try:
        parts: dict[str, list[Path]] = {name: [] for name in TABLE_NAMES}
        for number, chunk in enumerate(generate_chunks(people, seed, as_of, chunk_size=chunk_size)):
            for name, frame in chunk.frames().items():
                parts[name].append(parts_dir / f"{name}-{number:05d}.parquet")
                frame.write_parquet(parts[name][-1], compression="uncompressed")
        if not parts["people"]:
            return write_tables(_empty_tables(), out_dir)
        paths = {name: out_dir / f"{name}.parquet" for name in TABLE_NAMES}
        for name in TABLE_NAMES:
            pl.scan_parquet(parts[name]).sink_parquet(paths[name], compression=PARQUET_COMPRESSION)
        return paths
    finally:
        shutil.rmtree(parts_dir, ignore_errors=True)


def _chunk(
    rng: np.random.Generator, first_ids: dict[str, int], size: int, as_of: date
) -> SyntheticTables:
    as_of_day = (as_of - _EPOCH).days
    people = draw_people(rng, size, as_of_day)
    raw_events, raw_spells = build_histories(rng, draw_episodes(rng, people))
    calendar = Calendar(people.first_offence, raw_spells)
    events = date_events(rng, raw_events, calendar, as_of_day)
    spells = date_spells(raw_spells, calendar, as_of_day)
    intelligence = draw_intelligence(rng, people, events, as_of_day)
    statuses = draw_statuses(rng, size, events)
    first_person = first_ids["people"]
    return SyntheticTables(
        people=people_frame(first_person, people, statuses),
        events=events_frame(first_ids["events"], first_person, events),
        custody=custody_frame(first_ids["custody"], first_person, spells),
        intelligence=intelligence_frame(first_ids["intelligence"], first_person, intelligence),
    )


def _empty_tables() -> SyntheticTables:
    from iom.synthetic.schema import SCHEMAS

    return SyntheticTables(*(pl.DataFrame(schema=SCHEMAS[name]) for name in TABLE_NAMES))
