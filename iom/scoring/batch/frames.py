"""Reading the four tables and the few column helpers every batch step shares."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from iom.scoring.engine.config import ScoringConfig
from iom.scoring.engine.dates import add_months, add_years
from iom.scoring.engine.risk import recency_bands

Frame = pl.DataFrame | pl.LazyFrame
TABLES = ("people", "events", "custody", "intelligence")


@dataclass(frozen=True)
class Tables:
    people: pl.LazyFrame
    events: pl.LazyFrame
    custody: pl.LazyFrame
    intelligence: pl.LazyFrame


def read_tables(directory: str | Path) -> Tables:
    """Lazy scans of the Parquet tables of docs/data.md, so only needed columns are read."""
    folder = Path(directory)
    scans = {name: pl.scan_parquet(folder / f"{name}.parquet") for name in TABLES}
    return Tables(**scans)


@dataclass(frozen=True)
class Windows:
    """Every window boundary of every score, worked out once with the pure helpers."""

    as_at: date
    before: date  # as-at date of the emerging-threat comparison
    css_five_years_back: date
    matrix_offences_after: date
    matrix_arrests_after: date
    matrix_compliance_after: date
    intel_recent_after: date
    intel_older_after: date
    event_bands_now: tuple[date, ...]
    event_bands_before: tuple[date, ...]
    intel_bands_now: tuple[date, ...]
    intel_bands_before: tuple[date, ...]


def windows(as_at: date, cfg: ScoringConfig) -> Windows:
    m, r = cfg.matrix, cfg.risk
    before = as_at - timedelta(days=cfg.emerging.period_days)
    return Windows(
        as_at=as_at,
        before=before,
        css_five_years_back=add_years(as_at, -cfg.css.years),
        matrix_offences_after=add_months(as_at, -m.offence_window_months),
        matrix_arrests_after=add_months(as_at, -m.arrests_months),
        matrix_compliance_after=add_months(as_at, -m.compliance_months),
        intel_recent_after=as_at - timedelta(days=m.intelligence_recent_days),
        intel_older_after=as_at - timedelta(days=m.intelligence_older_days),
        event_bands_now=_bounds(as_at, r.event_recency),
        event_bands_before=_bounds(before, r.event_recency),
        intel_bands_now=_bounds(as_at, r.intelligence_recency),
        intel_bands_before=_bounds(before, r.intelligence_recency),
    )


def _bounds(as_at: date, table: tuple[tuple[int, int], ...]) -> tuple[date, ...]:
    return tuple(boundary for boundary, _ in recency_bands(as_at, table))


def band_index(column: pl.Expr, bounds: tuple[date, ...]) -> pl.Expr:
    """0 for a date after the first boundary, 1 after the second, ...; len(bounds) if older."""
    if not bounds:
        return pl.lit(0, pl.Int64)
    chain: Any = pl.when(column > bounds[0]).then(pl.lit(0, pl.Int64))
    for i, bound in enumerate(bounds[1:], start=1):
        chain = chain.when(column > bound).then(pl.lit(i, pl.Int64))
    return chain.otherwise(pl.lit(len(bounds), pl.Int64))  # type: ignore[no-any-return]


def category_index(
    name: str, schema: pl.Schema, categories: tuple[str, ...], other: int
) -> pl.Expr:
    """Index of a text or Enum column's value in `categories`; `other` for anything else.

    An Enum whose categories are exactly these is read by its physical code,
    which saves comparing millions of strings.
    """
    dtype = schema[name]
    column = pl.col(name)
    if isinstance(dtype, pl.Enum) and tuple(dtype.categories.to_list()) == categories:
        return column.to_physical().cast(pl.Int64).fill_null(other)
    if isinstance(dtype, pl.Enum | pl.Categorical):
        column = column.cast(pl.String)
    return column.replace_strict(
        list(categories), list(range(len(categories))), default=other, return_dtype=pl.Int64)


def stored_in(name: str, values: Iterable[str], schema: pl.Schema) -> pl.Expr:
    """Whether a stored text or Enum column's value is one of `values` (never for a null).

    Written on the column as stored, so that a Parquet scan can apply it while reading."""
    wanted = sorted(set(values))
    dtype = schema[name]
    if isinstance(dtype, pl.Enum):
        categories = set(dtype.categories.to_list())
        wanted = [v for v in wanted if v in categories]
    if not wanted:
        return pl.lit(value=False)
    column = pl.col(name) if isinstance(dtype, pl.Enum) else as_text(name, schema)
    return column.is_in(wanted).fill_null(value=False)


def as_text(name: str, schema: pl.Schema) -> pl.Expr:
    dtype = schema[name]
    column = pl.col(name)
    return column.cast(pl.String) if isinstance(dtype, pl.Enum | pl.Categorical) else column


def whole_years(born: pl.Expr, on: pl.Expr | date) -> pl.Expr:
    """Vector twin of engine.dates.whole_years (29 February birthdays count on 1 March)."""
    on_expr = pl.lit(on) if isinstance(on, date) else on
    on_md = on_expr.dt.month().cast(pl.Int32) * 100 + on_expr.dt.day().cast(pl.Int32)
    born_md = born.dt.month().cast(pl.Int32) * 100 + born.dt.day().cast(pl.Int32)
    years = on_expr.dt.year().cast(pl.Int32) - born.dt.year().cast(pl.Int32)
    return years - (on_md < born_md).cast(pl.Int32)
