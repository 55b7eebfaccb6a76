"""Importing location fixes: a Parquet file of N fixes through the import service.

    IOM_ENV=development DATABASE_URL=sqlite:///var/iom.sqlite3 \\
        .venv/bin/python bench/fix_import.py --rows 2000000

Uses the loaded demo's partnership and police.om (``seed_demo``) and a throw-away fix
store (a temporary IOM_FIX_STORE_DIR). Writes (not timed) a Parquet file of 1,000 tags
reporting once a minute, then times ``import_fixes`` on it twice: the first stores
every fix, the second finds them all kept already. With ``--stages``, first times each
stage of a first import on its own (reading, checking, attributing to fittings, writing
the day files, nothing committed) and, after the two imports, the writing stage of the
same file again. With ``--fitted N`` the first N tags are fitted for their first day
(in a transaction rolled back at the end), so that attribution has work to do.
Target (issue 14): 20 M in under 60 s. Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def fixes_file(rows: int, tags: int = 1000) -> bytes:
    rng = np.random.default_rng(7)
    minute = np.arange(rows) // tags
    frame = pl.DataFrame({
        "device_id": pl.Series([f"BENCH-{i:04d}" for i in range(tags)]).gather(
            np.arange(rows) % tags),
        "fix_time": pl.Series(np.datetime64("2025-01-01T00:00", "us")
                              + (minute * 60_000_000).astype("timedelta64[us]")
                              ).dt.replace_time_zone("UTC"),
        "latitude": 53.8 + rng.normal(0, 0.05, rows),
        "longitude": -1.55 + rng.normal(0, 0.08, rows),
        "accuracy_m": rng.integers(3, 30, rows).astype(float)})
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


def stages(data: bytes, user: object, only_write: bool = False) -> dict[str, float]:
    """Wall seconds of each stage of ``import_fixes``, run one after another."""
    from iom.monitoring import fixstore, parsing
    from iom.monitoring.services.base import partnership_of
    from iom.monitoring.services.fixes import attributed

    partnership_id = partnership_of(user)  # type: ignore[arg-type]
    timings: dict[str, float] = {}

    def timed(name: str, began: float) -> None:
        timings[name] = round(time.perf_counter() - began, 2)

    began = time.perf_counter()
    raw = parsing.read_table(data, "bench.parquet")
    timed("read", began)
    began = time.perf_counter()
    rows = parsing.check_fixes(raw).rows
    timed("check", began)
    if not only_write:
        began = time.perf_counter()
        attributed(rows, partnership_id)
        timed("attribute", began)
    began = time.perf_counter()
    written, _ = fixstore.write_days(
        partnership_id, rows.with_columns(pl.lit(0, pl.Int64).alias("import_id")))
    timed("write", began)
    fixstore.discard(path for _, path in written)
    return timings


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--fitted", type=int, default=0,
                        help="fit this many of the tags for their first day (rolled back)")
    parser.add_argument("--stages", action="store_true",
                        help="also time each stage of the import on its own")
    args = parser.parse_args(argv)
    store = tempfile.mkdtemp(prefix="fix-bench-")
    os.environ["IOM_FIX_STORE_DIR"] = store
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import transaction

    from iom.accounts.models import User

    user = User.objects.get(username="police.om")
    with transaction.atomic():
        fit_tags(user, args.fitted)
        figures = measure(args, user)
        transaction.set_rollback(True)
    print(json.dumps(figures))
    return figures


def fit_tags(user: Any, count: int) -> None:
    """Fit the first ``count`` tags to the demo's people from the first fix to a day
    later, so that the import attributes fixes to fittings (rolled back afterwards)."""
    from iom.accounts.models import District
    from iom.monitoring.models import Device, Fitting
    from iom.people.models import Nominal

    if not count:
        return
    district = District.objects.filter(partnership_id=user.partnership_id).first()
    people = list(Nominal.objects.filter(partnership_id=user.partnership_id)[:count])
    start = datetime(2025, 1, 1, tzinfo=UTC)
    devices = Device.objects.bulk_create(
        Device(partnership_id=user.partnership_id, district=district, serial=f"BENCH-{i:04d}",
               supplier="bench", state="fitted", added_on=start.date()) for i in range(count))
    Fitting.objects.bulk_create(
        Fitting(nominal=people[i % len(people)], purpose="deter", consented_on=start.date(),
                consent_recorded_by=user, planned_start=start.date(),
                planned_end=start.date() + timedelta(days=30), device=device,
                fitted_at=start, fitted_by=user, removed_at=start + timedelta(days=1))
        for i, device in enumerate(devices))


def measure(args: argparse.Namespace, user: Any) -> dict[str, object]:
    from iom.monitoring.services import import_fixes

    data = fixes_file(args.rows)
    figures: dict[str, object] = {"rows": args.rows, "file_mib": len(data) // 2**20}
    if args.stages:
        figures["first_stages_s"] = stages(data, user)
    for name in ("first", "again"):
        began, cpu = time.perf_counter(), time.process_time()
        record = import_fixes(data=data, file_name="bench.parquet", acting_user=user,
                              through="bench")
        figures[f"{name}_s"] = round(time.perf_counter() - began, 2)
        figures[f"{name}_cpu_s"] = round(time.process_time() - cpu, 2)
        figures[f"{name}_stored"] = record.stored
        figures[f"{name}_unattributed"] = record.unattributed
    if args.stages:
        figures["again_write_s"] = stages(data, user, only_write=True)["write"]
    figures["load_average"] = [round(x, 1) for x in os.getloadavg()]
    return figures


if __name__ == "__main__":
    main()
