"""Importing a file: counts, idempotence, updates with history, provenance, snapshots."""

from __future__ import annotations

from datetime import date

import pytest

from iom.audit.models import AccessLogEntry
from iom.feeds.models import FeedRecord, FeedRecordChange, RunStatus
from iom.feeds.services import import_file, start_run
from iom.people.models import CaseDate, CustodyPeriod, Nominal, OffendingEvent, WantedMissing

from .conftest import row

pytestmark = pytest.mark.django_db

DAY = [
    row("arrest", "A1", "2025-06-01", ho_code="28A", court="Northshire Magistrates' Court"),
    row("court_date", "C1", "2025-06-05", court="Northshire Crown Court"),
    row("wanted", "W1", "2025-05-30", description="Failed to appear"),
    row("custody", "K1", "2025-04-01", custody_type="remand",
        expected_release_date="2025-08-01", establishment="HMP Northshire"),
]


def _run(world, path, **kw):
    run = start_run(file_name=path.name, organisation=world.orgs["police"], acting_user=None,
                    **kw)
    return import_file(run=run, path=path, acting_user=None, through="test")


def test_a_day_file_stores_every_record_with_provenance(world, feed_file):
    run = _run(world, feed_file(DAY))
    assert run.status == RunStatus.DONE
    assert (run.new, run.changed, run.unchanged, run.rejected) == (4, 0, 0, 0)
    assert run.feed_date == date(2025, 6, 2)
    event = OffendingEvent.objects.get(source_record_id="A1")
    assert (event.nominal, event.kind, event.ho_code) == (world.person, "arrest", "28A")
    assert event.source_system == "pnc"
    assert CaseDate.objects.get(source_record_id="C1").kind == "court_hearing"
    assert WantedMissing.objects.get(source_record_id="W1").end_date is None
    custody = CustodyPeriod.objects.get(source_record_id="K1")
    assert custody.expected_release_date == date(2025, 8, 1)
    ledger = FeedRecord.objects.get(source_record_id="K1")
    assert (ledger.first_run, ledger.file_name, ledger.row_number) == (run, run.file_name, 4)
    assert ledger.target_id == custody.pk
    assert AccessLogEntry.objects.filter(nominal_id=world.person.pk, action="update",
                                         through="test").exists()


def test_the_same_file_again_changes_nothing_and_says_so(world, feed_file):
    path = feed_file(DAY)
    _run(world, path)
    again = _run(world, path)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 4)
    assert "Nothing changed" in again.message
    assert OffendingEvent.objects.count() == 1
    assert FeedRecordChange.objects.count() == 0


def test_a_later_file_updates_the_record_and_keeps_its_history(world, feed_file):
    first = _run(world, feed_file(DAY))
    later = [row("custody", "K1", "2025-04-01", custody_type="remand",
                 expected_release_date="2025-07-01", establishment="HMP Eastport")]
    run = _run(world, feed_file(later, "pnc-2025-06-03.csv"))
    assert (run.new, run.changed, run.unchanged) == (0, 1, 0)
    custody = CustodyPeriod.objects.get(source_record_id="K1")
    assert (custody.expected_release_date, custody.establishment) == (
        date(2025, 7, 1), "HMP Eastport")
    change = FeedRecordChange.objects.get()
    assert change.previous_run == first and change.run == run
    assert '"expected_release_date":"2025-08-01"' in change.previous_content
    assert CustodyPeriod.objects.count() == 1


def test_parquet_files_are_read_too(world, feed_file):
    run = _run(world, feed_file(DAY, "pnc-2025-06-02.parquet"))
    assert (run.status, run.new) == (RunStatus.DONE, 4)


def test_a_full_snapshot_withdraws_missing_records_and_ends_open_wanted(world, feed_file):
    _run(world, feed_file(DAY))
    snapshot = _run(world, feed_file(DAY[:2], "pnc-2025-06-04-full.csv"))
    assert snapshot.full_snapshot and (snapshot.withdrawn, snapshot.unchanged) == (2, 2)
    assert WantedMissing.objects.get(source_record_id="W1").end_date == date(2025, 6, 4)
    assert FeedRecord.objects.get(source_record_id="K1").withdrawn_by == snapshot
    assert CustodyPeriod.objects.filter(source_record_id="K1").exists()


def test_a_daily_file_withdraws_nothing(world, feed_file):
    _run(world, feed_file(DAY))
    run = _run(world, feed_file(DAY[:1], "pnc-2025-06-04.csv"))
    assert run.withdrawn == 0
    assert FeedRecord.objects.filter(withdrawn_by__isnull=False).count() == 0


def test_an_unknown_pnc_id_with_identity_adds_the_person(world, feed_file):
    rows = [row("arrest", "N1", "2025-06-01", pnc_id="2019/9000001E", forename="Ann",
                surname="Example", date_of_birth="1991-02-03", gender="F"),
            row("charge", "N2", "2025-06-01", pnc_id="2019/9000001E")]
    from iom.core.identifiers import make_pnc_id
    rows = [{**r, "pnc_id": make_pnc_id(2019, 9000001)} for r in rows]
    run = _run(world, feed_file(rows))
    person = Nominal.objects.get(pnc_id=make_pnc_id(2019, 9000001))
    assert (run.people_created, run.new) == (1, 2)
    assert (person.surname, person.partnership) == ("Example", world.north)
    assert OffendingEvent.objects.filter(nominal=person).count() == 2
