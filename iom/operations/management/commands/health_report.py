from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from iom.operations.health import full_report


class Command(BaseCommand):
    help = ("Print every health check of /healthz as JSON (no personal data) and exit "
            "non-zero if any fails: for a monitoring system on the machine.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--indent", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        report = full_report()
        self.stdout.write(json.dumps(report, indent=options["indent"]))
        if report["status"] != "ok":
            failing = ", ".join(name for name, check in report["checks"].items()
                                if not check["ok"])
            raise CommandError(f"Failing: {failing}")
