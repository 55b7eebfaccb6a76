"""Delete uploaded feed files past IOM_FEED_KEEP_DAYS whose runs have ended (cron-safe)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from iom.core.management.logged import LoggedCommand
from iom.feeds.retention import clear_expired_uploads, expired_uploads
from iom.feeds.services import end_stalled_runs


class Command(LoggedCommand):
    help = ("Delete the uploaded files of ended feed import runs older than "
            "IOM_FEED_KEEP_DAYS; files of runs still waiting or under way are never touched. "
            "Runs without progress for IOM_FEED_STALLED_MINUTES are first marked failed.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help="list the files that would go, and delete nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        if not dry_run:
            # A run whose importer was stopped never ends by itself, nor would its file go.
            for run in end_stalled_runs():
                self.stdout.write(f"Marked run {run.pk} ({run.file_name}) as failed: it "
                                  "stopped without finishing.")
        due = expired_uploads().count()
        runs = clear_expired_uploads(dry_run=dry_run,
                                     through=self.through())
        verb = "Would remove" if dry_run else "Removed"
        for run in runs:
            self.stdout.write(f"{verb} the file of run {run.pk} ({run.file_name}, uploaded "
                              f"{run.created_at:%Y-%m-%d}): {run.stored_path}")
        days = settings.IOM_FEED_KEEP_DAYS
        self.stdout.write(f"{verb} {len(runs)} files kept longer than {days} days.")
        if due > len(runs):
            self.stderr.write(f"{due - len(runs)} expired files were left: outside "
                              "IOM_FEED_UPLOAD_DIR or not deletable (see the log).")
