"""Small numbers suppressed, with secondary suppression (000 ISA s5; docs/reporting.md).

1. Primary: a count from 1 to ``threshold - 1`` is suppressed (0 is shown:
   it says nothing about anyone).
2. Secondary: the cells are bound by *equations*, each a list of count cells
   with whole-number coefficients adding up to zero. Most are *lines*, cells
   whose last is the total of the others (a row with its total, a column of
   groups with the "All" row, the same figure in two tables); others have
   signs of their own (a month's people on the cohort are the month before's,
   plus those placed, less those who left). An onlooker knows every published
   cell and every equation, and works out what they can by subtraction, along
   any combination of the equations (exact linear algebra), and from a sum of
   counts that is zero (counts are never negative, so each of them is 0).
   Suppression grows until no suppressed cell can be worked out so:

   a. A line with exactly one unknown cell gives it away by itself, so the
      smallest non-zero published cell of the line goes too (a zero only
      where no other is left), until no equation has exactly one.
   b. What can still be worked out by combining equations is then found by
      elimination, and for each such cell another of its equations gives up a
      published cell, the smallest that makes it unknown again where one does.

   Suppression only grows, so this ends.
3. Some figures the pack never publishes still tie published ones together
   (the cohort members with less than the full window, by gender: the
   difference between two tables). They are *unpublished* cells: always
   unknown, and one that is itself a small count must stay so.
4. Derived: a rate, percentage or mean is suppressed when the count it was
   worked out from is suppressed or is itself small (``tables.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
Equation = Sequence[tuple[K, int]]  # (cell, coefficient): the sum of coefficient x value is 0


def as_equation(line: Sequence[K]) -> tuple[tuple[K, int], ...]:
    """A line (the last cell is the total of the others) as an equation."""
    return (*((key, 1) for key in line[:-1]), (line[-1], -1))


def primary(values: Mapping[K, int | None], threshold: int) -> set[K]:
    return {key for key, v in values.items() if v is not None and 0 < v < threshold}


def secondary(values: Mapping[K, int | None], lines: Sequence[Sequence[K]],
              hidden: set[K]) -> set[K]:
    """The cells to suppress: ``hidden`` and every complementary cell it needs, for
    ``lines`` alone."""
    return protect(values, [as_equation(line) for line in lines], hidden, threshold=0)


def suppress(values: Mapping[K, int | None], lines: Sequence[Sequence[K]],
             threshold: int) -> set[K]:
    return secondary(values, lines, primary(values, threshold))


def protect(values: Mapping[K, int | None], equations: Sequence[Equation[K]],
            hidden: set[K], *, threshold: int,
            unpublished: Collection[K] = ()) -> set[K]:
    """``hidden`` and the published cells that must go with it so that none of it, nor any
    small unpublished count, can be worked out from what is left (step 2 above)."""
    order = {key: i for i, key in enumerate(values)}
    latent = set(unpublished)
    small = {k for k in latent if 0 < (values.get(k) or 0) < threshold}
    out = _by_lines(values, equations, set(hidden), latent, small, order)
    while True:
        leaks = (determined(values, equations, out | latent) & (out | small))
        if not leaks:
            return out
        leak = min(leaks, key=lambda k: order.get(k, len(order)))
        out = _free(values, equations, out, leak, latent, small, order)


def _rank(values: Mapping[K, int | None], order: Mapping[K, int]
          ) -> Callable[[K], tuple[bool, int, int]]:
    """The order complements are taken in: non-zero first, smallest first."""
    def rank(key: K) -> tuple[bool, int, int]:
        v = values.get(key) or 0
        return (v == 0, v, order.get(key, len(order)))
    return rank


def _by_lines(values: Mapping[K, int | None], equations: Sequence[Equation[K]], out: set[K],
              latent: set[K], small: set[K], order: Mapping[K, int]) -> set[K]:
    """Step 2a: no equation left with exactly one unknown cell that must stay unknown."""
    rank = _rank(values, order)
    changed = True
    while changed:
        changed = False
        for equation in equations:
            keys = [key for key, c in equation if c]
            unknown = [key for key in keys if key in out or key in latent]
            if len(unknown) != 1 or not (unknown[0] in out or unknown[0] in small):
                continue
            shown = [key for key in keys if key not in out and key not in latent]
            if shown:
                out.add(min(shown, key=rank))
                changed = True
    return out


def _free(values: Mapping[K, int | None], equations: Sequence[Equation[K]], out: set[K],
          leak: K, latent: set[K], small: set[K], order: Mapping[K, int]) -> set[K]:
    """Step 2b: suppress one more published cell of an equation of ``leak``: the smallest
    that leaves ``leak`` unknown, or else the smallest, to be tried again."""
    rank = _rank(values, order)
    shown = sorted({key for equation in equations if any(k == leak for k, _ in equation)
                    for key, c in equation if c and key not in out and key not in latent},
                   key=rank)
    if not shown:  # nothing of its own equations left to give: widen to every equation
        shown = sorted({key for equation in equations for key, c in equation
                        if c and key not in out and key not in latent}, key=rank)
    if not shown:
        return out
    for key in shown:
        trial = _by_lines(values, equations, out | {key}, latent, small, order)
        if leak not in determined(values, equations, trial | latent):
            return trial
    return _by_lines(values, equations, out | {shown[0]}, latent, small, order)


def determined(values: Mapping[K, int | None], equations: Sequence[Equation[K]],
               unknown: Iterable[K]) -> set[K]:
    """The ``unknown`` cells an onlooker can work out from the others: by subtraction
    along any combination of the equations, and as 0 where a sum of counts is 0."""
    unknown = set(unknown)
    found: set[K] = set()
    while True:
        more = _zero_sums(values, equations, unknown - found) | _eliminated(
            equations, unknown - found)
        if not more:
            return found
        found |= more


def _zero_sums(values: Mapping[K, int | None], equations: Sequence[Equation[K]],
               unknown: set[K]) -> set[K]:
    found: set[K] = set()
    for equation in equations:
        terms = [(key, c) for key, c in equation if c and key in unknown and key not in found]
        if not terms:
            continue
        rest = sum(c * (values.get(key) or 0) for key, c in equation if key not in unknown)
        if rest == 0 and (all(c > 0 for _, c in terms) or all(c < 0 for _, c in terms)):
            found |= {key for key, _ in terms}
    return found


def _eliminated(equations: Sequence[Equation[K]], unknown: set[K]) -> set[K]:
    """Unknowns fixed by the equations: Gauss-Jordan elimination over the unknowns, one
    group of equations linked by shared unknowns at a time. A pivot whose row has no
    other unknown left is worked out exactly."""
    rows = []
    for equation in equations:
        row: dict[K, Fraction] = {}
        for key, c in equation:
            if c and key in unknown:
                row[key] = row.get(key, Fraction(0)) + c
        row = {k: v for k, v in row.items() if v}
        if row:
            rows.append(row)
    found: set[K] = set()
    for group in _components(rows):
        found |= _solve(group)
    return found


def _components(rows: list[dict[K, Fraction]]) -> list[list[dict[K, Fraction]]]:
    parent: dict[K, K] = {}

    def root(key: K) -> K:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for row in rows:
        first, *others = row
        for key in others:
            parent[root(key)] = root(first)
    groups: dict[K, list[dict[K, Fraction]]] = {}
    for row in rows:
        groups.setdefault(root(next(iter(row))), []).append(row)
    return list(groups.values())


def _solve(rows: list[dict[K, Fraction]]) -> set[K]:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    pending = [dict(row) for row in rows]
    pivots: list[tuple[K, dict[K, Fraction]]] = []
    for column in columns:
        at = next((i for i, row in enumerate(pending) if row.get(column)), None)
        if at is None:
            continue
        row = pending.pop(at)
        lead = row[column]
        row = {k: v / lead for k, v in row.items()}
        for other in [*pending, *(r for _, r in pivots)]:
            factor = other.get(column)
            if factor:
                for k, v in row.items():
                    other[k] = other.get(k, Fraction(0)) - factor * v
                    if not other[k]:
                        del other[k]
        pivots.append((column, row))
    return {column for column, row in pivots if len(row) == 1}


def recoverable(values: Mapping[K, int | None], lines: Sequence[Sequence[K]],
                hidden: set[K]) -> set[K]:
    """Suppressed cells an onlooker can work out from the published ones by subtraction,
    one line at a time, repeating as each one found is used again."""
    known = {key for key in values if key not in hidden}
    found: set[K] = set()
    progress = True
    while progress:
        progress = False
        for line in lines:
            missing = [key for key in line if key not in known]
            if len(missing) == 1:
                known.add(missing[0])
                found.add(missing[0])
                progress = True
    return found & hidden
