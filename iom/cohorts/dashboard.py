"""The cohort dashboard's figures, scoped in the query to the people the user may see.

Counts by cohort type and RAG, by strand (with the strand changes of the last
3 months), each scheme's floor (the Fixed cohort's 60%, 001 s3), and the three
working lists: reviews due, releases in the next
months (contact before release, 003) and deselection notices due (001 s7).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from iom.accounts.models import User
from iom.cohorts import selectors
from iom.cohorts.lifecycle import MANAGED_STATES, OPEN_STATES, Rag, Step, Strand
from iom.cohorts.models import CohortMembership, Transition
from iom.cohorts.policy.rules import add_months
from iom.cohorts.policy.schemes import scheme_terms
from iom.core.words import long_date
from iom.governance import policy

REVIEW_WINDOW_DAYS = 7  # a review falling due within a week is listed as due
STRAND_CHANGE_MONTHS = 3  # strand changes are counted over this many months


@dataclass(frozen=True)
class Filters:
    policy: str = ""
    cohort_type: str = ""
    rag: str = ""
    lead_agency: int | None = None
    mine: bool = False
    district: int | None = None  # the people's district (003 districts; 004 1.22)


@dataclass(frozen=True)
class TypeRow:
    policy: str
    cohort_type: str
    label: str
    counts: list[int]
    total: int


@dataclass(frozen=True)
class StrandRow:
    label: str
    count: int  # managed people in the strand now
    moved_in: int  # strand changes into it since ``Dashboard.strand_changes_since``
    key: str = ""


@dataclass(frozen=True)
class Floor:
    policy_title: str
    label: str
    count: int
    total: int
    least: float

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0

    @property
    def below(self) -> bool:
        return self.total > 0 and self.share < self.least

    @property
    def percent(self) -> int:
        return round(self.share * 100)

    @property
    def least_percent(self) -> int:
        return round(self.least * 100)


@dataclass(frozen=True)
class Due:
    case: CohortMembership
    day: date
    note: str
    overdue: bool = False


@dataclass
class Dashboard:
    today: date
    managed: list[CohortMembership]
    in_progress: list[CohortMembership]
    rows: list[TypeRow]
    rag_totals: list[int]
    floors: list[Floor]
    reviews: list[Due] = field(default_factory=list)
    releases: list[Due] = field(default_factory=list)
    notices: list[Due] = field(default_factory=list)
    schemes: list[str] = field(default_factory=list)
    strands: list[StrandRow] = field(default_factory=list)
    strand_changes: int = 0
    strand_changes_since: date | None = None

    @property
    def rags(self) -> list[tuple[str, str]]:
        return list(Rag.choices)

    @property
    def rag_columns(self) -> str:
        """The columns of the count by cohort type and RAG status, for the table component."""
        return "|".join(["Cohort", *(f"{label}:numeric" for _, label in Rag.choices),
                         "Total:numeric"])

    @property
    def rag_rows(self) -> list[TypeRow]:
        """Each cohort type's counts, and the total when there is more than one."""
        if len(self.rows) < 2:
            return list(self.rows)
        return [*self.rows, TypeRow("", "", "All", self.rag_totals[:-1], self.rag_totals[-1])]

    @property
    def strand_changes_said(self) -> str:
        n = self.strand_changes
        since = self.strand_changes_since
        said = f", since {long_date(since)}" if since else ""
        return f"{n} strand change{'' if n == 1 else 's'} in the last 3 months{said}"

    @property
    def strand_rows(self) -> list[StrandRow]:
        return [*self.strands, StrandRow("All", len(self.managed), self.strand_changes)]

    def people_ids(self) -> list[int]:
        cases = [*self.managed, *self.in_progress]
        return sorted({c.nominal_id for c in cases})


def cases_visible_to(user: User) -> QuerySet[CohortMembership]:
    """Every case of a person the user may see (the access policy's own query)."""
    return CohortMembership.objects.filter(
        nominal__in=policy.nominals_visible_to(user)).select_related(
        "nominal", "lead_agency", "lead_professional", "police_officer")


def filtered(cases: QuerySet[CohortMembership], user: User, filters: Filters
             ) -> QuerySet[CohortMembership]:
    if filters.policy:
        cases = cases.filter(policy_name=filters.policy)
    if filters.cohort_type:
        cases = cases.filter(cohort_type=filters.cohort_type)
    if filters.rag:
        cases = cases.filter(rag=filters.rag)
    if filters.lead_agency:
        cases = cases.filter(lead_agency_id=filters.lead_agency)
    if filters.mine:
        cases = cases.filter(Q(lead_professional=user) | Q(police_officer=user))
    if filters.district:
        cases = cases.filter(nominal__district_id=filters.district)
    return cases


def figures_for(user: User, today: date) -> Dashboard:
    """The dashboard's counts over the people ``policy.nominals_for_figures`` gives: an
    analyst's view of the whole partnership. Pages show its counts, never its cases."""
    cases = CohortMembership.objects.filter(nominal__in=policy.nominals_for_figures(user))
    return _board(cases, today)


def dashboard_for(user: User, filters: Filters, today: date) -> Dashboard:
    return _board(filtered(cases_visible_to(user), user, filters), today)


