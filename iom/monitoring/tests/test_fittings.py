"""Fitting a voluntary tag: consent first, youths with a guardian, 12 months at most."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from iom.core.errors import DomainError
from iom.monitoring import selectors, services
from iom.monitoring.models import DeviceState
from iom.monitoring.rules import monitoring_rules
from iom.monitoring.tests.factories import add_unit, fitted

pytestmark = pytest.mark.django_db


def _young(world, born: date):
    world.person.date_of_birth = born
    world.person.save(update_fields=["date_of_birth"])
    return world.person


def _consent(world, nominal, **overrides):
    fields = {"purpose": "protect_victim", "consented_on": date(2025, 2, 1),
              "planned_start": date(2025, 2, 3), "planned_end": date(2025, 8, 1)}
    return services.record_consent(nominal=nominal, acting_user=world.users["police"],
                                   through="test", **{**fields, **overrides})


def test_a_child_under_twelve_cannot_consent_and_a_youth_needs_a_guardian(world):
    with pytest.raises(DomainError, match="aged 12 or over"):
        _consent(world, _young(world, date(2013, 2, 2)))  # 11 on the day
    with pytest.raises(DomainError, match="parent or guardian"):
        _consent(world, _young(world, date(2013, 2, 1)))  # 12 that day
    fitting = _consent(world, world.person, guardian_name="Mary Smith",
                       guardian_relationship="Mother")
    unit = add_unit(world)
    when = datetime(2025, 2, 3, 11, tzinfo=UTC)
    with pytest.raises(DomainError, match="present"):
        services.fit_tag(fitting=fitting, device=unit, fitted_at=when, guardian_present=False,
                         acting_user=world.users["police"], through="test")
    services.fit_tag(fitting=fitting, device=unit, fitted_at=when, guardian_present=True,
                     acting_user=world.users["police"], through="test")
    unit.refresh_from_db()
    assert unit.state == DeviceState.FITTED


def test_a_tag_is_worn_for_twelve_months_at_most_with_a_review_before(world, settings):
    with pytest.raises(DomainError, match="at most 12 months"):
        _consent(world, world.person, planned_end=date(2026, 2, 4))
    settings.IOM_MONITORING = {"max_fitting_months": 6}
    with pytest.raises(DomainError, match="at most 6 months"):
        _consent(world, world.person, planned_end=date(2025, 8, 4))
    settings.IOM_MONITORING = {}
    fitting = fitted(world)
    rules = monitoring_rules()
    due = selectors.review_due_on(fitting, rules)
    assert due == date(2025, 12, 31) - timedelta(days=28)
    assert selectors.fittings_due_review(world.users["police"], due, rules) == [fitting]
    assert selectors.fittings_due_review(world.users["police"], date(2025, 12, 2), rules) == []


def test_consent_comes_before_the_fitting_and_removal_returns_the_unit(world):
    fitting = _consent(world, world.person)
    unit = add_unit(world)
    with pytest.raises(DomainError, match="after consent"):
        services.fit_tag(fitting=fitting, device=unit,
                         fitted_at=datetime(2025, 1, 31, 12, tzinfo=UTC),
                         guardian_present=False, acting_user=world.users["police"],
                         through="test")
    with pytest.raises(DomainError, match="already has a tag"):
        _consent(world, world.person)
    services.fit_tag(fitting=fitting, device=unit, fitted_at=datetime(2025, 2, 3, 9, tzinfo=UTC),
                     guardian_present=False, acting_user=world.users["police"], through="test")
    with time_machine.travel(date(2025, 3, 1)):
        services.remove_tag(fitting=fitting, removed_at=datetime(2025, 2, 28, 9, tzinfo=UTC),
                            reason="Planned end", device_state=DeviceState.FAULTY,
                            acting_user=world.users["police"], through="test")
    unit.refresh_from_db()
    assert unit.state == DeviceState.FAULTY
    assert [e.to_state for e in unit.events.all()] == ["in_stock", "fitted", "faulty"]
