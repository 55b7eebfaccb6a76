"""Candidates for a cohort under a scheme policy, and "what if" under two policies.

A candidate list answers "who should we consider?": people in scope who meet,
or nearly meet, a cohort type's criteria and have no open case, each with
every criterion met or missed and why, the scores used and any exclusion.
It never places anyone: the panel decides (003, 004 1.27).

1. The people are those the user may see (``nominals_visible_to``), without
   an open case, as a query; every fact is read for them in bulk (facts.py).
2. Every rule is a Polars column over all of them at once (evaluate.py).
3. The totals (everyone listed, by cohort type; for a comparison, by
   outcome) are counted from those columns too.
4. Only the people returned (all the listed people, or one page of them when
   ``limit`` is given) become ``Candidate`` objects with reasons, and one
   access-log entry is written for each of them: exactly the people whose
   personal data leaves this module.

With kept facts (snapshot.py), steps 1 and 2 are done once for everyone and kept
(listed.py); a list then cuts that to the people of step 1, the access policy's
query as ever, and goes on from step 3 with the same rows in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import polars as pl
from django.db.models import Exists, OuterRef, QuerySet

from iom.accounts.models import District, User
from iom.audit.models import Action
from iom.audit.services import record_access_for_many
from iom.cohorts.candidates.evaluate import Facts, evaluate, for_sight
from iom.cohorts.candidates.listed import everyone_listed, ordered, with_supplied
from iom.cohorts.candidates.person import exclusions_for
from iom.cohorts.candidates.results import (
    OUTCOMES,
    Candidate,
    CandidateList,
    Comparison,
    ComparisonRow,
    CriterionResult,
    ExclusionHit,
    FloorStatus,
    ScoreUsed,
    Verdict,
    build,
    differs,
    outcome,
    outcome_counts,
    verdict,
)
from iom.cohorts.candidates.snapshot import facts as read_facts
from iom.cohorts.lifecycle import MANAGED_STATES, OPEN_STATES
from iom.cohorts.models import CohortMembership
from iom.cohorts.policy.schemes import SchemePolicy, policy_version
from iom.governance import policy as access
from iom.people.models import Nominal
from iom.scoring.selectors import supplied_frame

__all__ = ["Candidate", "CandidateList", "Comparison", "ComparisonRow", "CriterionResult",
           "ExclusionHit", "FloorStatus", "ScoreUsed", "Verdict", "candidates_among",
           "candidates_for", "compare_among", "compare_policies", "exclusions_for",
           "policy_ref"]

THROUGH = "candidate list"


@dataclass(frozen=True)
class Page:
    """Which of the listed people to return, in list order: all of them by default."""

    limit: int | None = None
    offset: int = 0

    def __post_init__(self) -> None:
        if self.offset < 0 or (self.limit is not None and self.limit < 0):
            raise ValueError("A page's limit and offset cannot be negative.")

    def of(self, table: pl.DataFrame) -> pl.DataFrame:
        return table.slice(self.offset, self.limit)


@dataclass(frozen=True)
class Only:
    """Which listed people to keep before paging: one cohort type (met, or nearly met for a
    near miss), and near misses only. ``total`` and ``counts`` still cover everyone."""

    cohort_type: str = ""
    near_misses: bool = False

    def of(self, table: pl.DataFrame, prefix: str = "") -> pl.DataFrame:
        suggested, nearly = pl.col(f"{prefix}suggested"), pl.col(f"{prefix}nearly")
        if self.near_misses:
            table = table.filter(suggested.is_null() & nearly.is_not_null())
        if self.cohort_type:
            table = table.filter(pl.coalesce(suggested, nearly) == self.cohort_type)
        return table


def candidates_for(user: User, policy_name: str, as_at: date, *, version: int | None = None,
                   limit: int | None = None, offset: int = 0, cohort_type: str = "",
                   near_misses: bool = False, district: District | None = None,
                   export: str = "") -> CandidateList:
    """The candidates the user may see under a policy as at a date (see the module notes).

    With ``limit``, only that many candidates from ``offset`` on are returned
    (and logged); ``total`` and ``counts`` still cover everyone listed. With
    ``cohort_type`` or ``near_misses`` only those people are paged through, and
    ``matching`` says how many they are. With ``district``, only the people of that
    district are listed and counted (003 districts; 004 1.22). With ``export`` (a
    format: ``csv``, ``xlsx``), the people returned are logged as exported in it.
    """
    chosen = policy_version(policy_name, version)
    people = access.nominals_visible_to(user)
    if district is not None:
        people = people.filter(district=district)
    return _list(people, chosen, as_at, user=user, through=THROUGH,
                 sight=access.sight_of(user),
                 page=Page(limit, offset), only=Only(cohort_type, near_misses), export=export)


def candidates_among(people: QuerySet[Nominal], policy_name: str, as_at: date, *,
                     version: int | None = None, through: str, limit: int | None = None,
                     offset: int = 0) -> CandidateList:
    """The same for a system context (a command): ``people`` is the caller's own scope."""
    return _list(people, policy_version(policy_name, version), as_at, user=None,
                 through=through, sight=access.SYSTEM_SIGHT, page=Page(limit, offset))


