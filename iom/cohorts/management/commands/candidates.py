"""Candidates under a scheme policy (or two, side by side) for analysts, as CSV or JSON."""

from __future__ import annotations

import csv
import json
from datetime import date
from typing import Any

from django.core.management.base import CommandError, CommandParser

from iom.accounts.models import Partnership
from iom.cohorts.candidates import Candidate, Comparison, candidates_among, compare_among
from iom.core.errors import DomainError
from iom.core.management.logged import LoggedCommand
from iom.people.models import Nominal


class Command(LoggedCommand):
    help = ("One row per candidate: PNC ID, suggested cohort type, each criterion met or "
            "missed and each exclusion. Reading everyone is logged as an export.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--policy", required=True, help="policy name, or name@version")
        parser.add_argument("--as-at", required=True, type=date.fromisoformat,
                            help="YYYY-MM-DD")
        parser.add_argument("--compare", help="a second policy (name or name@version)")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument("--partnership", help="only this partnership's people (name)")

    def handle(self, *args: Any, **options: Any) -> None:
        people = Nominal.objects.all()
        if options["partnership"]:
            found = Partnership.objects.filter(name=options["partnership"]).first()
            if found is None:
                raise CommandError(f"No partnership called {options['partnership']!r}")
            people = people.filter(partnership=found)
        through = self.through(f"--policy {options['policy']}")
        try:
            if options["compare"]:
                rows = _compared(compare_among(people, options["policy"], options["compare"],
                                               options["as_at"], through=through))
            else:
                name, _, version = options["policy"].partition("@")
                listed = candidates_among(people, name, options["as_at"], through=through,
                                          version=int(version) if version.isdigit() else None)
                rows = [_row(c) for c in listed.candidates]
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self._write(rows, options["format"])

    def _write(self, rows: list[dict[str, Any]], form: str) -> None:
        if form == "json":
            self.stdout.write(json.dumps(rows, indent=1, default=str))
            return
        columns = list(dict.fromkeys(k for row in rows for k in row))
        writer = csv.DictWriter(self.stdout, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)


def _row(c: Candidate) -> dict[str, Any]:
    row: dict[str, Any] = {
        "pnc_id": c.pnc_id, "suggested_cohort_type": c.suggested_cohort_type[0]
        if c.suggested_cohort_type else "", "near_miss": "yes" if c.near_miss else "no"}
    for criterion in c.criteria:
        row[criterion.label] = "met" if criterion.met else "missed"
    row["exclusions"] = "; ".join(
        e.label + (" (overridable)" if e.overridable else "") for e in c.exclusions)
    return row


def _compared(comparison: Comparison) -> list[dict[str, Any]]:
    first, second = comparison.first.label, comparison.second.label
    return [{"pnc_id": r.pnc_id,
             f"{first}: in": "in" if r.first.included else "out",
             f"{first}: cohort type": r.first.cohort_type[0] if r.first.cohort_type else "",
             f"{first}: reasons": "; ".join(r.first.reasons),
             f"{second}: in": "in" if r.second.included else "out",
             f"{second}: cohort type": r.second.cohort_type[0] if r.second.cohort_type else "",
             f"{second}: reasons": "; ".join(r.second.reasons)} for r in comparison.rows]
