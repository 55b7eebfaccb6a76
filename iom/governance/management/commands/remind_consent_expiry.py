"""Tell lead professionals of consent that expires within IOM_CONSENT_REMINDER_DAYS
(28 by default). Safe to run daily from cron: each reminder is given once."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import CommandError, CommandParser

from iom.core.management.logged import LoggedCommand
from iom.governance.notices import remind_of_expiring_consent


class Command(LoggedCommand):
    help = ("Put a notice in each lead professional's inbox for consent that expires in "
            "the next IOM_CONSENT_REMINDER_DAYS days (once per consent and expiry date).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help="the day to count from (YYYY-MM-DD); today if left out")

    def handle(self, *args: Any, **options: Any) -> None:
        on = None
        if options["on"]:
            try:
                on = date.fromisoformat(options["on"])
            except ValueError as exc:
                raise CommandError(f"--on must be a date as YYYY-MM-DD, not {options['on']!r}"
                                   ) from exc
        done = remind_of_expiring_consent(on=on, through=self.through())
        for reminder in done:
            c = reminder.consent
            who = ", ".join(u.get_username() for u in reminder.recipients) or "nobody leads"
            self.stdout.write(f"Consent {c.pk} ({c.organisation}) expires {c.expires_on}: "
                              f"{reminder.placed} new notice(s) ({who}).")
        placed = sum(r.placed for r in done)
        self.stdout.write(f"{len(done)} consent(s) expiring soon; {placed} new notice(s).")
