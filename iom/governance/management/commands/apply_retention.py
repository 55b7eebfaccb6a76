"""Dispose of the people whose time is up, and settle partners' records (cron-safe).

``--dry-run`` prints what would be done and changes nothing. Without it, each person
due for disposal and not held is deleted (a tombstone stays; the access log records
the erasure without the erased content), and a non-statutory partner's own records
are destroyed or handed to the lead agency a configured number of days after its
involvement ended (retention.toml [partners]).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from iom.core.management.logged import LoggedCommand
from iom.governance import retention
from iom.people.models import Nominal


class Command(LoggedCommand):
    help = ("Apply the retention rules: dispose of people due for disposal and not held, "
            "and settle partners' records after their involvement ended. --dry-run "
            "changes nothing.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help="print what would be done, and change nothing")
        parser.add_argument("--on", help="the day to apply the rules as of (YYYY-MM-DD)")
        parser.add_argument("--limit", type=int, default=0,
                            help="dispose of at most this many people in this run")

    def handle(self, *args: Any, **options: Any) -> None:
        dry = bool(options["dry_run"])
        try:
            today = date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--on must be a date as YYYY-MM-DD, not {options['on']!r}"
                               ) from exc
        assessed = retention.assess_people(Nominal.objects.all(), today)
        counts = dict(assessed.group_by("verdict").len().iter_rows())
        due = assessed.filter(pl.col("verdict") == "dispose").sort("nominal_id")
        if options["limit"]:
            due = due.head(options["limit"])
        verb = "Would dispose of" if dry else "Disposed of"
        labels = retention.rules().groups
        done = 0
        for row in due.iter_rows(named=True):
            rule = (f"{labels[row['group']].label}; last came to notice "
                    f"{row['last_came_to_notice']}, review due {row['next_review']}")
            if not dry:
                nominal = Nominal.objects.filter(pk=row["nominal_id"]).first()
                if nominal is None:
                    continue  # disposed of meanwhile
                try:
                    retention.dispose_of(nominal, group=row["group"],
                                         last_came_to_notice=row["last_came_to_notice"],
                                         rule=rule, acting_user=None, through=self.through())
                except retention.DisposalRefused as refused:
                    self.stderr.write(str(refused))
                    continue
            done += 1
            self.stdout.write(f"{verb} person {row['nominal_id']} ({rule}).")
        self.stdout.write(f"{verb} {done} people. Assessed {assessed.height}: "
                          + ", ".join(f"{counts.get(v, 0)} {v}" for v in retention.VERDICTS)
                          + ".")
        r = retention.rules()
        settled = 0
        for involvement in retention.ended_involvements(today, r.partner_days):
            count = retention.settle_partner_records(involvement, action=r.partner_action,
                                                     through=self.through(), dry_run=dry)
            if count:
                settled += count
                what = "destroy" if r.partner_action == "destroy" else "hand to the lead agency"
                self.stdout.write(f"{'Would ' + what if dry else what.capitalize() + ':'} "
                                  f"{count} record(s) of {involvement.organisation} about "
                                  f"person {involvement.nominal_id} (involvement ended "
                                  f"{involvement.end_date}).")
        self.stdout.write(f"Partners' records: {settled} "
                          f"{'would be settled' if dry else 'settled'}.")
