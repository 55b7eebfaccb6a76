"""Uploaded feed files hold personal data: each is deleted once its run has ended and
it is older than ``IOM_FEED_KEEP_DAYS`` (0: as soon as the run ends).

Only files of ended runs, and only inside ``IOM_FEED_UPLOAD_DIR``, are ever
removed: a file waiting for the background worker, or being checked or stored,
is never touched, and a file given to ``import_feed`` is not ours to delete.
The run keeps when its file was removed, and the access log says so.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from iom.audit.models import Action
from iom.audit.services import RecordRef, record_access

from .models import FINISHED, ImportRun

THROUGH = "feed file retention"
logger = logging.getLogger(__name__)


def keep_until(run: ImportRun) -> datetime:
    return run.created_at + timedelta(days=settings.IOM_FEED_KEEP_DAYS)


def expired_uploads(*, now: datetime | None = None) -> QuerySet[ImportRun]:
    """Ended runs whose stored file is still there and past its keeping time."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.IOM_FEED_KEEP_DAYS)
    return (ImportRun.objects.filter(status__in=FINISHED, file_removed_at__isnull=True,
                                     created_at__lte=cutoff)
            .exclude(stored_path="").order_by("created_at", "pk"))


def clear_expired_uploads(*, now: datetime | None = None, dry_run: bool = False,
                          through: str = THROUGH) -> list[ImportRun]:
    """Delete the expired files of ended runs; return the runs whose file went."""
    runs = [run for run in expired_uploads(now=now) if _ours(run)]
    if dry_run:
        return runs
    return [run for run in runs if remove_upload(run, through=through)]


def remove_upload(run: ImportRun, *, through: str = THROUGH) -> bool:
    """Delete one ended run's file and record it; False if it was not removed.

    The file goes first and the record after, so a crash between them leaves no
    file behind, only a run the next clearing records (a missing file is no error).
    """
    if not (run.is_finished and run.stored_path and run.file_removed_at is None
            and _ours(run)):
        return False
    try:
        Path(run.stored_path).unlink(missing_ok=True)
    except OSError:
        logger.warning("Could not delete the file of import run %s", run.pk, exc_info=True)
        return False
    with transaction.atomic():
        updated = ImportRun.objects.filter(
            pk=run.pk, status__in=FINISHED, file_removed_at__isnull=True
        ).update(file_removed_at=timezone.now())
        if updated:
            record_access(user=None, action=Action.DELETE, through=through,
                          records=[RecordRef("import_run", run.pk)],
                          reason="Uploaded feed file past its keeping time",
                          detail={"run": run.pk, "file": run.file_name})
    run.refresh_from_db(fields=["file_removed_at"])
    return bool(updated)


def remove_if_expired(run: ImportRun) -> None:
    """After a run ends: with nothing to keep (0 days), its file goes at once."""
    if run.is_finished and timezone.now() >= keep_until(run):
        remove_upload(run)


def _ours(run: ImportRun) -> bool:
    folder = Path(settings.IOM_FEED_UPLOAD_DIR).resolve()
    return Path(run.stored_path).resolve().is_relative_to(folder)
