"""The RAG status: changed by people with a reason, and BLUE by itself in custody."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from iom.accounts.models import User
from iom.audit.models import Action
from iom.audit.services import RecordRef
from iom.cohorts import selectors
from iom.cohorts.lifecycle import MANAGED_STATES, Rag
from iom.cohorts.lifecycle.services import tell
from iom.cohorts.lifecycle.services.base import bump, check_day, check_reason, claim, log
from iom.cohorts.models import CohortMembership, RagChange
from iom.core.errors import Problems


@transaction.atomic
def change_rag(*, membership: CohortMembership, version: int, to: str, reason: str, on: date,
               acting_user: User, through: str, access_reason: str = "") -> RagChange:
    """Change the RAG status with a reason (000 App C; BLUE only in custody, 002)."""
    case = claim(membership, version)
    problems = Problems()
    reason = check_reason(problems, "reason", reason)
    check_day(problems, "on", on, case, case.nominal)
    last = case.rag_changes.order_by("-decided_on").values_list("decided_on", flat=True).first()
    if last and on < last:
        problems.add("on", f"The date cannot be before the last RAG change on {last:%-d %B %Y}.")
    if case.state not in MANAGED_STATES:
        problems.add("to", f"Only people on the cohort have a RAG status; this person is "
                           f"{case.get_state_display().lower()}.")
    else:
        _check_rag_move(problems, case, to, on)
    problems.raise_if_any("The RAG status was not changed.")
    return new_rag(case, to, on=on, reason=reason, user=acting_user, through=through,
                   why=access_reason)


def _check_rag_move(problems: Problems, case: CohortMembership, to: str, on: date) -> None:
    in_custody = selectors.custody_on(case.nominal_id, on) is not None
    if to not in Rag.values:
        problems.add("to", "Choose RED, AMBER ALERT, AMBER, GREEN or BLUE.")
    elif to == case.rag:
        problems.add("to", f"The status is already {Rag(to).label}.")
    elif to == Rag.BLUE and not in_custody:
        problems.add("to", "BLUE is only for a person in custody, and no custody is recorded "
                           "on that date.")
    elif to != Rag.BLUE and in_custody:
        problems.add("to", "The person is in custody on that date, so their status stays BLUE "
                           "until release.")


def new_rag(case: CohortMembership, rag: str, *, on: date, reason: str, user: User | None,
            through: str, why: str, automatic: bool = False) -> RagChange:
    change = RagChange.objects.create(membership=case, rag=rag, previous=case.rag,
                                      decided_on=on, reason=reason, decided_by=user,
                                      automatic=automatic)
    previous, case.rag = case.rag, rag
    case.save(update_fields=["rag"])
    log(user=user, action=Action.UPDATE, through=through, case=case, why=why,
        refs=[RecordRef("cohort_rag", change.pk)],
        detail={"changed": {"rag": {"old": previous, "new": rag}}, "on": on, "reason": reason,
                "automatic": automatic})
    tell.on_rag(case, change.pk, previous=previous, rag=rag, on=on, user=user, through=through)
    return change


@transaction.atomic
def apply_custody(*, membership: CohortMembership, on: date, acting_user: User | None,
                  through: str, access_reason: str = "") -> RagChange | None:
    """BLUE while in custody (002): set it when a managed person is inside and not yet BLUE.

    Leaving BLUE after release is a person's decision, made with ``change_rag``.
    """
    case = CohortMembership.objects.select_for_update().get(pk=membership.pk)
    spell = selectors.custody_on(case.nominal_id, on)
    if case.state not in MANAGED_STATES or spell is None or case.rag == Rag.BLUE:
        return None
    bump(case)
    where = f" at {spell.establishment}" if spell.establishment else ""
    last = case.rag_changes.order_by("-decided_on").values_list("decided_on", flat=True).first()
    since = max(spell.start_date, last) if last else spell.start_date
    return new_rag(case, Rag.BLUE, on=since, automatic=True,
                   user=acting_user, through=through, why=access_reason,
                   reason=f"In custody from {spell.start_date:%-d %B %Y}{where}.")
