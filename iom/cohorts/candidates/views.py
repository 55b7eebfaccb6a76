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

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from iom.accounts.models import User
from iom.accounts.selectors import district_choices, district_for
from iom.cohorts.candidates import (
    Candidate,
    CandidateList,
    Comparison,
    ComparisonRow,
    CriterionResult,
    ScoreUsed,
    candidates_for,
    compare_policies,
)
from iom.cohorts.candidates.forms import CandidateForm, CompareForm, policy_choices
from iom.cohorts.candidates.results import INDICATOR
from iom.cohorts.lifecycle import strands_of
from iom.cohorts.policy.schemes import CohortType, SchemePolicy
from iom.cohorts.selectors import scheme_policy
from iom.core.templatetags.tables import Column
from iom.governance import policy
from iom.governance.web import casework_only

OUTCOMES = {"in_in": "In under both", "in_out": "In under the first only",
            "out_in": "In under the second only", "out_out": "Out under both"}


def cohort_manager(request: HttpRequest) -> User:
    """First line of both pages: only those who manage the cohort see candidates."""
    user: User = request.user  # type: ignore[assignment]
    policy.require_statutory_case_worker(user, "who manage the cohort see candidates")
    return user


def number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class ShownScore(NamedTuple):
    name: str
    label: str
    value: str
    band: str
    as_at: date | None = None  # the day it was worked out for (its working is there)


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
                      score.band.replace("_", " "), score.as_at)


PAGE_SIZE = 50


