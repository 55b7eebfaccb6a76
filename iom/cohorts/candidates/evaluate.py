"""Every rule of a policy as a Polars column over everyone at once.

For each rule ``met_<key>`` (and ``near_<key>``: not met, but within the
rule's margin); for each cohort type whether it is met or nearly met; the
suggested cohort type; and which exclusions hit. Nothing here runs per person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import reduce

import polars as pl
from django.db.models import QuerySet

from iom.cohorts.candidates import facts
from iom.cohorts.candidates.liberty import window_starts
from iom.cohorts.policy.rules import add_months
from iom.cohorts.policy.schemes import CohortType, Rule, SchemePolicy
from iom.governance.policy import Sight
from iom.people.models import Nominal


@dataclass(frozen=True)
class Facts:
    """Everything the rules read, one row per person, and where the scores came from."""

    table: pl.DataFrame
    as_at: date
    offence_columns: dict[str, str]
    order_columns: dict[str, str]
    score_source: facts.ScoreSource


# Columns read from records of a restricted kind, or from scores whose inputs may include
# intelligence: a reader without that sight gets them empty (docs/adr/0007).
PROTECTION_COLUMNS = ("mappa_level", "sex_offender")
INTELLIGENCE_SCORE_NAMES = ("iom_matrix", "risk_of_reoffending", "emerging_threat")


def for_sight(f: Facts, sight: Sight) -> Facts:
    """The facts as a reader with this sight may have them, before any rule reads them,
    so what is listed, counted, included or excluded follows from what they may see."""
    blank = [c for c in PROTECTION_COLUMNS if not sight.public_protection]
    if not sight.intelligence:
        blank += [f"{kind}_{name}" for name in INTELLIGENCE_SCORE_NAMES
                  for kind in ("score", "band")]
    present = [c for c in blank if c in f.table.columns]
    if not present:
        return f
    return replace(f, table=f.table.with_columns(
        pl.lit(None, dtype=f.table.schema[c]).alias(c) for c in present))


def all_rules(policy: SchemePolicy) -> list[Rule]:
    return [*policy.rules.values(), *(e.rule for e in policy.exclusions)]


def column_keys(policy: SchemePolicy) -> list[tuple[str, Rule]]:
    """Each rule with the key of its columns (exclusions apart, so keys never clash)."""
    return [*policy.rules.items(), *((f"x_{e.rule.key}", e.rule) for e in policy.exclusions)]


def gather(people: QuerySet[Nominal], policies: list[SchemePolicy], as_at: date) -> Facts:
    """Read the facts every given policy needs, for these people, in a few grouped queries."""
    rules = [r for p in policies for r in all_rules(p)]
    offences = [r for r in rules if r.kind == "offence"]
    orders = [r for r in rules if r.kind == "order"]
    offence_columns = {facts.offence_signature(r): "" for r in offences}
    offence_columns = {sig: f"last_{i}" for i, sig in enumerate(offence_columns)}
    order_columns = {facts.order_signature(r): "" for r in orders}
    order_columns = {sig: f"orders_{i}" for i, sig in enumerate(order_columns)}
    table = facts.people_frame(people)
    scores, source = facts.score_frame(people, table["person_id"], as_at)
    parts = [scores, facts.offence_frame(people, offences, as_at, offence_columns),
             facts.protection_frame(people, as_at),
             facts.order_frame(people, orders, as_at, order_columns),
             facts.sentence_frame(people, sentence_months(rules), as_at)]
    for part in parts:
        table = table.join(part, on="person_id", how="left")
    months = {m for r in offences if r.at_liberty for m in (r.months, r.months + r.near_months)}
    if months:
        spells = facts.custody_frame(people, as_at, max(months))
        for m in sorted(months):
            starts = window_starts(spells, as_at, m).rename(
                {"start": f"liberty_{m}", "custody_days": f"custody_days_{m}"})
            table = table.join(starts, on="person_id", how="left")
    return Facts(_fill(table, months, as_at), as_at, offence_columns, order_columns, source)


def sentence_months(rules: Iterable[Rule]) -> list[int]:
    """The sentence lengths the custody rules ask about (a column for each)."""
    return sorted({r.sentence_under_months for r in rules if r.kind == "custody"})


def _fill(table: pl.DataFrame, months: set[int], as_at: date) -> pl.DataFrame:
    fills = [pl.col(f"liberty_{m}").fill_null(add_months(as_at, -m)) for m in months]
    fills += [pl.col(f"custody_days_{m}").fill_null(0) for m in months]
    born = pl.col("date_of_birth")
    birthday = born.dt.month().cast(pl.Int32) * 100 + born.dt.day().cast(pl.Int32)
    age = (pl.lit(as_at.year) - born.dt.year().cast(pl.Int32)
           - (birthday > as_at.month * 100 + as_at.day).cast(pl.Int32))
    return table.with_columns(*fills, age=age)


# Rules ----------------------------------------------------------------------------


def window_start(rule: Rule, as_at: date, extra_months: int = 0) -> pl.Expr:
    months = rule.months + extra_months
    if rule.at_liberty:
        return pl.col(f"liberty_{months}")
    return pl.lit(add_months(as_at, -months))


NO = pl.lit(False)


def met_and_near(rule: Rule, f: Facts) -> tuple[pl.Expr, pl.Expr]:
    """Whether the rule holds, and whether it nearly holds (never both)."""
    return _KINDS[rule.kind](rule, f)


def _score(rule: Rule, f: Facts) -> tuple[pl.Expr, pl.Expr]:
    value = pl.col(f"score_{rule.score}")
    above = value >= rule.at_least if rule.at_least is not None else pl.lit(True)
    below = value <= rule.at_most if rule.at_most is not None else pl.lit(True)
    met = (value.is_not_null() & above & below).fill_null(False)
    if rule.at_least is None or not rule.near:
        return met, NO
    return met, ((value >= rule.at_least - rule.near) & below & ~met).fill_null(False)


def _band(rule: Rule, f: Facts) -> tuple[pl.Expr, pl.Expr]:
    band = pl.col(f"band_{rule.score}")
    return band.is_in(rule.bands).fill_null(False), band.is_in(rule.near_bands).fill_null(False)


def _offence(rule: Rule, f: Facts) -> tuple[pl.Expr, pl.Expr]:
    last = pl.col(f.offence_columns[facts.offence_signature(rule)])
    met = (last > window_start(rule, f.as_at)).fill_null(False)
    if rule.absent:
        return ~met, NO
    if not rule.near_months:
        return met, NO
    return met, ((last > window_start(rule, f.as_at, rule.near_months)) & ~met).fill_null(False)


def _protection(rule: Rule, f: Facts) -> tuple[pl.Expr, pl.Expr]:
    mappa = pl.col("mappa_level").is_in(rule.mappa_levels).fill_null(False)
    rso = (pl.col("sex_offender").fill_null(0) > 0) & rule.sex_offender
    return mappa | rso, NO


def _order(rule: Rule, f: Facts) -> tuple[pl.Expr, pl.Expr]:
    orders = pl.col(f.order_columns[facts.order_signature(rule)]).fill_null(0)
    met = orders > 0
    if rule.serving_sentence:
        met = met | (pl.col("serving_sentence").fill_null(0) > 0)
    return met, (~met if rule.missing_is_near else NO)


def _custody(rule: Rule, f: Facts) -> tuple[pl.Expr, pl.Expr]:
    return pl.col(f"short_sentence_{rule.sentence_under_months}").fill_null(0) > 0, NO


_KINDS = {"score": _score, "band": _band, "offence": _offence, "protection": _protection,
          "order": _order, "custody": _custody}


def _any(exprs: list[pl.Expr]) -> pl.Expr:
    return reduce(lambda a, b: a | b, exprs, pl.lit(False))


def _all(exprs: list[pl.Expr]) -> pl.Expr:
    return reduce(lambda a, b: a & b, exprs, pl.lit(True))


def _type_columns(kind: CohortType, prefix: str) -> tuple[pl.Expr, pl.Expr]:
    """(met, nearly met): nearly = one way with each criterion met or within its margin."""
    met, near = [], []
    for way in kind.ways:
        ok = [pl.col(f"{prefix}met_{k}") for k in way]
        close = [pl.col(f"{prefix}met_{k}") | pl.col(f"{prefix}near_{k}") for k in way]
        met.append(_all(ok))
        near.append(_all(close))
    return _any(met), _any(near) & ~_any(met)


def _first(kinds: list[tuple[str, pl.Expr]]) -> pl.Expr:
    chain: pl.Expr = pl.lit(None, pl.String)
    for key, expr in reversed(kinds):
        chain = pl.when(expr).then(pl.lit(key)).otherwise(chain)
    return chain


def evaluate(policy: SchemePolicy, f: Facts, prefix: str = "") -> pl.DataFrame:
    """The facts with this policy's columns added, each name starting with ``prefix``.

    ``suggested``: the first cohort type fully met; ``nearly``: otherwise the
    first nearly met; ``listed``: either. Youths (the strand's ages) are
    matched only to the youth cohort, adults only to the adult ones, and
    children below the strand's ages are never listed.
    """
    p = prefix
    columns = []
    for key, rule in column_keys(policy):
        met, near = met_and_near(rule, f)
        columns += [met.alias(f"{p}met_{key}"), near.alias(f"{p}near_{key}")]
    table = f.table.with_columns(columns)
    low, high = policy.youth.ages
    youth = pl.col("age").is_between(low, high) & policy.youth.enabled
    adult = pl.col("age") > high
    pairs = [(k.key, _type_columns(k, p)) for k in policy.cohort_types if not k.judgement]
    youth_type = policy.youth.cohort
    if not youth_type.judgement:
        pairs.append((youth_type.key, _type_columns(youth_type, p)))
    who = {k: (youth if k == youth_type.key else adult) for k, _ in pairs}
    suggested = _first([(k, who[k] & m) for k, (m, _) in pairs])
    nearly = _first([(k, who[k] & n) for k, (_, n) in pairs])
    table = table.with_columns(suggested.alias(f"{p}suggested"))
    table = table.with_columns(
        pl.when(pl.col(f"{p}suggested").is_null()).then(nearly).alias(f"{p}nearly"))
    return table.with_columns(
        (pl.col(f"{p}suggested").is_not_null() | pl.col(f"{p}nearly").is_not_null())
        .alias(f"{p}listed"))
