"""Subject access (DPA 2018 Part 3 s45): the due date, the review and the export.

The due date (docs/governance.md): one calendar month from the day the request is
received, as the ICO counts it. The month runs to the same day number of the next
month; where that month is shorter, to its last day (31 January -> 28 or 29
February); where that day is a Saturday, Sunday or bank holiday in England and
Wales, to the next working day.

The export gathers every record held on the person across the apps. Governance
imports no app to its right, so each app registers what it holds about a person
with ``hold_for_subject_access(kind, rows)`` in its ``ready()``; the people records,
consent, involvement and corrections are registered here. Each record carries its
source organisation, source system and dates, and the organisations it was
disclosed to (from the access log). Items the DPO withholds (s45(4)) never reach
the output; the export says that information was withheld only where every
withholding allows saying so (s45(5)).
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

import holidays
from django.db import models, transaction
from django.utils import timezone

from iom.accounts.models import District, Organisation, Partnership, User
from iom.audit.chain import canonical
from iom.audit.models import AccessLogEntry, Action
from iom.audit.services import RecordRef, record_access
from iom.core.errors import DomainError, Forbidden
from iom.people.models import Nominal

from .models import RequestState, SubjectAccessRequest, Withholding
from .policy import SYSTEM_SIGHT, Sight

SCHEMA_VERSION = 1
# Fields never put in an export: internal keys, file bytes and digests of them.
SKIPPED_FIELDS = frozenset({"id", "nominal", "content", "sha256", "data", "key_hash",
                            "version", "prev_hash", "hash"})
# Kinds the review page suggests a DPO looks at before disclosing (s45(4)): police
# intelligence may identify a source; public protection work may be prejudiced.
REVIEW_SUGGESTED = frozenset({"intelligence", "protection"})


# The due date -------------------------------------------------------------------------


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def due_date(received_on: date) -> date:
    """One calendar month from receipt, rolled on to a working day (see the module)."""
    year, month = ((received_on.year + 1, 1) if received_on.month == 12
                   else (received_on.year, received_on.month + 1))
    due = date(year, month, min(received_on.day, calendar.monthrange(year, month)[1]))
    while not is_working_day(due):
        due += timedelta(days=1)
    return due


# What each app holds -----------------------------------------------------------------

Rows = Callable[[Nominal], Iterable[models.Model]]
HOLDINGS: dict[str, Rows] = {}


def hold_for_subject_access(kind: str, rows: Rows) -> None:
    """Register the rows an app holds about a person, under a kind name, once."""
    HOLDINGS.setdefault(kind, rows)


@dataclass
class HeldRecord:
    kind: str
    id: str
    source_organisation: str
    source_system: str
    recorded_at: str | None
    fields: dict[str, Any]
    disclosed_to: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.id)

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id,
                "source_organisation": self.source_organisation,
                "source_system": self.source_system, "recorded_at": self.recorded_at,
                "disclosed_to": self.disclosed_to, "fields": self.fields}


_WHEN = ("recorded_at", "created_at", "generated_at", "opened_at", "decided_at", "computed_at",
         "corrected_at", "at", "raised_at", "changed_at")
_FROM = ("originating_organisation", "organisation", "lead_agency", "referring_organisation")


NAMED = (Organisation, District, Partnership)  # references shown by name, read once


def _names() -> dict[type[models.Model], dict[int, str]]:
    return {model: dict(model._default_manager.values_list("pk", "name")) for model in NAMED}


def _field_value(row: models.Model, f: models.Field[Any, Any],
                 names: dict[type[models.Model], dict[int, str]]) -> tuple[bool, Any]:
    if f.name in SKIPPED_FIELDS or isinstance(f, models.BinaryField):
        return False, None
    value = getattr(row, f.attname)
    if isinstance(f, models.ForeignKey):
        target = f.related_model
        if target is User or (isinstance(target, type) and issubclass(target, User)):
            return False, None  # staff are named by their organisation only
        if target in names:
            return True, names[target].get(value) if value is not None else None
        return True, value  # another record's id: no query per row
    if f.choices and value not in (None, ""):
        return True, dict(f.flatchoices).get(value, value)
    return True, value


def to_held(kind: str, row: models.Model,
            names: dict[type[models.Model], dict[int, str]] | None = None) -> HeldRecord:
    names = names if names is not None else _names()
    fields: dict[str, Any] = {}
    for f in row._meta.concrete_fields:
        keep, value = _field_value(row, f, names)
        if keep:
            fields[f.name] = value
    origin = next((names[Organisation].get(getattr(row, f"{name}_id")) for name in _FROM
                   if getattr(row, f"{name}_id", None) is not None), None)
    when = next((getattr(row, name) for name in _WHEN if isinstance(getattr(row, name, None),
                                                                       datetime)), None)
    system = getattr(row, "source_system", "") or "iom"
    return HeldRecord(kind=kind, id=str(row.pk), source_organisation=str(origin or ""),
                      source_system=str(system), recorded_at=when.isoformat() if when else None,
                      fields=canonical(fields))


def held_records(nominal: Nominal, *, sight: Sight) -> list[HeldRecord]:
    """Every record held on the person, each with whom it was disclosed to. Only for a
    reader whose sight of the person is full (policy rule 8: the DPO on an open request,
    or the command run by the operator): the pack is everything or nothing."""
    if not sight.is_full:
        raise Forbidden("Only a data-protection officer with an open subject access request "
                        "for this person sees everything held on them.")
    names = _names()
    found = [to_held("person", nominal, names)]
    for kind, rows in HOLDINGS.items():
        found += [to_held(kind, row, names) for row in rows(nominal)]
    disclosed = disclosures_of(nominal)
    for record in found:
        kind = "nominal" if record.kind == "person" else record.kind
        record.disclosed_to = sorted(disclosed.get((kind, record.id), ()))
    return found


def disclosures_of(nominal: Nominal) -> dict[tuple[str, str], set[str]]:
    """Which organisations read or received each record, from the access log."""
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    entries = AccessLogEntry.objects.filter(nominal_id=nominal.pk).exclude(organisation="")
    for organisation, records in entries.values_list("organisation", "records").iterator():
        for ref in records:
            out[(str(ref.get("kind")), str(ref.get("id")))].add(organisation)
    return out


# Requests and the review -------------------------------------------------------------


@transaction.atomic
def open_request(*, nominal: Nominal, received_on: date, acting_user: User | None,
                 through: str, note: str = "") -> SubjectAccessRequest:
    if received_on > timezone.localdate():
        raise DomainError.on_field("received_on", "The date received cannot be in the future.")
    request = SubjectAccessRequest.objects.create(
        nominal=nominal, received_on=received_on, due_on=due_date(received_on),
        requester_note=note, opened_by=acting_user)
    record_access(user=acting_user, action=Action.CREATE, through=through,
                  nominal_id=nominal.pk, records=[RecordRef("subject_access", request.pk)],
                  detail={"new": {"received_on": received_on, "due_on": request.due_on}})
    return request


@transaction.atomic
def withhold(*, request: SubjectAccessRequest, kind: str, record_id: str, reason: str,
             may_say_withheld: bool, acting_user: User | None, through: str) -> Withholding:
    if request.state != RequestState.OPEN:
        raise DomainError("This request has been disclosed: open a new one to change it.")
    if len(reason.strip()) < 10:
        raise DomainError.on_field("reason", "Record why disclosure would prejudice a purpose "
                                   "in s45(4) (at least 10 characters).")
    held = {r.key for r in held_records(request.nominal, sight=SYSTEM_SIGHT)}
    if (kind, str(record_id)) not in held:
        raise DomainError.on_field("record", "No such record is held on this person.")
    found, _ = Withholding.objects.update_or_create(
        request=request, kind=kind, record_id=str(record_id),
        defaults={"reason": reason.strip(), "may_say_withheld": may_say_withheld,
                  "decided_by": acting_user, "decided_at": timezone.now()})
    record_access(user=acting_user, action=Action.UPDATE, through=through,
                  nominal_id=request.nominal_id,
                  records=[RecordRef("subject_access", request.pk), RecordRef(kind, record_id)],
                  reason=reason.strip(), detail={"withheld": True})
    return found


@transaction.atomic
def release(*, request: SubjectAccessRequest, kind: str, record_id: str,
            acting_user: User | None, through: str) -> None:
    if request.state != RequestState.OPEN:
        raise DomainError("This request has been disclosed.")
    request.withholdings.filter(kind=kind, record_id=str(record_id)).delete()
    record_access(user=acting_user, action=Action.UPDATE, through=through,
                  nominal_id=request.nominal_id,
                  records=[RecordRef("subject_access", request.pk), RecordRef(kind, record_id)],
                  detail={"withheld": False})


# The export ---------------------------------------------------------------------------


@dataclass
class Export:
    subject: dict[str, Any]
    records: list[HeldRecord]
    withheld_count: int
    say_withheld: bool
    generated_at: datetime
    request: SubjectAccessRequest | None

    def as_json(self) -> dict[str, Any]:
        return {
            "schema": "iom-subject-access", "schema_version": SCHEMA_VERSION,
            "generated_at": self.generated_at.isoformat(),
            "subject": self.subject,
            "request": None if self.request is None else {
                "received_on": self.request.received_on.isoformat(),
                "due_on": self.request.due_on.isoformat()},
            "information_withheld": self.say_withheld,
            "records": [r.as_json() for r in self.records],
        }


def build_export(nominal: Nominal, request: SubjectAccessRequest | None = None, *,
                 sight: Sight) -> Export:
    """The export for the person, with the request's withheld items left out."""
    withheld = list(request.withholdings.all()) if request else []
    out = {(w.kind, w.record_id) for w in withheld}
    records = [r for r in held_records(nominal, sight=sight) if r.key not in out]
    return Export(
        subject={"name": nominal.full_name, "date_of_birth": nominal.date_of_birth.isoformat(),
                 "pnc_id": nominal.pnc_id, "crn": nominal.crn},
        records=records, withheld_count=len(withheld),
        say_withheld=bool(withheld) and all(w.may_say_withheld for w in withheld),
        generated_at=timezone.now(), request=request)


