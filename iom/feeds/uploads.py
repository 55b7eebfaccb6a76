"""Receiving an uploaded feed file from the page or the API: refuse it before it is
kept (a name giving no real day, too large), keep it with its run, and import it now
if small, else in the background worker (tasks.py). Apart from ``services`` so that
the background task, which calls ``services.import_file``, is not imported back by it.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from iom.accounts.models import User
from iom.core import bounds
from iom.core.errors import DomainError, Forbidden
from iom.governance import policy

from . import services
from .feedformat import file_name_problem
from .models import ImportRun
from .tasks import import_run_in_background


def receive_upload(*, upload: UploadedFile[Any], full_snapshot: bool, acting_user: User,
                   through: str) -> ImportRun:
    """Keep an uploaded file and import it: now if small, else in the background worker.

    A file is refused before it is kept (a name giving no real day, too large), and a
    kept file always has its run, which retention (retention.py) deletes it by.
    """
    if not policy.can_import_feeds(acting_user):
        raise Forbidden("Only IOM coordinators can import feed files")
    assert acting_user.organisation is not None
    name = Path(upload.name or "feed.csv").name
    problem = file_name_problem(name) or bounds.upload_problem(upload.size)
    if problem:
        raise DomainError.on_field("file", problem)
    folder = Path(settings.IOM_FEED_UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{uuid.uuid4().hex}-{name}"
    try:
        with stored.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        run = services.start_run(file_name=name, organisation=acting_user.organisation,
                        acting_user=acting_user, stored_path=str(stored),
                        full_snapshot=full_snapshot or None)
    except BaseException:
        stored.unlink(missing_ok=True)
        raise
    if (upload.size or 0) > settings.IOM_FEED_BACKGROUND_BYTES:
        import_run_in_background.enqueue(run.pk)
        run.refresh_from_db()
    else:
        services.import_file(run=run, path=stored, acting_user=acting_user, through=through)
    return run
