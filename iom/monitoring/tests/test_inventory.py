"""The inventory per district: states with history, flexing with approval, the audit."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from iom.audit.models import AccessLogEntry
from iom.casework.rules import compliance_rules
from iom.core.errors import DomainError
from iom.monitoring import selectors, services
from iom.monitoring.models import DeviceState, FlexStatus
from iom.monitoring.tests.factories import add_unit

pytestmark = pytest.mark.django_db


def test_a_unit_keeps_its_history_of_states(world):
    officer = world.users["police"]
    unit = add_unit(world)
    with pytest.raises(DomainError, match="already in the inventory"):
        add_unit(world)
    services.change_device_state(device=unit, to=DeviceState.FAULTY, on=date(2025, 1, 20),
                                 note="No signal", acting_user=officer, through="test")
    with pytest.raises(DomainError, match="fitting"):
        services.change_device_state(device=unit, to=DeviceState.FITTED, on=date(2025, 1, 21),
                                     note="", acting_user=officer, through="test")
    assert [(e.from_state, e.to_state) for e in unit.events.all()] == [
        ("", "in_stock"), ("in_stock", "faulty")]
    assert AccessLogEntry.objects.filter(detail__event="tag unit state changed").count() == 1


def test_a_unit_moves_district_only_when_someone_else_approves(world, county):
    unit = add_unit(world)
    flex = services.request_flex(device=unit, to_district=county, reason="Demand in County",
                                 acting_user=world.users["police"], through="test")
    with pytest.raises(DomainError, match="other than the requester"):
        services.decide_flex(flex=flex, approve=True, note="", acting_user=world.users["police"],
                             through="test")
    unit.refresh_from_db()
    assert unit.district == world.district
    services.decide_flex(flex=flex, approve=True, note="Agreed at the board",
                         acting_user=world.users["probation"], through="test")
    unit.refresh_from_db()
    flex.refresh_from_db()
    assert unit.district == county and flex.status == FlexStatus.APPROVED
    assert unit.events.last().from_district == world.district


def test_the_monthly_audit_counts_come_from_the_inventory_at_the_month_end(world, county):
    officer = world.users["police"]
    with time_machine.travel(date(2025, 1, 10)):
        units = [add_unit(world, f"BUD-{n}") for n in range(4)]
        add_unit(world, "BUD-C1", district=county)
    with time_machine.travel(date(2025, 2, 3)):
        services.change_device_state(device=units[0], to=DeviceState.LOST, on=date(2025, 1, 30),
                                     note="", acting_user=officer, through="test")
        services.change_device_state(device=units[1], to=DeviceState.DAMAGED,
                                     on=date(2025, 2, 2), note="", acting_user=officer,
                                     through="test")
        audit = services.record_inventory_audit(district=world.district,
                                                month=date(2025, 1, 15), note="",
                                                acting_user=officer, through="test")
        assert audit.counts == {**dict.fromkeys(DeviceState.values, 0), "in_stock": 3, "lost": 1}
        with pytest.raises(DomainError, match="once it has ended"):
            services.record_inventory_audit(district=world.district, month=date(2025, 2, 1),
                                            note="", acting_user=officer, through="test")
        with pytest.raises(DomainError, match="already recorded"):
            services.record_inventory_audit(district=world.district, month=date(2025, 1, 1),
                                            note="", acting_user=officer, through="test")
    assert selectors.inventory_counts(county, date(2025, 1, 31))["in_stock"] == 1


def test_the_compliance_rule_counts_the_generated_audit(world, settings):
    """The 003 rule is unchanged: the audit is due by working day 5 of the next month."""
    from iom.casework.selectors import compliance_items

    supervisor = world.users["police"]
    assert compliance_rules().tag_audit_due_working_day_of_next_month == 5

    def status() -> str:
        items = [i for i in compliance_items(supervisor, date(2025, 2, 10), rule="tag_audit")
                 if i.what == "Tags audit for January 2025" and i.district == world.district.name]
        return items[0].status

    assert status() == "late"
    with time_machine.travel(date(2025, 2, 6)):
        services.record_inventory_audit(district=world.district, month=date(2025, 1, 1),
                                        note="", acting_user=supervisor, through="test")
    assert status() == "met"
