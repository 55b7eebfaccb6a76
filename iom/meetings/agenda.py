"""Who comes to the agenda, and why: the reads behind a generated agenda.

Each source returns (person id, reason, detail) for the people the acting user
may see; ``proposals`` merges them so that a person has one item listing all
their reasons, in the order of ``ItemSource``.

Candidates come from the partnership's scheme policy, read as the acting user
(``candidates_for``), so only the people brought to the agenda are logged as
seen there; they keep the candidate list's order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from iom.accounts.models import User
from iom.casework.models import Action as CaseAction
from iom.casework.models import ActionStatus
from iom.cohorts import selectors as cohort_selectors
from iom.cohorts.candidates import candidates_for
from iom.cohorts.lifecycle import OPEN_STATES, CohortState, Rag
from iom.cohorts.models import CohortMembership
from iom.cohorts.policy.rules import add_months
from iom.cohorts.selectors import scheme_policy
from iom.governance import policy
from iom.people.models import CustodyPeriod, Nominal, WantedKind, WantedMissing
from iom.scoring.models import EmergingThreat

from .models import ItemSource
from .rules import MeetingRules

Ground = dict[str, Any]  # rendered per reader by grounds.py
Found = tuple[int, str, Ground]
REFERRAL_STATES = (CohortState.REFERRED, CohortState.RESEARCHING, CohortState.AWAITING_PANEL,
                   CohortState.DEFERRED)


@dataclass
class Proposal:
    nominal_id: int
    reasons: list[str] = field(default_factory=list)
    details: list[Ground] = field(default_factory=list)
    rank: int = 0  # place in its source's own order, where that order matters


def _cases(people: QuerySet[Nominal]) -> QuerySet[CohortMembership]:
    return CohortMembership.objects.filter(nominal__in=people.values("pk"))


def referrals(people: QuerySet[Nominal], as_at: date, rules: MeetingRules) -> Iterable[Found]:
    for case in _cases(people).filter(state__in=REFERRAL_STATES):
        yield case.nominal_id, ItemSource.REFERRAL, said(f"Case: {case.get_state_display()}.")


def emerging_threats(people: QuerySet[Nominal], as_at: date,
                     rules: MeetingRules) -> Iterable[Found]:
    since = as_at - timedelta(days=rules.threat_days)
    for threat in EmergingThreat.objects.filter(nominal__in=people.values("pk"),
                                                raised_on__range=(since, as_at)):
        yield (threat.nominal_id, ItemSource.EMERGING_THREAT,
               {"kind": "emerging_threat", "before": threat.score_before,
                "now": threat.score_now, "on": threat.raised_on.isoformat()})


def red_and_amber_alert(people: QuerySet[Nominal], as_at: date,
                        rules: MeetingRules) -> Iterable[Found]:
    for case in _cases(people).filter(state__in=OPEN_STATES,
                                      rag__in=[Rag.RED, Rag.AMBER_ALERT]):
        source = ItemSource.RED if case.rag == Rag.RED else ItemSource.AMBER_ALERT
        yield case.nominal_id, source, said(f"RAG status {case.get_rag_display()}.")


def _with_open_case(people: QuerySet[Nominal]) -> QuerySet[Nominal]:
    return people.filter(cohort_memberships__state__in=OPEN_STATES)


def releases(people: QuerySet[Nominal], as_at: date, rules: MeetingRules) -> Iterable[Found]:
    until = add_months(as_at, rules.release_months)
    spells = CustodyPeriod.objects.filter(
        nominal__in=_with_open_case(people).values("pk"), actual_release_date__isnull=True,
        start_date__lte=as_at)
    for spell in spells:
        release = cohort_selectors.release_of(spell)
        if release is not None and as_at <= release <= until:
            yield (spell.nominal_id, ItemSource.RELEASE,
                   said(f"Release expected on {release:%-d %B %Y}."))


def wanted(people: QuerySet[Nominal], as_at: date, rules: MeetingRules) -> Iterable[Found]:
    for period in WantedMissing.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=as_at),
            nominal__in=_with_open_case(people).values("pk"), kind=WantedKind.WANTED,
            start_date__lte=as_at):
        yield (period.nominal_id, ItemSource.WANTED,
               said(f"Wanted since {period.start_date:%-d %B %Y}."))


def deselections(people: QuerySet[Nominal], as_at: date,
                 rules: MeetingRules) -> Iterable[Found]:
    """Cases in deselection, and cases whose 3-month notice date has come (001 s7)."""
    for case in _cases(people).filter(state__in=[CohortState.DESELECTION_CONSIDERED,
                                                 CohortState.DESELECTION_NOTIFIED]):
        yield case.nominal_id, ItemSource.DESELECTION, said(f"{case.get_state_display()}.")
    for case in _cases(people).filter(state=CohortState.ON_COHORT):
        clock = cohort_selectors.exit_clock(case, as_at)
        if clock is not None and clock.notice_from <= as_at:
            yield (case.nominal_id, ItemSource.DESELECTION,
                   said(f"No further offending known: notice of deselection may be given "
                        f"from {clock.notice_from:%-d %B %Y}."))


def overdue_actions(people: QuerySet[Nominal], as_at: date,
                    rules: MeetingRules) -> Iterable[Found]:
    for action in CaseAction.objects.filter(nominal__in=people.values("pk"),
                                            status=ActionStatus.OPEN, due_on__lt=as_at):
        yield (action.nominal_id, ItemSource.OVERDUE_ACTION,
               said(f"Action overdue since {action.due_on:%-d %B %Y}: {action.title}"))


Source = Callable[[QuerySet[Nominal], date, MeetingRules], Iterable[Found]]
SOURCES: list[Source] = [referrals, emerging_threats, red_and_amber_alert, releases, wanted,
                         deselections,
                         overdue_actions]


def candidates(user: User, partnership_id: int, people: QuerySet[Nominal], as_at: date,
               rules: MeetingRules) -> list[Found]:
    """The first candidates on the list who meet a cohort type in full, as many as the
    rules allow; near misses stay on the candidate list for a coordinator to look at."""
    if rules.candidates_max <= 0:
        return []
    chosen = scheme_policy(partnership_id)
    listed = candidates_for(user, chosen.name, as_at, limit=rules.candidates_max)
    ours = set(people.filter(pk__in=[c.nominal_id for c in listed.candidates])
               .values_list("pk", flat=True))
    return [(c.nominal_id, ItemSource.CANDIDATE, {
                "kind": "candidate", "policy": chosen.title,
                "cohort_type": c.suggested_cohort_type[1],
                "exclusions": [{"label": e.label, "restricted": e.restricted}
                               for e in c.exclusions]})
            for c in listed.candidates
            if c.suggested_cohort_type is not None and c.nominal_id in ours]


def said(text: str) -> Ground:
    """A ground that names no restricted record, the same for every reader."""
    return {"kind": "text", "text": text}


def _add(found: dict[int, Proposal], nominal_id: int, reason: str, detail: Ground,
         rank: int = 0) -> None:
    proposal = found.setdefault(nominal_id, Proposal(nominal_id, rank=rank))
    if reason not in proposal.reasons:
        proposal.reasons.append(reason)
    proposal.details.append(detail)


def proposals(user: User, partnership_id: int, as_at: date,
              rules: MeetingRules) -> list[Proposal]:
    """Every person the agenda should cover, with their reasons, in agenda order."""
    people = policy.nominals_visible_to(user).filter(partnership_id=partnership_id)
    found: dict[int, Proposal] = {}
    for rank, (nominal_id, reason, detail) in enumerate(
            candidates(user, partnership_id, people, as_at, rules), start=1):
        _add(found, nominal_id, reason, detail, rank)
    for source in SOURCES:
        for nominal_id, reason, detail in source(people, as_at, rules):
            _add(found, nominal_id, reason, detail)
    order = list(ItemSource.values)
    for proposal in found.values():
        proposal.reasons.sort(key=order.index)
    return sorted(found.values(),
                  key=lambda p: (order.index(p.reasons[0]), p.rank, p.nominal_id))
