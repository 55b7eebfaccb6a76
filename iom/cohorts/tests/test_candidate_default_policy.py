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


def _selected_options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None, page[:2000]
    return re.findall(r'<option value="([^"]+)"[^>]*selected', select.group(1))


def test_a_policy_named_without_its_version_is_the_one_selected(client, world, settings):
    # A link that names the policy alone (?policy=derbyshire-2021) lists that policy's
    # candidates, and the select says so: not its first option (Derbyshire 2015), nor
    # the partnership's own (London here).
    settings.IOM_MEETING_POLICIES = {"Northshire": "london"}
    client.force_login(world.users["police"])
    page = client.get("/cohorts/candidates/", {"policy": "derbyshire-2021"}).content.decode()
    assert _selected_options(page, "policy") == ["derbyshire-2021@1"]
    assert "Derbyshire 2021" in page
    # The cohort types offered are the named policy's too.
    assert 'value="free"' in page


def test_the_what_if_page_selects_policies_named_without_their_version(client, world):
    client.force_login(world.users["police"])
    page = client.get("/cohorts/what-if/",
                      {"first": "london", "second": "west-yorkshire"}).content.decode()
    assert _selected_options(page, "first") == ["london@1"]
    assert _selected_options(page, "second") == ["west-yorkshire@1"]


def test_an_unknown_policy_name_is_refused_naming_the_field(client, world):
    client.force_login(world.users["police"])
    page = client.get("/cohorts/candidates/", {"policy": "no-such-scheme"}).content.decode()
    assert "govuk-error-summary" in page and "no-such-scheme" in page
