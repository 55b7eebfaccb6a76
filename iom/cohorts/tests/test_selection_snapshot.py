"""Kept selection facts (selection/snapshot.py) give exactly the lists read afresh.

A varied population (scores on and around thresholds, offences in and out of
windows, custody that stretches "months at liberty", MAPPA, registration,
youth orders, youths and adults) is listed under every policy and compared
both ways, with the snapshot and with it switched off; then records change by
every kind of write (create, bulk create, update, delete, a person's date of
birth), and the lists must follow at once.
"""

from __future__ import annotations

import io
import random
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from iom.cohorts.candidates import candidates_for, compare_policies
from iom.cohorts.candidates import snapshot as kept
from iom.cohorts.models import FactsChange, FactsSnapshot
from iom.cohorts.tests.factories import (
    AS_AT,
    Scores,
    custody,
    event,
    known_on,
    mappa,
    person,
    registered,
    store_scores,
    youth_order,
)
from iom.people.models import CustodyPeriod, Nominal, OffendingEvent
from iom.scoring.models import ScoreRun

POLICIES = ["derbyshire-2015", "derbyshire-2021", "london", "west-yorkshire"]
CODES = ["28E", "46", "34A", "92A", "10A", "81", "195", "8N"]


def _population(world, as_at: date, people: int = 36, seed: int = 5) -> list[Nominal]:
    rng = random.Random(seed)
    scored, everyone = {}, []
    for i in range(people):
        born = as_at - timedelta(days=rng.choice([14, 16, 17, 19, 25, 40]) * 365 + rng.randint(
            -20, 20))
        someone = person(world, born=born)
        everyone.append(someone)
        for _ in range(rng.randint(0, 4)):
            on = as_at - timedelta(days=rng.randint(1, 900))
            event(world, someone, on, rng.choice(CODES), kind=rng.choice(
                ["conviction", "conviction", "caution", "arrest"]),
                domestic_abuse=rng.random() < 0.1)
        if rng.random() < 0.3:
            start = as_at - timedelta(days=rng.randint(60, 700))
            release = start + timedelta(days=rng.randint(20, 400))
            custody(world, someone, start, release if release < as_at else None)
        if rng.random() < 0.1:
            mappa(world, someone, rng.choice([1, 2, 3]))
        if rng.random() < 0.05:
            registered(world, someone)
        if rng.random() < 0.15:
            youth_order(world, someone, as_at - timedelta(days=30))
        if i % 7 != 6:  # some are not in the run and are scored afresh
            ogrs3 = rng.choice([None, 45, 50, 51, 74, 75, 79, 80, 89, 90, 95])
            scored[someone] = Scores(ogrs3=ogrs3, iom_matrix=rng.choice([None, 79, 80, 90]),
                                     crime_severity=rng.choice([None, 900, 1500, 2400]),
                                     risk=rng.choice([None, 300, 350, 500, 1000]))
    store_scores(world, scored, as_at)
    return everyone


def _both_ways(settings, user, as_at: date) -> None:
    """Every list and comparison is the same with kept facts as read afresh."""
    settings.IOM_SELECTION_SNAPSHOT = True
    lists = [candidates_for(user, p, as_at) for p in POLICIES]
    pairs = [compare_policies(user, "derbyshire-2021", "london", as_at),
             compare_policies(user, "derbyshire-2015", "west-yorkshire", as_at)]
    settings.IOM_SELECTION_SNAPSHOT = False
    assert lists == [candidates_for(user, p, as_at) for p in POLICIES]
    assert pairs == [compare_policies(user, "derbyshire-2021", "london", as_at),
                     compare_policies(user, "derbyshire-2015", "west-yorkshire", as_at)]
    settings.IOM_SELECTION_SNAPSHOT = True
    assert sum(len(x.candidates) for x in lists) > 10  # the population lists people


# Committed writes, as in use: on PostgreSQL what a snapshot holds is told by transaction.
@pytest.mark.django_db(transaction=True)
def test_kept_facts_give_the_lists_read_afresh_and_follow_every_kind_of_change(world,
                                                                              settings):
    today = timezone.localdate()
    everyone = _population(world, today)
    user = world.users["police"]
    assert not FactsSnapshot.objects.exists()
    _both_ways(settings, user, today)
    snapshot = FactsSnapshot.objects.get(as_at=today)  # built on the first read for today
    assert snapshot.people == Nominal.objects.count()
    first_built = snapshot.built_at

    a, b, c, d, e = everyone[:5]
    event(world, a, today - timedelta(days=3), "28E")                          # create
    OffendingEvent.objects.bulk_create([OffendingEvent(                       # bulk create
        nominal=b, kind="conviction", event_date=today - timedelta(days=9), ho_code="92A",
        originating_organisation=world.orgs["police"], recorded_at=known_on(today))])
    OffendingEvent.objects.filter(nominal=c).update(event_date=today - timedelta(days=2000))
    custody(world, d, today - timedelta(days=200), None)                       # in custody now
    CustodyPeriod.objects.filter(nominal=everyone[5]).delete()                 # delete
    Nominal.objects.filter(pk=e.pk).update(date_of_birth=today - timedelta(days=15 * 365))
    mappa(world, everyone[6], 3)
    changed = set(FactsChange.objects.values_list("nominal_id", flat=True))
    assert {a.pk, b.pk, d.pk, e.pk, everyone[6].pk} <= changed
    assert c.pk in changed or not OffendingEvent.objects.filter(nominal=c).exists()

    _both_ways(settings, user, today)  # the changed people are read afresh
    assert FactsSnapshot.objects.get(as_at=today).built_at == first_built  # patched, not built

    settings.IOM_SELECTION_SAVE_AFTER = 1  # a read keeps what it refreshed
    event(world, everyone[7], today - timedelta(days=4), "46")
    _both_ways(settings, user, today)
    saved = FactsSnapshot.objects.get(as_at=today)
    assert saved.built_at > first_built and kept.changed_since(saved.changes_from) == []
    first_built = saved.built_at
    settings.IOM_SELECTION_SAVE_AFTER = 1000
    for someone in everyone[8:11]:
        event(world, someone, today - timedelta(days=5), "28E")

    settings.IOM_SELECTION_PATCH_LIMIT = 2  # more changed than that: built again
    _both_ways(settings, user, today)
    rebuilt = FactsSnapshot.objects.get(as_at=today)
    assert rebuilt.built_at > first_built
    assert kept.changed_since(rebuilt.changes_from) == []


