"""Disproportionality: a relative rate index with its confidence interval (004 1.26-1.35).

For a group g (an age band, a gender, an ethnic group), the cohort's share
``a / n1`` against a reference population's share ``b / n2`` (the eligible
population, or everyone of the partnership):

    RRI = (a / n1) / (b / n2)

The interval is the usual one on the log scale (Katz):
``exp(log RRI +/- z * sqrt(1/a - 1/n1 + 1/b - 1/n2))``. Where a or b is zero,
``zero_cell_correction`` (0.5, Haldane) is added to the group's count and to
the count of everyone else in both populations (each total grows by twice
the correction) so that an index and an interval can still be given; with no
one of the group in the reference population the index is not given. An
index outside the configured band (0.8 to 1.25) is flagged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from .config import DisproportionalityConfig


@dataclass(frozen=True)
class Rri:
    index: float | None
    low: float | None
    high: float | None
    flagged: bool
    corrected: bool


def relative_rate(a: int, n1: int, b: int, n2: int, cfg: DisproportionalityConfig) -> Rri:
    if n1 <= 0 or n2 <= 0 or (b == 0 and a == 0):
        return Rri(None, None, None, flagged=False, corrected=False)
    corrected = a == 0 or b == 0
    k = cfg.zero_cell_correction if corrected else 0.0
    a_, b_, n1_, n2_ = a + k, b + k, n1 + 2 * k, n2 + 2 * k
    if b_ == 0:
        return Rri(None, None, None, flagged=False, corrected=corrected)
    index = (a_ / n1_) / (b_ / n2_)
    z = NormalDist().inv_cdf(0.5 + cfg.confidence / 2)
    se = math.sqrt(max(0.0, 1 / a_ - 1 / n1_ + 1 / b_ - 1 / n2_))
    low, high = index * math.exp(-z * se), index * math.exp(z * se)
    return Rri(index, low, high, flagged=not cfg.flag_below <= index <= cfg.flag_above,
               corrected=corrected)
