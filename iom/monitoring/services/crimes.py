"""Police crime batches (versioned by reference), matching runs and their results."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from iom.accounts.models import User
from iom.audit.models import Action as LogAction
from iom.audit.services import RecordRef, record_access_for_many
from iom.core.errors import DomainError

from .. import fixstore
from ..matching import ALGORITHM_VERSION, Fix, Params, Scene, Verdict, match
from ..models import Crime, CrimeBatch, Fitting, MatchResult, MatchRun, ResultAction
from ..parsing import MAX_PROBLEMS, Unreadable, check_crimes, read_table
from .base import logged, partnership_of, required_text


def import_crimes(*, data: bytes, file_name: str, acting_user: User,
                  through: str) -> CrimeBatch:
    """Check the whole file; keep every crime or none, each as a new version when it
    differs from the latest one kept under its reference."""
    batch = CrimeBatch(partnership_id=partnership_of(acting_user), file_name=file_name[:200],
                       uploaded_by=acting_user)
    try:
        checked = check_crimes(read_table(data, file_name))
    except Unreadable as exc:
        problems, count = [{"row": 0, "column": "", "reason": str(exc)}], 1
    else:
        problems = [p.as_json() for p in checked.problems]
        count = checked.problem_count
        batch.rows = checked.rows.height + len({p.row for p in checked.problems})
    with transaction.atomic():
        batch.accepted = count == 0
        batch.problems, batch.problem_count = problems[:MAX_PROBLEMS], count
        batch.save()
        if batch.accepted:
            batch.entries.set([_version(batch, row) for row in checked.rows.iter_rows(named=True)])
        logged(user=acting_user, through=through, nominal_id=None, kind="crime_batch",
               record_id=batch.pk, event="crime batch " + ("imported" if batch.accepted
                                                          else "refused"),
               detail={"new": {"rows": batch.rows, "problems": count}})
    return batch


def _version(batch: CrimeBatch, row: dict[str, Any]) -> Crime:
    fields = {"crime_type": row["crime_type"], "from_time": row["start"],
              "to_time": row["end"], "latitude": row["latitude"],
              "longitude": row["longitude"]}
    latest = Crime.objects.filter(partnership_id=batch.partnership_id,
                                  crime_ref=row["crime_ref"]).order_by("-version").first()
    if latest is not None and all(getattr(latest, k) == v for k, v in fields.items()):
        return latest
    return Crime.objects.create(partnership_id=batch.partnership_id, batch=batch,
                                crime_ref=row["crime_ref"],
                                version=(latest.version + 1) if latest else 1, **fields)


def _scene(crime: Crime) -> Scene:
    return Scene(crime.crime_ref, crime.from_time.timestamp(), crime.to_time.timestamp(),
                 crime.latitude, crime.longitude)


def trail_of(fitting: Fitting, fixes: pl.DataFrame) -> list[Fix]:
    """The wearer's own fixes: the device's, within the fitting only."""
    assert fitting.device is not None and fitting.fitted_at is not None
    mine = fixes.filter((pl.col("device_id") == fitting.device.serial)
                        & (pl.col("fix_time") >= fitting.fitted_at))
    if fitting.removed_at is not None:
        mine = mine.filter(pl.col("fix_time") <= fitting.removed_at)
    return [Fix(t.timestamp(), lat, lon, acc) for t, lat, lon, acc in
            mine.select("fix_time", "latitude", "longitude", "accuracy_m").iter_rows()]


def _wearers(batch: CrimeBatch, start: datetime, end: datetime) -> list[Fitting]:
    return list(Fitting.objects.filter(
        nominal__partnership_id=batch.partnership_id, fitted_at__isnull=False,
        fitted_at__lte=end).exclude(removed_at__lt=start).select_related("device"))


@transaction.atomic
def run_matching(*, batch: CrimeBatch, radius_m: float, pad_minutes: int, max_gap_minutes: int,
                 acting_user: User, through: str) -> MatchRun:
    """Match every crime of the batch against every wearer active in its window."""
    if not batch.accepted:
        raise DomainError(message="Only an imported batch can be matched.", code="refused")
    if not 1 <= radius_m <= 5000:
        raise DomainError.on_field("radius_m", "Enter a radius from 1 to 5,000 metres.")
    params = Params(radius_m=radius_m, pad_s=60.0 * pad_minutes, max_gap_s=60.0 * max_gap_minutes)
    crimes = list(batch.entries.all())
    run = MatchRun.objects.create(batch=batch, run_by=acting_user, radius_m=radius_m,
                                  pad_minutes=pad_minutes, max_gap_minutes=max_gap_minutes,
                                  algorithm_version=ALGORITHM_VERSION)
    if crimes:
        _store_results(run, crimes, params)
    logged(user=acting_user, through=through, nominal_id=None, kind="match_run",
           record_id=run.pk, event="crime matching run",
           detail={"new": {"batch": batch.pk, "radius_m": radius_m, "pad": pad_minutes,
                           "max_gap": max_gap_minutes, "algorithm": ALGORITHM_VERSION}})
    return run


def _store_results(run: MatchRun, crimes: Sequence[Crime], params: Params) -> None:
    reach = timedelta(seconds=params.pad_s + params.max_gap_s)
    start = min(c.from_time for c in crimes) - reach
    end = max(c.to_time for c in crimes) + reach
    wearers = {str(f.pk): f for f in _wearers(run.batch, start, end)}
    fixes = fixstore.read_window(run.batch.partnership_id, start, end,
                                 {f.device.serial for f in wearers.values() if f.device})
    trails = {key: trail_of(f, fixes) for key, f in wearers.items()}
    active = {key: (f.fitted_at.timestamp(), f.removed_at.timestamp() if f.removed_at else None)
              for key, f in wearers.items() if f.fitted_at}
    by_ref = {c.crime_ref: c for c in crimes}
    rows = [_result(run, by_ref[ref], wearers[key], verdict)
            for ref, key, verdict in match([_scene(c) for c in crimes], trails, params, active)]
    MatchResult.objects.bulk_create(rows)
    touched = sorted({r.fitting.nominal_id for r in rows})
    record_access_for_many(user=run.run_by, action=LogAction.VIEW, through="crime matching",
                           nominal_ids=touched, records=[RecordRef("match_run", run.pk)],
                           reason=f"Crime matching run {run.pk}")


def _time(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def _result(run: MatchRun, crime: Crime, fitting: Fitting, verdict: Verdict) -> MatchResult:
    return MatchResult(run=run, crime=crime, fitting=fitting, outcome=verdict.outcome,
                       nearest_m=verdict.nearest_m, first_time=_time(verdict.first_time),
                       last_time=_time(verdict.last_time), fixes=verdict.fixes,
                       accuracies=list(verdict.accuracies))


@transaction.atomic
def record_result_action(*, result: MatchResult, action: str, reason: str, acting_user: User,
                         through: str) -> MatchResult:
    """What the police did with a placed result: passed on, or discounted with reason."""
    if result.outcome != "placed":
        raise DomainError(message="Only a placed result is acted on.", code="not_placed")
    if action not in ResultAction.values:
        raise DomainError.on_field("action", "Choose what was done with the result.")
    if action == ResultAction.DISCOUNTED:
        reason = required_text("reason", reason, "why the result was discounted")
    result.action, result.action_reason = action, reason.strip()[:400]
    result.action_by, result.action_at = acting_user, timezone.now()
    result.save(update_fields=["action", "action_reason", "action_by", "action_at"])
    logged(user=acting_user, through=through, nominal_id=result.fitting.nominal_id,
           kind="match_result", record_id=result.pk, event="match result acted on",
           action=LogAction.UPDATE, detail={"new": {"action": action}})
    return result
