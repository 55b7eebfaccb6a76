"""The one access policy: who may see and change which person's records, and what may
be done with them.

Every view, API operation, export and selector that touches a person's data
calls a helper from here first, and every decision of who may see or change a person,
a meeting, an item, an action or a case is made here; the apps' selectors only load
records and ask (000 ISA s6, docs/sources.md). Lists are scoped in
the query (``nominals_visible_to``), never filtered afterwards. A person the
user may not see raises ``NotFound``, exactly as a missing id does.

The rules, each a default that docs/architecture.md describes:
1. Only case-work roles see named people. Analysts, data-protection officers,
   board members and administrators work with aggregates, the access log and
   accounts.
2. A statutory partner's users see the people of their own partnership.
3. A non-statutory partner's users see a person only while their organisation
   is involved with them AND the organisation's current consent (or contract)
   record for that person is "given" and unexpired.
4. Police intelligence: police users, or a user holding the named permission
   ``accounts.view_intelligence``.
5. MAPPA and sex-offender registration detail: police and probation users.
6. Viewing a person who is not on one's own caseload needs a stated reason
   (asked for by the web and API layers, see ``iom.governance.web``).
7. A voluntary tag wearer's locations (trail, crime matches): the statutory
   kinds named in ``IOM_LOCATIONS_SEEN_BY`` (police by default) and the
   person's lead professional on an open case; never a non-statutory partner,
   whatever its consent. Crime batches and matching runs: police only.
8. A data-protection officer with an open subject access request for a person
   sees everything held on that person, restricted records included, to answer
   it (``subject_access_sight``); the sight ends when the request is answered.
9. Only statutory case workers arrange and run meetings, manage the cohort
   (decisions, placement, the steps of a case), write plans and produce documents
   (``require_statutory_case_worker``). Any case worker refers a person they may
   see, a non-statutory partner only as its own organisation (``may_refer_as``). A
   case's team changes, and its handover to the prison hub, are for a statutory case
   worker of one of its scheme's deciding agencies (``is_statutory_case_worker_of``).
10. Meetings: statutory case workers see every meeting of their partnership, a
   non-statutory partner's case worker only those they attend (``meeting_reach``);
   an item about a person only for those who may see the person and whose
   organisation is not shut out of it. Attendees sign the confidentiality statement
   themselves, or a statutory partner records it from paper (``may_record_signature``).
11. Actions: a case worker sees the actions of the people they may see, supervisors
   and coordinators those of their district's people (all they may see, without a
   district; ``is_casework_supervisor``), others their own; an action is owned only
   by a user or organisation who may see its person (``organisation_sees_nominal``),
   and updated by its owners or any statutory partner (``may_work_action``).

The policy is one module, asked as ``from iom.governance import policy``, so that a
rule is read, and replaced in a test, as ``policy.<name>`` wherever it is used (ADR
0021): rules 1 to 6 first, then the case work of rules 9 to 11, those who oversee
(the access log, figures, feeds), rule 7, and rules 1 and 8 for administration,
impact, retention and subject access.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Protocol

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from iom.accounts.models import CASEWORK_ROLES, Organisation, OrganisationKind, Role, User
from iom.core.errors import Forbidden, NotFound
from iom.core.lookup import one_visible
from iom.people.models import (
    Allocation,
    Intelligence,
    Nominal,
    PublicProtection,
)

from .models import Consent, ConsentStatus, Involvement, SubjectAccessRequest

RECORD_KINDS_FOR_STATUTORY_WRITE = frozenset(
    {"event", "case_date", "wanted_missing", "custody", "order", "alias", "address", "flag",
     # An OGRS 3 score probation worked out, passed on by any statutory partner (001).
     "supplied_ogrs3"}
)


def _today() -> date:
    return timezone.localdate()


def is_casework_user(user: User) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.organisation is not None
        and user.organisation.active
        and user.role in CASEWORK_ROLES
    )


def nominals_visible_to(user: User) -> QuerySet[Nominal]:
    """Every person the user may see, as a query (rules 1-3)."""
    if not is_casework_user(user):
        return Nominal.objects.none()
    assert user.organisation is not None
    return nominals_visible_to_organisation(user.organisation)


def nominals_visible_to_organisation(organisation: Organisation) -> QuerySet[Nominal]:
    """The people an organisation's case workers may see (rules 2-3).

    Meetings use this to decide which attendees may hear a person's item.
    """
    if not organisation.active:
        return Nominal.objects.none()
    in_partnership = Nominal.objects.filter(partnership_id=organisation.partnership_id)
    if organisation.is_statutory:
        return in_partnership
    today = _today()
    involved = Involvement.objects.filter(
        nominal=OuterRef("pk"), organisation=organisation, start_date__lte=today
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    latest = _decisions(organisation, today).filter(nominal=OuterRef("pk"))
    return (
        in_partnership.filter(Exists(involved))
        .annotate(
            _consent_status=Subquery(latest.values("status")[:1]),
            _consent_expires=Subquery(latest.values("expires_on")[:1]),
        )
        .filter(_consent_status=ConsentStatus.GIVEN)
        .filter(Q(_consent_expires__isnull=True) | Q(_consent_expires__gte=today))
    )


# Consent: the one rule -------------------------------------------------------------
# An organisation's consent decision for a person, as at a day, is its latest one
# decided by then (a later decision, such as a withdrawal, replaces an earlier one).
# It is *current* when it is "given" (by consent or under a contract) and has not
# expired; refused, withdrawn, expired or missing is not current. A person aged 10
# to 17 needs the decision of a parent or guardian where a step asks for one.


def _decisions(organisation: Organisation, on: date) -> QuerySet[Consent]:
    return Consent.objects.filter(organisation=organisation, decided_on__lte=on).order_by(
        "-decided_on", "-id")


def consent_decision(nominal: Nominal, organisation: Organisation,
                     on: date | None = None) -> Consent | None:
    """The organisation's consent decision for the person in force on the day."""
    return _decisions(organisation, on or _today()).filter(nominal=nominal).first()


