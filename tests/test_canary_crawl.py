"""The canary crawl: no restricted record reaches a reader the access policy keeps from it.

``tests/canary_world.py`` plants a unique canary in every restricted kind of record.
Then, for every persona, this test requests every URL pattern (from the URL
resolver) and every API operation (from the OpenAPI document), with real ids filled
in, produces and opens every kind of document as that persona, opens the documents
the police kept, the meeting's print view and PDF, the feed's problems CSV, and fails
on:

- a canary the policy keeps from the persona (asked of ``iom.governance.policy`` per
  persona and canary: may they see that person, and that kind of record);
- restricted detail in words, for a persona without that sight: intelligence grading
  as the working prints it (``C1-E5``), "MAPPA", "sex offender", "public protection
  exclusion";
- a GET that shows a person and leaves no access-log entry.

``ROUTES`` and ``OPERATIONS`` say how to fill each route's parameters: a new URL or
operation that is not in them fails ``test_every_route_and_operation_is_covered``.
Add one entry per route name (docs/architecture.md, "The canary crawl").
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise, product
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import get_resolver, reverse

from iom.accounts.models import ApiToken, User
from iom.api.urls import api
from iom.audit.models import AccessLogEntry
from iom.casework.models import DocumentKind, GeneratedDocument
from iom.cohorts.candidates.why import PROTECTED
from iom.cohorts.lifecycle.views import STEP_PAGES
from iom.cohorts.policy.schemes import installed_policies
from iom.core.spreadsheets import CONTENT_TYPES
from iom.core.testing import pdf_text
from iom.core.testing import text as workbook_text
from iom.governance import policy
from iom.people.services import RECORD_KINDS

from .canary_world import (
    INTELLIGENCE,
    LOCATION,
    PERSONAS,
    PROTECTION,
    Canary,
    CanaryWorld,
    build_canary_world,
)
from .test_every_route_denies import _patterns

pytestmark = [pytest.mark.django_db, pytest.mark.crawl]

PEOPLE = ("subject", "candidate", "hidden", "foreign")
# Forms and steps show the person and their case the same way for anyone: the crawl asks
# them for the managed person and for one the mentor may not see, to keep CI quick.
SOME = ("subject", "hidden")
DOCUMENTS = tuple(f"document_{k}" for k in DocumentKind.values)
POLICIES = ("derbyshire-2015", "derbyshire-2021", "london", "west-yorkshire")
SEARCH = {"q": "Canary"}  # every planted surname starts with it
# The district filters (003 districts): "@district" is the world's district id.
IN_DISTRICT = {"district": "@district"}
DISTRICT_NAME = {"district": "Northshire City"}
SPREADSHEETS = ("csv", "xlsx")  # the downloads of a page's tables (iom/core/spreadsheets.py)


@dataclass(frozen=True)
class Fill:
    """How the crawl requests one route: each URL parameter from a list of world ids
    (``CanaryWorld.ids`` keys, or literal values with ``values``), with each query."""

    ids: dict[str, tuple[str, ...]] = field(default_factory=dict)
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    queries: tuple[dict[str, str], ...] = ({},)
    skip: str = ""  # why the crawl does not request it (it must say)


def _person(**more: tuple[str, ...]) -> Fill:
    return Fill(ids={"pk": PEOPLE, **more})


def _form(**more: tuple[str, ...]) -> Fill:
    return Fill(ids={"pk": SOME, **more})


def _record(**more: tuple[str, ...]) -> Fill:
    """A page about one of the managed person's own records (the ids are theirs)."""
    return Fill(ids={"pk": ("subject",), **more})


ON_MEETING = Fill(ids={"pk": ("meeting",)})
ON_ITEM = Fill(ids={"pk": ("meeting",), "item_id": ("item", "closed_item")})
ADMIN = Fill()

