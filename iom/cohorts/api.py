"""The cohorts API router: the dashboard operations here (the figures, their download as
CSV or XLSX, and my cohort), with the case lifecycle (``iom/cohorts/lifecycle/api.py``)
and the candidates (``iom/cohorts/candidates/api.py``) mounted in it, as ADR 0019's wings.
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
from iom.audit.models import Action
from iom.audit.services import RecordRef
from iom.cohorts import dashboard
from iom.cohorts.candidates.api import router as candidates_router
from iom.cohorts.dashboard_sheets import dashboard_download
from iom.cohorts.lifecycle.api import CaseOut, case_out
from iom.cohorts.lifecycle.api import router as lifecycle_router
from iom.core import spreadsheets
from iom.core.errors import NotFound
from iom.governance import policy
from iom.governance.web import log_read, through_of

router = Router(tags=["cohorts"])


def _casework(request: HttpRequest) -> User:
    user = acting_user(request)
    if not policy.is_casework_user(user):
        raise NotFound
    return user


# The dashboard ---------------------------------------------------------------


class DueOut(Schema):
    person_id: int
    case_id: int
    date: date
    overdue: bool


class TypeCountOut(Schema):
    policy: str
    cohort_type: str
    label: str
    by_rag: dict[str, int]
    total: int


class StrandCountOut(Schema):
    strand: str
    label: str
    count: int = Field(description="People managed on the cohort in the strand now")
    moved_in: int = Field(description="Strand changes into it since strand_changes_since")


class FloorOut(Schema):
    policy: str
    cohort_type: str
    count: int
    total: int
    share: float
    least: float
    below: bool


class DashboardOut(Schema):
    as_at: date
    on_cohort: int
    in_progress: int
    by_cohort_type: list[TypeCountOut]
    floors: list[FloorOut]
    reviews_due: list[DueOut]
    releases_soon: list[DueOut]
    deselection_notices_due: list[DueOut]
    by_strand: list[StrandCountOut]
    strand_changes: int
    strand_changes_since: date | None


class FiltersIn(Input):
    policy: str = ""
    cohort_type: str = ""
    rag: str = ""
    lead_agency: int | None = None
    mine: bool = Field(False, description="Only people the caller leads or polices")
    district: int | None = Field(None, description="Only people of this district (its id)")


@router.get("/dashboard", response={200: DashboardOut, **ERRORS},
            summary="Dashboard figures for the cohort")
def cohort_dashboard(request: HttpRequest, params: Query[FiltersIn]) -> Any:
    user = _casework(request)
    district_for(user, params.district)  # refused unless one of the partnership's
    board = dashboard.dashboard_for(user, dashboard.Filters(**params.dict()),
                                    timezone.localdate())
    people = board.people_ids()
    if people:
        log_read(user=user, nominal=None, through=through_of(request),
                 action=Action.SEARCH, records=[RecordRef("nominal", pk) for pk in people],
                 reason="Cohort dashboard", detail={"list": "cohort dashboard"})
    return dashboard.figures(board)


SPREADSHEET = {"content": {kind: {"schema": {"type": "string", "format": "binary"}}
                           for kind in spreadsheets.CONTENT_TYPES.values()},
               "description": "The file the cohort dashboard downloads: the counts by cohort "
                              "and RAG, by strand, the floors and the lists."}


@router.get("/dashboard/download/{fmt}", response={**ERRORS},
            openapi_extra={"responses": {200: SPREADSHEET}},
            summary="The cohort dashboard's tables as CSV or XLSX; each person logged as "
                    "exported")
def cohort_dashboard_spreadsheet(request: HttpRequest, fmt: Literal["csv", "xlsx"],
                                 params: Query[FiltersIn]) -> HttpResponse:
    """The dashboard page's download (``dashboard_sheets.dashboard_download``): the board of
    the people the caller may see, with the same filters, each person logged as exported."""
    user = _casework(request)
    district_for(user, params.district)  # refused unless one of the partnership's
    return dashboard_download(user=user, filters=dashboard.Filters(**params.dict()), fmt=fmt,
                              through=through_of(request),
                              asked=request.GET.urlencode())


@router.get("/mine", response={200: list[CaseOut], **ERRORS},
            summary="The people on the cohort whom I lead or police")
def my_cohort(request: HttpRequest) -> Any:
    user = _casework(request)
    board = dashboard.dashboard_for(user, dashboard.Filters(mine=True), timezone.localdate())
    if board.managed:
        log_read(user=user, nominal=None, through=through_of(request),
                 action=Action.SEARCH, reason="Own cohort", detail={"list": "my cohort"},
                 records=[RecordRef("cohort_case", c.pk) for c in board.managed])
    return [case_out(c) for c in board.managed]


# After this router's own operations, in this order, so that the OpenAPI document lists
# the operations as it always has: a person's cases and steps, then candidates and what-if.
router.add_router("", lifecycle_router)
router.add_router("", candidates_router)
