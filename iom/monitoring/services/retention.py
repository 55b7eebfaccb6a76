"""Location fixes are personal data kept outside the database (ADR 0010): each
partnership's day files older than ``IOM_LOCATION_FIX_RETENTION_DAYS`` are removed.

The cutoff is today (the local date, as every other date rule) minus the days; a day
file whose UTC day is on or after the cutoff is kept, one before it goes. A dry run
reports the days and their fixes and removes nothing. Each partnership's removal
holds the same row lock as an import of fixes (services/fixes.py), so an import under
way cannot write back a day being removed. It leaves one access-log entry naming the
days and how many fixes each held, and, as removing a wearer's fixes changes their
data, one entry for each wearer whose fixes went (the days and their fixes; the
fittings say whose a fix is, as on the trail page).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction

from iom.accounts.models import Partnership
from iom.audit.models import Action
from iom.audit.services import RecordRef, record_access

from .. import fixstore
from .base import today as local_today
from .fixes import fixes_by_wearer

THROUGH = "location fix retention"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FixDay:
    """One partnership's day file of fixes: the day and how many fixes it holds."""

    partnership_id: int
    day: date
    fixes: int


def cutoff(today: date | None = None) -> date:
    """The first day kept: today minus ``IOM_LOCATION_FIX_RETENTION_DAYS``."""
    return (today or local_today()) - timedelta(days=settings.IOM_LOCATION_FIX_RETENTION_DAYS)


def expired_days(*, today: date | None = None) -> list[FixDay]:
    """Every day file before the cutoff, by partnership and day."""
    first_kept = cutoff(today)
    return [FixDay(partnership_id, day, fixstore.count_day(partnership_id, day))
            for partnership_id in fixstore.partnerships()
            for day in fixstore.stored_days(partnership_id) if day < first_kept]


def clear_location_fixes(*, dry_run: bool = False, today: date | None = None,
                         through: str = THROUGH) -> list[FixDay]:
    """Remove the day files before the cutoff (a dry run only lists them); return the
    days removed, or those that would be."""
    first_kept = cutoff(today)
    due = expired_days(today=today)
    if dry_run:
        return due
    removed: list[FixDay] = []
    for partnership_id in sorted({d.partnership_id for d in due}):
        removed += _clear_partnership(partnership_id, first_kept, through)
    return removed


def _clear_partnership(partnership_id: int, first_kept: date, through: str) -> list[FixDay]:
    with transaction.atomic():
        # The lock an import of fixes takes: none is reading and writing back a day now.
        Partnership.objects.select_for_update().filter(pk=partnership_id).first()
        removed = []
        wearers: dict[int, list[tuple[date, int]]] = {}
        for day in fixstore.stored_days(partnership_id):
            if day >= first_kept:
                continue
            frame = fixstore.read_day(partnership_id, day)
            owners = fixes_by_wearer(frame, partnership_id)
            try:
                fixstore.remove_day(partnership_id, day)
            except OSError:
                logger.warning("Could not delete the fixes of partnership %s on %s",
                               partnership_id, day, exc_info=True)
                continue
            removed.append(FixDay(partnership_id, day, frame.height))
            for nominal_id, count in owners.items():
                wearers.setdefault(nominal_id, []).append((day, count))
        days = settings.IOM_LOCATION_FIX_RETENTION_DAYS
        for nominal_id, theirs in sorted(wearers.items()):
            record_access(
                user=None, action=Action.DELETE, through=through, nominal_id=nominal_id,
                records=[RecordRef("nominal", nominal_id)],
                reason=f"Location fixes kept longer than {days} days",
                detail={"event": "location fixes removed", "kept_from": first_kept.isoformat(),
                        "retention_days": days, "fixes": sum(n for _, n in theirs),
                        "days": [{"day": d.isoformat(), "fixes": n} for d, n in theirs]})
        if removed:
            record_access(
                user=None, action=Action.DELETE, through=through,
                records=[RecordRef("partnership", partnership_id)],
                reason=f"Location fixes kept longer than {days} days",
                detail={"event": "location fixes removed", "kept_from": first_kept.isoformat(),
                        "retention_days": days, "fixes": sum(d.fixes for d in removed),
                        "days": [{"day": d.day.isoformat(), "fixes": d.fixes}
                                 for d in removed]})
    return removed
