"""Access-log appends per second from concurrent writers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/iom_bench \\
        .venv/bin/python bench/access_log_appends.py --writers 8 --appends 500 --chains 1 8

Creates (and afterwards drops) the database named in DATABASE_URL, migrates
it, then for each chain count starts W writer processes that each append N
entries, every append in its own transaction, and prints appends/s. It ends
by verifying the whole log. With ``--runtime-role ROLE`` (an existing role
that owns nothing) the writers sign in as that role after
``manage.py grant_runtime_role``, as the application does in production.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("IOM_ENV", "test")


def _admin_sql(url: str, sql: str) -> None:
    import psycopg

    parsed = urlparse(url)
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def _writer(chains: int, appends: int, role: str | None, start: Any, done: Any) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if role:
        connection.settings_dict["USER"] = role

    from iom.audit.services import RecordRef, record_access

    settings.IOM_ACCESS_LOG_CHAINS = chains
    start.wait()
    began = time.perf_counter()
    for i in range(appends):
        record_access(user=None, action="view", through="bench", nominal_id=i,
                      records=[RecordRef("event", i)], reason="benchmark")
    done.put(time.perf_counter() - began)


def run(writers: int, appends: int, chains: int, role: str | None = None) -> float:
    start, done = mp.Event(), mp.Queue()  # type: ignore[var-annotated]
    procs = [mp.Process(target=_writer, args=(chains, appends, role, start, done))
             for _ in range(writers)]
    for p in procs:
        p.start()
    time.sleep(2)  # let every writer connect before the clock starts
    began = time.perf_counter()
    start.set()
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - began
    return writers * appends / elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--appends", type=int, default=500)
    parser.add_argument("--chains", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--runtime-role", default=None,
                        help="an existing non-owner role for the writers to sign in as")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL database (it is created and dropped).")
        return 2
    name = urlparse(url).path.lstrip("/")
    _admin_sql(url, f'DROP DATABASE IF EXISTS "{name}"')
    _admin_sql(url, f'CREATE DATABASE "{name}"')
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    if args.runtime_role:
        call_command("grant_runtime_role", role=args.runtime_role, verbosity=0)
    from django.db import connection

    connection.close()
    try:
        for chains in args.chains:
            rate = run(args.writers, args.appends, chains, args.runtime_role)
            print(f"chains={chains:<3} writers={args.writers} appends/s={rate:,.0f}"
                  + (f" as {args.runtime_role}" if args.runtime_role else ""))
        from iom.audit.verify import verify_access_log

        report = verify_access_log()
        print(f"verified: {report.entries} entries, intact={report.ok}")
        connection.close()
    finally:
        if not args.keep:
            _admin_sql(url, f'DROP DATABASE IF EXISTS "{name}"')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