@dataclass(frozen=True)
class Paging:
    """One page of a list (GOV.UK pagination): which people, and the links to the others."""

    number: int
    count: int  # pages in all
    matching: int  # people across every page
    query: str  # the request's query without its page number

    @classmethod
    def of(cls, request: HttpRequest) -> Paging:
        text = request.GET.get("page", "1")
        query = request.GET.copy()
        query.pop("page", None)
        number = int(text) if text.isdigit() and 0 < int(text) < 10**6 else 1
        return cls(number, 1, 0, query.urlencode())

    @property
    def offset(self) -> int:
        return (self.number - 1) * PAGE_SIZE

    def counted(self, matching: int) -> Paging:
        return Paging(self.number, max(1, -(-matching // PAGE_SIZE)), matching, self.query)

    def link(self, number: int) -> str:
        return "?" + "&".join(p for p in (self.query, f"page={number}") if p)

    @property
    def first_shown(self) -> int:
        return min(self.offset + 1, self.matching)

    @property
    def last_shown(self) -> int:
        return min(self.offset + PAGE_SIZE, self.matching)

    def items(self) -> list[tuple[int | None, str]]:
        """Page numbers to link (the first, the last, and those either side of this one);
        None where numbers are left out (an ellipsis)."""
        wanted = sorted({1, self.count, *range(self.number - 1, self.number + 2)}
                        & set(range(1, self.count + 1)))
        items: list[tuple[int | None, str]] = []
        for number in wanted:
            if items and items[-1][0] is not None and number - (items[-1][0] or 0) > 1:
                items.append((None, ""))
            items.append((number, self.link(number)))
        return items


def choices_asked(request: HttpRequest) -> QueryDict:
    """The query without its page number: a page number alone chooses nothing, so the
    second page of the default list ("?page=2") is still the default list."""
    query = request.GET.copy()
    query.pop("page", None)
    return query


def candidate_form(request: HttpRequest, user: User) -> CandidateForm:
    """The page's choices; the partnership's own scheme first: the one its cases are run
    under."""
    assert user.organisation is not None
    return CandidateForm(choices_asked(request),
                         default=_ref(scheme_policy(user.organisation.partnership_id)),
                         districts=district_choices(user))


def listed_for(user: User, form: CandidateForm, *, limit: int | None, offset: int,
               export: str = "") -> tuple[CandidateList, date]:
    """The candidates for the form's choices, as the page and its downloads read them."""
    chosen = form.choices()
    as_at = chosen.get("as_at") or timezone.localdate()
    # The filters go into the query, so a page holds only people who match them and
    # the totals and counts still cover the whole force.
    listed = candidates_for(user, chosen["policy"].name, as_at,
                            version=chosen["policy"].version, limit=limit, offset=offset,
                            cohort_type=chosen.get("cohort_type", ""),
                            near_misses=bool(chosen.get("near_misses")),
                            district=district_for(user, chosen.get("district")), export=export)
    return listed, as_at


@casework_only
@require_GET
def candidate_list(request: HttpRequest) -> HttpResponse:
    user = cohort_manager(request)
    form = candidate_form(request, user)
    context: dict[str, Any] = {"form": form}
    if not form.is_bound or form.is_valid():
        paging = Paging.of(request)
        listed, as_at = listed_for(user, form, limit=PAGE_SIZE, offset=paging.offset)
        near = listed.counts.get("", 0)
        context |= {"listed": listed, "rows": [Row.of(c, listed.policy)
                                               for c in listed.candidates],
                    "total": listed.total, "suggested": listed.total - near, "near": near,
                    "counts": _type_counts(listed.policy, listed.counts),
                    "filtered": listed.matching != listed.total, "as_at": as_at,
                    "paging": paging.counted(listed.matching),
                    "chosen_tags": _tags(form), "policy_ref": _ref(listed.policy),
                    "strands": [label for _, label in strands_of(listed.policy.terms)],
                    "what_if_query": urlencode({"first": _ref(listed.policy),
                                               "second": _other(listed.policy)})
                    + "&" + urlencode(_date_query(as_at))}
    return render(request, "cohorts/candidates.html", context)


def _type_counts(chosen: SchemePolicy, counts: dict[str, int]) -> list[tuple[str, int]]:
    """Everyone listed by the cohort type they meet, near misses last."""
    found = [(chosen.cohort_label(k), n) for k, n in counts.items() if k]
    return [*found, ("Near misses", counts.get("", 0))] if "" in counts else found


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
    if form.cleaned_data.get("district"):
        labels = dict(form.fields["district"].choices)  # type: ignore[attr-defined]
        tags.append(str(labels.get(form.cleaned_data["district"], "")))
    return tags


def outcome(row: ComparisonRow) -> str:
    return ("in" if row.first.included else "out") + "_" + (
        "in" if row.second.included else "out")


def counts_of(comparison: Comparison) -> dict[str, int]:
    """Everyone listed under either policy, by outcome (not only the page shown)."""
    return {key: comparison.outcomes.get(key, 0) for key in OUTCOMES}


@casework_only
@require_GET
def what_if(request: HttpRequest) -> HttpResponse:
    user = cohort_manager(request)
    form = CompareForm(choices_asked(request))
    context: dict[str, Any] = {"form": form}
    if not form.is_bound or form.is_valid():
        chosen = form.choices()
        as_at = chosen.get("as_at") or timezone.localdate()
        first, second = chosen["first"], chosen["second"]
        show = chosen.get("show", "")
        paging = Paging.of(request)
        # The outcome shown is chosen in the query, and those who differ come first
        # across every page, not only within one.
        comparison = compare_policies(
            user, f"{first.name}@{first.version}", f"{second.name}@{second.version}", as_at,
            limit=PAGE_SIZE, offset=paging.offset,
            show="differing" if show == "changed" else show, differing_first=True)
        rows = [(r, outcome(r), comparison.differs(r)) for r in comparison.rows]
        context |= {"comparison": comparison, "rows": rows, "as_at": as_at, "show": show,
                    # The policies' labels come from data: columns, not a "|" spec.
                    "columns": [Column("Person", sort="none"),
                                Column(comparison.first.label, sort="none"),
                                Column(comparison.second.label, sort="none")],
                    "counts": [(key, label, counts_of(comparison)[key])
                               for key, label in OUTCOMES.items()],
                    "changed": comparison.differing,
                    "paging": paging.counted(comparison.matching),
                    "query": _without_show(request)}
    return render(request, "cohorts/what_if.html", context)


def _without_show(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("show", None)
    query.pop("page", None)
    if "first" not in query:
        form = CompareForm(None)
        query["first"] = str(form.fields["first"].initial)
        query["second"] = str(form.fields["second"].initial)
    return query.urlencode()