def compare_policies(user: User, first: str, second: str, as_at: date, *,
                     limit: int | None = None, offset: int = 0, show: str = "",
                     differing_first: bool = False) -> Comparison:
    """Everyone listed under either policy, in or out under each, side by side.

    ``first`` and ``second`` are policy names, or ``name@version`` to compare
    two versions of one policy. ``limit`` and ``offset`` page the rows as for
    ``candidates_for``; ``total``, ``outcomes``, ``changed`` and ``differing``
    cover everyone. ``show`` keeps one outcome (``in_out`` and so on) or
    ``differing`` before paging, and ``matching`` counts those kept;
    ``differing_first`` puts those who differ at the top of the list.
    """
    return _compare(access.nominals_visible_to(user), policy_ref(first), policy_ref(second),
                    as_at, user=user, through=f"{THROUGH} comparison",
                    sight=access.sight_of(user),
                    page=Page(limit, offset), show=show, differing_first=differing_first)


def compare_among(people: QuerySet[Nominal], first: str, second: str, as_at: date, *,
                  through: str, limit: int | None = None, offset: int = 0) -> Comparison:
    return _compare(people, policy_ref(first), policy_ref(second), as_at, user=None,
                    through=through, sight=access.SYSTEM_SIGHT, page=Page(limit, offset))


def policy_ref(ref: str) -> SchemePolicy:
    """A policy from ``name`` (its newest version) or ``name@version``."""
    name, _, version = ref.partition("@")
    if version and not version.isdigit():
        return policy_version(name, -1)  # refused with the versions there are
    return policy_version(name, int(version) if version else None)


def _not_on_a_case(people: QuerySet[Nominal]) -> QuerySet[Nominal]:
    open_case = CohortMembership.objects.filter(nominal=OuterRef("pk"), state__in=OPEN_STATES)
    return people.filter(~Exists(open_case))


def _list(people: QuerySet[Nominal], chosen: SchemePolicy, as_at: date, *, user: User | None,
          through: str, sight: access.Sight, page: Page, only: Only = Only(),
          export: str = "") -> CandidateList:
    listed = everyone_listed(chosen, as_at, sight)
    if listed is not None:  # everyone evaluated and kept: only the reader's people
        facts = listed.among(_not_on_a_case(people))
        table = facts.table
    else:
        facts = for_sight(_read(_not_on_a_case(people), [chosen], as_at), sight)
        table = ordered(evaluate(chosen, facts).filter(pl.col("listed")), chosen)
    kept = only.of(table)
    candidates = [build(chosen, row, facts, sight=sight)
                  for row in page.of(kept).iter_rows(named=True)]
    _log(user, through, [c.nominal_id for c in candidates], chosen, as_at, export=export)
    return CandidateList(chosen, as_at, candidates, facts.score_source.describe(as_at),
                         _floor(people, chosen), _totals(table, "suggested"), table.height,
                         kept.height)


