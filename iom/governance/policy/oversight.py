"""The rules of those who oversee rather than manage people: the access log and the
people's records for data-protection officers, figures for analysts, feed imports,
administration, impact and the board pack, retention review and subject access
(rules 1 and 8, listed in ``iom/governance/policy/__init__.py``).
"""

from __future__ import annotations

from django.db.models import QuerySet

from iom.accounts.models import OrganisationKind, Role, User
from iom.core.errors import NotFound
from iom.core.lookup import one_visible
from iom.people.models import Nominal

from ..models import SubjectAccessRequest
from .people import SYSTEM_SIGHT, Sight, is_casework_user, nominals_visible_to, sight_of


def can_read_access_log(user: User) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.DATA_PROTECTION_OFFICER
        and user.organisation_id is not None
    )


def access_nominal_for_audit(user: User, nominal_id: int | str) -> Nominal:
    """A data-protection officer sees the access history of anyone in their partnership."""
    if not can_read_access_log(user):
        raise NotFound
    assert user.organisation is not None
    return one_visible(Nominal.objects.filter(
        partnership_id=user.organisation.partnership_id), nominal_id)


def nominals_for_audit(user: User) -> QuerySet[Nominal]:
    if not can_read_access_log(user):
        return Nominal.objects.none()
    assert user.organisation is not None
    return Nominal.objects.filter(partnership_id=user.organisation.partnership_id)


def can_read_figures(user: User) -> bool:
    """Counts without names: an analyst, and every case worker, of an active organisation."""
    return is_casework_user(user) or bool(
        user.is_authenticated and user.is_active and user.role == Role.ANALYST
        and user.organisation is not None and user.organisation.active)


def nominals_for_figures(user: User) -> QuerySet[Nominal]:
    """The people counted in the figures a user reads: for an analyst, everyone in the
    partnership (the page shows counts only, never a name or an id); for a case worker,
    the people they may see, so that a count never tells them of anyone else."""
    if is_casework_user(user):
        return nominals_visible_to(user)
    if not can_read_figures(user):
        return Nominal.objects.none()
    assert user.organisation is not None
    return Nominal.objects.filter(partnership_id=user.organisation.partnership_id)


def can_import_feeds(user: User) -> bool:
    """IOM coordinators of a statutory organisation upload daily feeds and read the runs."""
    return (is_casework_user(user) and user.role == Role.COORDINATOR
            and bool(user.organisation and user.organisation.is_statutory))


def can_administer(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.ADMIN)


# Who reads the partnership's impact measures (aggregated, small numbers suppressed).
IMPACT_ROLES = frozenset({Role.ANALYST, Role.COORDINATOR, Role.SUPERVISOR})


def _active_in_organisation(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.organisation is not None
                and user.organisation.active)


def can_view_impact(user: User) -> bool:
    """The impact dashboard: analysts, coordinators and supervisors, for their own
    partnership, in aggregates only (iom/reporting)."""
    return _active_in_organisation(user) and user.role in IMPACT_ROLES


def can_view_board_pack(user: User) -> bool:
    """The suppressed board pack: those who see the dashboard, and board members."""
    return can_view_impact(user) or (_active_in_organisation(user)
                                     and user.role == Role.BOARD_MEMBER)
# Information governance: who reviews retention (000 ISA s8) ----------------------------
# Kept apart from the rules above so that changes to either merge cleanly.


def can_review_retention(user: User) -> bool:
    """The data-protection officer, and the police lead (a police IOM coordinator),
    review whose records are kept (MoPI review)."""
    if can_read_access_log(user):
        return True
    return bool(is_casework_user(user) and user.role == Role.COORDINATOR
                and user.organisation is not None
                and user.organisation.kind == OrganisationKind.POLICE)


def nominals_for_retention(user: User) -> QuerySet[Nominal]:
    if not can_review_retention(user):
        return Nominal.objects.none()
    assert user.organisation is not None
    return Nominal.objects.filter(partnership_id=user.organisation.partnership_id)


# Information governance: subject access (DPA 2018 Part 3 s45) --------------------------
# Rule 8. A data-protection officer answering a subject access request must see
# everything held on the person to decide what to disclose and what to withhold
# (s45(4)), intelligence and public protection records included. So while a request
# of their partnership is open, the DPO's sight of that person (and only that
# person) is full; once the request is marked answered it ends. Every page and
# download that uses it logs SUBJECT_ACCESS_SIGHT as its reason.

SUBJECT_ACCESS_SIGHT = ("Subject access request (DPA 2018 s45): the data-protection officer "
                        "sees everything held on the person while the request is open")
NO_SIGHT = Sight(intelligence=False, public_protection=False)


def open_subject_access(user: User, nominal: Nominal | int) -> bool:
    """Whether the user is a DPO with an open subject access request for the person."""
    from ..models import RequestState

    if not can_read_access_log(user):
        return False
    assert user.organisation is not None
    nominal_id = nominal if isinstance(nominal, int) else nominal.pk
    return SubjectAccessRequest.objects.filter(
        nominal_id=nominal_id, state=RequestState.OPEN,
        nominal__partnership_id=user.organisation.partnership_id).exists()


def subject_access_sight(user: User, nominal: Nominal | int) -> Sight:
    """The sight a reader has of one person: full for a DPO with an open subject access
    request for them (rule 8), else the reader's own sight (rules 4 and 5)."""
    if open_subject_access(user, nominal):
        return SYSTEM_SIGHT
    return sight_of(user)


def access_subject_access_request(user: User, request_id: int | str) -> SubjectAccessRequest:
    """A subject access request of the DPO's partnership; NotFound for anyone else."""
    if not can_read_access_log(user):
        raise NotFound
    assert user.organisation is not None
    return one_visible(SubjectAccessRequest.objects.filter(
        nominal__partnership_id=user.organisation.partnership_id).select_related("nominal"),
        request_id)
