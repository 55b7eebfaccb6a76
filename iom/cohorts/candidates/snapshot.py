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

Kept in each process's memory (docs/adr/0020-evaluated-candidates-kept-per-process.md):

- the decoded table of a snapshot, by its ``generation``: a new one on every build
  and every kept patch, so a table is never used once its row has changed;
- the rows read afresh for the people changed since it, by the generation and the
  count and last id of its changes (``Changes``): changes are only ever added
  after a snapshot's bound, so the same count means the same changes;
- and, in ``listed.py``, everyone's candidate list evaluated from those two.

Every read first asks the database for the snapshot's generation and its changes,
so each of the server's processes finds for itself when what it keeps is out of
date; nothing is shared between processes and nothing needs telling.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Generic, TypeVar

import polars as pl
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Min, QuerySet
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

Value = TypeVar("Value")


class Kept(Generic[Value]):
    """A few values kept in this process's memory, the least recently used dropped first.

    Safe for the server's threads; a value is worked out by the caller outside the lock,
    so two threads may both work one out at the same moment, and either is as good."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, Value] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Value | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Value) -> Value:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


@dataclass(frozen=True)
class Changes:
    """Which changes since a snapshot were applied: how many, and the last one's id.
    After a snapshot's bound changes are only ever added (``_prune`` drops only those
    below every snapshot's bound), so the same count means the same changes."""

    count: int = 0
    last: int = 0


@dataclass(frozen=True)
class Everyone:
    """Everyone's facts as at a day, up to date: the snapshot's own rows (``kept``) with
    the rows read afresh (``fresh``) in place of the people in ``replaced``.

    ``key`` says exactly which facts these are: what is worked out from them may be
    kept under it (listed.py)."""

    kept: Facts
    fresh: Facts | None
    replaced: pl.Series
    snapshot: tuple[int, str]  # the snapshot's id and generation
    changes: Changes

    @property
    def key(self) -> tuple[int, str, int, int]:
        return (*self.snapshot, self.changes.count, self.changes.last)

    def facts(self) -> Facts:
        """The facts as one table: the snapshot's rows with the changed people's replaced."""
        if self.fresh is None:
            return self.kept
        others = self.kept.table.filter(~pl.col("person_id").is_in(self.replaced.implode()))
        return replace(self.kept, table=pl.concat([others, self.fresh.table]))


# Decoded snapshots, and the rows read afresh since each, in this process.
_DECODED: Kept[Facts] = Kept(2)  # about 24 MB each for 100,000 people
_REFRESHED: Kept[tuple[Facts, pl.Series]] = Kept(8)


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
    found = everyone(as_at, policies, build_if_missing=build_if_missing)
    return None if found is None else found.facts()


def everyone(as_at: date, policies: list[SchemePolicy], *, build_if_missing: bool
             ) -> Everyone | None:
    """Everyone's facts as at the day, up to date, in parts (``Everyone``); None when
    there is no snapshot to use. The snapshot's row is read without its data; the data
    only when this process has not decoded that generation yet."""
    needs = needs_of(policies)
    run = reads.score_run_for(as_at)
    for _ in range(3):  # its row may be built again between reading it and its data
        kept = (FactsSnapshot.objects.filter(as_at=as_at, needs=needs).defer("data")
                .first())
        if kept is None or kept.score_run_id != (run.pk if run else None):
            break
        patched = _patched(kept, policies)
        if patched is not None:
            return patched
        if not FactsSnapshot.objects.filter(pk=kept.pk, generation=kept.generation).exists():
            continue  # built again meanwhile: read the new one
        break  # too many changed, or the columns were named apart: build again
    else:
        kept = None
    if kept is None and not build_if_missing:
        return None
    return _whole(build(as_at, policies))


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
        "generation": uuid.uuid4(), "data": _encode(gathered.table)}
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


