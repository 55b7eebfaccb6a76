"""Selection facts kept as at a day, so a whole force's candidates come back fast.

Reading the facts of 100,000 people afresh (3 million offending events, custody
spells, stored scores) takes about 2 seconds on PostgreSQL, most of it in the
database; the rules themselves take milliseconds (docs/benchmarks.md). So the
facts of everyone, for every installed policy, are kept as one table per day
(``FactsSnapshot``, Arrow IPC) and a read is:

1. the snapshot for the day and the policies' fact columns, made with the
   scoring run the day would use (otherwise it is built again);
2. the people whose records changed since it was made (``FactsChange``,
   written by database triggers on every write path) read afresh with the same
   code (``gather``) and put in place of their old rows; past
   ``IOM_SELECTION_PATCH_LIMIT`` of them the snapshot is built again instead;
3. cut down to the people asked about (the access policy's query), as the
   fresh read would be.

So a list from a snapshot is exactly the list read afresh (tests hold the two
equal), only faster. Snapshots are built by the nightly job, after a feed
import, and on a read for today when there is none; a read for another day with
no snapshot reads afresh. Choices and costs: docs/adr/0006-selection-facts-snapshot.md.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
from collections.abc import Iterable
from datetime import date, timedelta

import polars as pl
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Min, QuerySet
from django.utils import timezone

from iom.cohorts.candidates import facts as reads
from iom.cohorts.candidates.evaluate import Facts, all_rules, gather, sentence_months
from iom.cohorts.models import FactsChange, FactsSnapshot
from iom.cohorts.policy.schemes import SchemePolicy, installed_policies
from iom.people.models import Nominal

# Bump when the facts gathered change meaning, so older snapshots are never read.
FORMAT = 2  # 2: order columns by order_signature; short_sentence_<months> columns
# Snapshots are kept this long after their day (a few days' lists stay fast).
KEEP_DAYS = 7


def covered(policies: Iterable[SchemePolicy]) -> list[SchemePolicy]:
    """Every installed policy (all versions), then any asked-for policy not among them."""
    mine = dict(installed_policies())
    for policy in policies:
        mine.setdefault((policy.name, policy.version), policy)
    return [mine[key] for key in sorted(mine)]


def needs_of(policies: Iterable[SchemePolicy]) -> str:
    """A digest of the fact columns the policies need: the same digest, the same columns."""
    rules = [r for p in policies for r in all_rules(p)]
    offences = sorted({reads.offence_signature(r) for r in rules if r.kind == "offence"})
    orders = sorted({reads.order_signature(r) for r in rules if r.kind == "order"})
    months = sorted({m for r in rules if r.kind == "offence" and r.at_liberty
                     for m in (r.months, r.months + r.near_months)})
    serving = ["serving_sentence"] if any(r.serving_sentence for r in rules) else []
    sentences = sentence_months(rules)
    text = json.dumps([FORMAT, offences, orders, months, *serving, sentences])
    return hashlib.sha256(text.encode()).hexdigest()


def facts(people: QuerySet[Nominal], policies: list[SchemePolicy], as_at: date) -> Facts:
    """The facts of ``people`` for the policies as at the day: from a snapshot when there
    is one (or one is built for today), otherwise read afresh."""
    if not settings.IOM_SELECTION_SNAPSHOT:
        return gather(people, policies, as_at)
    every = covered(policies)
    found = current(as_at, every, build_if_missing=as_at == timezone.localdate())
    if found is None:
        return gather(people, policies, as_at)
    return _among(found, people, as_at)


def current(as_at: date, policies: list[SchemePolicy], *, build_if_missing: bool
            ) -> Facts | None:
    """Everyone's facts as at the day, up to date; None when there is no snapshot to use."""
    needs = needs_of(policies)
    run = reads.score_run_for(as_at)
    kept = FactsSnapshot.objects.filter(as_at=as_at, needs=needs).first()
    if kept is not None and kept.score_run_id == (run.pk if run else None):
        patched = _patched(kept, policies)
        if patched is not None:
            return patched
    if kept is None and not build_if_missing:
        return None
    return _facts_of(build(as_at, policies))


def build(as_at: date, policies: list[SchemePolicy] | None = None) -> FactsSnapshot:
    """Read everyone's facts afresh for the policies (every installed one by default) and
    keep them as the day's snapshot, replacing an older one; drop outdated snapshots."""
    policies = policies if policies is not None else covered([])
    started = time.perf_counter()
    changes_from = _changes_bound()
    gathered = gather(Nominal.objects.all(), policies, as_at)
    values: dict[str, object] = {
        "score_run": gathered.score_source.run, "changes_from": changes_from,
        "columns": {"offences": gathered.offence_columns, "orders": gathered.order_columns},
        "people": gathered.table.height, "built_at": timezone.now(),
        "data": _encode(gathered.table)}
    values["build_seconds"] = round(time.perf_counter() - started, 3)
    needs = needs_of(policies)
    try:
        with transaction.atomic():
            snapshot, _ = FactsSnapshot.objects.update_or_create(
                as_at=as_at, needs=needs, defaults=values)
    except IntegrityError:  # built at the same moment by another request: theirs is as good
        snapshot = FactsSnapshot.objects.get(as_at=as_at, needs=needs)
    _prune(as_at)
    return snapshot


