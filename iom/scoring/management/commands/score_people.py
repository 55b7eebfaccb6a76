from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from iom.audit.models import Action
from iom.audit.services import record_access_for_many
from iom.core.management.logged import LoggedCommand
from iom.people.models import Nominal
from iom.scoring.batch import read_tables, score_tables
from iom.scoring.engine import default_config
from iom.scoring.selectors import tables_from_db


class Command(LoggedCommand):
    help = ("Score everyone as at a date with the batch scorers and write Parquet or CSV, "
            "from the synthetic tables (--tables DIR) or from the database.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-at", type=date.fromisoformat, default=None,
                            help="YYYY-MM-DD (default today)")
        parser.add_argument("--tables", type=Path, help="folder of the four Parquet tables")
        parser.add_argument("--out", type=Path, required=True, help="FILE.parquet or FILE.csv")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        if out.suffix not in {".parquet", ".csv"}:
            raise CommandError("--out must end in .parquet or .csv")
        as_at = options["as_at"] or timezone.localdate()
        started = time.perf_counter()
        if options["tables"]:
            if not (options["tables"] / "people.parquet").exists():
                raise CommandError(f"{options['tables']}: no people.parquet there")
            tables = read_tables(options["tables"])
        else:
            people = Nominal.objects.all()
            tables = tables_from_db(people)
            # An export of personal data: one access-log entry per person in it.
            record_access_for_many(user=None, action=Action.EXPORT,
                                   through=self.through(f"--out {out.name}"),
                                   nominal_ids=list(people.values_list("pk", flat=True)),
                                   detail={"as_at": as_at, "file": str(out)})
        frame = score_tables(tables.people, tables.events, tables.custody,
                             tables.intelligence, as_at=as_at, config=default_config())
        if out.suffix == ".csv":
            frame.write_csv(out)
        else:
            frame.write_parquet(out)
        self.stdout.write(f"{frame.height} people scored as at {as_at} in "
                          f"{time.perf_counter() - started:.1f} s: {out}")
