from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from iom.audit.checkpoints import take_checkpoint


class Command(BaseCommand):
    help = ("Append a signed checkpoint of every access-log chain head to the checkpoint "
            "file and print it (safe from cron; nothing is appended when no head moved).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file", type=Path, default=None, metavar="FILE",
            help="the checkpoint file (default: checkpoints.jsonl in "
                 "IOM_ACCESS_LOG_CHECKPOINT_DIR)")

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint, new = take_checkpoint(options["file"])
        if not new:
            self.stderr.write(f"No chain head has moved since the checkpoint of {checkpoint.at}.")
        # The line alone on stdout, so that cron can ship it elsewhere as it is.
        self.stdout.write(checkpoint.as_line())
