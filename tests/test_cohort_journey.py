"""A coordinator takes a person from referral to the cohort and out again, in a real
browser, with the forms a user sees."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from iom.cohorts.models import CohortMembership

from .conftest import fill_date, needs_chromium, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]


def _ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def _step(page, link: str, day: int, reason: str, button: str) -> None:
    page.get_by_role("link", name=link).click()
    fill_date(page, "Date", _ago(day))
    page.locator("textarea[name=reason]").fill(reason)
    page.get_by_role("button", name=button).click()
    assert "Success" in page.content(), page.content()[:2000]


def test_coordinator_takes_a_person_from_referral_to_exit(live_server, world, browser,
                                                          tmp_path):
    page = browser.new_page()
    sign_in(page, live_server.url, "police_om")
    page.goto(f"{live_server.url}/people/{world.person.pk}/")
    page.get_by_role("link", name="Refer to IOM").click()
    fill_date(page, "Date of referral", _ago(260))
    page.get_by_label("Current offences or issues of current concern").fill(
        "Three dwelling burglaries this year")
    page.get_by_label("Drugs").check()
    page.get_by_role("button", name="Send referral").click()
    assert "Referral recorded" in page.content()
    _step(page, "Start research and scoring", 259, "Collating agency records",
          "Start research")
    _step(page, "Send to the panel", 258, "Research complete, scores attached",
          "Send to the panel")

    page.get_by_role("link", name="Record the panel decision").click()
    page.get_by_label("Accept onto the cohort").check()
    fill_date(page, "Date of the decision", _ago(255))
    page.get_by_role("button", name="Record decision").click()
    assert "Police and probation must both agree" in page.content()  # nothing stored yet
    assert "No conviction in the last 6 months at liberty" in page.content()
    page.get_by_label("Partnership agreement", exact=False).fill(
        "Agreed by every agency present: included on current intelligence")
    for name in ("Northshire Police", "Northshire Probation"):
        page.locator("fieldset", has_text="Agencies present").get_by_label(name).check()
        page.locator("fieldset", has_text="Agencies agreeing").get_by_label(name).check()
    page.get_by_label("Rationale").fill("Prolific burglary linked to drug use")
    page.get_by_role("button", name="Record decision").click()
    assert "Panel decision recorded" in page.content()

    page.get_by_role("link", name="Place on the cohort").click()
    page.get_by_label("Fixed").check()
    page.get_by_label("AMBER:", exact=False).first.check()
    page.get_by_label("Lead agency").select_option(label="Northshire Probation")
    page.get_by_label("Lead professional").select_option(
        label="Probation Tester, Northshire Probation")
    page.get_by_label("Police officer").select_option(label="Police Tester, Northshire Police")
    fill_date(page, "Date placed on the cohort", _ago(250))
    page.get_by_label("Reason").fill("Allocated at the monthly panel")
    page.get_by_role("button", name="Place on the cohort").click()
    assert "Placed on the cohort" in page.content()

    page.get_by_role("link", name="Change the RAG status").click()
    page.get_by_label("GREEN:", exact=False).check()
    fill_date(page, "Date of the change", _ago(200))
    page.get_by_label("Reason for the change").fill("Engaging with probation and treatment")
    page.get_by_role("button", name="Change RAG status").click()
    assert "RAG status changed" in page.content()

    _step(page, "Consider deselection", 140, "Six months without offending approaching",
          "Consider deselection")
    _step(page, "Tell the person of deselection", 140, "Told at a three-way meeting",
          "Record that the person was told")
    page.get_by_role("link", name="Exit the cohort").click()
    fill_date(page, "Date", _ago(30))
    page.locator("textarea[name=reason]").fill("Exit strategy agreed with the person")
    page.get_by_label("Intelligence that supports exit").fill("No intelligence of offending")
    page.get_by_role("button", name="Exit the cohort").click()
    assert "Success" in page.content()
    page.screenshot(path=str(tmp_path / "exited.png"), full_page=True)
    assert CohortMembership.objects.get(nominal=world.person).state == "exited"
    assert page.locator("#cohort").get_by_text("Exited", exact=True).count() >= 1
