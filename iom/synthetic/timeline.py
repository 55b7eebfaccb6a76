"""Liberty clock to calendar: add the custody served before each moment.

A key is ``liberty_day * KEY_STEP + order_within_day``. The calendar day of a key is

    first_offence + liberty_day + (days in custody in spells whose key sorts before it)

Spells are laid end to end in key order, so they cannot overlap, and a moment that
sorts after a spell lands after its release. One sort of all spells plus a binary
search per row does this for every person at once.
"""

from __future__ import annotations

import numpy as np

from iom.synthetic._arrays import IntArray
from iom.synthetic.careers import KEY_STEP, RawSpells

# Keys of one person stay below this (liberty days < 2**21), so that
# ``person * KEY_SPAN + key`` sorts by person, then key.
KEY_SPAN = 1 << 24


class Calendar:
    """Calendar days for keys of the people in one chunk."""

    def __init__(self, first_offence: IntArray, spells: RawSpells) -> None:
        if len(spells.key) and int(spells.key.max()) >= KEY_SPAN:
            raise ValueError("a liberty day is beyond the supported range")
        global_key = spells.owner * KEY_SPAN + spells.key
        self._order = np.argsort(global_key, kind="stable")
        self._sorted_keys = global_key[self._order]
        lengths = spells.actual_days[self._order]
        # _served_before[i]: custody days in the first i spells, in key order.
        self._served_before = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        self._first_offence = first_offence

    def day(self, owner: IntArray, key: IntArray) -> IntArray:
        """Calendar day of each (person, key)."""
        return self._first_offence[owner] + key // KEY_STEP + self._served_before_key(owner, key)

    def spell_starts(self, spells: RawSpells) -> IntArray:
        """Calendar first day of each spell, in the spells' own order.

        A spell starts after every spell sorted before it, including earlier spells
        with the same key (consecutive sentences passed on the same day).
        """
        position = np.empty(len(self._order), dtype=np.int64)
        position[self._order] = np.arange(len(self._order), dtype=np.int64)
        served = self._served_before[position] - self._person_base(spells.owner)
        return self._first_offence[spells.owner] + spells.key // KEY_STEP + served

    def _served_before_key(self, owner: IntArray, key: IntArray) -> IntArray:
        index = np.searchsorted(self._sorted_keys, owner * KEY_SPAN + key, side="left")
        served: IntArray = self._served_before[index] - self._person_base(owner)
        return served

    def _person_base(self, owner: IntArray) -> IntArray:
        index = np.searchsorted(self._sorted_keys, owner * KEY_SPAN, side="left")
        base: IntArray = self._served_before[index]
        return base
