"""The matcher vectorised with NumPy, for millions of fixes (the bench, retrospective
runs). Held to the pure ``matching.judge`` by a property test over generated data.

Inputs are arrays: fixes sorted by (device, time), device codes 0..D-1, times in
seconds; crimes; each device's active interval (its fitting; ``inf`` while fitted).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .matching import EARTH_RADIUS_M, EPSILON_M, Params

F = npt.NDArray[np.float64]
I = npt.NDArray[np.int64]  # noqa: E741 - the usual name for an index array
M_PER_DEG = EARTH_RADIUS_M * np.pi / 180
PLACED, ELIMINATED, NOT_ELIMINATED = 0, 1, 2
OUTCOMES = ("placed", "eliminated", "not_eliminated")


@dataclass
class Fixes:
    device: I
    time: F
    latitude: F
    longitude: F


@dataclass
class Crimes:
    start: F
    end: F
    latitude: F
    longitude: F


@dataclass
class Outcomes:
    crime: I
    device: I
    outcome: I
    nearest_m: F  # nan unless placed
    first_time: F
    last_time: F
    fixes: I


def haversine(lat1: F, lon1: F, lat2: F, lon2: F) -> F:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    h = (np.sin((p2 - p1) / 2) ** 2
         + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2)
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(h))))


def packed_order(keys: I, bits: int) -> I | None:
    """The stable sort order of non-negative ``keys`` below ``2**bits``, by sorting
    the keys with each element's position packed into the low bits (a plain sort of
    integers is several times faster than an argsort); None when they do not fit."""
    index_bits = max(1, len(keys).bit_length())
    if bits + index_bits > 63:
        return None
    packed = (keys.astype(np.int64) << index_bits) | np.arange(len(keys), dtype=np.int64)
    packed.sort()
    return np.asarray(packed & ((1 << index_bits) - 1))


def stable_order(keys: I) -> I:
    bits = max(1, int(keys.max(initial=0)).bit_length())
    order = packed_order(keys, bits)
    return order if order is not None else np.argsort(keys, kind="stable")


class CellIndex:
    """Fixes bucketed in cells at least the radius across, each bucket time-sorted.

    1. A cell is ``radius`` metres of latitude by at least ``radius`` metres of
       longitude at the most poleward fix, so every fix within the radius of a point
       is in the point's cell or one of its eight neighbours.
    2. Fixes are sorted by (cell, whole minute); a key ``cell * span + minute`` makes
       each (cell, time window) one ``searchsorted`` range, the exact times checked
       after. The sort is of packed integers where they fit in 63 bits.
    """

    def __init__(self, fixes: Fixes, radius_m: float) -> None:
        self.fixes = fixes
        self.dlat = radius_m / M_PER_DEG
        top = float(np.max(np.abs(fixes.latitude))) if fixes.time.size else 0.0
        self.dlon = self.dlat / max(np.cos(np.radians(min(top + 1.0, 89.0))), 1e-6)
        self.t0 = float(np.floor(fixes.time.min())) if fixes.time.size else 0.0
        minutes = np.floor((fixes.time - self.t0) / 60).astype(np.int64)
        self.span = int(minutes.max(initial=0)) + 2
        cy, cx = self._cells(fixes.latitude, fixes.longitude)
        self.cy0, self.cx0 = (int(cy.min()) - 2, int(cx.min()) - 2) if cy.size else (0, 0)
        self.nx = int(cx.max()) - self.cx0 + 3 if cx.size else 1
        ny = int(cy.max()) - self.cy0 + 3 if cy.size else 1
        key = ((cy - self.cy0) * self.nx + (cx - self.cx0)) * self.span + minutes
        bits = max(1, (self.nx * ny * self.span).bit_length())
        order = packed_order(key, bits)
        self.order = order if order is not None else np.argsort(key, kind="stable")
        self.keys = key[self.order]
        self.gaps: dict[float, tuple[I, F, F]] = {}

    def gaps_over(self, max_gap_s: float) -> tuple[I, F, F]:
        """Each device's gaps over ``max_gap_s`` between consecutive fixes: (device,
        start, end), kept with the index like it (a property of the data)."""
        if max_gap_s not in self.gaps:
            f = self.fixes
            long = (f.device[1:] == f.device[:-1]) & (np.diff(f.time) > max_gap_s)
            self.gaps[max_gap_s] = (f.device[:-1][long], f.time[:-1][long], f.time[1:][long])
        return self.gaps[max_gap_s]

    def _cells(self, lat: F, lon: F) -> tuple[I, I]:
        return (np.floor(lat / self.dlat).astype(np.int64),
                np.floor(lon / self.dlon).astype(np.int64))

    def candidates(self, crimes: Crimes, a: F, b: F) -> tuple[I, I]:
        """(crime index, fix index) for every fix in a neighbouring cell in the window.

        The 9 x 2 range ends of every crime go to ``searchsorted`` sorted, in two calls:
        sorted needles walk the keys in order instead of 18 random binary searches each.
        """
        cy, cx = self._cells(crimes.latitude, crimes.longitude)
        lo_m = np.floor((a - self.t0) / 60).astype(np.int64).clip(0, self.span - 1)
        hi_m = np.floor((b - self.t0) / 60).astype(np.int64).clip(-1, self.span - 1)
        near = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
        base = np.concatenate([((cy + dy - self.cy0) * self.nx + (cx + dx - self.cx0))
                               * self.span for dy, dx in near])
        lo = _sorted_search(self.keys, base + np.tile(lo_m, 9), "left")
        hi = _sorted_search(self.keys, base + np.tile(hi_m, 9), "right")
        count = np.where(np.tile(hi_m >= lo_m, 9), hi - lo, 0)
        crime_idx = np.repeat(np.tile(np.arange(len(cy)), 9), count)
        starts = np.repeat(lo - np.cumsum(count) + count, count)
        return crime_idx, self.order[starts + np.arange(int(count.sum()))]


def _sorted_search(keys: I, needles: I, side: str) -> I:
    order = np.argsort(needles, kind="stable")
    found = np.empty(len(needles), np.int64)
    found[order] = np.searchsorted(keys, needles[order], side)  # type: ignore[call-overload]
    return found


def placed(index: CellIndex, crimes: Crimes, params: Params) -> Outcomes:
    """Step 2 of ``matching``: the fixes within the radius in the padded window."""
    a, b = crimes.start - params.pad_s, crimes.end + params.pad_s
    crime_idx, fix_idx = index.candidates(crimes, a, b)
    f = index.fixes
    t = f.time[fix_idx]
    in_time = (t >= a[crime_idx]) & (t <= b[crime_idx])
    crime_idx, fix_idx, t = crime_idx[in_time], fix_idx[in_time], t[in_time]
    d = haversine(crimes.latitude[crime_idx], crimes.longitude[crime_idx],
                  f.latitude[fix_idx], f.longitude[fix_idx])
    near = d <= params.radius_m + EPSILON_M
    crime_idx, dev, d, t = crime_idx[near], f.device[fix_idx[near]], d[near], t[near]
    pair = crime_idx * (int(f.device.max(initial=0)) + 1) + dev
    keys, first, counts = np.unique(pair, return_index=True, return_counts=True)
    order = np.argsort(pair, kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    grouped_d, grouped_t = d[order], t[order]
    nearest = np.minimum.reduceat(grouped_d, starts) if keys.size else np.zeros(0)
    first_t = np.minimum.reduceat(grouped_t, starts) if keys.size else np.zeros(0)
    last_t = np.maximum.reduceat(grouped_t, starts) if keys.size else np.zeros(0)
    return Outcomes(crime_idx[first], dev[first], np.zeros(keys.size, np.int64), nearest,
                    first_t, last_t, counts.astype(np.int64))


def outcome_table(fixes: Fixes, crimes: Crimes, params: Params, active_start: F,
                  active_end: F, index: CellIndex | None = None) -> tuple[npt.NDArray[np.int8],
                                                                          Outcomes]:
    """Every outcome as a crimes x devices table (-1 where the device is not active for
    the crime), and the placed pairs with their details.

    1. Placed pairs from the cell index (``placed``).
    2. Active when the fitting overlaps the padded window; covered when the device's
       first fix is at or before ``a`` and its last at or after ``b``.
    3. Each gap over the maximum between two consecutive fixes of a device, (s, e),
       spoils the cover of every crime window with ``s < b`` and ``e > a`` (the pairs
       ``matching.covers`` looks at); crimes sorted by ``a`` and windows of bounded
       length make that a short range per gap.
    """
    a, b = crimes.start - params.pad_s, crimes.end + params.pad_s
    index = index or CellIndex(fixes, params.radius_m)
    found = placed(index, crimes, params)
    first, last = _ends(fixes, len(active_start))
    covered = (first[None, :] <= a[:, None]) & (last[None, :] >= b[:, None])
    _spoil(covered, index.gaps_over(params.max_gap_s), a, b)
    table = np.where(covered, np.int8(ELIMINATED), np.int8(NOT_ELIMINATED))
    table[found.crime, found.device] = PLACED
    active = (active_start[None, :] <= b[:, None]) & (active_end[None, :] >= a[:, None])
    table[~active] = -1
    return table, found


def match_arrays(fixes: Fixes, crimes: Crimes, params: Params, active_start: F,
                 active_end: F, index: CellIndex | None = None) -> Outcomes:
    """Every (crime, active device) pair's outcome, as ``matching.match`` gives it."""
    table, found = outcome_table(fixes, crimes, params, active_start, active_end, index)
    pc, pd = np.nonzero(table >= 0)
    slot = np.full(table.shape, -1, np.int64)
    slot[found.crime, found.device] = np.arange(len(found.crime))
    src = slot[pc, pd]
    hit = src >= 0
    nearest = np.full(len(pc), np.nan)
    first_t, last_t = np.full(len(pc), np.nan), np.full(len(pc), np.nan)
    count = np.zeros(len(pc), np.int64)
    nearest[hit], first_t[hit] = found.nearest_m[src[hit]], found.first_time[src[hit]]
    last_t[hit], count[hit] = found.last_time[src[hit]], found.fixes[src[hit]]
    return Outcomes(pc.astype(np.int64), pd.astype(np.int64), table[pc, pd].astype(np.int64),
                    nearest, first_t, last_t, count)


