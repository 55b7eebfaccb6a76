"""What every monitoring service shares: the access-log entry and date helpers."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django.utils import timezone

from iom.accounts.models import User
from iom.audit.models import Action as LogAction
from iom.audit.services import RecordRef, record_access
from iom.core.errors import DomainError


def today() -> date:
    return timezone.localdate()


def logged(*, user: User | None, through: str, nominal_id: int | None, kind: str,
           record_id: int, event: str, action: LogAction = LogAction.CREATE,
           detail: dict[str, Any] | None = None) -> None:
    """The access-log entry of a change, written inside the change's transaction."""
    record_access(user=user, action=action, through=through, nominal_id=nominal_id,
                  records=[RecordRef(kind, record_id)], detail={"event": event, **(detail or {})})


def required_text(field: str, text: str, what: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise DomainError.on_field(field, f"Enter {what}.")
    return cleaned


def not_in_future(field: str, day: date, what: str) -> None:
    if day > today():
        raise DomainError.on_field(field, f"{what} cannot be in the future.")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has fewer."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def partnership_of(user: User) -> int:
    if user.partnership_id is None:
        raise DomainError(message="Your account has no partnership.", code="no_partnership")
    return user.partnership_id
