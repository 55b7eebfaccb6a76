"""All five scores for every person in one Polars query: twin of engine.score_person.

No Python runs per row: every rule is a column expression or a gather from a
small lookup array built from the same configuration as the pure scorers.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from iom.scoring.batch.css import custody_windows, earliest_start, zone_aggregates
from iom.scoring.batch.events import (
    MAX_EVENT_ID,
    event_aggregates,
    in_person_order,
    prepared_events,
    recorded_categories,
    sanction_aggregates,
)
from iom.scoring.batch.frames import Frame, Windows, as_text, windows
from iom.scoring.batch.intel import intel_aggregates
from iom.scoring.batch.lookups import lookups
from iom.scoring.batch.ogrs3 import OGRS3_COLUMNS, with_ogrs3
from iom.scoring.batch.risk import risk_columns, with_risk
from iom.scoring.engine.config import ScoringConfig, default_config
from iom.scoring.engine.iom_matrix import NOT_ELIGIBLE, PROFESSIONAL_DISCRETION, TO_PANEL

_COUNTS = ("css_units", "css_unweighted", "matrix_offences", "matrix_arrests",
           "matrix_compliance", "matrix_intelligence", "css_zone_units", "css_zone_unweighted",
           "css_custody_days", "css_extension")


def score_tables(
    people: Frame,
    events: Frame,
    custody: Frame,
    intelligence: Frame,
    as_at: date,
    config: ScoringConfig | None = None,
) -> pl.DataFrame:
    """One row per person with all five scores as at `as_at` (columns: docs/scores.md)."""
    cfg = config or default_config()
    lk, w = lookups(cfg), windows(as_at, cfg)
    extensions = custody_windows(custody.lazy(), w, cfg)
    ev = prepared_events(events.lazy(), lk, w, cfg, earliest_start(extensions, w)).lazy()
    _check_event_ids(ev)
    # The sums over millions of rows run on the streaming engine; the joins and
    # the per-person rules over one row a person cost half as much in memory.
    parts = pl.collect_all([
        event_aggregates(ev, lk, w, cfg),
        sanction_aggregates(ev, cfg, recorded_categories(events.lazy(), lk, w.as_at)),
        intel_aggregates(intelligence.lazy(), lk, w, cfg),
        zone_aggregates(ev, extensions, lk, w, cfg),
    ])
    person = joined(people, [*parts, extensions])
    person = with_risk(with_ogrs3(person, lk, w.as_at, cfg), w.before, cfg)
    return person.select(_outputs(w, cfg)).collect(engine="in-memory")


def joined(people: Frame, parts: list[pl.DataFrame]) -> pl.LazyFrame:
    """The people, in their own order, with each per-person part joined on (counts 0 if absent).

    With both sides in person order (and Polars told so) a join merges instead
    of hashing, in about half the time; the parts are small, so sorting them
    costs little, and people out of order are joined by hashing as before.
    """
    person = _people(people.lazy()).collect()
    ids = person["person_id"]
    if ids.null_count() == 0 and ids.is_sorted():
        person = person.with_columns(pl.col("person_id").set_sorted())
    lazy = person.lazy()
    for part in parts:
        lazy = lazy.join(in_person_order(part).lazy(), on="person_id", how="left",
                         maintain_order="left")
    names = lazy.collect_schema().names()
    return lazy.with_columns(pl.col(c).fill_null(0) for c in names if _is_count(c))


def _is_count(name: str) -> bool:
    return name in _COUNTS or name.startswith(("risk_events_", "risk_intel_"))


def _check_event_ids(ev: pl.LazyFrame) -> None:
    extremes = ev.select(low=pl.col("event_id").min(), high=pl.col("event_id").max()).collect()
    low, high = extremes.row(0)
    if low is not None and (low < 0 or high > MAX_EVENT_ID):
        raise ValueError(f"event ids must be 0..{MAX_EVENT_ID} for the batch scorer")


def _people(people: pl.LazyFrame) -> pl.LazyFrame:
    schema = people.collect_schema()
    return people.select(
        pl.col("person_id").cast(pl.Int64),
        "date_of_birth",
        gender=as_text("gender", schema),
        primary_substance=as_text("primary_substance", schema),  # few rows: text is fine
    )


def _outputs(w: Windows, cfg: ScoringConfig) -> list[pl.Expr]:
    return [
        pl.col("person_id"),
        pl.lit(w.as_at).alias("as_at"),
        pl.lit(cfg.version).alias("reference_version"),
        *(pl.col(c) for c in OGRS3_COLUMNS),
        *_css(cfg, w),
        *_matrix(cfg),
        *(pl.col(c) for c in risk_columns(cfg)),
    ]


def _css(cfg: ScoringConfig, w: Windows) -> list[pl.Expr]:
    c = cfg.css
    units = pl.col("css_units") + pl.col("css_zone_units")
    unweighted = pl.col("css_unweighted") + pl.col("css_zone_unweighted")
    band = (pl.when(units >= c.indicator * c.scale).then(pl.lit("indicator"))
            .when(unweighted > 0).then(pl.lit("incomplete"))
            .otherwise(pl.lit("below_indicator")))
    five_back = pl.lit(w.css_five_years_back)
    return [
        (units.cast(pl.Float64) / float(c.scale)).alias("css"),
        band.alias("css_band"),
        (unweighted == 0).alias("css_complete"),
        (five_back - pl.duration(days=pl.col("css_extension"))).alias("css_window_start"),
        pl.col("css_custody_days"),
    ]


def _matrix(cfg: ScoringConfig) -> list[pl.Expr]:
    m = cfg.matrix
    n = pl.col("matrix_compliance")
    points = [pl.when(n > over).then(pl.lit(pts, pl.Int64)).otherwise(pl.lit(0, pl.Int64))
              for over, pts in m.compliance_steps]
    compliance = (pl.sum_horizontal(points) if m.compliance_cumulative
                  else pl.max_horizontal(points)) if points else pl.lit(0, pl.Int64)
    total = (pl.col("matrix_offences") + pl.col("matrix_intelligence")
             + pl.col("matrix_arrests") * m.arrest_weight + compliance)
    band = (pl.when(total >= m.to_panel_from).then(pl.lit(TO_PANEL))
            .when(total >= m.professional_discretion_from).then(pl.lit(PROFESSIONAL_DISCRETION))
            .otherwise(pl.lit(NOT_ELIGIBLE)))
    return [total.alias("matrix"), band.alias("matrix_band")]
