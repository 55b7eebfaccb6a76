"""Telling the people concerned of a step in a case (001 s8; 003 "Action upon Deselection").

A decision "will then be communicated directly to the Offender Manager" (001 s8)
and "all partners" are to be "aware of the deselection" (003). On selection, a
change of RAG status to RED, the notice of deselection and exit, each person
working with the case gets a notice in their inbox (the governance notices, one
inbox for everything) and, when ``IOM_LIFECYCLE_EMAILS`` is on, an e-mail that
names nobody.

Who is told: the lead professional, the police officer, the prison offender
manager, and everyone holding the person on their caseload, except the user
who recorded the step. Each must still have sight of the person under the
access policy: a partner whose consent was withdrawn, or who is no longer
involved, gets no notice. A notice keeps structured codes only (``facts``);
``notice_words.py`` words it for each reader from their own sight.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q

from iom.accounts.models import User
from iom.audit.models import Action
from iom.audit.services import RecordRef
from iom.cohorts.lifecycle.services.base import log
from iom.cohorts.models import CohortMembership
from iom.cohorts.policy.schemes import scheme_terms
from iom.governance import policy
from iom.governance.models import Notice, NoticeKind
from iom.governance.notices import place_notice
from iom.people.models import Allocation

SUBJECTS: dict[str, str] = {
    NoticeKind.SELECTED: "IOM: a person you work with was selected for the cohort",
    NoticeKind.RAG_RED: "IOM: a person you work with is now RED",
    NoticeKind.DESELECTION: "IOM: a person you work with was told of deselection",
    NoticeKind.EXIT: "IOM: a person you work with left the cohort",
    NoticeKind.YOUTH_TRANSITION: "IOM: plan a young person's move to adult services",
}
# Neutral words kept beside the codes, for a reader with no registered wording.
SUMMARIES: dict[str, str] = {
    NoticeKind.SELECTED: "Selected for the IOM cohort.",
    NoticeKind.RAG_RED: "RAG status changed to RED.",
    NoticeKind.DESELECTION: "Told of deselection.",
    NoticeKind.EXIT: "Left the IOM cohort.",
    NoticeKind.YOUTH_TRANSITION: "Turns 18 soon: plan the move to adult services.",
}


def concerned(case: CohortMembership, on: date, *, leave_out: User | None = None
              ) -> list[User]:
    """The people working with the case who may still see the person, each once."""
    found: dict[int, User] = {}
    for user in (case.lead_professional, case.police_officer, case.prison_offender_manager):
        if user is not None:
            found[user.pk] = user
    held = (Allocation.objects.filter(nominal_id=case.nominal_id, start_date__lte=on)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=on)).select_related("user"))
    for allocation in held:
        found.setdefault(allocation.user.pk, allocation.user)
    return [user for user in found.values()
            if user.is_active and (leave_out is None or user.pk != leave_out.pk)
            and policy.is_casework_user(user) and policy.sees_nominal(user)(case.nominal)]


def tell(case: CohortMembership, kind: str, *, key: str, facts: dict[str, Any],
         acting_user: User | None, through: str, on: date,
         recipients: list[User] | None = None, respond_by: date | None = None) -> int:
    """Place one notice per person concerned (once per key), log it, e-mail if set."""
    terms = scheme_terms(case.policy_name, case.policy_version)
    facts = {"policy": terms.title, "on": on.isoformat(), **facts}
    people = concerned(case, on, leave_out=acting_user) if recipients is None else recipients
    placed: list[Notice] = []
    for user in people:
        notice = Notice(recipient=user, nominal_id=case.nominal_id, kind=kind,
                        recipient_organisation=str(user.organisation or ""),
                        key=f"{kind}:{key}", summary=SUMMARIES[kind], facts=facts,
                        respond_by=respond_by)
        if place_notice(notice):
            placed.append(notice)
    if placed:
        log(user=acting_user, action=Action.CREATE, through=through, case=case,
            why="People concerned told", refs=[RecordRef("notice", n.pk) for n in placed],
            detail={"notice": kind, "recipients": len(placed)})
        transaction.on_commit(lambda: _email(placed))
    return len(placed)


def _email(placed: list[Notice]) -> None:
    """The e-mail names nobody: the reader signs in to read the notice for their sight."""
    if not settings.IOM_LIFECYCLE_EMAILS:
        return
    for notice in placed:
        if notice.recipient.email:
            send_mail(subject=SUBJECTS[notice.kind],
                      message=("There is a new notice in your IOM inbox about a person you "
                               "work with. Sign in and open your notices to read it."),
                      from_email=None, recipient_list=[notice.recipient.email],
                      fail_silently=True)


# The steps that tell ---------------------------------------------------------------


def on_selection(case: CohortMembership, *, user: User | None, through: str,
                 exclusions: list[dict[str, str]]) -> int:
    """Placed on the cohort: who leads, the cohort type, and any exclusion overridden."""
    assert case.placed_on is not None
    return tell(case, NoticeKind.SELECTED, key=f"{case.pk}", on=case.placed_on,
                acting_user=user, through=through, facts={
                    "cohort_type": case.cohort_type_label,
                    "lead_agency": str(case.lead_agency or ""),
                    "lead_professional": (case.lead_professional.display_name
                                          if case.lead_professional else ""),
                    "exclusions": exclusions})


def on_rag(case: CohortMembership, change_pk: int, *, previous: str, rag: str, on: date,
           user: User | None, through: str) -> int:
    """A change to RED (wanted, or actively linked to crime: 000 App C). The reason is
    not copied: it may rest on intelligence, and the reader opens the case to read it."""
    if rag != "red" or previous in ("red", ""):  # at placement the selection notice tells
        return 0
    return tell(case, NoticeKind.RAG_RED, key=f"{change_pk}", on=on, acting_user=user,
                through=through, facts={"previous": previous})


def on_deselection_notice(case: CohortMembership, step_pk: int, *, on: date,
                          exit_from: date | None, user: User | None, through: str) -> int:
    return tell(case, NoticeKind.DESELECTION, key=f"{step_pk}", on=on, acting_user=user,
                through=through,
                facts={"exit_from": exit_from.isoformat() if exit_from else ""})


def on_exit(case: CohortMembership, step_pk: int, *, on: date, monitored: bool,
            user: User | None, through: str, how: str = "exit") -> int:
    """Exit, exit into monitoring, removal for a long custody or a transfer out."""
    return tell(case, NoticeKind.EXIT, key=f"{step_pk}", on=on, acting_user=user,
                through=through, facts={"monitored": monitored, "how": how})
