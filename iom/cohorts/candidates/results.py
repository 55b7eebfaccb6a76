"""What a candidate list and a what-if comparison hold, built from the evaluated rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

import polars as pl

from iom.cohorts.candidates.evaluate import INTELLIGENCE_SCORE_NAMES, Facts, column_keys
from iom.cohorts.candidates.why import why
from iom.cohorts.policy.schemes import SCORES, Rule, SchemePolicy
from iom.core.words import long_date
from iom.governance.policy import Sight


class CriterionResult(NamedTuple):
    label: str
    met: bool
    why: str


class ExclusionHit(NamedTuple):
    label: str
    why: str
    overridable: bool  # a panel may still accept with a recorded partnership agreement
    restricted: str = ""  # the restricted record kind it reads ("protection", "intelligence")


class ScoreUsed(NamedTuple):
    name: str
    label: str
    value: float | None
    band: str
    as_at: date | None


@dataclass(frozen=True)
class Candidate:
    nominal_id: int
    pnc_id: str
    display_name: str
    age: int
    suggested_cohort_type: tuple[str, str] | None  # (key, label): all criteria of it met
    nearest_cohort_type: tuple[str, str] | None  # for a near miss: the type nearly met
    near_miss: bool  # a cohort type's criteria met or nearly met (within margin), not all met
    criteria: list[CriterionResult]
    exclusions: list[ExclusionHit]
    scores: list[ScoreUsed]

    @property
    def included(self) -> bool:
        """In: a cohort type fully met and no exclusion (people still decide)."""
        return self.suggested_cohort_type is not None and not self.exclusions

    def reasons(self) -> list[str]:
        """Why the person is out (or, if in, the cohort type they meet), in plain words."""
        if self.included:
            assert self.suggested_cohort_type is not None
            return [f"Meets {self.suggested_cohort_type[1]}"]
        found = [f"Missed: {c.label} ({c.why})" for c in self.criteria
                 if not c.met and not c.label.endswith(INDICATOR)]
        if self.suggested_cohort_type is not None:
            found = [f"Meets {self.suggested_cohort_type[1]}"]
        found += [f"Excluded: {e.label} ({e.why})"
                  + ("; can be overridden by a recorded partnership agreement"
                     if e.overridable else "") for e in self.exclusions]
        return found or ["Meets no cohort type's criteria"]


@dataclass(frozen=True)
class FloorStatus:
    """A cohort type's least share of the cohort (Fixed, 60%: 001 s4.1) against today's cohort."""

    cohort_type: str
    label: str
    at_least: float
    of_type: int
    on_cohort: int

    @property
    def share(self) -> float | None:
        return self.of_type / self.on_cohort if self.on_cohort else None

    @property
    def below(self) -> bool:
        return self.share is not None and self.share < self.at_least


@dataclass(frozen=True)
class CandidateList:
    policy: SchemePolicy
    as_at: date
    candidates: list[Candidate]
    scores_from: str
    floor: FloorStatus | None = None
    counts: dict[str, int] = field(default_factory=dict)  # by suggested type; "" near misses
    total: int = -1  # everyone listed, when ``candidates`` is one page of them
    matching: int = -1  # everyone listed who matches the filters asked for

    def __post_init__(self) -> None:
        if self.total < 0:
            object.__setattr__(self, "total", len(self.candidates))
        if self.matching < 0:
            object.__setattr__(self, "matching", self.total)


@dataclass(frozen=True)
class Verdict:
    included: bool
    listed: bool
    cohort_type: tuple[str, str] | None
    near_miss: bool
    reasons: list[str]


@dataclass(frozen=True)
class ComparisonRow:
    nominal_id: int
    pnc_id: str
    display_name: str
    first: Verdict
    second: Verdict

    @property
    def changed(self) -> bool:
        return self.first.included != self.second.included or (
            self.first.cohort_type != self.second.cohort_type)


@dataclass(frozen=True)
class Comparison:
    first: SchemePolicy
    second: SchemePolicy
    as_at: date
    rows: list[ComparisonRow]
    scores_from: str
    total: int = -1  # everyone listed under either policy, when ``rows`` is one page
    outcomes: dict[str, int] = field(default_factory=dict)  # everyone, by OUTCOMES
    changed: int = -1  # everyone whose inclusion or cohort type differs
    matching: int = -1  # everyone with the outcome asked for
    # Everyone in under one policy and out under the other (for two versions of one
    # policy, a change of cohort type too; different policies name their types apart).
    differing: int = -1

    def __post_init__(self) -> None:
        if self.total < 0:
            object.__setattr__(self, "total", len(self.rows))
        if self.matching < 0:
            object.__setattr__(self, "matching", self.total)
        if self.differing < 0:
            object.__setattr__(self, "differing", sum(1 for r in self.rows if self.differs(r)))
        if not self.outcomes:
            outcomes = dict.fromkeys(OUTCOMES, 0)
            for row in self.rows:
                outcomes[_outcome_key(row.first.included, row.second.included)] += 1
            object.__setattr__(self, "outcomes", outcomes)
        if self.changed < 0:
            object.__setattr__(self, "changed", sum(1 for r in self.rows if r.changed))

    def differs(self, row: ComparisonRow) -> bool:
        """In under one policy and out under the other; for two versions of one policy, a
        change of cohort type too (different policies name their cohort types apart)."""
        same_policy = self.first.name == self.second.name
        return row.first.included != row.second.included or (same_policy and row.changed)

    @property
    def only_first(self) -> list[ComparisonRow]:
        return [r for r in self.rows if r.first.included and not r.second.included]

    @property
    def only_second(self) -> list[ComparisonRow]:
        return [r for r in self.rows if r.second.included and not r.first.included]


INDICATOR = " [indicator, not required]"
# In or out under the first policy, then under the second.
OUTCOMES = ("in_in", "in_out", "out_in", "out_out")


def _outcome_key(first: bool, second: bool) -> str:
    return ("in" if first else "out") + "_" + ("in" if second else "out")


def _pair(policy: SchemePolicy, key: str | None) -> tuple[str, str] | None:
    return (key, policy.cohort_label(key)) if key else None


def build(policy: SchemePolicy, row: dict[str, Any], f: Facts, *, prefix: str = "",
          sight: Sight) -> Candidate:
    """One person's candidate entry from their evaluated row."""
    suggested, nearly = row[f"{prefix}suggested"], row[f"{prefix}nearly"]
    youth = row["age"] <= policy.youth.ages[1]
    kinds = [policy.youth.cohort] if youth else list(policy.cohort_types)
    keys = list(dict.fromkeys(k for kind in kinds for k in kind.criteria))
    indicators = [k for kind in kinds for k in kind.indicators if k not in keys]
    criteria = [CriterionResult(policy.rules[k].label, bool(row[f"{prefix}met_{k}"]),
                                why(policy.rules[k], row, f, sight=sight))
                for k in keys]
    criteria += [CriterionResult(policy.rules[k].label + INDICATOR, bool(row[f"{prefix}met_{k}"]),
                                 why(policy.rules[k], row, f, sight=sight))
                 for k in dict.fromkeys(indicators)]
    return Candidate(
        row["person_id"], row["pnc_id"] or "", f"{row['forename']} {row['surname']}", row["age"],
        _pair(policy, suggested), _pair(policy, nearly), suggested is None and nearly is not None,
        criteria, exclusions_of(policy, row, f, suggested or nearly, prefix=prefix,
                                sight=sight),
        _scores(row))


