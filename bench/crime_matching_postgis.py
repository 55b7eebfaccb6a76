"""The same placed-pairs match in PostGIS, for bench/crime_matching.py --postgis.

Loads the benchmark's fixes and crimes into a throw-away database (default
postgres://postgres@127.0.0.1:5432/iom_bench_postgis; POSTGIS_BENCH_DATABASE_URL to
change it), with a GiST index on the geography and a B-tree on time, then times

    SELECT c.id, f.device, min(ST_Distance(f.geog, c.geog, false)), count(*)
    FROM crimes c JOIN fixes f
      ON f.t BETWEEN c.a AND c.b AND ST_DWithin(f.geog, c.geog, R, false)
    GROUP BY c.id, f.device

(``false``: on the sphere, as ours, so the pairs can be compared exactly). Installs
Debian's postgresql-15-postgis-3 when the extension is missing (never in the tests).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from typing import Any
from urllib.parse import urlparse

import numpy as np
import polars as pl

from iom.monitoring.batchmatch import Crimes, Fixes, Outcomes
from iom.monitoring.matching import Params

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/iom_bench_postgis"


def _ensure_postgis(admin: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
        if found.fetchone():
            return
    subprocess.run(["/usr/bin/apt-get", "install", "-y", "--no-install-recommends",
                    "postgresql-15-postgis-3"], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def _copy(conn: Any, table: str, columns: str, frame: pl.DataFrame) -> None:
    with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
        frame.write_csv(handle.name, include_header=False)
        copy = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)"
        with conn.cursor().copy(copy) as cp, open(handle.name, "rb") as source:
            while chunk := source.read(1 << 20):
                cp.write(chunk)


def compare(fixes: Fixes, crimes: Crimes, params: Params, ours: Outcomes) -> dict[str, Any]:
    import psycopg

    url = os.environ.get("POSTGIS_BENCH_DATABASE_URL", DEFAULT_URL)
    name = urlparse(url).path.lstrip("/")
    admin = urlparse(url)._replace(path="/postgres").geturl()
    _ensure_postgis(admin)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    figures: dict[str, Any] = {}
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            began = time.perf_counter()
            conn.execute("CREATE EXTENSION postgis")
            conn.execute("CREATE TABLE fixes (device int, t double precision, geog geography)")
            conn.execute("CREATE TABLE crimes (id int, a double precision, b double precision,"
                         " geog geography)")
            point = pl.format("SRID=4326;POINT({} {})", pl.col("lon"), pl.col("lat"))
            _copy(conn, "fixes", "device, t, geog", pl.DataFrame({
                "device": fixes.device, "t": fixes.time, "lon": fixes.longitude,
                "lat": fixes.latitude}).select("device", "t", point.alias("geog")))
            a, b = crimes.start - params.pad_s, crimes.end + params.pad_s
            _copy(conn, "crimes", "id, a, b, geog", pl.DataFrame({
                "id": np.arange(len(a)), "a": a, "b": b, "lon": crimes.longitude,
                "lat": crimes.latitude}).select("id", "a", "b", point.alias("geog")))
            conn.execute("CREATE INDEX ON fixes USING gist (geog)")
            conn.execute("CREATE INDEX ON fixes (t)")
            conn.execute("ANALYZE fixes")
            conn.execute("ANALYZE crimes")
            figures["postgis_load_and_index_s"] = round(time.perf_counter() - began, 3)
            began = time.perf_counter()
            rows = conn.execute(
                "SELECT c.id, f.device, min(ST_Distance(f.geog, c.geog, false)), count(*) "
                "FROM crimes c JOIN fixes f ON f.t BETWEEN c.a AND c.b "
                "AND ST_DWithin(f.geog, c.geog, %s, false) GROUP BY c.id, f.device",
                [params.radius_m]).fetchall()
            figures["postgis_placed_s"] = round(time.perf_counter() - began, 3)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    theirs = {(int(c), int(d)) for c, d, _, _ in rows}
    mine = set(zip(ours.crime.tolist(), ours.device.tolist(), strict=True))
    figures["postgis_placed_pairs"] = len(theirs)
    figures["postgis_same_pairs"] = theirs == mine
    figures["postgis_only"] = len(theirs - mine)
    figures["ours_only"] = len(mine - theirs)
    return figures


if __name__ == "__main__":
    raise SystemExit("Run bench/crime_matching.py --postgis")
