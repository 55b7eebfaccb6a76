"""API download of the cohort dashboard's tables (CSV or XLSX), mounted under /cohorts.

The same file as the dashboard page's download (``dashboard_sheets.dashboard_download``):
the board of the people the caller may see, with the same filters, each person in it
logged as exported in the format.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router

from iom.accounts.models import User
from iom.accounts.selectors import district_for
from iom.api.auth import acting_user
from iom.api.errors import ERRORS
from iom.api.schemas import Input
from iom.cohorts import dashboard
from iom.cohorts.dashboard_sheets import dashboard_download
from iom.core import spreadsheets
from iom.core.errors import NotFound
from iom.governance import policy
from iom.governance.web import through_of

router = Router(tags=["cohorts"])

SPREADSHEET = {"content": {kind: {"schema": {"type": "string", "format": "binary"}}
                           for kind in spreadsheets.CONTENT_TYPES.values()},
               "description": "The file the cohort dashboard downloads: the counts by cohort "
                              "and RAG, by strand, the floors and the lists."}


class DashboardFiltersIn(Input):
    """The dashboard's filters, as ``GET /api/cohorts/dashboard`` takes them."""

    policy: str = ""
    cohort_type: str = ""
    rag: str = ""
    lead_agency: int | None = None
    mine: bool = Field(False, description="Only people the caller leads or polices")
    district: int | None = Field(None, description="Only people of this district (its id)")


def _casework(request: HttpRequest) -> User:
    user = acting_user(request)
    if not policy.is_casework_user(user):
        raise NotFound
    return user


@router.get("/dashboard/download/{fmt}", response={**ERRORS},
            openapi_extra={"responses": {200: SPREADSHEET}},
            summary="The cohort dashboard's tables as CSV or XLSX; each person logged as "
                    "exported")
def cohort_dashboard_spreadsheet(request: HttpRequest, fmt: Literal["csv", "xlsx"],
                                 params: Query[DashboardFiltersIn]) -> HttpResponse:
    user = _casework(request)
    district_for(user, params.district)  # refused unless one of the partnership's
    return dashboard_download(user=user, filters=dashboard.Filters(**params.dict()), fmt=fmt,
                              through=through_of(request),
                              asked=request.GET.urlencode())
