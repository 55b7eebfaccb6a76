"""The release-planning contact, raised as an action when a case goes to the prison hub.

"Three months prior to release the Prison Hub must contact the relevant district to
discuss the release of an offender and their management on release. It is advised
that a member of the district IOM team attends the relevant prison to conduct a
joint visit" (003 "Imprisoned Offenders"). The cohorts app calls this through
``plan_release_with`` as it records the handover, in the same transaction.
"""

from __future__ import annotations

from typing import Any

from .models import Action, ActionPriority, SourceKind
from .services import create_action


def raise_release_planning(plan: Any) -> Action:
    """One dated action for the prison offender manager, once per case and release date."""
    case = plan.case
    ref = f"case {case.pk} release {plan.release.isoformat()}"
    existing = Action.objects.filter(nominal_id=case.nominal_id, source_kind=SourceKind.CUSTODY,
                                     source_ref=ref).first()
    if existing is not None:
        return existing
    district = (f" ({case.lead_professional.display_name}, {case.lead_agency})"
                if case.lead_professional and case.lead_agency else "")
    return create_action(
        nominal=case.nominal, owner_user=plan.prison_offender_manager, due_on=plan.contact_by,
        title=(f"Contact the district IOM team{district} about release on "
               f"{plan.release:%-d %B %Y}: management on release and a joint prison visit"),
        priority=ActionPriority.HIGH, source_kind=SourceKind.CUSTODY, source_ref=ref,
        acting_user=plan.acting_user, through=plan.through)
