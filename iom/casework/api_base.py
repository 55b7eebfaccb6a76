"""What the casework API modules share: the one /api/casework router, the id
answer, and the first step of every operation on a person (the policy, then the
reason the caller stated). ``api.py`` (plans, actions, contacts) and
``api_records.py`` (what case work records beside the plan) both register on the
router; ``iom/api/urls.py`` imports them both."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from iom.accounts.models import User
from iom.api.auth import acting_user
from iom.core.errors import NotFound
from iom.governance import policy
from iom.governance.web import reason_for, stated_reason
from iom.people.models import Nominal

from . import selectors

router = Router(tags=["casework"])


class IdOut(Schema):
    id: int


def person_for(request: HttpRequest, person_id: int) -> tuple[User, Nominal, str]:
    """The acting user, the person if the policy lets them see it, and the reason."""
    user = acting_user(request)
    nominal = policy.access_nominal(user, person_id)
    return user, nominal, reason_for(user, nominal, stated_reason(request))


def open_plan_of(nominal: Nominal) -> Any:
    plan = selectors.open_plan(nominal)
    if plan is None:
        raise NotFound
    return plan
