"""django-tasks-db's ``db_worker``, with a heartbeat the feed run page reads.

Listed before ``django_tasks_db`` in INSTALLED_APPS, this command takes its name;
everything else is the library's worker. With ``--reload`` only the reloaded child,
which runs the tasks, beats.
"""

from __future__ import annotations

import os
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as LibraryWorker

from iom.feeds.worker import Heartbeat


class Command(LibraryWorker):
    help = "Run the background worker for queued feed imports, with a heartbeat."

    def handle(self, *args: Any, **options: Any) -> None:
        runs_tasks = (not options.get("reload") or options.get("batch")
                      or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true")
        if not runs_tasks:
            super().handle(*args, **options)
            return
        heartbeat = Heartbeat(str(options["worker_id"]))
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
