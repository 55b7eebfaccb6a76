"""A person's scores download from the API as CSV and XLSX: the scores page's file, for
the same readers, logged as an export of the person."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from iom.audit.models import AccessLogEntry
from iom.core.testing import sheets
from iom.people import services

pytestmark = pytest.mark.django_db
# The records are recorded today, so they are known as at today only.
TODAY = {"as_at": timezone.localdate().isoformat()}
REASON = "Preparing the Tuesday panel"


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
    return f"/api/scores/people/{world.person.pk}/download/{fmt}"


def _exports() -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(action="export").order_by("pk"))


def test_the_file_is_the_pages_and_is_logged_as_an_export(client, scored, token_for):
    client.force_login(scored.users["police"])
    page = client.get(reverse("scoring:person-download", args=[scored.person.pk, "csv"]), TODAY)
    response = client.get(_url(scored, "csv"), TODAY, HTTP_AUTHORIZATION=token_for("police"))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    stem = f"scores-{scored.person.pk}-{timezone.localdate():%Y%m%d}"
    assert response["Content-Disposition"] == f'attachment; filename="{stem}.csv"'
    assert response.content == page.content  # the same rows and columns, byte for byte
    assert "OGRS 3" in response.content.decode("utf-8-sig")
    page_entry, api_entry = _exports()
    assert (api_entry.nominal_id, api_entry.detail["format"], api_entry.detail["list"]) == (
        scored.person.pk, "csv", "person scores")
    assert api_entry.records == page_entry.records and {r["kind"] for r in api_entry.records
                                                        } >= {"event"}
    assert api_entry.through != page_entry.through  # the API, not the page
    book = sheets(client.get(_url(scored, "xlsx"), TODAY,
                             HTTP_AUTHORIZATION=token_for("police")).content)
    assert list(book) == ["Scores", "Working", "History"]
    assert book["Scores"][0][0].startswith("Scores of Jonathan Smith as at")
    assert _exports()[-1].detail["format"] == "xlsx"


def test_a_partner_without_intelligence_sight_needs_a_reason_and_gets_the_withheld_scores(
        client, scored, token_for):
    auth = token_for("housing")
    refused = client.get(_url(scored, "xlsx"), TODAY, HTTP_AUTHORIZATION=auth)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "reason_required"
    assert not _exports()
    response = client.get(_url(scored, "xlsx"), TODAY, HTTP_AUTHORIZATION=auth,
                          HTTP_X_ACCESS_REASON=REASON)
    assert response.status_code == 200
    scores = sheets(response.content)["Scores"]
    assert "cannot see police intelligence" in scores[2][0]
    [entry] = _exports()
    assert entry.reason == REASON and entry.detail["format"] == "xlsx"


def test_who_may_not_see_the_person_gets_no_file_and_bad_input_is_named(client, scored,
                                                                         token_for):
    for persona in ("mentor", "outsider", "analyst"):
        response = client.get(_url(scored, "csv"), TODAY, HTTP_AUTHORIZATION=token_for(persona),
                              HTTP_X_ACCESS_REASON=REASON)
        assert response.status_code == 404, persona
        assert "Smith" not in response.content.decode()
    assert not _exports()
    police = token_for("police")
    wrong = client.get(_url(scored, "ods"), TODAY, HTTP_AUTHORIZATION=police)
    assert wrong.status_code == 422 and "fmt" in str(wrong.json()["error"]["fields"])
    soon = (timezone.localdate() + timedelta(days=3)).isoformat()
    future = client.get(_url(scored, "csv"), {"as_at": soon}, HTTP_AUTHORIZATION=police)
    assert future.status_code == 422
    [problem] = future.json()["error"]["fields"]
    assert problem == {"field": "as_at",
                       "message": "Scores cannot be worked out for a future date."}
    assert not _exports()
