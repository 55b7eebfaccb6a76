"""Every URL pattern and API operation is listed here with who may reach it.

A new route that is not listed fails the test, so nobody can add a page or an
endpoint without saying who must be kept out of it, and proving they are.
"""

from __future__ import annotations

import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from iom.api.urls import api

pytestmark = pytest.mark.django_db

PERSONAS = ("police", "probation", "housing", "mentor", "analyst", "dpo", "admin", "outsider")
CASEWORK = {"police", "probation", "housing", "mentor", "outsider"}
NORTH_STATUTORY = {"police", "probation", "housing"}

# Who may reach each named page (with the sample person, who is a Northshire
# person without consent for the mentor's charity). Everyone else is refused.
PAGES: dict[str, set[str] | None] = {
    "home": None,  # every signed-in user; the content differs by role
    "accounts:login": None, "accounts:logout": None, "accounts:two-factor": None,
    "accounts:account": None,
    # One's own API tokens: every signed-in user; a token not one's own is not found.
    "accounts:own-tokens": None, "accounts:own-token-issue": None,
    "accounts:own-token-revoke": None,
    "people:search": CASEWORK,
    "people:create": NORTH_STATUTORY | {"outsider"},
    "people:profile": NORTH_STATUTORY,
    "people:reason": NORTH_STATUTORY,
    "people:add-record": NORTH_STATUTORY,
    "people:ogrs3-category": NORTH_STATUTORY,
    "governance:audit-search": {"dpo"},
    "governance:audit-person": {"dpo"},
    "governance:sharing": NORTH_STATUTORY,
    "governance:paperwork": NORTH_STATUTORY,  # a consent's form: who may see the person
    # The data-protection officer's pages (iom/governance/tests prove the DPO gets in).
    **{f"governance:{name}": {"dpo"} for name in (
        "legal-bases", "register", "correction-notices", "subject-access-list",
        "subject-access", "subject-access-download", "tombstones", "breaches", "breach", "index")},
    # The retention review: the DPO and the police lead (a police coordinator, proven in
    # iom/governance/tests/test_retention.py).
    "governance:retention": {"dpo"}, "governance:retention-person": {"dpo"},
    "governance:notices": CASEWORK,  # each user's own notices
    "governance:notice-ack": set(),  # only the notice's recipient
    "governance:correct": NORTH_STATUTORY,  # and only the organisation that supplied it
    "scoring:person": NORTH_STATUTORY, "scoring:person-download": NORTH_STATUTORY,
    "scoring:supplied-ogrs3": NORTH_STATUTORY,
    # liveness for anyone, every check for an administrator; nobody's data in either
    # (iom/operations/tests/test_healthz.py)
    "operations:healthz": None,
    "scoring:ogrs3": None,  # a calculator: every signed-in user; nothing about anyone
    "casework:person": NORTH_STATUTORY, "casework:start-plan": NORTH_STATUTORY,
    "casework:close-plan": NORTH_STATUTORY,
    "casework:add-need": NORTH_STATUTORY, "casework:refer": NORTH_STATUTORY,
    "casework:progress": NORTH_STATUTORY, "casework:referral-response": NORTH_STATUTORY,
    "casework:outcome": NORTH_STATUTORY, "casework:endorse": NORTH_STATUTORY,
    "casework:add-action": NORTH_STATUTORY, "casework:action-update": NORTH_STATUTORY,
    "casework:action-close": NORTH_STATUTORY, "casework:add-contact": NORTH_STATUTORY,
    "casework:review-threat": NORTH_STATUTORY, "casework:deregister": NORTH_STATUTORY,
    "casework:generate-document": NORTH_STATUTORY, "casework:download-document": NORTH_STATUTORY,
    "casework:my-actions": CASEWORK, "casework:overdue-actions": CASEWORK,  # scoped lists
    "casework:compliance": CASEWORK, "casework:tag-audit": NORTH_STATUTORY | {"outsider"},
    "cohorts:dashboard": CASEWORK,  # scoped to whom each may see; the outsider sees none
    "cohorts:dashboard-download": CASEWORK,  # the same board as the page, as CSV or XLSX
    # Counts without names: analysts (the whole partnership) and case workers (their own).
    "cohorts:figures": CASEWORK | {"analyst"},
    # Statutory partners who manage the cohort; the outsider's list is empty (scoped).
    "cohorts:candidates": NORTH_STATUTORY | {"outsider"},
    "cohorts:candidates-download": NORTH_STATUTORY | {"outsider"},
    "cohorts:what-if": NORTH_STATUTORY | {"outsider"},
    "cohorts:refer": NORTH_STATUTORY,  # a partner with consent may refer their own people
    "cohorts:transfer-in": NORTH_STATUTORY,
    "cohorts:decide": NORTH_STATUTORY,
    "cohorts:place": NORTH_STATUTORY,
    "cohorts:rag": NORTH_STATUTORY,
    "cohorts:custody": NORTH_STATUTORY,
    "cohorts:step": NORTH_STATUTORY,
    # And of those, only the policy's deciding agencies (police, probation) on a case:
    # the council's refusal is proven in iom/cohorts/tests/test_lifecycle_after_placement.py.
    "cohorts:team": NORTH_STATUTORY, "cohorts:prison-hub": NORTH_STATUTORY,
    # Meetings: a partner sees only meetings they attend, and none of their closed items;
    # iom/meetings/tests/test_meeting_access.py proves that with a real meeting.
    "meetings:list": CASEWORK,
    "meetings:arrange": NORTH_STATUTORY | {"outsider"},
    "meetings:schedule": NORTH_STATUTORY | {"outsider"},
    **{f"meetings:{name}": NORTH_STATUTORY for name in (
        "detail", "add-attendee", "remove-attendee", "sign", "statement", "open", "close",
        "cancel", "generate", "add-item", "item", "move-item", "export", "export-pdf")},
    # Feed imports are for IOM coordinators (none of these personas): iom/feeds/tests prove
    # a coordinator gets in. Alerts: each user's own inbox; an alert only by its recipient.
    **{key: set() for key in ("feeds:runs", "feeds:upload", "feeds:run", "feeds:problems")},
    "feeds:inbox": CASEWORK, "feeds:alert": set(),
    # Aggregates only, small numbers suppressed (iom/reporting); board members, coordinators
    # and supervisors too (iom/reporting/tests/test_pages.py).
    "reporting:impact": {"analyst"}, "reporting:board-pack": {"analyst"},
    "reporting:download": {"analyst"}, "reporting:recalculate": {"analyst"},
    # Voluntary tags: statutory case workers keep the inventory and fittings (the
    # outsider's lists are of their own partnership: empty); a unit, move or fitting of
    # another partnership is not found (iom/monitoring/tests/test_pages.py).
    **{f"monitoring:{name}": NORTH_STATUTORY | {"outsider"} for name in (
        "home", "add-device", "audit")},
    **{f"monitoring:{name}": NORTH_STATUTORY for name in (
        "device", "device-state", "device-flex", "flex", "consent", "fitting", "fit",
        "remove")},
    # A wearer's locations: police (and the person's lead professional); never a partner.
    "monitoring:trail": {"police"},
    # Fix imports, crime batches, matching runs and results: police only.
    **{f"monitoring:{name}": {"police", "outsider"} for name in (
        "fix-upload", "fix-import", "crime-upload", "batch", "run", "result", "result-pdf")},
}
ADMIN_PREFIX = "admin_area:"


