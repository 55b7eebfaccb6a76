"""The cohort API: the same steps as the pages, the uniform error shape, 409 when stale."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from iom.audit.models import AccessLogEntry
from iom.cohorts.models import CohortMembership, PanelDecision
from iom.cohorts.tests.factories import on_cohort

pytestmark = pytest.mark.django_db
BASE = "/api/cohorts"


def _day(ago: int) -> str:
    return (timezone.localdate() - timedelta(days=ago)).isoformat()


def _post(client: Any, auth: str, url: str, body: dict[str, Any], **headers: Any) -> Any:
    return client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=auth,
                       **headers)


def _version(world: Any) -> int:
    return CohortMembership.objects.get(nominal=world.person).version


def test_refer_decide_place_change_rag_and_exit(client, world, token_for):
    auth, pk, orgs, users = token_for("police"), world.person.pk, world.orgs, world.users
    url = f"{BASE}/people/{pk}"
    response = _post(client, auth, f"{url}/referral", {
        "policy": "london", "referred_on": _day(260), "referrer_name": "Pat Officer",
        "current_offences": "Robbery and burglary this year", "needs": ["drugs"]})
    assert response.status_code == 201, response.json()
    assert response.json()["case"]["state"] == "referred"
    for step, ago in (("start_research", 259), ("send_to_panel", 258)):
        response = _post(client, auth, f"{url}/steps", {
            "version": _version(world), "step": step, "on": _day(ago),
            "reason": "Collating police and probation records"})
        assert response.status_code == 201, response.json()
    decision = {
        "version": _version(world), "outcome": "accept", "decided_on": _day(255),
        "rationale": "OGRS 3 above 75 and burglary in the last year",
        "present_ids": [orgs["police"].pk, orgs["probation"].pk],
        "agreeing_ids": [orgs["police"].pk, orgs["probation"].pk]}
    response = _post(client, auth, f"{url}/decision", decision)
    assert response.status_code == 422  # no conviction in the last 6 months at liberty
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["exclusion_agreement"]
    response = _post(client, auth, f"{url}/decision", {
        **decision, "exclusion_agreement": "Agreed by the partnership on intelligence"})
    assert response.status_code == 201, response.json()
    made = PanelDecision.objects.get(membership__nominal=world.person)
    assert [e["label"] for e in made.overridden_exclusions] == [
        "No conviction in the last 6 months at liberty"]
    response = _post(client, auth, f"{url}/placement", {
        "version": _version(world), "cohort_type": "london", "rag": "amber",
        "lead_agency_id": orgs["probation"].pk, "lead_professional_id": users["probation"].pk,
        "police_officer_id": users["police"].pk, "placed_on": _day(250),
        "reason": "Allocated at the panel"})
    assert response.status_code == 201, response.json()
    assert response.json()["case"]["lead_professional"] == "Probation Tester"
    response = _post(client, auth, f"{url}/rag", {
        "version": _version(world), "to": "green", "on": _day(200),
        "reason": "Engaging with all agencies"})
    assert response.status_code == 201 and response.json()["case"]["rag"] == "green"
    for step, ago in (("consider_deselection", 140), ("notify_deselection", 140)):
        assert _post(client, auth, f"{url}/steps", {
            "version": _version(world), "step": step, "on": _day(ago),
            "reason": "Six months without offending approaching"}).status_code == 201
    response = _post(client, auth, f"{url}/exit", {
        "version": _version(world), "on": _day(30), "reason": "Exit strategy agreed",
        "supporting_intelligence": "No intelligence of further offending", "monitored": True})
    assert response.status_code == 201, response.json()
    assert response.json()["case"]["state"] == "monitored"
    cases = client.get(url, HTTP_AUTHORIZATION=auth).json()["cases"]
    titles = [item["title"] for item in cases[0]["history"]]
    assert "Exit and monitor" in titles and "RAG status GREEN (was AMBER)" in titles


def test_a_stale_version_is_409_and_nothing_is_stored(client, world, token_for):
    case = on_cohort(world)
    auth = token_for("police")
    body = {"version": case.version, "to": "red", "on": _day(0),
            "reason": "Wanted on PNC for burglary"}
    first = _post(client, auth, f"{BASE}/people/{world.person.pk}/rag", body)
    second = _post(client, auth, f"{BASE}/people/{world.person.pk}/rag",
                   {**body, "to": "green", "reason": "Engaging with all agencies"})
    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "conflict"
    assert CohortMembership.objects.get(pk=case.pk).rag == "red"


def test_rejected_input_names_the_field_and_stores_nothing(client, world, token_for):
    from iom.cohorts.tests.factories import refer, to_panel

    case = to_panel(world, refer(world))
    response = _post(client, token_for("police"), f"{BASE}/people/{world.person.pk}/decision", {
        "version": case.version, "outcome": "accept", "decided_on": _day(0),
        "rationale": "ok", "present_ids": [world.orgs["police"].pk],
        "agreeing_ids": [world.orgs["police"].pk]})
    assert response.status_code == 422
    fields = {f["field"] for f in response.json()["error"]["fields"]}
    assert {"rationale", "agreeing"} <= fields
    assert not PanelDecision.objects.exists()
    unknown = _post(client, token_for("police"), f"{BASE}/people/{world.consented.pk}/referral",
                    {"policy": "nowhere", "referred_on": _day(0), "referrer_name": "A",
                     "current_offences": "Burglary"},
                    HTTP_X_ACCESS_REASON="Referral to the IOM panel")
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "unknown_policy"


def test_dashboard_and_my_cohort(client, world, token_for):
    on_cohort(world)
    auth = token_for("probation")
    figures = client.get(f"{BASE}/dashboard", HTTP_AUTHORIZATION=auth).json()
    assert figures["on_cohort"] == 1
    assert figures["by_cohort_type"][0]["by_rag"]["amber"] == 1
    assert figures["floors"][0]["below"] is False
    mine = client.get(f"{BASE}/mine", HTTP_AUTHORIZATION=auth).json()
    assert [c["person_id"] for c in mine] == [world.person.pk]
    assert AccessLogEntry.objects.filter(through__contains="my_cohort").exists()
    assert client.get(f"{BASE}/dashboard", HTTP_AUTHORIZATION=token_for("analyst")
                      ).status_code == 404


def test_a_partner_reads_nothing_it_may_not_and_cannot_decide(client, world, token_for):
    on_cohort(world, world.consented)
    auth = token_for("mentor")
    reason = {"HTTP_X_ACCESS_REASON": "Mentoring sessions this week"}
    assert client.get(f"{BASE}/people/{world.person.pk}", HTTP_AUTHORIZATION=auth,
                      **reason).status_code == 404
    assert client.get(f"{BASE}/people/{world.consented.pk}", HTTP_AUTHORIZATION=auth,
                      **reason).status_code == 200
    response = _post(client, auth, f"{BASE}/people/{world.consented.pk}/rag", {
        "version": 1, "to": "red", "on": _day(0), "reason": "Partner trying to change"},
        **reason)
    assert response.status_code == 403


def test_reading_a_case_off_caseload_needs_a_reason(client, world, token_for):
    on_cohort(world)
    auth = token_for("housing")
    url = f"{BASE}/people/{world.person.pk}"
    assert client.get(url, HTTP_AUTHORIZATION=auth).json()["error"]["code"] == "reason_required"
    response = client.get(url, HTTP_AUTHORIZATION=auth,
                          HTTP_X_ACCESS_REASON="Housing panel referral this week")
    assert response.status_code == 200 and response.json()["cases"][0]["rag"] == "amber"
