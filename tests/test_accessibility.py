"""Every main page passes the axe-core WCAG 2.2 AA rules in a real browser."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from iom.people import services

from .conftest import needs_chromium, sign_in

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]


@pytest.fixture
def page(browser):
    return browser.new_page()


def _violations(page) -> list[str]:
    # Evaluated through the browser's debugging protocol, so the page's strict
    # Content Security Policy does not block the checker itself.
    # Every rule axe-core runs by default: WCAG 2.0 to 2.2 A and AA and its best practices
    # (``region``: all content inside landmarks), at any impact.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => JSON.stringify((await axe.run(document, {resultTypes: ['violations']}))"
        ".violations)")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}"
            for v in json.loads(result)]


def test_pages_meet_wcag_aa(live_server, world, page):
    services.add_record(nominal=world.person, kind="event", acting_user=world.users["police"],
                        through="test", fields={"kind": "conviction",
                                                "event_date": date(2024, 5, 1),
                                                "offence_date": date(2024, 3, 1),
                                                "ho_code": "28A", "disposal": "custody"})
    base, pk = live_server.url, world.person.pk
    problems: dict[str, list[str]] = {}
    page.goto(f"{base}/accounts/login/")
    problems["login"] = _violations(page)
    sign_in(page, base, "police_om")
    for path in ("/", "/people/?q=smith", f"/people/{pk}/", f"/people/{pk}/add/event/",
                 f"/scores/people/{pk}/", "/scores/ogrs3/", "/people/new/",
                 f"/governance/people/{pk}/sharing/", "/accounts/account/"):
        page.goto(base + path)
        problems[path] = _violations(page)
    page.goto(f"{base}/people/{pk}/add/event/")
    page.get_by_role("button", name="Save").click()
    problems["form with errors"] = _violations(page)
    for path in ("/meetings/", "/meetings/new/", "/feeds/alerts/", "/no-such-page/"):
        page.goto(base + path)
        problems[path] = _violations(page)
    others = {
        "dpo_police": ["/", "/governance/access-log/", f"/governance/access-log/{pk}/"],
        "admin_iom": ["/", "/admin-area/", "/admin-area/users/", "/admin-area/organisations/",
                      "/feeds/imports/"],
        "housing_officer": ["/", f"/people/{pk}/"],
        "probation_officer": ["/", "/people/?q=smith", "/cohorts/"],
        "mentor_vol": ["/", f"/people/{world.consented.pk}/"],
        "analyst_police": ["/", "/accounts/account/"],
        "outsider_west": ["/", f"/people/{pk}/"],
    }
    for persona, paths in others.items():
        page.context.clear_cookies()
        sign_in(page, base, persona)
        for path in paths:
            page.goto(base + path)
            problems[f"{persona} {path}"] = _violations(page)
    _cohort_pages(base, page, world, problems)
    _casework_pages(base, page, world, problems)
    failing = {where: found for where, found in problems.items() if found}
    assert not failing, json.dumps(failing, indent=1)


def _cohort_pages(base, page, world, problems: dict[str, list[str]]) -> None:
    """The cohort dashboard, the case on the profile and each kind of case form."""
    from iom.cohorts.tests.factories import on_cohort, refer, to_panel

    on_cohort(world)
    waiting = world.consented
    services.allocate(nominal=waiting, user=world.users["police"], acting_user=None,
                      through="test", start=date(2025, 1, 1))
    to_panel(world, refer(world, waiting))
    page.context.clear_cookies()
    sign_in(page, base, "police_om")
    pk, other = world.person.pk, waiting.pk
    for path in ("/cohorts/", "/cohorts/?rag=amber", f"/people/{pk}/",
                 f"/people/{pk}/case/rag/", f"/people/{pk}/case/step/review/",
                 f"/people/{pk}/case/step/exit/", f"/people/{pk}/case/custody/",
                 f"/people/{other}/case/decision/", f"/people/{other}/case/placement/",
                 f"/people/{world.unconsented.pk}/case/refer/", "/cohorts/candidates/",
                 "/cohorts/candidates/?policy=nowhere@1&as_at_0=31&as_at_1=2&as_at_2=2025",
                 "/cohorts/what-if/"):
        page.goto(base + path)
        problems[path] = _violations(page)
    page.goto(f"{base}/people/{other}/case/decision/")
    page.get_by_role("button", name="Record decision").click()
    problems["decision with errors"] = _violations(page)


def _casework_pages(base, page, world, problems: dict[str, list[str]]) -> None:
    """The case-work page with a plan, its main forms, the action lists and compliance."""
    from django.utils import timezone

    from iom.casework import services as casework

    police, today = world.users["police"], timezone.localdate()
    plan = casework.start_plan(nominal=world.person, started_on=today, summary="",
                               acting_user=police, through="test")
    casework.add_need(plan=plan, pathway="drugs", level="high", description="Daily use",
                      assessed_on=today, acting_user=police, through="test")
    casework.generate_document(nominal=world.person, kind="exit_letter", acting_user=police,
                               through="test")
    person = f"/people/{world.person.pk}/casework/"
    for path in (person, f"{person}plan/needs/add/", f"{person}actions/add/",
                 f"{person}contacts/add/", f"{person}plan/close/", "/casework/actions/mine/",
                 "/casework/actions/overdue/", "/casework/compliance/",
                 "/casework/compliance/tag-audit/"):
        page.goto(base + path)
        problems[path] = _violations(page)
    page.goto(f"{base}{person}plan/close/")
    page.get_by_role("button", name="Close the plan").click()
    problems["close plan with errors"] = _violations(page)
