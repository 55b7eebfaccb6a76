from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from iom.core.management.logged import LoggedCommand
from iom.people.demo import demo_exists, seed_demo


class Command(LoggedCommand):
    help = "Create the fictional Northshire demo partnership, its users and people."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=300)
        parser.add_argument("--seed", type=int, default=20151)
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing if the demo partnership already exists.")

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_exists():
            if options["if_empty"]:
                self.stdout.write("The demo partnership is already loaded.")
                self._print_logins_file()
                return
            self.stderr.write("The demo partnership already exists; use a fresh database.")
            raise SystemExit(1)
        started = time.perf_counter()
        result = seed_demo(people=options["people"], seed=options["seed"],
                           progress=self.stdout.write)
        elapsed = time.perf_counter() - started
        port = os.environ.get("PORT", "8000")  # the run command's port
        lines = [f"Demo partnership loaded: {result.people} people, {result.records} records "
                 f"in {elapsed:.1f} s.", "", f"Sign in at http://127.0.0.1:{port}/ as:"]
        lines += [f"  {username:<21} {what}" for username, what in result.logins]
        lines += ["", f"Every demo user's password: {result.password}"]
        text = "\n".join(lines)
        logins = Path(settings.BASE_DIR) / "var" / "demo-logins.txt"
        logins.parent.mkdir(exist_ok=True)
        logins.write_text(text + "\n", encoding="utf-8")
        logins.chmod(0o600)
        self.stdout.write(text)

    def _print_logins_file(self) -> None:
        logins = Path(settings.BASE_DIR) / "var" / "demo-logins.txt"
        if logins.exists():
            self.stdout.write(logins.read_text(encoding="utf-8"))
