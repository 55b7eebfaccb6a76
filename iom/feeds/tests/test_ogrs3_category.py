"""The feed's optional ogrs3_category column: the exact OGRS 3 category of a conviction
whose Home Office code covers more than one (docs/feeds/pnc.md)."""

from __future__ import annotations

import pytest

from iom.feeds.models import RunStatus
from iom.feeds.services import import_file, start_run
from iom.people import services
from iom.people.models import CategorySource, OffendingEvent

from .conftest import row

pytestmark = pytest.mark.django_db


def _run(world, path, user=None):
    run = start_run(file_name=path.name, organisation=world.orgs["police"], acting_user=user)
    return import_file(run=run, path=path, acting_user=user, through="test")


def test_a_conviction_row_carries_its_category_marked_as_the_feeds(world, feed_file,
                                                                   coordinator):
    run = _run(world, feed_file([
        row("conviction", "V1", "2025-05-01", ho_code="92A", disposal="community",
            ogrs3_category="drug_possession_supply"),
        row("conviction", "V2", "2025-05-02", ho_code="28A", disposal="community")]),
        coordinator)
    assert run.status == RunStatus.DONE, list(run.problems.all())
    supply = OffendingEvent.objects.get(source_record_id="V1")
    assert supply.ogrs3_category == "drug_possession_supply"
    assert supply.ogrs3_category_source == CategorySource.FEED
    assert supply.ogrs3_category_set_by == coordinator
    assert supply.ogrs3_category_set_at is not None
    burglary = OffendingEvent.objects.get(source_record_id="V2")
    assert (burglary.ogrs3_category, burglary.ogrs3_category_source) == ("", "")


def test_a_category_the_code_does_not_allow_is_a_row_problem(world, feed_file):
    run = _run(world, feed_file([
        row("conviction", "V1", "2025-05-01", ho_code="28A", disposal="community",
            ogrs3_category="robbery"),
        row("conviction", "V2", "2025-05-01", ho_code="92A", disposal="community",
            ogrs3_category="supply"),
        row("arrest", "V3", "2025-05-01", ho_code="92A", ogrs3_category="drug_possession_supply"),
    ]))
    assert run.status != RunStatus.DONE
    problems = {(p.row_number, p.column): p.reason for p in run.problems.all()}
    assert problems == {
        (1, "ogrs3_category"): "is not a category this row's Home Office code allows",
        (2, "ogrs3_category"): "is not an OGRS 3 offence category (docs/feeds/pnc.md lists them)",
        (3, "ogrs3_category"): "is given for a record that is not a conviction",
    }
    assert not OffendingEvent.objects.exists()


def test_a_later_row_without_the_column_keeps_a_users_category(world, feed_file):
    first = feed_file([row("conviction", "V1", "2025-05-01", ho_code="92A",
                           disposal="community")])
    _run(world, first)
    conviction = OffendingEvent.objects.get(source_record_id="V1")
    services.set_ogrs3_category(event=conviction, category="drug_possession_supply",
                                acting_user=world.users["police"], through="test")
    changed = feed_file([row("conviction", "V1", "2025-05-01", ho_code="92A",
                             disposal="fine")], "pnc-2025-06-03.csv")
    run = _run(world, changed)
    assert run.changed == 1
    conviction.refresh_from_db()
    assert conviction.disposal == "fine"
    assert (conviction.ogrs3_category, conviction.ogrs3_category_source) == (
        "drug_possession_supply", CategorySource.USER)
    # A later row that gives a category replaces it, as the feed's.
    run = _run(world, feed_file([row("conviction", "V1", "2025-05-01", ho_code="92A",
                                     disposal="fine",
                                     ogrs3_category="drug_import_export_production")],
                                "pnc-2025-06-04.csv"))
    conviction.refresh_from_db()
    assert (conviction.ogrs3_category, conviction.ogrs3_category_source) == (
        "drug_import_export_production", CategorySource.FEED)
