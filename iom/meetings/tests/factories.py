"""Test data of the meetings app: a meeting of the Northshire partnership arranged,
attended and signed through the real services."""

from __future__ import annotations

from datetime import time

from django.utils import timezone

from conftest import World
from iom.meetings import services
from iom.meetings.models import Attendance, Meeting

THROUGH = "test"


def arrange(world: World, **extra: object) -> Meeting:
    fields: dict[str, object] = {"kind": "tasking", "title": "Northshire City tasking",
                                 "held_on": timezone.localdate(), "start_time": time(9, 30),
                                 "location": "Central police station", **extra}
    return services.arrange_meeting(acting_user=world.users["police"], through=THROUGH,
                                    **fields)  # type: ignore[arg-type]


def attend(world: World, meeting: Meeting, *personas: str) -> dict[str, Attendance]:
    return {p: services.add_attendee(meeting=meeting, user=world.users[p],
                                     acting_user=world.users["police"], through=THROUGH)
            for p in personas}


def sign_all(world: World, attendance: dict[str, Attendance]) -> None:
    for persona, found in attendance.items():
        services.sign_statement(attendance=found, acting_user=world.users[persona],
                                through=THROUGH)


def logged(kind: str, pk: int, action: str | None = None) -> bool:
    """Whether the access log has an entry touching this record."""
    from iom.audit.models import AccessLogEntry

    entries = AccessLogEntry.objects.all()
    if action:
        entries = entries.filter(action=action)
    return any({"kind": kind, "id": pk} in e.records for e in entries)
