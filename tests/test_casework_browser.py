"""A practitioner works a person's case in a real browser: from the cohort to the
plan, an action, a contact, their own action list and a document."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from iom.casework.models import Action, Contact, GeneratedDocument
from iom.cohorts.tests.factories import on_cohort

from .conftest import fill_date, needs_chromium, sign_in
from .test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]
SHOTS = os.environ.get("IOM_SCREENSHOTS")


def _shot(page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(Path(SHOTS or tmp_path) / f"casework-{name}.png"), full_page=True)


def test_a_practitioner_works_a_case(live_server, world, browser, tmp_path):
    on_cohort(world, world.person, rag="amber")
    today = timezone.localdate()
    base, page = live_server.url, browser.new_page()
    sign_in(page, base, "police_om")
    page.get_by_role("link", name="Cohort", exact=True).click()
    page.get_by_role("link", name="SMITH, Jonathan").first.click()
    page.get_by_role("link", name="Intervention plan").click()
    page.get_by_role("button", name="Start an intervention plan").or_(
        page.get_by_role("link", name="Start an intervention plan")).click()
    fill_date(page, "Date the plan starts", today)
    page.get_by_role("button", name="Start the plan").click()

    page.get_by_role("link", name="Add a need").click()
    page.get_by_label("Resettlement pathway").select_option(label="Supported accommodation")
    page.get_by_label("Assessed level").select_option(label="High")
    page.get_by_label("What the need is").fill("Sleeping on a friend's sofa")
    fill_date(page, "Date assessed", today)
    page.get_by_role("button", name="Save need").click()
    assert page.get_by_text("Supported accommodation: High need").is_visible()

    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("What needs to be done").fill("Find a hostel place")
    page.get_by_label("Owner").select_option(label="Police Tester (Northshire Police)")
    fill_date(page, "Due date", today + timedelta(days=5))
    page.get_by_label("Priority").select_option(label="High")
    page.get_by_role("button", name="Save action").click()

    page.get_by_role("link", name="Record a visit or appointment").click()
    page.get_by_label("Kind of contact").select_option(label="Home visit")
    fill_date(page, "Date", today)
    page.get_by_label("Kept or missed").select_option(label="Kept")
    page.get_by_role("button", name="Save contact").click()
    _shot(page, tmp_path, "person")
    assert _violations(page) == []

    page.get_by_role("link", name="Actions", exact=True).click()
    assert page.get_by_role("cell", name="Find a hostel place").is_visible()
    _shot(page, tmp_path, "my-actions")
    page.get_by_role("link", name="Jonathan Smith").first.click()

    page.get_by_role("button", name="Produce Intervention statement for court").click()
    assert page.get_by_text("Intervention statement for court produced.").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF of").first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert Action.objects.get(nominal=world.person).title == "Find a hostel place"
    assert Contact.objects.filter(nominal=world.person, kind="home_visit").exists()
    assert GeneratedDocument.objects.filter(nominal=world.person).count() == 1
