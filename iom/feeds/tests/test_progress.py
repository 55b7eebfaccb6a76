"""How far along a run is: a percentage from the rows written, else from the stage,
saved in blocks rather than per row, on the run page and in the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from iom.feeds.checking import check_feed
from iom.feeds.loader import store_rows
from iom.feeds.models import ImportRun, RunStatus
from iom.feeds.progress import Progress
from iom.feeds.services import import_file, known_people, start_run

from .conftest import row
from .test_api import _token

pytestmark = pytest.mark.django_db

DAY = [row("arrest", f"A{i}", "2025-06-01", ho_code="28A") for i in range(5)]


def _writing(world, rows_total: int, rows_done: int) -> ImportRun:
    return ImportRun.objects.create(
        file_name="pnc-2025-06-02.csv", feed_date="2025-06-02", partnership=world.north,
        organisation=world.orgs["police"], status=RunStatus.WRITING, rows_total=rows_total,
        rows_done=rows_done)


@pytest.mark.parametrize(("status", "total", "done", "percent"), [
    (RunStatus.QUEUED, 0, 0, 0),
    (RunStatus.CHECKING, 0, 0, 5),
    (RunStatus.WRITING, 0, 0, 15),  # rows not known: the stage
    (RunStatus.WRITING, 1000, 0, 15),
    (RunStatus.WRITING, 1000, 500, 55),
    (RunStatus.WRITING, 1000, 1000, 95),
    (RunStatus.WRITING, 1000, 5000, 95),
    (RunStatus.DONE, 1000, 1000, 100),
    (RunStatus.REJECTED, 1000, 0, 100),
])
def test_the_percentage_follows_the_rows_written_else_the_stage(status, total, done, percent):
    run = ImportRun(status=status, rows_total=total, rows_done=done)
    assert run.percent_done == percent


def _store(world, feed_file, every: int) -> tuple[ImportRun, list[int]]:
    path = feed_file([*DAY, row("wanted", "W1", "2025-06-01")])
    run = start_run(file_name=path.name, organisation=world.orgs["police"], acting_user=None)
    checked = check_feed(path, known_people=known_people(run.partnership_id))
    run.rows_total = checked.rows.height
    saved: list[int] = []
    store_rows(checked.rows, run=run, progress=Progress(run, save=saved.append, every=every))
    return run, saved


def test_the_count_is_saved_block_by_block_up_to_every_row(world, feed_file):
    run, saved = _store(world, feed_file, every=2)
    assert saved == sorted(saved) and saved[-1] == run.rows_done == 6
    assert 2 <= len(saved) <= 7  # 12 units of work (record and ledger) in blocks of 2


def test_a_small_file_saves_its_count_once(world, feed_file):
    _, saved = _store(world, feed_file, every=50_000)
    assert saved == [6]


def test_re_importing_counts_unchanged_rows_as_written(world, feed_file):
    _store(world, feed_file, every=50_000)
    run, saved = _store(world, feed_file, every=50_000)
    assert saved == [6] and run.rows_done == 6


def test_the_run_page_shows_the_percentage_as_text_and_a_progress_bar(
        client, world, coordinator):
    run = _writing(world, rows_total=200_000, rows_done=100_000)
    client.force_login(coordinator)
    page = client.get(reverse("feeds:run", args=[run.pk])).content.decode()
    assert "55% done" in page and "100,000 of 200,000 rows stored" in page
    assert '<progress class="govuk-!-width-full" max="100" value="55"' in page
    assert 'aria-labelledby="progress-heading"' in page and 'id="progress-heading"' in page
    assert "55% done" in client.get(reverse("feeds:runs")).content.decode()


def test_the_api_gives_the_percentage(client, world, coordinator):
    run = _writing(world, rows_total=1000, rows_done=250)
    body = client.get(f"/api/feeds/runs/{run.pk}", HTTP_AUTHORIZATION=_token(coordinator)).json()
    assert (body["percent_done"], body["rows_done"], body["rows"]) == (35, 250, 1000)


def test_a_finished_import_has_stored_every_row(world, coordinator, feed_file):
    path = feed_file(DAY)
    run = start_run(file_name=path.name, organisation=world.orgs["police"], acting_user=None)
    import_file(run=run, path=path, acting_user=None, through="test")
    run.refresh_from_db()
    assert (run.status, run.rows_done, run.percent_done) == (RunStatus.DONE, 5, 100)
