"""Rules 1 to 6 of the access policy (listed in ``iom/governance/policy/__init__.py``):
who sees which person, their consent, which restricted kinds of their records a reader
sees, and who adds or changes which kinds of record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from iom.accounts.models import CASEWORK_ROLES, Organisation, OrganisationKind, User
from iom.core.errors import Forbidden
from iom.core.lookup import one_visible
from iom.people.models import (
    Allocation,
    Intelligence,
    Nominal,
    PublicProtection,
)

from ..models import Consent, ConsentStatus, Involvement

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
