"""Reads about cases: a person's cases and history, custody and offending as the
rules see them, and who may manage the cohort.

Lists are always scoped in the query by the access policy
(``nominals_visible_to``); the dashboard's figures live in ``dashboard.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet

from iom.accounts.models import Partnership, User
from iom.cohorts.lifecycle import OPEN_STATES, Strand
from iom.cohorts.models import CohortMembership, PanelDecision, RagChange, Transition
from iom.cohorts.policy.rules import LifecycleRules, exit_from, notice_from, release_counting_remand
from iom.cohorts.policy.schemes import SchemePolicy, newest_policies, policy_version, scheme_terms
from iom.governance import policy
from iom.governance.models import ConsentStatus
from iom.people.models import CustodyPeriod, CustodyType, EventKind, Nominal, OffendingEvent

# What counts as "further offending" for the exit clock (000, 001 s7): proven or
# charged offences, dated by when the offence happened. Arrests alone do not.
OFFENDING_KINDS = (EventKind.CHARGE, EventKind.CONVICTION, EventKind.CAUTION)



def access_nominal_for_cohort_change(user: User, nominal_id: int | str) -> Nominal:
    """The person, if the user may see them and manage their case (the access policy's
    rule 9); else NotFound or Forbidden."""
    nominal = policy.access_nominal(user, nominal_id)
    policy.require_statutory_case_worker(user, "record panel decisions and manage the cohort")
    return nominal


def open_case(nominal: Nominal) -> CohortMembership | None:
    return _cases(nominal).filter(state__in=OPEN_STATES).first()


def latest_case(nominal: Nominal) -> CohortMembership | None:
    return _cases(nominal).first()


def _cases(nominal: Nominal) -> QuerySet[CohortMembership]:
    return CohortMembership.objects.filter(nominal=nominal).select_related(
        "lead_agency", "lead_professional", "police_officer", "referral",
        "referral__referring_organisation")


def cases_of(nominal: Nominal) -> list[CohortMembership]:
    return list(_cases(nominal))


def latest_decision(membership: CohortMembership) -> PanelDecision | None:
    return membership.decisions.order_by("-decided_on", "-id").first()


@dataclass(frozen=True)
class HistoryItem:
    """One entry of a case's history, newest first on the page."""

    when: date
    kind: str  # step, decision or rag
    title: str
    lines: list[str]
    by: str
    ref: tuple[str, int]
    order: int


def history_of(membership: CohortMembership) -> list[HistoryItem]:
    items = [_step_item(t) for t in membership.transitions.select_related("decided_by")]
    items += [_decision_item(d) for d in membership.decisions.select_related("recorded_by")
              .prefetch_related("agreeing", "present")]
    items += [_rag_item(r) for r in membership.rag_changes.select_related("decided_by")]
    return sorted(items, key=lambda i: (i.when, i.order), reverse=True)


def _name(user: User | None, automatic: bool = False) -> str:
    if automatic:
        return "Set automatically" + (f" when {user.display_name} recorded it" if user else "")
    return user.display_name if user else "System"


def _step_item(t: Transition) -> HistoryItem:
    moved = t.from_state != t.to_state
    lines = [f"From {t.from_label.lower()} to {t.get_to_state_display().lower()}."] * moved
    lines.append(f"Reason: {t.reason}")
    lines += detail_lines(t.detail)
    return HistoryItem(t.decided_on, "step", t.get_step_display(), lines,
                       _name(t.decided_by), ("cohort_step", t.pk), t.pk * 3)


# What a step's kept detail says, in words: each key its heading and its value's labels.
# A key holding only an id (the referral's) is not for reading and is left out.
DETAIL_HEADINGS = {
    "strand": "Strand", "consent": "Consent", "from_strand": "From strand",
    "to_strand": "To strand", "cohort_type": "Cohort type", "lead_agency": "Lead agency",
    "to_area": "Moved to", "from_area": "Moved from", "scores": "Scores",
    "supporting_intelligence": "Supporting intelligence", "automatic": "Set automatically",
    "team_change": "Changed", "prison_offender_manager": "Prison offender manager",
    "expected_release": "Expected release", "release_contact_on": "Release planning contact by",
}
CONSENT_AT_REFERRAL = {"not_needed": "Not needed (a statutory partner referred)",
                       **dict(ConsentStatus.choices)}
DETAIL_VALUES: dict[str, dict[str, str]] = {
    "strand": dict(Strand.choices), "consent": CONSENT_AT_REFERRAL,
    "automatic": {"yes": "Yes", "no": "No"},
}


