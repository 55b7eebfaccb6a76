"""What a case worker may do about a person they may see: the case work of rules 7 and
9 to 11 (listed in ``iom/governance/policy/__init__.py``). The apps' selectors load a
meeting, an item, an action or a case and ask these; none decides for itself.

This module imports no model of the apps above governance: a decision takes the user
and the plain facts of the record (its owners, the scheme's deciding agencies).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Protocol

from django.conf import settings
from django.db.models import QuerySet

from iom.accounts.models import Organisation, OrganisationKind, Role, User
from iom.core.errors import Forbidden
from iom.people.models import Nominal

from .people import (
    access_nominal,
    is_casework_user,
    is_statutory_case_worker,
    nominals_visible_to_organisation,
    partner_organisations,
)

# Rule 9: the work only statutory partners do ---------------------------------------


def require_statutory_case_worker(user: User, doing: str) -> None:
    """Forbidden, "Only statutory partners <doing>.", for anyone but a statutory case
    worker: they alone arrange and run meetings, manage the cohort, write plans and
    produce documents (``is_statutory_case_worker``). ``doing`` is the caller's words
    for the work refused, such as "arrange and run meetings"."""
    if not is_statutory_case_worker(user):
        raise Forbidden(f"Only statutory partners {doing}.")


def may_refer_as(user: User, organisation_id: int) -> bool:
    """Any case worker refers a person they may see: a statutory partner's as any
    organisation of the partnership, a non-statutory partner's only as their own."""
    return user.organisation is not None and (user.organisation.is_statutory
                                              or organisation_id == user.organisation.pk)


def referring_organisations(user: User) -> QuerySet[Organisation]:
    """The organisations the user may name as referring (``may_refer_as``)."""
    partners = partner_organisations(user)
    if user.organisation is None or user.organisation.is_statutory:
        return partners
    return partners.filter(pk=user.organisation.pk)


def is_statutory_case_worker_of(user: User, kinds: Iterable[str]) -> bool:
    """A statutory case worker of an organisation of one of these kinds: a scheme's
    deciding agencies change a case's team and hand it to the prison hub (001 s8)."""
    return (is_statutory_case_worker(user) and user.organisation is not None
            and user.organisation.kind in set(kinds))


# Rule 10: meetings -------------------------------------------------------------------


class MeetingReach(Enum):
    """Which of their partnership's meetings a user sees."""

    NONE = "none"
    PARTNERSHIP = "partnership"  # every meeting of their partnership
    ATTENDED = "attended"  # only the meetings they are listed to attend


def meeting_reach(user: User) -> MeetingReach:
    """Statutory case workers see every meeting of their partnership; a non-statutory
    partner's case worker only those they attend; anyone else none. Within a meeting an
    item about a person is for those who may see the person and whose organisation is
    not shut out of it (000 ISA s10; ``nominals_visible_to_organisation``)."""
    if not is_casework_user(user):
        return MeetingReach.NONE
    assert user.organisation is not None
    return MeetingReach.PARTNERSHIP if user.organisation.is_statutory else MeetingReach.ATTENDED


def may_record_signature(user: User, attendee_id: int | None) -> bool:
    """Attendees sign the confidentiality statement themselves; a statutory partner
    (the chair) records a signature given on paper (000 ISA Appendix A)."""
    return attendee_id == user.pk or is_statutory_case_worker(user)


# Rule 11: actions and who may own them -----------------------------------------------

SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.COORDINATOR})


class Owned(Protocol):
    """An action as this rule sees it: its owning user and organisation."""

    @property
    def owner_user_id(self) -> int | None: ...

    @property
    def owner_organisation_id(self) -> int | None: ...


def organisation_sees_nominal(organisation: Organisation, nominal: Nominal) -> bool:
    """Whether the organisation's case workers may see the person, so may own an action
    about them or hear their item at a meeting."""
    return nominals_visible_to_organisation(organisation).filter(pk=nominal.pk).exists()


def is_casework_supervisor(user: User) -> bool:
    """Supervisors and coordinators see every action of the people they may see (their
    district's, where they have one); other case workers see their own."""
    return is_casework_user(user) and user.role in SUPERVISING_ROLES


def may_work_action(user: User, action: Owned) -> bool:
    """Owners update their actions; statutory partners may update any they can see.
    Seeing a person's plan, actions and contacts follows ``access_nominal`` exactly, and
    anyone who may see the person records contacts, progress and updates."""
    return (action.owner_user_id == user.pk
            or action.owner_organisation_id == user.organisation_id
            or is_statutory_case_worker(user))


# Rule 7: tags and locations ------------------------------------------------------------


def is_police_case_worker(user: User) -> bool:
    return is_statutory_case_worker(user) and bool(
        user.organisation and user.organisation.kind == OrganisationKind.POLICE)


def can_manage_tags(user: User) -> bool:
    """Statutory case workers keep the tag inventory and record consent and fittings."""
    return is_statutory_case_worker(user)


def can_match_crimes(user: User) -> bool:
    """Police upload crime batches and run matching against every wearer's trail."""
    return is_police_case_worker(user)


def _is_lead_professional(user: User, nominal: Nominal) -> bool:
    # By name, not import: the cohort app depends on this one, not the reverse.
    from django.apps import apps

    membership = apps.get_model("cohorts", "CohortMembership")
    return bool(membership.objects.filter(nominal=nominal, lead_professional=user,
                                          ended_on__isnull=True).exists())


def can_see_locations(user: User, nominal: Nominal) -> bool:
    """Rule 7: whether the user may see this (visible) person's locations."""
    if not is_statutory_case_worker(user):
        return False
    assert user.organisation is not None
    seen_by = set(settings.IOM_LOCATIONS_SEEN_BY)
    return user.organisation.kind in seen_by or (
        "lead_professional" in seen_by and _is_lead_professional(user, nominal))


def access_wearer_locations(user: User, nominal_id: int | str) -> Nominal:
    """The person, if the user may see their tag's locations; NotFound when the person
    is not visible, Forbidden when only the locations are not."""
    nominal = access_nominal(user, nominal_id)
    if not can_see_locations(user, nominal):
        raise Forbidden("Only the police and the person's lead professional can see where "
                        "a tag has been.")
    return nominal
