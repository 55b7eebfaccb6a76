from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from iom.audit.verify import verify_access_log


class Command(BaseCommand):
    help = "Walk the access log's hash chains; exit non-zero at the first break."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_access_log()
        if report.ok:
            self.stdout.write(
                f"Access log intact: {report.entries} entries in {report.chains} chains."
            )
            return
        first = report.breaks[0]
        for problem in report.breaks:
            self.stderr.write(f"BROKEN ({problem.kind}): {problem.message}")
        raise CommandError(f"Access log broken: first {first.kind} entry: {first.message}")
