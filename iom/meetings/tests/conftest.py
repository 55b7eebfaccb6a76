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
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import World
from iom.cohorts.models import CohortMembership
from iom.cohorts.tests.factories import event, on_cohort, refer, to_panel
from iom.meetings import services
from iom.meetings.models import Attendance, Meeting
from iom.meetings.tests.factories import THROUGH, arrange, attend, sign_all


@dataclass
class Room:
    world: World
    meeting: Meeting
    red: CohortMembership
    awaiting: CohortMembership
    attendance: dict[str, Attendance]


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
