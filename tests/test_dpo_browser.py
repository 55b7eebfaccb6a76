"""The data-protection officer in a real browser: answers a subject access request end to
end, sees every earlier reader told of a correction, and sees retention's erasures in the
log. Screenshots of each page go to IOM_SCREENSHOTS (when set) to be looked at."""

from __future__ import annotations

import os
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from iom.audit.models import AccessLogEntry
from iom.governance.models import Notice, Tombstone
from iom.people import services
from iom.people.models import Nominal

from .conftest import needs_chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]


def _shot(page, name: str) -> None:
    folder = os.environ.get("IOM_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def test_the_dpo_answers_corrects_and_disposes_in_the_browser(live_server, world, browser):
    base, person = live_server.url, world.person
    today = timezone.localdate()
    intel = services.add_record(
        nominal=person, kind="intelligence", acting_user=world.users["police"], through="test",
        fields={"recorded_date": today - timedelta(days=30), "grading_system": "5x5x5",
                "source_grade": "B", "intel_grade": "2", "handling_code": "1",
                "crime_type": "acquisitive", "summary": "Seen dealing near the park"})
    event = services.add_record(
        nominal=person, kind="event", acting_user=world.users["police"], through="test",
        fields={"kind": "arrest", "event_date": today - timedelta(days=20), "ho_code": "28A",
                "description": "Burglary dwelling"})
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    # An earlier reader: the probation officer opens the person's profile.
    reader = Client()
    reader.force_login(world.users["probation"])
    reader.post(f"/people/{person.pk}/reason/", {"purpose": "other",
                                                 "detail": "Preparing for the tasking meeting"})
    assert reader.get(f"/people/{person.pk}/").status_code == 200

    # Subject access, end to end.
    page.context.clear_cookies()
    sign_in(page, base, "dpo_police")
    page.goto(f"{base}/governance/")
    _shot(page, "01-dpo-start")
    page.goto(f"{base}/governance/subject-access/")
    page.get_by_label("Find the person").fill("2012/0012345A")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Date the request was received").fill(today.isoformat())
    page.get_by_role("button", name="Open the request").click()
    assert "Subject access request" in page.content()
    assert "Seen dealing near the park" in page.content()  # rule 8: everything held
    _shot(page, "02-sar-review")
    row = page.locator("tr", has_text="Seen dealing near the park")
    row.locator("summary").click()
    row.get_by_label("Why disclosing it would prejudice").fill(
        "Would identify a covert human source")
    row.get_by_role("button", name="Withhold").click()
    assert "Would identify a covert human source" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF for the person").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the ZIP (JSON and a CSV per kind)").click()
    assert download.value.suggested_filename.endswith(".zip")
    page.get_by_role("button", name="Mark as answered").click()
    assert "has been answered" in page.content()
    assert "Seen dealing near the park" not in page.content()
    _shot(page, "03-sar-answered")
    exports = AccessLogEntry.objects.filter(action="export", nominal_id=person.pk)
    assert {e.detail["format"] for e in exports} == {"pdf", "zip"}
    assert all({"kind": "intelligence", "id": intel.pk} not in e.records for e in exports)

    # A correction by the police, and every earlier reader told.
    page.context.clear_cookies()
    sign_in(page, base, "police_om")
    page.goto(f"{base}/governance/people/{person.pk}/records/event/{event.pk}/correct/")
    _shot(page, "04-correct-record")
    page.get_by_label("Description").fill("Burglary other than a dwelling")
    page.get_by_label("Why (every earlier reader is told)").fill(
        "The address was a shop, not a home")
    page.get_by_role("button", name="Save and tell every reader").click()
    _shot(page, "04b-after-correction")
    assert Notice.objects.filter(recipient=world.users["probation"]).exists()
    page.context.clear_cookies()
    sign_in(page, base, "dpo_police")
    page.goto(f"{base}/governance/corrections/")
    assert "probation" in page.content().lower()
    _shot(page, "05-correction-notices")

    # Retention: the dry run, then for real; the DPO sees the erasure.
    old = services.create_nominal(
        acting_user=world.users["police"], through="test",
        fields={"partnership": world.north, "forename": "Old", "surname": "Longago",
                "date_of_birth": date(1960, 1, 1), "gender": "M"},
        allocate_to=None, can_see=lambda n: True)
    services.add_record(nominal=old, kind="event", acting_user=world.users["police"],
                        through="test", fields={"kind": "conviction",
                                                "event_date": today - timedelta(days=365 * 8),
                                                "ho_code": "45", "disposal": "fine"})
    Nominal.objects.filter(pk=old.pk).update(recorded_at=timezone.now() - timedelta(days=3000))
    page.goto(f"{base}/governance/retention/")
    _shot(page, "06-retention-queue")
    dry = StringIO()
    call_command("apply_retention", "--dry-run", stdout=dry)
    assert f"Would dispose of person {old.pk}" in dry.getvalue()
    assert Nominal.objects.filter(pk=old.pk).exists()
    call_command("apply_retention", stdout=StringIO())
    assert not Nominal.objects.filter(pk=old.pk).exists()
    assert Tombstone.objects.filter(nominal_id=old.pk).exists()
    page.goto(f"{base}/governance/retention/disposed/")
    assert "Longago" not in page.content()
    _shot(page, "07-disposed")
    assert AccessLogEntry.objects.filter(action="delete", nominal_id=old.pk,
                                         detail__has_key="erasure").exists()