def restricted_kind(rule: Rule) -> str:
    """The restricted kind of record a rule reads, if any (docs/adr/0007)."""
    if rule.kind == "protection":
        return "protection"
    if rule.kind in {"score", "band"} and rule.score in INTELLIGENCE_SCORE_NAMES:
        return "intelligence"
    return ""


def exclusions_of(policy: SchemePolicy, row: dict[str, Any], f: Facts, kind: str | None, *,
                  prefix: str = "", sight: Sight) -> list[ExclusionHit]:
    """The exclusions that hit an evaluated row, leaving out those not for ``kind``.

    The row was evaluated on facts cut to the reader's sight (``evaluate.for_sight``),
    so an exclusion read from records they may not see never hits for them at all:
    nothing tells them that such a record exists."""
    hits = []
    exclusions = {f"x_{e.rule.key}": e for e in policy.exclusions}
    for key, rule in column_keys(policy):
        exclusion = exclusions.get(key)
        if exclusion is None or not row[f"{prefix}met_{key}"] or kind in exclusion.not_for:
            continue
        hits.append(ExclusionHit(rule.label, why(rule, row, f, sight=sight),
                                 exclusion.overridable, restricted_kind(rule)))
    return hits


def _scores(row: dict[str, Any]) -> list[ScoreUsed]:
    return [ScoreUsed(name, _label(name, label, row), row.get(f"score_{name}"),
                      row.get(f"band_{name}") or "", row.get("scored_as_at"))
            for name, label in SCORES.items()]


