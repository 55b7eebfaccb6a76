"""A person's voluntary tag: consent first, then the fitting, then its removal
(003 "Buddi Tags": volunteers only; youths aged 12 and over with a parent or
guardian's consent, the parent or guardian present at the fitting)."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from iom.accounts.models import User
from iom.audit.models import Action as LogAction
from iom.core.errors import DomainError
from iom.people.models import Nominal

from ..models import Device, DeviceEvent, DeviceState, Fitting, Purpose
from ..rules import MonitoringRules, monitoring_rules
from .base import add_months, logged, not_in_future, required_text


def is_youth(nominal: Nominal, on: date, rules: MonitoringRules) -> bool:
    return nominal.age_on(on) < rules.adult_age


def _check_age_and_guardian(nominal: Nominal, on: date, guardian_name: str,
                            guardian_relationship: str, rules: MonitoringRules) -> None:
    if nominal.age_on(on) < rules.min_age:
        raise DomainError.on_field("consented_on", f"A tag can only be fitted to someone aged "
                                   f"{rules.min_age} or over.")
    if is_youth(nominal, on, rules):
        required_text("guardian_name", guardian_name,
                      "the name of the parent or guardian who consented")
        required_text("guardian_relationship", guardian_relationship,
                      "how the parent or guardian is related to the young person")


def _check_dates(planned_start: date, planned_end: date, rules: MonitoringRules) -> None:
    if planned_end <= planned_start:
        raise DomainError.on_field("planned_end", "The planned end must be after the start.")
    longest = add_months(planned_start, rules.max_fitting_months)
    if planned_end > longest:
        raise DomainError.on_field("planned_end", f"A tag is worn for at most "
                                   f"{rules.max_fitting_months} months: end by "
                                   f"{longest:%-d %B %Y}.")


@transaction.atomic
def record_consent(*, nominal: Nominal, purpose: str, consented_on: date, planned_start: date,
                   planned_end: date, guardian_name: str = "", guardian_relationship: str = "",
                   acting_user: User, through: str) -> Fitting:
    """The person's voluntary consent to wear a tag, recorded before any fitting."""
    rules = monitoring_rules()
    if purpose not in Purpose.values:
        raise DomainError.on_field("purpose", "Choose what the tag is for.")
    not_in_future("consented_on", consented_on, "The date of consent")
    _check_age_and_guardian(nominal, consented_on, guardian_name, guardian_relationship, rules)
    if planned_start < consented_on:
        raise DomainError.on_field("planned_start", "The tag cannot be planned before consent.")
    _check_dates(planned_start, planned_end, rules)
    if Fitting.objects.filter(nominal=nominal, removed_at__isnull=True).exists():
        raise DomainError(message="This person already has a tag consented or fitted.",
                          code="open_fitting")
    fitting = Fitting.objects.create(
        nominal=nominal, purpose=purpose, consented_on=consented_on,
        consent_recorded_by=acting_user, guardian_name=guardian_name.strip(),
        guardian_relationship=guardian_relationship.strip(), planned_start=planned_start,
        planned_end=planned_end)
    logged(user=acting_user, through=through, nominal_id=nominal.pk, kind="tag_fitting",
           record_id=fitting.pk, event="tag consent recorded",
           detail={"new": {"purpose": purpose, "consented_on": str(consented_on),
                           "guardian": bool(fitting.guardian_name)}})
    return fitting


@transaction.atomic
def fit_tag(*, fitting: Fitting, device: Device, fitted_at: datetime, guardian_present: bool,
            acting_user: User, through: str) -> Fitting:
    rules = monitoring_rules()
    fitting = Fitting.objects.select_for_update().get(pk=fitting.pk)
    device = Device.objects.select_for_update().get(pk=device.pk)
    if fitting.fitted_at is not None or fitting.removed_at is not None:
        raise DomainError(message="This tag has already been fitted.", code="fitted")
    if (device.state != DeviceState.IN_STOCK
            or device.partnership_id != fitting.nominal.partnership_id):
        raise DomainError.on_field("device", "Choose a unit in stock in your partnership.")
    if fitted_at > timezone.now():
        raise DomainError.on_field("fitted_at", "The fitting cannot be in the future.")
    day = timezone.localtime(fitted_at).date()
    if day < fitting.consented_on:
        raise DomainError.on_field("fitted_at", "A tag is fitted only after consent.")
    if is_youth(fitting.nominal, day, rules) and not guardian_present:
        raise DomainError.on_field("guardian_present", "A parent or guardian must be present "
                                   "when a tag is fitted to a young person.")
    fitting.device, fitting.fitted_at, fitting.fitted_by = device, fitted_at, acting_user
    fitting.guardian_present = guardian_present
    fitting.save(update_fields=["device", "fitted_at", "fitted_by", "guardian_present"])
    _set_state(device, DeviceState.FITTED, day, "Fitted", acting_user)
    logged(user=acting_user, through=through, nominal_id=fitting.nominal_id, kind="tag_fitting",
           record_id=fitting.pk, event="tag fitted", action=LogAction.UPDATE,
           detail={"new": {"device": device.serial, "fitted_at": fitted_at.isoformat()}})
    return fitting


def _set_state(device: Device, to: str, on: date, note: str, user: User) -> None:
    old, device.state = device.state, to
    device.save(update_fields=["state"])
    DeviceEvent.objects.create(device=device, on=on, from_state=old, to_state=to,
                               to_district_id=device.district_id, note=note, recorded_by=user)


RETURN_STATES = frozenset({DeviceState.IN_STOCK, DeviceState.FAULTY, DeviceState.DAMAGED,
                           DeviceState.LOST})


@transaction.atomic
def remove_tag(*, fitting: Fitting, removed_at: datetime, reason: str, device_state: str,
               acting_user: User, through: str) -> Fitting:
    """The tag comes off (or the consent is withdrawn before it went on)."""
    fitting = Fitting.objects.select_for_update().get(pk=fitting.pk)
    if fitting.removed_at is not None:
        raise DomainError(message="This tag has already been removed.", code="removed")
    reason = required_text("reason", reason, "why the tag came off")
    if removed_at > timezone.now():
        raise DomainError.on_field("removed_at", "The removal cannot be in the future.")
    if fitting.fitted_at is not None and removed_at < fitting.fitted_at:
        raise DomainError.on_field("removed_at", "The removal cannot be before the fitting.")
    if fitting.device is not None and device_state not in RETURN_STATES:
        raise DomainError.on_field("device_state", "Choose what state the unit is in now.")
    fitting.removed_at, fitting.removal_reason = removed_at, reason[:400]
    fitting.removed_by = acting_user
    fitting.save(update_fields=["removed_at", "removal_reason", "removed_by"])
    if fitting.device is not None:
        device = Device.objects.select_for_update().get(pk=fitting.device.pk)
        _set_state(device, device_state, timezone.localtime(removed_at).date(),
                   f"Removed: {reason}"[:400], acting_user)
    logged(user=acting_user, through=through, nominal_id=fitting.nominal_id, kind="tag_fitting",
           record_id=fitting.pk, event="tag removed", action=LogAction.UPDATE,
           detail={"new": {"removed_at": removed_at.isoformat(), "reason": reason[:100]}})
    return fitting
