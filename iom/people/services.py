"""Writes to people and their records. Each writes its access-log entry in the
same transaction, with the new values, and refuses bad input whole."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from iom.accounts.models import Organisation, User
from iom.audit.models import Action
from iom.audit.services import RecordRef, record_access
from iom.core.errors import DomainError

from . import validation
from .models import (
    Address,
    Alias,
    Allocation,
    CaseDate,
    CategorySource,
    CustodyPeriod,
    Flag,
    Intelligence,
    Nominal,
    OffendingEvent,
    OrderLicence,
    PublicProtection,
    SourceSystem,
    WantedMissing,
)
from .names import refresh_name_keys

M = TypeVar("M", bound=models.Model)

# The record kinds a caller may add, with the model and the validator for each.
RECORD_KINDS: dict[str, tuple[type[models.Model], Any]] = {
    "event": (OffendingEvent, validation.validate_event),
    "case_date": (CaseDate, validation.validate_case_date),
    "wanted_missing": (WantedMissing, validation.validate_wanted_missing),
    "custody": (CustodyPeriod, validation.validate_custody),
    "order": (OrderLicence, validation.validate_order),
    "protection": (PublicProtection, validation.validate_protection),
    "intelligence": (Intelligence, validation.validate_intelligence),
    "alias": (Alias, validation.validate_alias),
    "address": (Address, validation.validate_address),
    "flag": (Flag, validation.validate_flag),
}


def _values(instance: models.Model) -> dict[str, Any]:
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname not in {"id", "recorded_at"}
    }


def _provenance(
    acting_user: User | None, organisation: Organisation | None, source_system: str,
    recorded_at: datetime | None = None,
) -> dict[str, Any]:
    origin = organisation or (acting_user.organisation if acting_user else None)
    if origin is None:
        raise DomainError.on_field("organisation", "The originating organisation is required.")
    return {
        "originating_organisation": origin,
        "source_system": source_system,
        "recorded_by": acting_user,
        "recorded_at": recorded_at or timezone.now(),
    }


def create_nominal(
    *,
    acting_user: User | None,
    through: str,
    fields: dict[str, Any],
    organisation: Organisation | None = None,
    source_system: str = SourceSystem.IOM,
    allocate_to: User | None = None,
    can_see: validation.SeesPerson | None = None,
) -> Nominal:
    """Record a new person. PNC ID and CRN must be valid and not already used.

    ``allocate_to`` puts the person straight onto that user's caseload. ``can_see``
    (the access policy, from the web or API layer) says whom the user may see: an
    identifier held by anyone else is refused without saying by whom, and the
    attempt is logged against that person (after the refused change rolls back).
    """
    hidden: list[tuple[str, int]] = []
    try:
        return _create_nominal(acting_user=acting_user, through=through, fields=fields,
                               organisation=organisation, source_system=source_system,
                               allocate_to=allocate_to, can_see=can_see, hidden=hidden)
    except DomainError:
        _log_hidden_clashes(hidden, acting_user=acting_user, through=through)
        raise


@transaction.atomic
def _create_nominal(*, acting_user: User | None, through: str, fields: dict[str, Any],
                    organisation: Organisation | None, source_system: str,
                    allocate_to: User | None, can_see: validation.SeesPerson | None,
                    hidden: list[tuple[str, int]]) -> Nominal:
    clean = validation.validate_nominal(fields, can_see=can_see, hidden=hidden)
    nominal = Nominal.objects.create(
        **clean, **_provenance(acting_user, organisation, source_system)
    )
    refresh_name_keys(nominal)
    record_access(
        user=acting_user, action=Action.CREATE, through=through, nominal_id=nominal.pk,
        records=[RecordRef("nominal", nominal.pk)], detail={"new": _values(nominal)},
    )
    if allocate_to is not None:
        allocate(nominal=nominal, user=allocate_to, acting_user=acting_user, through=through,
                 start=timezone.localdate())
    return nominal


def _log_hidden_clashes(hidden: list[tuple[str, int]], *, acting_user: User | None,
                        through: str) -> None:
    for field, holder_id in hidden:
        record_access(user=acting_user, action=Action.DENIED, through=through,
                      nominal_id=holder_id, records=[RecordRef("nominal", holder_id)],
                      reason="Tried to record a new person with this person's identifier",
                      detail={"field": field})


@transaction.atomic
def update_nominal(
    *, nominal: Nominal, acting_user: User, through: str, fields: dict[str, Any], reason: str
) -> Nominal:
    """Correct a person's identity details, keeping old and new values in the log."""
    clean = validation.validate_nominal(fields, existing=nominal)
    locked = Nominal.objects.select_for_update().get(pk=nominal.pk)
    old = _values(locked)
    for name, value in clean.items():
        setattr(locked, name, value)
    locked.save()
    refresh_name_keys(locked)
    new = _values(locked)
    changed = {k: {"old": old[k], "new": new[k]} for k in new if old.get(k) != new[k]}
    record_access(
        user=acting_user, action=Action.UPDATE, through=through, nominal_id=locked.pk,
        records=[RecordRef("nominal", locked.pk)], reason=reason, detail={"changed": changed},
    )
    return locked


