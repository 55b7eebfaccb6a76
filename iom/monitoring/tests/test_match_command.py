"""The file matcher: the same outcomes from files, one row per crime and device."""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from iom.monitoring.tests.factories import DEG_PER_M, LAT, LON, WHEN, csv_of, trail


def test_the_command_writes_one_row_per_crime_and_device_seen(tmp_path):
    fixes = tmp_path / "fixes.csv"
    fixes.write_bytes(csv_of(trail("D1", 40, range(-20, 80)) + trail("D2", 900, range(-20, 80))
                             + [("D3", WHEN.isoformat(), LAT + 900 * DEG_PER_M, LON, "")]))
    crimes = tmp_path / "crimes.csv"
    crimes.write_bytes(csv_of([("CR/1", "Burglary", WHEN.isoformat(),
                                (WHEN + timedelta(hours=1)).isoformat(), LAT, LON)],
                              "crime_ref,crime_type,from_time,to_time,latitude,longitude"))
    out = tmp_path / "out.csv"
    call_command("match_crimes", fixes=str(fixes), crimes=str(crimes), out=str(out))
    rows = list(csv.DictReader(out.open()))
    assert [(r["device_id"], r["outcome"]) for r in rows] == [
        ("D1", "placed"), ("D2", "eliminated"), ("D3", "not_eliminated")]
    assert float(rows[0]["nearest_m"]) == pytest.approx(40, abs=0.001)
    assert rows[0]["first_time"] == "2025-03-04T10:00:00+00:00" and rows[0]["fixes"] == "61"
    assert rows[1]["nearest_m"] == "" and rows[1]["first_time"] == ""
    call_command("match_crimes", fixes=str(fixes), crimes=str(crimes), out=str(out),
                 radius_m=30)
    assert next(r["outcome"] for r in csv.DictReader(out.open())) == "eliminated"


def test_a_bad_file_names_the_row_and_writes_nothing(tmp_path):
    fixes = tmp_path / "fixes.csv"
    fixes.write_bytes(csv_of([("D1", "yesterday", LAT, LON, "")]))
    out = tmp_path / "out.csv"
    with pytest.raises(CommandError, match="row 1, fix_time"):
        call_command("match_crimes", fixes=str(fixes), crimes=str(fixes), out=str(out))
    assert not out.exists()
