"""Who reaches a meeting's pages, and what each attendee sees of it (000 ISA s10)."""

from __future__ import annotations

import pytest

from iom.meetings.tests.conftest import Room

pytestmark = pytest.mark.django_db


def _pages(room: Room) -> list[str]:
    m = room.meeting
    item = m.items.get(nominal=room.world.person)
    return [f"/meetings/{m.pk}/", f"/meetings/{m.pk}/export/", f"/meetings/{m.pk}/statement/",
            f"/meetings/{m.pk}/items/{item.pk}/"]


@pytest.mark.parametrize("persona", ["analyst", "dpo", "admin", "outsider"])
def test_who_is_not_a_partner_here_finds_nothing(client, running: Room, persona: str) -> None:
    client.force_login(running.world.users[persona])
    for url in _pages(running):
        assert client.get(url).status_code == 404, url
    assert running.meeting.title not in client.get("/meetings/").content.decode() or \
        persona in {"analyst", "dpo", "admin"}


def test_a_partner_not_attending_does_not_see_the_meeting(client, running: Room) -> None:
    from iom.meetings import services

    services.close_meeting(meeting=running.meeting, acting_user=running.world.users["police"],
                           through="test")
    running.meeting.attendances.filter(user=running.world.users["mentor"]).delete()
    client.force_login(running.world.users["mentor"])
    assert client.get(f"/meetings/{running.meeting.pk}/").status_code == 404


def test_the_mentor_sees_the_open_session_only(client, running: Room) -> None:
    w = running.world
    client.force_login(w.users["mentor"])
    closed = running.meeting.items.get(nominal=w.person)
    for url in (f"/meetings/{running.meeting.pk}/", f"/meetings/{running.meeting.pk}/export/"):
        page = client.get(url).content.decode()
        assert w.consented.full_name in page, url
        assert w.person.full_name not in page and "Smith" not in page, url
    page = client.get(f"/meetings/{running.meeting.pk}/").content.decode()
    assert "A closed session follows that you are not part of" in page
    item_url = f"/meetings/{running.meeting.pk}/items/{closed.pk}/"
    assert client.get(item_url).status_code == 404


def test_the_mentor_cannot_change_the_meeting(client, running: Room) -> None:
    w = running.world
    client.force_login(w.users["mentor"])
    m = running.meeting
    item = m.items.get(nominal=w.consented)
    for url in (f"/meetings/{m.pk}/close/", f"/meetings/{m.pk}/agenda/generate/",
                f"/meetings/{m.pk}/items/{item.pk}/move/"):
        assert client.post(url).status_code == 403, url
    response = client.post(f"/meetings/{m.pk}/items/{item.pk}/",
                           {"minutes-which": "minutes", "minutes-minutes": "Not mine"})
    assert response.status_code == 403


def test_the_police_see_both_sessions(client, running: Room) -> None:
    w = running.world
    client.force_login(w.users["police"])
    page = client.get(f"/meetings/{running.meeting.pk}/").content.decode()
    assert "Closed session" in page and w.person.full_name in page
    export = client.get(f"/meetings/{running.meeting.pk}/export/").content.decode()
    assert "Closed session" in export and "Signed" in export
