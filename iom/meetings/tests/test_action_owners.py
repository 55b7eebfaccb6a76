"""The action form on a meeting item offers as owners only case workers and
organisations who may see the item's person."""

from __future__ import annotations

import re

import pytest

from iom.meetings.tests.conftest import Room

pytestmark = pytest.mark.django_db

NOT_CASEWORK = ("admin", "analyst", "dpo")


def _select(page: str, name: str) -> str:
    found = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S)
    assert found is not None, name
    return found.group(0)


def test_the_meeting_action_form_offers_only_those_who_may_see_the_person(client, running: Room):
    world = running.world
    item = running.meeting.items.get(nominal=world.person)
    client.force_login(world.users["police"])
    page = client.get(f"/meetings/{running.meeting.pk}/items/{item.pk}/").content.decode()
    users = set(re.findall(r'<option value="(\d+)"', _select(page, "action-owner_user")))
    assert str(world.users["police"].pk) in users
    assert not users & {str(world.users[p].pk) for p in (*NOT_CASEWORK, "mentor")}
    orgs = set(re.findall(r'<option value="(\d+)"', _select(page, "action-owner_organisation")))
    assert str(world.orgs["voluntary"].pk) not in orgs