@transaction.atomic
def add_record(
    *,
    nominal: Nominal,
    kind: str,
    acting_user: User | None,
    through: str,
    fields: dict[str, Any],
    organisation: Organisation | None = None,
    source_system: str = SourceSystem.IOM,
    source_record_id: str = "",
    reason: str = "",
    recorded_at: datetime | None = None,
) -> models.Model:
    """Add one record of ``kind`` (see RECORD_KINDS) to a person's history.

    ``recorded_at`` is when the source system recorded it, for records that
    arrive from elsewhere; scores as at a past date use only what was known.
    """
    if kind not in RECORD_KINDS:
        raise DomainError.on_field("kind", f"Unknown record kind {kind!r}.")
    model, validate = RECORD_KINDS[kind]
    clean = validate(fields, nominal=nominal)
    if kind == "event" and clean.get("ogrs3_category"):
        feed = source_system == SourceSystem.PNC
        clean.update(_category_provenance(
            CategorySource.FEED if feed else CategorySource.USER, acting_user, recorded_at))
    record: models.Model = model._default_manager.create(
        nominal=nominal,
        source_record_id=source_record_id,
        **clean,
        **_provenance(acting_user, organisation, source_system, recorded_at),
    )
    if kind == "alias":
        refresh_name_keys(nominal)
    record_access(
        user=acting_user, action=Action.CREATE, through=through, nominal_id=nominal.pk,
        records=[RecordRef(kind, record.pk)], reason=reason, detail={"new": _values(record)},
    )
    return record


def _category_provenance(source: str, acting_user: User | None,
                        at: datetime | None) -> dict[str, Any]:
    return {"ogrs3_category_source": source, "ogrs3_category_set_by": acting_user,
            "ogrs3_category_set_at": at or timezone.now()}


@transaction.atomic
def set_ogrs3_category(
    *, event: OffendingEvent, category: str, acting_user: User, through: str, reason: str = "",
) -> OffendingEvent:
    """Record (or, with "", clear) the exact OGRS 3 category of a conviction whose Home
    Office code covers more than one; the user and time are kept with it. The page and
    the API both come here, so both refuse the same things in the same words: a
    category the code does not allow, and any conviction whose code has one category
    only (OGRS 3 reads it from the offence map; nothing is chosen)."""
    locked = OffendingEvent.objects.select_for_update().get(pk=event.pk)
    category = (category or "").strip()
    if not category and not locked.ogrs3_category:
        raise DomainError.on_field("ogrs3_category",
                                   "Choose the OGRS 3 category of the exact offence")
    if category:
        problem = validation.ogrs3_category_problem(category, code=locked.ho_code,
                                                    kind=locked.kind)
        if problem:
            raise DomainError.on_field("ogrs3_category", problem)
    problem = validation.ogrs3_category_not_chosen(code=locked.ho_code, kind=locked.kind)
    if problem:
        raise DomainError.on_field("ogrs3_category", problem)
    old = {"ogrs3_category": locked.ogrs3_category,
           "ogrs3_category_source": locked.ogrs3_category_source}
    locked.ogrs3_category = category
    provenance = _category_provenance(CategorySource.USER, acting_user, None) if category else {
        "ogrs3_category_source": "", "ogrs3_category_set_by": None,
        "ogrs3_category_set_at": None}
    for name, value in provenance.items():
        setattr(locked, name, value)
    locked.save(update_fields=["ogrs3_category", *provenance])
    new = {"ogrs3_category": locked.ogrs3_category,
           "ogrs3_category_source": locked.ogrs3_category_source}
    record_access(
        user=acting_user, action=Action.UPDATE, through=through, nominal_id=locked.nominal_id,
        records=[RecordRef("event", locked.pk)], reason=reason,
        detail={"changed": {k: {"old": old[k], "new": new[k]} for k in new if old[k] != new[k]}},
    )
    return locked


@transaction.atomic
def expire_flag(
    *, flag: Flag, acting_user: User, through: str, on: date, reason: str
) -> Flag:
    """End a flag: flags are expired, never deleted."""
    if on < flag.start_date:
        raise DomainError.on_field("expired_on", "A flag cannot end before it started.")
    if not reason.strip():
        raise DomainError.on_field("reason", "Enter why the flag is being expired.")
    Flag.objects.filter(pk=flag.pk).update(expired_on=on)
    record_access(
        user=acting_user, action=Action.UPDATE, through=through, nominal_id=flag.nominal_id,
        records=[RecordRef("flag", flag.pk)], reason=reason,
        detail={"changed": {"expired_on": {"old": flag.expired_on, "new": on}}},
    )
    flag.expired_on = on
    return flag


@transaction.atomic
def allocate(
    *, nominal: Nominal, user: User, acting_user: User | None, through: str, start: date
) -> Allocation:
    """Put a person on a user's caseload."""
    allocation = Allocation.objects.create(nominal=nominal, user=user, start_date=start)
    record_access(
        user=acting_user, action=Action.CREATE, through=through, nominal_id=nominal.pk,
        records=[RecordRef("allocation", allocation.pk)],
        detail={"new": {"user": user.get_username(), "start_date": start}},
    )
    return allocation