def detail_lines(detail: dict[str, Any]) -> list[str]:
    return [f"{DETAIL_HEADINGS[key]}: {DETAIL_VALUES.get(key, {}).get(str(value), value)}"
            for key, value in detail.items()
            if key in DETAIL_HEADINGS and isinstance(value, str) and value]


def _decision_item(d: PanelDecision) -> HistoryItem:
    agreeing = ", ".join(str(o) for o in d.agreeing.all()) or "none recorded"
    lines = [f"At a {d.get_meeting_display().lower()} with {d.present.count()} agencies "
             f"present. Agreed by: {agreeing}.", f"Rationale: {d.rationale}"]
    if d.exclusion_agreement:
        lines.append(f"Exclusion overridden by agreement: {d.exclusion_agreement}")
    return HistoryItem(d.decided_on, "decision", f"Panel decision: {d.get_outcome_display()}",
                       lines, _name(d.recorded_by), ("cohort_decision", d.pk), d.pk * 3 + 1)


def _rag_item(r: RagChange) -> HistoryItem:
    was = f" (was {r.get_previous_display()})" if r.previous else ""
    return HistoryItem(r.decided_on, "rag", f"RAG status {r.get_rag_display()}{was}",
                       [f"Reason: {r.reason}"], _name(r.decided_by, r.automatic),
                       ("cohort_rag", r.pk), r.pk * 3 + 2)


def last_step_on(membership: CohortMembership) -> date:
    found = membership.transitions.order_by("-decided_on").values_list(
        "decided_on", flat=True).first()
    return found or membership.opened_on


# Custody ----------------------------------------------------------------------


def custody_on(nominal_id: int, day: date) -> CustodyPeriod | None:
    """The custody period the person is in on ``day``, if any (newest first)."""
    return (CustodyPeriod.objects.filter(nominal_id=nominal_id, start_date__lte=day)
            .filter(Q(actual_release_date__isnull=True) | Q(actual_release_date__gt=day))
            .order_by("-start_date", "-id").first())


def remand_days_before(spell: CustodyPeriod) -> int:
    """Days on remand that ran straight into this sentence (001 s7: remand counts)."""
    if spell.custody_type != CustodyType.SENTENCE:
        return 0
    return _remand_days(spell, CustodyPeriod.objects.filter(
        nominal_id=spell.nominal_id, custody_type=CustodyType.REMAND,
        start_date__lt=spell.start_date))


def _remand_days(spell: CustodyPeriod, remands: Iterable[CustodyPeriod]) -> int:
    days = 0
    for remand in remands:
        end = min(remand.actual_release_date or spell.start_date, spell.start_date)
        if end >= spell.start_date - timedelta(days=1):
            days += (end - remand.start_date).days
    return days


def release_of(spell: CustodyPeriod) -> date | None:
    """When the person is expected out, remand already served taken off."""
    if spell.expected_release_date is None:
        return None
    return release_counting_remand(spell.expected_release_date, remand_days_before(spell))


@dataclass(frozen=True)
class Custody:
    """Many people's custody periods read in one query, for a page that lists them.

    Answers ``custody_on`` and ``release_of`` as those do one person at a time (the
    same rules: the newest period open on the day; remand that ran straight into the
    sentence taken off), so a list costs one query, not two or three a person."""

    spells: dict[int, list[CustodyPeriod]]

    def on(self, nominal_id: int, day: date) -> CustodyPeriod | None:
        open_then = [s for s in self.spells.get(nominal_id, ())
                     if s.start_date <= day
                     and (s.actual_release_date is None or s.actual_release_date > day)]
        return max(open_then, key=lambda s: (s.start_date, s.pk), default=None)

    def release_of(self, spell: CustodyPeriod) -> date | None:
        if spell.expected_release_date is None:
            return None
        remand = 0
        if spell.custody_type == CustodyType.SENTENCE:
            remand = _remand_days(spell, [
                s for s in self.spells.get(spell.nominal_id, ())
                if s.custody_type == CustodyType.REMAND and s.start_date < spell.start_date])
        return release_counting_remand(spell.expected_release_date, remand)


def custody_of(nominal_ids: Iterable[int], day: date) -> Custody:
    """The custody periods begun by ``day`` of the people given (already scoped by the
    access policy by the caller), in one query."""
    spells: dict[int, list[CustodyPeriod]] = {}
    for spell in CustodyPeriod.objects.filter(nominal_id__in=list(nominal_ids),
                                              start_date__lte=day):
        spells.setdefault(spell.nominal_id, []).append(spell)
    return Custody(spells)


