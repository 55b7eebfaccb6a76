"""A practitioner works a plan, actions and contacts in the browser's pages; a
partner without consent sees none of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from iom.audit.models import AccessLogEntry
from iom.casework.models import Action, Contact, GeneratedDocument, InterventionPlan
from iom.cohorts.tests.factories import case_on_cohort

DAY = str(timezone.localdate())


@pytest.fixture
def police(client, world):
    case_on_cohort(world.person, timezone.localdate() - timedelta(days=2),
                   lead=world.users["police"])
    client.force_login(world.users["police"])
    return client


def _base(world):
    return f"/people/{world.person.pk}/casework/"


def test_the_plan_is_worked_through_the_pages(police, world):
    base = _base(world)
    assert police.get(base).status_code == 200
    response = police.post(base + "plan/start/", {"started_on": DAY, "summary": "First plan"})
    assert response.status_code == 302
    police.post(base + "plan/needs/add/", {"pathway": "drugs", "level": "high",
                                           "description": "Daily heroin use",
                                           "assessed_on": DAY})
    plan = InterventionPlan.objects.get(nominal=world.person)
    need = plan.needs.get()
    police.post(base + f"plan/needs/{need.pk}/refer/", {"service": "Recovery hub",
                                                         "referred_on": DAY})
    referral = need.referrals.get()
    police.post(base + f"plan/referrals/{referral.pk}/response/",
                {"status": "started", "response": "Attended first two sessions", "on": DAY})
    police.post(base + f"plan/needs/{need.pk}/progress/", {"note": "Testing clean",
                                                            "recorded_on": DAY})
    police.post(base + "plan/outcomes/add/", {"kind": "treatment", "status": "in_treatment",
                                              "recorded_on": DAY})
    police.post(base + "plan/endorse/", {"endorsed_on": DAY})
    plan.refresh_from_db()
    assert plan.endorsed_on == timezone.localdate()
    page = police.get(base).content.decode()
    for text in ("Drugs", "Recovery hub", "Attended first two sessions", "Testing clean",
                 "In treatment"):
        assert text in page


def test_errors_come_back_on_the_fields(police, world):
    police.post(_base(world) + "plan/start/", {"started_on": DAY})
    response = police.post(_base(world) + "plan/start/", {"started_on": DAY})
    assert response.status_code == 200
    assert "already has an open intervention plan" in response.content.decode()


def test_actions_and_contacts_through_the_pages(police, world):
    base = _base(world)
    due = str(timezone.localdate() + timedelta(days=5))
    police.post(base + "actions/add/", {"title": "Arrange a housing assessment",
                                        "owner": f"org:{world.orgs['council'].pk}",
                                        "due_on": due, "priority": "medium",
                                        "source_kind": "plan"})
    action = Action.objects.get(nominal=world.person)
    police.post(base + f"actions/{action.pk}/update/", {"note": "Booked for Tuesday"})
    police.post(base + f"actions/{action.pk}/result/", {"result": "Assessment done",
                                                         "closed_on": DAY})
    action.refresh_from_db()
    assert action.status == "done" and action.updates.count() == 1
    police.post(base + "contacts/add/", {"kind": "prison_visit", "happened_on": DAY,
                                         "outcome": "missed"})
    assert Contact.objects.get(nominal=world.person).outcome == "missed"
    assert police.get("/casework/actions/mine/").status_code == 200
    assert police.get("/casework/actions/overdue/").status_code == 200


def test_documents_are_produced_and_downloaded(police, world):
    base = _base(world)
    assert police.post(base + "documents/new/intervention_statement/").status_code == 302
    document = GeneratedDocument.objects.get(nominal=world.person)
    response = police.get(base + f"documents/{document.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert AccessLogEntry.objects.filter(nominal_id=world.person.pk, action="export").count() == 2


def test_a_partner_records_a_contact_but_not_the_plan(client, world):
    case_on_cohort(world.consented, timezone.localdate() - timedelta(days=2))
    client.force_login(world.users["mentor"])
    base = f"/people/{world.consented.pk}/casework/"
    client.post(f"/people/{world.consented.pk}/reason/",
                {"purpose": "Covering for a colleague"})
    assert client.post(base + "contacts/add/", {"kind": "appointment", "happened_on": DAY,
                                                "outcome": "kept"}).status_code == 302
    assert Contact.objects.filter(nominal=world.consented).count() == 1
    assert client.post(base + "plan/start/", {"started_on": DAY}).status_code == 403
    assert client.post(base + "documents/new/referral_form/").status_code == 403


def test_a_partner_without_consent_sees_nothing(client, world):
    case_on_cohort(world.unconsented, timezone.localdate() - timedelta(days=2))
    client.force_login(world.users["mentor"])
    assert client.get(f"/people/{world.unconsented.pk}/casework/").status_code == 404


def test_the_compliance_dashboard_filters(police, world):
    response = police.get("/casework/compliance/", {"rule": "plan", "status": "due"})
    assert response.status_code == 200
    assert "Selected on" in response.content.decode()
    assert "Tags audit" not in response.content.decode()
