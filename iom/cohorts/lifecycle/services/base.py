"""The machinery every lifecycle service shares: the optimistic lock, the checks
on dates and reasons, recording a step, and its access-log entry."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from iom.accounts.models import User
from iom.audit.models import Action
from iom.audit.services import RecordRef, record_access
from iom.cohorts import selectors
from iom.cohorts.lifecycle import LEAVING_STEPS, Step, next_state
from iom.cohorts.models import CohortMembership, Transition
from iom.cohorts.policy.rules import SchemeTerms
from iom.core.errors import DomainError, Problems
from iom.people import services as people_services
from iom.people.models import Flag, FlagKind, Nominal

MIN_REASON = 10
STALE = ("This person's cohort record changed since you opened it: someone else saved a "
         "change first. Nothing was saved; check the latest status and try again.")


def claim(membership: CohortMembership, version: int) -> CohortMembership:
    """Take the case for this change if nobody changed it since ``version``.

    The conditional UPDATE is atomic on every database, so of two people who
    saw the same version only the first gets the row; the second is told.
    """
    claimed = CohortMembership.objects.filter(pk=membership.pk, version=version).update(
        version=F("version") + 1, changed_at=timezone.now())
    if not claimed:
        raise DomainError(message=STALE, code="conflict")
    return CohortMembership.objects.select_for_update().select_related("nominal").get(
        pk=membership.pk)


def bump(case: CohortMembership) -> None:
    """A change the system makes by itself still moves the version on."""
    CohortMembership.objects.filter(pk=case.pk).update(version=F("version") + 1,
                                                       changed_at=timezone.now())
    case.version += 1


def open_case(nominal: Nominal, terms: SchemeTerms, state: str, **fields: Any
              ) -> CohortMembership:
    """Create a case; the database keeps it to one open case per person."""
    try:
        with transaction.atomic():
            return CohortMembership.objects.create(
                nominal=nominal, policy_name=terms.name, policy_version=terms.version,
                state=state, **fields)
    except IntegrityError as exc:
        raise DomainError(message=STALE, code="conflict") from exc


def check_day(problems: Problems, name: str, day: date, case: CohortMembership | None,
              nominal: Nominal) -> None:
    if day > timezone.localdate():
        problems.add(name, "The date cannot be in the future.")
    elif day < nominal.date_of_birth:
        problems.add(name, "The date cannot be before the person was born.")
    elif case is not None and day < (last := selectors.last_step_on(case)):
        problems.add(name, f"The date cannot be before the case's last step on "
                           f"{last:%-d %B %Y}.")


def check_reason(problems: Problems, name: str, text: str, what: str = "the reason") -> str:
    text = (text or "").replace("\x00", "").strip()
    if len(text) < MIN_REASON:
        problems.add(name, f"Enter {what} (at least {MIN_REASON} characters).")
    return text


def log(*, user: User | None, action: Action, through: str, case: CohortMembership,
        refs: Iterable[RecordRef], why: str, detail: dict[str, Any]) -> None:
    record_access(user=user, action=action, through=through, nominal_id=case.nominal_id,
                  records=[RecordRef("cohort_case", case.pk), *refs], reason=why,
                  detail=detail)


def move(case: CohortMembership, step: str, *, on: date, reason: str, user: User | None,
         through: str, why: str, detail: dict[str, Any] | None = None,
         changed: Sequence[str] = (), before: str | None = None) -> Transition:
    """Record one step and save the case's new state with the fields it changed.

    ``before`` names the state the step starts from when the case was only
    just created (a referral starts from "not yet referred").
    """
    start = case.state if before is None else before
    case.state = next_state(step, start)
    case.save(update_fields=["state", *changed])
    transition = Transition.objects.create(
        membership=case, step=step, from_state=start, to_state=case.state, decided_on=on,
        reason=reason, decided_by=user, detail=detail or {})
    log(user=user, action=Action.CREATE if before is not None else Action.UPDATE,
        through=through, case=case, why=why, refs=[RecordRef("cohort_step", transition.pk)],
        detail={"step": step, "from": start, "to": case.state, "on": on, "reason": reason,
                "changed": {f: _plain(getattr(case, f)) for f in changed}, **(detail or {})})
    if step in LEAVING_STEPS:
        expire_iom_flags(case, on=on, user=user, through=through, reason=reason)
    return transition


def _plain(value: Any) -> Any:
    return str(value) if hasattr(value, "pk") else value


# A step's own check: adds problems, and may return facts to keep in the step's detail.
Check = Callable[[CohortMembership, Problems], dict[str, Any] | None]


def simple_step(step: str, *, membership: CohortMembership, version: int, on: date,
                reason: str, acting_user: User, through: str, access_reason: str,
                check: Check | None = None, detail: dict[str, Any] | None = None,
                **changes: Any) -> Transition:
    """A step that needs a date, a reason and the step's own check, then changes fields.

    The order of refusals: someone else changed the record; the step is not
    allowed from here; then every problem with the request at once.
    """
    case = claim(membership, version)
    next_state(step, case.state)
    problems = Problems()
    reason = check_reason(problems, "reason", reason)
    check_day(problems, "on", on, case, case.nominal)
    found = check(case, problems) if check is not None else None
    problems.raise_if_any(f"Not recorded: {Step(step).label.lower()}.")
    detail = {**(detail or {}), **(found or {})}
    for field, value in changes.items():
        setattr(case, field, value)
    return move(case, step, on=on, reason=reason, user=acting_user, through=through,
                why=access_reason, detail=detail, changed=list(changes))


def expire_iom_flags(case: CohortMembership, *, on: date, user: User | None, through: str,
                     reason: str) -> None:
    """On leaving the cohort the IOM flag is expired, never deleted (003)."""
    if user is None:
        return
    for flag in Flag.objects.filter(nominal_id=case.nominal_id, kind=FlagKind.IOM,
                                    expired_on__isnull=True):
        people_services.expire_flag(flag=flag, acting_user=user, through=through,
                                    on=max(on, flag.start_date), reason=reason)
