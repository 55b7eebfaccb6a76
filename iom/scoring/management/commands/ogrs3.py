from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from iom.scoring.engine.ogrs3_csv import score_ogrs3_csv


class Command(BaseCommand):
    help = ("Score a CSV of OGRS 3 inputs: INPUT.csv OUTPUT.csv. Bad rows get an error "
            "column and never stop the others.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", type=Path)
        parser.add_argument("output", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["input"].exists():
            raise CommandError(f"{options['input']}: no such file")
        try:
            summary = score_ogrs3_csv(options["input"], options["output"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(summary))