def log_disclosure(export: Export, *, nominal: Nominal, acting_user: User | None,
                   through: str, fmt: str) -> None:
    refs = [RecordRef("nominal" if r.kind == "person" else r.kind, r.id) for r in export.records]
    if export.request is not None:
        refs.append(RecordRef("subject_access", export.request.pk))
    record_access(user=acting_user, action=Action.EXPORT, through=through,
                  nominal_id=nominal.pk, records=refs,
                  reason="Subject access request (DPA 2018 s45)",
                  detail={"format": fmt, "records": len(export.records),
                          "withheld": export.withheld_count})


@transaction.atomic
def mark_answered(request: SubjectAccessRequest, *, acting_user: User | None,
                  through: str) -> None:
    """The response has gone to the person: the request is closed as disclosed, its
    withholdings are fixed, and the DPO's full sight of the person ends (policy rule 8).
    Downloading the pack does not close it, so the PDF and the ZIP can both be taken."""
    if request.state != RequestState.OPEN:
        raise DomainError("This request has already been answered.")
    request.state = RequestState.DISCLOSED
    request.disclosed_at = timezone.now()
    request.save(update_fields=["state", "disclosed_at"])
    record_access(user=acting_user, action=Action.UPDATE, through=through,
                  nominal_id=request.nominal_id,
                  records=[RecordRef("subject_access", request.pk)],
                  detail={"answered": True})


