"""The cohort pages: a coordinator takes a person from referral to exit in the
browser's forms; refusals name the field and store nothing; a stale page is told."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from iom.audit.models import AccessLogEntry
from iom.cohorts.models import CohortMembership, PanelDecision, RagChange, Referral
from iom.cohorts.tests.factories import THROUGH, fresh, on_cohort

pytestmark = pytest.mark.django_db


def _days_ago(n: int) -> str:
    return (timezone.localdate() - timedelta(days=n)).isoformat()


def _case(world: Any) -> CohortMembership:
    return CohortMembership.objects.get(nominal=world.person)


def _post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data)


def _step(client: Any, world: Any, name: str, on: int, **extra: Any) -> Any:
    return _post(client, f"/people/{world.person.pk}/case/step/{name}/", {
        "version": _case(world).version, "on": _days_ago(on),
        "reason": f"Recorded {name} at the monthly panel", **extra})


def test_a_coordinator_takes_a_person_from_referral_to_exit(client, world):
    client.force_login(world.users["police"])
    pk, orgs, users = world.person.pk, world.orgs, world.users
    assert client.get(f"/people/{pk}/case/refer/").status_code == 200
    response = _post(client, f"/people/{pk}/case/refer/", {
        "policy": "derbyshire-2021", "referring_organisation": orgs["police"].pk,
        "referred_on": _days_ago(260), "referrer_name": "Pat Officer",
        "current_offences": "Three burglaries this year", "needs": ["drugs", "ete"],
        "previously_iom": "no"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Referral.objects.get(membership__nominal=world.person).needs == ["drugs", "ete"]
    assert _step(client, world, "start_research", 259).status_code == 302
    assert _step(client, world, "send_to_panel", 258).status_code == 302
    page = client.get(f"/people/{pk}/case/decision/").content.decode()
    assert "No conviction in the last 6 months at liberty" in page
    decision = {
        "version": _case(world).version, "outcome": "accept", "meeting": "panel",
        "decided_on": _days_ago(255), "rationale": "Prolific burglary linked to drug use",
        "present": [orgs["police"].pk, orgs["probation"].pk, orgs["council"].pk],
        "agreeing": [orgs["police"].pk, orgs["probation"].pk]}
    response = _post(client, f"/people/{pk}/case/decision/", decision)
    assert response.status_code == 200
    assert "Record the partnership agreement" in response.content.decode()
    response = _post(client, f"/people/{pk}/case/decision/", {
        **decision, "exclusion_agreement": "Agreed by every agency present on intelligence"})
    assert response.status_code == 302
    response = _post(client, f"/people/{pk}/case/placement/", {
        "version": _case(world).version, "cohort_type": "fixed", "rag": "amber",
        "lead_agency": orgs["probation"].pk, "lead_professional": users["probation"].pk,
        "police_officer": users["police"].pk, "placed_on": _days_ago(250),
        "reason": "Allocated at the panel"})
    assert response.status_code == 302
    response = _post(client, f"/people/{pk}/case/rag/", {
        "version": _case(world).version, "to": "green", "on": _days_ago(200),
        "reason": "Engaging with probation and treatment"})
    assert response.status_code == 302
    assert _step(client, world, "review", 150).status_code == 302
    assert _step(client, world, "consider_deselection", 140).status_code == 302
    assert _step(client, world, "notify_deselection", 140).status_code == 302
    response = _step(client, world, "exit", 30, supporting_intelligence="No intelligence of "
                     "further offending since placement")
    assert response.status_code == 302
    assert _case(world).state == "exited"
    page = client.get(f"/people/{pk}/").content.decode()
    for text in ("IOM cohort", "Exited", "Panel decision: Accept onto the cohort",
                 "RAG status GREEN (was AMBER)", "Exit the cohort", "Monitor after exit",
                 "Refer to IOM"):
        assert text in page, text


def test_profile_shows_cohort_rag_and_lead_professional(client, world):
    on_cohort(world)
    client.force_login(world.users["police"])
    page = client.get(f"/people/{world.person.pk}/").content.decode()
    assert "On the cohort" in page and "Fixed" in page and "AMBER" in page
    assert "Probation Tester, Northshire Probation" in page
    assert "Change the RAG status" in page
    logged = AccessLogEntry.objects.filter(nominal_id=world.person.pk, through__contains="profile")
    assert any("cohort_case" in str(e.records) for e in logged)


def test_a_stale_page_is_told_the_record_changed_and_nothing_is_lost(client, world):
    from iom.cohorts.lifecycle import services

    case = on_cohort(world)
    seen = case.version
    services.change_rag(membership=case, version=seen, to="red", reason="Wanted on PNC now",
                        on=timezone.localdate(), acting_user=world.users["probation"],
                        through=THROUGH)
    client.force_login(world.users["police"])
    response = _post(client, f"/people/{world.person.pk}/case/rag/", {
        "version": seen, "to": "green", "on": timezone.localdate().isoformat(),
        "reason": "Engaging well with all agencies"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "changed since you opened it" in page and "RED" in page
    assert fresh(case).rag == "red" and RagChange.objects.filter(rag="green").count() == 0
    assert f'value="{fresh(case).version}"' in page  # a deliberate retry uses the latest


def test_a_decision_without_probation_names_the_field_and_stores_nothing(client, world):
    from iom.cohorts.tests.factories import refer, to_panel

    case = to_panel(world, refer(world))
    client.force_login(world.users["police"])
    response = _post(client, f"/people/{world.person.pk}/case/decision/", {
        "version": case.version, "outcome": "accept", "meeting": "panel",
        "decided_on": timezone.localdate().isoformat(), "rationale": "short",
        "present": [world.orgs["police"].pk], "agreeing": [world.orgs["police"].pk]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Police and probation must both agree" in page
    assert 'href="#id_agreeing' in page and 'href="#id_rationale' in page
    assert not PanelDecision.objects.exists() and fresh(case).state == "awaiting_panel"
    assert fresh(case).version == case.version


def test_a_partner_with_consent_refers_but_cannot_decide(client, world):
    from iom.governance.models import Consent, ConsentStatus

    client.force_login(world.users["mentor"])
    pk = world.consented.pk
    response = _post(client, f"/people/{pk}/case/refer/?", {
        "policy": "london", "referring_organisation": world.orgs["voluntary"].pk,
        "referred_on": timezone.localdate().isoformat(), "referrer_name": "Mentor",
        "current_offences": "Shoplifting to fund drug use", "previously_iom": "unknown"})
    # The mentor has no caseload tie, so the page first asks why they are viewing.
    assert response.status_code == 302 and "/reason/" in response["Location"]
    session = client.session
    session["iom_access_reasons"] = {str(pk): {
        "reason": "Mentoring sessions this week", "until": "2999-01-01T00:00:00+00:00"}}
    session.save()
    response = _post(client, f"/people/{pk}/case/refer/", {
        "policy": "london", "referring_organisation": world.orgs["voluntary"].pk,
        "referred_on": timezone.localdate().isoformat(), "referrer_name": "Mentor",
        "current_offences": "Shoplifting to fund drug use", "previously_iom": "unknown"})
    assert response.status_code == 302
    case = CohortMembership.objects.get(nominal=world.consented)
    assert case.referral.consent_status == "given"
    assert Consent.objects.filter(status=ConsentStatus.GIVEN).exists()
    assert client.get(f"/people/{pk}/case/decision/").status_code == 403
    assert client.get(f"/people/{world.unconsented.pk}/case/refer/").status_code == 404


def test_the_dashboard_counts_and_warns_below_the_fixed_floor(client, world):
    from iom.people import services as people

    on_cohort(world)
    other = people.create_nominal(acting_user=None, through="test",
                                  organisation=world.orgs["police"], fields={
                                      "forename": "Flex", "surname": "Person",
                                      "date_of_birth": date(1991, 1, 1), "gender": "M",
                                      "partnership": world.north})
    on_cohort(world, other, cohort_type="flex", rag="red")
    client.force_login(world.users["police"])
    page = client.get("/cohorts/").content.decode()
    assert "2 people on the cohort" in page
    assert "below its floor of 60%" in page and "50%" in page
    assert "SMITH, Jonathan" in page and "PERSON, Flex" in page
    filtered = client.get("/cohorts/", {"rag": "red"}).content.decode()
    assert "PERSON, Flex" in filtered and "SMITH, Jonathan" not in filtered
    client.force_login(world.users["outsider"])
    assert "SMITH" not in client.get("/cohorts/").content.decode()


def test_dashboard_lists_reviews_releases_and_notices(client, world):
    from iom.cohorts.lifecycle import services

    case = on_cohort(world)
    today = timezone.localdate()
    services.record_custody(nominal=world.person, acting_user=world.users["police"],
                            through=THROUGH, fields={
                                "custody_type": "sentence", "start_date": today,
                                "expected_release_date": today + timedelta(days=40),
                                "establishment": "HMP Northshire"})
    assert fresh(case).rag == "blue"
    client.force_login(world.users["police"])
    page = client.get("/cohorts/").content.decode()
    assert "Expected release in the next 3 months (1)" in page
    assert "Deselection notices due (1)" in page  # placed in January 2025
    assert "Reviews due (1)" in page


def test_each_step_page_opens_for_a_manager(client, world):
    on_cohort(world)
    client.force_login(world.users["police"])
    for name in ("review", "consider_deselection", "remove_for_custody", "transfer_out",
                 "exit"):
        assert client.get(f"/people/{world.person.pk}/case/step/{name}/").status_code == 200
    assert client.get(f"/people/{world.person.pk}/case/step/nonsense/").status_code == 404
    assert client.get(f"/people/{world.person.pk}/case/custody/").status_code == 200
