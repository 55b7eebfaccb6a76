"""The vectorised matcher gives exactly the pure matcher's outcomes (property test)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iom.monitoring.batchmatch import OUTCOMES, Crimes, Fixes, match_arrays
from iom.monitoring.matching import EARTH_RADIUS_M, Fix, Params, Scene, match

M_PER_DEG = EARTH_RADIUS_M * math.pi / 180
LAT, LON = 53.8, -1.55

device_trails = st.lists(st.lists(st.tuples(st.integers(0, 120), st.integers(-300, 300),
                                            st.integers(-300, 300)), max_size=25),
                         min_size=1, max_size=4)
scenes = st.lists(st.tuples(st.integers(0, 100), st.integers(0, 40), st.integers(-200, 200),
                            st.integers(-200, 200)), min_size=1, max_size=4)


def _arrays(trails, starts):
    rows = sorted({(d, m, e, n) for d, trail in enumerate(trails)
                   for m, e, n in trail if m >= starts[d]})
    rows = list({(d, m): (d, m, e, n) for d, m, e, n in rows}.values())  # one fix a minute
    rows.sort()
    dev = np.array([r[0] for r in rows], np.int64)
    t = np.array([r[1] * 60.0 for r in rows])
    lat = np.array([LAT + r[3] / M_PER_DEG for r in rows])
    lon = np.array([LON + r[2] / (M_PER_DEG * math.cos(math.radians(LAT))) for r in rows])
    return Fixes(dev, t, lat, lon)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trails=device_trails, crimes=scenes, radius=st.sampled_from([30.0, 100.0, 250.0]),
       pad=st.sampled_from([0.0, 300.0]), gap=st.sampled_from([300.0, 600.0]),
       start_minute=st.integers(0, 30))
def test_the_vectorised_matcher_agrees_with_the_pure_one(trails, crimes, radius, pad, gap,
                                                        start_minute):
    starts = [start_minute * (d % 2) for d in range(len(trails))]
    fixes = _arrays(trails, starts)
    params = Params(radius_m=radius, pad_s=pad, max_gap_s=gap)
    scene_list = [Scene(str(i), s * 60.0, (s + w) * 60.0, LAT + n / M_PER_DEG,
                        LON + e / (M_PER_DEG * math.cos(math.radians(LAT))))
                  for i, (s, w, e, n) in enumerate(crimes)]
    pure_trails = {str(d): [Fix(t, la, lo) for dd, t, la, lo in zip(
        fixes.device, fixes.time, fixes.latitude, fixes.longitude, strict=True) if dd == d]
        for d in range(len(trails))}
    active = {str(d): (starts[d] * 60.0, None) for d in range(len(trails))}
    expected = {(ref, key): v for ref, key, v in match(scene_list, pure_trails, params, active)}
    got = match_arrays(fixes, Crimes(np.array([s.start for s in scene_list]),
                                     np.array([s.end for s in scene_list]),
                                     np.array([s.latitude for s in scene_list]),
                                     np.array([s.longitude for s in scene_list])),
                       params, np.array([starts[d] * 60.0 for d in range(len(trails))]),
                       np.full(len(trails), np.inf))
    found = {}
    for i in range(len(got.crime)):
        found[(str(got.crime[i]), str(got.device[i]))] = (
            OUTCOMES[got.outcome[i]], got.nearest_m[i], got.fixes[i])
    assert set(found) == set(expected)
    for key, verdict in expected.items():
        outcome, nearest, count = found[key]
        assert outcome == verdict.outcome, key
        if verdict.outcome == "placed":
            assert verdict.nearest_m is not None
            assert math.isclose(nearest, verdict.nearest_m, abs_tol=1e-6)
            assert count == verdict.fixes
