"""Write a daily feed file about people already stored (docs/feeds/pnc.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from iom.feeds.generate import feed_frame, write_feed
from iom.people.models import Nominal


class Command(BaseCommand):
    help = "Write a feed file (CSV or Parquet, by the file's extension) of N rows."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, required=True)
        parser.add_argument("--out", required=True, help="e.g. var/feeds/pnc-2025-06-01.csv")
        parser.add_argument("--seed", type=int, default=1,
                            help="the same seed writes the same source record ids")
        parser.add_argument("--date", help="the feed's day (YYYY-MM-DD); default today")
        parser.add_argument("--bad", type=int, default=0, help="rows to break, for testing")
        parser.add_argument("--new-people", type=int, default=0,
                            help="people not yet stored, whose rows carry their identity")

    def handle(self, *args: Any, **options: Any) -> None:
        day = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        pncs = list(Nominal.objects.filter(pnc_id__isnull=False).order_by("pk")
                    .values_list("pnc_id", flat=True))
        try:
            frame = feed_frame([str(p) for p in pncs], rows=options["rows"], day=day,
                               seed=options["seed"], bad=options["bad"],
                               new_people=options["new_people"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        write_feed(frame, Path(options["out"]))
        self.stdout.write(f"Wrote {frame.height} rows to {options['out']}")
