"""The compliance dashboard (003): each rule, who is late and by how much.

Every deadline is counted in UK working days (``workdays``). An item is
"late" once its deadline has passed undone, "met late" when it was done after
the deadline, "due" while there is still time, and "met" otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.apps import apps
from django.db.models import QuerySet

from iom.accounts.models import District
from iom.cohorts.lifecycle import MANAGED_STATES
from iom.cohorts.models import CohortMembership
from iom.people.models import Nominal
from iom.scoring.models import EmergingThreat

from .models import Contact, ContactOutcome, InterventionPlan, TagAudit, ThreatReviewOutcome
from .rules import ComplianceRules
from .services.compliance import LEFT_STATES
from .workdays import add_working_days, next_working_day, working_days_after

CLOSING_REVIEWS = frozenset({ThreatReviewOutcome.CLOSE, ThreatReviewOutcome.PROPOSE_SELECTION,
                             ThreatReviewOutcome.PROPOSE_DESELECTION})
STATUS_LABELS = {"late": "Late", "met_late": "Done late", "due": "Due", "met": "Done on time"}
TAG_AUDIT_MONTHS = 3


@dataclass(frozen=True)
class Item:
    rule: str
    nominal: Nominal | None
    district: str
    what: str
    due_on: date
    done_on: date | None
    late_by: int
    status: str
    owner: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def judge(due_on: date, done_on: date | None, as_at: date) -> tuple[str, int]:
    """The status of a deadline and how many working days late it is (or was)."""
    if done_on is not None:
        late = working_days_after(due_on, done_on)
        return ("met_late" if late else "met"), late
    late = working_days_after(due_on, as_at)
    return ("late" if late else "due"), late


def _owner(membership: CohortMembership) -> str:
    lead = membership.lead_professional
    return lead.display_name if lead else ""


def plan_items(people: QuerySet[Nominal], as_at: date, rules: ComplianceRules) -> Iterator[Item]:
    cases = CohortMembership.objects.filter(
        nominal__in=people, state__in=MANAGED_STATES, placed_on__isnull=False,
    ).select_related("nominal__district", "lead_professional")
    for case in cases:
        assert case.placed_on is not None
        due = add_working_days(case.placed_on, rules.plan_within_working_days)
        endorsed = (InterventionPlan.objects.filter(nominal_id=case.nominal_id,
                                                    endorsed_on__isnull=False,
                                                    endorsed_on__gte=case.placed_on)
                    .order_by("endorsed_on").values_list("endorsed_on", flat=True).first())
        status, late = judge(due, endorsed, as_at)
        yield Item("plan", case.nominal, str(case.nominal.district or ""),
                   f"Selected on {case.placed_on:%-d %B %Y}", due, endorsed, late, status,
                   _owner(case))


def engagement_items(people: QuerySet[Nominal], as_at: date,
                     rules: ComplianceRules) -> Iterator[Item]:
    """003: "As soon as possible after selection or at the latest within 7 working days,
    offender manager to conduct an initial engagement with the offender". Met by the
    first contact kept with the person on or after the day of selection, by any
    organisation (a joint visit counts for both); a missed appointment does not."""
    cases = CohortMembership.objects.filter(
        nominal__in=people, state__in=MANAGED_STATES, placed_on__isnull=False,
    ).select_related("nominal__district", "lead_professional")
    for case in cases:
        assert case.placed_on is not None
        due = add_working_days(case.placed_on, rules.engagement_within_working_days)
        engaged = (Contact.objects.filter(nominal_id=case.nominal_id,
                                          outcome=ContactOutcome.KEPT,
                                          happened_on__gte=case.placed_on)
                   .order_by("happened_on").values_list("happened_on", flat=True).first())
        status, late = judge(due, engaged, as_at)
        yield Item("engagement", case.nominal, str(case.nominal.district or ""),
                   f"Selected on {case.placed_on:%-d %B %Y}", due, engaged, late, status,
                   _owner(case))


def deregistration_items(people: QuerySet[Nominal], as_at: date,
                         rules: ComplianceRules) -> Iterator[Item]:
    cases = CohortMembership.objects.filter(
        nominal__in=people, state__in=LEFT_STATES, ended_on__isnull=False,
    ).select_related("nominal__district", "lead_professional", "deregistration")
    for case in cases:
        assert case.ended_on is not None
        due = add_working_days(case.ended_on, rules.deregistration_within_working_days)
        record = getattr(case, "deregistration", None)
        status, late = judge(due, record.recorded_on if record else None, as_at)
        yield Item("deregistration", case.nominal, str(case.nominal.district or ""),
                   f"Deselected on {case.ended_on:%-d %B %Y}", due,
                   record.recorded_on if record else None, late, status, _owner(case))


def review_periods(raised_on: date, until: date, length: int) -> Iterator[tuple[date, date]]:
    """Consecutive periods of ``length`` working days from the threat, up to ``until``."""
    start = next_working_day(raised_on)
    while start <= until:
        end = add_working_days(start, length - 1)
        yield start, end
        start = add_working_days(end, 1)


def threat_items(people: QuerySet[Nominal], as_at: date,
                 rules: ComplianceRules) -> Iterator[Item]:
    """One row per open emerging threat: the latest period and any missed before it.

    1. Periods of N working days run from the day the threat was raised.
    2. Each period needs K reviews dated within it; a closing review (close,
       or a proposal to the partnership meeting) ends the need for more.
    3. A finished period short of K reviews is late from its last day; the
       period under way is "due" by its last day.
    """
    threats = EmergingThreat.objects.filter(nominal__in=people).select_related(
        "nominal__district").prefetch_related("reviews")
    for threat in threats:
        reviews = sorted(r.reviewed_on for r in threat.reviews.all())
        closed = min((r.reviewed_on for r in threat.reviews.all()
                      if r.outcome in CLOSING_REVIEWS), default=None)
        yield from _threat_item(threat, reviews, closed, as_at, rules)


def _threat_item(threat: EmergingThreat, reviews: list[date], closed: date | None,
                 as_at: date, rules: ComplianceRules) -> Iterator[Item]:
    until = min(as_at, closed) if closed else as_at
    missed: list[date] = []
    current: tuple[date, date, int] | None = None
    for start, end in review_periods(threat.raised_on, until,
                                     rules.threat_review_period_working_days):
        count = sum(1 for day in reviews if start <= day <= end)
        finished = end < as_at and (closed is None or end < closed)
        if finished and count < rules.threat_reviews_needed:
            missed.append(end)
        current = (start, end, count)
    if current is None or (closed is not None and not missed):
        return
    start, end, count = current
    what = f"Raised on {threat.raised_on:%-d %B %Y}; {count} of " \
           f"{rules.threat_reviews_needed} reviews in the period from {start:%-d %B}"
    if missed:
        late = working_days_after(missed[0], as_at)
        what += f"; {len(missed)} period(s) missed"
        yield Item("threat_review", threat.nominal, str(threat.nominal.district or ""), what,
                   missed[0], None, late, "late")
    elif closed is None:
        status = "met" if count >= rules.threat_reviews_needed else "due"
        yield Item("threat_review", threat.nominal, str(threat.nominal.district or ""), what,
                   end, None, 0, status)


def _month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def recent_months(as_at: date, count: int) -> list[date]:
    months, month = [], as_at.replace(day=1)
    for _ in range(count):
        month = (month - timedelta(days=1)).replace(day=1)
        months.append(month)
    return months


def tag_audit_items(districts: QuerySet[District], as_at: date,
                    rules: ComplianceRules, months: Sequence[date] = ()) -> Iterator[Item]:
    """The monthly tag audit for each district, for the last few whole months (or the
    ``months`` given, each by its first day): the
    audit generated from the tag inventory (iom.monitoring), or a free-text audit
    recorded before the inventory existed. The generated audits are read by model
    name: monitoring sits to the right of casework (docs/architecture.md)."""
    inventory_audits = apps.get_model("monitoring", "InventoryAudit")
    for district in districts:
        done = dict(TagAudit.objects.filter(district=district).values_list("month",
                                                                           "completed_on"))
        done.update(inventory_audits.objects.filter(district=district).values_list(
            "month", "completed_on"))
        for month in months or recent_months(as_at, TAG_AUDIT_MONTHS):
            due = add_working_days(_month_end(month), rules.tag_audit_due_working_day_of_next_month)
            status, late = judge(due, done.get(month), as_at)
            yield Item("tag_audit", None, district.name, f"Tags audit for {month:%B %Y}", due,
                       done.get(month), late, status)
