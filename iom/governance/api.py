"""API operations for consent, involvement, corrections and one's own notices.

Thin endpoints over the policy and services, as the pages: statutory case workers
record consent and involvement; the originating organisation corrects its records.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from iom.api.auth import acting_user
from iom.api.errors import ERRORS
from iom.audit.models import Action
from iom.audit.services import RecordRef
from iom.core.errors import DomainError, Forbidden, NotFound

from . import corrections, notices, policy, services
from .models import Consent, ConsentBasis, ConsentStatus, GivenBy, Involvement
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


def state_today(consent: Consent) -> str:
    if consent.status == ConsentStatus.GIVEN and not policy.is_current_consent(consent):
        return "expired"
    return str(consent.status)


def _consent_out(c: Consent) -> dict[str, Any]:
    kept = getattr(c, "paperwork", None) if hasattr(c, "paperwork") else None
    return {"id": c.pk, "organisation_id": c.organisation_id, "organisation": str(c.organisation),
            "basis": c.basis, "status": c.status, "state_today": state_today(c),
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


__all__ = ["Action", "router"]