def _label(name: str, label: str, row: dict[str, Any]) -> str:
    """OGRS 3 says which one the decision used: probation's, with its date and source."""
    if name != "ogrs3" or row.get("ogrs3_source") != "supplied":
        return label
    return (f"{label} (supplied by probation, {row['supplied_source']}, assessed "
            f"{long_date(row['supplied_on'])})")


def verdict(candidate: Candidate, listed: bool) -> Verdict:
    return Verdict(candidate.included, listed, candidate.suggested_cohort_type,
                   candidate.near_miss, candidate.reasons())


def outcome(policy: SchemePolicy, prefix: str) -> list[pl.Expr]:
    """``included`` and the cohort type's label as columns: ``Candidate.included`` for all.

    In: a cohort type fully met and no exclusion hit (an exclusion does not hit
    the cohort types in its ``not_for``), as ``exclusions_of`` decides per person.
    """
    suggested = pl.col(f"{prefix}suggested")
    hits = [pl.col(f"{prefix}met_x_{e.rule.key}") & ~suggested.is_in(list(e.not_for))
            for e in policy.exclusions]
    excluded = pl.any_horizontal(hits) if hits else pl.lit(False)
    keys = [k.key for k in [*policy.cohort_types, policy.youth.cohort]]
    labels = {key: policy.cohort_label(key) for key in keys}
    return [(suggested.is_not_null() & ~excluded.fill_null(False)).alias(f"{prefix}included"),
            suggested.replace_strict(labels, default=None, return_dtype=pl.String)
            .alias(f"{prefix}label")]


def differs(same_policy: bool) -> pl.Expr:
    """In under one and out under the other; for two versions of one policy, a change of
    cohort type too (the column form of ``Comparison.differing``)."""
    changed = pl.col("a_included") != pl.col("b_included")
    if not same_policy:
        return changed
    return changed | ~pl.col("a_suggested").eq_missing(pl.col("b_suggested"))


def outcome_counts(table: pl.DataFrame) -> tuple[dict[str, int], int]:
    """Everyone by outcome (in or out under each policy), and how many changed."""
    a, b = pl.col("a_included"), pl.col("b_included")
    same_type = (pl.col("a_suggested").eq_missing(pl.col("b_suggested"))
                 & pl.col("a_label").eq_missing(pl.col("b_label")))
    found = table.select(
        *(((a if x == "in" else ~a) & (b if y == "in" else ~b)).sum().alias(f"{x}_{y}")
          for x, y in (key.split("_") for key in OUTCOMES)),
        changed=((a != b) | ~same_type).sum())
    counts = found.row(0, named=True)
    return {key: int(counts[key]) for key in OUTCOMES}, int(counts["changed"])