def _patched(snapshot: FactsSnapshot, policies: list[SchemePolicy]) -> Everyone | None:
    """The snapshot with the changed people read afresh; None when too many changed (or
    the snapshot's row changed since ``snapshot`` was read)."""
    bound = _changes_bound()  # taken first: what is read below holds every change before it
    changes = _changes(snapshot.changes_from)
    key = (snapshot.pk, str(snapshot.generation))
    kept = _decoded(snapshot)
    if kept is None:
        return None
    if not changes.count:
        return Everyone(kept, None, pl.Series("person_id", [], pl.Int64), key, changes)
    refreshed = _REFRESHED.get((*key, changes))
    if refreshed is not None:
        return Everyone(kept, *refreshed, key, changes)
    changed = changed_since(snapshot.changes_from)
    if len(changed) > settings.IOM_SELECTION_PATCH_LIMIT:
        return None
    # One subquery rather than thousands of ids in every query; it may take in people
    # changed a moment later, whose old rows are then replaced too (and whose changes,
    # counted at the next read, have them read again).
    people = Nominal.objects.filter(pk__in=_since(snapshot.changes_from).values("nominal_id"))
    fresh = gather(people, policies, snapshot.as_at)
    if (fresh.offence_columns != kept.offence_columns
            or fresh.order_columns != kept.order_columns):
        return None  # the columns were named differently: build again
    replaced = pl.concat([pl.Series("person_id", changed, dtype=pl.Int64),
                          fresh.table["person_id"]]).unique().sort()
    fresh_rows = fresh.table.select(pl.col(name).cast(dtype) for name, dtype
                                    in kept.table.schema.items())
    patched = Everyone(kept, replace(kept, table=fresh_rows), replaced, key, changes)
    if len(changed) >= settings.IOM_SELECTION_SAVE_AFTER:
        _save_patched(snapshot, patched.facts(), bound)
    else:
        _REFRESHED.put((*key, changes), (replace(kept, table=fresh_rows), replaced))
    return patched


def _save_patched(snapshot: FactsSnapshot, patched: Facts, bound: int) -> None:
    """Keep a patch of many people, so later reads need not read them again. Only if the
    snapshot is still the one read: a build or another patch since is as good or newer."""
    FactsSnapshot.objects.filter(pk=snapshot.pk, generation=snapshot.generation).update(
        data=_encode(patched.table), changes_from=bound, people=patched.table.height,
        built_at=timezone.now(), generation=uuid.uuid4())


def _decoded(snapshot: FactsSnapshot) -> Facts | None:
    """The snapshot's table, decoded once per generation in this process; None when its
    row has changed since ``snapshot`` was read."""
    key = (snapshot.pk, str(snapshot.generation))
    found = _DECODED.get(key)
    if found is not None:
        return found
    data = (FactsSnapshot.objects.filter(pk=snapshot.pk, generation=snapshot.generation)
            .values_list("data", flat=True).first())
    if data is None:
        return None
    return _DECODED.put(key, _facts_of(snapshot, bytes(data)))


def _whole(snapshot: FactsSnapshot) -> Everyone:
    """A snapshot just built: its own rows, nothing changed since."""
    key = (snapshot.pk, str(snapshot.generation))
    kept = _DECODED.put(key, _facts_of(snapshot, bytes(snapshot.data)))
    return Everyone(kept, None, pl.Series("person_id", [], pl.Int64), key, Changes())


def _facts_of(snapshot: FactsSnapshot, data: bytes) -> Facts:
    columns = snapshot.columns
    table = pl.read_ipc(io.BytesIO(data))
    return Facts(table, snapshot.as_at, dict(columns["offences"]), dict(columns["orders"]),
                 reads.ScoreSource(snapshot.score_run, int(table["scored_afresh"].sum())))


def _among(everyone: Facts, people: QuerySet[Nominal], as_at: date) -> Facts:
    """Only the people asked about (the caller's scope), as a fresh read would give."""
    ids = reads.id_frame(people)
    table = everyone.table.join(ids, on="person_id", how="semi")
    source = reads.ScoreSource(everyone.score_source.run, int(table["scored_afresh"].sum()))
    return Facts(table, as_at, everyone.offence_columns, everyone.order_columns, source)


def forget() -> None:
    """Drop the decoded snapshots and refreshed rows this process keeps."""
    _DECODED.clear()
    _REFRESHED.clear()


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


def _changes(bound: int) -> Changes:
    found = _since(bound).aggregate(count=Count("id"), last=Max("id"))
    return Changes(found["count"] or 0, found["last"] or 0)


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
