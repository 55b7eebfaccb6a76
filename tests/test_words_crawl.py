"""Every page says it in words: no snake_case, raw stored values or ISO dates.

The demo partnership is built through the services (as ``manage.py seed_demo``
builds it), then each demo persona walks the service from its home page,
following every link, a few pages of each kind, with a reason given for every
person so that person pages open. What a reader sees (tests/visible_text.py) must
hold no code a programmer would write. A page that no persona reaches by a link is
named here, so a new page cannot be missed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone

from iom.accounts.models import User
from iom.audit.models import AccessLogEntry
from iom.cohorts.lifecycle import MANAGED_STATES, OPEN_STATES, CohortState
from iom.cohorts.models import CohortMembership
from iom.governance.web import SESSION_KEY
from iom.monitoring.models import Fitting
from iom.people.demo import PERSONAS, seed_demo
from iom.people.models import Nominal, OffendingEvent

from .test_every_route_denies import _web_routes
from .visible_text import problems_in, raw_enum_values

pytestmark = [pytest.mark.django_db, pytest.mark.crawl]

PAGES_OF_A_KIND = 2
# Pages not read here, each with why.
NOT_CRAWLED = {
    "accounts:logout": "signs the persona out",
    "accounts:login": "a signed-in user is sent home",
    "accounts:two-factor": "two-factor sign-in is off in the demo",
    "meetings:export-pdf": "a PDF, not a page",
    "monitoring:result-pdf": "a PDF, not a page",
    "feeds:problems": "a CSV file, not a page",
    "casework:download-document": "a PDF, not a page",
    "reporting:download": "a PDF, spreadsheet or CSV file, not a page",
    **dict.fromkeys(("cohorts:candidates-download", "cohorts:dashboard-download",
                     "scoring:person-download"), "a spreadsheet or CSV file, not a page"),
    "operations:healthz": "JSON for monitoring, not a page",
    "governance:paperwork": "the signed consent form as uploaded, not a page",
    "governance:subject-access-download": "a PDF, ZIP or JSON file, not a page",
    "governance:notice-ack": "a button that acknowledges a notice, then returns",
    "reporting:recalculate": "a button that recomputes the stored figures, then returns",
    # No breach or subject access request in the demo: their pages are read, with the
    # records they need, by iom/governance/tests (test_breaches, test_subject_access).
    "governance:breach": "the demo records no breach",
    "governance:subject-access": "the demo records no subject access request",
}
# Reached only by a form (a button or a search), so the crawl asks for them itself.
FORM_ONLY = {
    "casework:tag-audit", "governance:retention-person", "monitoring:fit",
    "governance:audit-person", "people:reason", "admin_area:user-reset-two-factor",
    "admin_area:token-revoke", "accounts:own-token-revoke", "meetings:remove-attendee",
    "meetings:sign", "meetings:open", "meetings:close", "meetings:cancel", "meetings:generate",
    "meetings:move-item", "casework:generate-document", "cohorts:step", "feeds:run",
    "feeds:alert", "accounts:own-token-issue", "admin_area:token-issue",
    "meetings:add-attendee",
}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/") and not href.startswith("/static/"):
            self.links.append(href.split("#")[0])


@pytest.fixture
def demo(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    settings.IOM_REQUIRE_2FA = False
    seed_demo(people=60)


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    until = (timezone.now() + timedelta(hours=2)).isoformat()
    session[SESSION_KEY] = {str(pk): {"reason": "Checking the pages say it in words",
                                      "until": until}
                            for pk in Nominal.objects.values_list("pk", flat=True)}
    session.save()
    return client


def _crawl(client: Client, start: list[str]) -> tuple[dict[str, list[str]], set[str]]:
    """Problems found (each with the pages it is on) and the URL names read."""
    enum_values = raw_enum_values()
    problems: dict[str, list[str]] = defaultdict(list)
    per_name: Counter[str] = Counter()
    queue, seen = list(start), set()
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        try:
            name = resolve(urlsplit(url).path).view_name
        except Resolver404:
            continue
        if name in NOT_CRAWLED or per_name[name] >= PAGES_OF_A_KIND:
            continue
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        per_name[name] += 1
        html = response.content.decode()
        for problem in problems_in(html, enum_values):
            problems[problem].append(url)
        links = _Links()
        links.feed(html)
        queue += links.links
    return problems, set(per_name)


def _form_only_urls() -> list[str]:
    """Pages that open from a form or a button, with real ids: the DPO's page about a
    person, and the case steps for a case in the state each needs."""
    logged = AccessLogEntry.objects.exclude(nominal_id=None).values_list("nominal_id", flat=True)
    urls = [f"/governance/access-log/{pk}/" for pk in logged.distinct()[:2]]
    cases = CohortMembership.objects.order_by("pk")
    deciding = (cases.filter(state=CohortState.AWAITING_PANEL).first()
                or cases.filter(state__in=MANAGED_STATES).first())
    closed = cases.exclude(state__in=OPEN_STATES).first()
    planned = cases.filter(nominal__intervention_plans__closed_on__isnull=True,
                           nominal__intervention_plans__isnull=False).first()
    if planned:
        urls.append(f"/people/{planned.nominal_id}/casework/")
    planless = cases.filter(state__in=MANAGED_STATES,
                            nominal__intervention_plans__isnull=True).first()
    if planless:
        urls.append(f"/people/{planless.nominal_id}/casework/plan/start/")
    if deciding:
        urls += [f"/people/{deciding.nominal_id}/case/decision/",
                 f"/people/{deciding.nominal_id}/case/placement/"]
    if closed:
        urls += [f"/people/{closed.nominal_id}/casework/deregistration/",
                 f"/people/{closed.nominal_id}/case/transfer-in/"]
    urls += ["/casework/compliance/tag-audit/",
             f"/governance/retention/{cases.first().nominal_id if cases.exists() else 1}/"]
    fitting = Fitting.objects.order_by("pk").first()
    if fitting:
        urls.append(f"/monitoring/fittings/{fitting.pk}/fit/")
    # A conviction's OGRS 3 category page, linked only from the timelines of people with a
    # code needing details, which the two profiles the crawl opens may not be.
    supply = OffendingEvent.objects.filter(kind="conviction", ho_code="92A").order_by("pk")
    if supply.exists():
        urls.append(f"/people/{supply[0].nominal_id}/convictions/{supply[0].pk}/ogrs3-category/")
    return urls


def test_every_page_says_it_in_words(demo):
    problems: dict[str, list[str]] = defaultdict(list)
    read: set[str] = set()
    for username, *_ in PERSONAS:
        found, names = _crawl(_client_for(User.objects.get(username=username)),
                              [*_form_only_urls(), "/"])
        read |= names
        for problem, urls in found.items():
            problems[f"{username}: {problem}"] += urls
    shown = "\n".join(f"{p} (on {urls[0]})" for p, urls in sorted(problems.items()))
    assert not problems, f"{len(problems)} problems:\n{shown}"
    every = {name for name, _ in _web_routes()}
    unread = every - read - set(NOT_CRAWLED) - FORM_ONLY
    assert not unread, f"no persona reached {sorted(unread)}: link them or list them here"
