"""The monitoring API: a police user matches a batch through it; a partner never sees a trail."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from iom.monitoring.tests.factories import LAT, LON, WHEN, csv_of
from iom.monitoring.tests.factories import trail as fixes_along

pytestmark = pytest.mark.django_db


def _post(client, url, body, auth):
    return client.post(url, json.dumps(body), content_type="application/json",
                       HTTP_AUTHORIZATION=auth)


def test_from_unit_to_matching_run_through_the_api(client, world, token_for):
    auth = token_for("police")
    unit = _post(client, "/api/monitoring/units", {
        "district_id": world.district.pk, "serial": "BUD-7", "supplier": "Buddi",
        "added_on": "2025-01-06"}, auth)
    assert unit.status_code == 201
    consent = _post(client, f"/api/monitoring/people/{world.person.pk}/consent", {
        "purpose": "deter", "consented_on": "2025-02-01", "planned_start": "2025-02-01",
        "planned_end": "2025-12-01"}, auth)
    fitting_id = consent.json()["id"]
    fit = _post(client, f"/api/monitoring/fittings/{fitting_id}/fit", {
        "device_id": unit.json()["id"], "fitted_at": "2025-03-01T09:00:00Z"}, auth)
    assert fit.status_code == 200, fit.content
    fixes = client.post("/api/monitoring/fixes", {"file": SimpleUploadedFile(
        "f.csv", csv_of(fixes_along("BUD-7", 40, range(-20, 80))))}, HTTP_AUTHORIZATION=auth)
    assert fixes.json()["stored"] == 100
    crimes = client.post("/api/monitoring/crime-batches", {"file": SimpleUploadedFile(
        "c.csv", csv_of([("CR/9", "Robbery", WHEN.isoformat(),
                          (WHEN + timedelta(minutes=30)).isoformat(), LAT, LON)],
                        "crime_ref,crime_type,from_time,to_time,latitude,longitude"))},
        HTTP_AUTHORIZATION=auth)
    run = _post(client, f"/api/monitoring/crime-batches/{crimes.json()['id']}/runs", {}, auth)
    assert run.status_code == 201
    [result] = run.json()["results"]
    assert (result["person_id"], result["outcome"], result["fixes"]) == (
        world.person.pk, "placed", 31)
    assert run.json()["algorithm_version"] == "1.0" and run.json()["radius_m"] == 100
    trail = client.get(f"/api/monitoring/people/{world.person.pk}/trail?day=2025-03-04",
                       HTTP_AUTHORIZATION=auth)
    assert len(trail.json()) == 100
    mentor = client.get(f"/api/monitoring/people/{world.consented.pk}/trail?day=2025-03-04",
                        HTTP_AUTHORIZATION=token_for("mentor"),
                        HTTP_X_ACCESS_REASON="Checking the tag rule")
    assert mentor.status_code == 403
