"""Build (or show) the kept selection facts that make candidate lists fast."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from iom.cohorts.candidates import snapshot
from iom.cohorts.models import FactsSnapshot


class Command(BaseCommand):
    help = ("Build the day's selection facts for every installed scheme policy, as the "
            "nightly scoring run does (docs/adr/0006-selection-facts-snapshot.md); "
            "--show lists the snapshots kept instead.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-at", type=date.fromisoformat, default=None,
                            help="YYYY-MM-DD (default today)")
        parser.add_argument("--show", action="store_true",
                            help="list the kept snapshots and how many people changed since")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["show"]:
            self._show()
            return
        as_at = options["as_at"] or timezone.localdate()
        built = snapshot.build(as_at)
        self.stdout.write(f"Selection facts as at {as_at}: {built.people} people in "
                          f"{built.build_seconds:.1f} s, scores from "
                          f"{built.score_run or 'no stored run (scored afresh)'}.")

    def _show(self) -> None:
        kept = FactsSnapshot.objects.defer("data").order_by("-as_at", "-built_at")
        if not kept:
            self.stdout.write("No selection facts are kept: candidate lists read afresh "
                              "until the nightly run (or this command) builds them.")
        for each in kept:
            changed = len(snapshot.changed_since(each.changes_from))
            self.stdout.write(f"{each.as_at}: {each.people} people, built "
                              f"{timezone.localtime(each.built_at):%Y-%m-%d %H:%M} in "
                              f"{each.build_seconds:.1f} s; {changed} people changed since")
