"""Everyone's candidate list under a policy, evaluated once per process from the kept facts.

Evaluating a policy over a whole force's facts and putting the listed people in
order costs far more than the few people a page shows (docs/benchmarks.md). The
rules are worked out person by person (every column of ``evaluate`` reads only
that person's row) and the order is total (ties go by person id), so evaluating
everyone and then keeping the people a reader may see gives exactly the list of
evaluating those people alone. So, per policy (name, version and content), per
day, per sight (``evaluate.for_sight``: what a reader may not see is blanked
before any rule reads it) and per rule for supplied OGRS 3 scores, this process
keeps everyone listed, in list order (``Listed``), tied to the facts it was
evaluated from (``snapshot.Everyone.key``):

1. the snapshot's own rows evaluated once per generation (``_evaluated``);
2. the people changed since it (``FactsChange``) evaluated from their rows read
   afresh and put in place of their old ones (``_patched``): a handful of rows,
   not everyone, each time more people change;
3. supplied OGRS 3 scores are few and not in the snapshot: they are read for
   everyone on every request and what is kept is used only if they are the same.

A request then only cuts the kept list to the people the reader may see, through
the access policy's own query (``Listed.among``), filters it and takes a page.
Choices: docs/adr/0020-evaluated-candidates-kept-per-process.md.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import polars as pl
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from iom.cohorts.candidates import facts as reads
from iom.cohorts.candidates import snapshot
from iom.cohorts.candidates.evaluate import Facts, evaluate, for_sight
from iom.cohorts.policy.schemes import SchemePolicy
from iom.governance.policy import Sight
from iom.people.models import Nominal
from iom.scoring.selectors import supplied_frame
from iom.scoring.supplied import Use, configured_use, with_chosen_ogrs3


@dataclass(frozen=True)
class Listed:
    """Everyone listed under a policy as at a day, for one sight, in list order."""

    policy: SchemePolicy
    supplied: pl.DataFrame  # the supplied OGRS 3 scores it was evaluated with
    table: pl.DataFrame  # the listed people's evaluated rows, in list order
    afresh: pl.Series  # everyone scored afresh, listed or not (for the scores' source)
    facts: Facts  # what reasons are worded from: the day, the columns, the scoring run

    def among(self, people: QuerySet[Nominal]) -> Facts:
        """Only the people asked about (the access policy's query for the reader), in the
        same order, as evaluating them alone would list them."""
        ids = reads.id_frame(people)["person_id"].implode()
        table = self.table.filter(pl.col("person_id").is_in(ids))
        source = reads.ScoreSource(self.facts.score_source.run,
                                   int(self.afresh.is_in(ids).sum()))
        return replace(self.facts, table=table, score_source=source)


_LISTED: snapshot.Kept[Listed] = snapshot.Kept(16)


def everyone_listed(chosen: SchemePolicy, as_at: date, sight: Sight) -> Listed | None:
    """Everyone listed under the policy as at the day for a reader with this sight, from
    the kept facts; None when there are none to use (then the list is read afresh)."""
    if not settings.IOM_SELECTION_SNAPSHOT:
        return None
    found = snapshot.everyone(as_at, snapshot.covered([chosen]),
                              build_if_missing=as_at == timezone.localdate())
    if found is None:
        return None
    supplied = supplied_frame(Nominal.objects.all(), as_at)
    use = configured_use()
    what = (chosen.name, chosen.version, sight.intelligence, sight.public_protection, use)
    key = (*found.key, *what)
    kept = _LISTED.get(key)
    if kept is not None and _same(kept, chosen, supplied):
        return kept
    base_key = (*found.snapshot, 0, 0, *what)
    base = _LISTED.get(base_key)
    if base is None or not _same(base, chosen, supplied):
        base = _LISTED.put(base_key, _evaluated(found.kept, chosen, sight, supplied, use))
    if found.fresh is None:
        return base
    return _LISTED.put(key, _patched(base, found, sight, use))


def _same(kept: Listed, chosen: SchemePolicy, supplied: pl.DataFrame) -> bool:
    return kept.policy == chosen and kept.supplied.equals(supplied)


def _evaluated(f: Facts, chosen: SchemePolicy, sight: Sight, supplied: pl.DataFrame,
               use: Use) -> Listed:
    """Everyone in ``f`` evaluated, as a fresh list evaluates the people it reads."""
    facts = for_sight(with_supplied(f, supplied, use), sight)
    table = ordered(evaluate(chosen, facts).filter(pl.col("listed")), chosen)
    afresh = f.table.filter(pl.col("scored_afresh"))["person_id"]
    return Listed(chosen, supplied, table, afresh, replace(facts, table=table.clear()))


def _patched(base: Listed, found: snapshot.Everyone, sight: Sight, use: Use) -> Listed:
    """The kept list with the changed people's rows evaluated afresh in place of theirs."""
    assert found.fresh is not None
    fresh = _evaluated(found.fresh, base.policy, sight, base.supplied, use)
    replaced = found.replaced.implode()
    rows = fresh.table.select(pl.col(name).cast(dtype)
                              for name, dtype in base.table.schema.items())
    table = ordered(pl.concat([base.table.filter(~pl.col("person_id").is_in(replaced)),
                               rows]), base.policy)
    afresh = pl.concat([base.afresh.filter(~base.afresh.is_in(replaced)), fresh.afresh])
    return replace(base, table=table, afresh=afresh)


def with_supplied(f: Facts, supplied: pl.DataFrame, use: Use | None = None) -> Facts:
    """The facts with the OGRS 3 each decision uses: probation's supplied score or the
    computed one, by ``[supplied_ogrs3] use`` (iom/scoring/supplied.py)."""
    table = f.table.join(supplied, on="person_id", how="left")
    table = with_chosen_ogrs3(table, use).drop("supplied_percent", "latest_conviction")
    return replace(f, table=table)


def ordered(table: pl.DataFrame, chosen: SchemePolicy, prefix: str = "") -> pl.DataFrame:
    """Fully met first (in the policy's cohort order), then near misses; higher scores first;
    then by person, so the order is the same however the rows came."""
    order = {k.key: i for i, k in enumerate([*chosen.cohort_types, chosen.youth.cohort])}
    rank = pl.coalesce(pl.col(f"{prefix}suggested").replace_strict(order, default=None),
                       pl.col(f"{prefix}nearly").replace_strict(order, default=None) + 100)
    return table.with_columns(_rank=rank).sort(
        ["_rank", "score_ogrs3", "score_crime_severity", "person_id"],
        descending=[False, True, True, False], nulls_last=True).drop("_rank")


def forget() -> None:
    """Drop everything this process keeps (kept facts and lists); the next read rebuilds
    what it needs. For tests and benchmarks that compare a kept read with a first one."""
    _LISTED.clear()
    snapshot.forget()
