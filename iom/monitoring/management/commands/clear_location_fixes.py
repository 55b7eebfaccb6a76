"""Remove location fixes kept past IOM_LOCATION_FIX_RETENTION_DAYS (cron-safe)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from iom.core.management.logged import LoggedCommand
from iom.monitoring.services.retention import clear_location_fixes, cutoff


class Command(LoggedCommand):
    help = ("Remove each partnership's day files of location fixes from before today "
            "minus IOM_LOCATION_FIX_RETENTION_DAYS. --dry-run removes nothing.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help="list the days that would go, with their fixes, and "
                                 "remove nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        first_kept = cutoff()
        days = clear_location_fixes(dry_run=dry_run, through=self.through())
        verb = "Would remove" if dry_run else "Removed"
        for day in days:
            self.stdout.write(f"{verb} partnership {day.partnership_id}'s fixes of "
                              f"{day.day.isoformat()}: {day.fixes} fixes.")
        self.stdout.write(
            f"{verb} {len(days)} days, {sum(d.fixes for d in days)} fixes, kept longer than "
            f"{settings.IOM_LOCATION_FIX_RETENTION_DAYS} days (kept from "
            f"{first_kept.isoformat()}).")
