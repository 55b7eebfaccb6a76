"""The inputs fuzzing found to make a server error, each now a 4xx naming its field,
and the OpenAPI document describing the API as it answers (docs/api.md)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from iom.api.urls import api
from iom.casework.models import Action, Contact, InterventionPlan
from iom.cohorts.tests.factories import case_on_cohort
from iom.meetings.models import Meeting
from iom.people.forms import GovukFormMixin

pytestmark = pytest.mark.django_db
REASON = "Checking the answer to bad input"
DAY = timezone.localdate().isoformat()


def _post(client: Any, url: str, body: dict[str, Any], auth: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json",
                       HTTP_AUTHORIZATION=auth, HTTP_X_ACCESS_REASON=REASON)


def _refused(response: Any, field: str, status: int = 422) -> str:
    assert response.status_code == status, response.content[:300]
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    named: dict[str, str] = {f["field"]: f["message"] for f in error["fields"]}
    assert field in named, error
    return named[field]


def test_scores_as_at_the_year_one_are_refused_on_the_api(client, world, token_for):
    response = client.get(f"/api/scores/people/{world.person.pk}", {"as_at": "0001-01-01"},
                          HTTP_AUTHORIZATION=token_for("police"))
    assert _refused(response, "as_at") == "Must be on or after 1 January 1900."


def test_scores_as_at_the_year_one_are_refused_on_the_page(client, world):
    client.force_login(world.users["police"])
    page = client.get(reverse("scoring:person", args=[world.person.pk]),
                      {"as_at": "0001-01-01"})
    assert page.status_code == 200
    assert "The year of the as-at date must include 4 numbers" in page.content.decode()
    page = client.get(reverse("scoring:person", args=[world.person.pk]),
                      {"as_at": "1899-12-31"})
    assert "The date must be on or after 1 January 1900." in page.content.decode()


def test_a_meeting_time_with_an_offset_is_refused(client, world, token_for):
    response = _post(client, "/api/meetings", {
        "kind": "tasking", "title": "Tasking", "held_on": DAY, "start_time": "00:00:00Z"},
        token_for("police"))
    assert "without an offset" in _refused(response, "start_time")
    assert not Meeting.objects.exists()


def test_a_meeting_time_without_an_offset_is_read_back_without_one(client, world, token_for):
    auth = token_for("police")
    made = _post(client, "/api/meetings", {
        "kind": "tasking", "title": "Tasking", "held_on": DAY, "start_time": "09:30"}, auth)
    assert made.status_code == 201, made.content
    assert made.json()["start_time"] == "09:30:00"


def test_a_thirty_digit_lead_agency_is_refused(client, world, token_for):
    response = client.get("/api/cohorts/dashboard", {"lead_agency": "9" * 30},
                          HTTP_AUTHORIZATION=token_for("police"))
    assert _refused(response, "lead_agency") == "Is too large a number."


@pytest.fixture
def on_the_cohort(world: Any) -> str:
    case_on_cohort(world.person, timezone.localdate() - timedelta(days=1),
              lead=world.users["police"])
    return f"/api/casework/people/{world.person.pk}"


@pytest.mark.parametrize(("path", "body", "field", "model"), [
    ("/actions", {"title": "Check\x00", "owner_user_id": None, "priority": "high",
                  "due_on": DAY}, "title", Action),
    ("/contacts", {"kind": "phone", "happened_on": DAY, "outcome": "kept",
                   "note": "Rang\x00"}, "note", Contact),
    ("/plan", {"started_on": DAY, "summary": "Plan\x00"}, "summary", InterventionPlan),
])
def test_a_nul_character_is_refused_and_nothing_stored(
        client, world, token_for, on_the_cohort, path, body, field, model):
    if path == "/actions":
        body["owner_user_id"] = world.users["police"].pk
    response = _post(client, on_the_cohort + path, body, token_for("police"))
    assert "null character" in _refused(response, field)
    assert not model.objects.exists()


def test_text_over_the_cap_is_refused(client, world, token_for, on_the_cohort, settings):
    settings.IOM_TEXT_MAX_CHARS = 300
    response = _post(client, on_the_cohort + "/contacts", {
        "kind": "phone", "happened_on": DAY, "outcome": "kept", "note": "x" * 301},
        token_for("police"))
    assert _refused(response, "note") == "Must be 300 characters or fewer (this is 301)."


def test_a_date_of_birth_in_the_year_one_is_refused(client, world, token_for):
    response = _post(client, "/api/people", {
        "forename": "Ann", "surname": "Other", "date_of_birth": "0001-01-01", "gender": "F"},
        token_for("police"))
    assert _refused(response, "date_of_birth").startswith("Must be on or after")


@pytest.mark.parametrize(("method", "url", "status"), [
    ("get", "/api/no-such-thing", 404),
    ("get", "/api/people/not-a-number/nothing", 404),
    ("delete", "/api/people", 405),
])
def test_every_4xx_has_the_one_error_shape(client, world, token_for, method, url, status):
    response = getattr(client, method)(url, HTTP_AUTHORIZATION=token_for("police"))
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def _document() -> dict[str, Any]:
    return api.get_openapi_schema()


def test_every_schema_name_in_the_document_is_one_schema():
    seen: dict[str, type] = {}
    for router_prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                models = [*operation.response_models.values(), *operation.models]
                for model in models:
                    for found in [model, *_models_in(model)]:
                        if found is None or not found.__module__.startswith("iom."):
                            continue
                        name = found.__name__
                        assert seen.setdefault(name, found) is found, (
                            f"two schemas are called {name}: {seen[name]} and {found} "
                            f"({router_prefix})")


def _models_in(model: Any) -> list[type]:
    from pydantic import BaseModel

    found: list[type] = []
    if model is None:
        return found
    for field in getattr(model, "model_fields", {}).values():
        annotation = field.annotation
        for candidate in (annotation, *getattr(annotation, "__args__", ())):
            inner = (*getattr(candidate, "__args__", ()), candidate)
            for each in inner:
                if isinstance(each, type) and issubclass(each, BaseModel):
                    found.append(each)
                    found.extend(_models_in(each))
    return found


def test_no_time_in_the_document_asks_for_an_offset():
    assert '"format": "time"' not in json.dumps(_document())


def test_every_operation_declares_the_error_shape_for_every_4xx():
    for path, operations in _document()["paths"].items():
        for method, operation in operations.items():
            declared = {str(code) for code in operation["responses"] if str(code)[0] == "4"}
            assert {"400", "401", "403", "404", "422"} <= declared, (method, path)
            for code in declared:
                schema = operation["responses"][int(code)]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path)


class _NoteForm(GovukFormMixin, forms.Form):
    note = forms.CharField(required=False)
    born = forms.DateField(required=False)
    count = forms.IntegerField(required=False)


def test_web_forms_hold_every_value_to_the_same_bounds(settings):
    settings.IOM_TEXT_MAX_CHARS = 250
    form = _NoteForm(data={"note": "x" * 251, "born": "0001-01-01", "count": "9" * 30})
    assert not form.is_valid()
    assert form.errors["note"] == ["The note must be 250 characters or fewer (this is 251)."]
    assert form.errors["born"] == ["The born must be on or after 1 January 1900."]
    assert form.errors["count"] == ["The count is too large a number."]
    assert _NoteForm(data={"note": "fine", "born": "1990-01-01", "count": "3"}).is_valid()


def test_instants_are_judged_by_their_day():
    from datetime import datetime

    from iom.core import bounds

    assert bounds.value_problem(timezone.now(), name="signed_at") is None
    assert bounds.value_problem(datetime(1, 1, 2, tzinfo=timezone.get_current_timezone()),
                                name="signed_at") == "Must be on or after 1 January 1900."


def test_a_nul_inside_a_record_names_its_key(client, world, token_for):
    response = _post(client, f"/api/people/{world.person.pk}/records/alias",
                     {"fields": {"forename": "A\x00", "surname": "X"}}, token_for("police"))
    assert _refused(response, "fields").startswith("forename: Remove the null character")
    assert not world.person.aliases.exists()
