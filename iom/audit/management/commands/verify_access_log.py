from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from iom.audit.verify import verify_access_log


class Command(BaseCommand):
    help = ("Check the access log's hash chains against IOM_ACCESS_LOG_KEY and the signed "
            "checkpoints; exit non-zero, naming each break, if anything does not add up.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoints", type=Path, default=None, metavar="FILE",
            help="a checkpoint file to check against, e.g. the copy shipped elsewhere "
                 "(default: checkpoints.jsonl in IOM_ACCESS_LOG_CHECKPOINT_DIR)")

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_access_log(checkpoint_file=options["checkpoints"])
        for note in report.notes:
            self.stderr.write(f"NOTE: {note}")
        if report.ok:
            self.stdout.write(
                f"Access log intact: {report.entries} entries in {report.chains} chains, "
                f"consistent with {report.checkpoints} checkpoints in {report.checkpoint_file}."
            )
            return
        for problem in report.breaks:
            self.stderr.write(f"BROKEN ({problem.kind}): {problem.message}")
        first = report.breaks[0]
        raise CommandError(f"Access log broken in {len(report.breaks)} places; first "
                           f"({first.kind}): {first.message}")
