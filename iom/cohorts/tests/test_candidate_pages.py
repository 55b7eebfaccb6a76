"""The candidate list and the what-if comparison, in the browser's pages and the API:
who qualifies and why, who is refused, named errors, and a difference between two
policies for a person built to qualify under one only."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from iom.audit.models import AccessLogEntry
from iom.cohorts.tests.factories import AS_AT, Scores, event, person, store_scores
from iom.people.models import Nominal

pytestmark = pytest.mark.django_db

RECENT = date(2025, 4, 1)
DAY = {"as_at_0": "2", "as_at_1": "6", "as_at_2": "2025"}


def _scored(world: Any, name: str, code: str, ogrs3: int) -> Nominal:
    """A person with a recent conviction, scored in a fresh run with those made before."""
    someone = person(world, name=name)
    event(world, someone, RECENT, code, offence_on=RECENT)
    made: dict[Nominal, Scores] = world.__dict__.setdefault("scored_people", {})
    made[someone] = Scores(ogrs3=ogrs3)
    store_scores(world, made)
    return someone


def _london_only(world: Any) -> Nominal:
    """OGRS 3 of 75 with a recent conviction: in under London, out under Derbyshire 2015."""
    return _scored(world, "Lonny", "46", 75)


def _near_miss(world: Any) -> Nominal:
    """OGRS 3 of 50 with a recent burglary: one short of London's 51 to 74 rule."""
    return _scored(world, "Nearly", "28E", 50)


def _page(client: Any, path: str, **params: str) -> tuple[int, str]:
    response = client.get(path, {**DAY, **params})
    return response.status_code, response.content.decode()


def _api(client: Any, token_for: Any, path: str, persona: str = "police",
         **params: str) -> Any:
    return client.get(f"/api/cohorts/{path}", params, HTTP_AUTHORIZATION=token_for(persona))


def test_a_person_who_qualifies_appears_with_reasons(client, world):
    someone = _london_only(world)
    client.force_login(world.users["police"])
    status, page = _page(client, "/cohorts/candidates/", policy="london@1")
    assert status == 200, page[:2000]
    for text in ("Lonny Candidate", str(someone.pnc_id), "London", "Met",
                 "OGRS 3 (2-year) 75 (wanted 75 or more)", f"/people/{someone.pk}/case/refer/",
                 f"/people/{someone.pk}/", "It places nobody",
                 f"/scores/people/{someone.pk}/?as_at={AS_AT:%Y-%m-%d}"):  # the working
        assert text in page, text
    assert AccessLogEntry.objects.filter(nominal_id=someone.pk,
                                         user_id=world.users["police"].pk).exists()


def test_the_api_lists_the_same_person_with_each_criterion(client, world, token_for):
    someone = _london_only(world)
    response = _api(client, token_for, "candidates", policy="london", as_at=AS_AT.isoformat())
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["policy"] == {"name": "london", "version": 1, "title": "London"}
    found = next(c for c in body["candidates"] if c["person_id"] == someone.pk)
    assert found["suggested_cohort_type"] == {"key": "london", "label": "London IOM cohort"}
    assert found["included"] and not found["near_miss"]
    assert any(c["met"] and "75 (wanted 75 or more)" in c["why"] for c in found["criteria"])
    assert {s["name"] for s in found["scores"]} >= {"ogrs3"}


def test_near_misses_are_marked_and_can_be_shown_alone(client, world, token_for):
    qualifies, nearly = _london_only(world), _near_miss(world)
    client.force_login(world.users["police"])
    _, page = _page(client, "/cohorts/candidates/", policy="london@1")
    assert "Lonny Candidate" in page and "Nearly Candidate" in page and "Near miss" in page
    _, page = _page(client, "/cohorts/candidates/", policy="london@1", near_misses="on")
    assert "Nearly Candidate" in page and "Lonny Candidate" not in page
    assert "Near misses only" in page  # the chosen filter is shown
    body = _api(client, token_for, "candidates", policy="london",
                as_at=AS_AT.isoformat()).json()
    marks = {c["person_id"]: c["near_miss"] for c in body["candidates"]}
    assert marks[qualifies.pk] is False and marks[nearly.pk] is True


