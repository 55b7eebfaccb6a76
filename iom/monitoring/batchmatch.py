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


class CellIndex:
    """Fixes bucketed in cells at least the radius across, each bucket time-sorted.

    1. A cell is ``radius`` metres of latitude by at least ``radius`` metres of
       longitude at the most poleward fix, so every fix within the radius of a point
       is in the point's cell or one of its eight neighbours.
    2. Fixes are sorted by (cell, whole second); a key ``cell * span + second`` makes
       each (cell, time window) one ``searchsorted`` range.
    """

    def __init__(self, fixes: Fixes, radius_m: float) -> None:
        self.fixes = fixes
        self.dlat = radius_m / M_PER_DEG
        top = float(np.max(np.abs(fixes.latitude))) if fixes.time.size else 0.0
        self.dlon = self.dlat / max(np.cos(np.radians(min(top + 1.0, 89.0))), 1e-6)
        self.t0 = float(np.floor(fixes.time.min())) if fixes.time.size else 0.0
        self.span = int(np.ceil(fixes.time.max() - self.t0)) + 2 if fixes.time.size else 2
        cy, cx = self._cells(fixes.latitude, fixes.longitude)
        self.cy0, self.cx0 = (int(cy.min()) - 2, int(cx.min()) - 2) if cy.size else (0, 0)
        self.nx = int(cx.max()) - self.cx0 + 3 if cx.size else 1
        raw = (cy - self.cy0) * self.nx + (cx - self.cx0)
        seconds = np.floor(fixes.time - self.t0).astype(np.int64)
        self.cells, dense = np.unique(raw, return_inverse=True)
        key = dense.astype(np.int64) * self.span + seconds
        self.order = np.argsort(key, kind="stable")
        self.keys = key[self.order]

    def _cells(self, lat: F, lon: F) -> tuple[I, I]:
        return (np.floor(lat / self.dlat).astype(np.int64),
                np.floor(lon / self.dlon).astype(np.int64))

    def candidates(self, crimes: Crimes, a: F, b: F) -> tuple[I, I]:
        """(crime index, fix index) for every fix in a neighbouring cell in the window."""
        cy, cx = self._cells(crimes.latitude, crimes.longitude)
        lo_s = np.floor(a - self.t0).astype(np.int64).clip(0, self.span - 1)
        hi_s = np.floor(b - self.t0).astype(np.int64).clip(-1, self.span - 1)
        crime_parts, fix_parts = [], []
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                raw = (cy + dy - self.cy0) * self.nx + (cx + dx - self.cx0)
                pos = np.searchsorted(self.cells, raw).clip(0, max(len(self.cells) - 1, 0))
                present = (self.cells[pos] == raw) if len(self.cells) else np.zeros_like(raw, bool)
                base = pos.astype(np.int64) * self.span
                lo = np.searchsorted(self.keys, base + lo_s, "left")
                hi = np.searchsorted(self.keys, base + hi_s, "right")
                count = np.where(present & (hi_s >= lo_s), hi - lo, 0)
                crime_parts.append(np.repeat(np.arange(len(raw)), count))
                starts = np.repeat(lo - np.cumsum(count) + count, count)
                fix_parts.append(starts + np.arange(int(count.sum())))
        crime_idx = np.concatenate(crime_parts)
        return crime_idx, self.order[np.concatenate(fix_parts)]


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


def coverage(fixes: Fixes, devices: int, max_gap_s: float) -> tuple[F, F, I, F, F]:
    """Each device's first and last fix, and its gaps over ``max_gap_s`` (start, end),
    the gaps sorted by (device, end) with ``gap_from[d]`` the first of device ``d``."""
    first = np.full(devices, np.inf)
    last = np.full(devices, -np.inf)
    np.minimum.at(first, fixes.device, fixes.time)
    np.maximum.at(last, fixes.device, fixes.time)
    same = fixes.device[1:] == fixes.device[:-1]
    long = same & (np.diff(fixes.time) > max_gap_s)
    gap_dev = fixes.device[:-1][long]
    gap_from = np.searchsorted(gap_dev, np.arange(devices + 1)).astype(np.int64)
    return first, last, gap_from, fixes.time[:-1][long], fixes.time[1:][long]


def match_arrays(fixes: Fixes, crimes: Crimes, params: Params, active_start: F,
                 active_end: F) -> Outcomes:
    """Every (crime, active device) pair's outcome, as ``matching.match`` gives it."""
    devices = len(active_start)
    a, b = crimes.start - params.pad_s, crimes.end + params.pad_s
    found = placed(CellIndex(fixes, params.radius_m), crimes, params)
    pc, pd = np.nonzero((active_start[None, :] <= b[:, None])
                        & (active_end[None, :] >= a[:, None]))
    first, last, gap_from, gap_s, gap_e = coverage(fixes, devices, params.max_gap_s)
    covered = (first[pd] <= a[pc]) & (last[pd] >= b[pc])
    # The first long gap of the device ending after a: it spoils the cover if it
    # starts before b (gaps of one device do not overlap, so ends are sorted too).
    at = _first_gap_after(gap_from, gap_e, pd, a[pc])
    has = at < gap_from[pd + 1]
    spoiled = has & (gap_s[np.minimum(at, max(len(gap_s) - 1, 0))] < b[pc]) if len(gap_s) \
        else np.zeros(len(pd), bool)
    outcome = np.where(covered & ~spoiled, ELIMINATED, NOT_ELIMINATED).astype(np.int64)
    width = devices + 1
    placed_key = found.crime * width + found.device
    pair_key = pc.astype(np.int64) * width + pd
    hit = np.isin(pair_key, placed_key)
    outcome[hit] = PLACED
    where = np.searchsorted(np.sort(placed_key), pair_key[hit])
    by_key = np.argsort(placed_key)
    nearest = np.full(len(pc), np.nan)
    first_t, last_t = np.full(len(pc), np.nan), np.full(len(pc), np.nan)
    count = np.zeros(len(pc), np.int64)
    src = by_key[where]
    nearest[hit], first_t[hit] = found.nearest_m[src], found.first_time[src]
    last_t[hit], count[hit] = found.last_time[src], found.fixes[src]
    return Outcomes(pc.astype(np.int64), pd.astype(np.int64), outcome, nearest, first_t,
                    last_t, count)


def _first_gap_after(gap_from: I, gap_e: F, device: I, a: F) -> I:
    """For each (device, a): the index of the device's first long gap ending after a.

    Gap ends are sorted within each device; offsetting each device's ends by a large
    multiple of its code makes one sorted array for a single ``searchsorted``. Keys are
    whole microseconds (the store's resolution), so equal times stay exactly equal.
    """
    if not len(gap_e) or not len(device):
        return np.zeros(len(device), np.int64)
    gap_dev = np.repeat(np.arange(len(gap_from) - 1), np.diff(gap_from))
    e_us, a_us = np.round(gap_e * 1e6).astype(np.int64), np.round(a * 1e6).astype(np.int64)
    lo = min(int(e_us.min()), int(a_us.min()))
    stride = max(int(e_us.max()), int(a_us.max())) - lo + 1
    keyed = gap_dev.astype(np.int64) * stride + (e_us - lo)
    return np.searchsorted(keyed, device.astype(np.int64) * stride + (a_us - lo),
                           "right").astype(np.int64)
