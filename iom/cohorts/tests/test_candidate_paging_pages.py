"""The candidate list and the what-if comparison a page at a time, in the pages and the
API: the totals and counts cover everyone, the filters apply before paging, and the
GOV.UK pagination links to the other pages."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from iom.cohorts.candidates import views as candidate_views
from iom.cohorts.tests.factories import AS_AT, Scores, event, person, store_scores

pytestmark = pytest.mark.django_db

DAY = {"as_at_0": str(AS_AT.day), "as_at_1": str(AS_AT.month), "as_at_2": str(AS_AT.year)}


def _people(world: Any) -> None:
    """Three who meet London's 75+ and two near misses (OGRS 3 of 50 with a burglary)."""
    made = {}
    for n, ogrs in enumerate((95, 85, 75, 50, 50)):
        someone = person(world, name=f"Paged{n}")
        event(world, someone, AS_AT.replace(month=4), "28E")
        made[someone] = Scores(ogrs3=ogrs)
    store_scores(world, made)


def test_pages_of_candidates_keep_the_whole_list_counts(client, world, monkeypatch):
    monkeypatch.setattr(candidate_views, "PAGE_SIZE", 2)
    _people(world)
    client.force_login(world.users["police"])
    page = client.get("/cohorts/candidates/", {**DAY, "policy": "london@1", "page": "2"}
                      ).content.decode()
    assert "5 candidates, of whom 3 meet a cohort type" in page
    assert "Showing 3 to 4." in page and "govuk-pagination" in page
    assert 'aria-current="page">2</a>' in page and "page=3" in page
    page = client.get("/cohorts/candidates/", {**DAY, "policy": "london@1",
                                               "near_misses": "on"}).content.decode()
    assert "2 match the filters chosen" in page and "Paged3" in page and "Paged0" not in page


def test_the_api_pages_with_totals_for_everyone(client, world, token_for):
    _people(world)
    response = client.get("/api/cohorts/candidates", {
        "policy": "london", "as_at": AS_AT.isoformat(), "limit": 2, "offset": 2},
        HTTP_AUTHORIZATION=token_for("police"))
    body = response.json()
    assert response.status_code == 200, body
    assert (body["count"], body["total"], body["matching"]) == (2, 5, 5)
    assert body["counts"] == {"london": 3, "": 2}
    response = client.get("/api/cohorts/compare", {
        "first": "london", "second": "derbyshire-2015", "as_at": AS_AT.isoformat(),
        "limit": 1, "show": "differing"}, HTTP_AUTHORIZATION=token_for("police"))
    body = response.json()
    assert response.status_code == 200, body
    assert len(body["rows"]) == 1 and body["rows"][0]["differs"]
    assert body["total"] == 5 and body["matching"] == body["differing"] >= 1


@pytest.mark.parametrize("path", ["/cohorts/candidates/", "/cohorts/what-if/"])
def test_the_default_lists_next_page_is_the_default_list_again(client, world, monkeypatch,
                                                              path):
    """The first page with nothing chosen links to "?page=2": a page number alone chooses
    nothing, so that is the default list's second page, not a form missing its policy."""
    monkeypatch.setattr(candidate_views, "PAGE_SIZE", 2)
    with time_machine.travel(AS_AT, tick=False):  # the default day is today: the scores' day
        _people(world)
        client.force_login(world.users["police"])
        first = client.get(path).content.decode()
        assert 'href="?page=2"' in first
        second = client.get(path, {"page": "2"}).content.decode()
    assert "Showing 1 to 2" in first
    assert "There is a problem" not in second and "govuk-error-summary" not in second
    assert "Showing 3 to " in second