def test_a_new_scoring_run_builds_the_snapshot_again(world, settings):
    today = timezone.localdate()
    everyone = _population(world, today, people=12)
    user = world.users["police"]
    _both_ways(settings, user, today)
    old_run = FactsSnapshot.objects.get(as_at=today).score_run_id
    store_scores(world, {n: Scores(ogrs3=95, risk=1000) for n in everyone}, today)
    _both_ways(settings, user, today)
    assert FactsSnapshot.objects.get(as_at=today).score_run_id == ScoreRun.objects.latest(
        "id").pk != old_run


def test_another_day_reads_afresh_unless_its_snapshot_was_built(world, settings):
    _population(world, AS_AT, people=20)
    user = world.users["police"]
    _both_ways(settings, user, AS_AT)
    assert not FactsSnapshot.objects.exists()  # nothing is built on a read for a past day
    kept.build(AS_AT)
    _both_ways(settings, user, AS_AT)
    assert FactsSnapshot.objects.filter(as_at=AS_AT).count() == 1


@pytest.mark.parametrize("persona", ["police", "probation", "outsider", "mentor"])
def test_kept_facts_are_cut_to_the_people_the_user_may_see(world, settings, persona):
    today = timezone.localdate()
    _population(world, today, people=15)
    kept.build(today)
    settings.IOM_SELECTION_SNAPSHOT = True
    from_kept = candidates_for(world.users[persona], "london", today)
    settings.IOM_SELECTION_SNAPSHOT = False
    assert from_kept == candidates_for(world.users[persona], "london", today)


@pytest.mark.django_db(transaction=True)
def test_old_snapshots_and_the_changes_they_hold_are_dropped(world, settings):
    today = timezone.localdate()
    everyone = _population(world, today, people=5)
    kept.build(today - timedelta(days=kept.KEEP_DAYS + 3))
    assert not FactsChange.objects.exists()  # the snapshot holds every change so far
    event(world, everyone[0], today - timedelta(days=1), "28E")
    assert FactsChange.objects.exists()
    kept.build(today)
    assert list(FactsSnapshot.objects.values_list("as_at", flat=True)) == [today]
    assert not FactsChange.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_nightly_run_and_the_command_build_the_days_facts(world, settings):
    _population(world, AS_AT, people=6)
    out = io.StringIO()
    call_command("nightly_scores", as_at=AS_AT, stdout=out)
    assert f"Selection facts as at {AS_AT}: " in out.getvalue()
    built = FactsSnapshot.objects.get(as_at=AS_AT)
    assert built.people == Nominal.objects.count()
    assert built.score_run == ScoreRun.objects.latest("started_at")
    # One run for both partnerships: nobody in either is scored afresh by a list.
    assert built.score_run.people == Nominal.objects.count()
    for persona in ("police", "outsider"):
        listed = candidates_for(world.users[persona], "london", AS_AT)
        assert "scored afresh" not in listed.scores_from, listed.scores_from
    out = io.StringIO()
    call_command("selection_facts", show=True, stdout=out)
    assert f"{AS_AT}: {built.people} people" in out.getvalue()
    assert "0 people changed since" in out.getvalue()
    call_command("selection_facts", as_at=AS_AT, stdout=io.StringIO())
    assert FactsSnapshot.objects.get(as_at=AS_AT).built_at > built.built_at


@pytest.mark.django_db(transaction=True)
def test_a_large_change_builds_the_facts_again_and_a_small_one_waits_for_a_read(world,
                                                                               settings):
    today = timezone.localdate()
    everyone = _population(world, today, people=6)
    first = kept.build(today)
    settings.IOM_SELECTION_PATCH_LIMIT = 2
    event(world, everyone[0], today, "28E")
    assert kept.refresh_if_stale() is None  # one person: a read refreshes them
    for someone in everyone[1:3]:
        event(world, someone, today, "28E")
    again = kept.refresh_if_stale()
    assert again is not None and again.pk == first.pk and again.built_at > first.built_at
