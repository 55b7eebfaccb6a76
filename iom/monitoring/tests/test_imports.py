"""Importing fixes and crimes: all or nothing, row-level reports, idempotent, BNG."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from iom.monitoring import fixstore, services
from iom.monitoring.matching import haversine_m
from iom.monitoring.models import Crime
from iom.monitoring.tests.factories import WHEN, csv_of, fitted

pytestmark = pytest.mark.django_db


def _fixes(world, data: bytes, name: str = "fixes.csv"):
    return services.import_fixes(data=data, file_name=name, acting_user=world.users["police"],
                                 through="test")


def test_a_file_with_one_bad_row_stores_nothing_and_names_the_row(world):
    data = csv_of([("BUD-001", "2025-03-04T10:00:00+00:00", 53.8, -1.55, 5),
                   ("BUD-001", "2025-03-04 11:00", 53.8, -1.55, 5),
                   ("BUD-001", "2025-03-04T10:01:00Z", 91, -1.55, "")])
    run = _fixes(world, data)
    assert not run.accepted and run.stored == 0 and run.problem_count == 2
    assert [(p["row"], p["column"]) for p in run.problems] == [(2, "fix_time"), (3, "latitude")]
    assert fixstore.read_day(run.partnership_id, WHEN.date()).height == 0


def test_importing_again_stores_nothing_new_and_fixes_outside_a_fitting_are_counted(world):
    fitting = fitted(world)
    assert fitting.fitted_at is not None
    rows: list[tuple[object, ...]] = [
        ("BUD-001", (WHEN + timedelta(minutes=m)).isoformat(), 53.8, -1.55, 4) for m in range(3)]
    rows.append(("BUD-001", (fitting.fitted_at - timedelta(hours=1)).isoformat(), 53.8, -1.5,
                 None))
    rows.append(("BUD-999", WHEN.isoformat(), 53.8, -1.5, None))
    first = _fixes(world, csv_of(rows))
    assert (first.accepted, first.stored, first.duplicates, first.unattributed) == (
        True, 5, 0, 2)
    again = _fixes(world, csv_of(rows))
    assert (again.stored, again.duplicates) == (0, 5)
    kept = fixstore.read_window(first.partnership_id, WHEN - timedelta(days=2),
                                WHEN + timedelta(days=1))
    assert kept.height == 5 and kept["import_id"].unique().to_list() == [first.pk]


def test_parquet_fixes_with_zoned_times_import_and_naive_times_are_refused(world):
    times = [datetime(2025, 3, 4, 10, m, tzinfo=UTC) for m in range(2)]
    frame = pl.DataFrame({"device_id": ["BUD-001"] * 2, "fix_time": times,
                          "latitude": [53.8, 53.8], "longitude": [-1.55, -1.55],
                          "accuracy_m": [3.0, None]})
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    assert _fixes(world, buffer.getvalue(), "day.parquet").stored == 2
    naive = io.BytesIO()
    frame.with_columns(pl.col("fix_time").dt.replace_time_zone(None)).write_parquet(naive)
    refused = _fixes(world, naive.getvalue(), "naive.parquet")
    assert not refused.accepted and refused.problems[0]["column"] == "fix_time"


def test_a_file_without_the_columns_is_refused_whole(world):
    run = _fixes(world, b"device,when\nA,B\n")
    assert not run.accepted and "no column device_id" in run.problems[0]["reason"]


def _crimes(world, data: bytes):
    return services.import_crimes(data=data, file_name="crimes.csv",
                                  acting_user=world.users["police"], through="test")


def test_crimes_on_the_national_grid_are_converted_and_versioned_by_reference(world):
    header = "crime_ref,crime_type,from_time,to_time,easting,northing"
    # Ordnance Survey's worked example ("A guide to coordinate systems in Great
    # Britain", C.2): E 651409.903, N 313177.270 is 52 39' 27.2531" N, 1 43' 4.5177" E
    # on OSGB36 (52.657570, 1.717922). WGS84 sits about 134 m away there (the datum
    # shift, PROJ's Helmert): 52.657979 N, 1.716052 E.
    batch = _crimes(world, csv_of([("CR/1", "Burglary", "2025-03-04T10:00:00Z",
                                    "2025-03-04T11:00:00Z", 651409.903, 313177.270)], header))
    crime = Crime.objects.get(crime_ref="CR/1")
    assert batch.accepted and crime.version == 1
    from pyproj import Transformer

    on_osgb36 = Transformer.from_crs("EPSG:27700", "EPSG:4277", always_xy=True).transform(
        651409.903, 313177.270)
    assert on_osgb36 == pytest.approx((1.717922, 52.657570), abs=1e-6)
    assert (crime.latitude, crime.longitude) == pytest.approx((52.657979, 1.716052), abs=1e-6)
    assert haversine_m(crime.latitude, crime.longitude, 52.657570, 1.717922) == pytest.approx(
        134, abs=5)
    same = _crimes(world, csv_of([("CR/1", "Burglary", "2025-03-04T10:00:00Z",
                                   "2025-03-04T11:00:00Z", 651409.903, 313177.270)], header))
    assert list(same.entries.all()) == [crime]
    changed = _crimes(world, csv_of([("CR/1", "Burglary", "2025-03-04T09:30:00Z",
                                      "2025-03-04T11:00:00Z", 651409.903, 313177.270)], header))
    assert [c.version for c in changed.entries.all()] == [2]


def test_a_crime_batch_reports_each_bad_row_and_keeps_nothing(world):
    header = "crime_ref,crime_type,from_time,to_time,latitude,longitude"
    batch = _crimes(world, csv_of([
        ("CR/1", "Burglary", "2025-03-04T10:00:00Z", "2025-03-04T11:00:00Z", 53.8, -1.5),
        ("CR/2", "Robbery", "2025-03-04T10:00:00Z", "2025-03-04T09:00:00Z", 53.8, -1.5),
        ("CR/3", "", "2025-03-04T10:00:00Z", "2025-03-04T11:00:00Z", 53.8, 200)], header))
    assert not batch.accepted and Crime.objects.count() == 0
    assert [(p["row"], p["column"]) for p in batch.problems] == [
        (2, "to_time"), (3, "crime_type"), (3, "latitude")]
