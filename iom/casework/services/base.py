"""What every case-work service shares: the access-log entry and date checks."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from iom.accounts.models import User
from iom.audit.models import Action as LogAction
from iom.audit.services import RecordRef, record_access
from iom.core.errors import DomainError


def today() -> date:
    return timezone.localdate()


def not_in_future(field: str, day: date, what: str) -> None:
    if day > today():
        raise DomainError.on_field(field, f"{what} cannot be in the future.")


def required_text(field: str, text: str, what: str, minimum: int = 1) -> str:
    cleaned = (text or "").strip()
    if len(cleaned) < minimum:
        message = f"Enter {what}." if minimum == 1 else (
            f"Enter {what} (at least {minimum} characters).")
        raise DomainError.on_field(field, message)
    return cleaned


def logged(*, user: User | None, through: str, nominal_id: int | None, kind: str,
           record_id: int, event: str, action: LogAction = LogAction.CREATE,
           detail: dict[str, Any] | None = None, reason: str = "") -> None:
    """The access-log entry of a change, written inside the change's transaction."""
    record_access(user=user, action=action, through=through, nominal_id=nominal_id,
                  records=[RecordRef(kind, record_id)], reason=reason,
                  detail={"event": event, **(detail or {})})
