"""The base of every management command that reads or changes personal data.

It sets the command's access context (iom.core.context) once, so that its
access-log entries all name the command and share one request id, however
deep in the services they are written.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from iom.core import context


class LoggedCommand(BaseCommand):
    @property
    def command_name(self) -> str:
        return type(self).__module__.rsplit(".", 1)[-1]

    def execute(self, *args: Any, **options: Any) -> str | None:
        started = context.AccessContext(channel="command", through=f"command {self.command_name}")
        with context.acting(started):
            return super().execute(*args, **options)

    def through(self, detail: str = "") -> str:
        """The command's channel for the log, with what it was run on if that helps."""
        return f"command {self.command_name} {detail}".strip()
