"""The background worker's heartbeat: is any worker alive to take a queued file?

django-tasks-db keeps no record of its workers, so ``manage.py db_worker`` (our
command of that name, management/commands/db_worker.py) beats in ``WorkerBeat``
every ``BEAT_SECONDS`` from a thread of its own, and removes its row on the way out.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from .models import UNDER_WAY, ImportRun, WorkerBeat

logger = logging.getLogger(__name__)

BEAT_SECONDS = 10
# A worker is taken as gone after this long without a beat: several beats, since on
# SQLite a beat waits for the write lock an import holds.
GONE_AFTER = timedelta(seconds=60)



def beat(worker_id: str, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={
        "beat_at": now, "host": socket.gethostname()[:255], "pid": os.getpid()})


def forget(worker_id: str) -> None:
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


def worker_alive(*, now: datetime | None = None) -> bool:
    """A worker beat lately, or an import under way moved on lately (a busy worker on
    SQLite may miss its beats while the import holds the database)."""
    now = now or timezone.now()
    if WorkerBeat.objects.filter(beat_at__gte=now - GONE_AFTER).exists():
        return True
    stalled = timedelta(minutes=settings.IOM_FEED_STALLED_MINUTES)
    return ImportRun.objects.filter(status__in=UNDER_WAY,
                                    progressed_at__gte=now - stalled).exists()


class Heartbeat:
    """Beats for one worker from a daemon thread until stopped."""

    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="worker-heartbeat",
                                        daemon=True)

    def start(self) -> None:
        self._safely(beat)  # at once, so a page asked right after start-up sees it
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=BEAT_SECONDS)
        self._safely(forget)

    def _run(self) -> None:
        while not self._stop.wait(BEAT_SECONDS):
            close_old_connections()
            self._safely(beat)
        connection.close()

    def _safely(self, work: object) -> None:
        try:
            work(self.worker_id)  # type: ignore[operator]
        except DatabaseError:
            # A beat that waited too long for the database is missed, not fatal.
            logger.warning("Worker heartbeat missed", exc_info=True)
