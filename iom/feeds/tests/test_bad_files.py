"""A file with any bad row imports nothing and reports every problem by row and column."""

from __future__ import annotations

import pytest

from iom.feeds.models import FeedRecord, RunStatus
from iom.feeds.services import import_file, start_run
from iom.people.models import Nominal, OffendingEvent

from .conftest import row

pytestmark = pytest.mark.django_db


def _run(world, path):
    run = start_run(file_name=path.name, organisation=world.orgs["police"], acting_user=None)
    return import_file(run=run, path=path, acting_user=None, through="test")


def test_every_bad_row_is_named_and_nothing_is_stored(world, feed_file):
    rows = [
        row("arrest", "G1", "2025-06-01"),
        row("teleportation", "X1", "2025-06-01"),
        row("arrest", "X2", "2025-06-01", pnc_id="2012/0012345Q"),
        row("arrest", "X3", "31/02/2025"),
        row("custody", "X4", "2025-06-01", custody_type="holiday"),
        row("arrest", "X5", "2025-06-01", ho_code="99ZZ"),
        row("arrest", "", "2025-06-01"),
        row("arrest", "G1", "2025-06-01"),
        row("arrest", "X6", "2025-06-01", pnc_id="2019/9000001E"),
    ]
    run = _run(world, feed_file(rows))
    assert run.status == RunStatus.REJECTED
    found = {(p.row_number, p.column, p.reason) for p in run.problems.all()}
    assert (2, "record_type", "is not a known record type") in found
    assert (3, "pnc_id", "has the wrong check character") in found
    assert (4, "record_date", "is not a date (YYYY-MM-DD)") in found
    assert (5, "custody_type", "must be remand or sentence for a custody record") in found
    assert (6, "ho_code", "is not a known Home Office offence code") in found
    assert (7, "source_record_id", "is missing") in found
    assert (1, "source_record_id", "appears more than once in this file") in found
    assert any(r == 9 and c == "pnc_id" for r, c, _ in found)
    assert run.rejected == 9 and run.new == 0
    assert not OffendingEvent.objects.exists() and not FeedRecord.objects.exists()


def test_a_missing_required_column_rejects_the_file(world, tmp_path):
    path = tmp_path / "pnc-2025-06-02.csv"
    path.write_text("record_type,pnc_id\narrest,2012/0012345A\n", encoding="utf-8")
    run = _run(world, path)
    assert run.status == RunStatus.REJECTED
    assert {p.column for p in run.problems.all()} == {"source_record_id", "record_date"}


def test_an_unknown_person_without_identity_is_reported_not_created(world, feed_file):
    from iom.core.identifiers import make_pnc_id

    run = _run(world, feed_file([row("arrest", "N1", "2025-06-01",
                                     pnc_id=make_pnc_id(2019, 9000001))]))
    assert run.status == RunStatus.REJECTED
    assert "no row for it gives the forename" in run.problems.get().reason
    assert not Nominal.objects.filter(pnc_id=make_pnc_id(2019, 9000001)).exists()


def test_a_row_that_changes_a_stored_record_to_another_kind_rejects_the_file(world, feed_file):
    _run(world, feed_file([row("arrest", "A1", "2025-06-01")]))
    run = _run(world, feed_file([row("custody", "A1", "2025-06-01", custody_type="remand")],
                                "pnc-2025-06-03.csv"))
    assert run.status == RunStatus.REJECTED
    assert OffendingEvent.objects.count() == 1
