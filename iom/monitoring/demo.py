"""Demo voluntary tags for the Northshire demo partnership, made through the services.

Four units in each of the first two districts (000 Strategy: 4 City, 4 County), one
faulty, one move waiting for approval, last month's audit; four wearers (one aged 15,
with a guardian's consent and presence), a day of fixes (yesterday, one a minute), a
crime batch of yesterday and its matching run with a placed, an eliminated and a
not-eliminated wearer. Everything is counted back from today, so the results are the
same whenever the demo is loaded.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

from iom.accounts.models import District, User
from iom.cohorts.lifecycle import MANAGED_STATES
from iom.cohorts.models import CohortMembership
from iom.people import services as people
from iom.people.models import Nominal

from . import services
from .matching import EARTH_RADIUS_M
from .models import Device, DeviceState

THROUGH = "command seed_demo"
SCENE = (53.7997, -1.5492)  # the crime, in the demo's fictional city
M_PER_DEG = EARTH_RADIUS_M * math.pi / 180
MIN_PEOPLE = 50  # smaller demos (the tests') get the inventory only


def seed_tags(*, users: dict[str, User], say: Callable[[str], None]) -> None:
    officer, supervisor = users["police.om"], users["police.supervisor"]
    partnership = officer.partnership_id or 0
    districts = list(District.objects.filter(partnership_id=partnership)
                     .order_by("pk")[:2])
    units = _inventory(districts, officer)
    if Nominal.objects.filter(partnership_id=partnership).count() < MIN_PEOPLE:
        _audit_last_month(districts, supervisor)
        say("Added the tag inventory.")
        return
    wearers = _wearers(officer)
    for index, nominal in enumerate(wearers):
        _fit(nominal, units[index], officer, youth=index == 3)
    services.import_fixes(data=_fixes(), file_name="demo-fixes.csv", acting_user=officer,
                          through=THROUGH)
    batch = services.import_crimes(data=_crimes(), file_name="demo-crimes.csv",
                                   acting_user=officer, through=THROUGH)
    services.run_matching(batch=batch, radius_m=100, pad_minutes=0, max_gap_minutes=10,
                          acting_user=officer, through=THROUGH)
    # After the fittings, which began last month: the audit counts them as fitted.
    _audit_last_month(districts, supervisor)
    say("Added tags, four wearers, a day of fixes and a matched crime batch.")


def _inventory(districts: list[District], officer: User) -> list[Device]:
    received = timezone.localdate() - timedelta(days=90)
    units = [services.add_device(district=d, serial=f"BUD-{d.pk:02d}{n}", supplier="Buddi",
                                 added_on=received, acting_user=officer, through=THROUGH)
             for d in districts for n in range(1, 5)]
    services.change_device_state(device=units[-1], to=DeviceState.FAULTY,
                                 on=received + timedelta(days=30), note="Will not charge",
                                 acting_user=officer, through=THROUGH)
    if len(districts) > 1:
        services.request_flex(device=units[-2], to_district=districts[0],
                              reason="Demand in the City after a rise in burglary",
                              acting_user=officer, through=THROUGH)
    return units


def _audit_last_month(districts: list[District], supervisor: User) -> None:
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    for district in districts:
        services.record_inventory_audit(district=district, month=last_month, note="",
                                        acting_user=supervisor, through=THROUGH)


def _wearers(officer: User) -> list[Nominal]:
    adults = [c.nominal for c in CohortMembership.objects.filter(
        state__in=MANAGED_STATES, nominal__partnership_id=officer.partnership_id or 0
    ).select_related("nominal").order_by("placed_on", "pk")[:3]]
    today = timezone.localdate()
    born = today.replace(year=today.year - 15) - timedelta(days=120)
    youth = people.create_nominal(
        acting_user=officer, through=THROUGH, organisation=officer.organisation,
        fields={"forename": "Tyler", "surname": "Brook", "date_of_birth": born, "gender": "M",
                "partnership": officer.organisation.partnership if officer.organisation
                else None})
    return [*adults, youth]


def _fit(nominal: Nominal, unit: Device, officer: User, *, youth: bool) -> None:
    consented = timezone.localdate() - timedelta(days=21)
    fitting = services.record_consent(
        nominal=nominal, purpose="protect_victim" if youth else "deter",
        consented_on=consented, planned_start=consented,
        planned_end=consented + timedelta(days=180),
        guardian_name="Karen Brook" if youth else "",
        guardian_relationship="Mother" if youth else "", acting_user=officer, through=THROUGH)
    fitted_at = timezone.make_aware(datetime.combine(consented, datetime.min.time())
                                    ) + timedelta(hours=10)
    services.fit_tag(fitting=fitting, device=unit, fitted_at=fitted_at,
                     guardian_present=youth, acting_user=officer, through=THROUGH)


def _yesterday_at(hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() - timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
        hours=hour, minutes=minute)


def _offset(minute: int, serial_index: int) -> tuple[float, float]:
    """Metres east and north of the scene at a minute of yesterday for each wearer.

    Wearer 0 walks to the scene (within 30 m from 14:05 to 14:20); wearer 1 stays
    about 2 km away all day (eliminated); wearer 2 is as far, with its tag silent from
    13:50 to 14:40 (not eliminated); wearer 3 is 3 km away all day.
    """
    home = (1500.0 + 400 * serial_index, 900.0 * serial_index)
    wobble = (60 * math.sin(minute / 37), 60 * math.cos(minute / 53))
    if serial_index == 0 and 13 * 60 + 35 <= minute <= 14 * 60 + 50:
        share = max(0.0, 1 - min(abs(minute - (14 * 60 + 12)), 30) / 30)
        return ((1 - share) * home[0] + 20, (1 - share) * home[1] + 10)
    return home[0] + wobble[0], home[1] + wobble[1]


def _fixes() -> bytes:
    lines = ["device_id,fix_time,latitude,longitude,accuracy_m"]
    start = _yesterday_at(0)
    serials = _serials()
    for index, serial in enumerate(serials):
        for minute in range(24 * 60):
            if index == 2 and 13 * 60 + 50 < minute < 14 * 60 + 40:
                continue
            east, north = _offset(minute, index)
            lat = SCENE[0] + north / M_PER_DEG
            lon = SCENE[1] + east / (M_PER_DEG * math.cos(math.radians(SCENE[0])))
            moment = (start + timedelta(minutes=minute)).isoformat()
            lines.append(f"{serial},{moment},{lat:.6f},{lon:.6f},{5 + minute % 7}")
    return ("\n".join(lines) + "\n").encode()


def _serials() -> list[str]:
    from .models import Fitting

    fittings = Fitting.objects.filter(consent_recorded_by__username="police.om",
                                      device__isnull=False).order_by("pk")
    return [f.device.serial for f in fittings if f.device]


def _crimes() -> bytes:
    rows = ["crime_ref,crime_type,from_time,to_time,latitude,longitude",
            f"NS/{timezone.localdate():%y}/0412,Burglary dwelling,{_yesterday_at(14).isoformat()},"
            f"{_yesterday_at(14, 30).isoformat()},{SCENE[0]},{SCENE[1]}",
            f"NS/{timezone.localdate():%y}/0413,Theft of vehicle,{_yesterday_at(3).isoformat()},"
            f"{_yesterday_at(3, 20).isoformat()},{SCENE[0] + 0.02},{SCENE[1] - 0.03}"]
    return ("\n".join(rows) + "\n").encode()
