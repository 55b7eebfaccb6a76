"""Small numbers suppressed, with secondary suppression (000 ISA s5; docs/reporting.md).

1. Primary: a count from 1 to ``threshold - 1`` is suppressed (0 is shown:
   it says nothing about anyone).
2. Secondary: a table declares its *lines*, each a list of count cells whose
   last cell is the total of the others (a row with its total, a column of
   groups with the "All" row). A line with exactly one suppressed cell gives
   it away by subtraction, so another cell of that line is suppressed too: the
   smallest non-zero one shown (a zero only where no other is left). Repeat
   until every line has none or at least two suppressed cells; suppression only
   grows, so this ends.
3. Derived: a rate, percentage or mean is suppressed when the count it was
   worked out from is suppressed or is itself small.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def primary(values: Mapping[K, int | None], threshold: int) -> set[K]:
    return {key for key, v in values.items() if v is not None and 0 < v < threshold}


def secondary(values: Mapping[K, int | None], lines: Sequence[Sequence[K]],
              hidden: set[K]) -> set[K]:
    """The cells to suppress, ``hidden`` and every complementary cell it needs."""
    out = set(hidden)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(key in out for key in line) != 1:
                continue
            out.add(_complement(values, line, out))
            changed = True
    return out


def _complement(values: Mapping[K, int | None], line: Sequence[K],
                out: set[K]) -> K:
    shown = [key for key in line if key not in out]

    def rank(key: K) -> tuple[bool, int]:
        v = values.get(key) or 0
        return (v == 0, v)

    return min(shown, key=rank)


def suppress(values: Mapping[K, int | None], lines: Sequence[Sequence[K]],
             threshold: int) -> set[K]:
    return secondary(values, lines, primary(values, threshold))


def recoverable(values: Mapping[K, int | None], lines: Sequence[Sequence[K]],
                hidden: set[K]) -> set[K]:
    """Suppressed cells an onlooker can work out from the published ones by subtraction,
    repeating as each one found is used again (the property the tests hold)."""
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
