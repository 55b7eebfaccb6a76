"""The tag inventory: units per district, their state with its history, flexing a
unit between districts with an approval, and the monthly audit (003 Compliance)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from iom.accounts.models import District, User
from iom.audit.models import Action as LogAction
from iom.core.errors import DomainError

from ..models import Device, DeviceEvent, DeviceState, Flex, FlexStatus, InventoryAudit
from ..selectors import inventory_counts
from .base import logged, month_end, not_in_future, partnership_of, required_text, today

# States a user sets by hand; "fitted" comes only from fitting a tag to a person.
HAND_STATES = frozenset(DeviceState.values) - {DeviceState.FITTED}


def _event(device: Device, *, on: date, to_state: str, from_state: str = "",
           from_district: District | None = None, note: str = "",
           user: User | None) -> DeviceEvent:
    return DeviceEvent.objects.create(device=device, on=on, from_state=from_state,
                                      to_state=to_state, from_district=from_district,
                                      to_district_id=device.district_id, note=note,
                                      recorded_by=user)


def _own_district(user: User, district: District) -> None:
    if district.partnership_id != partnership_of(user):
        raise DomainError.on_field("district", "Choose a district of your partnership.")


@transaction.atomic
def add_device(*, district: District, serial: str, supplier: str, added_on: date,
               acting_user: User, through: str) -> Device:
    _own_district(acting_user, district)
    serial = required_text("serial", serial, "the serial number").upper()
    supplier = required_text("supplier", supplier, "the supplier")
    not_in_future("added_on", added_on, "The date added")
    try:
        with transaction.atomic():
            device = Device.objects.create(partnership_id=district.partnership_id,
                                           district=district, serial=serial,
                                           supplier=supplier, added_on=added_on)
    except IntegrityError as exc:
        raise DomainError.on_field("serial", f"A unit with serial {serial} is already "
                                   "in the inventory.") from exc
    _event(device, on=added_on, to_state=DeviceState.IN_STOCK, note="Added to the inventory",
           user=acting_user)
    logged(user=acting_user, through=through, nominal_id=None, kind="tag_device",
           record_id=device.pk, event="tag unit added",
           detail={"new": {"serial": serial, "district": district.pk}})
    return device


def _locked(device: Device) -> Device:
    return Device.objects.select_for_update().get(pk=device.pk)


@transaction.atomic
def change_device_state(*, device: Device, to: str, on: date, note: str, acting_user: User,
                        through: str) -> Device:
    device = _locked(device)
    if to not in HAND_STATES:
        raise DomainError.on_field("to", "Choose the unit's new state (a unit is fitted by "
                                   "recording a fitting).")
    if device.state == DeviceState.FITTED:
        raise DomainError.on_field("to", "The unit is fitted: record the tag's removal first.")
    if to == device.state:
        raise DomainError.on_field("to", "The unit is already in that state.")
    not_in_future("on", on, "The date")
    old = device.state
    device.state = to
    device.save(update_fields=["state"])
    _event(device, on=on, from_state=old, to_state=to, note=note.strip()[:400],
           user=acting_user)
    logged(user=acting_user, through=through, nominal_id=None, kind="tag_device",
           record_id=device.pk, event="tag unit state changed", action=LogAction.UPDATE,
           detail={"old": {"state": old}, "new": {"state": to}})
    return device


@transaction.atomic
def request_flex(*, device: Device, to_district: District, reason: str, acting_user: User,
                 through: str) -> Flex:
    device = _locked(device)
    _own_district(acting_user, to_district)
    if to_district.pk == device.district_id:
        raise DomainError.on_field("to_district", "The unit is already in that district.")
    if device.state == DeviceState.FITTED:
        raise DomainError.on_field("to_district", "A fitted unit cannot move district.")
    reason = required_text("reason", reason, "why the unit should move")
    if Flex.objects.filter(device=device, status=FlexStatus.REQUESTED).exists():
        raise DomainError.on_field("to_district", "A move of this unit is already waiting "
                                   "for approval.")
    flex = Flex.objects.create(device=device, from_district_id=device.district_id,
                               to_district=to_district, reason=reason[:400],
                               requested_by=acting_user, requested_on=today())
    logged(user=acting_user, through=through, nominal_id=None, kind="tag_flex",
           record_id=flex.pk, event="tag unit move requested",
           detail={"new": {"device": device.pk, "to_district": to_district.pk}})
    return flex


@transaction.atomic
def decide_flex(*, flex: Flex, approve: bool, note: str, acting_user: User,
                through: str) -> Flex:
    """Approve (the unit moves now) or refuse a move; never by the one who asked."""
    flex = Flex.objects.select_for_update().get(pk=flex.pk)
    if flex.status != FlexStatus.REQUESTED:
        raise DomainError(message="This move has already been decided.", code="decided")
    if flex.requested_by_id == acting_user.pk:
        raise DomainError(message="Someone other than the requester must decide a move.",
                          code="own_request")
    flex.status = FlexStatus.APPROVED if approve else FlexStatus.REFUSED
    flex.decided_by, flex.decided_on, flex.decision_note = acting_user, today(), note[:400]
    flex.save(update_fields=["status", "decided_by", "decided_on", "decision_note"])
    if approve:
        _move(flex, acting_user)
    logged(user=acting_user, through=through, nominal_id=None, kind="tag_flex",
           record_id=flex.pk, event=f"tag unit move {flex.status}", action=LogAction.UPDATE,
           detail={"new": {"status": flex.status}})
    return flex


def _move(flex: Flex, user: User) -> None:
    device = _locked(flex.device)
    if device.state == DeviceState.FITTED:
        raise DomainError(message="The unit has been fitted since: it cannot move now.",
                          code="fitted")
    device.district_id = flex.to_district_id
    device.save(update_fields=["district"])
    _event(device, on=today(), from_state=device.state, to_state=device.state,
           from_district=flex.from_district, note=f"Moved: {flex.reason}"[:400], user=user)


@transaction.atomic
def record_inventory_audit(*, district: District, month: date, note: str, acting_user: User,
                           through: str) -> InventoryAudit:
    """The month's audit, its counts generated from the inventory's history as it stood
    on the month's last day; a month is audited once it has ended."""
    _own_district(acting_user, district)
    month = month.replace(day=1)
    if month_end(month) >= today():
        raise DomainError.on_field("month", "A month is audited once it has ended.")
    counts = inventory_counts(district, month_end(month))
    try:
        with transaction.atomic():
            audit = InventoryAudit.objects.create(district=district, month=month,
                                                  counts=counts, completed_on=today(),
                                                  note=note.strip(), recorded_by=acting_user)
    except IntegrityError as exc:
        raise DomainError.on_field("month", "That month's audit is already recorded.") from exc
    logged(user=acting_user, through=through, nominal_id=None, kind="tag_audit",
           record_id=audit.pk, event="tag audit recorded",
           detail={"new": {"district": district.pk, "month": str(month), "counts": counts}})
    return audit
