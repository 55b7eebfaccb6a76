"""Placement: only case workers lead a case or serve as its police officer (offered
and accepted alike), and a status made BLUE by custody says why on the page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from iom.cohorts.lifecycle import services
from iom.cohorts.models import CohortMembership
from iom.cohorts.tests.factories import PLACED, THROUGH, decide, fresh, refer, to_panel
from iom.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _accepted(world):
    case = to_panel(world, refer(world))
    decide(world, case)
    return fresh(case)


def _place(world, case, **team):
    services.place_on_cohort(
        membership=case, version=fresh(case).version, cohort_type="fixed",
        lead_agency=world.orgs["police"], rag="amber", placed_on=PLACED,
        reason="Panel allocation", acting_user=world.users["police"], through=THROUGH,
        **{"lead_professional": world.users["police"], "police_officer": world.users["police"],
           **team})


@pytest.mark.parametrize("role", ["admin", "analyst", "dpo"])
def test_the_service_refuses_a_non_case_worker_as_lead_professional(world, role):
    case = _accepted(world)
    with pytest.raises(DomainError) as refused:
        _place(world, case, lead_professional=world.users[role])
    assert [p.field for p in refused.value.problems] == ["lead_professional"]
    assert "works with no named people" in refused.value.problems[0].message
    assert fresh(case).state == case.state  # nothing stored


@pytest.mark.parametrize("role", ["admin", "analyst", "dpo"])
def test_the_service_refuses_a_non_case_worker_as_police_officer(world, role):
    case = _accepted(world)
    with pytest.raises(DomainError) as refused:
        _place(world, case, police_officer=world.users[role])
    assert [p.field for p in refused.value.problems] == ["police_officer"]


def test_the_service_accepts_case_workers(world):
    case = _accepted(world)
    _place(world, case)
    assert fresh(case).state == "on_cohort"


def _options(page: str, field: str) -> set[str]:
    select = re.search(rf'<select[^>]*name="{field}".*?</select>', page, re.S)
    assert select is not None, field
    return set(re.findall(r'<option value="(\d+)"', select.group(0)))


def test_the_form_offers_only_case_workers(client, world):
    _accepted(world)
    client.force_login(world.users["police"])
    page = client.get(f"/people/{world.person.pk}/case/placement/").content.decode()
    others = {str(world.users[r].pk) for r in ("admin", "analyst", "dpo")}
    for field in ("lead_professional", "police_officer"):
        offered = _options(page, field)
        assert str(world.users["police"].pk) in offered
        assert not offered & others, field
    assert str(world.users["probation"].pk) in _options(page, "lead_professional")


def test_placing_a_person_in_custody_says_why_the_status_is_blue(client, world):
    case = _accepted(world)
    today = timezone.localdate()
    services.record_custody(nominal=world.person, acting_user=world.users["police"],
                            through=THROUGH, fields={
                                "custody_type": "remand", "start_date": today - timedelta(days=3),
                                "establishment": "HMP Northshire"})
    client.force_login(world.users["police"])
    url = f"/people/{world.person.pk}/case/placement/"
    form = client.get(url).content.decode()
    assert "the status is BLUE whatever is chosen below" in form
    response = client.post(url, {
        "version": fresh(case).version, "cohort_type": "fixed", "rag": "red",
        "lead_agency": world.orgs["police"].pk, "lead_professional": world.users["police"].pk,
        "police_officer": world.users["police"].pk, "placed_on": today.isoformat(),
        "reason": "Allocated at the panel"}, follow=True)
    page = response.content.decode()
    assert CohortMembership.objects.get(pk=case.pk).rag == "blue"
    assert "The RAG status is BLUE, not RED as chosen, because the person is in custody" in page