def _board(cases: QuerySet[CohortMembership], today: date) -> Dashboard:
    managed = list(cases.filter(state__in=MANAGED_STATES).order_by(
        "nominal__surname", "nominal__forename"))
    in_progress = list(cases.filter(state__in=OPEN_STATES - MANAGED_STATES).order_by(
        "opened_on", "pk"))
    rows, totals = _type_rows(managed)
    schemes = {scheme_terms(c.policy_name, c.policy_version).title for c in managed}
    board = Dashboard(today, managed, in_progress, rows, totals, _floors(managed),
                      schemes=sorted(schemes))
    _count_strands(board, cases, today)
    # Custody and offences of everyone listed in two queries, not two or three a case.
    ids = [c.nominal_id for c in managed]
    custody = selectors.custody_of(ids, today)
    placed = [c.placed_on for c in managed if c.placed_on is not None]
    offences = selectors.offence_dates_of(ids, min(placed), today) if placed else {}
    for case in managed:
        _add_due(board, case, today, custody, offences)
    board.reviews.sort(key=lambda d: d.day)
    board.releases.sort(key=lambda d: d.day)
    board.notices.sort(key=lambda d: d.day)
    return board


def _type_rows(managed: list[CohortMembership]) -> tuple[list[TypeRow], list[int]]:
    by_type: dict[tuple[str, str], Counter[str]] = {}
    for case in managed:
        by_type.setdefault((case.policy_name, case.cohort_type), Counter())[case.rag] += 1
    rags = Rag.values
    several = len({p for p, _ in by_type}) > 1
    rows = [TypeRow(p, t, _type_label(p, t, several), [c[r] for r in rags], sum(c.values()))
            for (p, t), c in sorted(by_type.items())]
    totals = [sum(row.counts[i] for row in rows) for i in range(len(rags))]
    return rows, [*totals, len(managed)]


def _count_strands(board: Dashboard, cases: QuerySet[CohortMembership], today: date) -> None:
    """Managed people by strand now, and the strand changes (by hand or after a consent
    decision) of the same cases in the last 3 months, by the strand moved into."""
    since = add_months(today, -STRAND_CHANGE_MONTHS)
    moves = Transition.objects.filter(membership__in=cases, step=Step.CHANGE_STRAND,
                                      decided_on__gte=since, decided_on__lte=today)
    into = Counter(str(detail.get("to_strand", "")) for detail in moves.values_list(
        "detail", flat=True))
    now = Counter(str(case.strand) for case in board.managed)
    # Prevent and deter only where a scheme in view runs it (004 1.8), or someone is in it.
    runs = any(scheme_terms(c.policy_name, c.policy_version).rules.prevent_and_deter
               for c in board.managed)
    board.strands = [StrandRow(label, now[key], into[label], key) for key, label in Strand.choices
                     if key != Strand.PREVENT_AND_DETER or runs or now[key] or into[label]]
    board.strand_changes, board.strand_changes_since = sum(into.values()), since


def _type_label(policy_name: str, cohort_type: str, with_scheme: bool) -> str:
    terms = scheme_terms(policy_name)
    label = terms.cohort_type_label(cohort_type) if cohort_type else "Not set"
    return f"{terms.title}: {label}" if with_scheme else label


def _floors(managed: list[CohortMembership]) -> list[Floor]:
    floors = []
    for name in sorted({c.policy_name for c in managed}):
        terms = scheme_terms(name)
        if terms.floor is None:
            continue
        key, least = terms.floor
        of_policy = [c for c in managed if c.policy_name == name]
        count = sum(1 for c in of_policy if c.cohort_type == key)
        floors.append(Floor(terms.title, terms.cohort_type_label(key), count, len(of_policy),
                            least))
    return floors


def _add_due(board: Dashboard, case: CohortMembership, today: date,
             custody: selectors.Custody, offences: dict[int, list[selectors.OffenceDates]]
             ) -> None:
    rules = scheme_terms(case.policy_name, case.policy_version).rules
    if case.next_review_due and case.next_review_due <= today + timedelta(
            days=REVIEW_WINDOW_DAYS):
        board.reviews.append(Due(case, case.next_review_due, "Review",
                                 case.next_review_due < today))
    release = _release_within(case, today, rules.release_contact_months, custody)
    if release is not None:
        board.releases.append(Due(case, release, "Expected release"))
    if case.deselection_notified_on is None:
        clock = selectors.exit_clock(case, today, rules, offences)
        if clock is not None and clock.notice_from <= today:
            board.notices.append(Due(case, clock.notice_from, "Notice due from",
                                     overdue=clock.exit_from <= today))


def _release_within(case: CohortMembership, today: date, months: int,
                    custody: selectors.Custody) -> date | None:
    spell = custody.on(case.nominal_id, today)
    if spell is None:
        return None
    release = custody.release_of(spell)
    if release is None or release > add_months(today, months):
        return None
    return release


def figures(board: Dashboard) -> dict[str, Any]:
    """The dashboard as plain data, for the API."""

    def due(items: list[Due]) -> list[dict[str, Any]]:
        return [{"person_id": d.case.nominal_id, "case_id": d.case.pk, "date": d.day,
                 "overdue": d.overdue} for d in items]

    return {
        "as_at": board.today, "on_cohort": board.rag_totals[-1],
        "in_progress": len(board.in_progress),
        "by_cohort_type": [{"policy": r.policy, "cohort_type": r.cohort_type, "label": r.label,
                            "by_rag": dict(zip(Rag.values, r.counts, strict=True)),
                            "total": r.total} for r in board.rows],
        "floors": [{"policy": f.policy_title, "cohort_type": f.label, "count": f.count,
                    "total": f.total, "share": round(f.share, 3), "least": f.least,
                    "below": f.below} for f in board.floors],
        "reviews_due": due(board.reviews), "releases_soon": due(board.releases),
        "deselection_notices_due": due(board.notices),
        "by_strand": [{"strand": r.key, "label": r.label, "count": r.count,
                       "moved_in": r.moved_in} for r in board.strands],
        "strand_changes": board.strand_changes,
        "strand_changes_since": board.strand_changes_since,
    }
