"""The frames the impact measures read, for one partnership, from the database.

Everything is read for the partnership of the scope and leaves this app only
as aggregates (``pack.build_pack``). Who may ask is decided by
``policy.can_view_impact`` / ``policy.can_view_board_pack`` in the views and API.

The comparison pool (docs/reporting.md, "Who is compared"): people of the
partnership who met the scheme policy (a cohort type fully met) on the first
day of the period and had not been placed on a cohort by the report date; their
index date is that first day. Cohort members are the people placed in the
period, with their first placement in it as their index date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import polars as pl
from django.db.models import Min, Q, QuerySet

from iom.accounts.models import District, Partnership
from iom.casework.compliance import (
    deregistration_items,
    engagement_items,
    plan_items,
    tag_audit_items,
    threat_items,
)
from iom.casework.models import IntermediateOutcome, ServiceReferral
from iom.casework.rules import compliance_rules
from iom.cohorts.candidates.evaluate import evaluate
from iom.cohorts.candidates.facts import score_frame
from iom.cohorts.candidates.snapshot import facts as read_facts
from iom.cohorts.models import CohortMembership
from iom.cohorts.policy.schemes import policy_version
from iom.cohorts.selectors import scheme_policy
from iom.core import words
from iom.people.models import Nominal
from iom.scoring.selectors import tables_from_db

from .measures.assemble import ImpactFrames


@dataclass(frozen=True)
class Scope:
    partnership: Partnership
    date_from: date
    date_to: date
    policy: str = ""  # a scheme policy name; the partnership's own by default
    cohort_type: str = ""
    district_id: int | None = None

    @property
    def period(self) -> str:
        return f"{words.long_date(self.date_from)} to {words.long_date(self.date_to)}"


def describe(scope: Scope) -> dict[str, Any]:
    """The scope as the access log records it."""
    return {"partnership": scope.partnership.name, "from": scope.date_from.isoformat(),
            "to": scope.date_to.isoformat(), "policy": policy_name(scope),
            "cohort_type": scope.cohort_type, "district": scope.district_id}


def people_in(scope: Scope) -> QuerySet[Nominal]:
    people = Nominal.objects.filter(partnership=scope.partnership)
    if scope.district_id:
        people = people.filter(district_id=scope.district_id)
    return people


def districts_in(scope: Scope) -> QuerySet[District]:
    districts = District.objects.filter(partnership=scope.partnership)
    if scope.district_id:
        districts = districts.filter(pk=scope.district_id)
    return districts.order_by("name")


def audited_months(date_from: date, date_to: date) -> list[date]:
    """The months whose tag audit falls due in the period: each is due early in the
    month after it, so from the month before the period's first to the month before its
    last (those due outside the period are left out by their due date)."""
    months, month = [], _month_before(date_from)
    while month < date_to.replace(day=1):
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _month_before(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def policy_name(scope: Scope) -> str:
    return scope.policy or scheme_policy(scope.partnership.pk).name


def cases_in(scope: Scope) -> QuerySet[CohortMembership]:
    cases = CohortMembership.objects.filter(nominal__in=people_in(scope),
                                            placed_on__isnull=False,
                                            policy_name=policy_name(scope))
    if scope.cohort_type:
        cases = cases.filter(cohort_type=scope.cohort_type)
    return cases


def impact_frames(scope: Scope) -> ImpactFrames:
    people = people_in(scope)
    tables = tables_from_db(people)
    treated = _treated(scope)
    eligible = _eligible(scope, people)
    ever_placed = set(CohortMembership.objects.filter(
        nominal__in=people, placed_on__lte=scope.date_to).values_list("nominal_id", flat=True))
    comparison = eligible.filter(~pl.col("person_id").is_in(list(ever_placed))).with_columns(
        index_date=pl.lit(scope.date_from))
    return ImpactFrames(
        events=tables.events.collect(), custody=tables.custody.collect(),
        people=_people(people), treated=treated, comparison=comparison, eligible=eligible,
        scores_at_index=_scores_at_index(people, pl.concat([
            treated.select("person_id", "index_date"), comparison])),
        scores_at_report=_scores(people, treated["person_id"], scope.date_to),
        memberships=_memberships(scope), outcomes=_outcomes(scope), referrals=_referrals(scope),
        compliance=_compliance(scope))


def _treated(scope: Scope) -> pl.DataFrame:
    rows = (cases_in(scope).filter(placed_on__gte=scope.date_from, placed_on__lte=scope.date_to)
            .values("nominal_id").annotate(index_date=Min("placed_on"), cohort_type=Min(
                "cohort_type")).values_list("nominal_id", "index_date", "cohort_type"))
    return pl.DataFrame(list(rows), orient="row", schema={
        "person_id": pl.Int64, "index_date": pl.Date, "cohort_type": pl.String})


def _eligible(scope: Scope, people: QuerySet[Nominal]) -> pl.DataFrame:
    chosen = policy_version(policy_name(scope))
    table = evaluate(chosen, read_facts(people, [chosen], scope.date_from))
    met = table.filter(pl.col("suggested").is_not_null())
    if scope.cohort_type:
        met = met.filter(pl.col("suggested") == scope.cohort_type)
    return met.select(pl.col("person_id").cast(pl.Int64))


def _people(people: QuerySet[Nominal]) -> pl.DataFrame:
    rows = people.values_list("pk", "date_of_birth", "gender", "ethnicity", "district__name")
    return pl.DataFrame(list(rows), orient="row", schema={
        "person_id": pl.Int64, "date_of_birth": pl.Date, "gender": pl.String,
        "ethnicity": pl.String, "district": pl.String})


def _scores(people: QuerySet[Nominal], ids: pl.Series, as_at: date) -> pl.DataFrame:
    if ids.len() == 0:
        return pl.DataFrame(schema={"person_id": pl.Int64, "ogrs3": pl.Float64,
                                    "risk": pl.Float64, "css": pl.Float64})
    frame, _ = score_frame(people.filter(pk__in=ids.to_list()), ids, as_at)
    return frame.select("person_id", ogrs3=pl.col("score_ogrs3"),
                        risk=pl.col("score_risk_of_reoffending"),
                        css=pl.col("score_crime_severity"))


def _scores_at_index(people: QuerySet[Nominal], index: pl.DataFrame) -> pl.DataFrame:
    """Each person's scores as at their own index date (one reading per distinct date)."""
    parts = [_scores(people, group["person_id"], day)
             for (day,), group in index.group_by("index_date")]
    return pl.concat(parts) if parts else _scores(people, pl.Series([], dtype=pl.Int64),
                                                  date.min)


