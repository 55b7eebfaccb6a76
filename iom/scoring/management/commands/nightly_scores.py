from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from iom.accounts.models import Partnership
from iom.core.management.logged import LoggedCommand
from iom.people.models import Nominal
from iom.scoring.models import EmergingThreat
from iom.scoring.services import score_partnership
from iom.scoring.signals import nightly_run_finished


class Command(LoggedCommand):
    help = ("Store everyone's scores as at a date in one run and raise emerging threats "
            "(run nightly).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-at", type=date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        as_at = options["as_at"] or timezone.localdate()
        # One run for everyone: a day's scores are read as one run (the newest as at the
        # day), so a run per partnership would leave all but the last one's people
        # to be scored afresh wherever the run is read (candidate lists).
        run = score_partnership(people=Nominal.objects.all(), as_at=as_at,
                                through=self.through())
        people = Counter(Nominal.objects.values_list("partnership_id", flat=True))
        threats = Counter(EmergingThreat.objects.filter(run=run).values_list(
            "nominal__partnership_id", flat=True))
        for partnership in Partnership.objects.order_by("name"):
            self.stdout.write(f"{partnership}: {people[partnership.pk]} people scored as at "
                              f"{as_at}, {threats[partnership.pk]} emerging threats raised")
        for _, said in nightly_run_finished.send(sender=self.__class__, as_at=as_at):
            if said:
                self.stdout.write(str(said))
