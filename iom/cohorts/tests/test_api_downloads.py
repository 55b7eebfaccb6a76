"""The candidate list and the cohort dashboard's tables download from the API as CSV and
XLSX: the page's file, for the same readers, each person logged as exported."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from iom.audit.models import AccessLogEntry
from iom.cohorts.lifecycle import CohortState, Rag
from iom.cohorts.models import CohortMembership
from iom.cohorts.tests.factories import PLACED, Scores, event, on_cohort, person, store_scores
from iom.core.testing import sheets
from iom.people import services

pytestmark = pytest.mark.django_db

RECENT = date(2025, 4, 1)
PAGE_CHOICES = {"policy": "london@1", "as_at_0": "2", "as_at_1": "6", "as_at_2": "2025"}
API_CHOICES = {"policy": "london", "version": "1", "as_at": "2025-06-02"}
CANDIDATES = "/api/cohorts/candidates/download/{}"
DASHBOARD = "/api/cohorts/dashboard/download/{}"


def _last() -> int:
    return AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _exports_since(last: int) -> list[tuple[int | None, str, str, str]]:
    return sorted((e.nominal_id, e.action, e.detail["format"], e.detail["list"])
                  for e in AccessLogEntry.objects.filter(pk__gt=last))


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def listed(world: Any) -> dict[str, Any]:
    """Lonny meets London's criteria (OGRS 3 of 75), Nearly is a near miss (50); Westy of
    Westmoor would qualify too, in a partnership the Northshire officer cannot see."""
    lonny, nearly = person(world, name="Lonny"), person(world, name="Nearly")
    west = services.create_nominal(
        acting_user=None, through="test", organisation=world.orgs["west_police"],
        fields={"forename": "Westy", "surname": "Faraway", "date_of_birth": date(1990, 3, 21),
                "gender": "M", "partnership": world.west})
    for someone, code in ((lonny, "46"), (nearly, "28E"), (west, "46")):
        event(world, someone, RECENT, code, offence_on=RECENT)
    store_scores(world, {lonny: Scores(ogrs3=75), nearly: Scores(ogrs3=50),
                         west: Scores(ogrs3=75)})
    return {"lonny": lonny, "nearly": nearly, "west": west}


def test_the_candidates_csv_is_the_pages_file_and_logs_each_person(client, world, listed,
                                                                    token_for):
    client.force_login(world.users["police"])
    page = client.get(reverse("cohorts:candidates-download", args=["csv"]), PAGE_CHOICES)
    last = _last()
    response = client.get(CANDIDATES.format("csv"), API_CHOICES,
                          HTTP_AUTHORIZATION=token_for("police"))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="candidates-london-20250602.csv"')
    assert _rows(response.content) == _rows(page.content)  # the same rows and columns
    names = [r[0] for r in _rows(response.content)[1:]]
    assert names == ["Lonny Candidate", "Nearly Candidate"]
    assert "Faraway" not in response.content.decode("utf-8-sig")
    assert _exports_since(last) == sorted(
        [(listed["lonny"].pk, "export", "csv", "candidate list"),
         (listed["nearly"].pk, "export", "csv", "candidate list")])


def test_the_candidates_workbook_reads_back_with_the_filters(client, world, listed, token_for):
    response = client.get(CANDIDATES.format("xlsx"), {**API_CHOICES, "near_misses": "true"},
                          HTTP_AUTHORIZATION=token_for("police"))
    assert response.status_code == 200
    [(name, rows)] = sheets(response.content).items()
    assert name == "Candidates" and rows[0][0].startswith("Candidates under London")
    header = next(r for r in rows if r and r[0] == "Name")
    people = rows[rows.index(header) + 1:]
    assert [r[0] for r in people] == ["Nearly Candidate"]


def test_who_may_not_see_candidates_gets_no_file_and_nothing_is_logged(client, world, listed,
                                                                       token_for):
    last = _last()
    for persona, status in (("analyst", 404), ("mentor", 403)):
        response = client.get(CANDIDATES.format("csv"), API_CHOICES,
                              HTTP_AUTHORIZATION=token_for(persona))
        assert response.status_code == status, persona
        assert "Candidate" not in response.content.decode()
    assert not AccessLogEntry.objects.filter(pk__gt=last, action="export").exists()
    police = token_for("police")
    wrong = client.get(CANDIDATES.format("ods"), API_CHOICES, HTTP_AUTHORIZATION=police)
    assert wrong.status_code == 422 and "fmt" in str(wrong.json()["error"]["fields"])
    late = client.get(CANDIDATES.format("csv"), {**API_CHOICES, "as_at": "2999-01-01"},
                      HTTP_AUTHORIZATION=police)
    assert late.status_code == 422
    assert late.json()["error"]["fields"][0]["field"] == "as_at"
    assert not AccessLogEntry.objects.filter(pk__gt=last, action="export").exists()


def _placed(nominal: Any) -> CohortMembership:
    return CohortMembership.objects.create(
        nominal=nominal, policy_name="derbyshire-2021", policy_version=1,
        state=CohortState.ON_COHORT, cohort_type="fixed", rag=Rag.GREEN, opened_on=PLACED,
        placed_on=PLACED)


@pytest.fixture
def cohort(world: Any) -> Any:
    """Jonathan Smith, Carl Mentored (the mentor's charity has his consent) and Wes
    Elsewhere of Westmoor on the cohort."""
    on_cohort(world)
    for nominal in (world.consented, world.foreign):
        _placed(nominal)
    return world


def test_the_dashboard_file_is_the_pages_and_logs_each_person(client, cohort, token_for):
    client.force_login(cohort.users["police"])
    page = client.get(reverse("cohorts:dashboard-download", args=["csv"]))
    last = _last()
    response = client.get(DASHBOARD.format("csv"), HTTP_AUTHORIZATION=token_for("police"))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"].startswith(
        'attachment; filename="cohort-dashboard-')
    assert _rows(response.content) == _rows(page.content)
    text = response.content.decode("utf-8-sig")
    assert "SMITH, Jonathan" in text and "MENTORED, Carl" in text
    assert "ELSEWHERE" not in text  # another partnership
    assert _exports_since(last) == sorted(
        [(p.pk, "export", "csv", "cohort dashboard") for p in (cohort.person, cohort.consented)])
    book = sheets(client.get(DASHBOARD.format("xlsx"), {"rag": "green"},
                             HTTP_AUTHORIZATION=token_for("police")).content)
    assert "Everyone" in book and "By cohort and RAG" in book
    everyone = book["Everyone"]
    header = everyone.index(next(r for r in everyone if r and r[0] == "Name"))
    assert [r[0] for r in everyone[header + 1:] if r] == ["MENTORED, Carl"]  # the filter


def test_a_mentor_gets_only_their_people_and_the_analyst_no_file(client, cohort, token_for):
    last = _last()
    response = client.get(DASHBOARD.format("csv"), HTTP_AUTHORIZATION=token_for("mentor"))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "MENTORED, Carl" in text and "SMITH" not in text
    assert _exports_since(last) == [(cohort.consented.pk, "export", "csv", "cohort dashboard")]
    last = _last()
    for persona in ("analyst", "outsider"):
        denied = client.get(DASHBOARD.format("xlsx"), HTTP_AUTHORIZATION=token_for(persona))
        if persona == "analyst":
            assert denied.status_code == 404
            assert "MENTORED" not in denied.content.decode()
        else:  # Westmoor's officer: Westmoor's cohort only
            assert denied.status_code == 200
            assert "ELSEWHERE, Wes" in str(sheets(denied.content)["Everyone"])
            assert "SMITH" not in str(sheets(denied.content))
    assert [n for n, *_ in _exports_since(last)] == [cohort.foreign.pk]
    bad = client.get(DASHBOARD.format("csv"), {"district": 999999},
                     HTTP_AUTHORIZATION=token_for("police"))
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "district"
