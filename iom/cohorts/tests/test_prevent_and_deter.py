"""The prevent and deter strand (004 1.8: "a range of frustration and disruption tactics
are used by the Police to minimise the opportunities for re-offending that can be
utilised for adults or young people"), where a scheme policy runs it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from iom.cohorts.lifecycle import Strand, services, strands_of
from iom.cohorts.models import Transition
from iom.cohorts.policy.schemes import scheme_terms
from iom.cohorts.tests.factories import (
    THROUGH,
    decide,
    fresh,
    on_cohort,
    place,
    refer,
    to_panel,
)
from iom.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _west_yorkshire_case(world):
    case = to_panel(world, refer(world, policy="west-yorkshire"))
    decide(world, case)
    return place(world, case, cohort_type="risk_of_reoffending")


def _move(world, case, to):
    return services.change_strand(
        membership=case, version=fresh(case).version, to=to,
        on=timezone.localdate() - timedelta(days=1), reason="Disruption agreed at tasking",
        acting_user=world.users["police"], through=THROUGH)


def test_only_west_yorkshire_runs_prevent_and_deter():
    """004 1.7-1.8 are the Leeds (West Yorkshire) strands; the other policies name none."""
    assert scheme_terms("west-yorkshire").rules.prevent_and_deter
    for name in ("derbyshire-2015", "derbyshire-2021", "london"):
        assert not scheme_terms(name).rules.prevent_and_deter
        assert Strand.PREVENT_AND_DETER not in dict(strands_of(scheme_terms(name)))


def test_a_case_moves_into_prevent_and_deter_through_the_strand_step(world):
    case = _west_yorkshire_case(world)
    step = _move(world, case, Strand.PREVENT_AND_DETER)
    assert fresh(case).strand == Strand.PREVENT_AND_DETER
    assert step.detail["to_strand"] == "Prevent and deter"
    assert Transition.objects.filter(pk=step.pk).exists()


def test_a_scheme_without_it_refuses_the_move(world):
    case = on_cohort(world)  # Derbyshire 2021
    with pytest.raises(DomainError) as refused:
        _move(world, case, Strand.PREVENT_AND_DETER)
    assert "no prevent and deter strand" in refused.value.problems[0].message
    assert fresh(case).strand == Strand.STANDARD


@pytest.mark.parametrize(("west_yorkshire", "offered"), [(False, False), (True, True)])
def test_the_strand_page_offers_it_only_where_the_scheme_runs_it(client, world, west_yorkshire,
                                                                  offered):
    if west_yorkshire:
        _west_yorkshire_case(world)
    else:
        on_cohort(world)
    client.force_login(world.users["police"])
    page = client.get(f"/people/{world.person.pk}/case/step/change_strand/").content.decode()
    assert ("Prevent and deter" in page) is offered


def test_the_dashboard_counts_it_where_a_scheme_runs_it(client, world, token_for):
    client.force_login(world.users["police"])
    assert "Prevent and deter" not in client.get("/cohorts/").content.decode()
    case = _west_yorkshire_case(world)
    _move(world, case, Strand.PREVENT_AND_DETER)
    assert "Prevent and deter" in client.get("/cohorts/").content.decode()
    body = client.get("/api/cohorts/dashboard", HTTP_AUTHORIZATION=token_for("police")).json()
    [row] = [r for r in body["by_strand"] if r["strand"] == "prevent_and_deter"]
    assert row["count"] == 1 and row["moved_in"] == 1


def test_candidates_say_which_strands_the_scheme_runs(client, world):
    client.force_login(world.users["police"])
    page = client.get("/cohorts/candidates/?policy=west-yorkshire").content.decode()
    assert "Strands in this scheme: Rehabilitate and resettle" in page
    assert "Prevent and deter" in page
    page = client.get("/cohorts/candidates/?policy=london").content.decode()
    assert "Prevent and deter" not in page