# The exit clock ------------------------------------------------------------------


def last_offence_since(nominal_id: int, since: date, until: date) -> date | None:
    """The latest offence after ``since`` that was known by ``until``."""
    return _latest_after(offence_dates_of([nominal_id], since, until).get(nominal_id, ()),
                         since)


# An offence as the exit clock reads it: when it happened (the offence date, else the
# date recorded) and the date it was recorded.
OffenceDates = tuple[date, date]


def offence_dates_of(nominal_ids: Iterable[int], since: date, until: date
                     ) -> dict[int, list[OffenceDates]]:
    """The offences (``OFFENDING_KINDS``) recorded after ``since`` and by ``until`` of
    each person given, in one query: what the exit clock counts."""
    dates: dict[int, list[OffenceDates]] = {}
    for nominal_id, offence_date, event_date in OffendingEvent.objects.filter(
            nominal_id__in=list(nominal_ids), kind__in=OFFENDING_KINDS,
            event_date__lte=until, event_date__gt=since).values_list(
            "nominal_id", "offence_date", "event_date"):
        dates.setdefault(nominal_id, []).append((offence_date or event_date, event_date))
    return dates


def _latest_after(offences: Iterable[OffenceDates], since: date) -> date | None:
    """The latest offence recorded after ``since`` that also happened after it."""
    return max((when for when, recorded in offences if when > since and recorded > since),
               default=None)


@dataclass(frozen=True)
class ExitClock:
    """Where a managed person stands against the deselection rules (001 s7)."""

    started: date  # placement, or the last offence since
    last_offence: date | None
    notice_from: date
    exit_from: date


def exit_clock(membership: CohortMembership, day: date,
               rules: LifecycleRules | None = None,
               offences: dict[int, list[OffenceDates]] | None = None) -> ExitClock | None:
    """The person's exit clock on ``day``. A list passes ``offences`` (from
    ``offence_dates_of`` over every person listed, since the earliest placement) so
    each clock costs no query of its own."""
    if membership.placed_on is None:
        return None
    rules = rules or scheme_terms(membership.policy_name,
                                  membership.policy_version).rules
    if offences is None:
        offence = last_offence_since(membership.nominal_id, membership.placed_on, day)
    else:
        offence = _latest_after(offences.get(membership.nominal_id, ()), membership.placed_on)
    started = max(membership.placed_on, offence) if offence else membership.placed_on
    return ExitClock(started, offence, notice_from(started, rules),
                     exit_from(started, membership.deselection_notified_on, rules))


def summary(membership: CohortMembership | None) -> dict[str, Any]:
    """The few facts the profile and API show about a person's current case."""
    if membership is None:
        return {"state": None}
    return {
        "state": membership.state, "state_label": membership.get_state_display(),
        "policy": membership.policy_name, "policy_version": membership.policy_version,
        "cohort_type": membership.cohort_type, "strand": membership.strand,
        "rag": membership.rag or None, "version": membership.version,
        "lead_agency": str(membership.lead_agency) if membership.lead_agency else None,
        "lead_professional": (membership.lead_professional.display_name
                              if membership.lead_professional else None),
        "police_officer": (membership.police_officer.display_name
                           if membership.police_officer else None),
        "placed_on": membership.placed_on, "next_review_due": membership.next_review_due,
    }


def scheme_policy(partnership_id: int) -> SchemePolicy:
    """The policy the partnership selects under: the candidate list's first choice and
    the one its generated agendas bring candidates from.

    1. ``IOM_MEETING_POLICIES`` may name it, by partnership name.
    2. Otherwise the policy most of the partnership's cases were opened under
       (the newer one on a tie): the scheme it actually works.
    3. Otherwise, with no cases yet, the first installed policy.
    """
    named = getattr(settings, "IOM_MEETING_POLICIES", {}) or {}
    partnership = Partnership.objects.get(pk=partnership_id)
    if partnership.name in named:
        return policy_version(str(named[partnership.name]))
    used = (CohortMembership.objects.filter(nominal__partnership_id=partnership_id)
            .values("policy_name").annotate(cases=Count("id"), last=Max("id"))
            .order_by("-cases", "-last").first())
    return policy_version(used["policy_name"]) if used else newest_policies()[0]
