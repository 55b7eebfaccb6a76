"""API operations for what case work records beside the plan: closing a plan,
threat reviews, deregistrations, tag audits, documents and the compliance
figures. They join the /api/casework router and follow its rules: the policy
first, a declared schema, a service or selector, the access log."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema, Status

from iom.accounts.models import District
from iom.api.auth import acting_user
from iom.api.errors import ERRORS
from iom.api.schemas import Input
from iom.audit.models import Action as LogAction
from iom.audit.services import RecordRef
from iom.core.errors import NotFound
from iom.governance import policy
from iom.governance.web import log_read, through_of
from iom.people.models import Nominal
from iom.scoring.models import EmergingThreat

from . import selectors, services
from .api_base import IdOut, open_plan_of, person_for, router
from .models import DocumentKind, GeneratedDocument, InterventionPlan, TagAudit
from .services.base import today

PDF = {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
       "description": "The document as a PDF file."}


class PlanCloseIn(Input):
    closed_on: date
    reason: str = Field(description="left_cohort, custody, transferred, replaced or other")
    note: str = Field("", max_length=4000)


class ClosedPlanOut(Schema):
    id: int
    started_on: date
    endorsed_on: date | None
    closed_on: date
    closed_reason: str
    closing_note: str
    needs: int


class ReviewOut(Schema):
    id: int
    reviewed_on: date
    outcome: str
    rationale: str


class ThreatOut(Schema):
    id: int
    raised_on: date
    score_before: int
    score_now: int
    reviews: list[ReviewOut]


class ReviewIn(Input):
    outcome: str = Field(description="keep_watching, propose_selection, propose_deselection "
                                     "or close")
    reviewed_on: date
    rationale: str = Field(max_length=4000)


class DeregistrationOut(Schema):
    left_on: date
    recorded_on: date | None
    rationale: str


class DeregistrationIn(Input):
    recorded_on: date
    rationale: str = Field(max_length=4000)


class TagAuditOut(Schema):
    id: int
    district: str
    month: date
    completed_on: date
    findings: str


class TagAuditIn(Input):
    district_id: int
    month: date
    completed_on: date
    findings: str = Field(max_length=4000)


class DocumentOut(Schema):
    id: int
    kind: str
    title: str
    filename: str
    sha256: str
    generated_on: date
    generated_by: str


class DocumentIn(Input):
    kind: str = Field(description=", ".join(DocumentKind.values))


class FigureOut(Schema):
    rule: str
    title: str
    items: int
    late: int
    done_late: int
    due: int
    done_on_time: int
    most_working_days_late: int


@router.post("/people/{person_id}/plan/close", response={200: ClosedPlanOut, **ERRORS})
def close_person_plan(request: HttpRequest, person_id: int, payload: PlanCloseIn) -> Any:
    user, nominal, _ = person_for(request, person_id)
    policy.require_statutory_case_worker(user, "can close a plan")
    plan = services.close_plan(plan=open_plan_of(nominal), acting_user=user,
                               through=through_of(request), **payload.dict())
    return _closed_out(plan)


def _closed_out(plan: InterventionPlan) -> dict[str, Any]:
    return {"id": plan.pk, "started_on": plan.started_on, "endorsed_on": plan.endorsed_on,
            "closed_on": plan.closed_on, "closed_reason": plan.closed_reason,
            "closing_note": plan.closing_note, "needs": plan.needs.count()}


@router.get("/people/{person_id}/plans/closed", response={200: list[ClosedPlanOut], **ERRORS})
def list_closed_plans(request: HttpRequest, person_id: int) -> Any:
    user, nominal, reason = person_for(request, person_id)
    plans = list(selectors.closed_plans(nominal))
    log_read(user=user, nominal=nominal, through=through_of(request), reason=reason,
             records=[RecordRef("plan", p.pk) for p in plans])
    return [_closed_out(p) for p in plans]


@router.get("/people/{person_id}/threats", response={200: list[ThreatOut], **ERRORS})
def list_person_threats(request: HttpRequest, person_id: int) -> Any:
    user, nominal, reason = person_for(request, person_id)
    threats = list(EmergingThreat.objects.filter(nominal=nominal).prefetch_related("reviews"))
    log_read(user=user, nominal=nominal, through=through_of(request), reason=reason,
             records=[RecordRef("emerging_threat", t.pk) for t in threats])
    return [{"id": t.pk, "raised_on": t.raised_on, "score_before": t.score_before,
             "score_now": t.score_now,
             "reviews": list(t.reviews.values("id", "reviewed_on", "outcome", "rationale"))}
            for t in threats]


@router.post("/people/{person_id}/threats/{threat_id}/reviews", response={201: IdOut, **ERRORS})
def review_person_threat(request: HttpRequest, person_id: int, threat_id: int,
                         payload: ReviewIn) -> Any:
    user, nominal, _ = person_for(request, person_id)
    policy.require_statutory_case_worker(user, "can review emerging threats")
    threat = EmergingThreat.objects.filter(pk=threat_id, nominal=nominal).first()
    if threat is None:
        raise NotFound
    review = services.review_threat(threat=threat, acting_user=user, through=through_of(request),
                                    **payload.dict())
    return Status(201, {"id": review.pk})


def _left_case(nominal: Nominal) -> Any:
    case = nominal.cohort_memberships.filter(ended_on__isnull=False).first()
    if case is None:
        raise NotFound
    return case


@router.get("/people/{person_id}/deregistration", response={200: DeregistrationOut, **ERRORS})
def read_deregistration(request: HttpRequest, person_id: int) -> Any:
    user, nominal, reason = person_for(request, person_id)
    case = _left_case(nominal)
    record = getattr(case, "deregistration", None)
    log_read(user=user, nominal=nominal, through=through_of(request), reason=reason,
             records=[RecordRef("cohort_membership", case.pk)])
    return {"left_on": case.ended_on, "recorded_on": record.recorded_on if record else None,
            "rationale": record.rationale if record else ""}


@router.post("/people/{person_id}/deregistration", response={201: IdOut, **ERRORS})
def record_person_deregistration(request: HttpRequest, person_id: int,
                                 payload: DeregistrationIn) -> Any:
    user, nominal, _ = person_for(request, person_id)
    policy.require_statutory_case_worker(user, "can record deregistration")
    record = services.record_deregistration(membership=_left_case(nominal), acting_user=user,
                                            through=through_of(request), **payload.dict())
    return Status(201, {"id": record.pk})


@router.get("/tag-audits", response={200: list[TagAuditOut], **ERRORS})
def list_tag_audits(request: HttpRequest) -> Any:
    user = acting_user(request)
    if not policy.is_casework_user(user):
        raise NotFound
    districts = selectors.districts_for_compliance(user)
    audits = TagAudit.objects.filter(district__in=districts).select_related("district")
    return [{"id": a.pk, "district": a.district.name, "month": a.month,
             "completed_on": a.completed_on, "findings": a.findings} for a in audits]


@router.post("/tag-audits", response={201: IdOut, **ERRORS})
def record_district_tag_audit(request: HttpRequest, payload: TagAuditIn) -> Any:
    user = acting_user(request)
    if not policy.is_casework_user(user):
        raise NotFound
    policy.require_statutory_case_worker(user, "can record tag audits")
    district = District.objects.filter(pk=payload.district_id,
                                       partnership_id=user.partnership_id or 0).first()
    if district is None:
        raise NotFound
    audit = services.record_tag_audit(
        district=district, month=payload.month, completed_on=payload.completed_on,
        findings=payload.findings, acting_user=user, through=through_of(request))
    return Status(201, {"id": audit.pk})


def _document_out(document: GeneratedDocument) -> dict[str, Any]:
    return {"id": document.pk, "kind": document.kind, "title": document.get_kind_display(),
            "filename": document.filename, "sha256": document.sha256,
            "generated_on": document.generated_at.date(),
            "generated_by": document.generated_by.display_name}


@router.get("/people/{person_id}/documents", response={200: list[DocumentOut], **ERRORS})
def list_person_documents(request: HttpRequest, person_id: int) -> Any:
    user, nominal, reason = person_for(request, person_id)
    policy.require_statutory_case_worker(user, "can open documents")
    documents = list(selectors.documents_readable_by(user, nominal).defer("content")
                     .select_related("generated_by"))
    log_read(user=user, nominal=nominal, through=through_of(request), reason=reason,
             records=[RecordRef("document", d.pk) for d in documents])
    return [_document_out(d) for d in documents]


@router.post("/people/{person_id}/documents", response={201: DocumentOut, **ERRORS})
def produce_person_document(request: HttpRequest, person_id: int, payload: DocumentIn) -> Any:
    user, nominal, reason = person_for(request, person_id)
    policy.require_statutory_case_worker(user, "can produce documents")
    document = services.generate_document(nominal=nominal, kind=payload.kind, acting_user=user,
                                          through=through_of(request), reason=reason)
    return Status(201, _document_out(document))


@router.get("/people/{person_id}/documents/{document_id}", response={**ERRORS},
            openapi_extra={"responses": {200: PDF}})
def download_person_document(request: HttpRequest, person_id: int,
                             document_id: int) -> HttpResponse:
    user, nominal, reason = person_for(request, person_id)
    policy.require_statutory_case_worker(user, "can open documents")
    document = selectors.documents_readable_by(user, nominal).filter(pk=document_id).first()
    if document is None:
        raise NotFound
    log_read(user=user, nominal=nominal, through=through_of(request), reason=reason,
             action=LogAction.EXPORT, records=[RecordRef("document", document.pk)],
             detail={"document": document.kind})
    response = HttpResponse(bytes(document.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


@router.get("/compliance/figures", response={200: list[FigureOut], **ERRORS})
def compliance_figures(request: HttpRequest) -> Any:
    """The dashboard's figures: for each rule, how many items stand in each status."""
    user = acting_user(request)
    if not policy.is_casework_user(user):
        raise NotFound
    items = selectors.compliance_items(user, today())
    people = sorted({i.nominal.pk for i in items if i.nominal is not None})
    if people:
        log_read(user=user, nominal=None, through=through_of(request), action=LogAction.SEARCH,
                 records=[RecordRef("nominal", p) for p in people],
                 detail={"list": "compliance figures"})
    return selectors.compliance_figures(items)
