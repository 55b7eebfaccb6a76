"""Why a feed file cannot be read, said as problems of the whole file or of its rows.

Polars reads a good file fast, but for a bad one it raises an error that names
no line (or, for a header that is not text, reads it as column names that are
all missing). Only then is the file read again here, a line at a time, to say
what is wrong and where. A problem of the file has row 0 and column ``file``;
one of a row has that row's number (1 is the first row after the header), and
its reason gives the line of the file too, as a multi-line value makes the two
differ.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .feedformat import is_parquet

Problem = tuple[int, str, str]
FILE = "file"
SAVE_AS = 'save it as "CSV UTF-8" and upload it again'
EMPTY: Problem = (0, FILE, "is empty: it has no header row and no rows")
NO_ROWS: Problem = (0, FILE, "has a header row but no rows: nothing to import")


def header_problem(path: Path) -> Problem | None:
    """What makes the first line no header at all: an empty file, or not UTF-8 text."""
    if is_parquet(path.name):
        return None
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                return _text_problem(line, number)
    return EMPTY


def reading_problems(path: Path, error: Exception) -> list[Problem]:
    """Why Polars could not read the file: the first line that is not text, else each
    row with more values than the header has columns, else how the CSV is broken."""
    if is_parquet(path.name):
        return [(0, FILE, "is not a Parquet file that can be read: it may be damaged or "
                 "cut short")]
    found = _first_text_problem(path)
    if found is not None:
        return [found]
    return _shape_problems(path) or [(0, FILE, f"cannot be read as CSV: {_first_line(error)}")]


def _first_text_problem(path: Path) -> Problem | None:
    with path.open("rb") as handle:
        blank = True
        for number, line in enumerate(handle, 1):
            blank = blank and not line.strip()
            found = _text_problem(line, number)
            if found is not None:
                return found
    return EMPTY if blank else None


def _text_problem(line: bytes, number: int) -> Problem | None:
    row = max(number - 1, 0)
    if number == 1 and line.startswith((b"\xff\xfe", b"\xfe\xff")):
        return (0, FILE, f"is UTF-16 text, not UTF-8: {SAVE_AS}")
    if b"\x00" in line:
        return (row, FILE, f"holds binary data at line {number}: it is not a CSV file")
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return (row, FILE, f"is not UTF-8 text at line {number}: {SAVE_AS}")
    return None


def _shape_problems(path: Path) -> list[Problem]:
    """Rows with more values than the header has columns, or where the CSV breaks."""
    problems: list[Problem] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        row, start = -1, 1  # rows read whole so far (the header is row 0); next one's line
        try:
            width = len(next(reader, []))
            row, start = 0, reader.line_num + 1
            for values in reader:
                row += 1
                if len(values) > width:
                    problems.append((row, FILE, f"has {len(values)} values at line {start} "
                                     f"where the header has {width} columns"))
                start = reader.line_num + 1
        except csv.Error as exc:
            problems.append((row + 1, FILE, _csv_error(exc, start)))
    return problems


def _csv_error(exc: csv.Error, line: int) -> str:
    if "end of data" in str(exc):
        return f"has a quote opened at line {line} that is never closed: the file may be cut short"
    return f"cannot be read as CSV from line {line}: {exc}"


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or ["unknown error"])[0][:200]
