"""One custody alert per recipient and spell in custody, however many records the
feed sends about it; a later spell alerts again. Generated feeds date nothing that
has happened after the file's day, so no alert tells of an arrest still to come."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from iom.cohorts.tests.factories import case_on_cohort
from iom.feeds.generate import feed_frame
from iom.feeds.models import Alert, AlertKind
from iom.feeds.services import import_file, start_run

from .conftest import row

pytestmark = pytest.mark.django_db


def _run(world, path):
    run = start_run(file_name=path.name, organisation=world.orgs["police"], acting_user=None)
    return import_file(run=run, path=path, acting_user=None, through="test")


def _custody(ident, start, **fields):
    return row("custody", ident, start, establishment="HMP Northshire",
               **{"custody_type": "remand", **fields})


def _custody_alerts(user):
    return list(Alert.objects.filter(recipient=user, kind=AlertKind.CUSTODY)
                .values_list("summary", flat=True))


def test_several_records_of_one_spell_raise_one_custody_alert(world, coordinator, feed_file):
    case_on_cohort(world.person, date(2025, 1, 1), lead=world.users["police"])
    _run(world, feed_file([_custody("K1", "2025-06-01"),
                           _custody("K2", "2025-06-01", custody_type="sentence"),
                           _custody("K3", "2025-06-01")]))
    assert _custody_alerts(world.users["police"]) == ["Into custody from 1 June 2025: BLUE."]
    assert len(_custody_alerts(coordinator)) == 1
    # The sentence that follows the remand, sent a week later, is the same spell.
    _run(world, feed_file([_custody("K4", "2025-06-08", custody_type="sentence")],
                          "pnc-2025-06-09.csv"))
    assert len(_custody_alerts(world.users["police"])) == 1


def test_a_new_spell_after_release_alerts_again(world, coordinator, feed_file):
    case_on_cohort(world.person, date(2025, 1, 1), lead=world.users["police"])
    _run(world, feed_file([_custody("K1", "2025-03-01", end_date="2025-04-01")],
                          "pnc-2025-04-02.csv"))
    _run(world, feed_file([_custody("K2", "2025-06-01")]))
    assert _custody_alerts(world.users["police"]) == ["Into custody from 1 June 2025: BLUE."]


def test_a_spell_is_the_periods_that_run_into_each_other():
    from iom.feeds.alerts import _spell_start

    periods = [(date(2025, 1, 1), date(2025, 2, 1)), (date(2025, 2, 2), None),
               (date(2025, 3, 1), date(2025, 3, 5))]
    assert _spell_start(periods, date(2025, 3, 1)) == date(2025, 1, 1)
    separate = [(date(2025, 1, 1), date(2025, 2, 1)), (date(2025, 2, 10), None)]
    assert _spell_start(separate, date(2025, 2, 10)) == date(2025, 2, 10)
    assert _spell_start([], date(2025, 5, 5)) == date(2025, 5, 5)


def test_generated_events_are_never_dated_after_the_files_day():
    day = date(2025, 6, 2)
    frame = feed_frame(["2012/0012345A"], rows=5000, day=day, seed=7)
    events = frame.filter(pl.col("record_type").is_in(
        ["arrest", "charge", "conviction", "caution", "breach", "recall", "custody", "wanted",
         "missing"]))
    assert events.height > 1000
    assert str(events["record_date"].max()) <= day.isoformat()
