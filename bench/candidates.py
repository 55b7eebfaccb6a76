"""Candidates for a whole force: ``candidates_for`` over 100,000 people on PostgreSQL.

    .venv/bin/python -m bench.candidates --people 100000

Creates (and afterwards drops) the database in DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/iom_bench_candidates), migrates it, and
bulk-loads the synthetic generator's people, offending events, custody spells
and public protection with COPY, plus one finished nightly scoring run computed
by the batch scorers (what the nightly job leaves). Then it times
``candidates_for`` for a police offender manager who sees the whole force,
under each policy, and one what-if comparison: by default from the day's kept
selection facts (built first, as the nightly job does; ``--changed N`` marks N
people as changed since), or with ``--afresh`` reading every fact on every
list. Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time
from datetime import date
from typing import Any
from urllib.parse import urlparse

import polars as pl

from bench.candidate_stages import report, timed_stages

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/iom_bench_candidates"
os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("IOM_ENV", "test")
PROVENANCE = {"source_system": "iom", "source_record_id": ""}


def _admin_sql(url: str, sql: str) -> None:
    import psycopg

    admin = urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def _copy(table: str, frame: pl.DataFrame) -> None:
    from django.db import connection

    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False, null_value="\\N")
    columns = ", ".join(frame.columns)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
                      ) as copy:
            copy.write(buffer.getvalue())
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                       f"(SELECT coalesce(max(id), 1) FROM {table}))")


def _with_provenance(frame: pl.DataFrame, org: int) -> pl.DataFrame:
    return frame.with_columns(originating_organisation_id=pl.lit(org),
                              recorded_at=pl.lit("2020-01-01T00:00:00+00:00"),
                              **{k: pl.lit(v) for k, v in PROVENANCE.items()})


def load(people: int, as_at: date) -> Any:
    """The generator's tables into the database; returns the police user."""
    from iom.accounts.models import Organisation, Partnership, Role, User

    force = Partnership.objects.create(name="Benchshire")
    police = Organisation.objects.create(partnership=force, name="Benchshire Police",
                                         kind="police", is_statutory=True)
    user = User.objects.create_user(username="bench_om", password=None,
                                    organisation=police, role=Role.OFFENDER_MANAGER)
    copy_synthetic(people, as_at, partnership=force.pk, organisation=police.pk)
    return user


def copy_synthetic(people: int, as_at: date, *, partnership: int, organisation: int,
                   scores: bool = True) -> None:
    """The generator's people, offending, custody and public protection (and, with
    ``scores``, a finished nightly run of them) COPYed into the partnership, after any
    rows already there: ids continue from the largest kept and a PNC ID or CRN already
    used is left empty (``_copy`` moves each id sequence past the new rows, so the
    product goes on inserting as usual) (bench/load.py ``prepare --synthetic``)."""
    from django.db import connection

    from iom.synthetic import generate

    tables = {"people_nominal": 0, "people_offendingevent": 0, "people_custodyperiod": 0,
              "people_publicprotection": 0, "scoring_storedscore": 0}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            tables[table] = cursor.fetchone()[0]
        cursor.execute("SELECT pnc_id, crn FROM people_nominal")
        kept = cursor.fetchall()
    g = generate(people, as_of=as_at)
    shift = tables["people_nominal"]
    p = g.people.with_columns(
        person_id=pl.col("person_id") + shift,
        pnc_id=pl.when(pl.col("pnc_id").is_in([k[0] for k in kept if k[0]])).then(None)
        .otherwise(pl.col("pnc_id")),
        crn=pl.when(pl.col("crn").is_in([k[1] for k in kept if k[1]])).then(None)
        .otherwise(pl.col("crn")))
    _copy("people_nominal", _with_provenance(p.select(
        id="person_id", partnership_id=pl.lit(partnership), forename="forename",
        middle_names=pl.lit(""), surname="surname",
        date_of_birth=pl.col("date_of_birth").fill_null(date(1990, 1, 1)),  # a few unknown
        gender=pl.col("gender").cast(pl.String), ethnicity=pl.col("ethnicity").cast(pl.String),
        pnc_id="pnc_id", crn="crn",
        primary_substance=pl.col("primary_substance").cast(pl.String).fill_null("")),
        organisation))
    # The generator leaves a few dates unknown on purpose; the models require them.
    events = g.events.filter(pl.col("event_date").is_not_null()).with_columns(
        event_id=pl.col("event_id") + tables["people_offendingevent"],
        person_id=pl.col("person_id") + shift)
    _copy("people_offendingevent", _with_provenance(events.select(
        id="event_id", nominal_id="person_id", kind=pl.col("event_type").cast(pl.String),
        event_date="event_date", offence_date="offence_date",
        ho_code=pl.col("ho_code").fill_null(""), description=pl.lit(""),
        disposal=pl.col("disposal").cast(pl.String).fill_null(""), sentence=pl.lit(""),
        domestic_abuse="domestic_abuse", court=pl.lit("")), organisation).with_columns(
        recorded_at=pl.col("event_date").cast(pl.String) + "T12:00:00+00:00"))
    custody = g.custody.filter(pl.col("start_date").is_not_null()).with_columns(
        custody_id=pl.col("custody_id") + tables["people_custodyperiod"],
        person_id=pl.col("person_id") + shift)
    _copy("people_custodyperiod", _with_provenance(custody.select(
        id="custody_id", nominal_id="person_id", custody_type=pl.col("custody_type").cast(
            pl.String), start_date="start_date", expected_release_date="expected_release_date",
        actual_release_date="actual_release_date", establishment=pl.lit("")), organisation))
    _load_protection(p, organisation, tables["people_publicprotection"])
    if scores:
        moved = {name: getattr(g, name).with_columns(person_id=pl.col("person_id") + shift)
                 for name in ("people", "events", "custody", "intelligence")}
        _load_scores(moved["people"], moved["events"], moved["custody"],
                     moved["intelligence"], as_at, tables["scoring_storedscore"])
    with connection.cursor() as cursor:  # (each COPY has moved its table's id sequence on)
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would: index-only scans need it