def _patterns(resolver: URLResolver, prefix: str = "", ns: str = "") -> list[tuple[str, str]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{ns}{entry.namespace}:" if entry.namespace else ns
            found += _patterns(entry, prefix + str(entry.pattern), namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{ns}{entry.name}", prefix + str(entry.pattern)))
    return found


def _url(route: str, sample_id: int) -> str:
    path = re.sub(r"<int:[a-z_]+>", str(sample_id), route)
    path = re.sub(r"<str:kind>", "event", path)
    path = re.sub(r"<str:fmt>", "csv", path)  # a download in a format it offers
    path = re.sub(r"<[a-z_:]+>", "x", path)
    return "/" + path


def _web_routes() -> list[tuple[str, str]]:
    return [(n, r) for n, r in _patterns(get_resolver()) if not n.startswith("api:")]


def test_every_page_is_classified():
    for name, _ in _web_routes():
        assert name in PAGES or name.startswith(ADMIN_PREFIX), f"{name} has no access rule"


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_refuse_who_must_not_reach_them(client, world, persona):
    client.force_login(world.users[persona])
    for name, route in _web_routes():
        allowed = {"admin"} if name.startswith(ADMIN_PREFIX) else PAGES[name]
        if allowed is None or persona in allowed:
            continue
        url = _url(route, world.person.pk)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (403, 404, 405), (persona, method, url,
                                                              response.status_code)


def test_pages_need_sign_in(client, world):
    for name, route in _web_routes():
        if name in {"accounts:login", "accounts:logout", "operations:healthz"}:
            continue
        response = client.get(_url(route, world.person.pk))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


# API operations: who may reach each, by operation id.
OPERATIONS: dict[str, set[str]] = {
    "search_people": CASEWORK,
    "read_profile": NORTH_STATUTORY,
    "create_person": NORTH_STATUTORY | {"outsider"},
    "add_record": NORTH_STATUTORY,
    "set_conviction_ogrs3_category": NORTH_STATUTORY,  # who may change convictions
    "ogrs3_calculator": set(PERSONAS),  # any token holder; it touches nobody's data
    "person_scores": NORTH_STATUTORY,
    "person_scores_spreadsheet": NORTH_STATUTORY,  # the scores page's download, by the API
    "record_supplied_ogrs3": NORTH_STATUTORY,
    "read_plan": NORTH_STATUTORY, "start_person_plan": NORTH_STATUTORY,
    "add_plan_need": NORTH_STATUTORY, "refer_need_to_service": NORTH_STATUTORY,
    "record_need_progress": NORTH_STATUTORY, "record_plan_outcome": NORTH_STATUTORY,
    "endorse_person_plan": NORTH_STATUTORY, "list_person_actions": NORTH_STATUTORY,
    "create_person_action": NORTH_STATUTORY, "add_update_to_action": NORTH_STATUTORY,
    "record_action_result": NORTH_STATUTORY, "list_person_contacts": NORTH_STATUTORY,
    "record_person_contact": NORTH_STATUTORY,
    "list_my_actions": CASEWORK, "list_overdue_actions": CASEWORK,  # scoped: empty if none
    "list_compliance": CASEWORK,
    "close_person_plan": NORTH_STATUTORY, "list_closed_plans": NORTH_STATUTORY,
    "list_person_threats": NORTH_STATUTORY, "review_person_threat": NORTH_STATUTORY,
    "read_deregistration": NORTH_STATUTORY, "record_person_deregistration": NORTH_STATUTORY,
    "list_person_documents": NORTH_STATUTORY, "produce_person_document": NORTH_STATUTORY,
    "download_person_document": NORTH_STATUTORY,
    "list_tag_audits": CASEWORK,  # scoped to the user's districts: empty for partners
    "record_district_tag_audit": NORTH_STATUTORY | {"outsider"},  # own partnership only
    "compliance_figures": CASEWORK,  # scoped: counts of the user's own people
    "cohort_dashboard": CASEWORK,
    "cohort_dashboard_spreadsheet": CASEWORK,  # the same board as the page, as CSV or XLSX
    "my_cohort": CASEWORK,
    "list_candidates": NORTH_STATUTORY | {"outsider"},  # scoped: the outsider's list is empty
    "candidates_spreadsheet": NORTH_STATUTORY | {"outsider"},  # likewise, as CSV or XLSX
    "compare_candidate_policies": NORTH_STATUTORY | {"outsider"},
    "person_cases": NORTH_STATUTORY,
    "refer_person": NORTH_STATUTORY,
    "record_decision": NORTH_STATUTORY,
    "place_person": NORTH_STATUTORY,
    "change_rag_status": NORTH_STATUTORY,
    "exit_person": NORTH_STATUTORY,
    "record_step": NORTH_STATUTORY,
    "change_case_team": NORTH_STATUTORY, "hand_to_prison_hub": NORTH_STATUTORY,
    "list_meetings": CASEWORK,
    "arrange_meeting": NORTH_STATUTORY | {"outsider"},
    "schedule_meetings": NORTH_STATUTORY | {"outsider"},
    **dict.fromkeys((
        "read_meeting", "add_meeting_attendee", "sign_meeting_statement", "open_meeting",
        "finish_meeting", "cancel_meeting", "generate_meeting_agenda", "add_meeting_item",
        "move_meeting_item", "minute_meeting_item", "decide_meeting_item",
        "raise_meeting_action", "export_meeting_pdf"), NORTH_STATUTORY),
    "upload_feed_file": set(), "read_import_run": set(),  # coordinators only
    "list_my_alerts": set(PERSONAS),  # scoped to the token user's own alerts: empty here
    "acknowledge_alert": set(),  # only the alert's recipient
    "impact_measures": {"analyst"}, "board_pack_tables": {"analyst"},  # aggregates only
    **dict.fromkeys((
        "list_person_consents", "record_person_consent", "list_person_involvements",
        "record_person_involvement", "end_person_involvement"), NORTH_STATUTORY),
    # Only the organisation that supplied the record; the sample id is no record.
    "correct_person_record": NORTH_STATUTORY,
    "list_my_notices": set(PERSONAS),  # scoped to the token user's own notices
    "acknowledge_notice": set(),  # only the notice's recipient
    # Subject access: the data-protection officer only (policy rule 8).
    **{name: {"dpo"} for name in (
        "list_subject_access_requests", "open_subject_access_request",
        "read_subject_access_request", "withhold_subject_access_item",
        "release_subject_access_item", "answer_subject_access_request",
        "export_subject_access_pack")},
    # Voluntary tags: the inventory and fittings for statutory case workers (the
    # outsider's own partnership: its lists empty, its writes refused on a district or
    # record of another partnership); locations and matching for the police only.
    "list_tag_units": set(PERSONAS),  # scoped: empty for all but statutory case workers
    **dict.fromkeys(("add_tag_unit", "record_tag_inventory_audit"),
                    NORTH_STATUTORY | {"outsider"}),
    **dict.fromkeys(("change_tag_unit_state", "request_tag_unit_move", "decide_tag_unit_move",
                     "fit_tag_unit", "remove_tag_unit"), NORTH_STATUTORY),
    "record_tag_consent": NORTH_STATUTORY,
    "read_wearer_trail": {"police"},
    **{name: {"police", "outsider"} for name in (
        "import_location_fixes", "upload_crime_batch", "run_crime_matching",
        "read_matching_run", "record_match_result_action", "download_match_result_pdf")},
}
# A body each governance operation accepts, so that a refusal is about who asks.
GOVERNANCE_BODIES = {
    "/consents": {"organisation_id": 1, "status": "given", "decided_on": "2025-01-06"},
    "/involvements": {"organisation_id": 1, "start_date": "2025-01-06"},
    "/end": {"end_date": "2025-01-06"},
    "/correction": {"action": "withdraw", "reason": "Checking refusal"},
    "/subject-access": {"person_id": 1, "received_on": "2025-01-06"},
    "/withholdings": {"kind": "person", "record_id": "1", "reason": "Checking refusal"},
    "/release": {"kind": "person", "record_id": "1"}, "/answered": {},
}

# A body each cohort operation accepts, so that a refusal is about who asks.
COHORT_BODIES = {
    "/referral": {"policy": "london", "referred_on": "2025-01-06", "referrer_name": "A",
                  "current_offences": "Burglary"},
    "/decision": {"version": 1, "outcome": "defer", "decided_on": "2025-01-06",
                  "rationale": "Checking refusal", "present_ids": [], "agreeing_ids": []},
    "/placement": {"version": 1, "cohort_type": "london", "rag": "amber", "lead_agency_id": 1,
                   "lead_professional_id": 1, "police_officer_id": 1,
                   "placed_on": "2025-01-06", "reason": "Checking refusal"},
    "/rag": {"version": 1, "to": "red", "on": "2025-01-06", "reason": "Checking refusal"},
    "/exit": {"version": 1, "on": "2025-01-06", "reason": "Checking refusal",
              "supporting_intelligence": "None"},
    "/steps": {"version": 1, "step": "review", "on": "2025-01-06", "reason": "Checking"},
    "/team": {"version": 1, "on": "2025-01-06", "reason": "Checking refusal",
              "cohort_type": "london"},
    "/prison-hub": {"version": 1, "on": "2025-01-06", "reason": "Checking refusal",
                    "prison_offender_manager_id": 1},
}
# A body each meeting operation accepts; the ids in the path are the sample person's.
MEETING_BODIES = {
    "/meetings": {"kind": "tasking", "title": "Tasking", "held_on": "2025-01-06",
                  "start_time": "09:30"},
    "/schedules": {"kind": "tasking", "title": "Tasking", "start_time": "09:30",
                   "weekdays": [0], "starts_on": "2025-01-06", "ends_on": "2025-01-06"},
    "/attendees": {"name": "A Guest"}, "/items": {"title": "Checking refusal"},
    "/move": {"direction": "up"}, "/minutes": {"minutes": "Checking refusal"},
    "/decisions": {"kind": "defer", "rationale": "Checking refusal"},
    "/actions": {"title": "Checking refusal", "due_on": "2025-01-06"},
    "/cancel": {"reason": "Checking refusal"},
}
# A body each monitoring operation accepts.
MONITORING_BODIES = {
    "/units": {"district_id": 1, "serial": "X1", "supplier": "Buddi", "added_on": "2025-01-06"},
    "/state": {"to": "faulty", "on": "2025-01-06"},
    "/moves": {"to_district_id": 1, "reason": "Checking refusal"},
    "/decision": {"approve": True}, "/audits": {"district_id": 1, "month": "2025-01-01"},
    "/consent": {"purpose": "deter", "consented_on": "2025-01-06",
                 "planned_start": "2025-01-06", "planned_end": "2025-02-06"},
    "/fit": {"device_id": 1, "fitted_at": "2025-01-06T10:00:00Z"},
    "/removal": {"removed_at": "2025-01-06T10:00:00Z", "reason": "Checking refusal"},
    "/runs": {}, "/action": {"action": "passed"},
}


def _operations() -> list[tuple[str, str, str]]:
    schema = api.get_openapi_schema()
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            found.append((method, path, operation["operationId"].split("_", 3)[-1]))
    return found


def _op_name(operation_id: str) -> str:
    for name in OPERATIONS:
        if operation_id.endswith(name):
            return name
    raise AssertionError(f"API operation {operation_id} has no access rule")


def test_every_operation_is_classified():
    schema = api.get_openapi_schema()
    for methods in schema["paths"].values():
        for operation in methods.values():
            _op_name(operation["operationId"])


# A valid body for each case-work operation, so that the refusal comes from the policy.
CASEWORK_BODIES: dict[str, dict[str, object]] = {
    "/plan": {"started_on": "2025-01-01"}, "/endorse": {"endorsed_on": "2025-01-01"},
    "/needs": {"pathway": "drugs", "level": "high", "description": "x",
               "assessed_on": "2025-01-01"},
    "/referrals": {"service": "x", "referred_on": "2025-01-01"},
    "/progress": {"note": "x", "recorded_on": "2025-01-01"},
    "/outcomes": {"kind": "engagement", "status": "engaging", "recorded_on": "2025-01-01"},
    "/actions": {"title": "x", "due_on": "2030-01-01", "priority": "high"},
    "/updates": {"note": "x"}, "/result": {"result": "x", "closed_on": "2025-01-01"},
    "/contacts": {"kind": "home_visit", "happened_on": "2025-01-01", "outcome": "kept"},
    "/close": {"closed_on": "2025-01-01", "reason": "left_cohort"},
    "/reviews": {"outcome": "keep_watching", "reviewed_on": "2025-01-01", "rationale": "x"},
    "/deregistration": {"recorded_on": "2025-01-01", "rationale": "x"},
    "/tag-audits": {"district_id": 1, "month": "2025-01-01", "completed_on": "2025-01-01",
                    "findings": "x"},
    "/documents": {"kind": "matrix_sheet"},
}


def _call(client, method, path, person_id, auth):
    url = re.sub(r"\{[a-z]+_id\}", str(person_id), path).replace("{kind}", "event")
    url = url.replace("{fmt}", "csv")  # a download in a format it offers
    headers = {"HTTP_AUTHORIZATION": auth} if auth else {}
    if method == "get":
        return client.get(url, {"q": "Smith"}, **headers)
    cohort = [b for end, b in COHORT_BODIES.items() if path.startswith("/api/cohorts")
              and path.endswith(end)]
    cohort += [b for end, b in CASEWORK_BODIES.items() if path.startswith("/api/casework")
               and path.endswith(end)]
    cohort += [b for end, b in MEETING_BODIES.items() if path.startswith("/api/meetings")
               and path.endswith(end)]
    cohort += [b for end, b in GOVERNANCE_BODIES.items() if path.startswith("/api/governance")
               and path.endswith(end)]
    cohort += [b for end, b in MONITORING_BODIES.items() if path.startswith("/api/monitoring")
               and path.endswith(end)]
    cohort += [{"note": "Checking refusal"} for _ in [1] if path.startswith("/api/feeds")
               and path.endswith("/acknowledge")]
    cohort += [{"percent_2y": 60, "assessed_on": "2025-01-06", "source": "Checking refusal"}
               for _ in [1] if path.endswith("/supplied-ogrs3")]
    cohort += [{"ogrs3_category": "drug_possession_supply"}
               for _ in [1] if path.endswith("/ogrs3-category")]
    body = (json.dumps(cohort[0]) if cohort else '{"fields": {}}' if "{kind}" in path else
            '{"forename": "A", "surname": "B", "date_of_birth": "1990-01-01", "gender": "M"}')
    return client.post(url, body, content_type="application/json",
                       HTTP_X_ACCESS_REASON="Checking the route refuses this persona", **headers)


@pytest.mark.parametrize("persona", PERSONAS)
def test_operations_refuse_who_must_not_reach_them(client, world, token_for, persona):
    auth = token_for(persona)
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if persona in OPERATIONS[_op_name(operation["operationId"])]:
                continue
            response = _call(client, method, path, world.person.pk, auth)
            body = response.json()
            refused = response.status_code in (403, 404) or (
                response.status_code == 200 and body == [])
            assert refused, (persona, method, path, response.status_code, body)


def test_operations_need_a_token(client, world):
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method in methods:
            response = _call(client, method, path, world.person.pk, None)
            assert response.status_code == 401, (method, path)
            assert response.json()["error"]["code"] == "unauthenticated"
