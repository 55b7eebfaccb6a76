"""Every page that shows a person leaves an access-log entry naming them and what it showed.

The routes come from the URL resolver: a new page under ``people/<pk>/`` that is not
listed here fails the test, so no page can show a person without saying what it logs.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import get_resolver
from django.utils import timezone

from iom.audit.models import AccessLogEntry
from iom.casework import services as casework
from iom.cohorts.lifecycle import CohortState
from iom.cohorts.tests.factories import case_on_cohort
from iom.meetings.tests.factories import arrange
from iom.people import services as people
from iom.people.services import RECORD_KINDS
from iom.scoring.models import EmergingThreat

from .test_every_route_denies import _patterns

pytestmark = pytest.mark.django_db

# Each page about the person, with the kinds of record it must log besides the person.
PERSON_PAGES: dict[str, set[str]] = {
    "people:profile": set(), "people:add-record": set(), "governance:sharing": set(),
    "people:ogrs3-category": {"event"},
    "scoring:person": set(),
    "cohorts:refer": {"cohort_case"}, "cohorts:transfer-in": {"cohort_case"},
    "cohorts:custody": {"cohort_case"}, "cohorts:decide": {"cohort_case"},
    "cohorts:place": {"cohort_case"}, "cohorts:rag": {"cohort_case"},
    "cohorts:step": {"cohort_case"}, "cohorts:team": {"cohort_case"},
    "cohorts:prison-hub": {"cohort_case"},
    "casework:person": {"plan", "action"}, "casework:start-plan": set(),
    "casework:add-need": {"plan"}, "casework:refer": {"plan_need"},
    "casework:progress": {"plan_need"}, "casework:referral-response": {"service_referral"},
    "casework:outcome": {"plan"}, "casework:endorse": {"plan"}, "casework:close-plan": {"plan"},
    "casework:add-action": set(), "casework:action-update": {"action"},
    "casework:action-close": {"action"}, "casework:add-contact": set(),
    "casework:review-threat": {"emerging_threat"}, "casework:deregister": {"cohort_case"},
    "casework:download-document": {"document"},
}
# Under people/<pk>/ but not a page to read: a button, or the reason form, which shows
# only the id the user already followed.
NOT_READ_PAGES = {"casework:generate-document", "people:reason"}
# Pages that give one whole record, logged as that record (and its person) only.
WHOLE_RECORD_PAGES = {"casework:download-document"}


def _person_routes() -> list[tuple[str, str]]:
    return [(n, r) for n, r in _patterns(get_resolver()) if r.startswith("people/<int:pk>/")]


def _case(nominal, placed_on, **fields):
    case = case_on_cohort(nominal, placed_on, **fields)
    case.policy_name = "derbyshire-2021"  # the installed policy, so every case page opens
    case.save(update_fields=["policy_name"])
    return case


@pytest.fixture
def case_work(world):
    """The sample person on the cohort with one of everything a page can be about."""
    police = world.users["police"]
    today = timezone.localdate()
    _case(world.person, today - timedelta(days=400), lead=police, state=CohortState.EXITED,
          ended_on=today - timedelta(days=200))
    case = _case(world.person, today - timedelta(days=30), lead=police)
    plan = casework.start_plan(nominal=world.person, started_on=today, summary="First plan",
                               acting_user=police, through="test")
    need = casework.add_need(plan=plan, pathway="drugs", level="high", description="Heroin",
                             assessed_on=today, acting_user=police, through="test")
    referral = casework.refer_to_service(need=need, service="Recovery hub", organisation=None,
                                         referred_on=today, acting_user=police, through="test")
    action = casework.create_action(nominal=world.person, title="Book a housing assessment",
                                    owner_user=police, due_on=today, priority="medium",
                                    source_kind="plan", source_ref="", acting_user=police,
                                    through="test")
    threat = EmergingThreat.objects.create(nominal=world.person, raised_on=today,
                                           score_before=10, score_now=40)
    document = casework.generate_document(nominal=world.person, kind="matrix_sheet",
                                          acting_user=police, through="test", reason="test")
    supply = people.add_record(nominal=world.person, kind="event", acting_user=police,
                               through="test", fields={"kind": "conviction",
                                                       "event_date": today, "ho_code": "92A",
                                                       "disposal": "community"})
    return {"pk": world.person.pk, "event_id": supply.pk, "need_id": need.pk,
            "referral_id": referral.pk, "action_id": action.pk, "threat_id": threat.pk,
            "document_id": document.pk, "case": case.pk, "plan": plan.pk}


def _urls(route: str, ids: dict[str, int]) -> list[str]:
    path = re.sub(r"<int:([a-z_]+)>", lambda m: str(ids[m.group(1)]), route)
    path = path.replace("<slug:name>", "review")
    if "<str:kind>" in path:
        return ["/" + path.replace("<str:kind>", kind) for kind in sorted(RECORD_KINDS)]
    return ["/" + path]


def _logged_since(last: int) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(pk__gt=last).order_by("pk"))


def _last() -> int:
    return AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_every_person_route_is_listed():
    for name, _ in _person_routes():
        assert name in PERSON_PAGES or name in NOT_READ_PAGES, f"{name}: what does it log?"


def test_every_person_page_logs_the_person_and_what_it_showed(client, world, case_work):
    client.force_login(world.users["police"])
    wrong: list[str] = []
    for name, route in _person_routes():
        if name in NOT_READ_PAGES:
            continue
        for url in _urls(route, case_work):
            last = _last()
            response = client.get(url)
            if response.status_code == 404 and name == "people:add-record":
                continue  # a record kind the police officer may not add here
            assert response.status_code == 200, (url, response.status_code)
            problem = _what_is_wrong(name, _logged_since(last), world.person.pk)
            if problem:
                wrong.append(f"{name} {url}: {problem}")
    assert not wrong, "\n".join(wrong)


def _what_is_wrong(name: str, logged: list[AccessLogEntry], person: int) -> str:
    entries = [e for e in logged if e.action in ("view", "export")]
    if not entries:
        return "showed the person and logged nothing"
    if {e.nominal_id for e in entries} != {person}:
        return f"logged people {sorted({e.nominal_id or 0 for e in entries})}"
    kinds = {ref["kind"] for e in entries for ref in e.records}
    wanted = PERSON_PAGES[name] | ({"nominal"} if name not in WHOLE_RECORD_PAGES else set())
    return "" if wanted <= kinds else f"logged records {sorted(kinds)}, not {sorted(wanted)}"


def test_the_list_of_people_offered_for_an_agenda_item_is_logged(client, world, case_work):
    meeting = arrange(world)
    client.force_login(world.users["police"])
    last = _last()
    response = client.get(f"/meetings/{meeting.pk}/agenda/add/")
    assert response.status_code == 200
    assert "SMITH, Jonathan" in response.content.decode()
    [entry] = _logged_since(last)
    assert {"kind": "nominal", "id": world.person.pk} in entry.records
    assert entry.action == "search"


# The API's downloads of the pages' spreadsheets, each logged as the page's download is:
# an export of every person in the file, with its format.
API_DOWNLOADS = {
    "/api/scores/people/{pk}/download/{fmt}": {"event"},
    "/api/cohorts/dashboard/download/{fmt}": set(),
    "/api/cohorts/candidates/download/{fmt}": set(),
}


def test_every_api_download_logs_an_export_of_each_person_in_it(client, world, case_work,
                                                                 token_for):
    from iom.api.urls import api

    downloads = {p for p in api.get_openapi_schema()["paths"] if "/download/" in p}
    assert {p.replace("{person_id}", "{pk}") for p in downloads} == set(API_DOWNLOADS)
    auth = token_for("police")
    for path, kinds in API_DOWNLOADS.items():
        listed: set[int | None] = set()
        for fmt in ("csv", "xlsx"):
            last = _last()
            response = client.get(path.format(pk=world.person.pk, fmt=fmt),
                                  {"policy": "derbyshire-2021"}, HTTP_AUTHORIZATION=auth)
            assert response.status_code == 200, (path, response.content[:200])
            exports = [e for e in _logged_since(last) if e.action == "export"]
            assert all(e.detail["format"] == fmt for e in exports), path
            named = {e.nominal_id for e in exports}
            if "candidates" in path:  # one export for each row listed, in both formats
                # (iom/cohorts/tests/test_api_downloads.py lists people by name)
                listed = listed or named
                assert named == listed and (fmt != "csv" or len(named) == len(
                    response.content.decode("utf-8-sig").splitlines()) - 1), path
            else:  # the sample person is in the file
                assert world.person.pk in named, path
            assert kinds <= {ref["kind"] for e in exports for ref in e.records}, path
