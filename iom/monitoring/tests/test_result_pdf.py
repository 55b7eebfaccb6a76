"""A matching result as a PDF for the investigation: its outcome, map and fixes, for a
police user only, each download logged as a disclosure of the wearer."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from iom.audit.models import AccessLogEntry
from iom.core.testing import pdf_text
from iom.monitoring import services
from iom.monitoring.tests.factories import LAT, LON, WHEN, csv_of, fitted, trail

pytestmark = pytest.mark.django_db


@pytest.fixture
def result(world):
    fitted(world, world.person, "BUD-001")
    police = world.users["police"]
    services.import_fixes(data=csv_of(trail("BUD-001", 40, range(-20, 80))),
                          file_name="f.csv", acting_user=police, through="test")
    batch = services.import_crimes(
        data=csv_of([("CR/1", "Burglary", WHEN.isoformat(),
                      (WHEN + timedelta(hours=1)).isoformat(), LAT, LON)],
                    "crime_ref,crime_type,from_time,to_time,latitude,longitude"),
        file_name="c.csv", acting_user=police, through="test")
    run = services.run_matching(batch=batch, radius_m=100, pad_minutes=0, max_gap_minutes=10,
                                acting_user=police, through="test")
    found = run.results.get()
    services.record_result_action(result=found, action="passed", reason="",
                                  acting_user=police, through="test")
    return found


_text = pdf_text


def test_a_police_user_downloads_the_result_with_its_map_and_fixes(client, world, result):
    client.force_login(world.users["police"])
    page = client.get(f"/monitoring/results/{result.pk}/").content.decode()
    link = f"/monitoring/results/{result.pk}/pdf/"
    assert f'href="{link}"' in page
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="crime-CR-1-result-{result.pk}.pdf"')
    text = _text(response.content)
    for expected in ("Crime matching result: CR/1 and Jonathan Smith", "Placed",
                     "Nearest", "40.0 m", "Passed to the investigation", "BUD-001",
                     "radius 100 m", "grid lines and the scale bar", "Fixes"):
        assert expected in text, expected
    # The table lists the fixes of the window widened by the maximum gap, 09:50 to 11:10
    # (UTC+0 in March), both ends kept: 81 of the trail's 100, each with its latitude.
    assert text.count("53.80036") == 81
    assert "09:50:00" in text and "11:10:00" in text
    assert "09:49:00" not in text and "11:11:00" not in text
    entry = AccessLogEntry.objects.filter(action="export", nominal_id=world.person.pk).get()
    assert entry.detail["format"] == "PDF" and entry.detail["fixes"] == 81
    assert entry.detail["sha256"] == hashlib.sha256(response.content).hexdigest()
    assert {"kind": "match_result", "id": result.pk} in entry.records


@pytest.mark.parametrize("persona", ["mentor", "probation", "outsider"])
def test_no_one_but_the_police_of_the_partnership_downloads_it(client, world, result,
                                                               persona):
    client.force_login(world.users[persona])
    response = client.get(f"/monitoring/results/{result.pk}/pdf/")
    assert response.status_code in (403, 404)
    assert not AccessLogEntry.objects.filter(action="export").exists()


def test_the_api_gives_the_same_pdf_to_the_police_and_logs_it(client, world, result,
                                                               token_for):
    url = f"/api/monitoring/results/{result.pk}/pdf"
    response = client.get(url, HTTP_AUTHORIZATION=token_for("police"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Crime matching result: CR/1 and Jonathan Smith" in _text(response.content)
    entry = AccessLogEntry.objects.filter(action="export", nominal_id=world.person.pk).get()
    assert entry.detail["sha256"] == hashlib.sha256(response.content).hexdigest()
    assert client.get(url, HTTP_AUTHORIZATION=token_for("probation")).status_code in (403, 404)
    assert client.get(url, HTTP_AUTHORIZATION=token_for("mentor")).status_code in (403, 404)
    assert AccessLogEntry.objects.filter(action="export").count() == 1
