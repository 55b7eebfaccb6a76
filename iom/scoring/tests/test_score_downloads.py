"""A person's scores download as CSV and XLSX: the page's scores, working and history, as
that reader's sight gives them, logged as an export of the person."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from iom.audit.models import AccessLogEntry
from iom.core.testing import sheets
from iom.people import services

pytestmark = pytest.mark.django_db
# The records are recorded today, so they are known as at today only.
TODAY = {"as_at": timezone.localdate().isoformat()}


@pytest.fixture
def scored(world):
    for year in (2015, 2018, 2021):
        services.add_record(nominal=world.person, kind="event", acting_user=world.users["police"],
                            through="test",
                            fields={"kind": "conviction", "event_date": date(year, 5, 1),
                                    "offence_date": date(year, 3, 1), "ho_code": "46",
                                    "disposal": "fine"})
    return world


def _url(world, fmt: str) -> str:
    return reverse("scoring:person-download", args=[world.person.pk, fmt])


def _blocks(data: bytes) -> dict[str, list[list[str]]]:
    found: dict[str, list[list[str]]] = {}
    name = None
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
        if not row:
            name = None
        elif name is None:
            name = row[0]
            found[name] = []
        else:
            found[name].append(row)
    return found


def test_the_csv_says_what_the_page_says_and_is_logged(client, scored):
    client.force_login(scored.users["police"])
    page = client.get(reverse("scoring:person", args=[scored.person.pk]), TODAY).content.decode()
    assert f'href="{_url(scored, "csv")}?as_at={TODAY["as_at"]}"' in page
    percent = re.search(r"2-year probability</dt><dd class=\"govuk-summary-list__value\">"
                        r"(\d+)%", page)
    lines = sum(int(n) for n in re.findall(r"Working \((\d+) line", page))
    response = client.get(_url(scored, "csv"), TODAY)
    assert response.status_code == 200
    tables = _blocks(response.content)
    ogrs3 = next(r for r in tables["Scores"][1:] if r[0] == "OGRS 3")
    assert percent is not None and ogrs3[3] == percent.group(1)
    assert len(tables["Working"]) - 1 == lines > 0
    entry = AccessLogEntry.objects.order_by("-pk").first()
    assert (entry.action, entry.nominal_id, entry.detail["format"]) == (
        "export", scored.person.pk, "csv")
    assert {r["kind"] for r in entry.records} >= {"event"}


def test_a_reader_without_intelligence_sight_gets_the_withheld_score_as_the_page(
        client, scored):
    client.force_login(scored.users["housing"])
    response = client.get(_url(scored, "xlsx"), TODAY)
    assert response.status_code == 302 and "/reason/" in response["Location"]  # as the page
    client.post(f"/people/{scored.person.pk}/reason/", {"purpose": "Covering for a colleague"})
    page = client.get(reverse("scoring:person", args=[scored.person.pk]), TODAY).content.decode()
    book = sheets(client.get(_url(scored, "xlsx"), TODAY).content)
    assert list(book) == ["Scores", "Working", "History"]
    scores = book["Scores"]
    assert "cannot see police intelligence" in scores[2][0]
    header = scores[4]
    withheld = [r for r in scores[5:] if r[header.index("Not available")]]
    assert withheld and all(r[header.index("Not available")] in page for r in withheld)
    assert {r[0] for r in withheld}.isdisjoint({r[0] for r in book["Working"][1:]})


def test_who_may_not_see_the_person_gets_nothing_and_bad_input_is_named(client, scored):
    for persona in ("mentor", "outsider", "analyst"):
        client.force_login(scored.users[persona])
        assert client.get(_url(scored, "csv"), TODAY).status_code == 404, persona
    assert not AccessLogEntry.objects.filter(action="export").exists()
    client.force_login(scored.users["police"])
    assert client.get(_url(scored, "ods"), TODAY).status_code == 404
    response = client.get(_url(scored, "csv"), {"as_at": "2999-01-01"})
    assert response.status_code == 400
    assert "Recompute as at: Scores cannot be worked out for a future date" in (
        response.content.decode())
