"""/api/docs: the API described for people, from our own static files, under the strict CSP."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

from .conftest import needs_chromium

pytestmark = pytest.mark.django_db


def test_the_docs_page_loads_only_our_own_files(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/assets/") for s in sources), sources
    assert "<script>" not in html  # no inline script for the CSP to refuse
    for source in sources:
        assert finders.find(source.removeprefix("/assets/")), f"{source} is not a static file"


def test_the_docs_describe_the_documented_api(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/people" in schema["paths"]
    assert 'id="swagger-settings"' in client.get("/api/docs").content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@needs_chromium
def test_the_docs_render_in_a_browser_without_csp_errors(live_server, browser):
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning")
            else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{live_server.url}/api/docs")
    page.get_by_text("Search people").first.wait_for(timeout=20_000)
    assert page.get_by_text("Integrated Offender Management API").count()
    assert not problems, problems