def is_current_consent(consent: Consent | None, on: date | None = None) -> bool:
    on = on or _today()
    return bool(consent and consent.status == ConsentStatus.GIVEN
                and (consent.expires_on is None or consent.expires_on >= on))


def consent_state_today(consent: Consent) -> str:
    """Given, refused or withdrawn as recorded, or "expired" once a given consent lapses."""
    if consent.status == ConsentStatus.GIVEN and not is_current_consent(consent):
        return "expired"
    return str(consent.status)


def has_current_consent(nominal: Nominal, organisation: Organisation,
                        on: date | None = None) -> bool:
    return is_current_consent(consent_decision(nominal, organisation, on), on)


def sees_nominal(user: User) -> Callable[[Nominal], bool]:
    """Whether the user may see a given person, as the people services ask it."""
    return lambda nominal: nominals_visible_to(user).filter(pk=nominal.pk).exists()


def access_nominal(user: User, nominal_id: int | str) -> Nominal:
    """The person with this id if the user may see them; NotFound otherwise."""
    return one_visible(nominals_visible_to(user), nominal_id)


def is_on_caseload(user: User, nominal: Nominal) -> bool:
    today = _today()
    return (
        Allocation.objects.filter(nominal=nominal, user=user, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .exists()
    )


def caseload_of(user: User) -> QuerySet[Nominal]:
    """The user's own people, within what they may see."""
    today = _today()
    current = Allocation.objects.filter(user=user, start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    return nominals_visible_to(user).filter(pk__in=current.values("nominal_id"))


def can_see_intelligence(user: User) -> bool:
    if not is_casework_user(user):
        return False
    assert user.organisation is not None
    return user.organisation.kind == OrganisationKind.POLICE or user.has_perm(
        "accounts.view_intelligence"
    )


def can_see_public_protection(user: User) -> bool:
    if not is_casework_user(user):
        return False
    assert user.organisation is not None
    return user.organisation.kind in {OrganisationKind.POLICE, OrganisationKind.PROBATION}


@dataclass(frozen=True)
class Sight:
    """Which restricted kinds of a person's records a reader may see (rules 4 and 5).

    Everything shown to a reader (a page, a score's working, an agenda note, a
    document, an export, an alert) is built from the records loaded for their
    sight, never from records loaded in general; text about restricted records
    is rendered for each reader from what their sight allows, never stored.
    """

    intelligence: bool
    public_protection: bool

    @property
    def is_full(self) -> bool:
        return self.intelligence and self.public_protection

    def covers(self, other: Sight) -> bool:
        """Whether this reader may see everything a reader with ``other`` sight may."""
        return (self.intelligence or not other.intelligence) and (
            self.public_protection or not other.public_protection)

    def __and__(self, other: Sight) -> Sight:
        return Sight(intelligence=self.intelligence and other.intelligence,
                     public_protection=self.public_protection and other.public_protection)


# For jobs that compute and keep data for the partnership (the nightly scores, the
# selection facts); what they keep reaches a reader only through that reader's sight.
SYSTEM_SIGHT = Sight(intelligence=True, public_protection=True)


def sight_of(user: User) -> Sight:
    return Sight(intelligence=can_see_intelligence(user),
                 public_protection=can_see_public_protection(user))


def withholds_intelligence_scores() -> bool:
    """A score whose inputs may include intelligence (the IOM Matrix, the risk of
    reoffending and the emerging threat) is withheld whole from a reader without
    intelligence sight, whoever the person (docs/adr/0007); ``without`` shows it
    worked out from the records the reader may see, and says so."""
    return str(settings.IOM_SCORES_WITHOUT_INTELLIGENCE) == "withhold"


def intelligence_visible_to(user: User, nominal: Nominal) -> QuerySet[Intelligence]:
    if not can_see_intelligence(user):
        return Intelligence.objects.none()
    return Intelligence.objects.filter(nominal=nominal)


def protection_visible_to(user: User, nominal: Nominal) -> QuerySet[PublicProtection]:
    if not can_see_public_protection(user):
        return PublicProtection.objects.none()
    return PublicProtection.objects.filter(nominal=nominal)


def access_nominal_for_change(user: User, nominal_id: int | str, kind: str) -> Nominal:
    """The person, if the user may add or change records of this kind for them
    (``may_write_kind``)."""
    nominal = access_nominal(user, nominal_id)
    if not may_write_kind(user, kind):
        raise Forbidden(f"Your organisation cannot add {kind.replace('_', ' ')} records.")
    return nominal


def may_write_kind(user: User, kind: str) -> bool:
    """Whether the user may add or change records of this kind, for a person they may
    already see (``access_nominal``): a page asks once per kind, not once per person.

    Who may write: statutory case workers for ordinary records; police (or the
    named permission) for intelligence; police and probation for public
    protection. A non-statutory partner writes nothing here.
    """
    if user.organisation is None:
        return False
    return (
        (kind == "intelligence" and can_see_intelligence(user))
        or (kind == "protection" and can_see_public_protection(user))
        or (kind in RECORD_KINDS_FOR_STATUTORY_WRITE and user.organisation.is_statutory)
    )


def is_statutory_case_worker(user: User) -> bool:
    """A case worker of a statutory partner: they create people, record consent and
    involvement, run meetings and the cohort, write plans and produce documents."""
    return is_casework_user(user) and bool(user.organisation and user.organisation.is_statutory)


def partner_organisations(user: User) -> QuerySet[Organisation]:
    """The organisations of the user's partnership that consent can be recorded for."""
    if user.organisation is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(partnership_id=user.organisation.partnership_id,
                                       active=True)


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


# Those who oversee: the access log, figures and feed imports -------------------------


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
    from .models import RequestState

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
