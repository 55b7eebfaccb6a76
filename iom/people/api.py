"""API operations on people: thin endpoints over the policy, services and selectors."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from iom.api.auth import acting_user
from iom.api.errors import ERRORS
from iom.api.schemas import Input
from iom.audit.models import Action
from iom.audit.services import RecordRef
from iom.core.errors import NotFound
from iom.governance import policy
from iom.governance.web import log_read, reason_for, stated_reason, through_of

from . import selectors, services
from .models import EventKind
from .timeline import build_timeline
from .validation import ogrs3_categories_for, ogrs3_category_names

router = Router(tags=["people"])


class SearchIn(Input):
    q: str = Field(min_length=1, max_length=100,
                   description="Name (typos and aliases tolerated), PNC ID, CRN or date of birth")


class PersonSummary(Schema):
    id: int
    forename: str
    surname: str
    date_of_birth: date
    pnc_id: str | None
    crn: str | None
    matched_on: str | None = None
    match_score: int | None = None


class AliasOut(Schema):
    forename: str
    surname: str
    date_of_birth: date | None


class AddressOut(Schema):
    line1: str
    line2: str
    town: str
    postcode: str
    from_date: date
    to_date: date | None


class FlagOut(Schema):
    kind: str
    description: str
    start_date: date
    expired_on: date | None


class TimelineOut(Schema):
    kind: str
    id: int
    date: date
    title: str
    lines: list[str]
    organisation: str
    source_system: str
    recorded_at: datetime


class ProfileOut(PersonSummary):
    middle_names: str
    gender: str
    ethnicity: str
    primary_substance: str
    district: str | None
    aliases: list[AliasOut]
    addresses: list[AddressOut]
    flags: list[FlagOut]
    timeline: list[TimelineOut]
    intelligence_withheld: bool
    public_protection_withheld: bool


class PersonIn(Input):
    forename: str = Field(max_length=80)
    middle_names: str = Field("", max_length=120)
    surname: str = Field(max_length=80)
    date_of_birth: date
    gender: Literal["M", "F", "X"]
    ethnicity: str = "NS"
    pnc_id: str | None = None
    crn: str | None = None
    primary_substance: str = ""
    district_id: int | None = None


class RecordIn(Input):
    """The fields of the record kind in the path; see the web form of each kind."""

    fields: dict[str, Any]


class RecordOut(Schema):
    kind: str
    id: int


class Ogrs3CategoryIn(Input):
    ogrs3_category: str = Field(
        max_length=60, description="the exact OGRS 3 offence category, one of those the "
        "conviction's Home Office code allows (`allowed_categories` in the answer); "
        "an empty string clears it")


class Ogrs3CategoryOut(Schema):
    id: int
    person_id: int
    ho_code: str
    ogrs3_category: str
    ogrs3_category_name: str
    ogrs3_category_source: str = Field(description="user, feed, or empty when cleared")
    ogrs3_category_set_at: datetime | None
    allowed_categories: list[str]


def _summary(nominal: Any, hit: selectors.SearchHit | None = None) -> dict[str, Any]:
    return {
        "id": nominal.pk, "forename": nominal.forename, "surname": nominal.surname,
        "date_of_birth": nominal.date_of_birth, "pnc_id": nominal.pnc_id, "crn": nominal.crn,
        "matched_on": hit.matched_on if hit else None, "match_score": hit.score if hit else None,
    }



@router.get("", response={200: list[PersonSummary], **ERRORS}, summary="Search people")
def search_people(request: HttpRequest, params: Query[SearchIn]) -> Any:
    user = acting_user(request)
    q = params.q
    hits = selectors.search_people(policy.nominals_visible_to(user), q)
    log_read(user=user, nominal=None, through=through_of(request),
             action=Action.SEARCH, records=[RecordRef("nominal", h.nominal.pk) for h in hits],
             detail={"query": q})
    return [_summary(h.nominal, h) for h in hits]


@router.get("/{person_id}", response={200: ProfileOut, **ERRORS}, summary="Read a profile")
def read_profile(request: HttpRequest, person_id: int) -> Any:
    user = acting_user(request)
    nominal = policy.access_nominal(user, person_id)
    why = reason_for(user, nominal, stated_reason(request))
    timeline = build_timeline(
        nominal,
        intelligence=policy.intelligence_visible_to(user, nominal),
        protection=policy.protection_visible_to(user, nominal),
    )
    aliases, addresses, flags = (list(nominal.aliases.all()), list(nominal.addresses.all()),
                                 list(nominal.flags.all()))
    shown = [RecordRef("nominal", nominal.pk), *(i.ref for i in timeline)]
    shown += [RecordRef("alias", a.pk) for a in aliases]
    shown += [RecordRef("address", a.pk) for a in addresses]
    shown += [RecordRef("flag", f.pk) for f in flags]
    log_read(user=user, nominal=nominal, through=through_of(request),
             records=shown, reason=why)
    return {
        **_summary(nominal), "middle_names": nominal.middle_names, "gender": nominal.gender,
        "ethnicity": nominal.ethnicity, "primary_substance": nominal.primary_substance,
        "district": str(nominal.district) if nominal.district else None,
        "aliases": aliases, "addresses": addresses, "flags": flags,
        "timeline": [{"kind": i.ref.kind, "id": i.ref.id, "date": i.when, "title": i.title,
                      "lines": i.lines, "organisation": i.organisation,
                      "source_system": i.source_system, "recorded_at": i.recorded_at}
                     for i in timeline],
        "intelligence_withheld": not policy.can_see_intelligence(user),
        "public_protection_withheld": not policy.can_see_public_protection(user),
    }


@router.post("", response={201: PersonSummary, **ERRORS}, summary="Record a new person")
def create_person(request: HttpRequest, payload: PersonIn) -> Any:
    user = acting_user(request)
    policy.require_statutory_case_worker(user, "can record a new person")
    assert user.organisation is not None
    partnership = user.organisation.partnership
    fields = payload.dict()
    district_id = fields.pop("district_id")
    if district_id is not None:
        district = partnership.districts.filter(pk=district_id).first()
        if district is None:
            from iom.core.errors import DomainError

            raise DomainError.on_field("district_id", "No such district in your partnership.")
        fields["district"] = district
    fields["partnership"] = partnership
    nominal = services.create_nominal(acting_user=user, fields=fields, allocate_to=user,
                                      through=through_of(request),
                                      can_see=policy.sees_nominal(user))
    return Status(201, _summary(nominal))


@router.post("/{person_id}/records/{kind}", response={201: RecordOut, **ERRORS},
             summary="Add a record to a person's history")
def add_record(request: HttpRequest, person_id: int,
               kind: Literal["event", "case_date", "wanted_missing", "custody", "order",
                             "protection", "intelligence", "alias", "address", "flag"],
               payload: RecordIn) -> Any:
    user = acting_user(request)
    nominal = policy.access_nominal_for_change(user, person_id, kind)
    why = reason_for(user, nominal, stated_reason(request))
    record = services.add_record(nominal=nominal, kind=kind, acting_user=user,
                                 fields=payload.fields, reason=why,
                                 through=through_of(request))
    return Status(201, {"kind": kind, "id": record.pk})


@router.post("/{person_id}/convictions/{event_id}/ogrs3-category",
             response={200: Ogrs3CategoryOut, **ERRORS},
             summary="Record the exact OGRS 3 offence category of a conviction")
def set_conviction_ogrs3_category(request: HttpRequest, person_id: int, event_id: int,
                                  payload: Ogrs3CategoryIn) -> Any:
    """For a conviction whose Home Office code covers more than one OGRS 3 category
    (92A: supply or production). The same service as the conviction's page: who may
    change the person's convictions may do it, the category is checked against the
    code, the user and time are kept with it, and the person's scores read it from now
    on (``GET /api/scores/people/{person_id}``)."""
    user = acting_user(request)
    nominal = policy.access_nominal_for_change(user, person_id, "event")
    why = reason_for(user, nominal, stated_reason(request))
    event = nominal.events.filter(pk=event_id, kind=EventKind.CONVICTION).first()
    if event is None:
        raise NotFound("No such conviction of this person.")
    saved = services.set_ogrs3_category(event=event, category=payload.ogrs3_category,
                                        acting_user=user, through=through_of(request),
                                        reason=why)
    return {"id": saved.pk, "person_id": nominal.pk, "ho_code": saved.ho_code,
            "ogrs3_category": saved.ogrs3_category,
            "ogrs3_category_name": ogrs3_category_names().get(saved.ogrs3_category, ""),
            "ogrs3_category_source": saved.ogrs3_category_source,
            "ogrs3_category_set_at": saved.ogrs3_category_set_at,
            "allowed_categories": list(ogrs3_categories_for(saved.ho_code))}