def _load_protection(p: pl.DataFrame, org: int, after: int = 0) -> None:
    mappa = p.filter(pl.col("mappa_level") > 0).select(
        nominal_id="person_id", kind=pl.lit("mappa"), mappa_level=pl.col("mappa_level").cast(
            pl.Int64), mappa_category=pl.lit(2, pl.Int64), start_date=pl.lit(date(2020, 1, 1)),
        end_date=pl.lit(None, pl.Date), notes=pl.lit(""))
    rso = p.filter(pl.col("sex_offender_registered")).select(
        nominal_id="person_id", kind=pl.lit("sex_offender_register"),
        mappa_level=pl.lit(None, pl.Int64), mappa_category=pl.lit(None, pl.Int64),
        start_date=pl.lit(date(2020, 1, 1)), end_date=pl.lit(None, pl.Date), notes=pl.lit(""))
    both = pl.concat([mappa, rso]).with_row_index("id", offset=after + 1)
    _copy("people_publicprotection", _with_provenance(both, org))


def _load_scores(people: pl.DataFrame, events: pl.DataFrame, custody: pl.DataFrame,
                 intelligence: pl.DataFrame, as_at: date, after: int = 0) -> None:
    from django.utils import timezone

    from iom.scoring.batch import score_tables
    from iom.scoring.models import ScoreRun
    from iom.scoring.services import BATCH_COLUMNS, summarise_run

    scored = score_tables(people, events, custody, intelligence, as_at=as_at)
    run = ScoreRun.objects.create(as_at=as_at, kind="nightly", people=scored.height,
                                  reference_version="bench", finished_at=timezone.now())
    parts = []
    for name, (value, band, _) in BATCH_COLUMNS.items():
        detail = (pl.format('{{"percent_2y": {}}}', pl.col("ogrs3_2y_percent").fill_null(0))
                  if name == "ogrs3" else pl.lit("{}"))
        parts.append(scored.select(
            nominal_id="person_id", name=pl.lit(name), as_at=pl.lit(as_at),
            value=pl.col(value).cast(pl.Float64), band=pl.col(band).cast(pl.String).fill_null(""),
            detail=detail, working=pl.lit("[]"), error_code=pl.lit(""),
            reference_version=pl.lit("bench"), computed_at=pl.lit("2020-01-01T00:00:00+00:00"),
            run_id=pl.lit(run.pk)))
    _copy("scoring_storedscore", pl.concat(parts).with_row_index("id", offset=after + 1))
    summarise_run(run=run)  # the one row per person a nightly run writes beside its scores


