"""The monitoring pages read as a user needs them: the trail's day, the count of its
fixes, what an empty day means, a run's results in order of what needs looking at, and
an audit whose inventory history changed after it was recorded."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from iom.audit.models import AccessLogEntry
from iom.monitoring import services
from iom.monitoring.models import DeviceState
from iom.monitoring.tests.factories import LAT, LON, WHEN, add_unit, csv_of, fitted, trail

pytestmark = pytest.mark.django_db


def _import(world, rows):
    record = services.import_fixes(data=csv_of(rows), file_name="f.csv",
                                   acting_user=world.users["police"], through="test")
    assert record.accepted
    return record


@pytest.fixture
def police(client, world):
    client.force_login(world.users["police"])
    return client


def _trail(client, world, day):
    return client.get(f"/monitoring/people/{world.person.pk}/trail/?day={day}").content.decode()


def test_the_day_has_its_own_legend_and_a_thousand_fixes_are_counted_with_a_comma(
        police, world):
    fitted(world, world.person, "BUD-001")
    _import(world, trail("BUD-001", 40, range(-600, 600)))  # 00:00 to 19:59
    page = _trail(police, world, WHEN.date())
    assert re.search(r"<legend[^>]*>\s*Day of the trail\s*</legend>", page)
    assert "Show the 1,200 fixes as a table" in page
    assert "1,200 fixes</caption>" in re.sub(r"\s+</caption>", "</caption>", page)


def test_a_fitted_day_without_fixes_says_so_and_links_the_latest_day_with_some(police, world):
    fitted(world, world.person, "BUD-001")  # from the day before WHEN
    _import(world, trail("BUD-001", 40, range(-20, 80)))
    later = WHEN.date() + timedelta(days=3)
    page = _trail(police, world, later)
    assert "No fixes were kept from tag BUD-001 on this day." in page
    assert '<a class="govuk-link" href="?day=2025-03-04">See the latest day with fixes: ' \
           "4 March 2025</a>" in page
    assert "<table" not in page and "<svg" not in page and "0 fixes" not in page
    read = AccessLogEntry.objects.filter(nominal_id=world.person.pk,
                                         detail__trail__day=str(later)).get()
    assert read.detail["trail"] == {"day": str(later), "fixes": 0,
                                    "latest_day_with_fixes": "2025-03-04"}


def test_a_day_before_the_fitting_says_no_tag_was_worn(police, world):
    fitted(world, world.person, "BUD-001")
    _import(world, trail("BUD-001", 40, range(-20, 80)))
    page = _trail(police, world, date(2025, 3, 1))
    assert f"{world.person.full_name} wore no tag on this day." in page
    assert "See the latest day with fixes: 4 March 2025" in page


def test_a_wearer_without_any_fixes_gets_no_link(police, world):
    fitted(world, world.person, "BUD-001")
    page = _trail(police, world, WHEN.date())
    assert "No fixes were kept from tag BUD-001 on this day." in page
    assert "See the latest day" not in page


def test_fixes_outside_the_fitting_never_make_a_latest_day(police, world):
    # A fix of the tag before it was fitted to this wearer is no one's (ADR 0010).
    fitted(world, world.person, "BUD-001", at=WHEN + timedelta(days=2))
    _import(world, trail("BUD-001", 40, range(-20, 80)))
    page = _trail(police, world, WHEN.date() + timedelta(days=3))
    assert "No fixes were kept from tag BUD-001 on this day." in page
    assert "See the latest day" not in page


@pytest.fixture
def run(world):
    fitted(world, world.person, "BUD-001")
    fitted(world, world.consented, "BUD-002")
    fitted(world, world.unconsented, "BUD-003")
    _import(world, trail("BUD-001", 40, range(-20, 80)) + trail("BUD-002", 900, range(-20, 80))
            + trail("BUD-003", 900, [*range(-20, 20), *range(40, 80)]))
    officer = world.users["police"]
    crimes = csv_of([("CR/1", "Burglary", WHEN.isoformat(),
                      (WHEN + timedelta(hours=1)).isoformat(), LAT, LON)],
                    "crime_ref,crime_type,from_time,to_time,latitude,longitude")
    batch = services.import_crimes(data=crimes, file_name="c.csv", acting_user=officer,
                                   through="test")
    return services.run_matching(batch=batch, radius_m=100, pad_minutes=0, max_gap_minutes=10,
                                 acting_user=officer, through="test")


def test_a_run_lists_placed_then_not_eliminated_then_eliminated_and_asks_for_the_action(
        police, world, run):
    page = police.get(f"/monitoring/runs/{run.pk}/").content.decode()
    placed, open_, cleared = (page.index(f">{p.full_name}</a>") for p in (
        world.person, world.unconsented, world.consented))
    assert placed < open_ < cleared
    assert page.count("Not recorded yet") == 1  # the placed result, not the others
    assert 'class="govuk-table iom-aligned-table iom-results-table' in page
    summary = page[page.index("Placed</strong>"):]
    assert summary.index("Not eliminated") < summary.index("Eliminated</strong>")
    placed_result = run.results.get(outcome="placed")
    police.post(f"/monitoring/results/{placed_result.pk}/", {"action": "passed"})
    again = police.get(f"/monitoring/runs/{run.pk}/").content.decode()
    assert "Not recorded yet" not in again and "Passed to the investigation" in again


def test_an_audit_says_when_the_history_of_its_month_changed_after_it_was_recorded(
        police, world):
    unit = add_unit(world, "BUD-001")  # in stock from 6 January 2025
    with time_machine.travel(datetime(2025, 2, 10, 12, 0, tzinfo=UTC), tick=False):
        services.record_inventory_audit(district=world.district, month=date(2025, 1, 1),
                                        note="", acting_user=world.users["police"],
                                        through="test")
        page = police.get("/monitoring/audit/").content.decode()
        assert "Recorded</strong>" in page and "10 February 2025" in page
        assert "history has changed" not in page
        # A fault found on 20 January, recorded in February: the history of January changes.
        services.change_device_state(device=unit, to=DeviceState.FAULTY, on=date(2025, 1, 20),
                                     note="Will not charge", acting_user=world.users["police"],
                                     through="test")
        page = police.get("/monitoring/audit/").content.decode()
    assert "The inventory's history has changed since: its counts for this month now " \
           "differ." in page
    assert 'class="govuk-table iom-audit-table' in page


def test_a_results_fixes_are_folded_so_that_what_was_done_follows_the_map(police, world, run):
    placed = run.results.get(outcome="placed")
    page = police.get(f"/monitoring/results/{placed.pk}/").content.decode()
    folded = re.search(r"Show the ([\d,]+) fixes as a table", page)
    assert folded and int(folded.group(1).replace(",", "")) > 20
    assert page.index("<svg") < page.index("<details") < page.index("What was done")
