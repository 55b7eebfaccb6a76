"""A feed is told of a correction only when its file conflicts with it, and never
overwrites a corrected value (000 s7; docs/governance.md, "Corrections")."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from iom.audit.models import AccessLogEntry
from iom.feeds.services import import_file, start_run
from iom.governance.corrections import correct_record, corrections_reported_in
from iom.people.models import CustodyPeriod

from .conftest import row

pytestmark = pytest.mark.django_db


def _run(world, path):
    run = start_run(file_name=path.name, organisation=world.orgs["police"], acting_user=None)
    return import_file(run=run, path=path, acting_user=None, through="test")


def _custody(establishment: str, release: str = "2025-08-01"):
    return row("custody", "K1", "2025-04-01", custody_type="remand",
               expected_release_date=release, establishment=establishment)


def _correct(world, **fields):
    custody = CustodyPeriod.objects.get(source_record_id="K1")
    return correct_record(user=world.users["police"], nominal=world.person, kind="custody",
                          record_id=custody.pk, action="correct", through="test",
                          reason="The prison named was the wrong one", fields=fields)


@time_machine.travel(date(2025, 6, 10), tick=False)
def test_a_file_still_carrying_the_old_value_is_told(world, feed_file):
    path = feed_file([_custody("HMP Northshire"), row("arrest", "A1", "2025-06-01",
                                                      ho_code="28A")])
    _run(world, path)
    correction = _correct(world, establishment="HMP Eastport")
    other = feed_file([row("arrest", "A1", "2025-06-01", ho_code="28A")], "pnc-2025-06-03.csv")
    quiet = _run(world, other)  # does not carry the corrected record: nothing to tell
    assert corrections_reported_in(quiet.pk) == []
    again = _run(world, path)  # the source system still says HMP Northshire
    assert [c.pk for c in corrections_reported_in(again.pk)] == [correction.pk]
    assert CustodyPeriod.objects.get(source_record_id="K1").establishment == "HMP Eastport"
    later = _run(world, path)
    assert corrections_reported_in(later.pk) == []  # told once


@time_machine.travel(date(2025, 6, 10), tick=False)
def test_a_file_that_changes_the_record_keeps_the_corrected_value(world, feed_file):
    _run(world, feed_file([_custody("HMP Northshire")]))
    correction = _correct(world, establishment="HMP Eastport")
    run = _run(world, feed_file([_custody("HMP Northshire", release="2025-09-01")],
                                "pnc-2025-06-03.csv"))
    custody = CustodyPeriod.objects.get(source_record_id="K1")
    assert custody.establishment == "HMP Eastport"  # the correction stands
    assert custody.expected_release_date == date(2025, 9, 1)  # the rest of the file applies
    assert [c.pk for c in corrections_reported_in(run.pk)] == [correction.pk]
    kept = AccessLogEntry.objects.filter(detail__kept_correction=True).get()
    assert kept.detail["fields"] == ["establishment"] and "HMP" not in str(kept.detail)
    page_text = "".join(str(c.new) for c in corrections_reported_in(run.pk))
    assert "HMP Eastport" in page_text


@time_machine.travel(date(2025, 6, 10), tick=False)
def test_a_file_that_agrees_with_the_correction_is_told_nothing(world, feed_file, client,
                                                                coordinator):
    _run(world, feed_file([_custody("HMP Northshire")]))
    correction = _correct(world, establishment="HMP Eastport")
    run = _run(world, feed_file([_custody("HMP Eastport")], "pnc-2025-06-03.csv"))
    assert corrections_reported_in(run.pk) == []
    correction.refresh_from_db()
    assert correction.settled_in_run == run.pk and correction.reported_to_feed_at is None
    assert CustodyPeriod.objects.get(source_record_id="K1").establishment == "HMP Eastport"