def _memberships(scope: Scope) -> pl.DataFrame:
    rows = cases_in(scope).filter(placed_on__lte=scope.date_to).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=scope.date_from)).values_list(
        "nominal_id", "cohort_type", "rag", "strand", "placed_on", "ended_on")
    return pl.DataFrame(list(rows), orient="row", schema={
        "person_id": pl.Int64, "cohort_type": pl.String, "rag": pl.String, "strand": pl.String,
        "placed_on": pl.Date, "ended_on": pl.Date})


def _outcomes(scope: Scope) -> pl.DataFrame:
    rows = IntermediateOutcome.objects.filter(
        plan__nominal__in=people_in(scope), recorded_on__gte=scope.date_from,
        recorded_on__lte=scope.date_to).values_list("kind", "status", "recorded_on")
    return pl.DataFrame(list(rows), orient="row", schema={
        "kind": pl.String, "status": pl.String, "recorded_on": pl.Date})


def _referrals(scope: Scope) -> pl.DataFrame:
    rows = ServiceReferral.objects.filter(
        need__plan__nominal__in=people_in(scope), status_on__gte=scope.date_from,
        status_on__lte=scope.date_to).values_list("need__pathway", "status", "status_on")
    return pl.DataFrame(list(rows), orient="row", schema={
        "pathway": pl.String, "status": pl.String, "status_on": pl.Date})


def _compliance(scope: Scope) -> pl.DataFrame:
    """Each deadline of the compliance rules (003) falling in the period: rule and status
    as at its end, read with the compliance dashboard's own rules (iom/casework). The
    monthly tag audits are the districts' (the chosen one, or all the partnership's),
    whatever policy or cohort type is chosen."""
    people, rules = people_in(scope), compliance_rules()
    items = [*plan_items(people, scope.date_to, rules),
             *engagement_items(people, scope.date_to, rules),
             *deregistration_items(people, scope.date_to, rules),
             *threat_items(people, scope.date_to, rules),
             *tag_audit_items(districts_in(scope), scope.date_to, rules,
                              months=audited_months(scope.date_from, scope.date_to))]
    rows = [(i.rule, i.status) for i in items if scope.date_from <= i.due_on <= scope.date_to]
    return pl.DataFrame(rows, orient="row", schema={"rule": pl.String, "status": pl.String})
