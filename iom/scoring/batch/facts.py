"""Turn table rows into PersonFacts for the pure scorers (tests and benchmarks)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl

from iom.scoring.batch.frames import Frame
from iom.scoring.engine.facts import CustodyPeriod, Event, IntelEntry, PersonFacts

_EVENT_COLUMNS = ("event_id", "event_type", "event_date", "offence_date", "ho_code",
                  "disposal", "domestic_abuse", "recorded_date", "ogrs3_category")
_CUSTODY_COLUMNS = ("custody_id", "custody_type", "start_date", "expected_release_date",
                    "actual_release_date")
_INTEL_COLUMNS = ("intel_id", "recorded_date", "grading_system", "source_grade",
                  "intel_grade", "handling_code", "crime_type")


def person_facts(
    people: Frame,
    events: Frame,
    custody: Frame,
    intelligence: Frame,
    person_ids: Sequence[int] | None = None,
) -> list[PersonFacts]:
    """PersonFacts for the given people (all when `person_ids` is None), in id order."""
    frames = [_rows(f, person_ids) for f in (people, events, custody, intelligence)]
    people_rows, event_rows, custody_rows, intel_rows = frames
    by_person_events = _grouped(event_rows, _EVENT_COLUMNS, Event)
    by_person_custody = _grouped(custody_rows, _CUSTODY_COLUMNS, CustodyPeriod)
    by_person_intel = _grouped(intel_rows, _INTEL_COLUMNS, IntelEntry)
    return [
        PersonFacts(
            person_id=row["person_id"],
            date_of_birth=row["date_of_birth"],
            gender=row["gender"],
            primary_substance=row["primary_substance"],
            events=tuple(by_person_events.get(row["person_id"], ())),
            custody=tuple(by_person_custody.get(row["person_id"], ())),
            intelligence=tuple(by_person_intel.get(row["person_id"], ())),
        )
        for row in people_rows
    ]


def _rows(frame: Frame, person_ids: Sequence[int] | None) -> list[dict[str, Any]]:
    lazy = frame.lazy()
    if person_ids is not None:
        lazy = lazy.filter(pl.col("person_id").is_in(list(person_ids)))
    schema = lazy.collect_schema()
    text = [pl.col(n).cast(pl.String) for n, t in schema.items()
            if isinstance(t, pl.Enum | pl.Categorical)]
    return lazy.with_columns(text).sort("person_id").collect().to_dicts()


def _grouped(
    rows: Iterable[dict[str, Any]], columns: tuple[str, ...], kind: Any
) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        # Optional columns (an event's ogrs3_category) may be absent from a table.
        grouped[row["person_id"]].append(kind(*(row.get(c) for c in columns)))
    return grouped
