"""The retention rule over a partnership: the dry run's assessment at scale.

    .venv/bin/python bench/retention_dry_run.py --people 1000000

1. Builds a deterministic frame of N people's retention facts (date of birth,
   public protection, serious offending, last came to notice, the newest review
   decision) and times ``assess_frame`` over it: the rule ``apply_retention
   --dry-run`` applies to every person.
2. With ``--db-people M``, also migrates a fresh SQLite database (or, with
   ``--postgres``, the empty database DATABASE_URL names), writes M people with one
   offending event each by SQL (copies of one row, so a million take seconds), and
   times the whole command ``apply_retention --dry-run``: one grouped query per
   table read with the database cursor, then the rule in Polars.

    .venv/bin/python bench/retention_dry_run.py --people 1000 --db-people 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/iom_bench_retention \\
      .venv/bin/python bench/retention_dry_run.py --people 1000 --db-people 1000000 --postgres
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("IOM_ENV", "test")


def facts(people: int, seed: int = 7) -> object:
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    epoch = date(1940, 1, 1)
    born = rng.integers(0, 365 * 70, people)
    last = rng.integers(365 * 60, 365 * 86, people)
    decision = rng.choice(["", "retain", "dispose", "legal_hold"], people,
                          p=[0.9, 0.05, 0.03, 0.02])
    return pl.DataFrame({
        "nominal_id": np.arange(people, dtype=np.int64),
        "date_of_birth": [epoch + timedelta(days=int(d)) for d in born],
        "has_protection": rng.random(people) < 0.04,
        "serious": rng.random(people) < 0.3,
        "last_came_to_notice": [epoch + timedelta(days=int(d)) for d in last],
        "decision": [d or None for d in decision],
        "decided_on": [date(2025, 1, 1) if d else None for d in decision],
        "review_again_on": [None] * people,
    }, schema_overrides={"decision": pl.Utf8, "decided_on": pl.Date,
                         "review_again_on": pl.Date})


def rule(people: int) -> dict[str, float]:
    import django

    django.setup()
    from iom.governance.retention import assess_frame

    frame = facts(people)
    began = time.perf_counter()
    out = assess_frame(frame, date(2026, 6, 1))  # type: ignore[arg-type]
    seconds = time.perf_counter() - began
    counts = dict(out.group_by("verdict").len().iter_rows())
    print(f"rule over {people:,} people: {seconds:.2f} s; {counts}")
    return {"people": people, "seconds": seconds}


def _copies(table: str, template: int, people: int, changes: dict[str, str]) -> str:
    """SQL copying one template row ``people`` times (``n`` counts 0..people-1), with
    some columns worked out from ``n``: a million rows in seconds, not minutes."""
    from django.db import connection

    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(
            cursor, table) if c.name != "id"]
    chosen = ", ".join(changes.get(c, c) for c in columns)
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        return (f"INSERT INTO {table} ({names}) SELECT {chosen} FROM {table}, "
                f"generate_series(0, {people - 1}) AS s(n) WHERE {table}.id = {template}")
    return (f"WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s "
            f"WHERE n < {people - 1}) INSERT INTO {table} ({names}) SELECT {chosen} "
            f"FROM {table}, s WHERE {table}.id = {template}")


def build(people: int) -> float:
    """People with one offending event each, a tenth of them in a serious category
    (Home Office code 104), dated over 21 years, so that every verdict occurs."""
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from iom.accounts.models import Organisation, OrganisationKind, Partnership
    from iom.people.models import Nominal, OffendingEvent

    began = time.perf_counter()
    north = Partnership.objects.create(name="Bench")
    police = Organisation.objects.create(partnership=north, kind=OrganisationKind.POLICE,
                                         name="Bench Police", is_statutory=True)
    first = Nominal.objects.create(partnership=north, forename="P", surname="S", gender="M",
                                   date_of_birth=date(1960, 1, 1),
                                   originating_organisation=police)
    pg = connection.vendor == "postgresql"
    day = ("(DATE '{0}' + (n % {1}))" if pg else "date('{0}', '+' || (n % {1}) || ' days')")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_copies("people_nominal", first.pk, people - 1, {
            "surname": "'S' || n", "date_of_birth": day.format("1940-01-01", 365 * 60)}))
        event = OffendingEvent.objects.create(nominal=first, kind="conviction", ho_code="45",
                                              event_date=date(2010, 1, 1),
                                              originating_organisation=police)
        # One event each, joined on the people just made (ids follow on from the first).
        cursor.execute(_copies("people_offendingevent", event.pk, people - 1, {
            "nominal_id": f"{first.pk} + n + 1",
            "event_date": day.format("2005-01-01", 365 * 21),
            "ho_code": "CASE WHEN n % 10 = 0 THEN '104' ELSE '45' END"}))
    count = Nominal.objects.count()
    assert count == people, count
    seconds = time.perf_counter() - began
    print(f"built {people:,} people with one event each in {connection.vendor}: {seconds:.1f} s")
    return seconds


def command(people: int) -> dict[str, float]:
    from django.core.management import call_command
    from django.db import connection

    built = build(people)
    out = io.StringIO()
    began = time.perf_counter()
    call_command("apply_retention", "--dry-run", stdout=out)
    seconds = time.perf_counter() - began
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    print(f"apply_retention --dry-run over {people:,} people in {connection.vendor}: "
          f"{seconds:.2f} s (process CPU so far {cpu.ru_utime + cpu.ru_stime:.1f} s)")
    print(out.getvalue().splitlines()[-2] if out.getvalue().count("\n") > 1
          else out.getvalue().strip())
    return {"people": people, "seconds": seconds, "build_seconds": built}


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--db-people", type=int, default=0)
    parser.add_argument("--postgres", action="store_true",
                        help="use the DATABASE_URL given (an empty PostgreSQL database) "
                             "instead of a fresh SQLite file")
    args = parser.parse_args(argv)
    # A fresh database of its own, named before Django reads its settings.
    if not args.postgres:
        workdir = tempfile.mkdtemp(prefix="iom-retention-")
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    figures = rule(args.people)
    if args.db_people:
        figures.update({f"db_{k}": v for k, v in command(args.db_people).items()})
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak_rss_mib {peak:.0f}")
    return figures


if __name__ == "__main__":
    main()
