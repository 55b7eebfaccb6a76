"""The breach and incident register (000 ISA s11) and its 72-hour clock.

A breach is reported to the Information Commissioner within 72 hours of the
controller becoming aware of it, where it is reportable (UK GDPR Art. 33; DPA 2018
s67 for law-enforcement processing). The clock runs from ``discovered_at`` in
whole hours, shown to the DPO until the breach is reported or assessed as not
reportable. The people affected are picked from access-log entries, so the
register names exactly the accesses it is about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from iom.accounts.models import User
from iom.audit.models import AccessLogEntry, Action
from iom.audit.services import RecordRef, record_access
from iom.core.errors import DomainError

from .models import Breach, BreachState

REPORT_WITHIN = timedelta(hours=72)


@dataclass(frozen=True)
class Clock:
    deadline: datetime
    hours_left: int
    state: str  # "running", "overdue", "reported", "not_reportable"


def clock(breach: Breach, now: datetime | None = None) -> Clock:
    now = now or timezone.now()
    deadline = breach.discovered_at + REPORT_WITHIN
    if breach.reported_at is not None:
        return Clock(deadline, 0, "reported")
    if breach.reportable is False:
        return Clock(deadline, 0, "not_reportable")
    left = deadline - now
    hours = int(left.total_seconds() // 3600)
    return Clock(deadline, max(hours, 0), "running" if left.total_seconds() > 0 else "overdue")


@transaction.atomic
def record_breach(*, user: User, summary: str, what_happened: str, discovered_at: datetime,
                  entry_ids: list[int], through: str) -> Breach:
    assert user.organisation is not None
    if discovered_at > timezone.now():
        raise DomainError.on_field("discovered_at", "The discovery cannot be in the future.")
    if not summary.strip():
        raise DomainError.on_field("summary", "Enter a summary of the breach.")
    entries = list(AccessLogEntry.objects.filter(pk__in=entry_ids))
    missing = sorted(set(entry_ids) - {e.pk for e in entries})
    if missing:
        raise DomainError.on_field("entries", f"No access log entry {missing[0]}.")
    people = sorted({e.nominal_id for e in entries if e.nominal_id is not None})
    breach = Breach.objects.create(
        partnership=user.organisation.partnership, summary=summary.strip(),
        what_happened=what_happened.strip(), discovered_at=discovered_at,
        recorded_by=user, entries=sorted(e.pk for e in entries))
    from iom.people.models import Nominal

    breach.people.set(Nominal.objects.filter(
        pk__in=people, partnership_id=user.organisation.partnership_id))
    record_access(user=user, action=Action.CREATE, through=through,
                  records=[RecordRef("breach", breach.pk)],
                  detail={"new": {"summary": breach.summary, "people": len(people),
                                  "entries": len(entries)}})
    return breach


@transaction.atomic
def update_breach(*, breach: Breach, user: User, through: str, containment: str,
                  reportable: bool | None, reportable_reason: str,
                  reported_at: datetime | None, state: str) -> Breach:
    if state not in BreachState.values:
        raise DomainError.on_field("state", f"{state!r} is not a breach state.")
    if reportable is False and len(reportable_reason.strip()) < 10:
        raise DomainError.on_field("reportable_reason", "Say why the breach is not "
                                   "reportable (at least 10 characters).")
    if reported_at and reported_at < breach.discovered_at:
        raise DomainError.on_field("reported_at", "It cannot be reported before it was "
                                   "discovered.")
    breach.containment, breach.reportable = containment.strip(), reportable
    breach.reportable_reason, breach.reported_at = reportable_reason.strip(), reported_at
    breach.state = state
    breach.save()
    record_access(user=user, action=Action.UPDATE, through=through,
                  records=[RecordRef("breach", breach.pk)],
                  detail={"changed": {"state": state, "reportable": reportable,
                                      "reported_at": reported_at}})
    return breach
