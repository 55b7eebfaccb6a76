"""Write a person's subject access pack: DIR/subject-access.pdf, .json and .zip.

The person's newest subject access request supplies what the DPO withheld; without
one, everything held is written. The disclosure is logged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from iom.core.management.logged import LoggedCommand
from iom.governance import subject_access
from iom.governance.models import SubjectAccessRequest
from iom.governance.policy import SYSTEM_SIGHT
from iom.governance.sar_pdf import render
from iom.people.models import Nominal


class Command(LoggedCommand):
    help = "Write the subject access pack of the person with this PNC ID into DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pnc", required=True, help="the person's PNC ID")
        parser.add_argument("--out", required=True, help="the directory to write into")

    def handle(self, *args: Any, **options: Any) -> None:
        nominal = Nominal.objects.filter(pnc_id=options["pnc"].strip().upper()).first()
        if nominal is None:
            raise CommandError(f"No person has the PNC ID {options['pnc']!r}.")
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        request = SubjectAccessRequest.objects.filter(nominal=nominal).order_by("-opened_at",
                                                                                "-id").first()
        export = subject_access.build_export(nominal, request, sight=SYSTEM_SIGHT)
        (out / "subject-access.json").write_bytes(subject_access.export_json(export))
        (out / "subject-access.pdf").write_bytes(render(export))
        (out / "subject-access.zip").write_bytes(subject_access.export_zip(export))
        subject_access.log_disclosure(export, nominal=nominal, acting_user=None,
                                      through=self.through(f"--pnc {nominal.pnc_id}"),
                                      fmt="pdf+json+zip")
        self.stdout.write(f"Wrote {len(export.records)} records ({export.withheld_count} "
                          f"withheld) to {out}/subject-access.pdf, .json and .zip.")
