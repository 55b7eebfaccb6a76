"""Score a CSV file of OGRS 3 inputs, row by row (`python manage.py ogrs3 IN.csv OUT.csv`).

Input columns: gender (M or F), date_of_birth, date_of_current_conviction,
date_at_start_of_followup (YYYY-MM-DD), total_number_of_sanctions (including
the current one), age_at_first_sanction, and offence_category (a key of
ogrs3_coefficients.json) or offence_code (a Home Office code). Any other column
passes through unchanged. The output adds the full-precision probabilities,
the whole percents users see, the band and the error, if any, for each row.
Rows are read and written one at a time, so a file of any length fits in memory;
a bad row gets its error and the next row is scored as usual.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from iom.scoring.engine.config import ScoringConfig, default_config
from iom.scoring.engine.facts import Ogrs3Inputs
from iom.scoring.engine.ogrs3 import ogrs3
from iom.scoring.engine.results import ErrorCode, Ogrs3Result, ScoreError

REQUIRED = ("gender", "date_of_birth", "date_of_current_conviction",
            "date_at_start_of_followup", "total_number_of_sanctions", "age_at_first_sanction")
OFFENCE = ("offence_category", "offence_code")
ADDED = ("ogrs3_1y", "ogrs3_2y", "ogrs3_1y_percent", "ogrs3_2y_percent", "band", "error")
_DATES = ("date_of_birth", "date_of_current_conviction", "date_at_start_of_followup")
_WHOLE_NUMBERS = ("total_number_of_sanctions", "age_at_first_sanction")


class Ogrs3CsvError(ValueError):
    """The file as a whole cannot be scored (e.g. a required column is missing)."""


@dataclass
class Ogrs3CsvSummary:
    rows: int = 0
    scored: int = 0
    errors: Counter[str] = field(default_factory=Counter)


def score_ogrs3_csv(
    in_path: str | Path, out_path: str | Path, config: ScoringConfig | None = None
) -> Ogrs3CsvSummary:
    cfg = config or default_config()
    summary = Ogrs3CsvSummary()
    # utf-8-sig: files saved by spreadsheet programs often start with a byte-order mark
    with Path(in_path).open(newline="", encoding="utf-8-sig") as source, \
            Path(out_path).open("w", newline="", encoding="utf-8") as target:
        reader = csv.DictReader(source)
        columns = _checked_columns(reader.fieldnames)
        writer = csv.DictWriter(target, fieldnames=[*columns, *ADDED])
        writer.writeheader()
        for row in _rows(reader):
            result = _score_row(row, cfg)
            writer.writerow({**row, **_added(result)})
            _count(summary, result)
    return summary


def _checked_columns(fieldnames: Sequence[str] | None) -> list[str]:
    columns = [name.strip() for name in fieldnames or []]
    missing = [name for name in REQUIRED if name not in columns]
    if not any(name in columns for name in OFFENCE):
        missing.append("offence_category or offence_code")
    if missing:
        raise Ogrs3CsvError("Missing required column(s): " + ", ".join(missing))
    clash = [name for name in ADDED if name in columns]
    if clash:
        raise Ogrs3CsvError("The input already has output column(s): " + ", ".join(clash))
    return columns


def _rows(reader: csv.DictReader[str]) -> Iterator[dict[str, str]]:
    for raw in reader:
        yield {(key or "").strip(): value or "" for key, value in raw.items()}


def _score_row(row: dict[str, str], cfg: ScoringConfig) -> Ogrs3Result | ScoreError:
    problems: list[str] = []
    dates = {name: _date(row.get(name, ""), name, problems) for name in _DATES}
    numbers = {name: _whole(row.get(name, ""), name, problems) for name in _WHOLE_NUMBERS}
    if problems:
        return ScoreError(ErrorCode.INVALID_VALUE, "; ".join(problems),
                          tuple(p.split(" ", 1)[0] for p in problems))
    inputs = Ogrs3Inputs(
        gender=row.get("gender", "").strip() or None,
        offence_category=row.get("offence_category", "").strip() or None,
        offence_code=row.get("offence_code", "").strip() or None,
        **dates,  # type: ignore[arg-type]
        **numbers,  # type: ignore[arg-type]
    )
    return ogrs3(inputs, config=cfg)


def _date(text: str, name: str, problems: list[str]) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(f"{name} {text!r} is not a YYYY-MM-DD date")
        return None


def _whole(text: str, name: str, problems: list[str]) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        problems.append(f"{name} {text!r} is not a whole number")
        return None


def _added(result: Ogrs3Result | ScoreError) -> dict[str, str]:
    if isinstance(result, ScoreError):
        return {**dict.fromkeys(ADDED, ""), "error": f"{result.code}: {result.message}"}
    if result.errors:
        return {**dict.fromkeys(ADDED, ""),
                "error": "; ".join(f"{e.code}: {e.message}" for e in result.errors)}
    return {
        "ogrs3_1y": repr(result.probability_1y),  # shortest text that reads back exactly
        "ogrs3_2y": repr(result.probability_2y),
        "ogrs3_1y_percent": str(result.percent_1y),
        "ogrs3_2y_percent": str(result.percent_2y),
        "band": result.band or "",
        "error": "",
    }


def _count(summary: Ogrs3CsvSummary, result: Ogrs3Result | ScoreError) -> None:
    summary.rows += 1
    if isinstance(result, ScoreError):
        summary.errors[result.code.value] += 1
    elif result.error:
        summary.errors[result.error.code.value] += 1
    else:
        summary.scored += 1
