"""Match crimes against location fixes held in files, for analysts and tests.

    manage.py match_crimes --fixes FIXES --crimes CRIMES --out OUT.csv
        [--radius-m R] [--pad-minutes P] [--max-gap-minutes G]

One row per crime and device seen in the window (docs/monitoring.md); nothing is
read from or written to the database.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from iom.monitoring.matching import Fix, Scene, match
from iom.monitoring.parsing import Checked, Unreadable, check_crimes, check_fixes, read_table
from iom.monitoring.rules import monitoring_rules

COLUMNS = ("crime_ref", "device_id", "outcome", "nearest_m", "first_time", "last_time", "fixes")


def _checked(path: str, check: Any) -> Checked:
    try:
        checked: Checked = check(read_table(Path(path).read_bytes(), path))
    except (OSError, Unreadable) as exc:
        raise CommandError(f"{path}: {exc}") from exc
    if checked.problem_count:
        lines = [f"{path}: row {p.row}, {p.column}: {p.reason}" for p in checked.problems[:20]]
        raise CommandError("\n".join([f"{path}: {checked.problem_count} problems, nothing "
                                      "matched", *lines]))
    return checked


def _iso(seconds: float | None) -> str:
    return "" if seconds is None else datetime.fromtimestamp(seconds, UTC).isoformat()


class Command(BaseCommand):
    help = "Match crimes (CSV) against location fixes (CSV or Parquet) into a CSV of outcomes."

    def add_arguments(self, parser: CommandParser) -> None:
        rules = monitoring_rules()
        parser.add_argument("--fixes", required=True)
        parser.add_argument("--crimes", required=True)
        parser.add_argument("--out", required=True)
        parser.add_argument("--radius-m", type=float, default=rules.radius_m)
        parser.add_argument("--pad-minutes", type=int, default=rules.pad_minutes)
        parser.add_argument("--max-gap-minutes", type=int, default=rules.max_gap_minutes)

    def handle(self, *args: Any, **options: Any) -> None:
        params = monitoring_rules().params(radius_m=options["radius_m"],
                                           pad_minutes=options["pad_minutes"],
                                           max_gap_minutes=options["max_gap_minutes"])
        fixes = _checked(options["fixes"], check_fixes).rows.sort("device_id", "fix_time")
        crimes = _checked(options["crimes"], check_crimes).rows
        trails: dict[str, list[Fix]] = {}
        for device, t, lat, lon, acc in fixes.select(
                "device_id", "fix_time", "latitude", "longitude", "accuracy_m").iter_rows():
            trails.setdefault(device, []).append(Fix(t.timestamp(), lat, lon, acc))
        scenes = [Scene(ref, start.timestamp(), end.timestamp(), lat, lon)
                  for ref, start, end, lat, lon in crimes.select(
                      "crime_ref", "start", "end", "latitude", "longitude").iter_rows()]
        results = match(scenes, trails, params)
        with open(options["out"], "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(COLUMNS)
            for ref, device, v in results:
                writer.writerow([ref, device, v.outcome,
                                 "" if v.nearest_m is None else f"{v.nearest_m:.3f}",
                                 _iso(v.first_time), _iso(v.last_time), v.fixes])
        self.stdout.write(f"{len(results)} outcomes for {len(scenes)} crimes written to "
                          f"{options['out']}")
