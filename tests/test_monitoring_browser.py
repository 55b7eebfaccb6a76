"""A police user, in the browser, uploads a crime batch, runs matching, opens the
placed result with its map, records the action and opens the wearer's trail."""

from __future__ import annotations

from datetime import timedelta

import pytest

from iom.monitoring import services
from iom.monitoring.models import MatchResult
from iom.monitoring.tests.conftest import WHEN, csv_of, fitted
from iom.monitoring.tests.test_match_runs import LAT, LON, _trail

from .conftest import needs_chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]


def test_a_police_user_matches_a_crime_batch_and_opens_a_trail(live_server, world, browser,
                                                                 tmp_path, settings):
    settings.IOM_FIX_STORE_DIR = tmp_path / "fixes"
    fitted(world, world.person, "BUD-001")
    services.import_fixes(data=csv_of(_trail("BUD-001", 40, range(-20, 80))),
                          file_name="f.csv", acting_user=world.users["police"], through="test")
    crimes = tmp_path / "crimes.csv"
    crimes.write_bytes(csv_of([("CR/1", "Burglary", WHEN.isoformat(),
                                (WHEN + timedelta(hours=1)).isoformat(), LAT, LON)],
                              "crime_ref,crime_type,from_time,to_time,latitude,longitude"))
    base, page = live_server.url, browser.new_page()
    sign_in(page, base, "police_om")
    page.get_by_role("link", name="Tags", exact=True).click()
    page.get_by_role("link", name="Upload a crime batch and match it").click()
    page.get_by_label("File").set_input_files(str(crimes))
    page.get_by_role("button", name="Upload and import").click()
    assert page.get_by_text("1 crimes kept").is_visible()
    page.get_by_role("button", name="Run matching").click()
    assert page.get_by_role("heading", name="CR/1 (version 1): Burglary").is_visible() or \
        page.get_by_text("CR/1 (version 1)").is_visible()
    page.get_by_role("link", name="Jonathan Smith").click()
    assert page.locator("svg[role=img]").is_visible()
    assert page.get_by_text("Nearest 40.0 m").is_visible()
    page.get_by_label("Passed to the investigation").check()
    page.get_by_role("button", name="Record what was done").click()
    assert page.get_by_text("Passed to the investigation").first.is_visible()
    assert MatchResult.objects.get().action == "passed"
    page.goto(f"{base}/monitoring/people/{world.person.pk}/trail/?day={WHEN.date()}")
    page.get_by_text("Show the 100 fixes as a table").click()
    assert page.get_by_text("100 fixes", exact=True).is_visible()
    assert page.locator("svg[role=img] polyline").count() == 1
