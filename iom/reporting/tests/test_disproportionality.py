"""Relative rate index by hand, zero cells included."""

from __future__ import annotations

import math

import pytest

from iom.reporting.measures.config import load_config
from iom.reporting.measures.disproportionality import relative_rate

CFG = load_config().disproportionality


def test_hand_worked_index_and_interval():
    # 30 of a cohort of 100 are in the group, against 200 of 1,000 eligible people.
    r = relative_rate(30, 100, 200, 1000, CFG)
    assert r.index == pytest.approx(1.5)
    se = math.sqrt(1 / 30 - 1 / 100 + 1 / 200 - 1 / 1000)
    assert r.low == pytest.approx(1.5 * math.exp(-1.959964 * se), rel=1e-5)
    assert r.high == pytest.approx(1.5 * math.exp(1.959964 * se), rel=1e-5)
    assert r.flagged and not r.corrected


def test_within_the_band_is_not_flagged():
    assert not relative_rate(20, 100, 200, 1000, CFG).flagged


def test_no_one_of_the_group_in_the_cohort_is_corrected():
    r = relative_rate(0, 50, 100, 1000, CFG)
    assert r.corrected and r.index == pytest.approx((0.5 / 51) / (100.5 / 1001))
    assert r.low is not None and r.low < r.index < r.high  # type: ignore[operator]


def test_no_one_anywhere_gives_no_index():
    r = relative_rate(0, 50, 0, 1000, CFG)
    assert r.index is None and not r.flagged
