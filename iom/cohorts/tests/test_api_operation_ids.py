"""The cohort API's operation ids stay what clients call, wherever the code sits.

django-ninja names an operation after its function's module unless told otherwise,
so moving the lifecycle operations into ``iom/cohorts/lifecycle/api.py`` would have
renamed them; they name their ids (ADR 0019). This holds every cohorts path, method
and id, and the one tag they are listed under.
"""

from __future__ import annotations

from typing import Any

from iom.api.urls import api

COHORTS = "/api/cohorts"
EXPECTED = {
    ("get", "/dashboard"): "iom_cohorts_api_cohort_dashboard",
    ("get", "/dashboard/download/{fmt}"): "iom_cohorts_api_cohort_dashboard_spreadsheet",
    ("get", "/mine"): "iom_cohorts_api_my_cohort",
    ("get", "/people/{person_id}"): "iom_cohorts_api_person_cases",
    ("post", "/people/{person_id}/referral"): "iom_cohorts_api_refer_person",
    ("post", "/people/{person_id}/decision"): "iom_cohorts_api_record_decision",
    ("post", "/people/{person_id}/placement"): "iom_cohorts_api_place_person",
    ("post", "/people/{person_id}/rag"): "iom_cohorts_api_change_rag_status",
    ("post", "/people/{person_id}/exit"): "iom_cohorts_api_exit_person",
    ("post", "/people/{person_id}/steps"): "iom_cohorts_api_record_step",
    ("post", "/people/{person_id}/team"): "iom_cohorts_api_change_case_team",
    ("post", "/people/{person_id}/prison-hub"): "iom_cohorts_api_hand_to_prison_hub",
    ("get", "/candidates"): "iom_cohorts_candidates_api_list_candidates",
    ("get", "/candidates/download/{fmt}"):
        "iom_cohorts_candidates_api_candidates_spreadsheet",
    ("get", "/compare"): "iom_cohorts_candidates_api_compare_candidate_policies",
}


def _cohort_operations() -> dict[tuple[str, str], dict[str, Any]]:
    paths = api.get_openapi_schema()["paths"]
    return {(method, path.removeprefix(COHORTS)): operation
            for path, item in paths.items() if path.startswith(COHORTS + "/")
            for method, operation in item.items()}


def test_every_cohorts_operation_keeps_its_path_method_and_id():
    found = {key: op["operationId"] for key, op in _cohort_operations().items()}
    assert found == EXPECTED


def test_every_cohorts_operation_is_listed_under_cohorts_once():
    assert {tuple(op["tags"]) for op in _cohort_operations().values()} == {("cohorts",)}


def test_the_lifecycle_operations_are_listed_under_cohorts_once():
    lifecycle = {key: op for key, op in _cohort_operations().items()
                 if key[1].startswith("/people/") or key[1] in {"/dashboard", "/mine"}}
    assert len(lifecycle) == 11
    assert {tuple(op["tags"]) for op in lifecycle.values()} == {("cohorts",)}
