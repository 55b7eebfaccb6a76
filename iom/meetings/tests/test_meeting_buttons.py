"""The meeting page offers only what the services will do: "Open the meeting" from its
day; "Finish the meeting" asks first; an item's page leads to the previous and next
items of the agenda as the reader sees it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from iom.meetings.models import MeetingState
from iom.meetings.tests.conftest import Room
from iom.meetings.tests.factories import arrange, attend, sign_all

pytestmark = pytest.mark.django_db


def test_a_future_meeting_offers_no_open_button_and_says_when(client, world) -> None:
    later = timezone.localdate() + timedelta(days=2)
    meeting = arrange(world, held_on=later)
    sign_all(world, attend(world, meeting, "police", "probation"))
    client.force_login(world.users["police"])
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Open the meeting" not in page
    assert f"can be opened on its day, {later:%A} {later.day} {later:%B %Y}" in page


def test_todays_meeting_offers_the_open_button(client, room: Room) -> None:
    client.force_login(room.world.users["police"])
    page = client.get(f"/meetings/{room.meeting.pk}/").content.decode()
    assert "Open the meeting" in page and "can be opened on its day" not in page


def test_finishing_asks_first_and_finishes_only_when_confirmed(client, running: Room) -> None:
    client.force_login(running.world.users["police"])
    url = f"/meetings/{running.meeting.pk}/close/"
    page = client.get(f"/meetings/{running.meeting.pk}/").content.decode()
    assert f'href="{url}">Finish the meeting</a>' in page  # a link to ask, not a form
    asked = client.get(url)
    assert asked.status_code == 200
    assert "Finish the meeting?" in asked.content.decode()
    running.meeting.refresh_from_db()
    assert running.meeting.state == MeetingState.OPEN
    assert client.post(url).status_code == 302
    running.meeting.refresh_from_db()
    assert running.meeting.state == MeetingState.CLOSED


def _links(page: str) -> dict[str, str]:
    return dict(re.findall(r'href="(/meetings/\d+/items/\d+/)" rel="(prev|next)"', page))


def test_an_item_leads_to_the_previous_and_next_items(client, running: Room) -> None:
    w, m = running.world, running.meeting
    client.force_login(w.users["police"])
    items = sorted(m.items.all(), key=lambda i: (i.closed_session, i.position, i.pk))
    assert len(items) >= 2
    urls = [f"/meetings/{m.pk}/items/{i.pk}/" for i in items]
    first = _links(client.get(urls[0]).content.decode())
    assert first == {urls[1]: "next"}
    last = _links(client.get(urls[-1]).content.decode())
    assert last == {urls[-2]: "prev"}


def test_the_mentor_is_not_led_to_an_item_they_may_not_hear(client, running: Room) -> None:
    w, m = running.world, running.meeting
    client.force_login(w.users["mentor"])
    theirs = m.items.get(nominal=w.consented)
    hidden = m.items.get(nominal=w.person)
    page = client.get(f"/meetings/{m.pk}/items/{theirs.pk}/").content.decode()
    assert f"/items/{hidden.pk}/" not in page
