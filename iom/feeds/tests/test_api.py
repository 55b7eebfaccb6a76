"""The feeds API: a coordinator uploads and reads the run; a recipient acknowledges."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from iom.accounts.models import ApiToken
from iom.cohorts.tests.factories import case_on_cohort
from iom.feeds.models import Alert

from .conftest import row

pytestmark = pytest.mark.django_db


def _token(user) -> str:
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, issued_by=user, name="test",
                            key_hash=ApiToken.hash_key(key), prefix=key[:8])
    return f"Bearer {key}"


def test_upload_read_run_list_and_acknowledge(client, world, coordinator, feed_file):
    case_on_cohort(world.person, world.person.date_of_birth.replace(year=2025),
              lead=world.users["police"])
    path = feed_file([row("breach", "B1", "2025-06-01")])
    auth = _token(coordinator)
    made = client.post("/api/feeds/uploads", {"file": SimpleUploadedFile(
        path.name, path.read_bytes(), "text/csv")}, HTTP_AUTHORIZATION=auth)
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["status"], body["new"], body["alerts_raised"]) == ("done", 1, 2)
    run = client.get(f"/api/feeds/runs/{body['id']}", HTTP_AUTHORIZATION=auth).json()
    assert run["unchanged"] == 0 and run["problems"] == []
    lead = _token(world.users["police"])
    alerts = client.get("/api/feeds/alerts", HTTP_AUTHORIZATION=lead).json()
    assert [a["kind"] for a in alerts] == ["breach"]
    done = client.post(f"/api/feeds/alerts/{alerts[0]['id']}/acknowledge",
                       {"note": "Spoke to the officer"}, content_type="application/json",
                       HTTP_AUTHORIZATION=lead)
    assert done.status_code == 200 and done.json()["note"] == "Spoke to the officer"
    assert Alert.objects.get(pk=alerts[0]["id"]).acknowledged_at is not None


def test_upload_without_a_file_is_refused_with_the_field(client, world, coordinator):
    response = client.post("/api/feeds/uploads", {}, HTTP_AUTHORIZATION=_token(coordinator))
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "file"


def test_a_bad_file_through_the_api_returns_its_problems(client, world, coordinator, feed_file):
    path = feed_file([row("arrest", "X1", "not a date")])
    body = client.post("/api/feeds/uploads", {"file": SimpleUploadedFile(
        path.name, path.read_bytes(), "text/csv")}, HTTP_AUTHORIZATION=_token(coordinator)).json()
    assert body["status"] == "rejected"
    assert body["problems"] == [{"row": 1, "column": "record_date",
                                 "reason": "is not a date (YYYY-MM-DD)"}]
