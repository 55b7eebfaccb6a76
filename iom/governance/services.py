"""Writes of consent and involvement, each logged in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import transaction

from iom.accounts.models import Organisation, User
from iom.audit.models import Action
from iom.audit.services import RecordRef, record_access
from iom.core.errors import DomainError
from iom.people.models import Nominal

from .models import Consent, ConsentBasis, ConsentStatus, GivenBy, Involvement

# What other apps do as a consent decision is recorded, in the same transaction: the
# cohort moves a managed person who refuses to catch and control (004 1.24). They
# register here (in their app's ``ready``) so that governance needs no import of them.
ConsentFollowUp = Callable[..., object]
CONSENT_FOLLOW_UPS: list[ConsentFollowUp] = []


def follow_consent_with(follow_up: ConsentFollowUp) -> None:
    """Register ``follow_up(consent, acting_user=..., through=...)``, once."""
    if follow_up not in CONSENT_FOLLOW_UPS:
        CONSENT_FOLLOW_UPS.append(follow_up)


@transaction.atomic
def record_involvement(*, nominal: Nominal, organisation: Organisation, start: date,
                       acting_user: User | None, through: str, purpose: str = "",
                       end: date | None = None) -> Involvement:
    """Record that an organisation works with a person from ``start`` (until ``end``)."""
    if organisation.partnership_id != nominal.partnership_id:
        raise DomainError.on_field("organisation", "The organisation is not in this "
                                   "person's partnership.")
    if end and end < start:
        raise DomainError.on_field("end_date", "The end date cannot be before the start date.")
    involvement = Involvement.objects.create(nominal=nominal, organisation=organisation,
                                             start_date=start, end_date=end, purpose=purpose)
    record_access(user=acting_user, action=Action.CREATE, through=through,
                  nominal_id=nominal.pk, records=[RecordRef("involvement", involvement.pk)],
                  detail={"new": {"organisation": organisation.name, "start_date": start,
                                  "end_date": end}})
    return involvement


@transaction.atomic
def record_consent(*, nominal: Nominal, organisation: Organisation, status: str,
                   decided_on: date, acting_user: User | None, through: str,
                   basis: str = ConsentBasis.CONSENT, given_by: str = GivenBy.PERSON,
                   guardian_name: str = "", expires_on: date | None = None,
                   note: str = "") -> Consent:
    """Record a consent decision (or contract); the newest decision is the current one.

    A youth's consent is given by a parent or guardian, who must be named (004).
    A refusal or withdrawal for a person on the cohort moves them to catch and
    control, and consent that replaces the last refusal moves them back (the
    registered follow-ups, in this transaction).
    """
    if status not in ConsentStatus.values:
        raise DomainError.on_field("status", f"{status!r} is not a consent status.")
    if given_by == GivenBy.PARENT_OR_GUARDIAN and not guardian_name.strip():
        raise DomainError.on_field("guardian_name", "Enter the parent or guardian's name.")
    if expires_on and expires_on < decided_on:
        raise DomainError.on_field("expires_on", "Consent cannot expire before it was given.")
    consent = Consent.objects.create(
        nominal=nominal, organisation=organisation, status=status, decided_on=decided_on,
        basis=basis, given_by=given_by, guardian_name=guardian_name, expires_on=expires_on,
        note=note, recorded_by=acting_user)
    record_access(user=acting_user, action=Action.CREATE, through=through,
                  nominal_id=nominal.pk, records=[RecordRef("consent", consent.pk)],
                  detail={"new": {"organisation": organisation.name, "status": status,
                                  "basis": basis, "given_by": given_by,
                                  "decided_on": decided_on}})
    for follow_up in CONSENT_FOLLOW_UPS:
        follow_up(consent, acting_user=acting_user, through=through)
    return consent
