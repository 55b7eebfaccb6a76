"""Who is offered, and accepted, as an action's owner: case workers and organisations
that may see the person. Administrators, analysts and data-protection officers see no
named people, and a partner without the person's consent may not see them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from iom.casework import services
from iom.core.errors import DomainError

pytestmark = pytest.mark.django_db

NOT_CASEWORK = ("admin", "analyst", "dpo")


def _offered(page: str, prefix: str) -> set[str]:
    return set(re.findall(rf'<option value="{prefix}(\d+)"', page))


def test_the_action_form_offers_only_those_who_may_see_the_person(client, world):
    client.force_login(world.users["police"])
    page = client.get(f"/people/{world.person.pk}/casework/actions/add/").content.decode()
    users = _offered(page, "user:")
    assert {str(world.users[p].pk) for p in ("police", "probation", "housing")} <= users
    assert not users & {str(world.users[p].pk) for p in (*NOT_CASEWORK, "mentor")}
    orgs = _offered(page, "org:")
    assert str(world.orgs["police"].pk) in orgs
    assert str(world.orgs["voluntary"].pk) not in orgs  # no consent from this person


@pytest.mark.parametrize("persona", NOT_CASEWORK)
def test_the_service_refuses_an_owner_who_sees_no_named_people(world, persona):
    with pytest.raises(DomainError) as refused:
        services.create_action(
            nominal=world.person, title="Home visit", owner_user=world.users[persona],
            due_on=timezone.localdate() + timedelta(days=7), priority="high",
            source_kind="review", source_ref="", acting_user=world.users["police"],
            through="test")
    assert [p.field for p in refused.value.problems] == ["owner"]
