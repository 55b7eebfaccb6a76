"""Field-by-field comparison of a pure score_person result with a batch row: how the
tests and bench/score_batch.py show that the Polars twin gives the pure scores."""

from __future__ import annotations

import math
from typing import Any

from iom.scoring.engine.results import (
    CssResult,
    EmergingResult,
    Ogrs3Result,
    RiskResult,
    ScoreResult,
)


def differences(pure: dict[str, ScoreResult], row: dict[str, Any]) -> list[str]:
    """Every field where the batch row differs from the pure results (empty: identical)."""
    o, c, m = pure["ogrs3"], pure["crime_severity"], pure["iom_matrix"]
    r, e = pure["risk_of_reoffending"], pure["emerging_threat"]
    assert isinstance(o, Ogrs3Result) and isinstance(c, CssResult)
    assert isinstance(r, RiskResult) and isinstance(e, EmergingResult)
    expected: dict[str, Any] = {
        "ogrs3_error": o.error.code.value if o.error else None,
        "ogrs3_1y": o.probability_1y, "ogrs3_2y": o.probability_2y,
        "ogrs3_1y_percent": o.percent_1y, "ogrs3_2y_percent": o.percent_2y,
        "ogrs3_band": o.band,
        "css": c.value, "css_band": c.band, "css_complete": c.complete,
        "css_window_start": c.window_start, "css_custody_days": c.custody_days,
        "matrix": m.value, "matrix_band": m.band,
        "risk": r.value, "risk_grade": r.band, "risk_profile": r.profile,
        **{f"risk_{p}": s for p, s in r.profile_scores},
        "risk_before": e.score_before, "risk_grade_before": e.grade_before,
        "emerging_rise": e.value, "emerging_band": e.band,
        "emerging_period_start": e.period_start,
        "reference_version": o.reference_version,
    }
    return [f"{k}: pure {v!r} batch {row[k]!r}" for k, v in expected.items()
            if not _same(v, row[k])]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0) or a == b
    return bool(a == b)
