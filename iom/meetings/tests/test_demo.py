"""The demo partnership's meetings: tasking meets the policy minimum and one past
tasking meeting was held through the services."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from iom.meetings.models import Meeting, MeetingKind, MeetingState
from iom.meetings.selectors import tasking_breaches

pytestmark = pytest.mark.django_db


def test_the_demo_schedules_tasking_and_holds_a_past_meeting(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    call_command("seed_demo", "--people", "12", stdout=StringIO())
    today = timezone.localdate()
    held = Meeting.objects.get(state=MeetingState.CLOSED, held_on=max(
        Meeting.objects.filter(state=MeetingState.CLOSED).values_list("held_on", flat=True)))
    assert held.held_on < today and held.kind == MeetingKind.TASKING
    attendances = list(held.attendances.select_related("organisation"))
    assert all(a.has_signed for a in attendances)
    assert {a.organisation.kind for a in attendances} >= {"police", "probation", "council",
                                                          "voluntary"}
    assert not tasking_breaches(held.partnership_id, today, today + timedelta(days=27))
    assert Meeting.objects.filter(kind=MeetingKind.PANEL, held_on__gte=today).exists()