def time_it(user: Any, as_at: date, runs: int, *, profile: bool = False,
            limit: int | None = None) -> None:
    from iom.cohorts.candidates import candidates_for, compare_policies
    from iom.cohorts.policy.schemes import scheme_names

    for name, _ in scheme_names():
        seconds, listed = [], None
        for _ in range(runs):
            with timed_stages(profile) as spent:
                started = time.perf_counter()
                listed = candidates_for(user, name, as_at, limit=limit)
                seconds.append(time.perf_counter() - started)
        assert listed is not None
        print(f"{name:>16}: median {statistics.median(seconds):.2f} s, best {min(seconds):.2f} s,"
              f" first {seconds[0]:.2f} s"
              f" ({listed.total:,} listed, {listed.total - listed.counts.get('', 0):,} meeting"
              f" a cohort type, {len(listed.candidates):,} returned)", flush=True)
        if profile:
            print(report(spent, seconds[-1]), flush=True)
    with timed_stages(profile) as spent:
        started = time.perf_counter()
        comparison = compare_policies(user, "derbyshire-2021", "london", as_at, limit=limit)
        took = time.perf_counter() - started
    print(f"{'compare 2021/London':>16}: {took:.2f} s ({comparison.total:,} rows, "
          f"{len(comparison.rows):,} returned)", flush=True)
    if profile:
        print(report(spent, took), flush=True)


def kept_facts(as_at: date, changed: int) -> None:
    """Build the day's snapshot (what the nightly run leaves), then mark ``changed`` people
    as changed since, as records arriving during the day would."""
    from iom.cohorts.candidates.snapshot import build
    from iom.cohorts.models import FactsSnapshot

    started = time.perf_counter()
    snapshot = build(as_at)
    took = time.perf_counter() - started
    size = len(bytes(FactsSnapshot.objects.get(pk=snapshot.pk).data)) / 2**20
    print(f"selection facts built: {snapshot.people:,} people in {took:.2f} s "
          f"({size:.1f} MiB kept)", flush=True)
    if changed:
        from django.db import connection

        with connection.cursor() as cursor:  # a change the triggers see, whatever it is
            cursor.execute("UPDATE people_nominal SET middle_names = middle_names "
                           "WHERE id IN (SELECT id FROM people_nominal ORDER BY random() "
                           "LIMIT %s)", [changed])
        print(f"{changed:,} people changed since (read afresh on every list)", flush=True)


def _loaded(people: int, as_at: date) -> Any:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    user = load(people, as_at)
    print(f"loaded {people:,} people in {time.perf_counter() - started:.0f} s")
    return user


def _reused() -> Any:
    from django.core.management import call_command

    from iom.accounts.models import User
    from iom.scoring.models import ScoreRun
    from iom.scoring.services import summarise_run

    call_command("migrate", verbosity=0)  # a database kept before the newest migrations
    for run in ScoreRun.objects.filter(finished_at__isnull=False):
        if written := summarise_run(run=run):  # a database kept before runs had summaries
            print(f"summarised {run}: {written:,} people (once)")
    return User.objects.get(username="bench_om")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--as-at", type=date.fromisoformat, default=date(2025, 6, 1))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--profile", action="store_true",
                        help="print the wall time of each stage of every last run")
    parser.add_argument("--limit", type=int, default=None,
                        help="return one page of this many people (totals still cover all)")
    parser.add_argument("--reuse", action="store_true",
                        help="time a database kept by an earlier --keep run, without loading")
    parser.add_argument("--afresh", action="store_true",
                        help="read every fact afresh on each list (no kept selection facts)")
    parser.add_argument("--changed", type=int, default=0,
                        help="people changed after the snapshot was built (default 0)")
    args = parser.parse_args(argv)
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        print("DATABASE_URL must be a PostgreSQL database (it is created and dropped).")
        return 2
    name = urlparse(url).path.lstrip("/")
    if not args.reuse:
        _admin_sql(url, f'DROP DATABASE IF EXISTS "{name}"')
        _admin_sql(url, f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    try:
        user = _reused() if args.reuse else _loaded(args.people, args.as_at)
        if args.afresh:
            from django.conf import settings

            settings.IOM_SELECTION_SNAPSHOT = False
        else:
            kept_facts(args.as_at, args.changed)
        time_it(user, args.as_at, args.runs, profile=args.profile, limit=args.limit)
    finally:
        from django.db import connections

        connections.close_all()
        if not (args.keep or args.reuse):
            _admin_sql(url, f'DROP DATABASE IF EXISTS "{name}"')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
