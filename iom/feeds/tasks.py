"""Background import of large files, through django-tasks' database backend."""

from __future__ import annotations

from pathlib import Path

from django_tasks import task

from .models import ImportRun
from .services import import_file


@task()
def import_run_in_background(run_id: int) -> str:
    run = ImportRun.objects.select_related("started_by", "organisation").get(pk=run_id)
    import_file(run=run, path=Path(run.stored_path), acting_user=run.started_by,
                through=f"background import run {run.pk}")
    return str(run.status)
