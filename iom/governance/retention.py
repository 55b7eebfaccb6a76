"""Retention and disposal of a person's records (000 ISA s8; College of Policing MoPI).

The rule, per person (figures from ``retention.toml``, or IOM_RETENTION_FILE):

1. The retention group: 1 with any public protection record (MAPPA, sex-offender
   registration); 2 with an offence whose Home Office category is configured as
   serious (violence, sexual offences, robbery, weapons); 3 otherwise.
2. "Last came to notice": the latest of their offending events, custody starts
   and releases, order starts and ends, wanted or missing periods, intelligence
   and public protection records; for a person with none of these, when they were
   first recorded here.
3. The next review: the last time they came to notice plus the group's period,
   or the date a "retain" decision set (else its decision day plus the period).
4. The verdict on a day: "held" under a legal hold (the newest decision); "keep"
   while the person's records are in live use (an open IOM case), and before the
   next review, and always for group 1 before age 100; "dispose" when a
   review decided so, or when the review is due in a group disposed of without
   review (group 3); "review" otherwise (the DPO's queue).

``verdict`` is the rule for one person; ``assess_frame`` is its Polars twin for
the whole partnership (the dry run over a million people, bench/retention_dry_run.py).
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import IntegrityError, connections, models, transaction
from django.db.models import Exists, Max, OuterRef
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone

from iom.accounts.models import Organisation, User
from iom.audit.models import Action
from iom.audit.services import RecordRef, record_access
from iom.core.errors import DomainError
from iom.people.models import (
    CustodyPeriod,
    Intelligence,
    Nominal,
    OffendingEvent,
    OrderLicence,
    PublicProtection,
    WantedMissing,
)
from iom.people.offences import CODES_CSV

from .models import Involvement, RetentionDecision, RetentionOutcome, Tombstone
from .subject_access import HOLDINGS

DEFAULT_FILE = Path(__file__).with_name("retention.toml")
VERDICTS = ("keep", "review", "dispose", "held")


@dataclass(frozen=True)
class GroupRule:
    number: int
    label: str
    review_every_years: int
    dispose_without_review: bool
    keep_until_age: int | None = None


@dataclass(frozen=True)
class RetentionRules:
    groups: dict[int, GroupRule]
    serious_categories: tuple[str, ...]
    partner_days: int
    partner_action: str


@cache
def rules() -> RetentionRules:
    path = Path(getattr(settings, "IOM_RETENTION_FILE", "") or DEFAULT_FILE)
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    groups = {}
    for key, table in raw["groups"].items():
        number = int(key)
        groups[number] = GroupRule(number=number, label=str(table["label"]),
                                   review_every_years=int(table["review_every_years"]),
                                   dispose_without_review=bool(table["dispose_without_review"]),
                                   keep_until_age=table.get("keep_until_age"))
    if set(groups) != {1, 2, 3}:
        raise ValueError(f"{path}: groups 1, 2 and 3 must each be configured")
    partners = raw.get("partners", {})
    action = str(partners.get("action", "destroy"))
    if action not in {"destroy", "hand_to_lead"}:
        raise ValueError(f"{path}: [partners] action must be destroy or hand_to_lead")
    return RetentionRules(groups=groups,
                          serious_categories=tuple(raw["groups"]["2"].get("categories", [])),
                          partner_days=int(partners.get("days_after_involvement", 90)),
                          partner_action=action)


@cache
def serious_codes() -> frozenset[str]:
    prefixes = rules().serious_categories
    with CODES_CSV.open(encoding="utf-8") as handle:
        return frozenset(row["ho_code"] for row in csv.DictReader(handle)
                         if row["category"].startswith(prefixes))


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in other years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# The rule for one person -------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    date_of_birth: date
    has_protection: bool
    serious: bool
    last_came_to_notice: date
    decision: str | None = None  # the newest decision's outcome
    decided_on: date | None = None
    review_again_on: date | None = None
    in_use: bool = False  # an open case or other live work keeps the person


@dataclass(frozen=True)
class Assessment:
    group: int
    next_review: date
    verdict: str


def group_of(has_protection: bool, serious: bool) -> int:
    return 1 if has_protection else 2 if serious else 3


def assess(facts: Facts, today: date, given: RetentionRules | None = None) -> Assessment:
    r = given or rules()
    group = group_of(facts.has_protection, facts.serious)
    rule = r.groups[group]
    if facts.decision == RetentionOutcome.RETAIN and facts.decided_on is not None:
        next_review = facts.review_again_on or add_years(facts.decided_on,
                                                         rule.review_every_years)
    else:
        next_review = add_years(facts.last_came_to_notice, rule.review_every_years)
    return Assessment(group, next_review, _verdict(facts, rule, today, next_review))


def _verdict(facts: Facts, rule: GroupRule, today: date, next_review: date) -> str:
    due = today >= next_review
    if facts.decision == RetentionOutcome.LEGAL_HOLD:
        verdict = "held"
    elif facts.in_use:
        verdict = "keep"
    elif rule.keep_until_age and today < add_years(facts.date_of_birth, rule.keep_until_age):
        verdict = "review" if due else "keep"
    elif facts.decision == RetentionOutcome.DISPOSE:
        verdict = "dispose"
    elif not due:
        verdict = "keep"
    elif rule.dispose_without_review and facts.decision != RetentionOutcome.RETAIN:
        verdict = "dispose"
    else:
        verdict = "review"
    return verdict


# Its Polars twin ------------------------------------------------------------------------


def _add_years_expr(column: pl.Expr, years: pl.Expr) -> pl.Expr:
    return column.dt.offset_by(years.cast(pl.Utf8) + "y")


def assess_frame(people: pl.DataFrame, today: date,
                 given: RetentionRules | None = None) -> pl.DataFrame:
    """The same rule over a frame with the ``Facts`` columns (and ``nominal_id``)."""
    r = given or rules()
    group = (pl.when(pl.col("has_protection")).then(1)
             .when(pl.col("serious")).then(2).otherwise(3))
    years = pl.col("group").replace_strict({g: x.review_every_years for g, x in r.groups.items()},
                                           return_dtype=pl.Int32)
    without_review = pl.col("group").replace_strict(
        {g: x.dispose_without_review for g, x in r.groups.items()}, return_dtype=pl.Boolean)
    keep_age = pl.col("group").replace_strict(
        {g: x.keep_until_age or 0 for g, x in r.groups.items()}, return_dtype=pl.Int32)
    retained = (pl.col("decision") == RetentionOutcome.RETAIN) & pl.col("decided_on").is_not_null()
    frame = people.with_columns(group=group.cast(pl.Int32)).with_columns(
        next_review=pl.when(retained).then(pl.coalesce(
            pl.col("review_again_on"), _add_years_expr(pl.col("decided_on"), years)))
        .otherwise(_add_years_expr(pl.col("last_came_to_notice"), years)),
        too_young=(keep_age > 0) & (pl.lit(today) < _add_years_expr(pl.col("date_of_birth"),
                                                                    keep_age)))
    due = pl.lit(today) >= pl.col("next_review")
    decision = pl.col("decision").fill_null("")
    in_use = (pl.col("in_use").fill_null(False) if "in_use" in people.columns
              else pl.lit(False))
    verdict = (pl.when(decision == RetentionOutcome.LEGAL_HOLD).then(pl.lit("held"))
               .when(in_use).then(pl.lit("keep"))
               .when(pl.col("too_young")).then(pl.when(due).then(pl.lit("review"))
                                               .otherwise(pl.lit("keep")))
               .when(decision == RetentionOutcome.DISPOSE).then(pl.lit("dispose"))
               .when(~due).then(pl.lit("keep"))
               .when(without_review & (decision != RetentionOutcome.RETAIN))
               .then(pl.lit("dispose"))
               .otherwise(pl.lit("review")))
    return frame.with_columns(verdict=verdict).drop("too_young")


# Reading the facts from the database -------------------------------------------------------


NOTICE_DATES: tuple[tuple[type[models.Model], str], ...] = (
    (OffendingEvent, "event_date"), (CustodyPeriod, "start_date"),
    (CustodyPeriod, "actual_release_date"), (OrderLicence, "start_date"),
    (OrderLicence, "end_date"), (WantedMissing, "start_date"),
    (Intelligence, "recorded_date"), (PublicProtection, "start_date"),
)
InUse = Callable[[models.QuerySet[Nominal]], Iterable[int]]
IN_USE: list[InUse] = []


def keep_while_in_use(finder: InUse) -> None:
    """Register ``finder(people) -> ids`` of people whose records are in live use (an
    open case), whom no retention run disposes of, once."""
    if finder not in IN_USE:
        IN_USE.append(finder)


FACT_SCHEMA = {"nominal_id": pl.Int64, "date_of_birth": pl.Date, "has_protection": pl.Boolean,
               "serious": pl.Boolean, "last_came_to_notice": pl.Date, "decision": pl.Utf8,
               "decided_on": pl.Date, "review_again_on": pl.Date, "in_use": pl.Boolean}


def _read(query: models.QuerySet[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """The rows of a ``values_list`` query as a frame, fetched with the database's own
    means (PostgreSQL's COPY as CSV, SQLite's cursor), not a model or a Python object
    per value through the ORM: a million rows in seconds. Dates and times arrive as
    text on both, and end as the schema says."""
    sql, params = query.query.sql_with_params()
    connection = connections[query.db]
    names = list(schema)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg import ClientCursor

            literal = ClientCursor(cursor.connection).mogrify(sql, params)
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY ({literal}) TO STDOUT WITH (FORMAT csv)") as copy:
                for block in copy:
                    buffer.write(block)
            if not buffer.getbuffer().nbytes:
                return pl.DataFrame(schema=schema)
            buffer.seek(0)
            text = pl.read_csv(buffer, has_header=False, new_columns=names,
                               infer_schema=False)
            columns: list[Any] = [text[n] for n in names]
        else:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            if not rows:
                return pl.DataFrame(schema=schema)
            columns = [pl.Series(n, v, strict=False)
                       for n, v in zip(names, zip(*rows, strict=True), strict=True)]
    return pl.DataFrame({s.name: _typed(s, schema[s.name]) for s in columns})


def _typed(series: pl.Series, kind: Any) -> pl.Series:
    if series.dtype == pl.Utf8 and kind == pl.Date:
        return series.str.slice(0, 10).str.to_date("%Y-%m-%d")
    if series.dtype == pl.Utf8 and isinstance(kind, pl.Datetime):
        return series.str.slice(0, 19).str.to_datetime("%Y-%m-%d %H:%M:%S", time_zone="UTC")
    if isinstance(kind, pl.Datetime) and isinstance(series.dtype, pl.Datetime):
        return (series.dt.convert_time_zone("UTC")
                if series.dtype.time_zone
                else series.dt.replace_time_zone("UTC"))
    return series.cast(kind)


def _ids(query: models.QuerySet[Any]) -> pl.Series:
    found = _read(query.order_by().values_list("nominal_id").distinct(),
                  {"nominal_id": pl.Int64})
    return found["nominal_id"]


def facts_frame(people: models.QuerySet[Nominal]) -> pl.DataFrame:
    """Each person's facts for the rule: one grouped query per table, fetched with the
    database cursor and joined in Polars (not a correlated subquery per person, nor a
    Python object per row), so a million people read in seconds."""
    base = _read(people.order_by().values_list("pk", "date_of_birth", "recorded_at"),
                 {"nominal_id": pl.Int64, "date_of_birth": pl.Date,
                  "recorded_at": pl.Datetime(time_zone="UTC")})
    base = base.with_columns(recorded_on=pl.col("recorded_at").dt.date(),
                             last_came_to_notice=pl.lit(None, pl.Date)).drop("recorded_at")
    ours = {"nominal__in": people.values("pk")}
    for model, field in NOTICE_DATES:
        latest = _read(model._default_manager.filter(**ours)
                       .exclude(**{f"{field}__isnull": True})
                       .order_by().values("nominal_id").annotate(x=Max(field))
                       .values_list("nominal_id", "x"),
                       {"nominal_id": pl.Int64, "x": pl.Date})
        if latest.is_empty():
            continue
        base = base.join(latest, on="nominal_id", how="left").with_columns(
            last_came_to_notice=pl.max_horizontal("last_came_to_notice", "x")).drop("x")
    protected = _ids(PublicProtection.objects.filter(**ours))
    serious = _ids(OffendingEvent.objects.filter(**ours, ho_code__in=serious_codes()))
    decisions: dict[int, tuple[str, date, date | None]] = {}
    for nominal_id, outcome, at, again in (RetentionDecision.objects.filter(**ours)
                                           .order_by("decided_at", "id").values_list(
                                               "nominal_id", "outcome", "decided_at",
                                               "review_again_on").iterator()):
        decisions[nominal_id] = (outcome, timezone.localdate(at), again)  # newest wins
    decided = pl.DataFrame([(k, *v) for k, v in decisions.items()],
                           schema={"nominal_id": pl.Int64, "decision": pl.Utf8,
                                   "decided_on": pl.Date, "review_again_on": pl.Date},
                           orient="row")
    # Being recorded here is not coming to notice; only a person with no dated record
    # counts from when they were first recorded.
    base = base.with_columns(last_came_to_notice=pl.coalesce("last_came_to_notice",
                                                             "recorded_on")).drop("recorded_on")
    in_use = pl.Series("in_use", sorted({i for f in IN_USE for i in f(people)}),
                       dtype=pl.Int64)
    return (base.with_columns(has_protection=pl.col("nominal_id").is_in(protected.implode()),
                              serious=pl.col("nominal_id").is_in(serious.implode()),
                              in_use=pl.col("nominal_id").is_in(in_use.implode()))
            .join(decided, on="nominal_id", how="left").select(list(FACT_SCHEMA)))


def assess_people(people: models.QuerySet[Nominal], today: date | None = None) -> pl.DataFrame:
    return assess_frame(facts_frame(people), today or timezone.localdate())


# Decisions and disposal ------------------------------------------------------------------


@transaction.atomic
def decide(*, nominal: Nominal, outcome: str, reason: str, acting_user: User | None,
           through: str, review_again_on: date | None = None) -> RetentionDecision:
    if outcome not in RetentionOutcome.values:
        raise DomainError.on_field("outcome", f"{outcome!r} is not a retention decision.")
    if len(reason.strip()) < 10:
        raise DomainError.on_field("reason", "Record the reason for the decision (at least "
                                   "10 characters).")
    if review_again_on and review_again_on <= timezone.localdate():
        raise DomainError.on_field("review_again_on", "The next review must be after today.")
    decision = RetentionDecision.objects.create(
        nominal=nominal, outcome=outcome, reason=reason.strip(),
        review_again_on=review_again_on if outcome == RetentionOutcome.RETAIN else None,
        decided_by=acting_user)
    record_access(user=acting_user, action=Action.CREATE, through=through,
                  nominal_id=nominal.pk, records=[RecordRef("retention_decision", decision.pk)],
                  reason=reason.strip(), detail={"new": {"outcome": outcome,
                                                         "review_again_on": review_again_on}})
    return decision


class DisposalRefused(DomainError):
    pass


@transaction.atomic
def dispose_of(nominal: Nominal, *, group: int, last_came_to_notice: date, rule: str,
               acting_user: User | None, through: str) -> Tombstone:
    """Delete the person and everything held about them; leave a tombstone.

    Each app's holdings (``hold_for_subject_access``) are deleted, in as many passes
    as the references between them need; anything still referring to the person
    refuses the whole disposal (nothing is half-deleted). The access log is not
    touched, so it stays verifiable; the disposal is logged as an erasure naming
    what kinds and how many, never what they said.
    """
    locked = Nominal.objects.select_for_update().get(pk=nominal.pk)
    erased: dict[str, int] = {}
    waiting = list(HOLDINGS.items())
    for _ in range(len(waiting) + 1):
        blocked = []
        for kind, rows in waiting:
            found = rows(locked)
            count = found.count() if isinstance(found, models.QuerySet) else len(list(found))
            if not count:
                continue
            try:
                with transaction.atomic():
                    _delete(found)
            except (ProtectedError, RestrictedError, IntegrityError):
                blocked.append((kind, rows))
                continue
            erased[kind] = erased.get(kind, 0) + count
        waiting = blocked
        if not waiting:
            break
    if waiting:
        raise DisposalRefused(f"Person {nominal.pk} could not be disposed of: "
                              f"{', '.join(k for k, _ in waiting)} still refer to them.")
    partnership_id = locked.partnership_id
    try:
        with transaction.atomic():
            locked.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise DisposalRefused(f"Person {nominal.pk} could not be disposed of: records not "
                              f"registered for disposal still refer to them ({exc}).") from exc
    erased["person"] = 1
    tombstone = Tombstone.objects.create(
        nominal_id=nominal.pk, partnership_id=partnership_id, retention_group=group,
        last_came_to_notice=last_came_to_notice, rule=rule[:200], erased=erased,
        disposed_by=(acting_user.get_username() if acting_user else through)[:200])
    record_access(user=acting_user, action=Action.DELETE, through=through,
                  nominal_id=nominal.pk, records=[RecordRef("tombstone", tombstone.pk)],
                  reason=f"Retention: {rule}", detail={"erasure": True, "erased": erased})
    return tombstone


def _delete(found: Any) -> None:
    if isinstance(found, models.QuerySet):
        found.delete()
    else:
        for row in found:
            row.delete()


# A partner's own records after its involvement ends -------------------------------------

PartnerRecords = Callable[[Nominal, Organisation, str, Organisation | None], int]
PARTNER_RECORDS: list[PartnerRecords] = []


def handle_partner_records_with(handler: PartnerRecords) -> None:
    """Register ``handler(nominal, partner, action, lead) -> how many records``, once."""
    if handler not in PARTNER_RECORDS:
        PARTNER_RECORDS.append(handler)


LeadAgency = Callable[[Nominal], Organisation | None]
LEAD_AGENCIES: list[LeadAgency] = []


def lead_agency_with(finder: LeadAgency) -> None:
    if finder not in LEAD_AGENCIES:
        LEAD_AGENCIES.append(finder)


def ended_involvements(today: date, days: int) -> list[Involvement]:
    """Non-statutory partners' involvements ended more than ``days`` ago, with no
    current or later involvement of that partner with the person."""
    cutoff = date.fromordinal(today.toordinal() - days)
    later = Involvement.objects.filter(nominal=OuterRef("nominal"),
                                       organisation=OuterRef("organisation")).exclude(
        end_date__isnull=False, end_date__lt=cutoff)
    return list(Involvement.objects.filter(end_date__lt=cutoff, organisation__is_statutory=False)
                .exclude(Exists(later)).select_related("nominal", "organisation"))


@transaction.atomic
def settle_partner_records(involvement: Involvement, *, action: str, through: str,
                           dry_run: bool) -> int:
    nominal, partner = involvement.nominal, involvement.organisation
    lead = next((found for f in LEAD_AGENCIES if (found := f(nominal)) is not None),
                nominal.originating_organisation)
    if dry_run:
        with transaction.atomic():
            count = sum(h(nominal, partner, action, lead) for h in PARTNER_RECORDS)
            transaction.set_rollback(True)
        return count
    count = sum(h(nominal, partner, action, lead) for h in PARTNER_RECORDS)
    if count:
        record_access(user=None, action=Action.DELETE if action == "destroy" else Action.UPDATE,
                      through=through, nominal_id=nominal.pk,
                      records=[RecordRef("involvement", involvement.pk)],
                      reason=f"Retention: {partner}'s involvement ended "
                             f"{involvement.end_date}",
                      detail={"erasure": action == "destroy", "partner": partner.name,
                              "action": action, "records": count,
                              "handed_to": lead.name if action == "hand_to_lead" and lead
                              else None})
    return count
