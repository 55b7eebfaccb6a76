"""A partnership's board pack: DIR/board.pdf, DIR/board.xlsx and DIR/tables.csv (suppressed)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from iom.accounts.models import Partnership
from iom.core.management.logged import LoggedCommand
from iom.reporting.exports import pack_csv, pack_pdf, pack_xlsx
from iom.reporting.pack import impact_pack, log_export, reporting_config
from iom.reporting.selectors import Scope


def day_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


class Command(LoggedCommand):
    help = ("The board pack of one partnership for a period: board.pdf, board.xlsx and tables.csv "
            "(long form) in --out. Aggregates only; reading and each file are logged.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", required=True, help="the partnership's name")
        parser.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="a folder (made if missing)")

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = Partnership.objects.filter(name=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership called {options['partnership']!r}")
        start, end = day_of(options["date_from"]), day_of(options["date_to"])
        if start > end:
            raise CommandError("--to must be on or after --from")
        scope = Scope(partnership, start, end)
        through = self.through(f"--partnership {partnership.name}")
        pack = impact_pack(scope, user=None, through=through)
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        (out / "board.pdf").write_bytes(pack_pdf(pack, reporting_config().suppressed_marker))
        (out / "board.xlsx").write_bytes(pack_xlsx(pack, reporting_config().suppressed_marker))
        (out / "tables.csv").write_bytes(pack_csv(pack))
        for fmt in ("pdf", "xlsx", "csv"):
            log_export(scope, user=None, through=through, fmt=fmt)
        self.stdout.write(f"Wrote board.pdf, board.xlsx and tables.csv in {out}")
