"""The initial engagement within 7 working days of selection (003, "IOM Supervision":
"As soon as possible after selection or at the latest within 7 working days, offender
manager to conduct an initial engagement with the offender")."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from iom.accounts.models import Role
from iom.casework.models import Contact, ContactKind, ContactOutcome
from iom.casework.selectors import compliance_figures, compliance_items
from iom.cohorts.tests.factories import case_on_cohort

SELECTED = date(2024, 12, 20)  # a Friday: 7 working days on, past Christmas, is 3 January
DUE = date(2025, 1, 3)


@pytest.fixture
def supervisor(world):
    user = world.users["police"]
    user.role = Role.SUPERVISOR
    user.save()
    return user


def _contact(world, on: date, outcome: str = ContactOutcome.KEPT) -> None:
    Contact.objects.create(nominal=world.person, kind=ContactKind.HOME_VISIT, happened_on=on,
                           outcome=outcome, organisation=world.orgs["police"],
                           recorded_by=world.users["police"])


@time_machine.travel(date(2025, 1, 8), tick=False)
def test_no_kept_contact_is_late_by_working_days_past_the_bank_holidays(world, supervisor):
    case_on_cohort(world.person, SELECTED, lead=supervisor)
    _contact(world, date(2024, 12, 23), ContactOutcome.MISSED)  # a missed visit is not one
    _contact(world, date(2024, 12, 1))  # before selection: not the initial engagement
    [item] = compliance_items(supervisor, date(2025, 1, 8), rule="engagement")
    assert item.due_on == DUE
    assert (item.status, item.late_by) == ("late", 3)


@time_machine.travel(date(2025, 1, 8), tick=False)
@pytest.mark.parametrize(("visited", "status", "late"), [
    (SELECTED, "met", 0),  # on the day of selection
    (DUE, "met", 0),
    (date(2025, 1, 6), "met_late", 1),
])
def test_the_first_kept_contact_after_selection_meets_it(world, supervisor, visited, status,
                                                          late):
    case_on_cohort(world.person, SELECTED, lead=supervisor)
    _contact(world, visited)
    [item] = compliance_items(supervisor, date(2025, 1, 8), rule="engagement")
    assert (item.status, item.late_by, item.done_on) == (status, late, visited)


@time_machine.travel(date(2025, 1, 8), tick=False)
def test_the_rule_has_its_row_on_the_dashboard_and_its_days_are_configuration(
        world, supervisor, settings):
    case_on_cohort(world.person, SELECTED, lead=supervisor)
    settings.IOM_COMPLIANCE = {"engagement_within_working_days": 2}
    [item] = compliance_items(supervisor, date(2025, 1, 8), rule="engagement")
    assert item.due_on == date(2024, 12, 24)  # Monday 23 and Tuesday 24 December
    [row] = [f for f in compliance_figures(compliance_items(supervisor, date(2025, 1, 8)))
             if f.rule == "engagement"]
    assert row.title == "Initial engagement with the person within 2 working days of selection"
    assert (row.items, row.late) == (1, 1)
