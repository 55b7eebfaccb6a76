"""The daily feed format (docs/feeds/pnc.md): columns, record types and file names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

COLUMNS = (
    "record_type", "pnc_id", "source_record_id", "record_date", "end_date",
    "expected_release_date", "ho_code", "description", "disposal", "sentence", "court",
    "custody_type", "establishment", "forename", "surname", "date_of_birth", "gender",
    "ogrs3_category", "sentence_length_days",
)
REQUIRED_COLUMNS = ("record_type", "pnc_id", "source_record_id", "record_date")
DATE_COLUMNS = ("record_date", "end_date", "expected_release_date", "date_of_birth")
IDENTITY_COLUMNS = ("forename", "surname", "date_of_birth", "gender")
# Optional columns added after files were first digested: a row that leaves one blank
# keeps the digest (and content) it had before the column existed.
LATER_COLUMNS = ("ogrs3_category", "sentence_length_days")
# Whole numbers: a sentence's length in days (a custody record of a sentence only).
WHOLE_COLUMNS = ("sentence_length_days",)
# The fields that make up a record's content: a change in any is a change of record.
CONTENT_COLUMNS = tuple(c for c in COLUMNS if c not in ("pnc_id", "source_record_id")
                        and c not in IDENTITY_COLUMNS and c not in LATER_COLUMNS)


@dataclass(frozen=True)
class RecordType:
    target: str  # event, case_date, wanted, custody
    kind: str  # the kind on the person's record


RECORD_TYPES: dict[str, RecordType] = {
    "arrest": RecordType("event", "arrest"),
    "charge": RecordType("event", "charge"),
    "conviction": RecordType("event", "conviction"),
    "caution": RecordType("event", "caution"),
    "breach": RecordType("event", "breach"),
    "recall": RecordType("event", "recall"),
    "pending_case": RecordType("case_date", "pending_case"),
    "court_date": RecordType("case_date", "court_hearing"),
    "bail_date": RecordType("case_date", "bail_to_return"),
    "wanted": RecordType("wanted", "wanted"),
    "missing": RecordType("wanted", "missing"),
    "custody": RecordType("custody", ""),
}
TARGETS = ("event", "case_date", "wanted", "custody")
DISPOSALS = ("custody", "suspended", "community", "fine", "discharge", "caution")
CUSTODY_TYPES = ("remand", "sentence")
GENDERS = ("M", "F", "X")
MAX_LENGTHS = {"source_record_id": 64, "ho_code": 16, "description": 200, "sentence": 200,
               "court": 120, "establishment": 120, "forename": 80, "surname": 80,
               "ogrs3_category": 40}

_NAME = re.compile(r"^(?P<source>[a-z]+)[-_](?P<day>\d{4}-\d{2}-\d{2})(?P<full>[-_]full)?\.",
                   re.IGNORECASE)


@dataclass(frozen=True)
class FileName:
    source: str
    day: date | None
    full_snapshot: bool


class BadFileName(ValueError):
    """A file named for a day that is no day (``pnc-2026-13-45.csv``)."""


def read_file_name(name: str) -> FileName:
    """``pnc-2025-06-01.csv`` is source pnc's file for that day; ``-full`` marks a snapshot."""
    match = _NAME.match(Path(name).name)
    if not match:
        return FileName("pnc", None, full_snapshot=False)
    try:
        day = date.fromisoformat(match["day"])
    except ValueError as exc:
        raise BadFileName(f"The file's name gives {match['day']} as its day, which is not a "
                          "real date: name it like pnc-2025-06-02.csv") from exc
    return FileName(match["source"].lower(), day, full_snapshot=bool(match["full"]))


def file_name_problem(name: str) -> str | None:
    try:
        read_file_name(name)
    except BadFileName as exc:
        return str(exc)
    return None


def is_parquet(name: str) -> bool:
    return name.lower().endswith((".parquet", ".pq"))
