"""Engagement contacts: home visits, prison visits, appointments kept or missed."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from iom.accounts.models import User
from iom.core.errors import DomainError
from iom.people.models import Nominal

from ..models import Contact, ContactKind, ContactOutcome
from .base import logged, not_in_future


@transaction.atomic
def record_contact(*, nominal: Nominal, kind: str, happened_on: date, outcome: str,
                   note: str, acting_user: User, through: str) -> Contact:
    if kind not in ContactKind.values:
        raise DomainError.on_field("kind", "Choose the kind of contact.")
    if outcome not in ContactOutcome.values:
        raise DomainError.on_field("outcome", "Choose whether it was kept or missed.")
    not_in_future("happened_on", happened_on, "The date of the contact")
    assert acting_user.organisation is not None
    contact = Contact.objects.create(
        nominal=nominal, kind=kind, happened_on=happened_on, outcome=outcome,
        organisation=acting_user.organisation, note=note.strip(), recorded_by=acting_user)
    logged(user=acting_user, through=through, nominal_id=nominal.pk, kind="contact",
           record_id=contact.pk, event="contact recorded",
           detail={"new": {"kind": kind, "outcome": outcome, "on": str(happened_on)}})
    return contact
