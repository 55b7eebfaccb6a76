"""The candidate list and the what-if comparison, over ``selection``.

Both are for statutory partners who manage the cohort. They suggest; they
never place anyone: a person reaches the cohort only through a referral and a
panel decision. The selection package scopes the people to those the user may
see and writes the access-log entries itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from iom.accounts.models import User
from iom.core.errors import Forbidden
from iom.governance.web import casework_only

from .candidate_forms import CandidateForm, CompareForm, policy_choices
from .schemes import CohortType, SchemePolicy
from .selection import (
    Candidate,
    Comparison,
    ComparisonRow,
    CriterionResult,
    ScoreUsed,
    candidates_for,
    compare_policies,
)
from .selection.results import INDICATOR
from .selectors import can_manage_cohort

OUTCOMES = {"in_in": "In under both", "in_out": "In under the first only",
            "out_in": "In under the second only", "out_out": "Out under both"}


def cohort_manager(request: HttpRequest) -> User:
    """First line of both pages: only those who manage the cohort see candidates."""
    user: User = request.user  # type: ignore[assignment]
    if not can_manage_cohort(user):
        raise Forbidden("Only statutory partners who manage the cohort see candidates.")
    return user


def number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class ShownScore(NamedTuple):
    name: str
    label: str
    value: str
    band: str


class Group(NamedTuple):
    """One cohort type's criteria for a person, and whether one of its ways is all met."""

    label: str
    met: bool
    criteria: list[CriterionResult]


@dataclass(frozen=True)
class Row:
    """One candidate as the table shows them: criteria grouped by cohort type, the
    deciding ones first, and only the scores the policy's rules use."""

    candidate: Candidate
    groups: list[Group]
    key_criteria: list[CriterionResult]
    indicators: list[CriterionResult]
    scores: list[ShownScore]

    @classmethod
    def of(cls, candidate: Candidate, chosen: SchemePolicy) -> Row:
        results = {c.label: c for c in candidate.criteria}
        indicators = [c._replace(label=c.label.removesuffix(INDICATOR))
                      for c in candidate.criteria if c.label.endswith(INDICATOR)]
        kinds = [k for k in _kinds(chosen, candidate.age) if k.criteria]
        groups, best = [], []
        focus = candidate.suggested_cohort_type or candidate.nearest_cohort_type
        for kind in kinds:
            ways = [[results[chosen.rules[k].label] for k in way
                     if chosen.rules[k].label in results] for way in kind.ways]
            ways.sort(key=lambda way: sum(not c.met for c in way))
            groups.append(Group(chosen.cohort_label(kind.key),
                                all(c.met for c in ways[0]),
                                [results[chosen.rules[k].label] for k in kind.criteria
                                 if chosen.rules[k].label in results]))
            if focus and kind.key == focus[0]:
                best = ways[0]
        used = {r.score for r in chosen.rules.values() if r.kind in ("score", "band")}
        return cls(candidate, groups, best, indicators,
                   [_shown(s) for s in candidate.scores if s.name in used])

    @property
    def missed(self) -> list[CriterionResult]:
        return [c for c in self.key_criteria if not c.met]

    @property
    def status(self) -> str:
        """For sorting: suggested first, then near misses, then the rest."""
        c = self.candidate
        return "1" if c.suggested_cohort_type else "2" if c.near_miss else "3"

    @property
    def ogrs3(self) -> str:
        return next((s.value for s in self.scores if s.name == "ogrs3"), "")


def _kinds(chosen: SchemePolicy, age: int) -> list[CohortType]:
    low, high = chosen.youth.ages
    if chosen.youth.enabled and low <= age <= high:
        return [chosen.youth.cohort]
    return [k for k in chosen.cohort_types if not k.judgement]


def _shown(score: ScoreUsed) -> ShownScore:
    return ShownScore(score.name, score.label, number(score.value) or "not scored",
                      score.band.replace("_", " "))


def _kept(row: Row, cohort_type: str, near_misses: bool) -> bool:
    c = row.candidate
    if near_misses and not c.near_miss:
        return False
    kind = c.suggested_cohort_type or c.nearest_cohort_type
    return not cohort_type or (kind is not None and kind[0] == cohort_type)


