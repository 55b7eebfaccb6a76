"""Test data of the monitoring app: tags, fittings and fixes on the shared personas,
and trails of fixes at a chosen distance from a scene."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

from iom.monitoring import services
from iom.monitoring.matching import EARTH_RADIUS_M
from iom.monitoring.models import Device, Fitting

WHEN = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)  # a day of fixes, long past on any run


def add_unit(world, serial: str = "BUD-001", district=None) -> Device:
    return services.add_device(district=district or world.district, serial=serial,
                               supplier="Buddi", added_on=date(2025, 1, 6),
                               acting_user=world.users["police"], through="test")


def fitted(world, nominal=None, serial: str = "BUD-001",
           at: datetime = WHEN - timedelta(days=1)) -> Fitting:
    """A wearer who consented and had the unit fitted the day before WHEN."""
    officer = world.users["police"]
    device = add_unit(world, serial)
    fitting = services.record_consent(
        nominal=nominal or world.person, purpose="deter", consented_on=date(2025, 2, 1),
        planned_start=date(2025, 2, 1), planned_end=date(2025, 12, 31), acting_user=officer,
        through="test")
    return services.fit_tag(fitting=fitting, device=device, fitted_at=at,
                            guardian_present=False, acting_user=officer, through="test")


def csv_of(rows: Sequence[tuple[object, ...]], header: str = "device_id,fix_time,latitude,"
           "longitude,accuracy_m") -> bytes:
    lines = [header, *(",".join("" if v is None else str(v) for v in row) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


LAT, LON = 53.8, -1.55
DEG_PER_M = 180 / (EARTH_RADIUS_M * 3.141592653589793)


def trail(serial: str, metres: float, minutes: Iterable[int]) -> list[tuple[object, ...]]:
    return [(serial, (WHEN + timedelta(minutes=m)).isoformat(), LAT + metres * DEG_PER_M, LON,
             5) for m in minutes]
