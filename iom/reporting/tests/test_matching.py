"""Coarsened exact matching and the difference in differences, worked by hand.

Stratum A (OGRS 3 band 75, age 30, male, burglary, ...): cohort members T1
(4 proven offences before, 2 after) and T2 (2, 2), comparison C1 (3, 3).
Stratum B (OGRS 3 band 50): cohort member T3 (1, 0); comparison C2 (1, 2),
C3 (2, 2), C4 (0, 1). T4 (a woman) and C5 (aged 55) match nobody.

Weights: C1 (2/1)(4/3) = 8/3; C2-C4 (1/3)(4/3) = 4/9 each.
Cohort: before 7/3, after 4/3, change -1. Comparison (weighted): before
(8 + 4/3)/4 = 7/3, after (8 + 20/9)/4 = 23/9, change 2/9.
Difference in differences: -1 - 2/9 = -11/9.
"""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from iom.reporting.measures.config import load_config
from iom.reporting.measures.matching import balance, match

CFG = load_config().matching


def _person(pid, treated, before, after, *, ogrs=80.0, age=30, gender="M", full=True):
    return {"person_id": pid, "treated": treated, "ogrs3": ogrs, "age": age, "gender": gender,
            "offence_type": "burglary", "prior_css": 600.0, "prior_offences": 4,
            "frequency_before": float(before), "frequency_after": float(after),
            "full_after": full}


POOL = pl.DataFrame([
    _person(1, True, 4, 2), _person(2, True, 2, 2), _person(11, False, 3, 3),
    _person(3, True, 1, 0, ogrs=60.0), _person(12, False, 1, 2, ogrs=60.0),
    _person(13, False, 2, 2, ogrs=55.0), _person(14, False, 0, 1, ogrs=70.0),
    _person(4, True, 5, 5, gender="F"), _person(15, False, 1, 1, age=55),
    _person(5, True, 9, 0, full=False),  # less than the full after-window: left out
])


def test_hand_worked_difference_in_differences():
    r = match(POOL, CFG)
    assert (r.treated, r.treated_matched, r.comparison, r.comparison_matched) == (4, 3, 5, 4)
    assert r.treated_before == pytest.approx(7 / 3) and r.treated_after == pytest.approx(4 / 3)
    assert r.comparison_before == pytest.approx(7 / 3)
    assert r.comparison_after == pytest.approx(23 / 9)
    assert r.did == pytest.approx(-11 / 9)
    weights = dict(r.people.select("person_id", "weight").iter_rows())
    assert weights[11] == pytest.approx(8 / 3) and weights[12] == pytest.approx(4 / 9)
    assert weights[4] == 0 and weights[15] == 0


def test_the_interval_is_reproducible_and_holds_the_estimate():
    first, second = match(POOL, CFG), match(POOL, CFG)
    assert (first.ci_low, first.ci_high) == (second.ci_low, second.ci_high)
    assert first.ci_low is not None and first.ci_high is not None
    assert first.ci_low <= first.did <= first.ci_high  # type: ignore[operator]
    wider = match(POOL, dataclasses.replace(CFG, confidence=0.99))
    assert wider.ci_low <= first.ci_low and wider.ci_high >= first.ci_high  # type: ignore[operator]


def test_without_a_match_there_is_no_estimate():
    lonely = POOL.filter(pl.col("treated") | (pl.col("person_id") == 15))
    r = match(lonely, CFG)
    assert r.treated_matched == 0 and r.did is None and r.ci_low is None


def test_balance_after_matching_equals_the_cohort_mix():
    table = balance(match(POOL, CFG))
    ogrs = table.filter(pl.col("variable") == "OGRS 3 (2-year %)")
    mix = dict(zip(ogrs["band"], ogrs["matched_percent"], strict=True))
    # Matched cohort: two in band 75 to under 90, one in 50 to under 75.
    assert mix["75 to under 90"] == pytest.approx(200 / 3)
    assert mix["50 to under 75"] == pytest.approx(100 / 3)
