"""The compliance dashboard in pages: the filters survive paging, the summary by rule
covers every row, and a page past the last shows the last."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from iom.casework import views
from iom.cohorts.tests.factories import case_on_cohort
from iom.people import services as people_services

URL = "/casework/compliance/"


@pytest.fixture
def police(client, world, monkeypatch):
    """Two people on the officer's caseload and the cohort, so the plan rule has two
    items; one row a page."""
    monkeypatch.setattr(views, "COMPLIANCE_PAGE", 1)
    lead = world.users["police"]
    people_services.allocate(nominal=world.consented, user=lead, acting_user=None,
                             through="test", start=date(2025, 1, 1))
    case_on_cohort(world.person, timezone.localdate() - timedelta(days=2), lead=lead)
    case_on_cohort(world.consented, timezone.localdate() - timedelta(days=3), lead=lead)
    client.force_login(lead)
    return client


def _rows(response) -> list[str]:
    body = response.content.decode()
    table = body.split("Each item", 1)[1]
    return re.findall(r'href="/people/(\d+)/casework/"', table)


def test_page_two_shows_the_next_rows(police, world):
    first = police.get(URL, {"rule": "plan"})
    second = police.get(URL, {"rule": "plan", "page": "2"})
    assert first.status_code == second.status_code == 200
    assert len(_rows(first)) == len(_rows(second)) == 1
    assert _rows(first) != _rows(second)
    assert {*_rows(first), *_rows(second)} == {str(world.person.pk), str(world.consented.pk)}
    assert "showing 2 to 2, page 2 of 2" in second.content.decode()


def test_the_filters_survive_paging(police):
    body = police.get(URL, {"rule": "plan", "status": "due"}).content.decode()
    assert 'class="govuk-pagination"' in body
    links = re.findall(r'href="\?([^"]*page=2)"', body)
    assert links and all("rule=plan" in link and "status=due" in link for link in links)


def test_the_summary_covers_every_row_not_just_the_page(police):
    body = police.get(URL, {"rule": "plan"}).content.decode()
    assert "2 items, 0 late: showing 1 to 1, page 1 of 2" in body
    summary = body.split("Each item", 1)[0]
    assert re.search(r'numeric">2</td>', summary)


@pytest.mark.parametrize("page", ["99", "0", "-1", "two", "1" * 30])
def test_an_out_of_range_or_odd_page_is_never_an_error(police, page):
    response = police.get(URL, {"rule": "plan", "page": page})
    assert response.status_code == 200
    assert len(_rows(response)) == 1


def test_a_page_past_the_last_shows_the_last_and_says_so(police):
    body = police.get(URL, {"rule": "plan", "page": "99"}).content.decode()
    assert "page 2 of 2" in body
    assert "only 2 pages of items; this is the last" in body
    assert "this is the last" not in police.get(URL, {"rule": "plan"}).content.decode()


def test_one_page_has_no_pagination(police, monkeypatch):
    monkeypatch.setattr(views, "COMPLIANCE_PAGE", 50)
    body = police.get(URL, {"rule": "plan"}).content.decode()
    assert 'class="govuk-pagination"' not in body
    assert "2 items, 0 late</caption>" in body
