"""A tasking meeting of the Northshire partnership, ready to run.

On the agenda-to-be: the consented person (awaiting the panel; the mentoring
charity has their consent) and the sample person (on the cohort at RED; the
charity has no consent), so the sample person's item must go into a closed
session while the mentor attends. The consented person was convicted of a
burglary a month ago, so no exclusion applies to them and the meeting may
accept them without a partnership agreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

import pytest
from django.utils import timezone

from conftest import World
from iom.cohorts.models import CohortMembership
from iom.cohorts.tests.lifecycle_steps import on_cohort, refer, to_panel
from iom.cohorts.tests.selection_people import event
from iom.meetings import services
from iom.meetings.models import Attendance, Meeting

THROUGH = "test"


@dataclass
class Room:
    world: World
    meeting: Meeting
    red: CohortMembership
    awaiting: CohortMembership
    attendance: dict[str, Attendance]


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


@pytest.fixture
def room(world: World) -> Room:
    red = on_cohort(world, world.person, rag="red")
    event(world, world.consented, timezone.localdate() - timedelta(days=30), "28E")
    awaiting = to_panel(world, refer(world, world.consented))
    meeting = arrange(world)
    attendance = attend(world, meeting, "police", "probation", "housing", "mentor")
    return Room(world, meeting, red, awaiting, attendance)


@pytest.fixture
def running(room: Room) -> Room:
    """The room with everyone signed, the agenda generated and the meeting open."""
    sign_all(room.world, room.attendance)
    police = room.world.users["police"]
    services.generate_agenda(meeting=room.meeting, acting_user=police, through=THROUGH)
    room.meeting = services.open_meeting(meeting=room.meeting, acting_user=police,
                                         through=THROUGH)
    return room


def logged(kind: str, pk: int, action: str | None = None) -> bool:
    """Whether the access log has an entry touching this record."""
    from iom.audit.models import AccessLogEntry

    entries = AccessLogEntry.objects.all()
    if action:
        entries = entries.filter(action=action)
    return any({"kind": kind, "id": pk} in e.records for e in entries)
