"""Errors and refusals are GOV.UK pages, never Django's own, in the demo too: `make run`
runs without debug mode and WhiteNoise still serves the static files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

pytestmark = pytest.mark.django_db


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a fault in the service")


def _refuse(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("internal detail")


urlpatterns = [path("boom/", _boom), path("refuse/", _refuse), path("", include("config.urls"))]


def _govuk_page(response: Any, status: int, title: str) -> str:
    page: str = response.content.decode()
    assert response.status_code == status
    assert f"<title>{title} - Integrated Offender Management</title>" in page
    assert f'<h1 class="govuk-heading-l">{title}</h1>' in page
    assert 'class="govuk-template__body"' in page and 'id="main-content"' in page
    assert "Traceback" not in page and "Django" not in page and "DEBUG" not in page
    return page


def test_an_unknown_address_is_page_not_found(client, world):
    client.force_login(world.users["police"])
    page = _govuk_page(client.get("/no-such-page/"), 404, "Page not found")
    assert "check it is correct" in page
    assert "govuk-service-navigation" in page  # the signed-in user keeps the menu


def test_a_person_outside_the_viewers_sight_is_page_not_found(client, world):
    client.force_login(world.users["police"])
    _govuk_page(client.get("/people/999999/"), 404, "Page not found")


@pytest.mark.urls(__name__)
def test_a_refusal_is_you_cannot_see_this_without_the_internal_reason(client, world):
    client.force_login(world.users["police"])
    page = _govuk_page(client.get("/refuse/"), 403, "You cannot see this")
    assert "internal detail" not in page


@pytest.mark.urls(__name__)
def test_a_fault_is_sorry_there_is_a_problem_with_the_service(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["police"])
    page = _govuk_page(client.get("/boom/"), 500, "Sorry, there is a problem with the service")
    assert "a fault in the service" not in page
    assert "has not been saved" in page


def test_a_form_sent_from_an_old_page_is_refused_in_words(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "police_om", "password": "x"})
    page = _govuk_page(response, 403, "The page was out of date")
    assert "CSRF" not in page


def test_static_files_are_served_without_debug_mode(client):
    assert not settings.DEBUG
    response = client.get("/assets/govuk/govuk-frontend.min.css")
    assert response.status_code == 200
    assert b"govuk-header" in b"".join(response.streaming_content)


def test_the_demo_runs_without_debug_mode():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text(encoding="utf-8")
    dev_env = re.search(r"^DEV_ENV := (.*)$", makefile, re.MULTILINE)
    assert dev_env is not None
    assert "DJANGO_DEBUG" not in dev_env.group(1)
    assert "IOM_ENV=development" in dev_env.group(1)
