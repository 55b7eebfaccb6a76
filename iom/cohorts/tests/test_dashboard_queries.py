"""The cohort dashboard reads the custody and offending of everyone it lists in a fixed
number of queries: the count does not grow with the people shown, and the batched
reads give the same releases and deselection clocks as the one-person selectors."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from iom.cohorts import dashboard, selectors
from iom.cohorts.models import CohortMembership
from iom.cohorts.tests.factories import event, on_cohort
from iom.people.models import CustodyPeriod, Nominal
from iom.people.tests.factories import NominalFactory

pytestmark = pytest.mark.django_db


def _person(world, n: int) -> Nominal:
    return NominalFactory.create(organisation=world.orgs["police"], partnership=world.north,
                                 forename=f"Listed{chr(65 + n)}", surname="Person",
                                 date_of_birth=date(1990, 1, 1 + n))


def _with_history(world, person: Nominal, n: int) -> None:
    """Placed in January 2025, then a remand running into a sentence that ends within
    3 months, and an offence after placement (so the exit clock restarts from it)."""
    today = timezone.localdate()
    on_cohort(world, person)
    CustodyPeriod.objects.create(
        nominal=person, custody_type="remand", start_date=today - timedelta(days=40 + n),
        actual_release_date=today - timedelta(days=20), originating_organisation=world.orgs[
            "prison"])
    CustodyPeriod.objects.create(
        nominal=person, custody_type="sentence", start_date=today - timedelta(days=20),
        expected_release_date=today + timedelta(days=30 + n),
        originating_organisation=world.orgs["prison"])
    event(world, person, date(2025, 6, 1) + timedelta(days=n), "0300",
          offence_on=date(2025, 5, 20))


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/cohorts/").status_code == 200
    return len(queries)


def test_the_dashboards_queries_do_not_grow_with_the_people_listed(client, world):
    for n in range(2):
        _with_history(world, _person(world, n), n)
    client.force_login(world.users["police"])
    few = _queries(client)
    board = client.get("/cohorts/").context["board"]
    assert len(board.managed) == 2 and len(board.releases) == 2
    for n in range(2, 8):
        _with_history(world, _person(world, n), n)
    many = _queries(client)
    board = client.get("/cohorts/").context["board"]
    assert len(board.managed) == 8 and len(board.releases) == 8
    assert many == few, f"{few} queries for 2 people, {many} for 8"


def test_the_batched_reads_agree_with_the_one_person_selectors(world):
    for n in range(3):
        _with_history(world, _person(world, n), n)
    on_cohort(world)  # no custody, no offence since placement
    today = timezone.localdate()
    cases = list(CohortMembership.objects.filter(placed_on__isnull=False))
    ids = [c.nominal_id for c in cases]
    custody = selectors.custody_of(ids, today)
    offences = selectors.offence_dates_of(
        ids, min(c.placed_on for c in cases if c.placed_on is not None), today)
    for case in cases:
        spell = selectors.custody_on(case.nominal_id, today)
        assert custody.on(case.nominal_id, today) == spell
        if spell is not None:
            release = selectors.release_of(spell)
            assert custody.release_of(spell) == release
            # The 20 days of remand ran straight into the sentence, so they come off.
            assert release is not None and spell.expected_release_date is not None
            assert release < spell.expected_release_date
        assert (selectors.exit_clock(case, today, offences=offences)
                == selectors.exit_clock(case, today))
    board = dashboard.dashboard_for(world.users["police"], dashboard.Filters(), today)
    assert sorted(d.day for d in board.releases) == sorted(
        r for s in CustodyPeriod.objects.filter(custody_type="sentence")
        if (r := selectors.release_of(s)) is not None)
