"""Location fixes kept past IOM_LOCATION_FIX_RETENTION_DAYS go, a day file at a time:
the day at the cutoff stays, the day before it goes, and a dry run removes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from iom.audit.models import AccessLogEntry
from iom.monitoring import fixstore, services
from iom.monitoring.services.retention import cutoff
from iom.monitoring.tests.factories import csv_of, fitted

pytestmark = pytest.mark.django_db

# A year after the day of fixes: with 365 days kept, 4 March 2025 is the first day kept.
TODAY = datetime(2026, 3, 4, 0, 30, tzinfo=ZoneInfo("Europe/London"))
KEPT, DROPPED = date(2025, 3, 4), date(2025, 3, 3)


def _import(world) -> int:
    rows: list[tuple[object, ...]] = []
    for day, count in ((DROPPED - timedelta(days=40), 1), (DROPPED, 3), (KEPT, 2)):
        start = datetime(day.year, day.month, day.day, 23, 50, tzinfo=UTC)
        rows += [("BUD-001", (start + timedelta(minutes=m)).isoformat(), 53.8, -1.55, 4)
                 for m in range(count)]
    run = services.import_fixes(data=csv_of(rows), file_name="fixes.csv",
                                acting_user=world.users["police"], through="test")
    assert run.accepted and run.stored == 6
    return run.partnership_id


def _clear(*args: str) -> str:
    out = StringIO()
    call_command("clear_location_fixes", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _removals():
    return AccessLogEntry.objects.filter(action="delete",
                                         through="command clear_location_fixes")


@time_machine.travel(TODAY, tick=False)
def test_the_day_at_the_cutoff_is_kept_and_the_day_before_it_removed(world, settings):
    settings.IOM_LOCATION_FIX_RETENTION_DAYS = 365
    partnership_id = _import(world)
    assert cutoff() == KEPT
    printed = _clear()
    assert fixstore.stored_days(partnership_id) == [KEPT]
    assert fixstore.read_day(partnership_id, KEPT).height == 2
    assert f"fixes of {DROPPED.isoformat()}: 3 fixes" in printed
    assert "Removed 2 days, 4 fixes, kept longer than 365 days (kept from 2025-03-04)" in printed
    entry = _removals().get()
    assert entry.records == [{"kind": "partnership", "id": partnership_id}]
    assert entry.user_id is None and entry.nominal_id is None
    assert entry.detail["fixes"] == 4 and entry.detail["kept_from"] == "2025-03-04"
    assert entry.detail["days"] == [{"day": "2025-01-22", "fixes": 1},
                                    {"day": "2025-03-03", "fixes": 3}]
    assert "Removed 0 days, 0 fixes" in _clear()  # run again from cron: nothing more to do
    assert _removals().count() == 1


@time_machine.travel(TODAY, tick=False)
def test_a_dry_run_lists_the_days_and_their_fixes_and_removes_nothing(world, settings):
    settings.IOM_LOCATION_FIX_RETENTION_DAYS = 365
    partnership_id = _import(world)
    before = {day: fixstore.day_path(partnership_id, day).stat().st_mtime_ns
              for day in fixstore.stored_days(partnership_id)}
    printed = _clear("--dry-run")
    assert f"Would remove partnership {partnership_id}'s fixes of 2025-03-03: 3 fixes" in printed
    assert "Would remove 2 days, 4 fixes" in printed and "2025-03-04" not in printed.split(
        "(kept from")[0]
    after = {day: fixstore.day_path(partnership_id, day).stat().st_mtime_ns
             for day in fixstore.stored_days(partnership_id)}
    assert after == before and len(after) == 3
    assert not _removals().exists()


def test_the_setting_moves_the_cutoff_and_a_day_later_the_kept_day_goes(world, settings):
    partnership_id = _import(world)
    settings.IOM_LOCATION_FIX_RETENTION_DAYS = 30
    with time_machine.travel(datetime(2025, 4, 3, 12, 0, tzinfo=UTC), tick=False):
        assert cutoff() == KEPT
        assert [d.day for d in services.clear_location_fixes(through="test")] == [
            date(2025, 1, 22), DROPPED]
    with time_machine.travel(datetime(2025, 4, 4, 12, 0, tzinfo=UTC), tick=False):
        assert [(d.day, d.fixes) for d in services.clear_location_fixes(through="test")] == [
            (KEPT, 2)]
    assert fixstore.stored_days(partnership_id) == []


@time_machine.travel(TODAY, tick=False)
def test_each_wearer_whose_fixes_went_gets_an_entry_of_their_own(world, settings):
    """Removing a wearer's fixes changes their data: the access log says so on their
    record, with the days and fixes that were theirs; a fix outside any fitting is
    counted on the partnership's entry only."""
    settings.IOM_LOCATION_FIX_RETENTION_DAYS = 365
    fitted(world, world.person, "BUD-001", at=datetime(2025, 3, 3, 10, 0, tzinfo=UTC))
    partnership_id = _import(world)
    _clear()
    wearer = _removals().get(nominal_id=world.person.pk)
    assert wearer.records == [{"kind": "nominal", "id": world.person.pk}]
    assert wearer.detail["days"] == [{"day": "2025-03-03", "fixes": 3}]
    assert wearer.detail["fixes"] == 3 and wearer.user_id is None
    whole = _removals().get(nominal_id=None)
    assert whole.records == [{"kind": "partnership", "id": partnership_id}]
    assert whole.detail["fixes"] == 4  # the January fix, before the fitting, is no one's
    assert _removals().count() == 2
