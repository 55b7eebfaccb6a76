"""The service's health, for ``/healthz`` and ``manage.py health_report`` (docs/deploy.md).

Every check reads counts, ages and states only: nothing here names a person, a user or
what any record says, so the detail can go to a monitoring system as it is.

- database: a ``SELECT 1`` answers;
- migrations: every migration the code ships is applied;
- worker: the background worker's newest heartbeat (iom/feeds/worker.py) is recent;
- nightly_scores: the newest nightly scoring run (ScoreRun, kind "nightly") finished
  recently;
- access_log_checkpoint: the newest signed checkpoint in the checkpoint file
  (iom/audit/checkpoints.py) is recent;
- access_log_verification: the newest ``record_access_log_verification`` run found the
  log intact against its checkpoints, recently.

How recent each must be comes from settings (IOM_HEALTH_*), chosen to fit the timers in
deploy/ with room for one late or missed run.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from iom.audit.checkpoints import default_path

# Once every migration was found applied, this process's code stays migrated: the plan
# (slow to build) is not worked out again.
_migrated = False


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, **self.detail}


def _age(moment: datetime | None, now: datetime) -> float | None:
    return None if moment is None else round((now - moment).total_seconds(), 1)


def database_reachable() -> Check:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        # The class only: a driver's message may quote connection details.
        return Check("database", False, {"error": type(exc).__name__})
    return Check("database", True, {"seconds": round(time.perf_counter() - started, 4)})


def migrations_applied() -> Check:
    global _migrated  # noqa: PLW0603 - a per-process memo of a fact that cannot go back
    if not _migrated:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            names = sorted(f"{m.app_label}.{m.name}" for m, _ in plan)
            return Check("migrations", False, {"unapplied": len(names), "first": names[0]})
        _migrated = True
    return Check("migrations", True, {"unapplied": 0})


def worker_heartbeat(now: datetime) -> Check:
    from iom.feeds.models import WorkerBeat

    newest = WorkerBeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    age = _age(newest, now)
    limit = settings.IOM_HEALTH_WORKER_SECONDS
    return Check("worker", age is not None and age <= limit,
                 {"heartbeat_age_seconds": age, "limit_seconds": limit,
                  "workers": WorkerBeat.objects.filter(
                      beat_at__gte=now - timedelta(seconds=limit)).count()})


def nightly_run(now: datetime) -> Check:
    from iom.scoring.models import ScoreRun

    run = (ScoreRun.objects.filter(kind="nightly", finished_at__isnull=False)
           .order_by("-finished_at").values("finished_at", "as_at", "people").first())
    limit = settings.IOM_HEALTH_NIGHTLY_HOURS * 3600
    if run is None:
        return Check("nightly_scores", False, {"age_seconds": None, "limit_seconds": limit})
    age = _age(run["finished_at"], now)
    return Check("nightly_scores", age is not None and age <= limit,
                 {"age_seconds": age, "limit_seconds": limit,
                  "as_at": run["as_at"].isoformat(), "people": run["people"]})


def _last_line(path: Path, *, window: int = 65536) -> str | None:
    """The file's last non-blank line, read from its end (the file only grows)."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - window))
            tail = handle.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None
    lines = [line for line in tail.splitlines() if line.strip()]
    return lines[-1] if lines else None


def access_log_checkpoint(now: datetime) -> Check:
    """The newest checkpoint's age. Its signature is checked by the verification."""
    path = default_path()
    limit = settings.IOM_HEALTH_CHECKPOINT_MINUTES * 60
    line = _last_line(path)
    if line is None:
        return Check("access_log_checkpoint", False,
                     {"age_seconds": None, "limit_seconds": limit, "file": str(path)})
    try:
        at = datetime.fromisoformat(json.loads(line)["at"])
    except (ValueError, KeyError, TypeError):
        return Check("access_log_checkpoint", False,
                     {"age_seconds": None, "limit_seconds": limit, "file": str(path),
                      "error": "the last line is not a checkpoint"})
    age = _age(at, now)
    return Check("access_log_checkpoint", age is not None and age <= limit,
                 {"age_seconds": age, "limit_seconds": limit, "file": str(path)})


def access_log_verification(now: datetime) -> Check:
    from .models import AccessLogVerification

    last = AccessLogVerification.objects.order_by("-checked_at").first()
    limit = settings.IOM_HEALTH_VERIFICATION_HOURS * 3600
    if last is None:
        return Check("access_log_verification", False,
                     {"age_seconds": None, "limit_seconds": limit, "result": None})
    age = _age(last.checked_at, now)
    detail: dict[str, Any] = {
        "age_seconds": age, "limit_seconds": limit,
        "result": "intact" if last.ok else "broken", "entries": last.entries,
        "checkpoints": last.checkpoints, "breaks": last.breaks}
    if last.first_break:
        detail["first_break"] = last.first_break
    return Check("access_log_verification", last.ok and age is not None and age <= limit,
                 detail)


def liveness() -> Check:
    return database_reachable()


def full_report(*, now: datetime | None = None) -> dict[str, Any]:
    """Every check; the later ones are skipped when the database does not answer."""
    now = now or timezone.now()
    database = database_reachable()
    checks = [database]
    if database.ok:
        try:
            checks += [migrations_applied(), worker_heartbeat(now), nightly_run(now),
                       access_log_checkpoint(now), access_log_verification(now)]
        except DatabaseError as exc:
            checks.append(Check("database", False, {"error": type(exc).__name__}))
    ok = all(check.ok for check in checks)
    return {"status": "ok" if ok else "failing", "checked_at": now.isoformat(),
            "checks": {check.name: check.as_dict() for check in checks}}
