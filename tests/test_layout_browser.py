"""The page frame in a real browser: the header's service navigation fits 1280 px on one
line and folds behind a Menu button on small screens, no page scrolls sideways at 320 px
(WCAG 2.2 reflow, 1.4.10), and "Skip to main content" lands on the person's banner."""

from __future__ import annotations

from datetime import date

import pytest

from iom.cohorts.tests.factories import on_cohort
from iom.people import services

from .conftest import needs_chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]

MAIN_PAGES = ("/", "/people/?q=smith", "{person}", "{person}casework/", "/cohorts/",
              "/cohorts/candidates/", "/cohorts/what-if/", "/scores/ogrs3/",
              "/scores/people/{pk}/", "/meetings/", "/casework/actions/mine/",
              "/casework/compliance/", "/feeds/alerts/", "/accounts/account/",
              "{person}add/event/", "/governance/people/{pk}/sharing/", "/no-such-page/")
OTHERS = {"dpo_police": ("/", "/governance/access-log/", "/governance/access-log/{pk}/"),
          "admin_iom": ("/", "/admin-area/", "/admin-area/users/", "/feeds/imports/"),
          "analyst_police": ("/",)}


def _nav_rows(page) -> int:
    tops = page.evaluate("[...document.querySelectorAll('.govuk-service-navigation__item')]"
                         ".map(item => item.getBoundingClientRect().top)")
    return len(set(tops))


def _too_wide(page, base: str, paths: tuple[str, ...], pk: int) -> dict[str, int]:
    wide = {}
    for path in paths:
        page.goto(base + path.format(person=f"/people/{pk}/", pk=pk))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:  # the viewport
            wide[path] = width
    return wide


def test_the_header_fits_one_line_at_1280_and_folds_into_a_menu(live_server, world, browser):
    base = live_server.url
    for persona in ("police_om", "probation_officer", "housing_officer", "mentor_vol",
                    "dpo_police", "admin_iom", "analyst_police"):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        sign_in(page, base, persona)
        assert page.locator(".govuk-service-navigation__item").count() >= 1, persona
        assert _nav_rows(page) == 1, persona
        assert not page.get_by_role("button", name="Menu").is_visible()
        header = page.locator("header").bounding_box()
        assert header is not None and header["height"] < 80, persona
        page.close()
    page = browser.new_page(viewport={"width": 390, "height": 800})
    sign_in(page, base, "police_om")
    menu = page.get_by_role("button", name="Menu")
    menu.wait_for(state="visible", timeout=10_000)  # shown once GOV.UK Frontend's script runs
    assert not page.get_by_role("link", name="Find a person", exact=True).is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    page.get_by_role("link", name="Find a person", exact=True).click()
    assert page.url.endswith("/people/")


def test_no_page_scrolls_sideways_at_320_px(live_server, world, browser):
    on_cohort(world, world.person, rag="amber")
    services.add_record(nominal=world.person, kind="event", acting_user=world.users["police"],
                        through="test", fields={"kind": "conviction",
                                                "event_date": date(2024, 5, 1),
                                                "offence_date": date(2024, 3, 1),
                                                "ho_code": "28A", "disposal": "custody"})
    base, pk = live_server.url, world.person.pk
    page = browser.new_page(viewport={"width": 320, "height": 800})
    sign_in(page, base, "police_om")
    wide = _too_wide(page, base, MAIN_PAGES, pk)
    for persona, paths in OTHERS.items():
        page.context.clear_cookies()
        sign_in(page, base, persona)
        wide |= {f"{persona} {path}": width
                 for path, width in _too_wide(page, base, paths, pk).items()}
    assert not wide, wide


def test_skip_to_main_content_lands_on_the_person(live_server, world, browser):
    base, pk = live_server.url, world.person.pk
    page = browser.new_page()
    sign_in(page, base, "police_om")
    page.goto(f"{base}/people/{pk}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("link => link === document.activeElement")
    page.keyboard.press("Enter")
    heading = page.locator("main h1").first
    assert heading.inner_text() == world.person.full_name
    assert page.evaluate("document.activeElement.id") == "main-content"
    assert page.locator("main .iom-identity-bar h1").count() == 1


def test_get_forms_put_no_csrf_token_in_the_address(live_server, world, browser):
    base, pk = live_server.url, world.person.pk
    page = browser.new_page()
    sign_in(page, base, "police_om")
    leaks = {}
    for path in ("/", "/people/", "/cohorts/", "/cohorts/candidates/", "/cohorts/what-if/",
                 f"/scores/people/{pk}/", "/casework/compliance/", f"/people/{pk}/"):
        page.goto(base + path)
        found = page.locator("form[method=get] input[name=csrfmiddlewaretoken]").count()
        if found:
            leaks[path] = found
    page.goto(f"{base}/cohorts/candidates/")
    page.get_by_role("button", name="Show candidates").click()
    assert "csrfmiddlewaretoken" not in page.url
    assert not leaks, leaks
