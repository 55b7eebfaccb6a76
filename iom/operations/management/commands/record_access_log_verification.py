from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from iom.audit.verify import verify_access_log
from iom.operations.models import AccessLogVerification


class Command(BaseCommand):
    help = ("Verify the access log against IOM_ACCESS_LOG_KEY and the signed checkpoints, "
            "keep the result for /healthz, and exit non-zero if it is broken (run from a "
            "timer, e.g. hourly: deploy/iom-verify-access-log.timer).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--checkpoints", type=Path, default=None, metavar="FILE",
                            help="a checkpoint file to check against (default: "
                                 "checkpoints.jsonl in IOM_ACCESS_LOG_CHECKPOINT_DIR)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        report = verify_access_log(checkpoint_file=options["checkpoints"])
        first = report.breaks[0] if report.breaks else None
        AccessLogVerification.objects.create(
            ok=report.ok, entries=report.entries, chains=report.chains,
            checkpoints=report.checkpoints, checkpoint_file=str(report.checkpoint_file or ""),
            breaks=len(report.breaks),
            first_break=f"{first.kind}: {first.message}" if first else "",
            seconds=round(time.perf_counter() - started, 3))
        if not report.ok:
            assert first is not None
            raise CommandError(f"Access log broken in {len(report.breaks)} places; first "
                               f"({first.kind}): {first.message}")
        self.stdout.write(f"Access log intact: {report.entries} entries in {report.chains} "
                          f"chains, consistent with {report.checkpoints} checkpoints in "
                          f"{report.checkpoint_file}.")
