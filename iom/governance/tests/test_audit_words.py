"""The data-protection officer reads the access log in words, the stored values kept
under "As logged"."""

from __future__ import annotations

from datetime import date

import pytest

from iom.audit.models import AccessLogEntry
from iom.governance.audit_words import through_in_words
from iom.people import services

pytestmark = pytest.mark.django_db


def test_a_page_is_named_in_words():
    assert through_in_words("GET /people/106/ (people:profile)") == "Person's profile, viewed"
    assert through_in_words("POST /people/106/case/rag/ (cohorts:rag)") == (
        "Change the RAG status, submitted")
    assert through_in_words("command seed_demo") == "A command run on the server"
    assert through_in_words("candidate list") == "Candidate list"


def test_the_officer_reads_records_as_words(client, world):
    event = services.add_record(
        nominal=world.person, kind="event", acting_user=world.users["police"], through="test",
        fields={"kind": "conviction", "event_date": date(2026, 12, 3),
                "offence_date": date(2026, 11, 1), "ho_code": "28A", "disposal": "custody"})
    client.force_login(world.users["police"])
    client.get(f"/people/{world.person.pk}/")
    client.force_login(world.users["dpo"])
    page = client.get(f"/governance/access-log/{world.person.pk}/").content.decode()
    assert "Offending event: conviction of 3 December 2026" in page
    assert "Person&#x27;s profile, viewed" in page
    # The stored values stay readable for an auditor, marked as codes.
    assert f"event {event.pk}" in page and "(people:profile)" in page
    assert AccessLogEntry.objects.filter(username="dpo_police").exists()


def test_a_record_of_a_kind_the_officer_may_not_see_is_named_by_its_kind_only(client, world):
    """The words are built for their reader: the DPO has no public protection sight, so a
    registration read by police shows as "Public protection record", never what it is."""
    services.add_record(
        nominal=world.person, kind="protection", acting_user=world.users["police"],
        through="test", fields={"kind": "sex_offender_register", "start_date": date(2024, 1, 1)})
    client.force_login(world.users["police"])
    client.get(f"/people/{world.person.pk}/")
    client.force_login(world.users["dpo"])
    page = client.get(f"/governance/access-log/{world.person.pk}/").content.decode()
    assert "Public protection record" in page
    assert "sex-offender" not in page.lower() and "registration" not in page.lower()
