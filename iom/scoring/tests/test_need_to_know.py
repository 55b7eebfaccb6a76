"""A score's working is built from the records its reader may see: police intelligence
reaches the scores page, the API and the IOM Matrix sheet only for readers with
intelligence sight, and the access log names the intelligence it showed as such
(docs/adr/0007)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from conftest import grant_intelligence
from iom.audit.models import AccessLogEntry
from iom.casework import services as casework
from iom.core.testing import pdf_text
from iom.core.words import long_date
from iom.people import services

# The grading as the working prints it ("C1-E5"); plain "C1" could be inside a random
# CSRF token on the page.
GRADING = re.compile(r"\bC1\b|C1-E")

pytestmark = pytest.mark.django_db
CANARY = "Seen at the lock-up on Canary Wharf Road"


def _day() -> str:
    """The intelligence's date as the working says it."""
    return long_date(timezone.localdate() - timedelta(days=10))


def _intelligence(world) -> int:
    police = world.users["police"]
    day = timezone.localdate() - timedelta(days=10)
    services.add_record(nominal=world.person, kind="event", acting_user=police, through="test",
                        fields={"kind": "arrest", "event_date": day, "offence_date": day,
                                "ho_code": "28A"})
    entry = services.add_record(
        nominal=world.person, kind="intelligence", acting_user=police, through="test",
        fields={"recorded_date": day, "grading_system": "5x5x5", "source_grade": "C",
                "intel_grade": "1", "handling_code": "1", "crime_type": "acquisitive",
                "summary": CANARY})
    return int(entry.pk)


def _page(client, world, persona: str) -> str:
    client.force_login(world.users[persona])
    page = client.get(f"/scores/people/{world.person.pk}/")
    assert page.status_code == 200, page.status_code
    return str(page.content.decode())


def _reason(client, world, persona):
    client.force_login(world.users[persona])
    client.post(f"/people/{world.person.pk}/reason/", {"purpose": "Covering for a colleague"})


@pytest.mark.parametrize("persona", ["probation", "housing"])
def test_the_working_shows_no_intelligence_to_a_reader_without_sight(client, world, persona):
    _intelligence(world)
    _reason(client, world, persona)
    text = _page(client, world, persona)
    assert f"intelligence {_day()}" not in text and not GRADING.search(text)
    assert "uses police intelligence" in text  # the matrix and risk scores withheld
    assert "OGRS 3" in text and "Crime Severity Score" in text


def test_the_police_see_the_intelligence_lines_and_the_log_says_intelligence(client, world):
    intel_id = _intelligence(world)
    text = _page(client, world, "police")
    assert f"intelligence {_day()}" in text and GRADING.search(text)
    entry = AccessLogEntry.objects.filter(nominal_id=world.person.pk,
                                          through__contains="scoring:person").first()
    assert {"kind": "intelligence", "id": intel_id} in entry.records


def test_a_permitted_holder_of_the_named_permission_sees_them_too(client, world):
    _intelligence(world)
    grant_intelligence(world.users["probation"])
    _reason(client, world, "probation")
    assert f"intelligence {_day()}" in _page(client, world, "probation")


def test_the_api_gives_the_same_answer(client, world, token_for):
    _intelligence(world)
    url = f"/api/scores/people/{world.person.pk}"
    header = {"HTTP_X_ACCESS_REASON": "Preparing the case for the panel"}
    probation = client.get(url, HTTP_AUTHORIZATION=token_for("probation"), **header).json()
    scores = {s["name"]: s for s in probation["scores"]}
    assert scores["iom_matrix"]["value"] is None and scores["iom_matrix"]["working"] == []
    assert "intelligence" in scores["risk_of_reoffending"]["error"]
    assert all("intelligence" not in w["rule"] for s in scores.values() for w in s["working"])
    police = client.get(url, HTTP_AUTHORIZATION=token_for("police")).json()
    rules = [w["rule"] for s in police["scores"] for w in s["working"]]
    assert "matrix_intelligence" in rules


@override_settings(IOM_SCORES_WITHOUT_INTELLIGENCE="without")
def test_the_other_choice_works_the_scores_out_without_the_intelligence(client, world):
    _intelligence(world)
    _reason(client, world, "probation")
    text = _page(client, world, "probation")
    assert f"intelligence {_day()}" not in text and "uses police intelligence" not in text
    assert "Arrest in the last 12 months" in text or "arrest" in text.lower()


def test_the_matrix_sheet_of_a_council_officer_names_no_intelligence(world):
    _intelligence(world)
    document = casework.generate_document(nominal=world.person, kind="matrix_sheet",
                                          acting_user=world.users["housing"], through="test",
                                          reason="Preparing the case for the panel")
    text = pdf_text(bytes(document.content), joined=" ")
    assert not GRADING.search(text) and f"intelligence {_day()}".lower() not in text.lower()
    assert "uses police intelligence" in " ".join(text.split())
