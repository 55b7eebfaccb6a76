"""Corrections and withdrawals by the organisation that supplied a record (000 s7).

1. Only the originating organisation's statutory case workers correct or withdraw
   a record it supplied (and only records they may see: intelligence and public
   protection need that sight).
2. The values before and after are kept (``RecordCorrection``); a withdrawn record
   leaves the person's history and its last values stay in the correction.
3. Everyone who read the record, found in the access log from when it was first
   held, gets a notice in their inbox (and an e-mail when IOM_CORRECTION_EMAILS
   is on), saying which kind of record changed, for whom, and why.
4. Documents, agenda items and minutes that could have drawn on the record (made
   about the person after it was recorded) are marked, through the finders other
   apps register (governance imports none of them).
5. A record a feed supplied is told to that feed in its next run's report
   (``corrections_for_feed_report``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, models, transaction
from django.utils import timezone

from iom.accounts.models import User
from iom.audit.chain import canonical
from iom.audit.models import AccessLogEntry, Action
from iom.audit.services import RecordRef, record_access
from iom.core.errors import DomainError, Forbidden, NotFound
from iom.people.forms import RECORD_FIELDS
from iom.people.models import Nominal
from iom.people.services import RECORD_KINDS

from . import policy
from .models import Citation, CorrectionAction, Notice, NoticeKind, RecordCorrection
from .notices import _place, email_notice

CitationFinder = Callable[[RecordCorrection, models.Model], Iterable[tuple[str, int, str]]]
CITATION_FINDERS: list[CitationFinder] = []


def find_citations_with(finder: CitationFinder) -> None:
    """Register ``finder(correction, record) -> [(cited_in, id, label)]``, once."""
    if finder not in CITATION_FINDERS:
        CITATION_FINDERS.append(finder)


KIND_LABELS = {
    "event": "offending record", "case_date": "court or bail date",
    "wanted_missing": "wanted or missing record", "custody": "custody record",
    "order": "order or licence", "protection": "public protection record",
    "intelligence": "intelligence record", "alias": "alias", "address": "address",
    "flag": "warning flag",
}


def correctable_record(user: User, nominal: Nominal, kind: str,
                       record_id: int | str) -> models.Model:
    """The record, if the user's organisation supplied it and they may see it.

    NotFound when it is absent or hidden from the user (as a missing id); Forbidden
    when they may see it but another organisation supplied it.
    """
    if kind not in RECORD_KINDS:
        raise NotFound
    if kind == "intelligence" and not policy.can_see_intelligence(user):
        raise NotFound
    if kind == "protection" and not policy.can_see_public_protection(user):
        raise NotFound
    model = RECORD_KINDS[kind][0]
    try:
        record = model._default_manager.get(pk=int(record_id), nominal=nominal)
    except (ObjectDoesNotExist, ValueError) as exc:
        raise NotFound from exc
    if not policy.is_statutory_case_worker(user) or (
            user.organisation_id != record.originating_organisation_id):  # type: ignore[attr-defined]
        raise Forbidden(f"Only {record.originating_organisation} supplied this record, "  # type: ignore[attr-defined]
                        "so only they can correct or withdraw it.")
    return record


def current_values(kind: str, record: models.Model) -> dict[str, Any]:
    return {name: getattr(record, name) for name in RECORD_FIELDS[kind]}


def readers_of(nominal_id: int, kind: str, record_id: int) -> dict[int, str]:
    """Every user who read or received the record since it was first held, from the
    access log: user id to their organisation as the entry recorded it."""
    entries = AccessLogEntry.objects.filter(nominal_id=nominal_id, user_id__isnull=False)
    wanted = {"kind": kind, "id": record_id}
    if connection.vendor == "postgresql":
        entries = entries.filter(records__contains=[wanted])
        return {int(u or 0): o for u, o in entries.values_list("user_id", "organisation")
                .distinct()}
    found: dict[int, str] = {}
    for user_id, organisation, records in entries.values_list("user_id", "organisation",
                                                              "records").iterator():
        if any(r.get("kind") == kind and str(r.get("id")) == str(record_id) for r in records):
            found[int(user_id or 0)] = organisation
    return found


@transaction.atomic
def correct_record(*, user: User, nominal: Nominal, kind: str, record_id: int | str,
                   action: str, reason: str, through: str,
                   fields: dict[str, Any] | None = None) -> RecordCorrection:
    """Correct (new ``fields``) or withdraw a record; tell everyone who had it."""
    if action not in CorrectionAction.values:
        raise DomainError.on_field("action", f"{action!r} is neither correct nor withdraw.")
    if len(reason.strip()) < 10:
        raise DomainError.on_field("reason", "Say why the record is corrected or withdrawn "
                                   "(at least 10 characters): every reader is told.")
    record = correctable_record(user, nominal, kind, record_id)
    assert user.organisation is not None  # a statutory case worker, or refused above
    model = type(record)
    record = model._default_manager.select_for_update().get(pk=record.pk)
    before = current_values(kind, record)
    after: dict[str, Any] = {}
    if action == CorrectionAction.CORRECT:
        asked = {k: v for k, v in (fields or {}).items() if k in RECORD_FIELDS[kind]}
        unknown = sorted(set(fields or {}) - set(RECORD_FIELDS[kind]))
        if unknown:
            raise DomainError.on_field(unknown[0], f"{unknown[0]!r} is not a field of this "
                                       "record.")
        validate = RECORD_KINDS[kind][1]
        clean = validate({**before, **asked}, nominal=nominal)
        after = {k: v for k, v in clean.items() if k in before and before[k] != v}
        if not after:
            raise DomainError("Nothing was changed: enter the corrected values.")
        for name, value in after.items():
            setattr(record, name, value)
        record.save(update_fields=list(after))
    correction = RecordCorrection.objects.create(
        nominal=nominal, kind=kind, record_id=record.pk, action=action,
        previous=canonical({k: before[k] for k in (after or before)}),
        new=canonical(after), reason=reason.strip(), organisation=user.organisation,
        source_system=getattr(record, "source_system", ""),
        source_record_id=getattr(record, "source_record_id", ""), corrected_by=user)
    record_id_int = record.pk
    if action == CorrectionAction.WITHDRAW:
        record.delete()
    record_access(user=user, action=Action.DELETE if action == CorrectionAction.WITHDRAW
                  else Action.UPDATE, through=through, nominal_id=nominal.pk,
                  records=[RecordRef(kind, record_id_int),
                           RecordRef("correction", correction.pk)],
                  reason=reason.strip(),
                  detail={"correction": action, "changed": {
                      k: [before[k], after.get(k)] for k in (after or before)}})
    _tell_readers(correction, acting_user=user, through=through)
    _mark_citations(correction, record)
    return correction


def _tell_readers(correction: RecordCorrection, *, acting_user: User, through: str) -> int:
    readers = readers_of(correction.nominal_id, correction.kind, correction.record_id)
    readers.pop(acting_user.pk, None)
    users = User.objects.filter(pk__in=readers, is_active=True).select_related("organisation")
    label = KIND_LABELS.get(correction.kind, correction.kind)
    withdrawn = correction.action == CorrectionAction.WITHDRAW
    what = ("withdrawn" if withdrawn else
            "corrected (" + ", ".join(k.replace("_", " ") for k in correction.new) + ")")
    respond_by = timezone.localdate() + timedelta(days=settings.IOM_CORRECTION_NOTICE_DAYS)
    placed = 0
    for reader in users:
        notice = Notice(
            recipient=reader, nominal=correction.nominal, correction=correction,
            recipient_organisation=str(reader.organisation or readers[reader.pk]),
            kind=NoticeKind.WITHDRAWAL if withdrawn else NoticeKind.CORRECTION,
            key=f"correction:{correction.pk}", respond_by=respond_by,
            summary=(f"{correction.organisation} has {what} a {label} about "
                     f"{correction.nominal.full_name} that you received. Reason: "
                     f"{correction.reason}. Correct any copy you hold.")[:500])
        if _place(notice):
            placed += 1
            email_notice(notice)
    if placed:
        record_access(user=acting_user, action=Action.CREATE, through=through,
                      nominal_id=correction.nominal_id,
                      records=[RecordRef("correction", correction.pk)],
                      detail={"notice": "correction", "recipients": placed})
    return placed


def _mark_citations(correction: RecordCorrection, record: models.Model) -> None:
    for finder in CITATION_FINDERS:
        for cited_in, cited_id, label in finder(correction, record):
            Citation.objects.get_or_create(correction=correction, cited_in=cited_in,
                                           cited_id=cited_id, defaults={"label": label[:200]})


def citations_of(cited_in: str, cited_id: int) -> list[RecordCorrection]:
    """The corrections that mark a document, agenda item or minute."""
    return list(RecordCorrection.objects.filter(citations__cited_in=cited_in,
                                                citations__cited_id=cited_id).distinct())


def corrections_for_feed_report(source_system: str, *, partnership_id: int | None = None,
                                run_id: int | None = None, supplied: Iterable[str] = (),
                                rewritten: Iterable[str] = (),
                                through: str = "") -> list[RecordCorrection]:
    """The corrections that conflict with what a feed's file supplies; marked as told.

    Called by the feed's import, in its transaction, with the source record ids the
    file carries (``supplied``) and those whose values it changed (``rewritten``).
    A correction not yet told to the feed, of a record the file carries:

    - **overwritten**: the file changed the record and a corrected field no longer
      holds the corrected value. The corrected values are put back (a feed never
      silently overwrites a correction, 000 s7) and the conflict is reported.
    - **still supplied as before**: the file carries the record unchanged, so the
      source system still holds its earlier value. Reported.
    - **agreed**: the file changed the record to the corrected values. Nothing to
      tell; settled with this run.
    - a **withdrawal** of a record the file still carries is reported.

    A correction of a record the file does not carry waits for a run that does.
    """
    carried, changed = set(supplied), set(rewritten)
    pending = RecordCorrection.objects.filter(
        source_system=source_system, reported_to_feed_at__isnull=True,
        settled_in_run__isnull=True, source_record_id__in=carried)
    if partnership_id is not None:
        pending = pending.filter(nominal__partnership_id=partnership_id)
    conflicts, agreed = [], []
    for correction in pending.order_by("id"):
        if correction.action == CorrectionAction.WITHDRAW or correction.kind not in RECORD_KINDS:
            conflicts.append(correction)
            continue
        model = RECORD_KINDS[correction.kind][0]
        record = model._default_manager.select_for_update().filter(
            pk=correction.record_id).first()
        if record is None:
            continue
        holds = canonical({k: getattr(record, k) for k in correction.new})
        if holds != correction.new:
            _keep_correction(correction, record, through)
            conflicts.append(correction)
        elif correction.source_record_id in changed:
            agreed.append(correction.pk)
        else:
            conflicts.append(correction)
    now = timezone.now()
    if conflicts:
        RecordCorrection.objects.filter(pk__in=[c.pk for c in conflicts]).update(
            reported_to_feed_at=now, reported_in_run=run_id)
    if agreed:
        RecordCorrection.objects.filter(pk__in=agreed).update(settled_in_run=run_id or 0)
    return conflicts


def _keep_correction(correction: RecordCorrection, record: models.Model, through: str) -> None:
    """Put the corrected values back on a record a feed's file changed, and log it
    (kinds and ids only)."""
    for name, value in correction.new.items():
        setattr(record, name, value)  # the field turns the stored text back to its type
    record.save(update_fields=list(correction.new))
    record_access(user=None, action=Action.UPDATE, through=through or "feed import",
                  nominal_id=correction.nominal_id,
                  records=[RecordRef(correction.kind, correction.record_id),
                           RecordRef("correction", correction.pk)],
                  reason="A feed's file would have overwritten a corrected value (000 s7)",
                  detail={"kept_correction": True, "fields": sorted(correction.new)})


def corrections_reported_in(run_id: int) -> list[RecordCorrection]:
    return list(RecordCorrection.objects.filter(reported_in_run=run_id).select_related(
        "organisation").order_by("id"))


def notice_status(notice: Notice, today: Any = None) -> str:
    """outstanding, acknowledged or overdue, as the DPO's page shows them."""
    today = today or timezone.localdate()
    if notice.acknowledged_at is not None:
        return "acknowledged"
    if notice.respond_by and notice.respond_by < today:
        return "overdue"
    return "outstanding"
