"""Import feed files, one run each, all or nothing per file (docs/feeds/pnc.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from iom.accounts.models import Organisation, OrganisationKind
from iom.core.management.logged import LoggedCommand
from iom.feeds.models import ImportRun, RunStatus
from iom.feeds.services import import_file, start_run


class Command(LoggedCommand):
    help = "Import one or more feed files and print each run's counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+")
        parser.add_argument("--json", action="store_true", help="print each run as JSON")
        parser.add_argument("--organisation", help="the sending organisation's name "
                            "(default: the first police force)")
        parser.add_argument("--full-snapshot", action="store_true", default=None,
                            help="treat every file as a full snapshot (see the docs)")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = _organisation(options["organisation"])
        failed = False
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name} is not a file")
            run = start_run(file_name=path.name, organisation=organisation, acting_user=None,
                            full_snapshot=options["full_snapshot"])
            import_file(run=run, path=path, acting_user=None,
                        through=self.through(path.name))
            failed |= run.status != RunStatus.DONE
            self.stdout.write(_report(run, as_json=options["json"]))
        if failed:
            raise CommandError("At least one file was rejected; nothing from it was stored.")


def _organisation(name: str | None) -> Organisation:
    found = (Organisation.objects.filter(name=name) if name else
             Organisation.objects.filter(kind=OrganisationKind.POLICE).order_by("pk"))
    organisation = found.first()
    if organisation is None:
        raise CommandError("No such organisation: give --organisation with a stored name")
    return organisation


def _report(run: ImportRun, *, as_json: bool) -> str:
    if as_json:
        problems = list(run.problems.values("row_number", "column", "reason")[:20])
        return json.dumps({"run": run.pk, "file": run.file_name, "status": run.status,
                           "rows": run.rows_total, **run.counts, "problems": problems,
                           "message": run.message})
    counts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in run.counts.items())
    return f"Run {run.pk} {run.file_name}: {run.get_status_display()}. {counts}. {run.message}"
