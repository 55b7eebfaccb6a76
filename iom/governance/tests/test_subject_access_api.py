"""Subject access through the API: the DPO opens, reviews, downloads and answers a
request; nobody else may use these operations (docs/governance.md, policy rule 8)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
import time_machine

from iom.audit.models import AccessLogEntry
from iom.governance import policy
from iom.people import services as people

pytestmark = pytest.mark.django_db

BASE = "/api/governance/subject-access"


def _intelligence(world):
    return people.add_record(
        nominal=world.person, kind="intelligence", acting_user=world.users["police"],
        through="test", fields={"recorded_date": "2025-01-01", "grading_system": "5x5x5",
                                "source_grade": "B", "intel_grade": "2", "handling_code": "1",
                                "crime_type": "acquisitive",
                                "summary": "Seen dealing near the park"})


def _open(client, auth, world):
    answer = client.post(BASE, {"person_id": world.person.pk, "received_on": "2025-01-31"},
                         content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert answer.status_code == 201, answer.content
    return answer.json()


@time_machine.travel(date(2025, 2, 3), tick=False)
def test_the_dpo_answers_a_request_through_the_api(client, world, token_for):
    intel = _intelligence(world)
    auth = token_for("dpo")
    opened = _open(client, auth, world)
    assert opened["due_on"] == "2025-02-28" and opened["state"] == "open"  # no 31 February
    assert [r["id"] for r in client.get(BASE, HTTP_AUTHORIZATION=auth).json()] == [opened["id"]]
    url = f"{BASE}/{opened['id']}"
    read = client.get(url, HTTP_AUTHORIZATION=auth).json()
    held = {(r["kind"], r["id"]): r for r in read["records"]}
    assert held[("intelligence", str(intel.pk))]["review_suggested"] is True  # rule 8
    entry = AccessLogEntry.objects.filter(action="view", nominal_id=world.person.pk,
                                          username="dpo_police").latest("pk")
    assert entry.reason == policy.SUBJECT_ACCESS_SIGHT
    assert {"kind": "intelligence", "id": str(intel.pk)} in entry.records

    short = client.post(f"{url}/withholdings", {"kind": "intelligence", "record_id": str(intel.pk),
                                                "reason": "no"},
                        content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert short.status_code == 422 and short.json()["error"]["fields"][0]["field"] == "reason"
    withheld = client.post(f"{url}/withholdings", {
        "kind": "intelligence", "record_id": str(intel.pk),
        "reason": "Would identify a covert human source", "may_say_withheld": False},
        content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert withheld.status_code == 201 and withheld.json()["withheld"][0]["kind"] == "intelligence"

    data = client.get(f"{url}/export", {"format": "json"}, HTTP_AUTHORIZATION=auth)
    assert data["Content-Type"] == "application/json"
    pack = json.loads(data.content)
    assert pack["records"] and not any(r["kind"] == "intelligence" for r in pack["records"])
    assert pack["information_withheld"] is False  # s45(5): not told, as decided
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"{url}/export", {"format": "zip"},
                                                    HTTP_AUTHORIZATION=auth).content))
    assert {"subject-access.json", "schema.json", "person.csv"} <= set(archive.namelist())
    pdf = client.get(f"{url}/export", HTTP_AUTHORIZATION=auth)
    assert pdf.content.startswith(b"%PDF")
    logged = AccessLogEntry.objects.filter(action="export", nominal_id=world.person.pk)
    assert [e.detail["format"] for e in logged.order_by("pk")] == ["json", "zip", "pdf"]
    assert all(e.detail["withheld"] == 1 for e in logged)
    assert all({"kind": "intelligence", "id": str(intel.pk)} not in e.records for e in logged)

    released = client.post(f"{url}/withholdings/release",
                           {"kind": "intelligence", "record_id": str(intel.pk)},
                           content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert released.status_code == 200 and released.json()["withheld"] == []

    answered = client.post(f"{url}/answered", HTTP_AUTHORIZATION=auth)
    assert answered.status_code == 200 and answered.json()["state"] == "disclosed"
    after = client.get(url, HTTP_AUTHORIZATION=auth).json()
    assert after["records"] == []  # the full sight ended with the request
    assert not policy.open_subject_access(world.users["dpo"], world.person)
    again = client.get(f"{url}/export", {"format": "json"}, HTTP_AUTHORIZATION=auth)
    assert again.status_code == 422
    late = client.post(f"{url}/withholdings", {"kind": "person", "record_id": str(world.person.pk),
                                               "reason": "Too late to change anything"},
                       content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert late.status_code == 422


@time_machine.travel(date(2025, 2, 3), tick=False)
def test_a_request_received_in_the_future_is_refused(client, world, token_for):
    answer = client.post(BASE, {"person_id": world.person.pk, "received_on": "2025-02-04"},
                         content_type="application/json", HTTP_AUTHORIZATION=token_for("dpo"))
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"][0]["field"] == "received_on"


@time_machine.travel(date(2025, 2, 3), tick=False)
@pytest.mark.parametrize("persona", ["police", "probation", "mentor", "analyst", "admin",
                                     "outsider"])
def test_only_the_dpo_uses_the_subject_access_operations(client, world, token_for, persona):
    _intelligence(world)
    opened = _open(client, token_for("dpo"), world)
    auth = token_for(persona)
    url = f"{BASE}/{opened['id']}"
    calls = [
        client.get(BASE, HTTP_AUTHORIZATION=auth),
        client.post(BASE, {"person_id": world.person.pk, "received_on": "2025-02-01"},
                    content_type="application/json", HTTP_AUTHORIZATION=auth),
        client.get(url, HTTP_AUTHORIZATION=auth),
        client.post(f"{url}/withholdings", {"kind": "person", "record_id": str(world.person.pk),
                                            "reason": "Would prejudice an investigation"},
                    content_type="application/json", HTTP_AUTHORIZATION=auth),
        client.post(f"{url}/withholdings/release",
                    {"kind": "person", "record_id": str(world.person.pk)},
                    content_type="application/json", HTTP_AUTHORIZATION=auth),
        client.post(f"{url}/answered", HTTP_AUTHORIZATION=auth),
        *(client.get(f"{url}/export", {"format": f}, HTTP_AUTHORIZATION=auth)
          for f in ("pdf", "zip", "json")),
    ]
    assert [c.status_code for c in calls] == [404] * len(calls)
    assert all(c.json()["error"]["code"] == "not_found" for c in calls)
    assert not AccessLogEntry.objects.filter(action="export").exists()


@time_machine.travel(date(2025, 2, 3), tick=False)
def test_the_review_pages_show_everything_while_open_and_nothing_after(client, world):
    intel = _intelligence(world)
    client.force_login(world.users["dpo"])
    opened = client.post("/governance/subject-access/", {"person": world.person.pk,
                                                         "received_on": "2025-02-03"})
    url = opened["Location"]
    page = client.get(url).content.decode()
    assert "Seen dealing near the park" in page and "Police intelligence" in page
    assert "Mark as answered" in page
    assert client.get(url + "zip/").status_code == 200
    client.post(url, {"do": "answered"})
    page = client.get(url).content.decode()
    assert "Seen dealing near the park" not in page and "has been answered" in page
    refused = client.get(url + "pdf/")
    assert refused.status_code == 302  # back to the request, with the reason
    assert AccessLogEntry.objects.filter(action="export").count() == 1
    assert intel.pk
