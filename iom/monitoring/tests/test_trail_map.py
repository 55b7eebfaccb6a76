"""The trail map: Leaflet over tiles only where a tile server is set, the server's
drawing always, under the strict Content Security Policy either way."""

from __future__ import annotations

import html
import importlib.util
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from iom.monitoring import services
from iom.monitoring.maptiles import Tiles
from iom.monitoring.models import Crime
from iom.monitoring.tests.factories import LAT, LON, WHEN, csv_of, fitted, trail

pytestmark = pytest.mark.django_db

TILES = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
CREDIT = "&copy; Example Maps contributors"


@pytest.fixture
def police(client, world):
    fitted(world, world.person, "BUD-001")
    services.import_fixes(data=csv_of(trail("BUD-001", 40, range(-20, 80))),
                          file_name="f.csv", acting_user=world.users["police"], through="test")
    client.force_login(world.users["police"])
    return client


def _trail_page(client, world):
    return client.get(f"/monitoring/people/{world.person.pk}/trail/?day={WHEN.date()}")


def _result_page(client, world):
    batch = services.import_crimes(
        data=csv_of([("CR/1", "Burglary", WHEN.isoformat(),
                      (WHEN + timedelta(hours=1)).isoformat(), LAT, LON)],
                    "crime_ref,crime_type,from_time,to_time,latitude,longitude"),
        file_name="c.csv", acting_user=world.users["police"], through="test")
    run = services.run_matching(batch=batch, radius_m=100, pad_minutes=0, max_gap_minutes=10,
                                acting_user=world.users["police"], through="test")
    return client.get(f"/monitoring/results/{run.results.get().pk}/")


def _strict(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    policy = dict(part.strip().split(" ", 1) for part in header.split(";"))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    page = response.content.decode()
    # The only script elements: files from our own origin, and the fixes as JSON data.
    for tag in re.findall(r"<script[^>]*>", page):
        assert 'src="/assets/' in tag or 'type="application/json"' in tag, tag
    assert "style=" not in page
    return policy


def test_without_a_tile_server_the_page_has_only_the_drawing_and_the_table(police, world,
                                                                           settings):
    settings.IOM_MAP_TILE_URL = ""
    response = _trail_page(police, world)
    policy, page = _strict(response), response.content.decode()
    assert "<svg" in page and "Plain background, north up" in page and "100 fixes" in page
    assert "leaflet" not in page and "data-tile-url" not in page and "iom-map-data" not in page
    assert policy["img-src"] == "'self' data:"


def test_with_a_tile_server_the_trail_page_carries_leaflet_the_tiles_and_the_fixes(
        police, world, settings):
    settings.IOM_MAP_TILE_URL, settings.IOM_MAP_TILE_ATTRIBUTION = TILES, CREDIT
    response = _trail_page(police, world)
    policy, page = _strict(response), response.content.decode()
    assert f'data-tile-url="{TILES}"' in page
    assert f'data-tile-attribution="{html.escape(CREDIT)}"' in page
    assert '<script defer src="/assets/leaflet/leaflet.js">' in page
    assert '<script defer src="/assets/iom/trailmap.js">' in page
    assert 'href="/assets/leaflet/leaflet.css"' in page
    assert policy["img-src"] == "'self' data: https://*.tiles.example.org"
    data = json.loads(re.search(r'<script id="iom-map-data" type="application/json">(.*?)'
                                r"</script>", page, re.S).group(1))
    assert len(data["fixes"]) == 100 and data["scene"] is None
    assert data["fixes"][0][:2] == pytest.approx([LAT + 40 / 111_195.08, LON], abs=1e-6)
    # The drawing stays for a browser without script, and the table beside it.
    assert "<svg" in page and "100 fixes" in page


def test_with_a_tile_server_a_result_carries_the_scene_and_its_radius(police, world, settings):
    settings.IOM_MAP_TILE_URL, settings.IOM_MAP_TILE_ATTRIBUTION = TILES, CREDIT
    response = _result_page(police, world)
    _strict(response)
    page = response.content.decode()
    data = json.loads(re.search(r'<script id="iom-map-data" type="application/json">(.*?)'
                                r"</script>", page, re.S).group(1))
    crime = Crime.objects.get()
    assert data["scene"] == [crime.latitude, crime.longitude, 100.0]
    assert sum(fix[2] for fix in data["fixes"]) > 0  # the fixes within the radius marked


def test_the_tile_source_of_the_policy_is_the_origin_only():
    assert Tiles("https://tile.example.org/a/{z}/{x}/{y}.png?key=k", "x").image_source == (
        "https://tile.example.org")
    assert Tiles(TILES, "x").image_source == "https://*.tiles.example.org"


def _settings_with(monkeypatch, **variables: str):
    """A fresh copy of config/settings.py under its own name, read with these variables."""
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location(
        "settings_under_test", Path(django_settings.BASE_DIR) / "config" / "settings.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("url", "credit", "says"), [
    ("ftp://tiles.example.org/{z}/{x}/{y}.png", "x", "IOM_MAP_TILE_URL must be"),
    ("https://tiles.example.org/{z}/{x}.png", "x", "IOM_MAP_TILE_URL must be"),
    (TILES, "", "IOM_MAP_TILE_ATTRIBUTION must say"),
])
def test_a_bad_tile_setting_stops_the_start(monkeypatch, url, credit, says):
    with pytest.raises(ImproperlyConfigured, match=says):
        _settings_with(monkeypatch, IOM_MAP_TILE_URL=url, IOM_MAP_TILE_ATTRIBUTION=credit)


