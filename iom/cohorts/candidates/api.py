"""API for candidates, their download and the what-if comparison, mounted in the cohorts
router.

Parameters arrive as text and are checked after the access check, so that a
caller who may not see candidates is refused before anything else; a bad
value is answered in the uniform error shape with the parameter named.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from iom.accounts.models import User
from iom.accounts.selectors import district_for
from iom.api.auth import acting_user
from iom.api.errors import ERRORS
from iom.api.schemas import Input
from iom.cohorts.candidates import (
    Candidate,
    CandidateList,
    Comparison,
    ComparisonRow,
    Verdict,
    candidates_for,
    compare_policies,
    policy_ref,
)
from iom.cohorts.candidates.downloads import candidates_file
from iom.cohorts.candidates.forms import EARLIEST
from iom.cohorts.candidates.results import INDICATOR
from iom.cohorts.candidates.views import counts_of, outcome
from iom.cohorts.policy.schemes import SchemePolicy
from iom.core import spreadsheets
from iom.core.errors import DomainError, NotFound
from iom.governance import policy

router = Router()  # mounted in the cohorts router, whose tag it takes
AS_AT = Field("", description="YYYY-MM-DD; default today")


def _manager(request: HttpRequest) -> User:
    user = acting_user(request)
    if not policy.is_casework_user(user):
        raise NotFound
    policy.require_statutory_case_worker(user, "who manage the cohort see candidates")
    return user


def _as_at(text: str) -> date:
    if not text.strip():
        return timezone.localdate()
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        day = None
    if day is None or not EARLIEST <= day <= timezone.localdate():
        raise DomainError.on_field(
            "as_at", f"The as-at date must be a real date as YYYY-MM-DD, between "
                     f"{EARLIEST.isoformat()} and today.", code="invalid_date")
    return day


def _policy(ref: str, field: str) -> SchemePolicy:
    """A policy reference, with any refusal put on the parameter it came from."""
    if not ref.strip():
        raise DomainError.on_field(field, "Name a scheme policy, e.g. london or london@1.",
                                   code="unknown_policy")
    try:
        return policy_ref(ref.strip())
    except DomainError as error:
        raise DomainError.on_field(field, error.message, code=error.code) from error


class PolicyOut(Schema):
    name: str
    version: int
    title: str


class CohortTypeOut(Schema):
    key: str
    label: str


class CriterionOut(Schema):
    label: str
    met: bool
    why: str
    indicator: bool = Field(description="Shown for information; not required")


class ExclusionOut(Schema):
    label: str
    why: str
    overridable: bool = Field(description="A recorded partnership agreement can override it")


class CandidateScoreOut(Schema):
    name: str
    label: str
    value: float | None
    band: str
    as_at: date | None


class CandidateOut(Schema):
    person_id: int
    pnc_id: str
    name: str
    age: int
    suggested_cohort_type: CohortTypeOut | None
    nearest_cohort_type: CohortTypeOut | None
    near_miss: bool
    included: bool = Field(description="Meets a cohort type and is not excluded; people "
                                        "still decide")
    criteria: list[CriterionOut]
    exclusions: list[ExclusionOut]
    scores: list[CandidateScoreOut]
    reasons: list[str]


class CandidatesOut(Schema):
    policy: PolicyOut
    as_at: date
    scores_from: str
    count: int = Field(description="Candidates in this page")
    total: int = Field(description="Everyone listed, on every page")
    matching: int = Field(description="Everyone listed who matches the filters")
    counts: dict[str, int] = Field(description="Everyone listed by the cohort type they meet; "
                                               "\"\" for near misses")
    limit: int
    offset: int
    candidates: list[CandidateOut]


class PageIn(Input):
    limit: int = Field(50, ge=1, le=500, description="People per page")
    offset: int = Field(0, ge=0, description="People to skip, in list order")


class ChoicesIn(Input):
    policy: str = Field("", description="Scheme policy name, e.g. london")
    version: int | None = Field(None, description="Default: the newest version")
    as_at: str = AS_AT
    cohort_type: str = Field("", description="Only people meeting (or nearly meeting) it")
    near_misses: bool = Field(False, description="Only near misses")
    district: int | None = Field(None, description="Only people of this district (its id)")


class CandidatesIn(ChoicesIn, PageIn):
    pass


def _type(pair: tuple[str, str] | None) -> dict[str, str] | None:
    return {"key": pair[0], "label": pair[1]} if pair else None


def _policy_out(chosen: SchemePolicy) -> dict[str, Any]:
    return {"name": chosen.name, "version": chosen.version, "title": chosen.title}


def _candidate_out(c: Candidate) -> dict[str, Any]:
    return {
        "person_id": c.nominal_id, "pnc_id": c.pnc_id, "name": c.display_name, "age": c.age,
        "suggested_cohort_type": _type(c.suggested_cohort_type),
        "nearest_cohort_type": _type(c.nearest_cohort_type), "near_miss": c.near_miss,
        "included": c.included, "reasons": c.reasons(),
        "criteria": [{"label": r.label.removesuffix(INDICATOR), "met": r.met, "why": r.why,
                      "indicator": r.label.endswith(INDICATOR)} for r in c.criteria],
        "exclusions": [e._asdict() for e in c.exclusions],
        "scores": [s._asdict() for s in c.scores]}


def _listed(user: User, params: ChoicesIn, *, limit: int | None, offset: int,
            export: str = "") -> tuple[CandidateList, date]:
    as_at = _as_at(params.as_at)
    chosen = _policy(params.policy, "policy")
    if params.version is not None:
        chosen = _policy(f"{chosen.name}@{params.version}", "version")
    listed = candidates_for(user, chosen.name, as_at, version=chosen.version, limit=limit,
                            offset=offset, cohort_type=params.cohort_type,
                            near_misses=params.near_misses,
                            district=district_for(user, params.district), export=export)
    return listed, as_at


SPREADSHEET = {"content": {kind: {"schema": {"type": "string", "format": "binary"}}
                           for kind in spreadsheets.CONTENT_TYPES.values()},
               "description": "The file the candidates page downloads: one row a candidate."}


@router.get("/candidates/download/{fmt}", response={**ERRORS},
            openapi_extra={"responses": {200: SPREADSHEET}},
            summary="Every candidate for the choices, as CSV or XLSX; each logged as exported")
def candidates_spreadsheet(request: HttpRequest, fmt: Literal["csv", "xlsx"],
                           params: Query[ChoicesIn]) -> HttpResponse:
    """The candidates page's download: everyone matching the choices, on every page, with
    the same columns; each person in it is logged as exported in the format."""
    user = _manager(request)
    listed, as_at = _listed(user, params, limit=None, offset=0, export=fmt)
    return candidates_file(listed, as_at, fmt)


@router.get("/candidates", response={200: CandidatesOut, **ERRORS},
            summary="Candidates for the cohort under a scheme policy as at a date")
def list_candidates(request: HttpRequest, params: Query[CandidatesIn]) -> Any:
    """People who meet or nearly meet a cohort type's criteria and have no open case, each
    with every criterion met or missed and why, exclusions and the scores used. It
    places nobody: a referral and a panel decision do."""
    user = _manager(request)
    listed, as_at = _listed(user, params, limit=params.limit, offset=params.offset)
    return {"policy": _policy_out(listed.policy), "as_at": as_at,
            "scores_from": listed.scores_from, "count": len(listed.candidates),
            "total": listed.total, "matching": listed.matching, "counts": listed.counts,
            "limit": params.limit, "offset": params.offset,
            "candidates": [_candidate_out(c) for c in listed.candidates]}


class VerdictOut(Schema):
    included: bool
    listed: bool = Field(description="A candidate (met or nearly met) under this policy")
    cohort_type: CohortTypeOut | None
    near_miss: bool
    reasons: list[str]


class ComparisonRowOut(Schema):
    person_id: int
    pnc_id: str
    name: str
    outcome: str = Field(description="in_in, in_out, out_in or out_out (first_second)")
    differs: bool = Field(description="In under one policy and out under the other (or, "
                                      "for two versions of one, a different cohort type)")
    first: VerdictOut
    second: VerdictOut


class CompareOut(Schema):
    first: PolicyOut
    second: PolicyOut
    as_at: date
    scores_from: str
    counts: dict[str, int] = Field(description="Everyone listed, by outcome: in_in, in_out, "
                                               "out_in, out_out")
    total: int = Field(description="Everyone listed under either policy")
    differing: int = Field(description="Everyone whose outcome differs")
    matching: int = Field(description="Everyone with the outcome asked for")
    limit: int
    offset: int
    rows: list[ComparisonRowOut]


class CompareIn(PageIn):
    first: str = Field("", description="A policy name, or name@version")
    second: str = Field("", description="A policy name, or name@version")
    as_at: str = AS_AT
    show: Literal["", "differing", "in_in", "in_out", "out_in", "out_out"] = Field(
        "", description="Only one outcome, or only those whose outcome differs")


def _verdict_out(v: Verdict) -> dict[str, Any]:
    return {"included": v.included, "listed": v.listed, "cohort_type": _type(v.cohort_type),
            "near_miss": v.near_miss, "reasons": v.reasons}


def _row_out(r: ComparisonRow, comparison: Comparison) -> dict[str, Any]:
    return {"person_id": r.nominal_id, "pnc_id": r.pnc_id, "name": r.display_name,
            "outcome": outcome(r), "differs": comparison.differs(r),
            "first": _verdict_out(r.first), "second": _verdict_out(r.second)}


@router.get("/compare", response={200: CompareOut, **ERRORS},
            summary="What if: the same people under two policies, or two versions of one")
def compare_candidate_policies(request: HttpRequest, params: Query[CompareIn]) -> Any:
    user = _manager(request)
    as_at = _as_at(params.as_at)
    first, second = _policy(params.first, "first"), _policy(params.second, "second")
    comparison = compare_policies(user, f"{first.name}@{first.version}",
                                  f"{second.name}@{second.version}", as_at,
                                  limit=params.limit, offset=params.offset, show=params.show,
                                  differing_first=True)
    return {"first": _policy_out(comparison.first), "second": _policy_out(comparison.second),
            "as_at": as_at, "scores_from": comparison.scores_from,
            "counts": counts_of(comparison), "total": comparison.total,
            "differing": comparison.differing, "matching": comparison.matching,
            "limit": params.limit, "offset": params.offset,
            "rows": [_row_out(r, comparison) for r in comparison.rows]}
