"""An analyst opens the impact dashboard in a real browser and downloads the pack."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import browser, needs_chromium, sign_in  # noqa: F401  (fixture)
from tests.test_accessibility import _violations

from .conftest import FROM, TO

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]


def test_an_analyst_opens_the_dashboard_and_downloads_the_pack(live_server, world, impact,
                                                               browser, tmp_path):  # noqa: F811
    page = browser.new_page()
    sign_in(page, live_server.url, "analyst_police")
    page.get_by_role("link", name="Measuring impact").first.click()
    page.get_by_label("From").fill(FROM.isoformat())
    page.get_by_label("To", exact=True).fill(TO.isoformat())
    page.get_by_role("button", name="Show figures").click()
    assert page.get_by_role("heading", name="Before and after selection: full window at "
                            "liberty").is_visible()
    assert page.get_by_role("img", name="Proven offences a year at liberty").is_visible()
    assert "Zebedee" not in page.content()
    assert _violations(page) == []
    for label, start in (("Download the board pack (PDF)", b"%PDF"),
                         ("Download the tables (CSV)", b"\xef\xbb\xbftable,measure,group")):
        with page.expect_download() as download:
            page.get_by_role("link", name=label).click()
        saved = Path(tmp_path) / download.value.suggested_filename
        download.value.save_as(saved)
        assert saved.read_bytes().startswith(start)
