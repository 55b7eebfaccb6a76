"""API operations: the impact measures and the board pack as tables, aggregates only.

The same tables as the pages and exports (``pack.impact_pack``), small numbers
suppressed; a value is the figure as published (rounded as on the page).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from iom.accounts.models import User
from iom.api.auth import acting_user
from iom.api.errors import ERRORS
from iom.core.errors import DomainError, NotFound
from iom.governance import policy
from iom.governance.web import through_of

from .exports import number
from .forms import default_period
from .measures.assemble import Pack
from .pack import impact_pack
from .selectors import Scope

router = Router(tags=["impact"])


class PeriodIn(Schema):
    """The period; by default the twelve months to today."""

    date_from: date | None = None
    date_to: date | None = None


class ImpactIn(PeriodIn):
    policy: str = ""
    cohort_type: str = ""
    district_id: int | None = None


class CellOut(Schema):
    measure: str
    value: float | None
    unit: str
    suppressed: bool


class RowOut(Schema):
    group: str
    cells: list[CellOut]


class ColumnOut(Schema):
    measure: str
    heading: str


class TableOut(Schema):
    key: str
    title: str
    period: str
    notes: list[str]
    columns: list[ColumnOut]
    rows: list[RowOut]


class PackOut(Schema):
    title: str
    period: str
    figures_as_at: datetime | None  # when the stored figures were computed
    caveat: str
    method: list[str]
    tables: list[TableOut]


def _user(request: HttpRequest, allowed: Any) -> User:
    user = acting_user(request)
    if not allowed(user) or user.organisation is None:
        raise NotFound
    return user


def _scope(user: User, params: PeriodIn, **filters: Any) -> Scope:
    start, end = default_period(timezone.localdate())
    start, end = params.date_from or start, params.date_to or end
    if start > end:
        raise DomainError.on_field("date_to", "The end of the period must be on or after "
                                   "its start", code="invalid")
    assert user.organisation is not None
    return Scope(user.organisation.partnership, start, end, **filters)


def _out(pack: Pack) -> dict[str, Any]:
    return {"title": pack.title, "period": pack.period, "figures_as_at": pack.figures_as_at,
            "caveat": pack.caveat,
            "method": list(pack.method), "tables": [{
                "key": t.key, "title": t.title, "period": t.period, "notes": list(t.notes),
                "columns": [{"measure": c, "heading": t.heading(c)} for c in t.columns],
                "rows": [{"group": group, "cells": [
                    {"measure": c, "value": float(number(cells[c])) if number(cells[c]) else None,
                     "unit": cells[c].unit, "suppressed": cells[c].suppressed}
                    for c in t.columns if c in cells]} for group, cells in t.rows]}
                for t in pack.tables]}


@router.get("/measures", response={200: PackOut, **ERRORS},
            summary="Impact measures of the partnership (aggregates, small numbers suppressed)")
def impact_measures(request: HttpRequest, params: Query[ImpactIn]) -> Any:
    user = _user(request, policy.can_view_impact)
    scope = _scope(user, params, policy=params.policy, cohort_type=params.cohort_type,
                   district_id=params.district_id)
    return _out(impact_pack(scope, user=user, through=through_of(request)))


@router.get("/board-pack", response={200: PackOut, **ERRORS},
            summary="The partnership's board pack as tables (small numbers suppressed)")
def board_pack_tables(request: HttpRequest, params: Query[PeriodIn]) -> Any:
    user = _user(request, policy.can_view_board_pack)
    return _out(impact_pack(_scope(user, params), user=user, through=through_of(request)))
