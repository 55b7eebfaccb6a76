"""The case-work API: plans, actions and contacts under the same policy and log."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from iom.cohorts.tests.factories import case_on_cohort

DAY = str(timezone.localdate())


def _post(client, url, body, auth):
    return client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=auth,
                       HTTP_X_ACCESS_REASON="Working the mentoring plan with the team")


def test_plan_actions_and_contacts_through_the_api(client, world, token_for):
    case_on_cohort(world.person, timezone.localdate() - timedelta(days=1),
                   lead=world.users["police"])
    auth = token_for("police")
    base = f"/api/casework/people/{world.person.pk}"
    assert _post(client, f"{base}/plan", {"started_on": DAY}, auth).status_code == 201
    need = _post(client, f"{base}/plan/needs", {"pathway": "accommodation", "level": "high",
                                                "description": "No fixed abode",
                                                "assessed_on": DAY}, auth).json()
    assert _post(client, f"{base}/plan/needs/{need['id']}/referrals",
                 {"service": "Night shelter", "referred_on": DAY}, auth).status_code == 201
    assert _post(client, f"{base}/plan/endorse", {"endorsed_on": DAY}, auth).status_code == 200
    plan = client.get(f"{base}/plan", HTTP_AUTHORIZATION=auth).json()
    assert plan["endorsed_on"] == DAY
    assert plan["needs"][0]["referrals"][0]["service"] == "Night shelter"
    action = _post(client, f"{base}/actions", {
        "title": "Check the address", "owner_user_id": world.users["police"].pk,
        "due_on": str(timezone.localdate() + timedelta(days=2)), "priority": "high",
        "source_kind": "alert", "source_ref": "rag:red"}, auth).json()
    assert action["owner"] == "Police Tester"
    assert _post(client, f"{base}/actions/{action['id']}/updates", {"note": "On it"},
                 auth).status_code == 201
    mine = client.get("/api/casework/actions/mine", HTTP_AUTHORIZATION=auth).json()
    assert [a["id"] for a in mine] == [action["id"]]
    done = _post(client, f"{base}/actions/{action['id']}/result",
                 {"result": "Address confirmed", "closed_on": DAY}, auth).json()
    assert done["status"] == "done"
    assert _post(client, f"{base}/contacts", {"kind": "home_visit", "happened_on": DAY,
                                              "outcome": "kept"}, auth).status_code == 201
    contacts = client.get(f"{base}/contacts", HTTP_AUTHORIZATION=auth).json()
    assert contacts[0]["kind"] == "home_visit"
    compliance = client.get("/api/casework/compliance", {"rule": "plan"},
                            HTTP_AUTHORIZATION=auth).json()
    assert compliance[0]["status"] == "met"


def test_domain_errors_use_the_uniform_shape(client, world, token_for):
    auth = token_for("police")
    response = _post(client, f"/api/casework/people/{world.person.pk}/plan",
                     {"started_on": DAY}, auth)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "not_on_cohort"


def test_an_owning_partner_may_update_their_action(client, world, token_for):
    from iom.casework import services

    action = services.create_action(
        nominal=world.consented, title="Mentoring session", owner_user=world.users["mentor"],
        due_on=timezone.localdate(), priority="low", source_kind="plan", source_ref="",
        acting_user=world.users["police"], through="test")
    # The mentor's charity may see this person, so may update its own action.
    auth = token_for("mentor")
    url = f"/api/casework/people/{world.consented.pk}/actions/{action.pk}/updates"
    assert _post(client, url, {"note": "Met at the library"}, auth).status_code == 201
