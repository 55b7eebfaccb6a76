"""A plan is closed with a reason when the person leaves, stays as history, and a
new plan is started when they come back to the cohort."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from iom.audit.models import AccessLogEntry
from iom.casework import services
from iom.casework.models import InterventionPlan
from iom.cohorts.lifecycle import CohortState
from iom.cohorts.tests.factories import case_on_cohort
from iom.core.errors import DomainError

TODAY = timezone.localdate()


def _plan(world, started_days_ago: int = 20) -> InterventionPlan:
    return services.start_plan(nominal=world.person, started_on=TODAY - timedelta(
        days=started_days_ago), summary="", acting_user=world.users["police"], through="test")


def test_a_closed_plan_stays_and_a_new_one_starts_on_return(world):
    first = case_on_cohort(world.person, TODAY - timedelta(days=30))
    plan = _plan(world)
    first.state, first.ended_on = CohortState.EXITED, TODAY - timedelta(days=5)
    first.save(update_fields=["state", "ended_on"])
    services.close_plan(plan=plan, closed_on=TODAY - timedelta(days=5), reason="left_cohort",
                        acting_user=world.users["police"], through="test")
    case_on_cohort(world.person, TODAY - timedelta(days=1))
    second = _plan(world, started_days_ago=0)
    assert list(InterventionPlan.objects.filter(nominal=world.person)) == [second, plan]
    plan.refresh_from_db()
    assert (plan.closed_reason, plan.closed_by) == ("left_cohort", world.users["police"])
    entry = AccessLogEntry.objects.filter(detail__event="plan closed").get()
    assert entry.detail["new"]["reason"] == "left_cohort"


def test_the_service_refuses_bad_closures(world):
    case_on_cohort(world.person, TODAY - timedelta(days=30))
    plan = _plan(world)
    police = world.users["police"]
    cases: list[tuple[dict[str, Any], str]] = [({"reason": "other", "note": ""}, "note"),
             ({"reason": "whim"}, "reason"),
             ({"reason": "custody", "closed_on": TODAY - timedelta(days=40)}, "closed_on"),
             ({"reason": "custody", "closed_on": TODAY + timedelta(days=1)}, "closed_on")]
    for given, field in cases:
        kwargs: dict[str, Any] = {"closed_on": TODAY, **given}
        with pytest.raises(DomainError) as caught:
            services.close_plan(plan=plan, acting_user=police, through="test", **kwargs)
        assert caught.value.problems[0].field == field
    services.close_plan(plan=plan, closed_on=TODAY, reason="custody", acting_user=police,
                        through="test")
    with pytest.raises(DomainError, match="already closed"):
        services.close_plan(plan=plan, closed_on=TODAY, reason="custody", acting_user=police,
                            through="test")


def test_the_plan_is_closed_through_the_page(client, world):
    case_on_cohort(world.person, TODAY - timedelta(days=30), lead=world.users["police"])
    _plan(world)
    client.force_login(world.users["police"])
    base = f"/people/{world.person.pk}/casework/"
    assert "Close the plan" in client.get(base).content.decode()
    response = client.post(base + "plan/close/", {"reason": "other", "closed_on": str(TODAY)})
    assert "why the plan is closing" in response.content.decode()
    response = client.post(base + "plan/close/", {"reason": "transferred",
                                                  "closed_on": str(TODAY)})
    assert response.status_code == 302
    page = client.get(base).content.decode()
    assert "Earlier plans" in page and "the person moved to another area" in page
    assert "Start an intervention plan" in page


def test_a_partner_cannot_close_a_plan(client, world):
    case_on_cohort(world.consented, TODAY - timedelta(days=30))
    services.start_plan(nominal=world.consented, started_on=TODAY, summary="",
                        acting_user=world.users["police"], through="test")
    client.force_login(world.users["mentor"])
    client.post(f"/people/{world.consented.pk}/reason/", {"purpose": "Covering for a colleague"})
    response = client.post(f"/people/{world.consented.pk}/casework/plan/close/",
                           {"reason": "custody", "closed_on": str(TODAY)})
    assert response.status_code == 403
    assert InterventionPlan.objects.get(nominal=world.consented).closed_on is None
