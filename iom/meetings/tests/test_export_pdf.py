"""The dated agenda and minutes as a PDF: the same closed sessions as the print view,
the signed attendance list and statement, and an export entry for each person in it."""

from __future__ import annotations

import pytest

from iom.audit.models import AccessLogEntry
from iom.core.testing import pdf_words
from iom.meetings import services
from iom.meetings.tests.conftest import Room
from iom.meetings.tests.factories import THROUGH

pytestmark = pytest.mark.django_db


_text = pdf_words


def _pdf(client, room: Room, persona: str) -> str:
    client.force_login(room.world.users[persona])
    response = client.get(f"/meetings/{room.meeting.pk}/export.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=\"meeting-")
    return _text(response.content)


def _minuted(room: Room) -> None:
    police = room.world.users["police"]
    for nominal in (room.world.person, room.world.consented):
        services.record_minutes(item=room.meeting.items.get(nominal=nominal),
                                text=f"Discussed the case of item {nominal.pk}.",
                                acting_user=police, through=THROUGH)


def test_the_mentor_gets_no_closed_item_and_is_told_one_follows(client, running: Room) -> None:
    _minuted(running)
    w = running.world
    text = _pdf(client, running, "mentor")
    assert w.consented.full_name in text
    assert w.person.full_name not in text and w.person.surname not in text
    assert f"item {w.person.pk}." not in text
    assert "A closed session follows that you are not part of" in text
    assert "Closed session" not in text.replace("leaves out the closed session", "")


def test_the_chair_gets_both_sessions(client, running: Room) -> None:
    _minuted(running)
    w = running.world
    text = _pdf(client, running, "police")
    assert w.consented.full_name in text and w.person.full_name in text
    assert "Open session" in text and "Closed session" in text
    assert f"Discussed the case of item {w.person.pk}." in text
    assert "A closed session follows that you are not part of" not in text


def test_the_signed_attendance_and_statement_are_in_it(client, running: Room) -> None:
    text = _pdf(client, running, "police")
    for persona, attendance in running.attendance.items():
        assert attendance.name in text, persona
        assert attendance.organisation.name in text, persona
    assert "Not signed" not in text
    assert "All partners have agreed boundaries of confidentiality" in text
    assert "OFFICIAL-SENSITIVE: IN CONFIDENCE" in text


def test_each_person_included_is_logged_as_an_export(client, running: Room) -> None:
    w = running.world
    before = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    _pdf(client, running, "mentor")
    entries = AccessLogEntry.objects.filter(id__gt=before, action="export")
    assert sorted(e.nominal_id or 0 for e in entries) == [w.consented.pk]
    assert all(e.detail == {"format": "PDF"} for e in entries)
    assert all({"kind": "meeting", "id": running.meeting.pk} in e.records for e in entries)
    before = entries.order_by("-id").values_list("id", flat=True).first() or before
    _pdf(client, running, "police")
    chair = AccessLogEntry.objects.filter(id__gt=before, action="export")
    assert sorted(e.nominal_id or 0 for e in chair) == sorted([w.consented.pk, w.person.pk])


def test_the_api_gives_the_same_pdf_to_each_reader(client, running: Room, token_for) -> None:
    w = running.world
    url = f"/api/meetings/{running.meeting.pk}/export"
    mentor = client.get(url, HTTP_AUTHORIZATION=token_for("mentor"))
    assert mentor.status_code == 200 and mentor["Content-Type"] == "application/pdf"
    assert w.person.full_name not in _text(mentor.content)
    chair = client.get(url, HTTP_AUTHORIZATION=token_for("police"))
    assert w.person.full_name in _text(chair.content)
    entry = (AccessLogEntry.objects.filter(action="export", nominal_id=w.person.pk)
             .order_by("-id").first())
    assert entry is not None and "export_meeting_pdf" in entry.through


@pytest.mark.parametrize("persona", ["analyst", "outsider"])
def test_who_is_not_a_partner_here_gets_no_pdf(client, running: Room, persona: str,
                                               token_for) -> None:
    client.force_login(running.world.users[persona])
    assert client.get(f"/meetings/{running.meeting.pk}/export.pdf").status_code == 404
    response = client.get(f"/api/meetings/{running.meeting.pk}/export",
                          HTTP_AUTHORIZATION=token_for(persona))
    assert response.status_code in (403, 404)


def test_the_print_view_says_the_same_about_the_closed_session(client, running: Room) -> None:
    client.force_login(running.world.users["mentor"])
    page = client.get(f"/meetings/{running.meeting.pk}/export/").content.decode()
    assert "A closed session follows that you are not part of" in page
    assert f"/meetings/{running.meeting.pk}/export.pdf" in page
    client.force_login(running.world.users["police"])
    page = client.get(f"/meetings/{running.meeting.pk}/export/").content.decode()
    assert "A closed session follows that you are not part of" not in page
