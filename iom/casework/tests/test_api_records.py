"""The API for what case work records beside the plan: closing plans, threat
reviews, deregistrations, tag audits, documents and the compliance figures."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from iom.accounts.models import District
from iom.audit.models import AccessLogEntry
from iom.casework.models import Deregistration, TagAudit, ThreatReview
from iom.cohorts.lifecycle import CohortState
from iom.cohorts.tests.factories import case_on_cohort
from iom.scoring.models import EmergingThreat

TODAY = timezone.localdate()
DAY = str(TODAY)


def _post(client, url, body, auth):
    return client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=auth,
                       HTTP_X_ACCESS_REASON="Working the case with the partnership")


def _get(client, url, auth, **params):
    return client.get(url, params, HTTP_AUTHORIZATION=auth,
                      HTTP_X_ACCESS_REASON="Working the case with the partnership")


def test_a_plan_is_closed_and_listed_as_history(client, world, token_for):
    case_on_cohort(world.person, TODAY - timedelta(days=3), lead=world.users["police"])
    auth, base = token_for("police"), f"/api/casework/people/{world.person.pk}"
    assert _post(client, f"{base}/plan", {"started_on": DAY}, auth).status_code == 201
    closed = _post(client, f"{base}/plan/close", {"closed_on": DAY, "reason": "custody"}, auth)
    assert closed.status_code == 200 and closed.json()["closed_reason"] == "custody"
    assert _get(client, f"{base}/plan", auth).status_code == 404
    history = _get(client, f"{base}/plans/closed", auth).json()
    assert [p["closed_on"] for p in history] == [DAY]
    assert _post(client, f"{base}/plan", {"started_on": DAY}, auth).status_code == 201
    again = _post(client, f"{base}/plan/close", {"closed_on": DAY, "reason": "other"}, auth)
    assert again.json()["error"]["fields"][0]["field"] == "note"


def test_threats_are_listed_and_reviewed(client, world, token_for):
    threat = EmergingThreat.objects.create(nominal=world.person, raised_on=TODAY,
                                           score_before=40, score_now=70)
    auth, base = token_for("police"), f"/api/casework/people/{world.person.pk}"
    review = _post(client, f"{base}/threats/{threat.pk}/reviews",
                   {"outcome": "keep_watching", "reviewed_on": DAY,
                    "rationale": "Two new arrests this week"}, auth)
    assert review.status_code == 201
    listed = _get(client, f"{base}/threats", auth).json()
    assert listed[0]["reviews"][0]["outcome"] == "keep_watching"
    missing = _post(client, f"{base}/threats/{threat.pk + 99}/reviews",
                    {"outcome": "close", "reviewed_on": DAY, "rationale": "Not needed now"},
                    auth)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert ThreatReview.objects.count() == 1


def test_a_deregistration_is_read_and_recorded(client, world, token_for):
    case_on_cohort(world.person, TODAY - timedelta(days=60), state=CohortState.EXITED,
              ended_on=TODAY - timedelta(days=2))
    auth, url = token_for("probation"), f"/api/casework/people/{world.person.pk}/deregistration"
    assert _get(client, url, auth).json()["recorded_on"] is None
    body = {"recorded_on": DAY, "rationale": "Exit agreed at the panel"}
    assert _post(client, url, body, auth).status_code == 201
    assert _get(client, url, auth).json()["rationale"] == "Exit agreed at the panel"
    assert _post(client, url, body, auth).json()["error"]["code"] == "exists"
    assert Deregistration.objects.count() == 1


def test_tag_audits_through_the_api(client, world, token_for):
    district = District.objects.get(name="Northshire City")
    auth = token_for("police")
    body = {"district_id": district.pk, "month": DAY, "completed_on": DAY,
            "findings": "All twelve tags active and working"}
    assert _post(client, "/api/casework/tag-audits", body, auth).status_code == 201
    listed = _get(client, "/api/casework/tag-audits", auth).json()
    assert listed[0]["district"] == "Northshire City"
    assert _post(client, "/api/casework/tag-audits", body, auth).status_code == 422
    # A partner of another area cannot name this partnership's district.
    outsider = _post(client, "/api/casework/tag-audits", body, token_for("outsider"))
    assert outsider.status_code == 404
    assert _post(client, "/api/casework/tag-audits", body, token_for("mentor")).status_code == 403
    assert TagAudit.objects.count() == 1


def test_documents_are_produced_listed_and_downloaded(client, world, token_for):
    case_on_cohort(world.person, TODAY - timedelta(days=3))
    auth, base = token_for("police"), f"/api/casework/people/{world.person.pk}/documents"
    made = _post(client, base, {"kind": "matrix_sheet"}, auth)
    assert made.status_code == 201 and made.json()["title"] == "IOM Matrix sheet"
    assert [d["kind"] for d in _get(client, base, auth).json()] == ["matrix_sheet"]
    pdf = _get(client, f"{base}/{made.json()['id']}", auth)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(nominal_id=world.person.pk, action="export").count() == 2
    wrong = _post(client, base, {"kind": "diary"}, auth)
    assert wrong.status_code == 422 and wrong.json()["error"]["fields"][0]["field"] == "kind"


def test_a_partner_may_not_produce_documents(client, world, token_for):
    case_on_cohort(world.consented, TODAY - timedelta(days=3))
    base = f"/api/casework/people/{world.consented.pk}/documents"
    refused = _post(client, base, {"kind": "exit_letter"}, token_for("mentor"))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"


def test_the_compliance_figures_count_each_rule(client, world, token_for):
    case_on_cohort(world.person, TODAY - timedelta(days=30), lead=world.users["police"])
    figures = _get(client, "/api/casework/compliance/figures", token_for("police")).json()
    plan = next(f for f in figures if f["rule"] == "plan")
    assert (plan["items"], plan["late"]) == (1, 1) and plan["most_working_days_late"] > 10
    assert {f["rule"] for f in figures} == {"engagement", "plan", "deregistration",
                                            "threat_review", "tag_audit"}
    assert _get(client, "/api/casework/compliance/figures",
                token_for("analyst")).status_code == 404
