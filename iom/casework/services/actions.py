"""Actions: raising them (from a meeting, a plan, an alert or a review), their
updates and their result."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from iom.accounts.models import Organisation, User
from iom.audit.models import Action as LogAction
from iom.core.errors import DomainError
from iom.governance import policy
from iom.people.models import Nominal

from ..models import Action, ActionPriority, ActionStatus, ActionUpdate, SourceKind
from .base import logged, not_in_future, required_text, today


def _check_owner(nominal: Nominal, owner_user: User | None,
                 owner_organisation: Organisation | None) -> None:
    if (owner_user is None) == (owner_organisation is None):
        raise DomainError.on_field("owner", "Choose one owner: a person or an organisation.")
    if owner_user is not None and not policy.sees_nominal(owner_user)(nominal):
        raise DomainError.on_field(
            "owner", "That user cannot see this person, so cannot own an action about them.")
    if (owner_organisation is not None
            and not policy.organisation_sees_nominal(owner_organisation, nominal)):
        raise DomainError.on_field(
            "owner", "That organisation cannot see this person (no statutory power, or no "
                     "consent and involvement), so cannot own an action about them.")


def _check_choices(priority: str, source_kind: str) -> None:
    if priority not in ActionPriority.values:
        raise DomainError.on_field("priority", "Choose a priority.")
    if source_kind not in SourceKind.values:
        raise DomainError.on_field("source_kind", "Choose where the action came from.")


@transaction.atomic
def create_action(*, nominal: Nominal, title: str, owner_user: User | None = None,
                  owner_organisation: Organisation | None = None, due_on: date,
                  priority: str, source_kind: str, source_ref: str, acting_user: User,
                  through: str) -> Action:
    """Raise an action about a person. Other apps (meetings) call this directly."""
    title = required_text("title", title, "what needs to be done")
    _check_choices(priority, source_kind)
    _check_owner(nominal, owner_user, owner_organisation)
    if due_on < today():
        raise DomainError.on_field("due_on", "The due date cannot be in the past.")
    action = Action.objects.create(
        nominal=nominal, title=title[:200], owner_user=owner_user,
        owner_organisation=owner_organisation, due_on=due_on, priority=priority,
        source_kind=source_kind, source_ref=str(source_ref)[:60], created_by=acting_user)
    logged(user=acting_user, through=through, nominal_id=nominal.pk, kind="action",
           record_id=action.pk, event="action raised",
           detail={"new": {"owner": action.owner_label, "due_on": str(due_on),
                           "priority": priority, "source": f"{source_kind}:{source_ref}"}})
    return action


def _locked_open(action: Action) -> Action:
    current = Action.objects.select_for_update().get(pk=action.pk)
    if not current.is_open:
        raise DomainError(message=f"This action is already {current.get_status_display()}.",
                          code="closed")
    return current


@transaction.atomic
def add_action_update(*, action: Action, note: str, acting_user: User,
                      through: str) -> ActionUpdate:
    note = required_text("note", note, "the update")
    _locked_open(action)
    update = ActionUpdate.objects.create(action=action, note=note, recorded_by=acting_user)
    logged(user=acting_user, through=through, nominal_id=action.nominal_id, kind="action",
           record_id=action.pk, event="action updated", action=LogAction.UPDATE,
           detail={"update_id": update.pk})
    return update


@transaction.atomic
def close_action(*, action: Action, result: str, closed_on: date, cancelled: bool = False,
                 acting_user: User, through: str) -> Action:
    """Record the result of an action, done or cancelled."""
    result = required_text("result", result, "the result")
    not_in_future("closed_on", closed_on, "The date")
    current = _locked_open(action)
    current.status = ActionStatus.CANCELLED if cancelled else ActionStatus.DONE
    current.result, current.closed_on = result, closed_on
    current.save(update_fields=["status", "result", "closed_on"])
    logged(user=acting_user, through=through, nominal_id=current.nominal_id, kind="action",
           record_id=current.pk, event="action closed", action=LogAction.UPDATE,
           detail={"old": {"status": ActionStatus.OPEN.value},
                   "new": {"status": current.status, "closed_on": str(closed_on)}})
    return current