def _read(people: QuerySet[Nominal], policies: list[SchemePolicy], as_at: date) -> Facts:
    """The facts (kept or fresh), with the OGRS 3 each decision uses: probation's supplied
    score or the computed one, by ``[supplied_ogrs3] use`` (iom/scoring/supplied.py).
    Supplied scores are few and read afresh every time, so a kept snapshot needs no
    notice of a new one."""
    return with_supplied(read_facts(people, policies, as_at), supplied_frame(people, as_at))


def _totals(table: pl.DataFrame, column: str) -> dict[str, int]:
    """People per value of a column ("" for none), in the order the values first appear."""
    counts = table.group_by(pl.col(column).fill_null(""), maintain_order=True).len()
    return dict(zip(counts[column].to_list(), counts["len"].to_list(), strict=True))


def _compare(people: QuerySet[Nominal], first: SchemePolicy, second: SchemePolicy, as_at: date,
             *, user: User | None, through: str, sight: access.Sight,
             page: Page, show: str = "", differing_first: bool = False) -> Comparison:
    facts = for_sight(_read(_not_on_a_case(people), [first, second], as_at), sight)
    table = evaluate(second, replace(facts, table=evaluate(first, facts, "a_")), "b_")
    table = ordered(table.filter(pl.col("a_listed") | pl.col("b_listed")), first, "a_")
    table = table.with_columns(*outcome(first, "a_"), *outcome(second, "b_"))
    table = table.with_columns(differs(first.name == second.name).alias("_differs"))
    kept = _shown(table, show)
    if differing_first:
        kept = kept.sort("_differs", descending=True, maintain_order=True)
    rows = []
    for row in page.of(kept).iter_rows(named=True):
        a = build(first, row, facts, prefix="a_", sight=sight)
        b = build(second, row, facts, prefix="b_", sight=sight)
        rows.append(ComparisonRow(a.nominal_id, a.pnc_id, a.display_name,
                                  verdict(a, row["a_listed"]), verdict(b, row["b_listed"])))
    _log(user, through, [r.nominal_id for r in rows], first, as_at, second)
    return Comparison(first, second, as_at, rows, facts.score_source.describe(as_at),
                      table.height, *outcome_counts(table), matching=kept.height,
                      differing=int(table["_differs"].sum()))


def _shown(table: pl.DataFrame, show: str) -> pl.DataFrame:
    """One outcome (first_second, e.g. ``in_out``), those who differ, or everyone."""
    if show == "differing":
        return table.filter(pl.col("_differs"))
    if show in OUTCOMES:
        first, second = show.split("_")
        a, b = pl.col("a_included"), pl.col("b_included")
        return table.filter((a if first == "in" else ~a) & (b if second == "in" else ~b))
    return table


def _floor(people: QuerySet[Nominal], chosen: SchemePolicy) -> FloorStatus | None:
    if chosen.terms.floor is None:
        return None
    key, share = chosen.terms.floor
    managed = CohortMembership.objects.filter(
        nominal__in=people.values("pk"), policy_name=chosen.name, state__in=MANAGED_STATES)
    return FloorStatus(key, chosen.cohort_label(key), share,
                       managed.filter(cohort_type=key).count(), managed.count())


def _log(user: User | None, through: str, ids: list[int], chosen: SchemePolicy, as_at: date,
         other: SchemePolicy | None = None, *, export: str = "") -> None:
    if not ids:
        return
    detail = {"policy": chosen.name, "version": chosen.version, "as_at": as_at.isoformat(),
              "people": len(ids)}
    if other is not None:
        detail |= {"compared_with": other.name, "compared_version": other.version}
    if export:
        detail |= {"format": export, "list": THROUGH}
    exported = export or user is None
    record_access_for_many(user=user, action=Action.EXPORT if exported else Action.VIEW,
                           through=through, nominal_ids=ids, detail=detail)
