"""The cohort dashboard counts managed people by strand (004 1.7-1.10, 1.24, 1.28)
and says how many strand changes there were in the last 3 months, by hand or after
a consent decision, for the people the user may see."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from iom.cohorts.lifecycle import Strand, services
from iom.cohorts.tests.factories import THROUGH, fresh, on_cohort, youth_on_cohort
from iom.governance.models import ConsentStatus
from iom.governance.services import record_consent

pytestmark = pytest.mark.django_db


def _consent(world, status: str, on: date) -> None:
    record_consent(nominal=world.consented, organisation=world.orgs["voluntary"],
                   status=status, decided_on=on, acting_user=world.users["police"],
                   through=THROUGH)


def test_the_dashboard_counts_people_and_recent_changes_by_strand(client, world):
    today = timezone.localdate()
    on_cohort(world)
    moved = on_cohort(world, world.consented)
    youth_on_cohort(world)
    _consent(world, ConsentStatus.REFUSED, date(2025, 2, 3))  # more than 3 months ago
    _consent(world, ConsentStatus.GIVEN, today - timedelta(days=20))
    _consent(world, ConsentStatus.WITHDRAWN, today - timedelta(days=10))
    assert fresh(moved).strand == Strand.CATCH_AND_CONTROL
    client.force_login(world.users["police"])
    response = client.get("/cohorts/")
    board = response.context["board"]
    assert [(r.label, r.count, r.moved_in) for r in board.strands] == [
        (Strand.STANDARD.label, 1, 1), (Strand.DETER_YOUNG_OFFENDER.label, 1, 0),
        (Strand.CATCH_AND_CONTROL.label, 1, 1)]
    page = response.content.decode()
    assert "People on the cohort by strand" in page
    assert "2 strand changes in the last 3 months" in page
    assert "Catch and control</th>" in page and "Deter Young Offender (10 to 17)</th>" in page


def test_strand_counts_follow_the_filters_and_the_access_policy(client, world):
    today = timezone.localdate()
    case = on_cohort(world, rag="red")
    services.change_strand(membership=case, version=fresh(case).version,
                           to=Strand.CATCH_AND_CONTROL, on=today - timedelta(days=5),
                           reason="Police allocation on intelligence of refusal to engage",
                           acting_user=world.users["police"], through=THROUGH)
    client.force_login(world.users["police"])
    page = client.get("/cohorts/").content.decode()
    assert "1 strand change in the last 3 months" in page
    green = client.get("/cohorts/", {"rag": "green"}).context["board"]
    assert green.strand_changes == 0 and sum(r.count for r in green.strands) == 0
    client.force_login(world.users["outsider"])
    board = client.get("/cohorts/").context["board"]
    assert board.strand_changes == 0 and sum(r.count for r in board.strands) == 0


def test_the_api_dashboard_gives_the_same_strand_counts(client, world, token_for):
    today = timezone.localdate()
    case = on_cohort(world)
    services.change_strand(membership=case, version=fresh(case).version,
                           to=Strand.CATCH_AND_CONTROL, on=today - timedelta(days=5),
                           reason="Police allocation on intelligence of refusal to engage",
                           acting_user=world.users["police"], through=THROUGH)
    figures = client.get("/api/cohorts/dashboard",
                         HTTP_AUTHORIZATION=token_for("police")).json()
    assert figures["by_strand"] == [
        {"strand": key, "label": label, "count": int(key == Strand.CATCH_AND_CONTROL),
         "moved_in": int(key == Strand.CATCH_AND_CONTROL)} for key, label in Strand.choices
        if key != Strand.PREVENT_AND_DETER]  # Derbyshire 2021 runs no prevent and deter
    assert figures["strand_changes"] == 1
    assert figures["strand_changes_since"] is not None