@casework_only
@require_GET
def candidate_list(request: HttpRequest) -> HttpResponse:
    user = cohort_manager(request)
    form = CandidateForm(request.GET)
    context: dict[str, Any] = {"form": form}
    if not form.is_bound or form.is_valid():
        chosen = form.choices()
        as_at = chosen.get("as_at") or timezone.localdate()
        listed = candidates_for(user, chosen["policy"].name, as_at,
                                version=chosen["policy"].version)
        rows = [Row.of(c, listed.policy) for c in listed.candidates]
        shown = [r for r in rows if _kept(r, chosen.get("cohort_type", ""),
                                          bool(chosen.get("near_misses")))]
        context |= {"listed": listed, "rows": shown, "total": len(rows),
                    "suggested": sum(1 for r in rows if r.candidate.suggested_cohort_type),
                    "near": sum(1 for r in rows if r.candidate.near_miss),
                    "filtered": len(shown) != len(rows), "as_at": as_at,
                    "chosen_tags": _tags(form), "policy_ref": _ref(listed.policy),
                    "what_if_query": urlencode({"first": _ref(listed.policy),
                                               "second": _other(listed.policy)})
                    + "&" + urlencode(_date_query(as_at))}
    return render(request, "cohorts/candidates.html", context)


def _ref(chosen: SchemePolicy) -> str:
    return f"{chosen.name}@{chosen.version}"


def _other(chosen: SchemePolicy) -> str:
    """Another policy to compare with: the next one in the list."""
    refs = [ref for ref, _ in policy_choices()]
    return refs[(refs.index(_ref(chosen)) + 1) % len(refs)]


def _date_query(day: date) -> dict[str, int]:
    return {"as_at_0": day.day, "as_at_1": day.month, "as_at_2": day.year}


def _tags(form: CandidateForm) -> list[str]:
    if not form.is_bound:
        return []
    tags = []
    if form.cleaned_data.get("cohort_type"):
        labels = dict(form.fields["cohort_type"].choices)  # type: ignore[attr-defined]
        tags.append(str(labels.get(form.cleaned_data["cohort_type"], "")))
    if form.cleaned_data.get("near_misses"):
        tags.append("Near misses only")
    return tags


def differs(row: ComparisonRow, comparison: Comparison) -> bool:
    """In under one and out under the other; for two versions of one policy, a change of
    cohort type too (different policies name their cohort types differently)."""
    same = comparison.first.name == comparison.second.name
    return row.first.included != row.second.included or (same and row.changed)


def outcome(row: ComparisonRow) -> str:
    return ("in" if row.first.included else "out") + "_" + (
        "in" if row.second.included else "out")


def counts_of(comparison: Comparison) -> dict[str, int]:
    counts = dict.fromkeys(OUTCOMES, 0)
    for row in comparison.rows:
        counts[outcome(row)] += 1
    return counts


@casework_only
@require_GET
def what_if(request: HttpRequest) -> HttpResponse:
    user = cohort_manager(request)
    form = CompareForm(request.GET)
    context: dict[str, Any] = {"form": form}
    if not form.is_bound or form.is_valid():
        chosen = form.choices()
        as_at = chosen.get("as_at") or timezone.localdate()
        first, second = chosen["first"], chosen["second"]
        comparison = compare_policies(user, f"{first.name}@{first.version}",
                                      f"{second.name}@{second.version}", as_at)
        show = chosen.get("show", "")
        rows = [(r, outcome(r), differs(r, comparison)) for r in comparison.rows]
        shown = sorted([(r, o, d) for r, o, d in rows
                        if not show or o == show or (show == "changed" and d)],
                       key=lambda item: not item[2])  # those who differ first
        context |= {"comparison": comparison, "rows": shown, "as_at": as_at, "show": show,
                    "counts": [(key, label, counts_of(comparison)[key])
                               for key, label in OUTCOMES.items()],
                    "changed": sum(1 for _, _, d in rows if d),
                    "query": _without_show(request)}
    return render(request, "cohorts/what_if.html", context)


def _without_show(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("show", None)
    if "first" not in query:
        form = CompareForm(None)
        query["first"] = str(form.fields["first"].initial)
        query["second"] = str(form.fields["second"].initial)
    return query.urlencode()
