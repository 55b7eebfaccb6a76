"""Reading location-fix and crime files into checked tables (pure: Polars, no Django).

Each reader returns the good rows and a list of problems naming the row (counted
from 1, the header not counted), the column and what is wrong. A file with any
problem is refused whole by the services, so nothing is half-imported.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import polars as pl

from . import fixorder

FIX_COLUMNS = ("device_id", "fix_time", "latitude", "longitude", "accuracy_m")
CRIME_COLUMNS = ("crime_ref", "crime_type", "from_time", "to_time")
ISO_FORMAT = "%Y-%m-%dT%H:%M:%S%.f%z"
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    reason: str

    def as_json(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class Checked:
    rows: pl.DataFrame
    problems: list[Problem]
    problem_count: int


class Unreadable(ValueError):
    """The file is not a CSV or Parquet file with the expected columns."""


def read_table(data: bytes, file_name: str) -> pl.DataFrame:
    """The file as a table: a CSV's columns as text; a Parquet file's numbers and
    zoned times as they are (checked as such, without a round trip through text), any
    other column as text."""
    try:
        if file_name.lower().endswith((".parquet", ".pq")):
            frame = pl.read_parquet(io.BytesIO(data))
            return frame.with_columns(_typed_or_text(frame[c]).alias(c) for c in frame.columns)
        return pl.read_csv(io.BytesIO(data), infer_schema=False)
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        raise Unreadable(f"The file could not be read as {_kind(file_name)}: "
                         f"{str(exc).splitlines()[0][:200]}") from exc


def _kind(file_name: str) -> str:
    return "Parquet" if file_name.lower().endswith((".parquet", ".pq")) else "CSV"


def _typed_or_text(column: pl.Series) -> pl.Series:
    """Zoned times in UTC and numbers as they are; naive times as text without an
    offset (so refused, as in a CSV); anything else as text."""
    if isinstance(column.dtype, pl.Datetime):
        if column.dtype.time_zone is None:
            return column.dt.strftime("%Y-%m-%dT%H:%M:%S%.f")
        return column.dt.convert_time_zone("UTC").dt.cast_time_unit("us")
    if column.dtype.is_numeric():
        return column.cast(pl.Float64)
    return column.cast(pl.String)


def _missing(frame: pl.DataFrame, needed: tuple[str, ...]) -> None:
    absent = [c for c in needed if c not in frame.columns]
    if absent:
        raise Unreadable("The file has no column " + ", ".join(absent) +
                         " (it needs " + ", ".join(needed) + ").")


def iso_time(column: str, dtype: pl.DataType | None = None) -> pl.Expr:
    """ISO 8601 text with an offset (or Z) as a UTC time; null when it is not one. A
    column already of zoned times is taken as it is."""
    if isinstance(dtype, pl.Datetime):
        return pl.col(column)
    text = (pl.col(column).str.strip_chars().str.replace(r"^(\d{4}-\d\d-\d\d) ", "${1}T")
            .str.replace(r"Z$", "+00:00"))
    return text.str.to_datetime(ISO_FORMAT, strict=False, time_zone="UTC",
                                time_unit="us")


def _number(column: str, dtype: pl.DataType | None = None) -> pl.Expr:
    if dtype is not None and dtype.is_numeric():
        return pl.col(column).cast(pl.Float64)
    return pl.col(column).str.strip_chars().cast(pl.Float64, strict=False)


def _problems(frame: pl.DataFrame, checks: list[tuple[str, pl.Expr, str]]) -> Checked:
    """Apply each (column, bad-row condition, reason) and gather the problems."""
    found = [frame.filter(bad).select("row", pl.lit(col).alias("column"),
                                      pl.lit(reason).alias("reason"))
             for col, bad, reason in checks]
    problems = pl.concat(found).sort("row", "column") if found else pl.DataFrame()
    bad_rows = set(problems["row"].to_list()) if problems.height else set()
    listed = [Problem(r, c, m) for r, c, m in problems.head(MAX_PROBLEMS).iter_rows()]
    good = frame.filter(~pl.col("row").is_in(list(bad_rows))) if bad_rows else frame
    return Checked(rows=good, problems=listed, problem_count=problems.height)


def check_fixes(raw: pl.DataFrame) -> Checked:
    """The fixes checked, the good rows sorted by day, device and time (the order the
    store keeps them in: ``fixorder``)."""
    _missing(raw, FIX_COLUMNS[:4])
    if "accuracy_m" not in raw.columns:
        raw = raw.with_columns(pl.lit(None, pl.String).alias("accuracy_m"))
    types = raw.schema
    given_acc = (pl.col("accuracy_m").is_not_null() if types["accuracy_m"].is_numeric()
                 else pl.col("accuracy_m").str.strip_chars().fill_null("") != "")
    frame = raw.with_row_index("row", offset=1).select(
        pl.col("row").cast(pl.Int64), pl.lit(_device_ids(raw["device_id"])),
        iso_time("fix_time", types["fix_time"]).alias("time"),
        _number("latitude", types["latitude"]).alias("lat"),
        _number("longitude", types["longitude"]).alias("lon"),
        _number("accuracy_m", types["accuracy_m"]).alias("acc"), given_acc.alias("given_acc"))
    frame = frame.with_columns(fixorder.store_key(frame["device_id"], frame["time"])).sort(
        "key", nulls_last=True)
    checked = _problems(frame, [
        ("device_id", pl.col("device_id").fill_null("") == "", "Enter the device id"),
        ("fix_time", pl.col("time").is_null(),
         "Not an ISO 8601 time with an offset, such as 2025-06-02T14:05:00+01:00"),
        ("latitude", ~pl.col("lat").is_between(-90, 90).fill_null(False),
         "Not a latitude from -90 to 90 (WGS84 degrees)"),
        ("longitude", ~pl.col("lon").is_between(-180, 180).fill_null(False),
         "Not a longitude from -180 to 180 (WGS84 degrees)"),
        ("accuracy_m", pl.col("given_acc") & ~(pl.col("acc") >= 0).fill_null(False),
         "Not an accuracy in metres (0 or more), or leave it empty"),
        ("fix_time", fixorder.repeated(pl.col("key")),
         "The same device and time appear on another row of the file"),
    ])
    checked.rows = checked.rows.select(
        "row", "device_id", pl.col("time").alias("fix_time"), pl.col("lat").alias("latitude"),
        pl.col("lon").alias("longitude"), pl.col("acc").alias("accuracy_m"))
    return checked


def _device_ids(column: pl.Series) -> pl.Series:
    """The ids as text without surrounding spaces: looked at on the distinct ids (a
    file's tags are few), stripped row by row only when one has spaces."""
    text = column.cast(pl.String)
    distinct = text.unique().drop_nulls()
    if (distinct.str.strip_chars() == distinct).all():
        return text.alias("device_id")
    return text.str.strip_chars().alias("device_id")


def check_crimes(raw: pl.DataFrame) -> Checked:
    _missing(raw, CRIME_COLUMNS)
    grid = "easting" in raw.columns and "northing" in raw.columns
    if not grid and not ("latitude" in raw.columns and "longitude" in raw.columns):
        raise Unreadable("The file needs latitude and longitude, or easting and northing "
                         "(British National Grid).")
    frame = raw.with_row_index("row", offset=1).with_columns(
        pl.col("row").cast(pl.Int64), pl.col("crime_ref").str.strip_chars(),
        pl.col("crime_type").str.strip_chars(), iso_time("from_time").alias("start"),
        iso_time("to_time").alias("end"))
    frame = _place(frame, grid)
    time_hint = "Not an ISO 8601 time with an offset, such as 2025-06-02T14:05:00+01:00"
    place = ("easting", "Not a British National Grid easting and northing in metres") if grid \
        else ("latitude", "Not a latitude and longitude in WGS84 degrees")
    checked = _problems(frame, [
        ("crime_ref", pl.col("crime_ref").fill_null("") == "", "Enter the crime reference"),
        ("crime_type", pl.col("crime_type").fill_null("") == "", "Enter the crime type"),
        ("from_time", pl.col("start").is_null(), time_hint),
        ("to_time", pl.col("end").is_null(), time_hint),
        ("to_time", (pl.col("end") < pl.col("start")).fill_null(False),
         "The window ends before it starts"),
        (place[0], pl.col("lat").is_null() | pl.col("lon").is_null(), place[1]),
        ("crime_ref", pl.col("crime_ref").is_duplicated() & (pl.col("crime_ref") != ""),
         "The same crime reference appears on another row of the file"),
    ])
    checked.rows = checked.rows.select("row", "crime_ref", "crime_type", "start", "end",
                                       pl.col("lat").alias("latitude"),
                                       pl.col("lon").alias("longitude"))
    return checked


def _place(frame: pl.DataFrame, grid: bool) -> pl.DataFrame:
    if not grid:
        lat, lon = _number("latitude"), _number("longitude")
        return frame.with_columns(
            pl.when(lat.is_between(-90, 90) & lon.is_between(-180, 180)).then(lat).alias("lat"),
            pl.when(lat.is_between(-90, 90) & lon.is_between(-180, 180)).then(lon).alias("lon"))
    east = frame.select(_number("easting")).to_series()
    north = frame.select(_number("northing")).to_series()
    lat_s, lon_s = bng_to_wgs84(east, north)
    return frame.with_columns(lat_s.alias("lat"), lon_s.alias("lon"))


# The extent of the British National Grid (OS: 0-700 km east, 0-1,300 km north).
GRID_EAST_MAX, GRID_NORTH_MAX = 700_000.0, 1_300_000.0


def bng_to_wgs84(east: pl.Series, north: pl.Series) -> tuple[pl.Series, pl.Series]:
    """OSGB36 / British National Grid (EPSG:27700) metres to WGS84 degrees with
    pyproj (without the OSTN15 grid file installed, PROJ's published Helmert
    transformation, good to a few metres: docs/monitoring.md)."""
    from pyproj import Transformer

    inside = (east.is_between(0, GRID_EAST_MAX) & north.is_between(0, GRID_NORTH_MAX)
              ).fill_null(False)
    transformer = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    lon, lat = transformer.transform(east.fill_null(0).to_numpy(),
                                     north.fill_null(0).to_numpy())
    lat_s = pl.Series(lat).zip_with(inside, pl.Series([None] * len(lat), dtype=pl.Float64))
    lon_s = pl.Series(lon).zip_with(inside, pl.Series([None] * len(lon), dtype=pl.Float64))
    return lat_s, lon_s
