"""The analyst's home leads to the cohort's figures: counts across the partnership,
never a name or a way to a person."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from iom.audit.models import AccessLogEntry
from iom.cohorts.tests.factories import case_on_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world):
    today = timezone.localdate()
    for nominal in (world.person, world.unconsented):
        case = case_on_cohort(nominal, today - timedelta(days=30))
        case.policy_name = "derbyshire-2021"
        case.save(update_fields=["policy_name"])
    case_on_cohort(world.foreign, today - timedelta(days=30))  # another partnership's


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_analyst_home_leads_to_the_figures(client, world):
    client.force_login(world.users["analyst"])
    home = client.get("/").content.decode()
    assert 'href="/cohorts/figures/"' in home and 'href="/scores/ogrs3/"' in home


def test_the_analyst_reads_counts_of_the_partnership_without_names(client, world, cases):
    client.force_login(world.users["analyst"])
    response = client.get("/cohorts/figures/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 people on the cohort" in _text(html)  # Northshire's two, not Westmoor's
    for name in ("Smith", "Unconsented", "Elsewhere", "Jonathan"):
        assert name not in html
    assert "/people/" not in html
    entry = AccessLogEntry.objects.filter(username="analyst_police").latest("at")
    assert entry.records == [] and entry.detail == {"list": "cohort figures"}


def test_a_case_worker_counts_only_whom_they_may_see(client, world, cases):
    client.force_login(world.users["mentor"])  # the charity: neither person consented to it
    assert "0 people on the cohort" in _text(client.get("/cohorts/figures/").content.decode())


@pytest.mark.parametrize("persona", ["dpo", "admin"])
def test_roles_without_figures_are_refused(client, world, persona):
    client.force_login(world.users[persona])
    assert client.get("/cohorts/figures/").status_code == 404
