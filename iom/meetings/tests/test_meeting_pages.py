"""Running a meeting through its pages, from arranging to the printed minutes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from iom.cohorts.models import PanelDecision
from iom.meetings.models import Meeting
from iom.meetings.tests.conftest import Room
from iom.meetings.tests.factories import sign_all

pytestmark = pytest.mark.django_db


def test_arrange_a_meeting_with_errors_then_without(client, world) -> None:
    client.force_login(world.users["police"])
    response = client.post("/meetings/new/", {"kind": "tasking"})
    assert response.status_code == 200 and "Error:" in response.content.decode()
    response = client.post("/meetings/new/", {
        "kind": "tasking", "title": "City tasking", "held_on": timezone.localdate().isoformat(),
        "start_time": "09:30", "location": "Room 4"})
    meeting = Meeting.objects.get()
    assert response["Location"] == f"/meetings/{meeting.pk}/"


@time_machine.travel(date(2027, 3, 1), tick=False)  # two weeks with no bank holiday
def test_schedule_page(client, world) -> None:
    client.force_login(world.users["police"])
    start = timezone.localdate() + timedelta(days=1)
    response = client.post("/meetings/schedules/new/", {
        "kind": "tasking", "title": "Daily tasking", "weekdays": ["0", "1", "2", "3", "4"],
        "every_weeks": "1", "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=13)).isoformat(), "start_time": "09:00"})
    assert response.status_code == 302
    assert Meeting.objects.count() == 10


def test_run_the_meeting_through_its_pages(client, room: Room) -> None:
    w, m = room.world, room.meeting
    client.force_login(w.users["mentor"])
    client.post(f"/meetings/{m.pk}/statement/")
    client.force_login(w.users["police"])
    for persona in ("police", "probation", "housing"):
        client.post(f"/meetings/{m.pk}/attendees/{room.attendance[persona].pk}/sign/")
    client.post(f"/meetings/{m.pk}/agenda/generate/")
    client.post(f"/meetings/{m.pk}/agenda/add/", {"title": "Any other business"})
    client.post(f"/meetings/{m.pk}/open/")
    m.refresh_from_db()
    assert m.is_open and m.items.count() == 3
    item = m.items.get(nominal=w.consented)
    client.post(f"/meetings/{m.pk}/items/{item.pk}/move/", {"direction": "down"})
    url = f"/meetings/{m.pk}/items/{item.pk}/"
    client.post(url, {"minutes-which": "minutes", "minutes-minutes": "Discussed the referral"})
    response = client.post(url, {
        "decision-which": "decision", "decision-kind": "accept",
        "decision-rationale": "Agreed by all agencies present",
        "decision-agreeing": [w.orgs["police"].pk, w.orgs["probation"].pk]})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert PanelDecision.objects.filter(membership=room.awaiting, outcome="accept").exists()
    response = client.post(url, {
        "action-which": "action", "action-title": "Book the assessment",
        "action-owner_organisation": w.orgs["probation"].pk, "action-priority": "high",
        "action-due_on": (timezone.localdate() + timedelta(days=5)).isoformat()})
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(url).content.decode()
    assert "Discussed the referral" in page and "Book the assessment" in page
    client.post(f"/meetings/{m.pk}/close/")
    m.refresh_from_db()
    assert m.state == "closed"
    export = client.get(f"/meetings/{m.pk}/export/").content.decode()
    assert "Accept onto the cohort" in export and "Book the assessment" in export


def test_a_sign_in_is_needed_everywhere(client, running: Room) -> None:
    assert client.get(f"/meetings/{running.meeting.pk}/").status_code == 302


def test_open_refused_is_explained(client, room: Room) -> None:
    client.force_login(room.world.users["police"])
    response = client.post(f"/meetings/{room.meeting.pk}/open/", follow=True)
    assert "Not yet signed" in response.content.decode()
    sign_all(room.world, room.attendance)
