"""API operations for consent, involvement, corrections, one's own notices, and the
data-protection officer's subject access requests.

Thin endpoints over the policy and services, as the pages: statutory case workers
record consent and involvement; the originating organisation corrects its records.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from iom.api.auth import acting_user
from iom.api.errors import ERRORS
from iom.api.schemas import Input
from iom.audit.models import Action
from iom.audit.services import RecordRef
from iom.core.errors import DomainError, Forbidden, NotFound

from . import corrections, notices, policy, services, subject_access
from .models import (
    Consent,
    ConsentBasis,
    GivenBy,
    Involvement,
    RequestState,
    SubjectAccessRequest,
)
from .web import log_read, reason_for, stated_reason, through_of

router = Router(tags=["governance"])


class ConsentOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    basis: str
    status: str
    state_today: str = Field(description="given, refused, withdrawn or expired, as of today")
    given_by: str
    guardian_name: str
    decided_on: date
    expires_on: date | None
    note: str
    paperwork: str | None = Field(description="content type of the signed form, if kept")


class PaperworkIn(Schema):
    file_name: str = Field(max_length=200)
    content_base64: str = Field(description="the signed form, PDF, PNG or JPEG, base64")


class ConsentIn(Schema):
    organisation_id: int
    status: Literal["given", "refused", "withdrawn"]
    decided_on: date
    basis: Literal["consent", "contract"] = "consent"
    given_by: Literal["person", "parent_or_guardian"] = "person"
    guardian_name: str = Field("", max_length=120)
    expires_on: date | None = None
    note: str = Field("", max_length=300)
    paperwork: PaperworkIn | None = None


class InvolvementOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    start_date: date
    end_date: date | None
    purpose: str


class InvolvementIn(Schema):
    organisation_id: int
    start_date: date
    end_date: date | None = None
    purpose: str = Field("", max_length=200)


class EndIn(Schema):
    end_date: date


class CorrectionIn(Schema):
    action: Literal["correct", "withdraw"]
    reason: str = Field(max_length=500)
    fields: dict[str, Any] = Field(default_factory=dict,
                                   description="the corrected values (correct only)")


class CorrectionOut(Schema):
    id: int
    action: str
    previous: dict[str, Any]
    new: dict[str, Any]
    readers_told: int


class NoticeOut(Schema):
    id: int
    kind: str
    person_id: int
    summary: str
    created_at: datetime
    respond_by: date | None
    acknowledged_at: datetime | None


def _consent_out(c: Consent) -> dict[str, Any]:
    kept = getattr(c, "paperwork", None) if hasattr(c, "paperwork") else None
    return {"id": c.pk, "organisation_id": c.organisation_id, "organisation": str(c.organisation),
            "basis": c.basis, "status": c.status, "state_today": policy.consent_state_today(c),
            "given_by": c.given_by, "guardian_name": c.guardian_name, "decided_on": c.decided_on,
            "expires_on": c.expires_on, "note": c.note,
            "paperwork": kept.content_type if kept else None}


def _statutory(request: HttpRequest, person_id: int) -> tuple[Any, Any, str]:
    user = acting_user(request)
    if not policy.is_statutory_case_worker(user):
        raise NotFound
    nominal = policy.access_nominal(user, person_id)
    return user, nominal, reason_for(user, nominal, stated_reason(request))


def _partner(user: Any, organisation_id: int) -> Any:
    found = policy.partner_organisations(user).filter(pk=organisation_id).first()
    if found is None:
        raise DomainError.on_field("organisation_id", "No such organisation in your partnership.")
    return found


@router.get("/people/{person_id}/consents", response={200: list[ConsentOut], **ERRORS},
            summary="List a person's consent decisions")
def list_person_consents(request: HttpRequest, person_id: int) -> Any:
    user, nominal, why = _statutory(request, person_id)
    consents = list(nominal.consents.select_related("organisation", "paperwork"))
    log_read(user=user, nominal=nominal, through=through_of(request), reason=why,
             records=[RecordRef("consent", c.pk) for c in consents])
    return [_consent_out(c) for c in consents]


@router.post("/people/{person_id}/consents", response={201: ConsentOut, **ERRORS},
             summary="Record a consent decision (given, refused or withdrawn)")
def record_person_consent(request: HttpRequest, person_id: int, payload: ConsentIn) -> Any:
    user, nominal, _ = _statutory(request, person_id)
    paperwork = None
    if payload.paperwork is not None:
        try:
            content = base64.b64decode(payload.paperwork.content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise DomainError.on_field("paperwork.content_base64",
                                       "The paperwork is not valid base64.") from exc
        paperwork = (payload.paperwork.file_name, content)
    consent = services.record_consent_with_paperwork(
        paperwork=paperwork, nominal=nominal,
        organisation=_partner(user, payload.organisation_id), status=payload.status,
        decided_on=payload.decided_on, basis=ConsentBasis(payload.basis),
        given_by=GivenBy(payload.given_by), guardian_name=payload.guardian_name,
        expires_on=payload.expires_on, note=payload.note, acting_user=user,
        through=through_of(request))
    return Status(201, _consent_out(Consent.objects.select_related(
        "organisation", "paperwork").get(pk=consent.pk)))


@router.get("/people/{person_id}/involvements", response={200: list[InvolvementOut], **ERRORS},
            summary="List the organisations involved with a person")
def list_person_involvements(request: HttpRequest, person_id: int) -> Any:
    user, nominal, why = _statutory(request, person_id)
    found = list(nominal.involvements.select_related("organisation"))
    log_read(user=user, nominal=nominal, through=through_of(request), reason=why,
             records=[RecordRef("involvement", i.pk) for i in found])
    return [_involvement_out(i) for i in found]


def _involvement_out(i: Involvement) -> dict[str, Any]:
    return {"id": i.pk, "organisation_id": i.organisation_id, "organisation": str(i.organisation),
            "start_date": i.start_date, "end_date": i.end_date, "purpose": i.purpose}


@router.post("/people/{person_id}/involvements", response={201: InvolvementOut, **ERRORS},
             summary="Record an organisation's involvement with a person")
def record_person_involvement(request: HttpRequest, person_id: int,
                              payload: InvolvementIn) -> Any:
    user, nominal, _ = _statutory(request, person_id)
    found = services.record_involvement(
        nominal=nominal, organisation=_partner(user, payload.organisation_id),
        start=payload.start_date, end=payload.end_date, purpose=payload.purpose,
        acting_user=user, through=through_of(request))
    return Status(201, _involvement_out(found))


@router.post("/people/{person_id}/involvements/{involvement_id}/end",
             response={200: InvolvementOut, **ERRORS}, summary="End an involvement")
def end_person_involvement(request: HttpRequest, person_id: int, involvement_id: int,
                           payload: EndIn) -> Any:
    user, nominal, _ = _statutory(request, person_id)
    found = nominal.involvements.filter(pk=involvement_id).first()
    if found is None:
        raise NotFound
    services.end_involvement(involvement=found, end=payload.end_date, acting_user=user,
                             through=through_of(request))
    return _involvement_out(found)


@router.post("/people/{person_id}/records/{kind}/{record_id}/correction",
             response={201: CorrectionOut, **ERRORS},
             summary="Correct or withdraw a record your organisation supplied")
def correct_person_record(request: HttpRequest, person_id: int, kind: str, record_id: int,
                          payload: CorrectionIn) -> Any:
    user = acting_user(request)
    if not policy.is_casework_user(user):
        raise NotFound
    nominal = policy.access_nominal(user, person_id)
    reason_for(user, nominal, stated_reason(request))
    correction = corrections.correct_record(
        user=user, nominal=nominal, kind=kind, record_id=record_id, action=payload.action,
        reason=payload.reason, fields=payload.fields, through=through_of(request))
    return Status(201, {"id": correction.pk, "action": correction.action,
                        "previous": correction.previous, "new": correction.new,
                        "readers_told": correction.notices.count()})


@router.get("/notices", response={200: list[NoticeOut], **ERRORS},
            summary="List my information-governance notices")
def list_my_notices(request: HttpRequest) -> Any:
    user = acting_user(request)
    found = list(notices.notices_for(user)[:200])
    log_read(user=user, nominal=None, through=through_of(request), reason="Notices inbox",
             records=[RecordRef("notice", n.pk) for n in found])
    return [{"id": n.pk, "kind": n.kind, "person_id": n.nominal_id,
             "summary": notices.words_for(n, user),
             "created_at": n.created_at, "respond_by": n.respond_by,
             "acknowledged_at": n.acknowledged_at} for n in found]


@router.post("/notices/{notice_id}/acknowledgement", response={200: NoticeOut, **ERRORS},
             summary="Acknowledge one of my notices")
def acknowledge_notice(request: HttpRequest, notice_id: int) -> Any:
    user = acting_user(request)
    found = notices.notices_for(user).filter(pk=notice_id).first()
    if found is None:
        raise NotFound
    if not policy.is_casework_user(user):
        raise Forbidden("Only case workers acknowledge notices.")
    notices.acknowledge(notice=found, acting_user=user, through=through_of(request))
    return {"id": found.pk, "kind": found.kind, "person_id": found.nominal_id,
            "summary": notices.words_for(found, user), "created_at": found.created_at,
            "respond_by": found.respond_by, "acknowledged_at": found.acknowledged_at}


# Subject access (DPA 2018 Part 3 s45): for the data-protection officer only ----------------


class SubjectAccessOpenIn(Input):
    person_id: int
    received_on: date
    note: str = Field("", max_length=300, description="how the request was made")


class SubjectAccessWithheldOut(Schema):
    kind: str
    record_id: str
    reason: str
    may_say_withheld: bool
    decided_at: datetime


class SubjectAccessRecordOut(Schema):
    kind: str
    id: str
    source_organisation: str
    source_system: str
    recorded_at: str | None
    disclosed_to: list[str]
    review_suggested: bool = Field(description="police intelligence or public protection: "
                                               "worth checking before disclosure")
    withheld: bool
    fields: dict[str, Any]


class SubjectAccessOut(Schema):
    id: int
    person_id: int
    person: str
    received_on: date
    due_on: date = Field(description="one calendar month from receipt, on a working day")
    state: str = Field(description="open, or disclosed once marked as answered")
    overdue: bool
    disclosed_at: datetime | None
    note: str
    withheld: list[SubjectAccessWithheldOut]


class SubjectAccessDetailOut(SubjectAccessOut):
    records: list[SubjectAccessRecordOut] = Field(
        description="everything held on the person while the request is open; "
                    "empty once it is answered")


class SubjectAccessWithholdIn(Input):
    kind: str = Field(max_length=30)
    record_id: str = Field(max_length=40)
    reason: str = Field(max_length=500)
    may_say_withheld: bool = Field(True, description="false where saying that information "
                                                     "was withheld would itself prejudice "
                                                     "(s45(5))")


class SubjectAccessReleaseIn(Input):
    kind: str = Field(max_length=30)
    record_id: str = Field(max_length=40)


def _dpo(request: HttpRequest) -> Any:
    user = acting_user(request)
    if not policy.can_read_access_log(user):
        raise NotFound
    return user


def _sar_out(found: SubjectAccessRequest) -> dict[str, Any]:
    return {"id": found.pk, "person_id": found.nominal_id, "person": found.nominal.full_name,
            "received_on": found.received_on, "due_on": found.due_on, "state": found.state,
            "overdue": found.state == RequestState.OPEN
            and found.due_on < timezone.localdate(),
            "disclosed_at": found.disclosed_at, "note": found.requester_note,
            "withheld": [{"kind": w.kind, "record_id": w.record_id, "reason": w.reason,
                          "may_say_withheld": w.may_say_withheld,
                          "decided_at": w.decided_at} for w in found.withholdings.all()]}


@router.get("/subject-access", response={200: list[SubjectAccessOut], **ERRORS},
            summary="List subject access requests (data-protection officer)")
def list_subject_access_requests(request: HttpRequest) -> Any:
    user = _dpo(request)
    found = list(SubjectAccessRequest.objects.filter(
        nominal__in=policy.nominals_for_audit(user)).select_related("nominal")
        .prefetch_related("withholdings")[:200])
    log_read(user=user, nominal=None, through=through_of(request),
             reason="Subject access request (DPA 2018 s45)",
             records=[RecordRef("subject_access", r.pk) for r in found])
    return [_sar_out(r) for r in found]


@router.post("/subject-access", response={201: SubjectAccessOut, **ERRORS},
             summary="Open a subject access request for a person (data-protection officer)")
def open_subject_access_request(request: HttpRequest, payload: SubjectAccessOpenIn) -> Any:
    user = _dpo(request)
    nominal = policy.access_nominal_for_audit(user, payload.person_id)
    found = subject_access.open_request(nominal=nominal, received_on=payload.received_on,
                                        note=payload.note, acting_user=user,
                                        through=through_of(request))
    return Status(201, _sar_out(found))


@router.get("/subject-access/{request_id}", response={200: SubjectAccessDetailOut, **ERRORS},
            summary="Read a subject access request and, while open, everything held")
def read_subject_access_request(request: HttpRequest, request_id: int) -> Any:
    user = _dpo(request)
    found = policy.access_subject_access_request(user, request_id)
    records = [] if found.state != RequestState.OPEN else subject_access.held_records(
        found.nominal, sight=policy.subject_access_sight(user, found.nominal))
    withheld = {(w.kind, w.record_id) for w in found.withholdings.all()}
    log_read(user=user, nominal=found.nominal, through=through_of(request),
             reason=policy.SUBJECT_ACCESS_SIGHT if records else
             "Subject access request (DPA 2018 s45)",
             records=[RecordRef("subject_access", found.pk), *(
                 RecordRef("nominal" if r.kind == "person" else r.kind, r.id)
                 for r in records)])
    return {**_sar_out(found), "records": [
        {**r.as_json(), "review_suggested": r.kind in subject_access.REVIEW_SUGGESTED,
         "withheld": r.key in withheld} for r in records]}


@router.post("/subject-access/{request_id}/withholdings",
             response={201: SubjectAccessOut, **ERRORS},
             summary="Withhold an item from the answer, with the reason (s45(4))")
def withhold_subject_access_item(request: HttpRequest, request_id: int,
                                 payload: SubjectAccessWithholdIn) -> Any:
    user = _dpo(request)
    found = policy.access_subject_access_request(user, request_id)
    subject_access.withhold(request=found, kind=payload.kind, record_id=payload.record_id,
                            reason=payload.reason, may_say_withheld=payload.may_say_withheld,
                            acting_user=user, through=through_of(request))
    return Status(201, _sar_out(found))


@router.post("/subject-access/{request_id}/withholdings/release",
             response={200: SubjectAccessOut, **ERRORS},
             summary="Disclose an item withheld earlier")
def release_subject_access_item(request: HttpRequest, request_id: int,
                                payload: SubjectAccessReleaseIn) -> Any:
    user = _dpo(request)
    found = policy.access_subject_access_request(user, request_id)
    subject_access.release(request=found, kind=payload.kind, record_id=payload.record_id,
                           acting_user=user, through=through_of(request))
    return _sar_out(found)


@router.post("/subject-access/{request_id}/answered", response={200: SubjectAccessOut, **ERRORS},
             summary="Mark a subject access request as answered (ends the full sight)")
def answer_subject_access_request(request: HttpRequest, request_id: int) -> Any:
    user = _dpo(request)
    found = policy.access_subject_access_request(user, request_id)
    subject_access.mark_answered(found, acting_user=user, through=through_of(request))
    return _sar_out(found)


PACK = {"content": {t: {"schema": {"type": "string", "format": "binary"}}
                    for t in ("application/pdf", "application/zip", "application/json")},
        "description": "The answer for the person without the withheld items: a PDF, a ZIP "
                       "(the JSON, its schema and a CSV per kind) or the JSON alone."}


@router.get("/subject-access/{request_id}/export", response={**ERRORS},
            openapi_extra={"responses": {200: PACK}},
            summary="Download the answer (PDF, ZIP or JSON); logged as a disclosure")
def export_subject_access_pack(request: HttpRequest, request_id: int,
                               format: Literal["pdf", "zip", "json"] = "pdf") -> HttpResponse:
    from .sar_views import PACK_TYPES, pack

    user = _dpo(request)
    found = policy.access_subject_access_request(user, request_id)
    content = pack(found, user, format, through_of(request))
    response = HttpResponse(content, content_type=PACK_TYPES[format])
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{found.pk}.{format}"')
    return response


__all__ = ["Action", "router"]
