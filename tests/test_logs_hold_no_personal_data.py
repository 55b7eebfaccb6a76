"""The log never holds a person's name, PNC ID or record content.

The demo partnership is seeded (small), then several personas crawl the main pages and
API reads: search by a person's name, profiles, case work, scores, sharing, the cohort
dashboard, candidates, meetings and their items, alerts, feed runs, administration, a
failed sign-in and a feed upload whose rows name people. Every log record made meanwhile,
at every level, is written through the production formatter (iom/operations/logs.py);
the test fails if any demo person's name or PNC ID appears in it.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from iom.accounts.models import ApiToken, User
from iom.meetings.models import Meeting
from iom.operations.logs import JsonLinesFormatter
from iom.people.demo import PERSONAS, seed_demo
from iom.people.models import Nominal

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CRAWLERS = ("police.om", "coordinator", "probation.officer", "housing.officer", "mentor",
            "analyst", "dpo", "admin", "outsider")
PAGES = ("home", "people:search", "cohorts:dashboard", "cohorts:candidates",
         "cohorts:what-if", "meetings:list", "feeds:inbox", "feeds:runs",
         "casework:my-actions", "casework:overdue-actions", "casework:compliance",
         "casework:tag-audit", "governance:audit-search", "scoring:ogrs3",
         "admin_area:index", "admin_area:users", "accounts:account")
PERSON_PAGES = ("people:profile", "casework:person", "scoring:person", "governance:sharing",
                "people:reason")
API_READS = ("/api/people", "/api/cohorts/dashboard", "/api/cohorts/candidates",
             "/api/meetings", "/api/feeds/alerts", "/api/casework/actions/mine")


@pytest.fixture
def captured_log() -> Iterator[io.StringIO]:
    """Every record at every level, as production writes it."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonLinesFormatter())
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield out
    root.removeHandler(handler)
    root.setLevel(level)


def personal_data_in(text: str, people: list[dict[str, str]]) -> list[str]:
    """Each name or PNC ID of these people that the text holds."""
    found = []
    for person in people:
        full = f"{person['forename']} {person['surname']}"
        for needle in (full, person["surname"], person["pnc_id"]):
            if needle and re.search(rf"(?<![\w/]){re.escape(needle)}(?![\w/])", text):
                found.append(needle)
    return found


def _crawl(client: Client, user: User, people: list[Nominal], meetings: list[Meeting],
           surname: str) -> int:
    client.force_login(user)
    requests = 0
    for name in PAGES:
        client.get(reverse(name))
        requests += 1
    client.get(reverse("people:search"), {"q": surname})
    for person in people:
        for name in PERSON_PAGES:
            client.get(reverse(name, args=[person.pk]))
            requests += 1
    for meeting in meetings:
        client.get(reverse("meetings:detail", args=[meeting.pk]))
        for item in meeting.items.all()[:3]:
            client.get(reverse("meetings:item", args=[meeting.pk, item.pk]))
            requests += 1
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, issued_by=user, name="crawl",
                            key_hash=ApiToken.hash_key(key), prefix=key[:8])
    api = {"Authorization": f"Bearer {key}", "X-Access-Reason": "Tasking meeting preparation"}
    for path in API_READS:
        client.get(path, headers=api)
    client.get("/api/people", {"q": surname}, headers=api)
    for person in people[:3]:
        client.get(f"/api/people/{person.pk}", headers=api)
        requests += 1
    client.logout()
    return requests + len(API_READS) + 2


def test_a_crawl_of_the_pages_logs_no_name_or_pnc_id(captured_log, settings):
    settings.IOM_REQUIRE_2FA = False
    seed_demo(people=12)
    people = list(Nominal.objects.order_by("pk"))
    known = [{"forename": p.forename, "surname": p.surname, "pnc_id": p.pnc_id or ""}
             for p in people]
    assert sum(1 for p in known if p["pnc_id"]) >= 5  # the check has PNC IDs to look for
    meetings = list(Meeting.objects.order_by("pk")[:2])
    usernames = {p[0] for p in PERSONAS}
    client = Client()
    # A failed sign-in, and a feed upload whose rows name people.
    client.post(reverse("accounts:login"), {"username": "police.om", "password": "wrong"})
    client.force_login(User.objects.get(username="coordinator"))
    rows = "\n".join(f"{p.pnc_id},{p.surname},{p.forename},arrest" for p in people[:3])
    client.post(reverse("feeds:upload"), {"file": SimpleUploadedFile(
        "pnc.csv", f"pnc_id,surname,forename,event\n{rows}\n".encode())})
    requests = 0
    for username in CRAWLERS:
        assert username in usernames
        requests += _crawl(client, User.objects.get(username=username), people[:4], meetings,
                           people[0].surname)

    text = captured_log.getvalue()
    request_lines = [line for line in text.splitlines() if '"logger": "iom.requests"' in line]
    assert len(request_lines) >= requests  # every request was logged, so the check saw it
    shown = [json.loads(line) for line in request_lines]
    for route in ("people:profile", "casework:person", "api:read_profile", "meetings:detail"):
        assert any(line["route"] == route and line["status"] == 200 for line in shown), route
    assert personal_data_in(text, known) == []


def test_the_check_finds_a_name_or_pnc_id_when_one_is_logged(captured_log):
    people = [{"forename": "Jonathan", "surname": "Smith", "pnc_id": "2012/0012345A"}]
    logging.getLogger("iom.anything").warning("Matched %s", "2012/0012345A")
    assert personal_data_in(captured_log.getvalue(), people) == ["2012/0012345A"]
    logging.getLogger("iom.anything").info("Imported Jonathan Smith")
    assert sorted(personal_data_in(captured_log.getvalue(), people)) == [
        "2012/0012345A", "Jonathan Smith", "Smith"]
