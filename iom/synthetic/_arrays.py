"""Small numpy helpers for rows laid out person by person ("groups").

The generator never loops over people: each table is a flat array of rows sorted by
person, and these helpers answer per-person questions (which row is a person's
first, how many came before) for all rows at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def group_starts(counts: IntArray) -> IntArray:
    """Index of each group's first row when groups of these sizes follow each other."""
    starts = np.zeros(len(counts), dtype=np.int64)
    np.cumsum(counts[:-1], out=starts[1:])
    return starts


def owners(counts: IntArray) -> IntArray:
    """For each row, the index of the group it belongs to."""
    return np.repeat(np.arange(len(counts), dtype=np.int64), counts)


def rank_within(counts: IntArray) -> IntArray:
    """0 for each group's first row, 1 for its second, and so on."""
    return np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(group_starts(counts), counts)


def count_before_within(flags: BoolArray, counts: IntArray) -> IntArray:
    """For each row, how many earlier rows of the same group have the flag set."""
    running = np.cumsum(flags, dtype=np.int64) - flags
    first_row = np.repeat(group_starts(counts), counts)
    result: IntArray = running - running[first_row]
    return result


def any_per_group(owner: IntArray, flags: BoolArray, groups: int) -> BoolArray:
    """Whether any row of each group has the flag set."""
    return np.bincount(owner[flags], minlength=groups) > 0


def choose_per_row(
    rng: np.random.Generator, group: npt.NDArray[np.integer[Any]], probabilities: FloatArray
) -> IntArray:
    """One category per row, drawn from the probability row of that row's group.

    ``probabilities`` has one row per group value; looping over the handful of groups
    keeps each draw vectorised.
    """
    chosen = np.zeros(len(group), dtype=np.int64)
    for value in range(probabilities.shape[0]):
        rows = np.flatnonzero(group == value)
        if len(rows):
            chosen[rows] = rng.choice(
                probabilities.shape[1], size=len(rows), p=probabilities[value]
            )
    return chosen


def normalised(weights: Sequence[float] | FloatArray) -> FloatArray:
    """Weights scaled to sum to one."""
    array = np.asarray(weights, dtype=np.float64)
    result: FloatArray = array / array.sum()
    return result


def years_to_days(years: FloatArray) -> IntArray:
    return np.floor(years * 365.25).astype(np.int64)