# One entry per named URL pattern (web pages, and the API's own routes).
ROUTES: dict[str, Fill] = {
    "home": Fill(),
    "accounts:login": Fill(skip="the sign-in form: shows no one"),
    "accounts:logout": Fill(skip="signs the crawling persona out"),
    "accounts:two-factor": Fill(), "accounts:account": Fill(),
    "accounts:own-tokens": Fill(), "accounts:own-token-issue": Fill(),
    "accounts:own-token-revoke": Fill(ids={"token_pk": ("token",)}),
    "people:search": Fill(queries=(SEARCH,)),
    "people:create": Fill(),
    "people:profile": _person(),
    "people:reason": _person(),
    "people:add-record": Fill(ids={"pk": SOME}, values={"kind": tuple(sorted(RECORD_KINDS))}),
    "people:ogrs3-category": _record(event_id=("subject_supply",)),
    "governance:audit-search": Fill(queries=(SEARCH,)),
    "governance:audit-person": _person(),
    "governance:sharing": _person(),
    # Information governance (docs/governance.md). The DPO's pages list what needs doing
    # and show a person's sharing register and retention review; none shows a record's
    # content but the subject access review, below.
    **{f"governance:{name}": Fill() for name in (
        "index", "legal-bases", "correction-notices", "notices", "retention", "tombstones",
        "breaches")},
    "governance:subject-access-list": Fill(queries=({}, SEARCH)),
    "governance:register": _person(), "governance:retention-person": _person(),
    "governance:correct": Fill(ids={"pk": ("subject",), "record_id": ("subject_intelligence",)},
                               values={"kind": ("intelligence",)}),
    "governance:paperwork": Fill(skip="the canary world keeps no signed consent form: "
                                      "iom/governance/tests/test_consent_complete.py opens one"),
    "governance:notice-ack": Fill(skip="a button (POST)"),
    # The DPO's review of a subject access request: everything held on the person while
    # it is open (policy rule 8, asked of the policy per persona below), nothing after.
    "governance:subject-access": Fill(ids={"pk": ("sar_open", "sar_done")}),
    "governance:subject-access-download": Fill(ids={"pk": ("sar_open", "sar_done")},
                                               values={"fmt": ("pdf", "zip", "json")}),
    "governance:breach": Fill(skip="needs a recorded breach: iom/governance/tests/"
                                   "test_breaches.py"),
    "scoring:person": _person(),
    "scoring:supplied-ogrs3": _form(),
    "scoring:person-download": Fill(ids={"pk": PEOPLE}, values={"fmt": SPREADSHEETS}),
    "scoring:ogrs3": Fill(),
    "casework:person": _person(),
    **{f"casework:{name}": _form() for name in (
        "start-plan", "add-need", "outcome", "endorse", "close-plan", "add-action",
        "add-contact", "deregister")},
    "casework:refer": _record(need_id=("need",)),
    "casework:progress": _record(need_id=("need",)),
    "casework:referral-response": _record(referral_id=("referral",)),
    "casework:action-update": _record(action_id=("action",)),
    "casework:action-close": _record(action_id=("action",)),
    "casework:review-threat": _record(threat_id=("threat",)),
    "casework:generate-document": Fill(
        ids={"pk": PEOPLE}, values={"kind": tuple(DocumentKind.values)},
        skip="a button (POST): the crawl produces every kind as each persona below"),
    "casework:download-document": _record(document_id=DOCUMENTS),
    "casework:my-actions": Fill(), "casework:overdue-actions": Fill(),
    "casework:compliance": Fill(queries=({}, DISTRICT_NAME)), "casework:tag-audit": Fill(),
    "cohorts:dashboard": Fill(queries=({}, IN_DISTRICT)), "cohorts:figures": Fill(),
    "cohorts:dashboard-download": Fill(values={"fmt": SPREADSHEETS},
                                       queries=({}, IN_DISTRICT)),
    "cohorts:candidates": Fill(queries=(*({"policy": p} for p in POLICIES),
                                        {"policy": POLICIES[0], **IN_DISTRICT})),
    "cohorts:candidates-download": Fill(values={"fmt": SPREADSHEETS},
                                        queries=tuple({"policy": p} for p in POLICIES)),
    "cohorts:what-if": Fill(queries=tuple({"first": a, "second": b}
                                          for a, b in pairwise(POLICIES))),
    **{f"cohorts:{name}": _form() for name in (
        "refer", "transfer-in", "decide", "place", "rag", "custody", "team", "prison-hub")},
    "cohorts:step": Fill(ids={"pk": SOME}, values={"name": tuple(STEP_PAGES)}),
    "meetings:list": Fill(), "meetings:arrange": Fill(), "meetings:schedule": Fill(),
    **{f"meetings:{name}": ON_MEETING for name in (
        "detail", "add-attendee", "statement", "open", "close", "cancel", "generate",
        "add-item", "export", "export-pdf")},
    "meetings:remove-attendee": Fill(ids={"pk": ("meeting",), "attendance_id": ("attendance",)}),
    "meetings:sign": Fill(ids={"pk": ("meeting",), "attendance_id": ("attendance",)}),
    "meetings:item": ON_ITEM, "meetings:move-item": ON_ITEM,
    "feeds:runs": Fill(), "feeds:upload": Fill(),
    "feeds:run": Fill(ids={"run_id": ("run",)}),
    "feeds:problems": Fill(ids={"run_id": ("run",)}),
    "feeds:inbox": Fill(), "feeds:alert": Fill(ids={"alert_id": ("alert",)}),
    # Voluntary tags: the trail (today's fixes) and a result's map carry the location canary.
    **{f"monitoring:{name}": Fill() for name in (
        "home", "add-device", "audit", "fix-upload", "crime-upload")},
    **{f"monitoring:{name}": Fill(ids={"device_id": ("device",)}) for name in (
        "device", "device-state", "device-flex")},
    "monitoring:flex": Fill(ids={"flex_id": ("flex",)}),
    "monitoring:consent": _form(), "monitoring:trail": _person(),
    **{f"monitoring:{name}": Fill(ids={"fitting_id": ("fitting",)}) for name in (
        "fitting", "fit", "remove")},
    "monitoring:fix-import": Fill(ids={"import_id": ("fix_import",)}),
    "monitoring:batch": Fill(ids={"batch_id": ("batch",)}),
    "monitoring:run": Fill(ids={"run_id": ("match_run",)}),
    "monitoring:result": Fill(ids={"result_id": ("match_result",)}),
    "monitoring:result-pdf": Fill(ids={"result_id": ("match_result",)}),
    # The administration area: accounts and organisations, never a person's records.
    **{f"admin_area:{name}": ADMIN for name in (
        "index", "organisations", "organisation-create", "districts", "district-create",
        "users", "user-create")},
    "admin_area:organisation-edit": Fill(ids={"pk": ("organisation",)}),
    "admin_area:district-rename": Fill(ids={"pk": ("district",)}),
    **{f"admin_area:{name}": Fill(ids={"pk": ("user",)}) for name in (
        "user-edit", "user-reset-two-factor", "user-tokens", "token-issue")},
    "admin_area:token-revoke": Fill(ids={"pk": ("user",), "token_pk": ("token",)}),
    "api:openapi-json": Fill(), "api:api-root": Fill(skip="the API's own index"),
    "operations:healthz": Fill(),  # liveness for anyone, checks for an administrator
    # Measuring impact: aggregates only, over the planted partnership's people.
    "reporting:impact": Fill(), "reporting:board-pack": Fill(),
    "reporting:download": Fill(values={"fmt": ("csv", "pdf", "xlsx")}),
    "reporting:recalculate": Fill(skip="a button (POST): stores figures, then the dashboard"),
}
API_ROUTE = "api:"  # operations are crawled from the OpenAPI document, below


