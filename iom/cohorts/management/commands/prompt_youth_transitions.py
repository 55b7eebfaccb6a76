"""Prompt lead professionals to plan the move to adult services before an 18th birthday.

Run by the nightly scoring run; safe to run again from cron or by hand: each prompt is
given once per case and birthday (docs/lifecycle.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import CommandError, CommandParser

from iom.cohorts.lifecycle.services import prompt_youth_transitions
from iom.core.management.logged import LoggedCommand


class Command(LoggedCommand):
    help = ("Put a notice in the lead professional's inbox for each young person managed in "
            "the youth strand who turns 18 within IOM_YOUTH_TRANSITION_DAYS days.")

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
        done = prompt_youth_transitions(on=on, through=self.through())
        for prompt in done:
            self.stdout.write(f"Case {prompt.case.pk} turns 18 on {prompt.birthday}: "
                              f"{prompt.placed} new notice(s).")
        placed = sum(p.placed for p in done)
        self.stdout.write(f"{len(done)} young people turn 18 soon; {placed} new notice(s).")