def test_a_partner_outside_the_statutory_agencies_is_refused(client, world, token_for):
    _london_only(world)
    client.force_login(world.users["mentor"])
    for path in ("/cohorts/candidates/", "/cohorts/what-if/"):
        status, page = _page(client, path, policy="london@1")
        assert status == 403 and "Lonny" not in page
    for path in ("candidates", "compare"):
        response = _api(client, token_for, path, "mentor", policy="london", first="london",
                        second="derbyshire-2015")
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"


def test_someone_without_case_work_is_told_nothing(client, world, token_for):
    client.force_login(world.users["analyst"])
    assert client.get("/cohorts/candidates/").status_code == 404
    assert _api(client, token_for, "candidates", "analyst", policy="london").status_code == 404


def test_an_unknown_policy_or_a_bad_date_is_a_named_error_on_the_page(client, world):
    client.force_login(world.users["police"])
    status, page = _page(client, "/cohorts/candidates/", policy="nowhere@1")
    assert status == 200 and "Unknown scheme policy" in page and "govuk-error-summary" in page
    assert 'href="#id_policy"' in page
    status, page = _page(client, "/cohorts/candidates/", policy="london@1", as_at_0="31",
                         as_at_1="2")
    assert "The as-at date must be a real date" in page
    tomorrow = timezone.localdate() + timedelta(days=1)
    _, page = _page(client, "/cohorts/what-if/", first="london@1", second="london@1",
                    as_at_0=str(tomorrow.day), as_at_1=str(tomorrow.month),
                    as_at_2=str(tomorrow.year))
    assert "between 1 January 2000 and today" in page
    _, page = _page(client, "/cohorts/what-if/", first="london@1", second="london@7")
    assert "london has no version 7" in page and 'href="#id_second"' in page


@pytest.mark.parametrize(("path", "params", "field", "code"), [
    ("candidates", {"policy": "nowhere"}, "policy", "unknown_policy"),
    ("candidates", {"policy": ""}, "policy", "unknown_policy"),
    ("candidates", {"policy": "london", "version": "9"}, "version", "unknown_policy"),
    ("candidates", {"policy": "london", "as_at": "2025-02-30"}, "as_at", "invalid_date"),
    ("candidates", {"policy": "london", "as_at": "2999-01-01"}, "as_at", "invalid_date"),
    ("compare", {"first": "london", "second": "nowhere@1"}, "second", "unknown_policy"),
    ("compare", {"first": "london@x", "second": "london"}, "first", "unknown_policy"),
    ("compare", {"first": "london", "second": "london", "as_at": "soon"}, "as_at",
     "invalid_date"),
])
def test_the_api_names_the_bad_parameter(client, world, token_for, path, params, field, code):
    response = _api(client, token_for, path, **params)
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert [f["field"] for f in error["fields"]] == [field]


def test_what_if_shows_a_person_in_under_one_policy_and_out_under_the_other(
        client, world, token_for):
    someone = _london_only(world)
    client.force_login(world.users["police"])
    status, page = _page(client, "/cohorts/what-if/", first="london@1",
                         second="derbyshire-2015@1")
    assert status == 200, page[:2000]
    for text in ("Lonny Candidate", "In: London", "Differs", "In under the first only",
                 "Derbyshire 2015 (version 1)"):
        assert text in page, text
    _, page = _page(client, "/cohorts/what-if/", first="london@1", second="derbyshire-2015@1",
                    show="out_in")
    assert "Lonny Candidate" not in page
    response = _api(client, token_for, "compare", first="london", second="derbyshire-2015@1",
                    as_at=AS_AT.isoformat())
    assert response.status_code == 200, response.content
    body = response.json()
    row = next(r for r in body["rows"] if r["person_id"] == someone.pk)
    assert row["outcome"] == "in_out" and row["differs"]
    assert row["first"]["cohort_type"] == {"key": "london", "label": "London IOM cohort"}
    assert not row["second"]["included"] and row["second"]["reasons"]
    assert body["counts"]["in_out"] >= 1
    assert sum(body["counts"].values()) == len(body["rows"])


def test_the_dashboard_links_to_both_pages(client, world):
    client.force_login(world.users["police"])
    page = client.get("/cohorts/").content.decode()
    assert "/cohorts/candidates/" in page and "/cohorts/what-if/" in page