@dataclass(frozen=True)
class Operation:
    """How the crawl calls one API operation: path parameters from world ids (or fixed
    values, such as a download's format), the query string, and for a write whose answer
    echoes what it stored, a body (none: not called, ``skip`` says why)."""

    ids: dict[str, tuple[str, ...]] = field(default_factory=dict)
    queries: tuple[dict[str, str], ...] = ({},)
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    skip: str = ""


def _about(**more: tuple[str, ...]) -> Operation:
    return Operation(ids={"person_id": PEOPLE, **more})


NO_ECHO = "a write that answers with an id or a status only"
WRITE = Operation(skip=NO_ECHO)

OPERATIONS: dict[str, Operation] = {
    "search_people": Operation(queries=(SEARCH,)),
    "create_person": WRITE, "add_record": WRITE,
    "read_profile": _about(), "person_scores": _about(),
    "person_scores_spreadsheet": Operation(ids={"person_id": PEOPLE},
                                           values={"fmt": SPREADSHEETS}),
    "record_supplied_ogrs3": Operation(skip="a write that echoes only the score it was given"),
    "ogrs3_calculator": WRITE,
    # The managed person's 92A conviction: the answer is the conviction's category, for
    # every persona the policy lets change it (rolled back after each persona).
    "set_conviction_ogrs3_category": Operation(
        ids={"person_id": ("subject", "hidden"), "event_id": ("subject_supply",)},
        body={"ogrs3_category": "drug_possession_supply"}),
    "cohort_dashboard": Operation(queries=({}, IN_DISTRICT)), "my_cohort": Operation(),
    "cohort_dashboard_spreadsheet": Operation(values={"fmt": SPREADSHEETS},
                                              queries=({}, IN_DISTRICT)),
    "person_cases": _about(),
    **dict.fromkeys(("refer_person", "record_decision", "place_person", "change_rag_status",
                     "exit_person", "record_step", "change_case_team", "hand_to_prison_hub"),
                    WRITE),
    "list_candidates": Operation(queries=(*({"policy": p} for p in POLICIES),
                                          {"policy": POLICIES[0], **IN_DISTRICT})),
    "candidates_spreadsheet": Operation(values={"fmt": SPREADSHEETS},
                                        queries=tuple({"policy": p} for p in POLICIES)),
    "compare_candidate_policies": Operation(queries=tuple(
        {"first": a, "second": b} for a, b in pairwise(POLICIES))),
    "list_meetings": Operation(), "read_meeting": Operation(ids={"meeting_id": ("meeting",)}),
    "export_meeting_pdf": Operation(ids={"meeting_id": ("meeting",)}),
    **dict.fromkeys(("arrange_meeting", "schedule_meetings", "add_meeting_attendee",
                     "sign_meeting_statement", "open_meeting", "finish_meeting",
                     "cancel_meeting", "add_meeting_item", "move_meeting_item",
                     "minute_meeting_item", "decide_meeting_item", "raise_meeting_action"),
                    WRITE),
    "generate_meeting_agenda": Operation(ids={"meeting_id": ("meeting",)}, body={}),
    "read_plan": _about(), "list_person_actions": _about(), "list_person_contacts": _about(),
    "list_closed_plans": _about(), "list_person_threats": _about(),
    "read_deregistration": _about(), "list_person_documents": _about(),
    "download_person_document": Operation(ids={"person_id": ("subject",),
                                               "document_id": DOCUMENTS}),
    "produce_person_document": Operation(
        skip="produced as each persona through the web and API below, then opened"),
    **dict.fromkeys(("start_person_plan", "add_plan_need", "refer_need_to_service",
                     "record_need_progress", "record_plan_outcome", "endorse_person_plan",
                     "create_person_action", "add_update_to_action", "record_action_result",
                     "record_person_contact", "close_person_plan", "review_person_threat",
                     "record_person_deregistration", "record_district_tag_audit"), WRITE),
    "list_my_actions": Operation(), "list_overdue_actions": Operation(),
    "list_compliance": Operation(queries=({}, DISTRICT_NAME)), "list_tag_audits": Operation(),
    "compliance_figures": Operation(),
    "upload_feed_file": WRITE, "read_import_run": Operation(ids={"run_id": ("run",)}),
    "list_my_alerts": Operation(), "acknowledge_alert": WRITE,
    "impact_measures": Operation(), "board_pack_tables": Operation(),
    "list_person_consents": _about(), "list_person_involvements": _about(),
    "list_my_notices": Operation(),
    **dict.fromkeys(("record_person_consent", "record_person_involvement",
                     "end_person_involvement", "correct_person_record", "acknowledge_notice"),
                    Operation(skip="a write that echoes only the consent, involvement, "
                                   "correction or notice it stored")),
    "list_subject_access_requests": Operation(),
    "read_subject_access_request": Operation(ids={"request_id": ("sar_open", "sar_done")}),
    "export_subject_access_pack": Operation(
        ids={"request_id": ("sar_open", "sar_done")},
        queries=({"format": "pdf"}, {"format": "zip"}, {"format": "json"})),
    **dict.fromkeys(("open_subject_access_request", "withhold_subject_access_item",
                     "release_subject_access_item", "answer_subject_access_request"),
                    Operation(skip="a write that echoes only the request it changed")),
    "list_tag_units": Operation(), "read_wearer_trail": _about(),
    "read_matching_run": Operation(ids={"run_id": ("match_run",)}),
    "download_match_result_pdf": Operation(ids={"result_id": ("match_result",)}),
    **dict.fromkeys((
        "add_tag_unit", "change_tag_unit_state", "request_tag_unit_move",
        "decide_tag_unit_move", "record_tag_inventory_audit", "record_tag_consent",
        "fit_tag_unit", "remove_tag_unit", "import_location_fixes", "upload_crime_batch",
        "record_match_result_action"), WRITE),
    "run_crime_matching": Operation(
        skip="each call adds a run; what a run answers is read_matching_run's, crawled"),
}

