"""The candidate list opens on the partnership's own scheme policy: the one most of its
cases run under (or the one configured), not simply the first installed."""

from __future__ import annotations

import re

import pytest

from iom.cohorts.tests.factories import refer

pytestmark = pytest.mark.django_db


def _selected_policy(page: str) -> str:
    chosen = re.search(r'<option value="([^"]+)"[^>]*selected', page)
    assert chosen is not None, page[:2000]
    return chosen.group(1)


def test_the_list_opens_on_the_policy_the_partnership_works(client, world):
    refer(world, policy="derbyshire-2021")
    client.force_login(world.users["police"])
    page = client.get("/cohorts/candidates/").content.decode()
    assert _selected_policy(page).startswith("derbyshire-2021@")
    assert "Derbyshire 2021" in page


def test_a_configured_policy_is_the_default(client, world, settings):
    settings.IOM_MEETING_POLICIES = {"Northshire": "london"}
    client.force_login(world.users["police"])
    page = client.get("/cohorts/candidates/").content.decode()
    assert _selected_policy(page).startswith("london@")


def test_a_chosen_policy_still_wins(client, world):
    refer(world, policy="derbyshire-2021")
    client.force_login(world.users["police"])
    page = client.get("/cohorts/candidates/", {"policy": "london@1"}).content.decode()
    assert _selected_policy(page) == "london@1"
