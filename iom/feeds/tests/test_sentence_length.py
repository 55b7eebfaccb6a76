"""The feed's optional sentence_length_days column: how long the court's sentence is, on
a custody record of a sentence (ADR 0017: the route for adult prisoners serving under
12 months, 000 "The IOM Cohort"), as a person's page takes it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from iom.feeds.feedformat import COLUMNS
from iom.feeds.models import RunStatus
from iom.feeds.services import import_file, start_run
from iom.people.models import CustodyPeriod

from .conftest import row

pytestmark = pytest.mark.django_db


def _run(world, path):
    run = start_run(file_name=path.name, organisation=world.orgs["police"], acting_user=None)
    return import_file(run=run, path=path, acting_user=None, through="test")


def _sentence(ident: str, day: str = "2025-05-01", **fields: str) -> dict[str, str]:
    return row("custody", ident, day, custody_type="sentence", establishment="HMP Northshire",
               **fields)


def test_a_sentence_row_carries_its_length(world, feed_file):
    run = _run(world, feed_file([_sentence("C1", sentence_length_days="126"),
                                 _sentence("C2", "2025-05-02")]))
    assert run.status == RunStatus.DONE, list(run.problems.all())
    assert CustodyPeriod.objects.get(source_record_id="C1").sentence_length_days == 126
    assert CustodyPeriod.objects.get(source_record_id="C2").sentence_length_days is None


def test_a_length_that_is_not_a_sentences_is_a_row_problem(world, feed_file):
    run = _run(world, feed_file([
        _sentence("C1", sentence_length_days="six months"),
        _sentence("C2", sentence_length_days="0"),
        _sentence("C3", sentence_length_days="36526"),
        row("custody", "C4", "2025-05-01", custody_type="remand", sentence_length_days="30"),
        row("arrest", "C5", "2025-05-01", ho_code="28A", sentence_length_days="30"),
    ]))
    assert run.status != RunStatus.DONE
    problems = {(p.row_number, p.column): p.reason for p in run.problems.all()}
    assert problems == {
        (1, "sentence_length_days"): "is not a whole number of days",
        (2, "sentence_length_days"): "must be from 1 to 36,525 days",
        (3, "sentence_length_days"): "must be from 1 to 36,525 days",
        (4, "sentence_length_days"): "is for a sentence only; leave it blank for remand",
        (5, "sentence_length_days"): "is given for a record that is not a custody record",
    }
    assert not CustodyPeriod.objects.exists()


def test_a_later_row_without_the_length_keeps_the_one_recorded(world, feed_file):
    _run(world, feed_file([_sentence("C1", sentence_length_days="182")]))
    moved = {**_sentence("C1"), "establishment": "HMP Westmoor"}
    run = _run(world, feed_file([moved], "pnc-2025-06-03.csv"))
    assert run.changed == 1
    spell = CustodyPeriod.objects.get(source_record_id="C1")
    assert (spell.establishment, spell.sentence_length_days) == ("HMP Westmoor", 182)
    run = _run(world, feed_file([_sentence("C1", sentence_length_days="90")],
                                "pnc-2025-06-04.csv"))
    assert run.changed == 1
    assert CustodyPeriod.objects.get(source_record_id="C1").sentence_length_days == 90


def test_a_file_without_the_column_reads_as_before(world, tmp_path: Path):
    """Sources that never send the column: the file is read, each row's digest the same
    as before the column existed (an unchanged row stays unchanged)."""
    older = [c for c in COLUMNS if c != "sentence_length_days"]
    frame = pl.DataFrame([{c: _sentence("C1").get(c, "") for c in older}],
                         schema=dict.fromkeys(older, pl.String))
    first, again = tmp_path / "pnc-2025-06-02.csv", tmp_path / "pnc-2025-06-03.csv"
    frame.write_csv(first)
    frame.write_csv(again)
    assert _run(world, first).status == RunStatus.DONE
    run = _run(world, again)
    assert (run.status, run.changed, run.unchanged) == (RunStatus.DONE, 0, 1)


def test_a_prisoner_sent_by_the_feed_reaches_the_short_sentence_route(world, feed_file):
    """000 "The IOM Cohort": "Adult prisoners serving under 12 months sentence": a
    length that arrives by the feed is read by the route like one typed in."""
    from iom.cohorts.candidates import candidates_for
    from iom.cohorts.tests.factories import AS_AT, Scores, event, store_scores, suggested

    event(world, world.person, date(2025, 4, 1), "46")  # convicted the day of sentence
    store_scores(world, {world.person: Scores(ogrs3=40)})
    run = _run(world, feed_file([_sentence("C1", "2025-04-01", sentence_length_days="182")]))
    assert run.status == RunStatus.DONE, list(run.problems.all())
    listed = candidates_for(world.users["probation"], "derbyshire-2015", AS_AT)
    assert suggested(listed, world.person) == "short_sentence"
