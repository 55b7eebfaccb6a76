from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from iom.accounts.models import Partnership
from iom.scoring.services import score_partnership
from iom.scoring.signals import nightly_run_finished


class Command(BaseCommand):
    help = "Store everyone's scores as at a date and raise emerging threats (run nightly)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-at", type=date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        as_at = options["as_at"] or timezone.localdate()
        for partnership in Partnership.objects.all():
            run = score_partnership(people=partnership.nominals.all(), as_at=as_at,
                                    through="command nightly_scores")
            threats = run.emergingthreat_set.count()
            self.stdout.write(f"{partnership}: {run.people} people scored as at {as_at}, "
                              f"{threats} emerging threats raised")
        for _, said in nightly_run_finished.send(sender=self.__class__, as_at=as_at):
            if said:
                self.stdout.write(str(said))
