"""Import feed files, one run each, all or nothing per file (docs/feeds/pnc.md).

A run belongs to one partnership and matches only its people, so the command
must know which: ``--partnership`` names it, and may be left out only while a
single partnership exists.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from iom.accounts.models import Organisation, OrganisationKind, Partnership
from iom.core.errors import DomainError
from iom.core.management.logged import LoggedCommand
from iom.feeds.models import ImportRun, RunStatus
from iom.feeds.services import import_file, start_run


class Command(LoggedCommand):
    help = "Import one or more feed files and print each run's counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+")
        parser.add_argument("--json", action="store_true", help="print each run as JSON")
        parser.add_argument("--partnership", help="the partnership the files are for "
                            "(required when there is more than one)")
        parser.add_argument("--organisation", help="the sending organisation's name, in "
                            "that partnership (default: its first police force)")
        parser.add_argument("--full-snapshot", action="store_true", default=None,
                            help="treat every file as a full snapshot (see the docs)")

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = _partnership(options["partnership"])
        organisation = _organisation(options["organisation"], partnership)
        failed = False
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name} is not a file")
            try:
                run = start_run(file_name=path.name, organisation=organisation,
                                acting_user=None, full_snapshot=options["full_snapshot"])
            except DomainError as refused:
                raise CommandError(f"{name}: {refused.message}") from refused
            import_file(run=run, path=path, acting_user=None,
                        through=self.through(path.name))
            failed |= run.status != RunStatus.DONE
            self.stdout.write(_report(run, as_json=options["json"]))
        if failed:
            raise CommandError("At least one file was rejected; nothing from it was stored.")


def _partnership(name: str | None) -> Partnership:
    if name:
        found = Partnership.objects.filter(name=name).first()
        if found is None:
            raise CommandError(f"No partnership is called {name}: give --partnership with "
                               "a stored name")
        return found
    only = list(Partnership.objects.order_by("pk")[:2])
    if len(only) != 1:
        raise CommandError("Give --partnership NAME: a feed file is imported for one "
                           "partnership and matches only its people")
    return only[0]


def _organisation(name: str | None, partnership: Partnership) -> Organisation:
    ours = Organisation.objects.filter(partnership=partnership)
    found = (ours.filter(name=name) if name else
             ours.filter(kind=OrganisationKind.POLICE).order_by("pk"))
    organisation = found.first()
    if organisation is None:
        raise CommandError(f"No such organisation in {partnership.name}: give "
                           "--organisation with the name of one of its organisations")
    return organisation


def _report(run: ImportRun, *, as_json: bool) -> str:
    if as_json:
        problems = list(run.problems.values("row_number", "column", "reason")[:20])
        return json.dumps({"run": run.pk, "file": run.file_name, "status": run.status,
                           "rows": run.rows_total, **run.counts, "problems": problems,
                           "message": run.message})
    counts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in run.counts.items())
    return f"Run {run.pk} {run.file_name}: {run.get_status_display()}. {counts}. {run.message}"
