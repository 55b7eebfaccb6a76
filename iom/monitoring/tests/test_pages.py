"""The monitoring pages through the web, as a police user and as those kept out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from iom.audit.models import AccessLogEntry
from iom.cohorts.models import CohortMembership
from iom.governance.web import SESSION_KEY
from iom.monitoring.models import CrimeBatch, Device, Fitting, FixImport, InventoryAudit
from iom.monitoring.tests.factories import LAT, LON, WHEN, csv_of, fitted
from iom.monitoring.tests.factories import trail as fixes_along

pytestmark = pytest.mark.django_db


@pytest.fixture
def police(client, world):
    client.force_login(world.users["police"])
    return client


def test_a_unit_is_added_and_its_state_changed_through_the_pages(police, world):
    page = police.post("/monitoring/units/add/", {
        "district": world.district.pk, "serial": "bud-9", "supplier": "Buddi",
        "added_on": "2025-01-06"})
    assert page.status_code == 302
    unit = Device.objects.get(serial="BUD-9")
    again = police.post("/monitoring/units/add/", {
        "district": world.district.pk, "serial": "BUD-9", "supplier": "Buddi",
        "added_on": "2025-01-06"})
    assert "already in the inventory" in again.content.decode()
    police.post(f"/monitoring/units/{unit.pk}/state/", {"to": "faulty", "on": "2025-01-07"})
    detail = police.get(f"/monitoring/units/{unit.pk}/").content.decode()
    assert "In stock to Faulty" in detail
    assert "Northshire City" in police.get("/monitoring/").content.decode()


def test_the_audit_page_records_a_month(police, world):
    page = police.get("/monitoring/audit/")
    assert page.status_code == 200 and "Not recorded" in page.content.decode()
    police.post("/monitoring/audit/", {"district": world.district.pk, "month": "2025-01-01"})
    assert InventoryAudit.objects.filter(district=world.district).count() == 1


def test_consent_then_fitting_through_the_pages(police, world):
    police.post("/monitoring/units/add/", {"district": world.district.pk, "serial": "B1",
                                           "supplier": "Buddi", "added_on": "2025-01-06"})
    page = police.post(f"/monitoring/people/{world.person.pk}/consent/", {
        "purpose": "deter", "consented_on": "2025-02-01", "planned_start": "2025-02-01",
        "planned_end": "2025-07-31"})
    fitting = Fitting.objects.get(nominal=world.person)
    assert page["Location"] == f"/monitoring/fittings/{fitting.pk}/"
    police.post(f"/monitoring/fittings/{fitting.pk}/fit/", {
        "device": Device.objects.get().pk, "fitted_at": "2025-02-01 10:00"})
    fitting.refresh_from_db()
    assert fitting.is_fitted
    assert "See the trail" in police.get(f"/monitoring/fittings/{fitting.pk}/").content.decode()


def test_a_police_user_uploads_crimes_runs_matching_and_opens_a_result(police, world):
    fitted(world, world.person, "BUD-001")
    fixes = SimpleUploadedFile("f.csv", csv_of(fixes_along("BUD-001", 40, range(-20, 80))))
    assert police.post("/monitoring/fixes/upload/", {"file": fixes}).status_code == 302
    assert FixImport.objects.get().stored == 100
    crimes = SimpleUploadedFile("c.csv", csv_of(
        [("CR/1", "Burglary", WHEN.isoformat(), (WHEN + timedelta(hours=1)).isoformat(), LAT,
          LON)], "crime_ref,crime_type,from_time,to_time,latitude,longitude"))
    police.post("/monitoring/crimes/upload/", {"file": crimes})
    batch = CrimeBatch.objects.get()
    page = police.post(f"/monitoring/crimes/{batch.pk}/", {
        "radius_m": "100", "pad_minutes": "0", "max_gap_minutes": "10"})
    run_page = police.get(page["Location"]).content.decode()
    assert "Placed</strong> 1" in run_page and "Jonathan Smith" in run_page
    result = batch.runs.get().results.get()
    shown = police.get(f"/monitoring/results/{result.pk}/").content.decode()
    assert "<svg" in shown and "40.0 m" in shown
    police.post(f"/monitoring/results/{result.pk}/", {"action": "passed"})
    result.refresh_from_db()
    assert result.action == "passed"
    trail = police.get(f"/monitoring/people/{world.person.pk}/trail/?day=2025-03-04")
    assert trail.status_code == 200 and "100 fixes" in trail.content.decode()
    read = AccessLogEntry.objects.filter(nominal_id=world.person.pk, action="view",
                                         detail__trail__day="2025-03-04").get()
    assert read.detail["trail"]["fixes"] == 100
    assert {"kind": "trail", "id": f"{world.person.pk}:2025-03-04"} in read.records


def _with_reason(client, user, nominal):
    client.force_login(user)
    session = client.session
    until = (timezone.now() + timedelta(hours=1)).isoformat()
    session[SESSION_KEY] = {str(nominal.pk): {"reason": "Checking the tag rule", "until": until}}
    session.save()


def test_locations_are_for_police_and_the_lead_professional_never_a_partner(client, world):
    fitted(world, world.consented, "BUD-001")
    url = f"/monitoring/people/{world.consented.pk}/trail/?day=2025-03-04"
    _with_reason(client, world.users["mentor"], world.consented)
    assert client.get(f"/people/{world.consented.pk}/").status_code == 200  # sees the person
    assert client.get(url).status_code == 403  # never the trail
    _with_reason(client, world.users["probation"], world.consented)
    assert client.get(url).status_code == 403
    CohortMembership.objects.create(nominal=world.consented, policy_name="london",
                                    policy_version=1, state="on_cohort", opened_on=WHEN.date(),
                                    lead_professional=world.users["probation"])
    assert client.get(url).status_code == 200  # the lead professional
    _with_reason(client, world.users["housing"], world.consented)
    assert client.get(url).status_code == 403
    _with_reason(client, world.users["police"], world.consented)
    assert client.get(url).status_code == 200
    denied = client.get(f"/monitoring/people/{world.foreign.pk}/trail/")
    assert denied.status_code == 404


def test_the_person_page_links_to_the_tag_for_those_who_keep_tags(police, client, world):
    page = police.get(f"/people/{world.person.pk}/").content.decode()
    assert f"/monitoring/people/{world.person.pk}/consent/" in page
    fitting = fitted(world)
    page = police.get(f"/people/{world.person.pk}/").content.decode()
    assert f"/monitoring/fittings/{fitting.pk}/" in page and "trail" in page
    _with_reason(client, world.users["mentor"], world.consented)
    assert "Voluntary tag" not in client.get(f"/people/{world.consented.pk}/").content.decode()
