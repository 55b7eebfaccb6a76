"""A police user, in the browser, uploads a crime batch, runs matching, opens the
placed result with its map, records the action and opens the wearer's trail."""

from __future__ import annotations

from datetime import timedelta

import pytest

from iom.monitoring import services
from iom.monitoring.models import MatchResult
from iom.monitoring.tests.factories import (
    LAT,
    LON,
    WHEN,
    csv_of,
    fitted,
    trail,
)

from .conftest import needs_chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]


def test_a_police_user_matches_a_crime_batch_and_opens_a_trail(live_server, world, browser,
                                                                 tmp_path, settings):
    settings.IOM_FIX_STORE_DIR = tmp_path / "fixes"
    fitted(world, world.person, "BUD-001")
    services.import_fixes(data=csv_of(trail("BUD-001", 40, range(-20, 80))),
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


PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201ffa6e3e1a90000000049454e44ae426082")


def test_with_a_tile_server_the_trail_is_drawn_with_leaflet_under_the_csp(
        live_server, world, browser, tmp_path, settings):
    settings.IOM_FIX_STORE_DIR = tmp_path / "fixes"
    settings.IOM_MAP_TILE_URL = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    settings.IOM_MAP_TILE_ATTRIBUTION = "Example Maps"
    fitted(world, world.person, "BUD-001")
    services.import_fixes(data=csv_of(trail("BUD-001", 40, range(-20, 80))),
                          file_name="f.csv", acting_user=world.users["police"], through="test")
    page, problems, tiles = browser.new_page(), [], []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    def tile(route):
        tiles.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=PNG_1PX)

    page.route("https://*.tiles.example.org/**", tile)
    sign_in(page, live_server.url, "police_om")
    page.goto(f"{live_server.url}/monitoring/people/{world.person.pk}/trail/?day={WHEN.date()}")
    page.locator(".leaflet-container").wait_for()
    assert page.locator(".leaflet-container").is_visible()
    assert not page.locator("svg[role=img]").is_visible()  # the drawing gives way
    assert page.locator(".leaflet-overlay-pane path").count() == 101  # the line and 100 dots
    assert page.get_by_text("Example Maps").is_visible()
    assert page.locator(".leaflet-control-scale").is_visible()
    page.wait_for_load_state("networkidle")
    assert tiles and all("tiles.example.org" in url for url in tiles)
    assert problems == []  # no script error and nothing refused by the CSP
    page.get_by_text("Show the 100 fixes as a table").click()
    assert page.get_by_text("100 fixes", exact=True).is_visible()