def test_the_tile_and_retention_settings_are_read(monkeypatch):
    loaded = _settings_with(monkeypatch, IOM_MAP_TILE_URL=TILES,
                            IOM_MAP_TILE_ATTRIBUTION=CREDIT, IOM_LOCATION_FIX_RETENTION_DAYS="30")
    assert (loaded.IOM_MAP_TILE_URL, loaded.IOM_MAP_TILE_ATTRIBUTION) == (TILES, CREDIT)
    assert loaded.IOM_LOCATION_FIX_RETENTION_DAYS == 30
    with pytest.raises(ImproperlyConfigured, match="IOM_LOCATION_FIX_RETENTION_DAYS must be"):
        _settings_with(monkeypatch, IOM_LOCATION_FIX_RETENTION_DAYS="0")


def test_the_day_is_a_govuk_date_input_and_day_links_still_work(police, world):
    url = f"/monitoring/people/{world.person.pk}/trail/"
    boxes = police.get(url, {"day_0": "4", "day_1": "3", "day_2": "2025"}).content.decode()
    assert "Trail on Tuesday 4 March 2025" in boxes and "100 fixes" in boxes
    for part in ("day_0", "day_1", "day_2"):
        assert f'name="{part}"' in boxes
    assert 'type="date"' not in boxes and "govuk-date-input" in boxes
    assert 'href="?day=2025-03-03"' in boxes and 'href="?day=2025-03-05"' in boxes
    link = police.get(url, {"day": "2025-03-04"}).content.decode()
    assert "Trail on Tuesday 4 March 2025" in link and "100 fixes" in link
    assert 'value="4"' in link and 'value="3"' in link and 'value="2025"' in link


@pytest.mark.parametrize(("query", "message"), [
    ({"day_0": "31", "day_1": "2", "day_2": "2025"}, "The day must be a real date"),
    ({"day_0": "4", "day_1": "", "day_2": "2025"}, "The day must include a month"),
    ({"day": "9999-12-31"}, "The day cannot be after today"),
    ({"day": "1800-01-01"}, "The day must be on or after 1 January 1900"),
])
def test_a_bad_day_is_named_and_no_other_day_is_shown_in_its_place(police, world, query,
                                                                     message):
    # Today's trail under an error about another day would read as that day's trail.
    with time_machine.travel(datetime(2025, 3, 4, 12, 0, tzinfo=UTC), tick=False):
        response = police.get(f"/monitoring/people/{world.person.pk}/trail/", query)
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert f"<title>Error: Trail for {world.person.full_name} - " in page
    assert "govuk-error-summary" in page
    assert '<h1 class="govuk-heading-l">Trail</h1>' in page
    assert "Trail on" not in page and "fixes" not in page and "<svg" not in page
    assert "Day before" not in page and "Day after" not in page


def test_the_trail_of_today_has_no_day_after(police, world):
    with time_machine.travel(datetime(2025, 3, 4, 12, 0, tzinfo=UTC), tick=False):
        page = police.get(f"/monitoring/people/{world.person.pk}/trail/").content.decode()
    assert "Trail on Tuesday 4 March 2025" in page and "100 fixes" in page
    assert "Day after" not in page and 'href="?day=2025-03-03"' in page
