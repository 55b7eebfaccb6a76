"""The API records the exact OGRS 3 category of a conviction already on the record, as
the conviction's page does: the same service, the same checks, the same log entry.

Seed 001 s4.3 (Derbyshire 2021 Free): "offenders convicted of possession with intent
to supply ... provided that their OGRS exceeds 50%". Home Office code 92A covers
supply and production, so OGRS 3 is worked out only once the category is recorded
(docs/scores.md, "The exact offence category"; ADR 0015).
"""

from datetime import date

import pytest
import time_machine

from iom.audit.models import AccessLogEntry
from iom.people import services
from iom.people.models import CategorySource

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 2)


def _conviction(world, code="92A", kind="conviction", person=None):
    return services.add_record(
        nominal=person or world.person, kind="event", acting_user=world.users["police"],
        through="test", fields={"kind": kind, "event_date": date(2025, 3, 3), "ho_code": code,
                                "disposal": "community" if kind == "conviction" else ""})


def _url(person_id, event_id):
    return f"/api/people/{person_id}/convictions/{event_id}/ogrs3-category"


def _post(client, auth, person_id, event_id, category, **headers):
    return client.post(_url(person_id, event_id), {"ogrs3_category": category},
                       content_type="application/json", HTTP_AUTHORIZATION=auth, **headers)


def _ogrs3(client, auth, person_id):
    scores = client.get(f"/api/scores/people/{person_id}", HTTP_AUTHORIZATION=auth).json()
    return next(s for s in scores["scores"] if s["name"] == "ogrs3")


@time_machine.travel(TODAY, tick=False)
def test_a_police_officer_records_the_category_and_the_scores_read_it(client, world,
                                                                      token_for):
    event = _conviction(world)
    auth = token_for("police")
    before = _ogrs3(client, auth, world.person.pk)
    assert before["value"] is None and "exact offence" in before["error"].lower()
    answer = _post(client, auth, world.person.pk, event.pk, "drug_possession_supply")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["ogrs3_category"] == "drug_possession_supply"
    assert body["ogrs3_category_name"] == "Drug possession or supply"
    assert body["ogrs3_category_source"] == CategorySource.USER
    assert "drug_import_export_production" in body["allowed_categories"]
    event.refresh_from_db()
    assert (event.ogrs3_category, event.ogrs3_category_source, event.ogrs3_category_set_by) == (
        "drug_possession_supply", CategorySource.USER, world.users["police"])
    assert event.ogrs3_category_set_at is not None
    entry = AccessLogEntry.objects.filter(action="update", nominal_id=world.person.pk).latest("id")
    assert entry.user_id == world.users["police"].pk and entry.token_id is not None
    assert entry.through.startswith("API POST /api/people/")
    assert entry.records == [{"kind": "event", "id": event.pk}]
    assert entry.reason == "On own caseload"
    assert entry.detail["changed"]["ogrs3_category"] == {"old": "",
                                                         "new": "drug_possession_supply"}
    after = _ogrs3(client, auth, world.person.pk)
    assert after["error"] is None and after["value"] is not None
    working = " ".join(line["detail"] for line in after["working"])
    assert "Drug possession or supply" in working


def test_probation_may_change_it_off_their_caseload_with_a_reason_and_clear_it(client, world,
                                                                              token_for):
    event = _conviction(world)
    auth = token_for("probation")
    unexplained = _post(client, auth, world.person.pk, event.pk, "drug_possession_supply")
    assert unexplained.status_code == 428 or unexplained.json()["error"]["code"] == (
        "reason_required")
    reason = {"HTTP_X_ACCESS_REASON": "Preparing the panel's Free list"}
    assert _post(client, auth, world.person.pk, event.pk, "drug_possession_supply",
                 **reason).status_code == 200
    cleared = _post(client, auth, world.person.pk, event.pk, "", **reason)
    assert cleared.status_code == 200 and cleared.json()["ogrs3_category_source"] == ""
    event.refresh_from_db()
    assert (event.ogrs3_category, event.ogrs3_category_set_by) == ("", None)
    entry = AccessLogEntry.objects.filter(action="update", nominal_id=world.person.pk).latest("id")
    assert entry.reason == "Preparing the panel's Free list"
    assert entry.detail["changed"]["ogrs3_category"] == {"old": "drug_possession_supply",
                                                         "new": ""}


@pytest.mark.parametrize("persona", ["analyst", "mentor", "outsider", "dpo"])
def test_who_may_not_change_convictions_is_refused_and_nothing_changes(client, world,
                                                                       token_for, persona):
    event = _conviction(world)
    answer = _post(client, token_for(persona), world.person.pk, event.pk,
                   "drug_possession_supply",
                   HTTP_X_ACCESS_REASON="Trying to change a conviction")
    assert answer.status_code in {403, 404}, (persona, answer.content)
    event.refresh_from_db()
    assert event.ogrs3_category == ""
    assert not AccessLogEntry.objects.filter(action="update", records=[
        {"kind": "event", "id": event.pk}]).exists()


def test_a_category_outside_the_reference_is_refused_naming_the_field(client, world, token_for):
    event = _conviction(world)
    answer = _post(client, token_for("police"), world.person.pk, event.pk, "robbery_x")
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["fields"] == [{"field": "ogrs3_category",
                                "message": "'robbery_x' is not an OGRS 3 offence category."}]
    event.refresh_from_db()
    assert event.ogrs3_category == ""


def test_a_code_with_one_category_is_refused_even_with_its_own(client, world, token_for):
    burglary = _conviction(world, code="28A")
    auth = token_for("police")
    for category in ("robbery", "burglary_domestic"):
        answer = _post(client, auth, world.person.pk, burglary.pk, category)
        assert answer.status_code == 422, category
        field = answer.json()["error"]["fields"][0]
        assert field["field"] == "ogrs3_category"
        assert "28A is always Burglary (domestic)" in field["message"]
    burglary.refresh_from_db()
    assert burglary.ogrs3_category == ""


def test_only_a_conviction_of_the_person_in_the_path_is_found(client, world, token_for):
    auth = token_for("police")
    arrest = _conviction(world, kind="arrest")
    assert _post(client, auth, world.person.pk, arrest.pk,
                 "drug_possession_supply").status_code == 404
    # Another person's conviction through this person's path: not found.
    other = _conviction(world, person=world.unconsented)
    answer = _post(client, auth, world.person.pk, other.pk, "drug_possession_supply")
    assert answer.status_code == 404
    other.refresh_from_db()
    assert other.ogrs3_category == ""
