"""Intelligence sums per person: the IOM Matrix rows and the risk-score points."""

from __future__ import annotations

import polars as pl

from iom.scoring.batch.events import per_person_sums
from iom.scoring.batch.frames import Windows, as_text, band_index, category_index
from iom.scoring.batch.lookups import INTEL_CRIME_TYPES, OTHER_INTEL_TYPE, Lookups, intel_key
from iom.scoring.engine.config import ScoringConfig


def high_grade(schema: pl.Schema, cfg: ScoringConfig) -> pl.Expr:
    """Twin of engine.iom_matrix.is_high_grade."""
    grading = cfg.intelligence
    system = as_text("grading_system", schema)
    grade = as_text("source_grade", schema) + as_text("intel_grade", schema)
    return (
        pl.when(system == "5x5x5").then(grade.is_in(sorted(grading.high_grades_5x5x5)))
        .when(system == "3x5x2").then(grade.is_in(sorted(grading.high_grades_3x5x2)))
        .otherwise(pl.lit(value=False))
        .fill_null(value=False)
    )


def intel_aggregates(
    intelligence: pl.LazyFrame, lk: Lookups, w: Windows, cfg: ScoringConfig
) -> pl.LazyFrame:
    m = cfg.matrix
    schema = intelligence.collect_schema()
    recorded = pl.col("recorded_date")
    # Entries older than every window score nothing: drop them before the work per entry.
    oldest = min((*w.intel_bands_now, *w.intel_bands_before), default=w.as_at)
    scoring = (recorded >= w.intel_older_after) | (recorded > oldest)
    prepared = intelligence.filter((recorded <= w.as_at) & scoring).select(
        "person_id",
        "recorded_date",
        high=high_grade(schema, cfg).cast(pl.Int64),
        ct=category_index("crime_type", schema, INTEL_CRIME_TYPES, OTHER_INTEL_TYPE),
    )
    weight = (pl.when(pl.col("high") == 1).then(pl.lit(m.intelligence_high_weight, pl.Int64))
              .otherwise(pl.lit(m.intelligence_other_weight, pl.Int64)))
    now = intel_key(pl.col("high"), pl.col("ct"), band_index(recorded, w.intel_bands_now), lk)
    before = intel_key(pl.col("high"), pl.col("ct"),
                       band_index(recorded, w.intel_bands_before), lk)
    # Inclusive, as engine.iom_matrix: an entry exactly 8 weeks old still counts.
    per_entry = {"matrix_intelligence": weight * (recorded >= w.intel_older_after)}
    for profile, points in lk.intel_risk.items():
        per_entry[f"risk_intel_{profile}"] = pl.lit(points).gather(now)
        per_entry[f"risk_intel_before_{profile}"] = (
            pl.lit(points).gather(before) * (recorded <= w.before))
    return per_person_sums(prepared.select("person_id", **per_entry), list(per_entry))
