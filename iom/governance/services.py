"""Writes of consent and involvement, each logged in the same transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from iom.accounts.models import Organisation, User
from iom.audit.models import Action
from iom.audit.services import RecordRef, record_access
from iom.core.errors import DomainError
from iom.people.models import Nominal

from .models import (
    Consent,
    ConsentBasis,
    ConsentPaperwork,
    ConsentStatus,
    GivenBy,
    Involvement,
    PaperworkType,
    SharingBasis,
)
from .paperwork import sniff_paperwork

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
    check_consent_decision(nominal=nominal, status=status, decided_on=decided_on,
                           given_by=given_by)
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


def check_consent_decision(*, nominal: Nominal, status: str, decided_on: date,
                           given_by: str) -> None:
    """The rules on a decision beyond its own fields (docs/governance.md).

    A decision takes effect on its date, so it cannot be dated in the future: a
    withdrawal recorded today hides the person from the partner at once. (A youth's
    consent given by a parent or guardian names them, above; the steps that need a
    parent's consent, such as a partner's referral of a youth, ask for it there.)
    """
    if decided_on > timezone.localdate():
        raise DomainError.on_field("decided_on", "The date of the decision cannot be in the "
                                   "future: a decision takes effect on its date.")


@transaction.atomic
def attach_paperwork(*, consent: Consent, file_name: str, content: bytes,
                     acting_user: User | None, through: str) -> ConsentPaperwork:
    """Keep the signed paperwork of a decision, replacing any kept before.

    The type is found from the content (PDF, PNG or JPEG) and the size checked
    against IOM_CONSENT_PAPERWORK_MAX_BYTES; anything else is refused, naming why.
    """
    kind = sniff_paperwork(content, max_bytes=settings.IOM_CONSENT_PAPERWORK_MAX_BYTES)
    digest = hashlib.sha256(content).hexdigest()
    ConsentPaperwork.objects.filter(consent=consent).delete()
    paperwork = ConsentPaperwork.objects.create(
        consent=consent, file_name=(file_name or "paperwork")[:200], content_type=kind,
        size=len(content), sha256=digest, content=content, uploaded_by=acting_user)
    record_access(user=acting_user, action=Action.CREATE, through=through,
                  nominal_id=consent.nominal_id,
                  records=[RecordRef("consent", consent.pk),
                           RecordRef("consent_paperwork", paperwork.pk)],
                  detail={"new": {"file_name": paperwork.file_name, "content_type": kind,
                                  "size": len(content), "sha256": digest}})
    return paperwork


@transaction.atomic
def record_consent_with_paperwork(*, paperwork: tuple[str, bytes] | None,
                                  **decision: object) -> Consent:
    """A decision and its signed form, both or neither (a bad file stores nothing)."""
    consent = record_consent(**decision)  # type: ignore[arg-type]
    if paperwork is not None:
        attach_paperwork(consent=consent, file_name=paperwork[0], content=paperwork[1],
                         acting_user=decision.get("acting_user"),  # type: ignore[arg-type]
                         through=str(decision["through"]))
    return consent


@transaction.atomic
def end_involvement(*, involvement: Involvement, end: date, acting_user: User | None,
                    through: str) -> Involvement:
    """End an organisation's involvement on a day (it loses sight the day after)."""
    if end < involvement.start_date:
        raise DomainError.on_field("end_date", "The end date cannot be before the start date.")
    before = involvement.end_date
    involvement.end_date = end
    involvement.save(update_fields=["end_date"])
    record_access(user=acting_user, action=Action.UPDATE, through=through,
                  nominal_id=involvement.nominal_id,
                  records=[RecordRef("involvement", involvement.pk)],
                  detail={"changed": {"end_date": [before, end]}})
    return involvement


@transaction.atomic
def record_sharing_basis(*, organisation: Organisation, basis: str, legislation: str,
                         purposes: str, acting_user: User | None, through: str) -> SharingBasis:
    """Record the legal basis on which an organisation receives data (ISA s4)."""
    from .models import LegalBasis

    if basis not in LegalBasis.values:
        raise DomainError.on_field("basis", f"{basis!r} is not a legal basis.")
    if basis == LegalBasis.STATUTORY and not legislation.strip():
        raise DomainError.on_field("legislation", "Name the Act and section relied on.")
    if basis == LegalBasis.STATUTORY and not organisation.is_statutory:
        raise DomainError.on_field("basis", f"{organisation} is not a statutory partner: its "
                                   "basis is consent or a contract.")
    found, _ = SharingBasis.objects.update_or_create(
        organisation=organisation,
        defaults={"basis": basis, "legislation": legislation.strip(),
                  "purposes": purposes.strip(), "recorded_by": acting_user,
                  "recorded_at": timezone.now()})
    record_access(user=acting_user, action=Action.UPDATE, through=through,
                  records=[RecordRef("sharing_basis", found.pk)],
                  detail={"new": {"organisation": organisation.name, "basis": basis,
                                  "legislation": legislation}})
    return found


__all__ = ["PaperworkType", "attach_paperwork", "check_consent_decision", "end_involvement",
           "follow_consent_with", "record_consent", "record_consent_with_paperwork",
           "record_involvement", "record_sharing_basis"]
