"""Compute and store a partnership's impact figures (the dashboard then reads them)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from iom.accounts.models import Partnership
from iom.core.management.logged import LoggedCommand
from iom.reporting.forms import default_period
from iom.reporting.management.commands.board_pack import day_of
from iom.reporting.selectors import Scope
from iom.reporting.services import store_impact


class Command(LoggedCommand):
    help = ("Compute the impact figures of one partnership for a period (by default the "
            "dashboard's: the twelve months to today, its own policy) and store them, "
            "small numbers suppressed. Reading is logged.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", required=True, help="the partnership's name")
        parser.add_argument("--from", dest="date_from", help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", help="YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = Partnership.objects.filter(name=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership called {options['partnership']!r}")
        start, end = default_period(timezone.localdate())
        start = day_of(options["date_from"]) if options["date_from"] else start
        end = day_of(options["date_to"]) if options["date_to"] else end
        if start > end:
            raise CommandError("--to must be on or after --from")
        stored = store_impact(scope=Scope(partnership, start, end), acting_user=None,
                              through=self.through(f"--partnership {partnership.name}"))
        self.stdout.write(f"Stored the impact figures of {partnership.name} for {start} to "
                          f"{end} in {stored.compute_seconds:.1f} s")