def export_json(export: Export) -> bytes:
    return json.dumps(export.as_json(), indent=2, default=str).encode()


SCHEMA_DOC = {
    "schema": "iom-subject-access", "schema_version": SCHEMA_VERSION,
    "top_level": {"generated_at": "ISO date-time", "subject": "name, date_of_birth, pnc_id, crn",
                  "request": "received_on and due_on, or null",
                  "information_withheld": "true when some information was withheld and the "
                                          "law allows saying so",
                  "records": "list of records"},
    "record": {"kind": "the kind of record (person, event, address, consent, ...)",
               "id": "its identifier in the system, as text",
               "source_organisation": "the organisation that supplied it",
               "source_system": "the system it came from", "recorded_at": "ISO date-time or null",
               "disclosed_to": "organisations that read or received it (access log)",
               "fields": "the record's own values"},
}


def export_zip(export: Export) -> bytes:
    """The machine-readable pack: the JSON, its schema, and a CSV per kind."""
    buffer = io.BytesIO()
    by_kind: dict[str, list[HeldRecord]] = defaultdict(list)
    for record in export.records:
        by_kind[record.kind].append(record)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        pack.writestr("subject-access.json", export_json(export))
        pack.writestr("schema.json", json.dumps(SCHEMA_DOC, indent=2))
        for kind, records in sorted(by_kind.items()):
            names = sorted({k for r in records for k in r.fields})
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow(["id", "source_organisation", "source_system", "recorded_at",
                             "disclosed_to", *names])
            for r in records:
                writer.writerow([r.id, r.source_organisation, r.source_system, r.recorded_at,
                                 "; ".join(r.disclosed_to),
                                 *(_csv_cell(r.fields.get(n)) for n in names)])
            pack.writestr(f"{kind}.csv", text.getvalue())
    return buffer.getvalue()


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text  # no formulas in Excel
