"""Print a one-time two-factor set-up code for a user (the first administrator's way in).

Administrators issue codes in the administration area (adding a user, or resetting
their two-factor sign-in); whoever runs this command has the server, so may too.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from iom.accounts.models import User
from iom.accounts.services import issue_enrolment_code
from iom.core.errors import DomainError


class Command(BaseCommand):
    help = "Issue a one-time code with which a user sets up their authenticator app."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user is called {options['username']}")
        try:
            enrolment, code = issue_enrolment_code(
                acting_user=None, through="manage.py two_factor_enrolment", user=user)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Set-up code for {user.username}: {code} (works once, until "
                          f"{enrolment.expires_at:%Y-%m-%d %H:%M} UTC)")
