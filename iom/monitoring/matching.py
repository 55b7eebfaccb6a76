"""Crime-scene matching: who was near a crime, and who can be eliminated.

Pure: no Django, no database. Times are seconds since the epoch (UTC), places
WGS84 degrees. The method, its choices and its limits are in docs/monitoring.md.

For each crime and each wearer active in its window, one outcome:

1. Pad the crime's window: ``a = from - pad``, ``b = to + pad``.
2. **placed** when at least one of the wearer's fixes with ``a <= t <= b`` is at a
   great-circle distance of at most ``radius`` from the scene (exactly the radius
   counts as near).
3. Otherwise **eliminated** when the trail covers ``[a, b]``: there is a fix at or
   before ``a`` and one at or after ``b``, and from the last fix at or before ``a``
   to the first at or after ``b`` no two consecutive fixes are more than
   ``max_gap`` apart (exactly the maximum gap still covers).
4. Otherwise **not eliminated**: a gap, or the trail starting or ending inside the
   window (a fitting that began or ended then, a tag that stopped reporting),
   means we cannot say.

Only the wearer's own fixes count: the caller passes a trail already limited to
the fitting (a fix of the device before the fitting belongs to nobody).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

ALGORITHM_VERSION = "1.0"
# The mean Earth radius (IUGG R1), as the issue fixes it, so that results are exact
# and reproducible everywhere.
EARTH_RADIUS_M = 6_371_008.8
# A fix exactly the radius away is near; floating-point rounding of the haversine
# is far below a micrometre, which is allowed for so that "exactly R" means R.
EPSILON_M = 1e-6

PLACED, ELIMINATED, NOT_ELIMINATED = "placed", "eliminated", "not_eliminated"


@dataclass(frozen=True)
class Params:
    radius_m: float = 100.0
    pad_s: float = 0.0
    max_gap_s: float = 600.0


@dataclass(frozen=True)
class Fix:
    time: float
    latitude: float
    longitude: float
    accuracy_m: float | None = None


@dataclass(frozen=True)
class Scene:
    ref: str
    start: float
    end: float
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Verdict:
    outcome: str
    nearest_m: float | None = None
    first_time: float | None = None
    last_time: float | None = None
    fixes: int = 0
    accuracies: tuple[float | None, ...] = field(default=())


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres on the sphere of ``EARTH_RADIUS_M``."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def padded(scene: Scene, params: Params) -> tuple[float, float]:
    return scene.start - params.pad_s, scene.end + params.pad_s


def judge(scene: Scene, trail: Sequence[Fix], params: Params) -> Verdict:
    """The outcome for one crime and one wearer's trail (sorted by time)."""
    a, b = padded(scene, params)
    times = [f.time for f in trail]
    inside = trail[bisect_left(times, a):bisect_right(times, b)]
    near = [(haversine_m(scene.latitude, scene.longitude, f.latitude, f.longitude), f)
            for f in inside]
    near = [(d, f) for d, f in near if d <= params.radius_m + EPSILON_M]
    if near:
        return Verdict(PLACED, nearest_m=min(d for d, _ in near), first_time=near[0][1].time,
                       last_time=near[-1][1].time, fixes=len(near),
                       accuracies=tuple(f.accuracy_m for _, f in near))
    return Verdict(ELIMINATED if covers(times, a, b, params.max_gap_s) else NOT_ELIMINATED)


def covers(times: Sequence[float], a: float, b: float, max_gap_s: float) -> bool:
    """Whether sorted fix times cover ``[a, b]`` with no gap over ``max_gap_s``."""
    first = bisect_right(times, a) - 1  # the last fix at or before a
    last = bisect_left(times, b)  # the first fix at or after b
    if first < 0 or last >= len(times):
        return False
    return all(times[i + 1] - times[i] <= max_gap_s for i in range(first, last))


def seen_in_window(trail: Sequence[Fix], scene: Scene, params: Params) -> bool:
    """A device with no fitting record is active for a crime when it reported between
    ``a - max_gap`` and ``b + max_gap``: only those fixes can bear on the outcome."""
    a, b = padded(scene, params)
    times = [f.time for f in trail]
    return bisect_left(times, a - params.max_gap_s) < bisect_right(times, b + params.max_gap_s)


def overlaps(active: tuple[float, float | None], scene: Scene, params: Params) -> bool:
    start, end = active
    a, b = padded(scene, params)
    return start <= b and (end is None or end >= a)


def match(scenes: Iterable[Scene], trails: Mapping[str, Sequence[Fix]], params: Params,
          active: Mapping[str, tuple[float, float | None]] | None = None
          ) -> list[tuple[str, str, Verdict]]:
    """``(crime_ref, wearer key, verdict)`` for each crime and wearer active in its window.

    ``active`` gives each wearer's fitting (start, end or None while fitted); a wearer
    fitted through the window is judged even with no fixes at all (not eliminated).
    Without it, the devices seen near the window in time are judged (the file command).
    """
    results = []
    for scene in scenes:
        keys = sorted(active) if active is not None else sorted(trails)
        for key in keys:
            trail = trails.get(key, ())
            is_active = (overlaps(active[key], scene, params) if active is not None
                         else seen_in_window(trail, scene, params))
            if is_active:
                results.append((scene.ref, key, judge(scene, trail, params)))
    return results
