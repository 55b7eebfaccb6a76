"""The demo's cases follow custody through the services: a person placed while in
custody (BLUE) and released since is no longer BLUE."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from iom.accounts.models import Role, User
from iom.cohorts.demo import seed_cases
from iom.cohorts.lifecycle import Rag, services
from iom.cohorts.models import CohortMembership

pytestmark = pytest.mark.django_db


def test_a_person_released_before_the_demo_day_is_not_blue(world):
    as_of = timezone.localdate() - timedelta(days=3)
    released = as_of - timedelta(days=7)  # later than the 20 to 30 days back the demo picks
    services.record_custody(nominal=world.person, acting_user=world.users["police"],
                            through="test", fields={
                                "custody_type": "sentence", "start_date": as_of - timedelta(
                                    days=600), "expected_release_date": released,
                                "actual_release_date": released,
                                "establishment": "HMP Northshire"})
    coordinator = User.objects.create_user(
        username="coordinator", password="Not-used-in-tests-4821",
        organisation=world.orgs["police"], role=Role.COORDINATOR)
    users = {"coordinator": coordinator, "police.om": world.users["police"],
             "probation.officer": world.users["probation"]}
    made = seed_cases(people=[world.person], users=users, orgs=world.orgs, as_of=as_of,
                      seed=1, say=lambda _: None)
    assert made == 1
    case = CohortMembership.objects.get(nominal=world.person)
    changes = list(case.rag_changes.order_by("decided_on", "id").values_list("rag", "decided_on"))
    assert changes[0][0] == Rag.BLUE  # placed while inside
    assert case.rag != Rag.BLUE, changes
    assert all(on >= released for _, on in changes[1:])
