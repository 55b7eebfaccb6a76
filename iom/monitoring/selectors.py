"""Reads for monitoring, every list scoped in the query to what the user may see."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet

from iom.accounts.models import District, User
from iom.core.errors import NotFound
from iom.core.lookup import one_visible
from iom.governance import policy
from iom.people.models import Nominal

from .models import (
    CrimeBatch,
    Device,
    DeviceEvent,
    DeviceState,
    Fitting,
    FixImport,
    Flex,
    FlexStatus,
    MatchRun,
)
from .rules import MonitoringRules


def districts_of(user: User) -> QuerySet[District]:
    if not policy.can_manage_tags(user):
        return District.objects.none()
    return District.objects.filter(partnership_id=user.partnership_id or 0)


def devices_visible_to(user: User) -> QuerySet[Device]:
    if not policy.can_manage_tags(user):
        return Device.objects.none()
    return Device.objects.filter(partnership_id=user.partnership_id or 0).select_related(
        "district")


def access_device(user: User, device_id: int | str) -> Device:
    return one_visible(devices_visible_to(user), device_id)


def flexes_waiting(user: User) -> QuerySet[Flex]:
    return Flex.objects.filter(device__in=devices_visible_to(user),
                               status=FlexStatus.REQUESTED).select_related(
        "device", "from_district", "to_district", "requested_by")


def access_flex(user: User, flex_id: int | str) -> Flex:
    return one_visible(Flex.objects.filter(device__in=devices_visible_to(user)), flex_id)


def inventory_counts(district: District, as_at: date) -> dict[str, int]:
    """Units by state held by the district at the end of ``as_at``, from the history
    (a unit's last event on or before the day says its state and district)."""
    counts = dict.fromkeys(DeviceState.values, 0)
    latest: dict[int, DeviceEvent] = {}
    events = DeviceEvent.objects.filter(device__partnership_id=district.partnership_id,
                                        on__lte=as_at).order_by("on", "id")
    for event in events:
        latest[event.device_id] = event
    for event in latest.values():
        if event.to_district_id == district.pk:
            counts[event.to_state] += 1
    return counts


def fittings_visible_to(user: User) -> QuerySet[Fitting]:
    """Fittings of the people the user may see, for those who keep the tags."""
    if not policy.can_manage_tags(user):
        return Fitting.objects.none()
    return Fitting.objects.filter(nominal__in=policy.nominals_visible_to(user)).select_related(
        "nominal", "device")


def access_fitting(user: User, fitting_id: int | str) -> Fitting:
    return one_visible(fittings_visible_to(user), fitting_id)


def fittings_of(user: User, nominal: Nominal) -> QuerySet[Fitting]:
    return fittings_visible_to(user).filter(nominal=nominal)


def review_due_on(fitting: Fitting, rules: MonitoringRules) -> date:
    """When a fitting must be reviewed: ahead of its planned end or the maximum."""
    from .services.base import add_months

    start = fitting.fitted_at.date() if fitting.fitted_at else fitting.planned_start
    ends = min(fitting.planned_end, add_months(start, rules.max_fitting_months))
    return ends - timedelta(days=rules.review_notice_days)


def fittings_due_review(user: User, as_at: date, rules: MonitoringRules) -> list[Fitting]:
    current = fittings_visible_to(user).filter(removed_at__isnull=True)
    return [f for f in current if review_due_on(f, rules) <= as_at]


def fitted_between(nominal_ids: QuerySet[Nominal], start: date, end: date
                   ) -> QuerySet[Fitting]:
    return Fitting.objects.filter(nominal__in=nominal_ids, fitted_at__isnull=False,
                                  fitted_at__date__lte=end).filter(
        Q(removed_at__isnull=True) | Q(removed_at__date__gte=start)).select_related("device")


def imports_visible_to(user: User) -> QuerySet[FixImport]:
    if not policy.can_match_crimes(user):
        return FixImport.objects.none()
    return FixImport.objects.filter(partnership_id=user.partnership_id or 0)


def access_fix_import(user: User, import_id: int | str) -> FixImport:
    return one_visible(imports_visible_to(user), import_id)


def batches_visible_to(user: User) -> QuerySet[CrimeBatch]:
    if not policy.can_match_crimes(user):
        return CrimeBatch.objects.none()
    return CrimeBatch.objects.filter(partnership_id=user.partnership_id or 0)


def access_batch(user: User, batch_id: int | str) -> CrimeBatch:
    return one_visible(batches_visible_to(user), batch_id)


def access_run(user: User, run_id: int | str) -> MatchRun:
    return one_visible(MatchRun.objects.filter(batch__in=batches_visible_to(user)), run_id)


def require_found(allowed: bool) -> None:
    if not allowed:
        raise NotFound
