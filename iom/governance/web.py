"""The access policy as the web and API layers use it: reasons and read logging."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from iom.accounts.models import User
from iom.audit.models import Action
from iom.audit.services import RecordRef, record_access, record_access_for_many
from iom.core.context import stated_reason, through_of
from iom.core.errors import Forbidden, NotFound, ReasonRequired
from iom.people.models import Nominal

from . import policy

# through_of and stated_reason are the request's channel and stated reason as
# the edge set them (iom.core.context): the one way every page and API
# operation reads them, offered here beside the rest of the web helpers.
__all__ = ["MIN_REASON_LENGTH", "SESSION_KEY", "casework_only", "log_export", "log_read",
           "person_for_view",
           "reason_for", "remember_reason", "stated_reason", "stored_reason", "through_of"]

SESSION_KEY = "iom_access_reasons"
MIN_REASON_LENGTH = 10


def stored_reason(request: HttpRequest, nominal_id: int) -> str | None:
    """The reason this session gave for viewing the person, while it lasts."""
    reasons: dict[str, Any] = request.session.get(SESSION_KEY, {})
    found = reasons.get(str(nominal_id))
    if not found:
        return None
    if datetime.fromisoformat(found["until"]) < timezone.now():
        return None
    return str(found["reason"])


def remember_reason(request: HttpRequest, nominal_id: int, reason: str) -> None:
    until = timezone.now() + timedelta(minutes=settings.IOM_ACCESS_REASON_MINUTES)
    reasons = dict(request.session.get(SESSION_KEY, {}))
    reasons[str(nominal_id)] = {"reason": reason, "until": until.isoformat()}
    request.session[SESSION_KEY] = reasons


def reason_for(user: User, nominal: Nominal, given: str | None) -> str:
    """The justification for this access: caseload, or the reason the user gave.

    Raises ReasonRequired when the person is not on the user's caseload and
    no reason was given.
    """
    if policy.is_on_caseload(user, nominal):
        return "On own caseload"
    if given and len(given.strip()) >= MIN_REASON_LENGTH:
        return given.strip()
    raise ReasonRequired(nominal.pk)


def person_for_view(request: HttpRequest, nominal_id: int | str) -> tuple[Nominal, str]:
    """First line of every person page: the person and the justification.

    Raises NotFound (absent or not visible) or ReasonRequired.
    """
    user: User = request.user  # type: ignore[assignment]
    nominal = policy.access_nominal(user, nominal_id)
    return nominal, reason_for(user, nominal, stored_reason(request, nominal.pk))


def log_read(
    *,
    user: User,
    nominal: Nominal | None,
    through: str,
    records: Sequence[RecordRef] = (),
    reason: str = "",
    action: Action = Action.VIEW,
    detail: dict[str, Any] | None = None,
) -> None:
    record_access(
        user=user,
        action=action,
        through=through,
        nominal_id=nominal.pk if nominal else None,
        records=records,
        reason=reason,
        detail=detail,
    )


def log_export(*, user: User, nominal_ids: Sequence[int], through: str, what: str, fmt: str,
               detail: dict[str, Any] | None = None) -> int:
    """A download of a list of people: one entry of kind *export* for each person in it,
    naming the list and the format (docs/adr/0014-spreadsheet-downloads.md)."""
    return record_access_for_many(
        user=user, action=Action.EXPORT, through=through, nominal_ids=sorted(set(nominal_ids)),
        detail={"list": what, "format": fmt, "people": len(set(nominal_ids)), **(detail or {})})


View = Callable[..., HttpResponse]


def casework_only(view: View) -> View:
    """Pages about named people are for case-work roles only."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policy.is_casework_user(request.user):  # type: ignore[arg-type]
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc
        except ReasonRequired as exc:
            target = reverse("people:reason", args=[exc.nominal_id])
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        except Forbidden as exc:
            return render(request, "forbidden.html", {"message": str(exc)}, status=403)

    return wrapped
