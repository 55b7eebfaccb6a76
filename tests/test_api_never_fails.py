"""No input makes the API fail with a server error: it answers 2xx or a JSON 4xx."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

FIELDS = ["kind", "event_date", "offence_date", "ho_code", "disposal", "date", "start_date",
          "end_date", "custody_type", "expected_release_date", "actual_release_date",
          "mappa_level", "grading_system", "source_grade", "intel_grade", "handling_code",
          "crime_type", "summary", "forename", "surname", "date_of_birth", "line1", "town",
          "postcode", "from_date", "to_date", "recorded_date", "domestic_abuse"]
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
    st.text(max_size=30), st.dates().map(str), st.lists(st.integers(), max_size=3),
    st.sampled_from(["conviction", "arrest", "28A", "5x5x5", "3x5x2", "2024-02-30", "mappa",
                     "remand", "A", "1", "P", "custody", "9999-12-31", "0001-01-01"]),
)
KINDS = st.sampled_from(["event", "case_date", "wanted_missing", "custody", "order",
                         "protection", "intelligence", "alias", "address", "flag", "nonsense"])
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _check(response):
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message", "fields"}


@SETTINGS
@given(kind=KINDS, fields=st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=10))
def test_add_record_never_fails(client, world, token_for, kind, fields):
    response = client.post(f"/api/people/{world.person.pk}/records/{kind}",
                           json.dumps({"fields": fields}), content_type="application/json",
                           HTTP_AUTHORIZATION=token_for("police"))
    _check(response)


@SETTINGS
@given(body=st.one_of(st.dictionaries(st.sampled_from(
    ["forename", "surname", "date_of_birth", "gender", "pnc_id", "crn", "ethnicity",
     "district_id", "primary_substance"]), VALUES, max_size=9), st.lists(VALUES), VALUES))
def test_create_person_never_fails(client, world, token_for, body):
    response = client.post("/api/people", json.dumps(body), content_type="application/json",
                           HTTP_AUTHORIZATION=token_for("police"))
    _check(response)


@SETTINGS
@given(q=st.text(max_size=120), person=st.integers(-5, 10**20))
def test_reads_never_fail(client, world, token_for, q, person):
    auth = token_for("police")
    _check(client.get("/api/people", {"q": q}, HTTP_AUTHORIZATION=auth))
    _check(client.get(f"/api/people/{person}", HTTP_AUTHORIZATION=auth,
                      HTTP_X_ACCESS_REASON="Checking that nothing fails"))


@pytest.mark.parametrize("text", ["\x00", "a\x00b", "\ud800" if False else "\u0000x"])
def test_nul_characters_are_refused_clearly(client, world, token_for, text):
    auth = token_for("police")
    response = client.post("/api/people", json.dumps({
        "forename": text, "surname": "Other", "date_of_birth": "1990-01-01", "gender": "M"}),
        content_type="application/json", HTTP_AUTHORIZATION=auth)
    _check(response)
    _check(client.get("/api/people", {"q": text}, HTTP_AUTHORIZATION=auth))
    _check(client.post(f"/api/people/{world.person.pk}/records/alias",
                       json.dumps({"fields": {"forename": text, "surname": "X"}}),
                       content_type="application/json", HTTP_AUTHORIZATION=auth))