def after_nightly_run(sender: object, *, as_at: date, **kwargs: object) -> str:
    """The nightly run's follow-up: the day's snapshot with its new scores."""
    snapshot = build(as_at)
    return (f"Selection facts as at {as_at}: {snapshot.people} people "
            f"in {snapshot.build_seconds:.1f} s")


def refresh_if_stale(as_at: date | None = None) -> FactsSnapshot | None:
    """Build the day's snapshot again if more people changed since it than a read would
    refresh (after a large feed import); nothing when there is none yet or few changed."""
    as_at = as_at or timezone.localdate()
    snapshot = (FactsSnapshot.objects.filter(as_at=as_at, needs=needs_of(covered([])))
                .only("id", "changes_from").first())
    if snapshot is None:
        return None
    if len(changed_since(snapshot.changes_from)) <= settings.IOM_SELECTION_PATCH_LIMIT:
        return None
    return build(as_at)


# Reading -----------------------------------------------------------------------------


def _patched(snapshot: FactsSnapshot, policies: list[SchemePolicy]) -> Facts | None:
    """The snapshot with the changed people read afresh; None when too many changed."""
    bound = _changes_bound()  # taken first: what is read below holds every change before it
    changed = changed_since(snapshot.changes_from)
    if len(changed) > settings.IOM_SELECTION_PATCH_LIMIT:
        return None
    kept = _facts_of(snapshot)
    if not changed:
        return kept
    # One subquery rather than thousands of ids in every query; it may take in people
    # changed a moment later, whose old rows are then replaced too.
    people = Nominal.objects.filter(pk__in=_since(snapshot.changes_from).values("nominal_id"))
    fresh = gather(people, policies, snapshot.as_at)
    if (fresh.offence_columns != kept.offence_columns
            or fresh.order_columns != kept.order_columns):
        return None  # the columns were named differently: build again
    table = kept.table
    replaced = pl.concat([pl.Series(changed, dtype=pl.Int64), fresh.table["person_id"]])
    others = table.filter(~pl.col("person_id").is_in(replaced.implode()))
    fresh_rows = fresh.table.select(pl.col(name).cast(dtype) for name, dtype
                                    in table.schema.items())
    patched = Facts(pl.concat([others, fresh_rows]), kept.as_at, kept.offence_columns,
                    kept.order_columns, kept.score_source)
    if len(changed) >= settings.IOM_SELECTION_SAVE_AFTER:
        _save_patched(snapshot, patched, bound)
    return patched


def _save_patched(snapshot: FactsSnapshot, patched: Facts, bound: int) -> None:
    """Keep a patch of many people, so later reads need not read them again. Only if the
    snapshot is still the one read: a build or another patch since is as good or newer."""
    FactsSnapshot.objects.filter(pk=snapshot.pk, built_at=snapshot.built_at).update(
        data=_encode(patched.table), changes_from=bound, people=patched.table.height,
        built_at=timezone.now())


def _facts_of(snapshot: FactsSnapshot) -> Facts:
    columns = snapshot.columns
    table = pl.read_ipc(io.BytesIO(bytes(snapshot.data)))
    return Facts(table, snapshot.as_at, dict(columns["offences"]), dict(columns["orders"]),
                 reads.ScoreSource(snapshot.score_run, int(table["scored_afresh"].sum())))


def _among(everyone: Facts, people: QuerySet[Nominal], as_at: date) -> Facts:
    """Only the people asked about (the caller's scope), as a fresh read would give."""
    ids = reads.id_frame(people)
    table = everyone.table.join(ids, on="person_id", how="semi")
    source = reads.ScoreSource(everyone.score_source.run, int(table["scored_afresh"].sum()))
    return Facts(table, as_at, everyone.offence_columns, everyone.order_columns, source)


def _encode(table: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    # zstd: half the bytes of lz4 for this table, so less to write and read back
    # (stored without PostgreSQL's own compression: migration cohorts 0004).
    table.write_ipc(buffer, compression="zstd")
    return buffer.getvalue()


# Changes -----------------------------------------------------------------------------
# On PostgreSQL a change belongs to the transaction that wrote it; a snapshot holds
# every change of a transaction that ended before it began (the oldest transaction
# still running then is its bound). Ids would not do: a transaction can take an id and
# commit after a later one. On SQLite there is one writer at a time, so ids do.


def _changes_bound() -> int:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
            return int(cursor.fetchone()[0])
    last = FactsChange.objects.aggregate(last=Max("id"))["last"]
    return (last or 0) + 1


def _since(bound: int) -> QuerySet[FactsChange]:
    if connection.vendor == "postgresql":
        return FactsChange.objects.filter(txid__gte=bound)
    return FactsChange.objects.filter(id__gte=bound)


def changed_since(bound: int) -> list[int]:
    return sorted(set(_since(bound).values_list("nominal_id", flat=True)))


def _prune(as_at: date) -> None:
    """Drop snapshots of days long gone, and the changes every kept snapshot holds."""
    FactsSnapshot.objects.filter(as_at__lt=as_at - timedelta(days=KEEP_DAYS)).delete()
    oldest = FactsSnapshot.objects.aggregate(low=Min("changes_from"))["low"]
    if oldest is None:
        return
    if connection.vendor == "postgresql":
        FactsChange.objects.filter(txid__lt=oldest).delete()
    else:
        FactsChange.objects.filter(id__lt=oldest).delete()