def _ends(fixes: Fixes, devices: int) -> tuple[F, F]:
    """Each device's first and last fix time (fixes sorted by device, then time)."""
    bounds = np.searchsorted(fixes.device, np.arange(devices + 1))
    present = bounds[1:] > bounds[:-1]
    first, last = np.full(devices, np.inf), np.full(devices, -np.inf)
    first[present] = fixes.time[bounds[:-1][present]]
    last[present] = fixes.time[bounds[1:][present] - 1]
    return first, last


def _spoil(covered: npt.NDArray[np.bool_], gaps: tuple[I, F, F], a: F, b: F) -> None:
    gap_dev, gap_s, gap_e = gaps
    if not len(gap_s) or not len(a):
        return
    by_a = np.argsort(a, kind="stable")
    sorted_a = a[by_a]
    longest = float(np.max(b - a))
    # Crimes with a < e and b > s have a in (s - longest, e).
    lo = np.searchsorted(sorted_a, gap_s - longest, "left")
    hi = np.searchsorted(sorted_a, gap_e, "left")
    count = hi - lo
    gap_idx = np.repeat(np.arange(len(gap_s)), count)
    crime_idx = by_a[np.repeat(lo - np.cumsum(count) + count, count)
                     + np.arange(int(count.sum()))]
    hits = (gap_s[gap_idx] < b[crime_idx]) & (gap_e[gap_idx] > a[crime_idx])
    covered[crime_idx[hits], gap_dev[gap_idx[hits]]] = False
