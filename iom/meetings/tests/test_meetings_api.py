"""The meetings API: the same services and the same closed sessions as the pages."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from iom.meetings.tests.conftest import Room

pytestmark = pytest.mark.django_db


def _post(client, url, auth, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json",
                       HTTP_AUTHORIZATION=auth)


def test_run_a_meeting_through_the_api(client, room: Room, token_for) -> None:
    w, police = room.world, token_for("police")
    base = f"/api/meetings/{room.meeting.pk}"
    for persona, attendance in room.attendance.items():
        auth = token_for(persona)
        response = _post(client, f"{base}/attendees/{attendance.pk}/signature", auth)
        assert response.status_code == 200, response.json()
    assert _post(client, f"{base}/agenda", police).status_code == 200
    opened = _post(client, f"{base}/open", police).json()
    assert opened["state"] == "open"
    sessions = {i["person_id"]: i["session"] for i in opened["items"]}
    assert sessions == {w.consented.pk: "open", w.person.pk: "closed"}
    item = next(i for i in opened["items"] if i["person_id"] == w.consented.pk)
    response = _post(client, f"{base}/items/{item['id']}/decisions", police, {
        "kind": "defer", "rationale": "More information needed from probation"})
    assert response.status_code == 201 and response.json()["summary"] == "Defer"
    response = _post(client, f"{base}/items/{item['id']}/actions", police, {
        "title": "Send the OASys summary", "due_on": timezone.localdate().isoformat(),
        "owner_organisation_id": w.orgs["probation"].pk})
    assert response.status_code == 201


def test_the_mentor_reads_the_open_session_only(client, running: Room, token_for) -> None:
    w = running.world
    body = client.get(f"/api/meetings/{running.meeting.pk}",
                      HTTP_AUTHORIZATION=token_for("mentor")).json()
    assert [i["person_id"] for i in body["items"]] == [w.consented.pk]
    assert body["items_withheld"] == 1
    response = _post(client, f"/api/meetings/{running.meeting.pk}/finish", token_for("mentor"))
    assert response.status_code == 403


def test_arrange_refuses_bad_input_in_the_error_shape(client, world, token_for) -> None:
    response = _post(client, "/api/meetings", token_for("police"), {
        "kind": "tasking", "title": " ", "held_on": "2026-01-01", "start_time": "09:00"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "title"
    response = _post(client, "/api/meetings", token_for("mentor"), {
        "kind": "tasking", "title": "A", "held_on": "2026-01-01", "start_time": "09:00"})
    assert response.status_code == 403
