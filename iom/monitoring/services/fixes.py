"""Importing location fixes: a whole file or nothing, idempotent on (device, time)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
from django.db import transaction

from iom.accounts.models import Partnership, User

from .. import fixstore
from ..models import Fitting, FixImport
from ..parsing import MAX_PROBLEMS, Checked, Unreadable, check_fixes, read_table
from .base import logged, partnership_of

FITTING_PERIOD = pl.Schema({"device_id": pl.String(), "fitted_at": pl.Datetime("us", "UTC"),
                            "removed_at": pl.Datetime("us", "UTC"), "nominal_id": pl.Int64()})


def _inside_fittings(fixes: pl.DataFrame, partnership_id: int) -> pl.DataFrame:
    """Each fix within a fitting of its device: its row number ``at`` and the wearer,
    from the fixes joined to their devices' fitting periods (one join however many
    fittings)."""
    serials = fixes["device_id"].unique().to_list()
    fittings = Fitting.objects.filter(device__partnership_id=partnership_id,
                                      device__serial__in=serials, fitted_at__isnull=False)
    periods = pl.DataFrame(
        list(fittings.values_list("device__serial", "fitted_at", "removed_at", "nominal_id")),
        schema=FITTING_PERIOD, orient="row")
    return (fixes.select("device_id", "fix_time").with_row_index("at")
            .join(periods, on="device_id")
            .filter(pl.col("fix_time") >= pl.col("fitted_at"),
                    pl.col("removed_at").is_null()
                    | (pl.col("fix_time") <= pl.col("removed_at")))
            .select("at", "nominal_id"))


def attributed(fixes: pl.DataFrame, partnership_id: int) -> pl.Series:
    """Whether each fix falls within a fitting of its device (to its wearer)."""
    inside = _inside_fittings(fixes, partnership_id)["at"]
    return pl.repeat(False, fixes.height, eager=True).scatter(inside, True)


def fixes_by_wearer(fixes: pl.DataFrame, partnership_id: int) -> dict[int, int]:
    """How many of the fixes are each wearer's (fixes outside any fitting are no one's)."""
    counted = _inside_fittings(fixes, partnership_id).group_by("nominal_id").len()
    return {int(n): int(c) for n, c in counted.iter_rows()}


def import_fixes(*, data: bytes, file_name: str, acting_user: User,
                 through: str) -> FixImport:
    """Check the whole file; store every fix or none; report each bad row."""
    partnership_id = partnership_of(acting_user)
    record = FixImport(partnership_id=partnership_id, file_name=file_name[:200],
                       uploaded_by=acting_user)
    try:
        checked = check_fixes(read_table(data, file_name))
    except Unreadable as exc:
        return _refused(record, [{"row": 0, "column": "", "reason": str(exc)}], 1, through)
    record.rows = checked.rows.height + _bad_rows(checked)
    if checked.problem_count:
        return _refused(record, [p.as_json() for p in checked.problems],
                        checked.problem_count, through)
    return _store(record, checked, through)


def _bad_rows(checked: Checked) -> int:
    return len({p.row for p in checked.problems}) if checked.problem_count else 0


def _refused(record: FixImport, problems: list[dict[str, object]], count: int,
             through: str) -> FixImport:
    record.problems, record.problem_count, record.accepted = problems[:MAX_PROBLEMS], count, False
    with transaction.atomic():
        record.save()
        logged(user=record.uploaded_by, through=through, nominal_id=None, kind="fix_import",
               record_id=record.pk, event="location fixes refused",
               detail={"new": {"problems": count}})
    return record


def _store(record: FixImport, checked: Checked, through: str) -> FixImport:
    fixes = checked.rows
    record.unattributed = int((~attributed(fixes, record.partnership_id)).sum())
    temporaries: list[tuple[date, Path]] = []
    try:
        with transaction.atomic():
            # One import per partnership at a time: each reads a day's file and writes
            # it back, and the lock is held until the files are in place.
            Partnership.objects.select_for_update().get(pk=record.partnership_id)
            record.accepted = True
            record.save()
            written, record.stored = fixstore.write_days(
                record.partnership_id, fixes.with_columns(
                    pl.lit(record.pk, pl.Int64).alias("import_id")))
            temporaries.extend(written)
            record.duplicates = fixes.height - record.stored
            record.save(update_fields=["stored", "duplicates", "unattributed"])
            logged(user=record.uploaded_by, through=through, nominal_id=None,
                   kind="fix_import", record_id=record.pk, event="location fixes imported",
                   detail={"new": {"rows": record.rows, "stored": record.stored}})
            for day, temporary in temporaries:
                fixstore.commit(record.partnership_id, day, temporary)
    except BaseException:
        fixstore.discard(path for _, path in temporaries)
        raise
    return record
