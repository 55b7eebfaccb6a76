"""API operations for plans, actions and contacts: thin endpoints over the policy,
services and selectors, under the same access log as the pages."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status

from iom.accounts.models import Organisation, User
from iom.accounts.selectors import district_choices
from iom.api.auth import acting_user
from iom.api.errors import ERRORS
from iom.api.schemas import Input
from iom.audit.models import Action as LogAction
from iom.audit.services import RecordRef
from iom.core.errors import DomainError, Forbidden, NotFound
from iom.governance import policy
from iom.governance.web import log_read, through_of
from iom.people.models import Nominal

from . import selectors, services
from .api_base import IdOut, open_plan_of, person_for, router
from .models import Action, Contact, PlanNeed
from .services.base import today


class ReferralOut(Schema):
    id: int
    service: str
    referred_on: date
    status: str
    response: str


class NeedOut(Schema):
    id: int
    pathway: str
    pathway_label: str
    level: str
    description: str
    status: str
    referrals: list[ReferralOut]


class OutcomeOut(Schema):
    kind: str
    status: str
    recorded_on: date


class PlanOut(Schema):
    id: int
    pathway_set: str
    started_on: date
    endorsed_on: date | None
    needs: list[NeedOut]
    outcomes: list[OutcomeOut]


class PlanIn(Input):
    started_on: date
    summary: str = ""


class NeedIn(Input):
    pathway: str
    level: Literal["high", "medium", "low", "none"]
    description: str = Field(max_length=2000)
    assessed_on: date


class NeedReferralIn(Input):
    service: str = Field(max_length=160)
    organisation_id: int | None = None
    referred_on: date


class ProgressIn(Input):
    note: str = Field(max_length=4000)
    recorded_on: date
    status: str = ""


class OutcomeIn(Input):
    kind: str
    status: str
    recorded_on: date
    note: str = ""


class EndorseIn(Input):
    endorsed_on: date


class ActionOut(Schema):
    id: int
    person_id: int
    title: str
    owner: str
    due_on: date
    priority: str
    source_kind: str
    source_ref: str
    status: str
    result: str


class ActionIn(Input):
    title: str = Field(max_length=200)
    owner_user_id: int | None = None
    owner_organisation_id: int | None = None
    due_on: date
    priority: Literal["high", "medium", "low"]
    source_kind: Literal["meeting", "plan", "alert", "review"] = "plan"
    source_ref: str = Field("", max_length=60)


class UpdateIn(Input):
    note: str = Field(max_length=4000)


class CloseIn(Input):
    result: str = Field(max_length=4000)
    closed_on: date
    cancelled: bool = False


class ContactOut(Schema):
    id: int
    kind: str
    happened_on: date
    outcome: str
    organisation: str
    note: str


class ContactIn(Input):
    kind: Literal["home_visit", "prison_visit", "appointment", "phone"]
    happened_on: date
    outcome: Literal["kept", "missed", "no_access", "cancelled"]
    note: str = ""


class ComplianceOut(Schema):
    rule: str
    person_id: int | None
    district: str
    what: str
    due_on: date
    done_on: date | None
    status: str
    working_days_late: int


def _plan_out(plan: Any) -> dict[str, Any]:
    return {"id": plan.pk, "pathway_set": plan.pathway_set, "started_on": plan.started_on,
            "endorsed_on": plan.endorsed_on,
            "needs": [{"id": n.pk, "pathway": n.pathway, "pathway_label": n.pathway_label,
                       "level": n.level, "description": n.description, "status": n.status,
                       "referrals": list(n.referrals.values("id", "service", "referred_on",
                                                            "status", "response"))}
                      for n in plan.needs.all()],
            "outcomes": list(plan.outcomes.values("kind", "status", "recorded_on"))}


@router.get("/people/{person_id}/plan", response={200: PlanOut, **ERRORS})
def read_plan(request: HttpRequest, person_id: int) -> Any:
    user, nominal, reason = person_for(request, person_id)
    plan = open_plan_of(nominal)
    log_read(user=user, nominal=nominal, through=through_of(request), reason=reason,
             records=[RecordRef("plan", plan.pk)])
    return _plan_out(plan)


@router.post("/people/{person_id}/plan", response={201: IdOut, **ERRORS})
def start_person_plan(request: HttpRequest, person_id: int, payload: PlanIn) -> Any:
    user, nominal, _ = person_for(request, person_id)
    policy.require_statutory_case_worker(user, "can start a plan")
    plan = services.start_plan(nominal=nominal, acting_user=user, through=through_of(request),
                               **payload.dict())
    return Status(201, {"id": plan.pk})


@router.post("/people/{person_id}/plan/needs", response={201: IdOut, **ERRORS})
def add_plan_need(request: HttpRequest, person_id: int, payload: NeedIn) -> Any:
    user, nominal, _ = person_for(request, person_id)
    policy.require_statutory_case_worker(user, "can assess needs")
    need = services.add_need(plan=open_plan_of(nominal), acting_user=user,
                             through=through_of(request), **payload.dict())
    return Status(201, {"id": need.pk})


def _need(nominal: Nominal, need_id: int) -> PlanNeed:
    need = PlanNeed.objects.filter(pk=need_id, plan__nominal=nominal).select_related(
        "plan").first()
    if need is None:
        raise NotFound
    return need


@router.post("/people/{person_id}/plan/needs/{need_id}/referrals",
             response={201: IdOut, **ERRORS})
def refer_need_to_service(request: HttpRequest, person_id: int, need_id: int,
                          payload: NeedReferralIn) -> Any:
    user, nominal, _ = person_for(request, person_id)
    policy.require_statutory_case_worker(user, "can refer to services")
    organisation = None
    if payload.organisation_id is not None:
        organisation = get_object_or_404(Organisation, pk=payload.organisation_id,
                                         partnership_id=user.partnership_id)
    referral = services.refer_to_service(
        need=_need(nominal, need_id), service=payload.service, organisation=organisation,
        referred_on=payload.referred_on, acting_user=user, through=through_of(request))
    return Status(201, {"id": referral.pk})


@router.post("/people/{person_id}/plan/needs/{need_id}/progress",
             response={201: IdOut, **ERRORS})
def record_need_progress(request: HttpRequest, person_id: int, need_id: int,
                         payload: ProgressIn) -> Any:
    user, nominal, _ = person_for(request, person_id)
    progress = services.record_progress(need=_need(nominal, need_id), acting_user=user,
                                        through=through_of(request), **payload.dict())
    return Status(201, {"id": progress.pk})


@router.post("/people/{person_id}/plan/outcomes", response={201: IdOut, **ERRORS})
def record_plan_outcome(request: HttpRequest, person_id: int, payload: OutcomeIn) -> Any:
    user, nominal, _ = person_for(request, person_id)
    found = services.record_outcome(plan=open_plan_of(nominal), acting_user=user,
                                    through=through_of(request), **payload.dict())
    return Status(201, {"id": found.pk})


@router.post("/people/{person_id}/plan/endorse", response={200: IdOut, **ERRORS})
def endorse_person_plan(request: HttpRequest, person_id: int, payload: EndorseIn) -> Any:
    user, nominal, _ = person_for(request, person_id)
    policy.require_statutory_case_worker(user, "can endorse a plan")
    plan = services.endorse_plan(plan=open_plan_of(nominal), acting_user=user,
                                 through=through_of(request), endorsed_on=payload.endorsed_on)
    return {"id": plan.pk}


def _action_out(action: Action) -> dict[str, Any]:
    return {"id": action.pk, "person_id": action.nominal_id, "title": action.title,
            "owner": action.owner_label, "due_on": action.due_on, "priority": action.priority,
            "source_kind": action.source_kind, "source_ref": action.source_ref,
            "status": action.status, "result": action.result}


def _actions(request: HttpRequest, actions: list[Action], listed: str) -> list[dict[str, Any]]:
    if actions:
        log_read(user=acting_user(request), nominal=None, through=through_of(request),
                 action=LogAction.SEARCH, records=[RecordRef("action", a.pk) for a in actions],
                 detail={"list": listed})
    return [_action_out(a) for a in actions]


@router.get("/people/{person_id}/actions", response={200: list[ActionOut], **ERRORS})
def list_person_actions(request: HttpRequest, person_id: int) -> Any:
    user, nominal, reason = person_for(request, person_id)
    actions = list(nominal.actions.select_related("owner_user", "owner_organisation"))
    log_read(user=user, nominal=nominal, through=through_of(request), reason=reason,
             records=[RecordRef("action", a.pk) for a in actions])
    return [_action_out(a) for a in actions]


@router.post("/people/{person_id}/actions", response={201: ActionOut, **ERRORS})
def create_person_action(request: HttpRequest, person_id: int, payload: ActionIn) -> Any:
    user, nominal, _ = person_for(request, person_id)
    owner_user = User.objects.filter(pk=payload.owner_user_id).first() \
        if payload.owner_user_id else None
    owner_org = Organisation.objects.filter(pk=payload.owner_organisation_id).first() \
        if payload.owner_organisation_id else None
    action = services.create_action(
        nominal=nominal, title=payload.title, owner_user=owner_user,
        owner_organisation=owner_org, due_on=payload.due_on, priority=payload.priority,
        source_kind=payload.source_kind, source_ref=payload.source_ref, acting_user=user,
        through=through_of(request))
    return Status(201, _action_out(action))


def _workable(request: HttpRequest, person_id: int, action_id: int) -> tuple[User, Action]:
    user, nominal, _ = person_for(request, person_id)
    action = Action.objects.filter(pk=action_id, nominal=nominal).first()
    if action is None:
        raise NotFound
    if not policy.may_work_action(user, action):
        raise Forbidden("Only the action's owner or a statutory partner can update it.")
    return user, action


@router.post("/people/{person_id}/actions/{action_id}/updates",
             response={201: IdOut, **ERRORS})
def add_update_to_action(request: HttpRequest, person_id: int, action_id: int,
                         payload: UpdateIn) -> Any:
    user, action = _workable(request, person_id, action_id)
    update = services.add_action_update(action=action, note=payload.note, acting_user=user,
                                        through=through_of(request))
    return Status(201, {"id": update.pk})


@router.post("/people/{person_id}/actions/{action_id}/result",
             response={200: ActionOut, **ERRORS})
def record_action_result(request: HttpRequest, person_id: int, action_id: int,
                         payload: CloseIn) -> Any:
    user, action = _workable(request, person_id, action_id)
    closed = services.close_action(action=action, acting_user=user, through=through_of(request),
                                   **payload.dict())
    return _action_out(closed)


@router.get("/actions/mine", response={200: list[ActionOut], **ERRORS})
def list_my_actions(request: HttpRequest) -> Any:
    return _actions(request, list(selectors.my_actions(acting_user(request))), "my actions")


@router.get("/actions/overdue", response={200: list[ActionOut], **ERRORS})
def list_overdue_actions(request: HttpRequest) -> Any:
    actions = list(selectors.overdue_actions(acting_user(request), today()))
    return _actions(request, actions, "overdue actions")


def _contact_out(contact: Contact) -> dict[str, Any]:
    return {"id": contact.pk, "kind": contact.kind, "happened_on": contact.happened_on,
            "outcome": contact.outcome, "organisation": str(contact.organisation),
            "note": contact.note}


@router.get("/people/{person_id}/contacts", response={200: list[ContactOut], **ERRORS})
def list_person_contacts(request: HttpRequest, person_id: int) -> Any:
    user, nominal, reason = person_for(request, person_id)
    contacts = list(nominal.contacts.select_related("organisation"))
    log_read(user=user, nominal=nominal, through=through_of(request), reason=reason,
             records=[RecordRef("contact", c.pk) for c in contacts])
    return [_contact_out(c) for c in contacts]


@router.post("/people/{person_id}/contacts", response={201: ContactOut, **ERRORS})
def record_person_contact(request: HttpRequest, person_id: int, payload: ContactIn) -> Any:
    user, nominal, _ = person_for(request, person_id)
    contact = services.record_contact(nominal=nominal, acting_user=user,
                                      through=through_of(request), **payload.dict())
    return Status(201, _contact_out(contact))


@router.get("/compliance", response={200: list[ComplianceOut], **ERRORS})
def list_compliance(request: HttpRequest, rule: str = "", status: str = "",
                    district: str = "") -> Any:
    """``district``: only the items of the district of this name (003 districts)."""
    user = acting_user(request)
    if not policy.is_casework_user(user):
        raise NotFound
    if district and district.lower() not in {n.lower() for _, n in district_choices(user)}:
        raise DomainError.on_field("district", "Choose a district of your partnership.")
    items = selectors.compliance_items(user, today(), rule=rule, status=status,
                                       district=district)
    people = sorted({i.nominal.pk for i in items if i.nominal is not None})
    if people:
        log_read(user=user, nominal=None, through=through_of(request), action=LogAction.SEARCH,
                 records=[RecordRef("nominal", p) for p in people], detail={"list": "compliance"})
    return [{"rule": i.rule, "person_id": i.nominal.pk if i.nominal else None,
             "district": i.district, "what": i.what, "due_on": i.due_on, "done_on": i.done_on,
             "status": i.status, "working_days_late": i.late_by} for i in items]

