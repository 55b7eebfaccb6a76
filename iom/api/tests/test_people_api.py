import pytest

from iom.audit.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def test_search_read_and_add_with_a_token(client, world, token_for):
    auth = token_for("police")
    found = client.get("/api/people", {"q": "jonathan smiht"}, HTTP_AUTHORIZATION=auth)
    assert found.status_code == 200
    assert [p["id"] for p in found.json()] == [world.person.pk]

    profile = client.get(f"/api/people/{world.person.pk}", HTTP_AUTHORIZATION=auth)
    assert profile.status_code == 200
    assert profile.json()["pnc_id"] == "2012/0012345A"

    added = client.post(
        f"/api/people/{world.person.pk}/records/event",
        {"fields": {"kind": "arrest", "event_date": "2025-06-01", "ho_code": "46"}},
        content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert added.status_code == 201, added.json()
    timeline = client.get(f"/api/people/{world.person.pk}", HTTP_AUTHORIZATION=auth).json()
    assert timeline["timeline"][0]["title"] == "Arrest"
    through = set(AccessLogEntry.objects.filter(nominal_id=world.person.pk)
                  .values_list("through", flat=True))
    assert any("read_profile" in t for t in through)
    assert any("add_record" in t for t in through)


def test_bad_record_is_refused_with_named_fields_and_nothing_stored(client, world, token_for):
    auth = token_for("police")
    response = client.post(
        f"/api/people/{world.person.pk}/records/event",
        {"fields": {"kind": "conviction", "event_date": "2024-01-01",
                    "offence_date": "2024-03-01", "ho_code": "99ZZ"}},
        content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert response.status_code == 422
    body = response.json()["error"]
    fields = {f["field"] for f in body["fields"]}
    assert {"ho_code", "event_date", "disposal"} <= fields
    assert not world.person.events.exists()


def test_malformed_json_gets_the_stable_error_shape(client, world, token_for):
    auth = token_for("police")
    response = client.post("/api/people", "{not json", content_type="application/json",
                           HTTP_AUTHORIZATION=auth)
    assert response.status_code in (400, 422)
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    response = client.post("/api/people", {"forename": "A"}, content_type="application/json",
                           HTTP_AUTHORIZATION=auth)
    assert response.status_code == 422
    assert "surname" in {f["field"] for f in response.json()["error"]["fields"]}


def test_bad_pnc_id_is_named(client, world, token_for):
    response = client.post("/api/people", {
        "forename": "Ann", "surname": "Other", "date_of_birth": "1991-02-03", "gender": "F",
        "pnc_id": "2012/0012345B"}, content_type="application/json",
        HTTP_AUTHORIZATION=token_for("police"))
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "pnc_id"


def test_outside_caseload_needs_a_reason(client, world, token_for):
    auth = token_for("probation")
    response = client.get(f"/api/people/{world.person.pk}", HTTP_AUTHORIZATION=auth)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "reason_required"
    response = client.get(f"/api/people/{world.person.pk}", HTTP_AUTHORIZATION=auth,
                          HTTP_X_ACCESS_REASON="Preparing the Tuesday panel")
    assert response.status_code == 200
    assert response.json()["intelligence_withheld"] is True
    entry = AccessLogEntry.objects.filter(nominal_id=world.person.pk, action="view").first()
    assert entry.reason == "Preparing the Tuesday panel"


def test_openapi_document_is_served(client, world):
    schema = client.get("/api/openapi.json").json()
    assert "/api/people" in schema["paths"]
    assert "/api/people/{person_id}/records/{kind}" in schema["paths"]
