"""One tasking meeting in a real browser: the chair runs it, and a voluntary partner
present is shut out of the closed item about a person they have no consent for."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.utils import timezone

from iom.cohorts.tests.factories import on_cohort, refer, to_panel

from .conftest import fill_date, needs_chromium, sign_in
from .test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]
SHOTS = os.environ.get("IOM_SCREENSHOTS")


def _shot(page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(Path(SHOTS or tmp_path) / f"meetings-{name}.png"), full_page=True)


def test_tasking_meeting_with_a_voluntary_partner(live_server, world, browser, tmp_path):
    on_cohort(world, world.person, rag="red")
    to_panel(world, refer(world, world.consented))
    base, page = live_server.url, browser.new_page()
    sign_in(page, base, "police_om")
    page.get_by_role("link", name="Meetings").click()
    _shot(page, tmp_path, "list")
    page.get_by_role("link", name="Arrange a meeting").click()
    page.get_by_label("Daily tasking meeting").check()
    page.get_by_label("Title").fill("Northshire City tasking")
    fill_date(page, "Date", timezone.localdate())
    page.get_by_label("Start time").fill("09:30")
    page.get_by_role("button", name="Arrange meeting").click()
    meeting_url = page.url
    for name in ("Police Tester", "Probation Tester", "Housing Tester", "Mentor Tester"):
        if not page.locator("details[open] #id_user").count():
            page.get_by_text("Add an attendee").click()
        page.get_by_label("A user of the partnership").select_option(
            label=next(t for t in page.locator("#id_user option").all_inner_texts()
                       if t.startswith(name)))
        page.get_by_role("button", name="Add attendee").click()
    for name in ("Police Tester", "Probation Tester", "Housing Tester"):
        page.locator("tr", has_text=name).get_by_role("button", name="Signed on paper").click()
    page.get_by_role("button", name="Generate the agenda").click()
    _shot(page, tmp_path, "detail-chair")
    assert _violations(page) == []
    assert page.get_by_role("heading", name="Closed session").is_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "mentor_vol")
    page.goto(meeting_url)
    page.get_by_role("link", name="Read and sign the statement").click()
    assert "Article 8.2" in page.content()
    _shot(page, tmp_path, "statement")
    page.get_by_role("button", name="Sign the statement").click()
    assert page.get_by_role("link", name="Carl Mentored").is_visible()
    assert "Jonathan Smith" not in page.content()
    assert "A closed session follows that you are not part of" in page.content()
    _shot(page, tmp_path, "detail-mentor")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "police_om")
    page.goto(meeting_url)
    page.get_by_role("button", name="Open the meeting").click()
    page.get_by_role("link", name="Carl Mentored").click()
    page.get_by_label("Minutes").fill("Referral discussed; housing need confirmed (council)")
    page.get_by_role("button", name="Save minutes").click()
    page.get_by_label("Defer").check()
    page.get_by_label("Rationale").fill("Waiting for the probation assessment")
    page.get_by_role("button", name="Record decision").click()
    assert "Decision recorded: Defer" in page.content()
    _shot(page, tmp_path, "item")
    assert _violations(page) == []
    page.goto(meeting_url)
    page.get_by_role("link", name="Finish the meeting").click()
    page.get_by_role("button", name="Yes, finish the meeting").click()
    page.get_by_role("link", name="Agenda and minutes to print").click()
    assert "Waiting for the probation assessment" in page.content()
    _shot(page, tmp_path, "export-chair")
    page.get_by_role("link", name="Back to the meeting").click()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "mentor_vol")
    page.goto(meeting_url + "export/")
    assert "Referral discussed" in page.content() and "Jonathan Smith" not in page.content()
    _shot(page, tmp_path, "export-mentor")
    assert _violations(page) == []
