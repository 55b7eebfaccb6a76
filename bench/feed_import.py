"""A million-row feed file into PostgreSQL, then the same file again.

    .venv/bin/python bench/feed_import.py --rows 1000000 --people 20000

Creates (and afterwards drops) its own database, by default
postgres://postgres@127.0.0.1:5432/iom_bench_feed (set FEED_BENCH_DATABASE_URL to
change it), migrates it, stores the people, writes a CSV feed file about them
(not timed), then times ``import_file`` twice on the same file: the first run
stores every record, the second must find every record unchanged. Targets
(issue 7): first run at most 60 s, second at most 30 s. Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/iom_bench_feed"


def _admin_sql(url: str, sql: str) -> None:
    import psycopg

    admin = urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def _people(count: int) -> None:
    from iom.accounts.models import Organisation, OrganisationKind, Partnership
    from iom.core.identifiers import make_pnc_id
    from iom.people.models import Nominal

    north = Partnership.objects.create(name="Bench")
    police = Organisation.objects.create(partnership=north, name="Bench Police",
                                         kind=OrganisationKind.POLICE, is_statutory=True)
    Nominal.objects.bulk_create(
        (Nominal(partnership=north, forename="Bench", surname=f"Person{i}",
                 date_of_birth=date(1990, 1, 1), gender="M", pnc_id=make_pnc_id(2010, i + 1),
                 originating_organisation=police) for i in range(count)), batch_size=5000)


class _SqlClock:
    """Time spent in each SQL statement, for the profile printed after each run."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            key = " ".join(sql.split())[:90]
            self.spent[key] = self.spent.get(key, 0.0) + time.perf_counter() - began

    def top(self, count: int = 8) -> list[tuple[float, str]]:
        return sorted(((round(v, 2), k) for k, v in self.spent.items()), reverse=True)[:count]


# (module, function): the stages of an import, timed by wrapping them for the run.
STAGES = (
    ("iom.feeds.services", "check_feed"), ("iom.feeds.services", "_with_new_people"),
    ("iom.feeds.loader", "_ledger"), ("iom.feeds.loader", "_classify"),
    ("iom.feeds.loader", "_reserve_ids"), ("iom.feeds.loader", "_copy_new"),
    ("iom.feeds.loader", "_load"), ("iom.feeds.loader", "_stage"),
    ("iom.feeds.loader", "_apply"), ("iom.feeds.services", "_log_changes"),
    ("iom.feeds.services", "raise_alerts"), ("iom.feeds.services", "_analyze"),
)


class _StageClock:
    """Wall time in each stage, and in the commit that ends the import's transaction."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.undo: list[tuple[Any, str, Any]] = []

    def _wrap(self, name: str, call: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            # Loads are timed per table: the first string argument names it.
            key = " ".join([name, *(a for a in args[:2] if isinstance(a, str))])
            began = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                self.spent[key] = self.spent.get(key, 0.0) + time.perf_counter() - began
        return timed

    def __enter__(self) -> _StageClock:
        import importlib

        from django.db import connections

        for module_name, name in STAGES:
            module = importlib.import_module(module_name)
            if hasattr(module, name):
                self.undo.append((module, name, getattr(module, name)))
                setattr(module, name, self._wrap(name, getattr(module, name)))
        self.database = connections["default"]
        self.database.commit = self._wrap(  # type: ignore[method-assign]
            "commit", self.database.commit)
        return self

    def __exit__(self, *exc: object) -> None:
        del self.database.commit
        for owner, name, original in reversed(self.undo):
            setattr(owner, name, original)


def _timed_import(path: Path) -> tuple[float, dict[str, int | str]]:
    from django.db import connection

    from iom.accounts.models import Organisation
    from iom.feeds.services import import_file, start_run

    run = start_run(file_name=path.name, organisation=Organisation.objects.get(),
                    acting_user=None)
    clock = _SqlClock()
    began = time.perf_counter()
    with connection.execute_wrapper(clock), _StageClock() as stages:
        import_file(run=run, path=path, acting_user=None, through="bench feed_import")
    seconds = time.perf_counter() - began
    for name, spent in stages.spent.items():
        print(f"  {spent:6.2f} s  stage {name}")
    for spent, sql in clock.top():
        print(f"  {spent:6.2f} s  {sql}")
    print(f"  {sum(clock.spent.values()):6.2f} s  in SQL statements altogether")
    return seconds, {"status": str(run.status), **run.counts, "rows": run.rows_total}


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)
    url = os.environ.get("FEED_BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ.update({"DATABASE_URL": url, "IOM_ENV": "test",
                       "DJANGO_SETTINGS_MODULE": "config.settings"})
    name = urlparse(url).path.lstrip("/")
    _admin_sql(url, f'DROP DATABASE IF EXISTS "{name}"')
    _admin_sql(url, f'CREATE DATABASE "{name}"')
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    try:
        call_command("migrate", verbosity=0)
        _people(args.people)
        from iom.feeds.generate import feed_frame, write_feed
        from iom.people.models import Nominal

        pncs = [str(p) for p in Nominal.objects.values_list("pnc_id", flat=True)]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "pnc-2025-06-02.csv"
            write_feed(feed_frame(pncs, rows=args.rows, day=date(2025, 6, 2)), path)
            first, counts1 = _timed_import(path)
            print(f"first import: {first:.1f} s {counts1}")
            second, counts2 = _timed_import(path)
            print(f"same file again: {second:.1f} s {counts2}")
        connection.close()
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            _admin_sql(url, f'DROP DATABASE IF EXISTS "{name}"')
    return {"first_seconds": first, "second_seconds": second}


if __name__ == "__main__":
    main()