# Restricted detail in words: what a reader without that sight must never read, whatever
# record it came from. The working prints intelligence grades as bands ("C1-E5").
DETAIL = {
    INTELLIGENCE: re.compile(r"\b[A-E][1-5]-[A-E][1-5]\b|intelligence graded|"
                             r"intelligence \d{4}-\d\d-\d\d", re.IGNORECASE),
    PROTECTION: re.compile(r"\bMAPPA\b|sex[- ]offender|public protection exclusion",
                           re.IGNORECASE),
}


def _scheme_texts() -> list[str]:
    """What a criterion that reads a restricted kind says to a reader who may not see it:
    its label with the same "held by police and probation only" for everyone, which says
    nothing about the person. Any other wording of it is detail, and fails the crawl."""
    labels = {r.label for p in installed_policies().values() for r in p.rules.values()
              if r.kind == "protection"}
    return [f"{label} ({PROTECTED})" for label in labels]


def _without_scheme_text(text: str) -> str:
    for said in _scheme_texts():
        text = text.replace(said, "")
    return text


# The world, built once for the module ---------------------------------------------------


@pytest.fixture(scope="module")
def canary(django_db_setup: None, django_db_blocker: Any,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[CanaryWorld]:
    """Built once, inside a transaction rolled back after the module's last test."""
    uploads = tmp_path_factory.mktemp("canary-uploads")
    from iom.audit.testing import restore_append_only

    with (django_db_blocker.unblock(),
          override_settings(IOM_REQUIRE_2FA=False, IOM_FEED_UPLOAD_DIR=uploads,
                            IOM_FIX_STORE_DIR=uploads / "fixes"),
          transaction.atomic()):
        restore_append_only()
        world = build_canary_world(uploads)
        _tokens(world)
        yield world
        transaction.set_rollback(True)
    _print_figures(world)


def _print_figures(world: CanaryWorld) -> None:
    """The figures docs/benchmarks.md quotes (shown with ``pytest -s``)."""
    crawls = list(_CRAWLED.values())
    if not crawls:
        return
    pages = {n for n, _ in _patterns(get_resolver()) if not n.startswith(API_ROUTE)}
    print(f"\ncanary crawl: {len(crawls)} personas x {len(pages)} URL patterns x "
          f"{len(_operations())} API operations; {sum(c.requests for c in crawls)} requests, "
          f"{sum(c.documents for c in crawls)} documents and exports read, "
          f"{len(world.canaries)} canaries planted, "
          f"{sum(len(c.leaks) for c in crawls)} leaks, "
          f"{sum(len(c.unlogged) for c in crawls)} unlogged reads, "
          f"{sum(c.seconds for c in crawls):.1f} s crawling")


def _tokens(world: CanaryWorld) -> None:
    world.keys = {}  # type: ignore[attr-defined]
    for persona, user in world.users.items():
        key = ApiToken.new_key()
        token = ApiToken.objects.create(user=user, issued_by=user, name="crawl",
                                        key_hash=ApiToken.hash_key(key), prefix=key[:8])
        world.keys[persona] = key  # type: ignore[attr-defined]
        if persona == "mentor_with_consent":
            world.ids["token"] = token.pk


# Reading responses -----------------------------------------------------------------------


def text_of(response: Any) -> str:
    """What a reader reads in the response: a PDF's extracted text, a workbook's cells, else
    the body."""
    content = response.content if not response.streaming else b"".join(
        response.streaming_content)
    if response.get("Content-Type", "").startswith("application/pdf"):
        return pdf_text(content)
    if response.get("Content-Type", "") == CONTENT_TYPES["xlsx"]:
        return workbook_text(content)
    return content.decode("utf-8", errors="replace")


@dataclass
class Crawl:
    persona: str
    user: User
    world: CanaryWorld
    client: Client
    sight: policy.Sight
    visible: set[int]
    leaks: list[str] = field(default_factory=list)
    unlogged: list[str] = field(default_factory=list)
    requests: int = 0
    documents: int = 0
    seen: set[str] = field(default_factory=set)
    seconds: float = 0.0
    read_files: set[str] = field(default_factory=set)  # where a PDF or CSV was read

    def sight_for(self, nominal_id: int) -> policy.Sight:
        """The persona's sight of one person, as the policy gives it: their own, or in
        full for a DPO answering an open subject access request (rule 8)."""
        if policy.open_subject_access(self.user, nominal_id):
            return policy.SYSTEM_SIGHT
        return self.sight

    def may_read(self, canary: Canary) -> bool:
        if canary.nominal_id not in self.visible:
            return False
        if canary.kind == LOCATION:
            wearer = self.world.people_by_id[canary.nominal_id]
            return policy.can_see_locations(self.user, wearer)
        sight = self.sight_for(canary.nominal_id)
        return {INTELLIGENCE: sight.intelligence,
                PROTECTION: sight.public_protection}.get(canary.kind, True)

    def check(self, where: str, response: Any, logged_after: int) -> None:
        self.requests += 1
        if response.status_code >= 300:
            return
        kind = response.get("Content-Type", "")
        if "pdf" in kind or "csv" in kind or kind == CONTENT_TYPES["xlsx"]:
            self.documents += 1
            self.read_files.add(where.split("?", maxsplit=1)[0].removeprefix("GET "))
        text = text_of(response)
        lowered = text.lower()
        shown = set()
        for c in self.world.canaries:
            if c.text.lower() in lowered:
                self.seen.add(c.text)
                shown.add(c.nominal_id)
                if not self.may_read(c):
                    self.leaks.append(f"{where}: {c.what} ({c.text})")
        about = _without_scheme_text(text) if shown else ""  # detail about a person shown
        sight = self.sight
        if shown:  # detail is allowed only where every person shown may be read so
            sight = self.sight_for(min(shown))
            for nominal_id in shown:
                sight = sight & self.sight_for(nominal_id)
        for restricted, pattern in DETAIL.items():
            allowed = {INTELLIGENCE: sight.intelligence,
                       PROTECTION: sight.public_protection}[restricted]
            found = pattern.search(about)
            if found and not allowed:
                start = max(found.start() - 60, 0)
                self.leaks.append(f"{where}: {restricted} detail "
                                  f"{about[start:found.end() + 20]!r}")
        if shown and not AccessLogEntry.objects.filter(
                pk__gt=logged_after, user_id=self.user.pk,
                action__in=("view", "export", "search")).exists():
            self.unlogged.append(where)


def _last_entry() -> int:
    return AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _expand(ids: dict[str, tuple[str, ...]], values: dict[str, tuple[str, ...]],
            world: CanaryWorld) -> Iterator[dict[str, Any]]:
    choices: dict[str, list[Any]] = {k: [world.ids[key] for key in keys]
                                     for k, keys in ids.items()}
    choices.update({k: list(v) for k, v in values.items()})
    names = list(choices)
    for combo in product(*(choices[n] for n in names)):
        yield dict(zip(names, combo, strict=True))


def _get(crawl: Crawl, url: str, query: dict[str, str], **headers: Any) -> None:
    query = {k: str(crawl.world.ids[v[1:]]) if v.startswith("@") else v
             for k, v in query.items()}
    last = _last_entry()
    response = crawl.client.get(url, query, **headers)
    crawl.check(f"GET {url}?{'&'.join(f'{k}={v}' for k, v in query.items())}", response, last)


def _crawl_pages(crawl: Crawl) -> None:
    for name, _route in _patterns(get_resolver()):
        if name.startswith(API_ROUTE) and name not in ROUTES:
            continue
        fill = ROUTES[name]
        if fill.skip:
            continue
        for kwargs in _expand(fill.ids, fill.values, crawl.world):
            url = reverse(name, kwargs=kwargs)
            for query in fill.queries:
                _get(crawl, url, query)


def _crawl_operations(crawl: Crawl) -> None:
    auth: Any = _auth(crawl)
    for method, path, name in _operations():
        op = OPERATIONS[name]
        if op.skip or (method != "get" and op.body is None):
            continue
        for kwargs in _expand(op.ids, op.values, crawl.world):
            url = _filled(path, kwargs)
            for query in op.queries:
                if method == "get":
                    _get(crawl, url, query, **auth)
                    continue
                last = _last_entry()
                response = crawl.client.post(url, op.body, content_type="application/json",
                                             **auth)
                crawl.check(f"{method.upper()} {url}", response, last)


def _auth(crawl: Crawl) -> dict[str, str]:
    key = crawl.world.keys[crawl.persona]  # type: ignore[attr-defined]
    return {"HTTP_AUTHORIZATION": f"Bearer {key}",
            "HTTP_X_ACCESS_REASON": "Canary crawl: checking what this persona is shown"}


def _filled(path: str, kwargs: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(kwargs[m.group(1)]), path)


def _produce_documents(crawl: Crawl) -> None:
    """Every kind of document produced by the persona, through the page and the API,
    then opened: what it says is built for them."""
    auth: Any = _auth(crawl)
    for key in PEOPLE:
        pk = crawl.world.ids[key]
        if pk not in crawl.visible:
            continue  # refused like any page: tests/test_every_route_denies.py
        for kind in DocumentKind.values:
            crawl.client.post(reverse("casework:generate-document",
                                      kwargs={"pk": pk, "kind": kind}))
        crawl.client.post(f"/api/casework/people/{pk}/documents",
                          {"kind": DocumentKind.MATRIX_SHEET},
                          content_type="application/json", **auth)
    for document in GeneratedDocument.objects.filter(generated_by=crawl.user):
        _get(crawl, reverse("casework:download-document",
                            kwargs={"pk": document.nominal_id, "document_id": document.pk}), {})


def _operations() -> list[tuple[str, str, str]]:
    found = []
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, operation in methods.items():
            found.append((method, path, _op_name(operation["operationId"])))
    return found


def _op_name(operation_id: str) -> str:
    matches = [n for n in OPERATIONS if operation_id.endswith(f"_{n}")]
    if not matches:
        raise AssertionError(f"API operation {operation_id}: add it to OPERATIONS")
    return max(matches, key=len)


def _state_reasons(crawl: Crawl) -> None:
    """A reason for viewing each person off one's caseload, as a user would give it."""
    for key in PEOPLE:
        pk = crawl.world.ids[key]
        answer = crawl.client.post(reverse("people:reason", kwargs={"pk": pk}),
                                   {"purpose": "Covering for a colleague"})
        # Accepted (a redirect to the person), or refused as for anyone unseen (404).
        assert answer.status_code in (302, 404) if pk in crawl.visible else True, answer


def _visible(user: User) -> set[int]:
    return set(policy.nominals_visible_to(user).values_list("pk", flat=True)) | set(
        policy.nominals_for_audit(user).values_list("pk", flat=True))


_CRAWLED: dict[str, Crawl] = {}


def crawled(world: CanaryWorld, persona: str) -> Crawl:
    """The persona's crawl, done once for the module whichever test asks first."""
    if persona in _CRAWLED:
        return _CRAWLED[persona]
    started = time.monotonic()
    user = world.users[persona]
    client = Client()
    client.force_login(user)
    crawl = Crawl(persona, user, world, client, policy.sight_of(user), _visible(user))
    with transaction.atomic():  # what the persona wrote is undone for the next one
        _state_reasons(crawl)
        _crawl_pages(crawl)
        _crawl_operations(crawl)
        _produce_documents(crawl)
        transaction.set_rollback(True)
    crawl.seconds = time.monotonic() - started
    _CRAWLED[persona] = crawl
    return crawl


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_no_restricted_record_reaches_a_persona_the_policy_keeps_it_from(canary, persona):
    crawl = crawled(canary, persona)
    assert not crawl.leaks, f"{persona} read what the policy keeps from them:\n" + "\n".join(
        sorted(set(crawl.leaks)))


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_every_page_showing_a_person_logged_the_read(canary, persona):
    crawl = crawled(canary, persona)
    assert not crawl.unlogged, f"{persona}: shown a person, nothing logged:\n" + "\n".join(
        crawl.unlogged)


def test_every_canary_was_read_by_someone_allowed(canary):
    """The crawl can fail: each canary reaches at least one persona who may read it."""
    seen = set().union(*(crawled(canary, p).seen for p in ("police_om", "west_officer")))
    missing = [f"{c.what} ({c.text})" for c in canary.canaries if c.text not in seen]
    assert not missing, "never shown to anyone, so the crawl proves nothing:\n" + "\n".join(
        missing)


def test_every_document_kind_and_export_was_read(canary):
    """Every kept document kind, the meeting's PDF, the feed's problems and a matching
    result's PDF were opened and their text checked, so a document cannot leak unread."""
    ids = canary.ids
    read = crawled(canary, "police_om").read_files | crawled(canary, "coordinator").read_files
    wanted = {reverse("casework:download-document",
                      kwargs={"pk": ids["subject"], "document_id": ids[d]}) for d in DOCUMENTS}
    wanted |= {f"/api/casework/people/{ids['subject']}/documents/{ids[d]}" for d in DOCUMENTS}
    wanted |= {reverse("meetings:export-pdf", kwargs={"pk": ids["meeting"]}),
               f"/api/meetings/{ids['meeting']}/export",
               reverse("feeds:problems", kwargs={"run_id": ids["run"]}),
               reverse("monitoring:result-pdf", kwargs={"result_id": ids["match_result"]}),
               f"/api/monitoring/results/{ids['match_result']}/pdf"}
    # the spreadsheets of the scores, the candidate list and the dashboard, by the API too
    wanted |= {f"/api/scores/people/{ids['subject']}/download/{f}" for f in SPREADSHEETS}
    wanted |= {f"/api/cohorts/{what}/download/{f}" for f in SPREADSHEETS
               for what in ("candidates", "dashboard")}
    assert wanted - read == set(), sorted(wanted - read)


def test_every_route_and_operation_is_covered():
    """A new URL pattern or API operation fails here until the crawl knows how to fill it."""
    names = {n for n, _ in _patterns(get_resolver())
             if not n.startswith(API_ROUTE) or n in {"api:openapi-json", "api:api-root"}}
    assert names - set(ROUTES) == set(), "add these to ROUTES in tests/test_canary_crawl.py"
    assert set(ROUTES) - names == set(), "these ROUTES entries name no route any more"
    used = {name for _, _, name in _operations()}
    assert set(OPERATIONS) - used == set(), "these OPERATIONS entries name no operation"
    route_params = {n: set(re.findall(r"<(?:\w+:)?(\w+)>", r))
                    for n, r in _patterns(get_resolver()) if n in ROUTES}
    for name, params in route_params.items():
        fill = ROUTES[name]
        assert fill.skip or params == set(fill.ids) | set(fill.values), (name, params)


def _council_crawl(world: CanaryWorld) -> Crawl:
    user = world.users["council_housing"]
    client = Client()
    client.force_login(user)
    crawl = Crawl("council_housing", user, world, client, policy.sight_of(user),
                  _visible(user))
    _state_reasons(crawl)
    return crawl


def test_the_crawl_fails_when_the_policy_is_bypassed(canary, monkeypatch):
    """A page that loaded restricted records without the reader's sight is reported."""
    with transaction.atomic():
        crawl = _council_crawl(canary)
        monkeypatch.setattr(policy, "can_see_intelligence", lambda user: True)
        monkeypatch.setattr(policy, "can_see_public_protection", lambda user: True)
        _get(crawl, reverse("people:profile", kwargs={"pk": canary.ids["subject"]}), {})
        transaction.set_rollback(True)
    assert any("subject's intelligence" in leak for leak in crawl.leaks), crawl.leaks
    assert any("subject's MAPPA notes" in leak for leak in crawl.leaks), crawl.leaks


def test_the_crawl_fails_when_a_page_shows_a_person_without_logging(canary, monkeypatch):
    with transaction.atomic():
        crawl = _council_crawl(canary)
        monkeypatch.setattr("iom.scoring.views.log_read", lambda **kwargs: None)
        _get(crawl, reverse("scoring:person", kwargs={"pk": canary.ids["subject"]}), {})
        transaction.set_rollback(True)
    assert crawl.unlogged == [f"GET /scores/people/{canary.ids['subject']}/?"], crawl.unlogged
