"""The compliance rules (003) on dates that cross bank holidays."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from iom.accounts.models import Role
from iom.casework import services
from iom.casework.compliance import judge
from iom.casework.selectors import compliance_items
from iom.cohorts.lifecycle import CohortState
from iom.cohorts.tests.factories import case_on_cohort
from iom.scoring.models import EmergingThreat


def test_judging_a_deadline():
    due = date(2025, 1, 3)
    assert judge(due, None, date(2025, 1, 3)) == ("due", 0)
    assert judge(due, None, date(2025, 1, 7)) == ("late", 2)
    assert judge(due, date(2025, 1, 6), date(2025, 2, 1)) == ("met_late", 1)
    assert judge(due, date(2025, 1, 2), date(2025, 2, 1)) == ("met", 0)


@pytest.fixture
def supervisor(world):
    user = world.users["police"]
    user.role = Role.SUPERVISOR
    user.save()
    return user


@time_machine.travel(date(2025, 1, 8), tick=False)
def test_plan_deadline_skips_christmas_and_new_year(world, supervisor):
    # Selected on Friday 20 December 2024: 7 working days later is Friday 3 January 2025.
    case_on_cohort(world.person, date(2024, 12, 20), lead=supervisor)
    [item] = compliance_items(supervisor, date(2025, 1, 8), rule="plan")
    assert item.due_on == date(2025, 1, 3)
    assert (item.status, item.late_by) == ("late", 3)


@time_machine.travel(date(2025, 1, 8), tick=False)
def test_an_endorsed_plan_meets_the_rule(world, supervisor):
    case_on_cohort(world.person, date(2024, 12, 20), lead=supervisor)
    plan = services.start_plan(nominal=world.person, started_on=date(2024, 12, 23), summary="",
                               acting_user=supervisor, through="test")
    services.add_need(plan=plan, pathway="drugs", level="high", description="Heroin use",
                      assessed_on=date(2024, 12, 23), acting_user=supervisor, through="test")
    services.endorse_plan(plan=plan, endorsed_on=date(2025, 1, 2), acting_user=supervisor,
                          through="test")
    [item] = compliance_items(supervisor, date(2025, 1, 8), rule="plan")
    assert (item.status, item.late_by, item.done_on) == ("met", 0, date(2025, 1, 2))


@time_machine.travel(date(2025, 5, 1), tick=False)
def test_deregistration_deadline_crosses_easter(world, supervisor):
    # Left on Wednesday 16 April 2025; Good Friday and Easter Monday do not count.
    case = case_on_cohort(world.person, date(2024, 6, 3), lead=supervisor,
                     state=CohortState.EXITED, ended_on=date(2025, 4, 16))
    [item] = compliance_items(supervisor, date(2025, 5, 1), rule="deregistration")
    assert item.due_on == date(2025, 4, 29)
    assert (item.status, item.late_by) == ("late", 2)
    services.record_deregistration(membership=case, recorded_on=date(2025, 4, 30),
                                   rationale="Six months of progress; exit agreed at panel",
                                   acting_user=supervisor, through="test")
    [item] = compliance_items(supervisor, date(2025, 5, 1), rule="deregistration")
    assert (item.status, item.late_by) == ("met_late", 1)


def _threat(nominal, raised_on):
    return EmergingThreat.objects.create(nominal=nominal, raised_on=raised_on, score_before=300,
                                         score_now=600)


@time_machine.travel(date(2025, 1, 10), tick=False)
def test_threat_reviews_twice_in_each_period_across_christmas(world, supervisor):
    # Raised Monday 23 December 2024: the first period is 23, 24, 27, 30, 31 December,
    # 2 and 3 January (Christmas, Boxing Day and New Year's Day do not count).
    threat = _threat(world.person, date(2024, 12, 23))
    services.review_threat(threat=threat, reviewed_on=date(2024, 12, 24),
                           outcome="keep_watching", rationale="Rise driven by two arrests",
                           acting_user=supervisor, through="test")
    [item] = compliance_items(supervisor, date(2025, 1, 10), rule="threat_review")
    assert item.due_on == date(2025, 1, 3)
    assert (item.status, item.late_by) == ("late", 5)
    services.review_threat(threat=threat, reviewed_on=date(2025, 1, 3),
                           outcome="keep_watching", rationale="Still rising; keep watching",
                           acting_user=supervisor, through="test")
    [item] = compliance_items(supervisor, date(2025, 1, 10), rule="threat_review")
    assert item.status == "due"  # the second period (6 to 14 January) is under way


@time_machine.travel(date(2025, 1, 10), tick=False)
def test_a_closing_review_ends_the_need_for_reviews(world, supervisor):
    threat = _threat(world.person, date(2024, 12, 23))
    services.review_threat(threat=threat, reviewed_on=date(2024, 12, 24),
                           outcome="propose_selection", rationale="To the partnership meeting",
                           acting_user=supervisor, through="test")
    assert compliance_items(supervisor, date(2025, 1, 10), rule="threat_review") == []


@time_machine.travel(date(2025, 1, 9), tick=False)
def test_monthly_tag_audit_is_due_by_the_fifth_working_day(world, supervisor):
    # December 2024's audit is due by the 5th working day of January: Wednesday 8 January.
    items = [i for i in compliance_items(supervisor, date(2025, 1, 9), rule="tag_audit")
             if "December 2024" in i.what]
    assert [(i.due_on, i.status, i.late_by) for i in items] == [(date(2025, 1, 8), "late", 1)]
    services.record_tag_audit(district=world.district, month=date(2024, 12, 1),
                              completed_on=date(2025, 1, 7), findings="Twelve active, one lost",
                              acting_user=supervisor, through="test")
    items = [i for i in compliance_items(supervisor, date(2025, 1, 9), rule="tag_audit")
             if "December 2024" in i.what]
    assert items[0].status == "met"


def test_a_caseworker_sees_only_their_caseload(world):
    case_on_cohort(world.consented, date(2025, 1, 6))
    assert compliance_items(world.users["probation"], date(2025, 3, 1), rule="plan") == []


def test_the_rules_are_configurable(world, supervisor, settings):
    settings.IOM_COMPLIANCE = {"plan_within_working_days": 10}
    case_on_cohort(world.person, date(2024, 12, 20), lead=supervisor)
    [item] = compliance_items(supervisor, date(2025, 1, 8), rule="plan")
    assert item.due_on == date(2025, 1, 8)
