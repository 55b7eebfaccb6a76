"""The matcher against hand-worked cases: each outcome at its boundaries."""

from __future__ import annotations

import math

import pytest

from iom.monitoring.matching import (
    EARTH_RADIUS_M,
    ELIMINATED,
    NOT_ELIMINATED,
    PLACED,
    Fix,
    Params,
    Scene,
    haversine_m,
    judge,
    match,
)

LAT, LON = 53.8, -1.55  # the scene
MIN = 60.0
# Degrees of latitude for a distance along the meridian: d = R * dphi.
M_PER_DEG = EARTH_RADIUS_M * math.pi / 180


def north(metres: float) -> float:
    return LAT + metres / M_PER_DEG


SCENE = Scene("C1", start=1000 * MIN, end=1030 * MIN, latitude=LAT, longitude=LON)


def at(minute: float, metres: float = 500.0, accuracy: float | None = 5.0) -> Fix:
    return Fix(minute * MIN, north(metres), LON, accuracy)


def every(start: float, end: float, step: float, metres: float = 500.0) -> list[Fix]:
    count = int((end - start) / step)
    return [at(start + i * step, metres) for i in range(count + 1)]


def test_haversine_of_a_known_pair():
    # One degree of latitude on this sphere is R * pi / 180 = 111,195.08 m.
    assert haversine_m(0, 0, 1, 0) == pytest.approx(111_195.08, abs=0.01)
    # A quarter of the equator is R * pi / 2 = 10,007,557.22 m; the pole as far.
    assert haversine_m(0, 0, 0, 90) == pytest.approx(10_007_557.22, abs=0.01)
    assert haversine_m(0, 45, 90, 0) == pytest.approx(10_007_557.22, abs=0.01)


def test_a_fix_exactly_the_radius_away_is_placed_and_just_beyond_is_not():
    trail = [*every(990, 1040, 1), ]
    exact = sorted([*trail, at(1015, 100.0, accuracy=12.0)], key=lambda f: f.time)
    verdict = judge(SCENE, exact, Params())
    assert verdict.outcome == PLACED
    assert verdict.nearest_m == pytest.approx(100.0, abs=1e-6)
    assert verdict.first_time == verdict.last_time == 1015 * MIN
    assert verdict.fixes == 1 and verdict.accuracies == (12.0,)
    beyond = sorted([*trail, at(1015.5, 100.01)], key=lambda f: f.time)
    assert judge(SCENE, beyond, Params()).outcome == ELIMINATED


def test_window_edges_count_and_padding_widens_them():
    edges = [at(990), at(1000, 10), at(1030, 20), at(1040)]
    verdict = judge(SCENE, [*every(990, 999, 1), *edges[1:3], *every(1031, 1040, 1)],
                    Params(max_gap_s=60 * MIN))
    assert verdict.outcome == PLACED and verdict.fixes == 2
    assert (verdict.first_time, verdict.last_time) == (1000 * MIN, 1030 * MIN)
    assert verdict.nearest_m == pytest.approx(10.0, abs=1e-6)
    before = [at(999, 10), *every(1000, 1031, 1)]
    assert judge(SCENE, before, Params()).outcome == ELIMINATED
    assert judge(SCENE, before, Params(pad_s=1 * MIN)).outcome == PLACED


def test_a_gap_of_exactly_the_maximum_still_eliminates_one_second_more_does_not():
    gap_of_ten = [at(995), at(1005), at(1015), at(1025), at(1035)]
    assert judge(SCENE, gap_of_ten, Params()).outcome == ELIMINATED
    longer = [at(995), at(1005), at(1015), Fix(1025 * MIN + 1, north(500), LON), at(1035)]
    assert judge(SCENE, longer, Params()).outcome == NOT_ELIMINATED


def test_the_gap_is_counted_from_the_last_fix_before_to_the_first_after():
    # Fixes at 996 and 1038 are outside the window but bound it: 1005 - 996 = 9 min.
    trail = [at(996), *every(1005, 1030, 5), at(1038)]
    assert judge(SCENE, trail, Params()).outcome == ELIMINATED
    assert judge(SCENE, [at(994), *every(1005, 1030, 5), at(1038)],
                 Params()).outcome == NOT_ELIMINATED
    # A fix exactly at the window's start bounds it: what came before does not matter.
    assert judge(SCENE, [at(900), *every(1000, 1030, 5), at(1038)],
                 Params()).outcome == ELIMINATED
    # No fix after the window (the tag stopped, or the fitting ended): cannot say.
    assert judge(SCENE, every(990, 1029, 1), Params()).outcome == NOT_ELIMINATED
    assert judge(SCENE, [], Params()).outcome == NOT_ELIMINATED


def test_a_fitted_wearer_is_judged_and_a_fix_before_the_fitting_is_not_theirs():
    # The device reported near the scene at 1001 before it was fitted at 1010 to this
    # wearer: the caller leaves that fix out, so the wearer is not placed, and the
    # trail starting inside the window means they are not eliminated either.
    trail = every(1010, 1040, 1)
    results = match([SCENE], {"W1": trail, "W2": []}, Params(),
                    active={"W1": (1010 * MIN, None), "W2": (0.0, None),
                            "W3": (2000 * MIN, None)})
    assert [(r[1], r[2].outcome) for r in results] == [("W1", NOT_ELIMINATED),
                                                       ("W2", NOT_ELIMINATED)]


def test_the_file_mode_judges_devices_seen_near_the_window():
    trails = {"D1": every(990, 1040, 1, metres=50), "D2": every(990, 1040, 1),
              "D3": [at(995), at(1035)], "D4": [at(980), at(1050)]}
    outcomes = {key: v.outcome for _, key, v in match([SCENE], trails, Params())}
    assert outcomes == {"D1": PLACED, "D2": ELIMINATED, "D3": NOT_ELIMINATED}
