"""A run whose importer was stopped (no progress for IOM_FEED_STALLED_MINUTES) is marked
failed when runs are read or uploads cleared, and its file can go; a run still moving
on is never touched."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from iom.feeds.models import ImportRun, RunStatus
from iom.feeds.services import STALLED, import_file

from .conftest import row
from .test_api import _token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.IOM_FEED_STALLED_MINUTES = 30
    settings.IOM_FEED_KEEP_DAYS = 0


def _run(world, upload_dir: Path, status: RunStatus, *, quiet_minutes: int,
         started_hours_ago: int = 3) -> ImportRun:
    upload_dir.mkdir(parents=True, exist_ok=True)
    stored = upload_dir / f"{status}-{quiet_minutes}.csv"
    stored.write_text("record_type,pnc_id\n")
    now = timezone.now()
    return ImportRun.objects.create(
        file_name="pnc-2025-06-02.csv", stored_path=str(stored), feed_date="2025-06-02",
        partnership=world.north, organisation=world.orgs["police"], status=status,
        created_at=now - timedelta(hours=started_hours_ago),
        progressed_at=now - timedelta(minutes=quiet_minutes))


def _assert_ended(run: ImportRun) -> None:
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.message == STALLED
    assert run.finished_at is not None and run.file_removed_at is not None
    assert not Path(run.stored_path).exists()


def _assert_untouched(run: ImportRun, status: RunStatus) -> None:
    run.refresh_from_db()
    assert run.status == status and run.finished_at is None and run.message == ""
    assert Path(run.stored_path).exists() and run.file_removed_at is None


@pytest.mark.parametrize("status", [RunStatus.CHECKING, RunStatus.WRITING])
def test_the_runs_list_ends_a_stalled_run(client, world, coordinator, upload_dir, status):
    run = _run(world, upload_dir, status, quiet_minutes=31)
    client.force_login(coordinator)
    page = client.get(reverse("feeds:runs")).content.decode()
    _assert_ended(run)
    assert "Failed: nothing imported" in page


def test_the_run_page_ends_a_stalled_run_and_stops_refreshing(
        client, world, coordinator, upload_dir):
    run = _run(world, upload_dir, RunStatus.WRITING, quiet_minutes=120)
    client.force_login(coordinator)
    page = client.get(reverse("feeds:run", args=[run.pk])).content.decode()
    _assert_ended(run)
    assert STALLED in page and 'http-equiv="refresh"' not in page


def test_the_api_read_of_a_run_ends_it_when_stalled(client, world, coordinator, upload_dir):
    run = _run(world, upload_dir, RunStatus.CHECKING, quiet_minutes=45)
    body = client.get(f"/api/feeds/runs/{run.pk}",
                      HTTP_AUTHORIZATION=_token(coordinator)).json()
    assert body["status"] == "failed"
    _assert_ended(run)


def test_the_clearing_command_ends_stalled_runs_then_removes_their_files(world, upload_dir):
    run = _run(world, upload_dir, RunStatus.WRITING, quiet_minutes=31)
    out = StringIO()
    call_command("clear_feed_uploads", stdout=out, stderr=StringIO())
    _assert_ended(run)
    assert f"Marked run {run.pk}" in out.getvalue()


def test_a_dry_run_of_the_command_changes_no_run(world, upload_dir):
    run = _run(world, upload_dir, RunStatus.WRITING, quiet_minutes=31)
    call_command("clear_feed_uploads", "--dry-run", stdout=StringIO(), stderr=StringIO())
    _assert_untouched(run, RunStatus.WRITING)


@pytest.mark.parametrize("status", [RunStatus.CHECKING, RunStatus.WRITING])
def test_a_long_run_still_making_progress_is_never_touched(
        client, world, coordinator, upload_dir, status):
    """Started hours ago, but moved on within the limit: it is still running."""
    run = _run(world, upload_dir, status, quiet_minutes=29, started_hours_ago=6)
    client.force_login(coordinator)
    page = client.get(reverse("feeds:run", args=[run.pk])).content.decode()
    client.get(reverse("feeds:runs"))
    call_command("clear_feed_uploads", stdout=StringIO(), stderr=StringIO())
    _assert_untouched(run, status)
    assert 'http-equiv="refresh"' in page


def test_waiting_and_ended_runs_are_not_stalled_runs(client, world, coordinator, upload_dir):
    queued = _run(world, upload_dir, RunStatus.QUEUED, quiet_minutes=600)
    done = _run(world, upload_dir, RunStatus.DONE, quiet_minutes=600)
    ImportRun.objects.filter(pk=done.pk).update(message="Imported.")
    client.force_login(coordinator)
    client.get(reverse("feeds:runs"))
    _assert_untouched(queued, RunStatus.QUEUED)
    done.refresh_from_db()
    assert done.status == RunStatus.DONE and done.message == "Imported."


def test_each_stage_of_an_import_records_its_progress(world, feed_file):
    """A run queued long ago is not stalled once its importer takes it up."""
    path = feed_file([row("arrest", "A1", "2025-06-01")])
    long_ago = timezone.now() - timedelta(hours=5)
    run = ImportRun.objects.create(
        file_name=path.name, feed_date="2025-06-02", partnership=world.north,
        organisation=world.orgs["police"], created_at=long_ago, progressed_at=long_ago)
    import_file(run=run, path=path, acting_user=None, through="test")
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.progressed_at > timezone.now() - timedelta(minutes=1)
