"""The retention rule over a partnership: the dry run's assessment at scale.

    .venv/bin/python bench/retention_dry_run.py --people 1000000
    .venv/bin/python bench/retention_dry_run.py --people 1000000 --db-people 50000

1. Builds a deterministic frame of N people's retention facts (date of birth,
   public protection, serious offending, last came to notice, the newest review
   decision) and times ``assess_frame`` over it: the rule ``apply_retention
   --dry-run`` applies to every person.
2. With ``--db-people M``, also migrates a fresh SQLite database, bulk-writes M
   people with one offending event each, and times the whole command
   ``apply_retention --dry-run`` (reading the facts in one query, then the rule),
   so the database read can be extrapolated.
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


def command(people: int) -> dict[str, float]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from iom.accounts.models import Organisation, OrganisationKind, Partnership
    from iom.people.models import Nominal, OffendingEvent

    north = Partnership.objects.create(name="Bench")
    police = Organisation.objects.create(partnership=north, kind=OrganisationKind.POLICE,
                                         name="Bench Police", is_statutory=True)
    Nominal.objects.bulk_create(
        [Nominal(partnership=north, forename="P", surname=f"S{i}", gender="M",
                 date_of_birth=date(1960 + i % 40, 1, 1), originating_organisation=police)
         for i in range(people)], batch_size=5000)
    ids = list(Nominal.objects.values_list("pk", flat=True))
    OffendingEvent.objects.bulk_create(
        [OffendingEvent(nominal_id=pk, kind="conviction", ho_code="45",
                        event_date=date(2010 + i % 16, 1 + i % 12, 1),
                        originating_organisation=police) for i, pk in enumerate(ids)],
        batch_size=5000)
    began = time.perf_counter()
    call_command("apply_retention", "--dry-run", stdout=io.StringIO())
    seconds = time.perf_counter() - began
    print(f"apply_retention --dry-run over {people:,} people in SQLite: {seconds:.2f} s")
    return {"people": people, "seconds": seconds}


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--db-people", type=int, default=0)
    args = parser.parse_args(argv)
    # A fresh database of its own, named before Django reads its settings.
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
