"""The candidate list downloads as CSV and XLSX: every candidate matching the page's
choices (on every page), the page's words, nobody the reader may not see, each person
logged as exported."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from iom.audit.models import AccessLogEntry
from iom.cohorts.candidates import views as candidate_views
from iom.cohorts.tests.factories import Scores, event, person, store_scores
from iom.core.testing import sheets
from iom.people import services

pytestmark = pytest.mark.django_db

RECENT = date(2025, 4, 1)
CHOICES = {"policy": "london@1", "as_at_0": "2", "as_at_1": "6", "as_at_2": "2025"}


@pytest.fixture
def listed(world: Any) -> dict[str, Any]:
    """Lonny meets London's criteria (OGRS 3 of 75), Nearly is a near miss (50); Wes of
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


def _csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content[:500]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _last() -> int:
    return AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_the_download_holds_every_candidate_of_every_page(client, world, listed, monkeypatch):
    monkeypatch.setattr(candidate_views, "PAGE_SIZE", 1)
    client.force_login(world.users["police"])
    page = client.get(reverse("cohorts:candidates"), CHOICES).content.decode()
    assert "Lonny Candidate" in page and "Nearly Candidate" not in page  # one a page
    link = re.search(r'href="(/cohorts/candidates/download/csv/\?[^"]+)"', page)
    assert link is not None
    last = _last()
    rows = _csv(client.get(link.group(1).replace("&amp;", "&")))
    assert [r["Name"] for r in rows] == ["Lonny Candidate", "Nearly Candidate"]
    lonny, nearly = rows
    assert lonny["PNC ID"] == listed["lonny"].pnc_id and lonny["Suggested cohort type"]
    assert nearly["Suggested cohort type"] == "" and nearly["Near miss of"]
    assert "OGRS 3" in " ".join(nearly["Missed criteria"].split())
    assert lonny["OGRS 3 (2-year)"] == "75"
    assert "Faraway" not in str(rows)  # Westmoor's person: not the reader's to see
    entries = list(AccessLogEntry.objects.filter(pk__gt=last))
    assert sorted((e.nominal_id, e.action, e.detail["format"]) for e in entries) == sorted(
        [(listed["lonny"].pk, "export", "csv"), (listed["nearly"].pk, "export", "csv")])


def test_the_filters_chosen_on_the_page_hold_in_the_workbook(client, world, listed):
    client.force_login(world.users["police"])
    response = client.get(reverse("cohorts:candidates-download", args=["xlsx"]),
                          {**CHOICES, "near_misses": "on"})
    assert response.status_code == 200
    [(name, rows)] = sheets(response.content).items()
    assert name == "Candidates" and rows[0][0].startswith("Candidates under London")
    header = rows[3]
    assert header[:3] == ["Name", "PNC ID", "Age"]
    assert [r[0] for r in rows[4:]] == ["Nearly Candidate"]
    exported = AccessLogEntry.objects.filter(action="export", detail__format="xlsx")
    assert {e.nominal_id for e in exported} == {listed["nearly"].pk}


def test_the_outsider_downloads_their_own_partnerships_candidates_only(client, world, listed):
    client.force_login(world.users["outsider"])
    rows = _csv(client.get(reverse("cohorts:candidates-download", args=["csv"]), CHOICES))
    assert [r["Name"] for r in rows] == ["Westy Faraway"]


def test_bad_choices_and_formats_are_refused_by_name(client, world, listed):
    client.force_login(world.users["police"])
    url = reverse("cohorts:candidates-download", args=["csv"])
    response = client.get(url, {**CHOICES, "as_at_1": "13"})
    assert response.status_code == 400 and b"As at" in response.content
    response = client.get(url, {**CHOICES, "policy": "nowhere"})
    assert response.status_code == 400 and b"Scheme policy" in response.content
    assert client.get(reverse("cohorts:candidates-download", args=["json"]),
                      CHOICES).status_code == 404
    client.force_login(world.users["mentor"])  # not a partner who manages the cohort
    assert client.get(url, CHOICES).status_code == 403
