from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from iom.synthetic import DEFAULT_AS_OF, DEFAULT_SEED, write_synthetic


class Command(BaseCommand):
    help = ("Write the synthetic Parquet tables (people, events, custody, intelligence) "
            "for benchmarks; see docs/data.md.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, required=True)
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF,
                            help="the last day of the histories (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["people"] < 1:
            raise CommandError("--people must be 1 or more")
        started = time.perf_counter()
        paths = write_synthetic(options["people"], options["out"], seed=options["seed"],
                                as_of=options["as_of"])
        for name, path in paths.items():
            self.stdout.write(f"{name:<13} {path}")
        self.stdout.write(f"done in {time.perf_counter() - started:.1f} s")
