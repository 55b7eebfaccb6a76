"""Home Office offence code names, from the reference table under version control."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

# Copied unchanged from the published reference (see iom/core/reference/README.md).
CODES_CSV = Path(__file__).resolve().parent.parent / "core" / "reference" / "offence_codes.csv"


@cache
def _names() -> dict[str, str]:
    with CODES_CSV.open(encoding="utf-8") as handle:
        return {row["ho_code"]: row["offence"] for row in csv.DictReader(handle)}


def offence_name(code: str) -> str:
    return _names().get(code, "Unknown offence")


def offence_choices() -> list[tuple[str, str]]:
    return [(code, f"{code}: {name}") for code, name in _names().items()]
