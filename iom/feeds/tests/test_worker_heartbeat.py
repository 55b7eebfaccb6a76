"""The background worker beats while it runs, and a queued run's page says when no
worker is alive to take the file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import get_commands
from django.urls import reverse
from django.utils import timezone

from iom.feeds.models import ImportRun, RunStatus, WorkerBeat
from iom.feeds.worker import GONE_AFTER, Heartbeat, beat, worker_alive

pytestmark = pytest.mark.django_db

NO_WORKER = "No background worker is running: start one with <code>manage.py db_worker</code>"


def _run(world, status=RunStatus.QUEUED, **fields):
    return ImportRun.objects.create(file_name="pnc-2025-06-02.csv", feed_date="2025-06-02",
                                    partnership=world.north, organisation=world.orgs["police"],
                                    status=status, **fields)


def test_a_queued_run_without_a_worker_says_how_to_start_one(client, world, coordinator):
    run = _run(world)
    client.force_login(coordinator)
    page = client.get(reverse("feeds:run", args=[run.pk])).content.decode()
    assert NO_WORKER in page


def test_a_live_worker_takes_the_warning_away(client, world, coordinator):
    run = _run(world)
    beat("worker-1")
    client.force_login(coordinator)
    assert NO_WORKER not in client.get(reverse("feeds:run", args=[run.pk])).content.decode()


def test_a_worker_whose_beats_stopped_is_gone():
    now = timezone.now()
    beat("worker-1", now=now - GONE_AFTER - timedelta(seconds=1))
    assert not worker_alive(now=now)
    beat("worker-1", now=now)
    assert worker_alive(now=now)
    assert WorkerBeat.objects.count() == 1


def test_a_busy_worker_counts_as_alive_while_its_import_moves_on(world):
    _run(world, status=RunStatus.WRITING, progressed_at=timezone.now())
    assert worker_alive()


def test_the_heartbeat_beats_at_start_and_leaves_when_stopped():
    heartbeat = Heartbeat("worker-2")
    heartbeat.start()
    assert WorkerBeat.objects.filter(worker_id="worker-2").exists()
    heartbeat.stop()
    assert not WorkerBeat.objects.exists()


def test_db_worker_is_the_command_with_the_heartbeat():
    assert get_commands()["db_worker"] == "iom.feeds"
