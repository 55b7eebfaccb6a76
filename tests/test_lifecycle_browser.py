"""The steps after placement in a real browser: the case team changes, the person is
handed to the prison hub, and the lead professional reads the notices (docs/lifecycle.md)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from iom.casework.models import Action
from iom.cohorts.lifecycle import services
from iom.cohorts.models import CohortMembership
from iom.cohorts.tests.factories import on_cohort

from .conftest import fill_date, needs_chromium, sign_in
from .test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]
SHOTS = os.environ.get("IOM_SCREENSHOTS")


def _shot(page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(Path(SHOTS or tmp_path) / f"lifecycle-{name}.png"),
                    full_page=True)


def test_the_team_changes_and_the_case_goes_to_the_prison_hub(live_server, world, browser,
                                                               tmp_path):
    on_cohort(world, world.person, rag="amber")
    today = timezone.localdate()
    base, page = live_server.url, browser.new_page()
    sign_in(page, base, "police_om")
    page.goto(f"{base}/people/{world.person.pk}/")
    page.get_by_role("link", name="Change the case team or cohort type").click()
    page.get_by_label("Flex").check()
    fill_date(page, "Date of the change", today)
    page.get_by_label("Reason for the change").fill("Moved to the flexible cohort at review")
    _shot(page, tmp_path, "team")
    assert _violations(page) == []
    page.get_by_role("button", name="Save the change").click()
    assert page.get_by_text("The change to the case team is recorded.").is_visible()
    assert page.get_by_text("Cohort type from Fixed to Flex").is_visible()

    services.record_custody(nominal=world.person, acting_user=world.users["police"],
                            through="test", fields={
                                "custody_type": "sentence", "start_date": today,
                                "expected_release_date": today + timedelta(days=300),
                                "establishment": "HMP Northshire"})
    page.goto(f"{base}/people/{world.person.pk}/")
    page.get_by_role("link", name="Hand to the prison hub (sentenced to custody)").click()
    page.get_by_label("Prison offender manager").select_option(
        label="Probation Tester, Northshire Probation")
    fill_date(page, "Date of the handover", today)
    page.get_by_label("Handover notes").fill("Sentenced today; handover call with the hub")
    _shot(page, tmp_path, "prison-hub")
    assert _violations(page) == []
    page.get_by_role("button", name="Hand to the prison hub").click()
    _shot(page, tmp_path, "case")
    case = CohortMembership.objects.get(nominal=world.person)
    assert case.prison_offender_manager == world.users["probation"]
    assert Action.objects.filter(nominal=world.person, source_kind="custody").exists()

    other = browser.new_page()
    sign_in(other, base, "probation_officer")
    other.goto(f"{base}/governance/notices/")
    assert other.get_by_text("Selected for the IOM cohort under").first.is_visible()
    _shot(other, tmp_path, "notices")
    assert _violations(other) == []
