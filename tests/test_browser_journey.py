"""One journey in a real browser: a police offender manager finds a person and
reads their timeline; a mentor without consent finds that they do not exist."""

from __future__ import annotations

from datetime import date

import pytest

from iom.people import services

from .conftest import needs_chromium, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]


def test_officer_sees_timeline_and_mentor_finds_nobody(live_server, world, browser, tmp_path):
    services.add_record(nominal=world.person, kind="event", acting_user=world.users["police"],
                        through="test", fields={"kind": "conviction",
                                                "event_date": date(2024, 5, 1),
                                                "offence_date": date(2024, 3, 1),
                                                "ho_code": "28A", "disposal": "custody"})
    page = browser.new_page()
    sign_in(page, live_server.url, "police_om")
    page.get_by_label("Find a person").fill("jonathon smith")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="SMITH, Jonathan").click()
    assert page.get_by_role("heading", name="Timeline").is_visible()
    assert page.locator(".moj-timeline__item").first.inner_text().startswith("Conviction")
    assert "HO code 28A" in page.content()
    page.screenshot(path=str(tmp_path / "profile.png"), full_page=True)
    profile_url = page.url
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "mentor_vol")
    page.get_by_label("Find a person").fill("Smith")
    page.get_by_role("button", name="Search").click()
    assert "No people found" in page.content()
    response = page.goto(profile_url)
    assert response is not None and response.status == 404
    assert "Page not found" in page.content()
