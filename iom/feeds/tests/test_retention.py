"""Uploaded files are deleted once their run has ended and they are past their keeping
time; a file whose run is still waiting or under way is never touched."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from iom.audit.models import AccessLogEntry
from iom.feeds.models import ImportRun, RunStatus
from iom.feeds.retention import clear_expired_uploads, remove_upload
from iom.feeds.uploads import receive_upload

from .conftest import row
from .test_api import _token

pytestmark = pytest.mark.django_db


def _run(world, upload_dir: Path, name: str, status: RunStatus, days_old: int) -> ImportRun:
    upload_dir.mkdir(parents=True, exist_ok=True)
    stored = upload_dir / f"{name}.csv"
    stored.write_text("record_type,pnc_id\n")
    return ImportRun.objects.create(
        file_name=f"{name}.csv", stored_path=str(stored), feed_date="2025-06-02",
        partnership=world.north, organisation=world.orgs["police"], status=status,
        created_at=timezone.now() - timedelta(days=days_old))


def _clear(*args: str) -> str:
    out = StringIO()
    call_command("clear_feed_uploads", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.parametrize("status", [RunStatus.QUEUED, RunStatus.CHECKING, RunStatus.WRITING])
def test_a_file_of_a_run_not_yet_ended_is_never_deleted(world, upload_dir, settings, status):
    settings.IOM_FEED_KEEP_DAYS = 0
    run = _run(world, upload_dir, "waiting", status, days_old=400)
    assert "Removed 0 files" in _clear()
    assert not remove_upload(run)
    run.refresh_from_db()
    assert Path(run.stored_path).exists() and run.file_removed_at is None


def test_the_command_removes_only_expired_files_of_ended_runs(world, upload_dir, settings):
    settings.IOM_FEED_KEEP_DAYS = 7
    old_done = _run(world, upload_dir, "old-done", RunStatus.DONE, days_old=8)
    old_rejected = _run(world, upload_dir, "old-rejected", RunStatus.REJECTED, days_old=30)
    old_failed = _run(world, upload_dir, "old-failed", RunStatus.FAILED, days_old=9)
    recent = _run(world, upload_dir, "recent", RunStatus.DONE, days_old=2)
    queued = _run(world, upload_dir, "queued", RunStatus.QUEUED, days_old=30)
    printed = _clear()
    removed = {old_done.pk, old_rejected.pk, old_failed.pk}
    for run in (old_done, old_rejected, old_failed, recent, queued):
        run.refresh_from_db()
        assert Path(run.stored_path).exists() is (run.pk not in removed)
        assert (run.file_removed_at is not None) is (run.pk in removed)
    assert "Removed 3 files kept longer than 7 days" in printed
    assert "old-done.csv" in printed and "recent.csv" not in printed
    assert AccessLogEntry.objects.filter(action="delete",
                                         through="command clear_feed_uploads").count() == 3
    assert "Removed 0 files" in _clear()  # run again from cron: nothing more to do


def test_a_dry_run_lists_the_files_and_deletes_nothing(world, upload_dir, settings):
    settings.IOM_FEED_KEEP_DAYS = 7
    run = _run(world, upload_dir, "old", RunStatus.DONE, days_old=8)
    assert "Would remove the file of run" in _clear("--dry-run")
    run.refresh_from_db()
    assert Path(run.stored_path).exists() and run.file_removed_at is None


def test_a_file_outside_the_upload_folder_is_left_alone(world, upload_dir, tmp_path, settings):
    settings.IOM_FEED_KEEP_DAYS = 0
    elsewhere = tmp_path / "someone-elses.csv"
    elsewhere.write_text("kept")
    run = _run(world, upload_dir, "old", RunStatus.DONE, days_old=8)
    ImportRun.objects.filter(pk=run.pk).update(stored_path=str(elsewhere))
    assert clear_expired_uploads() == []
    assert elsewhere.exists()


def test_a_file_already_gone_is_still_recorded_as_removed(world, upload_dir, settings):
    settings.IOM_FEED_KEEP_DAYS = 1
    run = _run(world, upload_dir, "gone", RunStatus.DONE, days_old=2)
    Path(run.stored_path).unlink()
    assert [r.pk for r in clear_expired_uploads()] == [run.pk]


def test_with_no_days_to_keep_the_file_goes_when_the_run_ends(
        world, coordinator, feed_file, upload_dir, settings, django_capture_on_commit_callbacks):
    settings.IOM_FEED_KEEP_DAYS = 0
    path = feed_file([row("arrest", "A1", "2025-06-01", ho_code="28A")])
    with django_capture_on_commit_callbacks(execute=True):
        run = receive_upload(upload=SimpleUploadedFile(path.name, path.read_bytes()),
                             full_snapshot=False, acting_user=coordinator, through="test")
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.file_removed_at is not None
    assert list(upload_dir.iterdir()) == []


def test_with_days_to_keep_the_file_stays_after_the_run(
        world, coordinator, feed_file, upload_dir, settings, django_capture_on_commit_callbacks):
    settings.IOM_FEED_KEEP_DAYS = 7
    path = feed_file([row("teleportation", "X1", "2025-06-01")])
    with django_capture_on_commit_callbacks(execute=True):
        run = receive_upload(upload=SimpleUploadedFile(path.name, path.read_bytes()),
                             full_snapshot=False, acting_user=coordinator, through="test")
    run.refresh_from_db()
    assert run.status == RunStatus.REJECTED and run.file_removed_at is None
    assert Path(run.stored_path).exists()


def test_the_run_page_and_api_say_when_the_file_was_removed(
        client, world, coordinator, upload_dir, settings):
    settings.IOM_FEED_KEEP_DAYS = 7
    run = _run(world, upload_dir, "old", RunStatus.DONE, days_old=8)
    client.force_login(coordinator)
    page = client.get(reverse("feeds:run", args=[run.pk])).content.decode()
    assert "Kept until" in page and "File removed" not in page
    _clear()
    run.refresh_from_db()
    assert run.file_removed_at is not None
    page = client.get(reverse("feeds:run", args=[run.pk])).content.decode()
    assert f"File removed on {timezone.localtime(run.file_removed_at):%-d %B %Y}" in page
    client.logout()
    body = client.get(f"/api/feeds/runs/{run.pk}",
                      HTTP_AUTHORIZATION=_token(coordinator)).json()
    assert body["file_removed_at"] is not None
