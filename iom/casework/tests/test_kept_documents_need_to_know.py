"""A kept document opens only for readers who may see what it was worked out from.

An IOM Matrix sheet a police officer produced holds the intelligence lines of the
working; a probation or council officer opening it later read them (docs/adr/0009).
It is now listed and opened, on the pages and the API, only for readers whose sight
covers what the document read; one a reader without intelligence sight produced
reads none, and opens for everyone who may see the person.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from iom.casework import services as casework
from iom.people import services

pytestmark = pytest.mark.django_db
REASON = "Covering for a colleague"


def _with_intelligence(world) -> None:
    police = world.users["police"]
    day = timezone.localdate() - timedelta(days=10)
    services.add_record(nominal=world.person, kind="event", acting_user=police, through="test",
                        fields={"kind": "arrest", "event_date": day, "offence_date": day,
                                "ho_code": "28A"})
    services.add_record(
        nominal=world.person, kind="intelligence", acting_user=police, through="test",
        fields={"recorded_date": day, "grading_system": "5x5x5", "source_grade": "C",
                "intel_grade": "1", "handling_code": "1", "crime_type": "acquisitive",
                "summary": "Seen at the lock-up"})


def _sheet(world, persona: str):
    return casework.generate_document(nominal=world.person, kind="matrix_sheet",
                                      acting_user=world.users[persona], through="test")


def _download(client, world, document) -> int:
    page = f"/people/{world.person.pk}/casework/documents/{document.pk}/"
    return int(client.get(page).status_code)


def test_a_police_matrix_sheet_does_not_open_for_a_reader_without_intelligence_sight(
        client, world, token_for):
    _with_intelligence(world)
    sheet = _sheet(world, "police")
    assert sheet.reads_intelligence
    for persona in ("probation", "housing"):
        client.force_login(world.users[persona])
        client.post(f"/people/{world.person.pk}/reason/", {"purpose": REASON})
        assert _download(client, world, sheet) == 404
        assert f"/documents/{sheet.pk}/" not in client.get(
            f"/people/{world.person.pk}/casework/").content.decode()
        auth = {"HTTP_AUTHORIZATION": token_for(persona), "HTTP_X_ACCESS_REASON": REASON}
        api = f"/api/casework/people/{world.person.pk}/documents"
        assert client.get(api, **auth).json() == []
        assert client.get(f"{api}/{sheet.pk}", **auth).status_code == 404
    client.force_login(world.users["police"])
    assert _download(client, world, sheet) == 200


def test_a_sheet_produced_without_intelligence_sight_opens_for_every_statutory_reader(
        client, world):
    _with_intelligence(world)
    sheet = _sheet(world, "probation")
    assert not sheet.reads_intelligence
    client.force_login(world.users["housing"])
    client.post(f"/people/{world.person.pk}/reason/", {"purpose": REASON})
    assert _download(client, world, sheet) == 200


def test_a_referral_form_reads_nothing_restricted_whoever_produced_it(world):
    document = casework.generate_document(nominal=world.person, kind="referral_form",
                                          acting_user=world.users["police"], through="test")
    assert not document.reads_intelligence and not document.reads_public_protection
