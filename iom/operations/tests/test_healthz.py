"""/healthz: liveness for anyone, every check for an administrator, no personal data."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.utils import OperationalError
from django.utils import timezone

from iom.feeds.worker import beat
from iom.operations import health
from iom.operations.models import AccessLogVerification

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkpoint_dir(settings, tmp_path):
    settings.IOM_ACCESS_LOG_CHECKPOINT_DIR = tmp_path
    return tmp_path


def _everything_running() -> None:
    beat("worker-1")
    call_command("nightly_scores", stdout=io.StringIO())
    call_command("checkpoint_access_log", stdout=io.StringIO())
    call_command("record_access_log_verification",
                 stdout=io.StringIO())


def _no_personal_data(body: str, world) -> None:
    for person in (world.person, world.consented, world.unconsented, world.foreign):
        assert person.surname not in body and person.forename not in body
    assert world.person.pnc_id not in body
    for user in world.users.values():
        assert user.username not in body


def test_anyone_gets_liveness_only(client, world, checkpoint_dir):
    _everything_running()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    client.force_login(world.users["police"])  # signed in, but not an administrator
    assert client.get("/healthz").json() == {"status": "ok"}


def test_liveness_says_unavailable_when_the_database_does_not_answer(client, world,
                                                                     monkeypatch):
    def broken() -> None:
        raise OperationalError("connection refused to host secret.example:5432")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_administrator_sees_every_check_failing_on_a_new_install(client, world, checkpoint_dir):
    client.force_login(world.users["admin"])
    response = client.get("/healthz")
    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "failing"
    checks = report["checks"]
    assert checks["database"]["ok"] and checks["migrations"] == {"ok": True, "unapplied": 0}
    for name in ("worker", "nightly_scores", "access_log_checkpoint",
                 "access_log_verification"):
        assert checks[name]["ok"] is False, name
    assert checks["worker"]["heartbeat_age_seconds"] is None
    assert checks["access_log_verification"]["result"] is None


def test_administrator_sees_every_check_passing_and_their_ages(client, world, checkpoint_dir):
    _everything_running()
    client.force_login(world.users["admin"])
    response = client.get("/healthz")
    body = response.content.decode()
    assert response.status_code == 200, body
    report = json.loads(body)
    assert report["status"] == "ok"
    checks = report["checks"]
    assert set(checks) == {"database", "migrations", "worker", "nightly_scores",
                           "access_log_checkpoint", "access_log_verification"}
    assert all(check["ok"] for check in checks.values())
    assert 0 <= checks["worker"]["heartbeat_age_seconds"] < 60
    assert checks["worker"]["workers"] == 1
    assert checks["nightly_scores"]["as_at"] == timezone.localdate().isoformat()
    assert checks["nightly_scores"]["people"] == 4
    assert 0 <= checks["access_log_checkpoint"]["age_seconds"] < 60
    assert checks["access_log_verification"]["result"] == "intact"
    assert checks["access_log_verification"]["entries"] > 0
    _no_personal_data(body, world)


def test_each_check_fails_when_its_job_stops(world, checkpoint_dir):
    _everything_running()
    now = timezone.now()
    assert health.full_report(now=now)["status"] == "ok"
    # Three hours on: the worker's beat and the checkpoint are stale, the daily jobs not.
    report = health.full_report(now=now + timedelta(hours=3))
    checks = report["checks"]
    assert report["status"] == "failing"
    assert not checks["worker"]["ok"] and not checks["access_log_checkpoint"]["ok"]
    assert checks["nightly_scores"]["ok"] and checks["access_log_verification"]["ok"]
    checks = health.full_report(now=now + timedelta(hours=27))["checks"]
    assert not checks["nightly_scores"]["ok"] and not checks["access_log_verification"]["ok"]


def test_a_broken_log_fails_the_verification_and_the_check(client, world, checkpoint_dir):
    _everything_running()
    with (checkpoint_dir / "checkpoints.jsonl").open("a") as handle:
        handle.write('{"at": "2026-01-01T00:00:00+00:00", "heads": [], "mac": "forged"}\n')
    with pytest.raises(CommandError, match="bad checkpoint"):
        call_command("record_access_log_verification")
    last = AccessLogVerification.objects.latest()
    assert not last.ok and last.breaks == 1 and "line 2" in last.first_break
    client.force_login(world.users["admin"])
    response = client.get("/healthz")
    assert response.status_code == 503
    verification = response.json()["checks"]["access_log_verification"]
    assert verification["ok"] is False and verification["result"] == "broken"
    assert verification["breaks"] == 1


def test_unapplied_migrations_fail_the_check(monkeypatch, world):
    class Unmigrated:
        def __init__(self, connection: object) -> None:
            self.loader = type("Loader", (), {"graph": type(
                "Graph", (), {"leaf_nodes": staticmethod(lambda: [])})()})()

        def migration_plan(self, targets: object) -> list[tuple[object, bool]]:
            migration = type("Migration", (), {"app_label": "people", "name": "0099_next"})
            return [(migration, False)]

    monkeypatch.setattr(health, "_migrated", False)
    monkeypatch.setattr(health, "MigrationExecutor", Unmigrated)
    check = health.migrations_applied()
    assert not check.ok and check.detail == {"unapplied": 1, "first": "people.0099_next"}


def test_an_unverified_administrator_sees_liveness_only(client, world, settings):
    settings.IOM_REQUIRE_2FA = True
    client.force_login(world.users["admin"])
    assert client.get("/healthz").json() == {"status": "ok"}


def test_health_report_command_exits_non_zero_when_failing(world, checkpoint_dir, capsys):
    with pytest.raises(CommandError, match="Failing: worker, nightly_scores"):
        call_command("health_report")
    assert json.loads(capsys.readouterr().out)["status"] == "failing"
    _everything_running()
    call_command("health_report")
    assert json.loads(capsys.readouterr().out)["status"] == "ok"
