"""Windows of N days at liberty before and after a person's selection (pure).

Days in custody are left out of both windows, so each window is lengthened by
the custody inside it, as the selection rules' "months at liberty" are
(iom/cohorts/candidates/liberty.py) and, by half, the Crime Severity Score
window (iom/scoring/engine/crime_severity.py). A release day is at liberty.

- Before: the days d with ``start < d <= index`` holding exactly N days at
  liberty. Walking the custody blocks newest first, a block lies in the window
  when fewer than N days at liberty come after it (up to the index date); the
  start is ``index - N`` moved back by the days of those blocks.
- After: the days d with ``index < d <= end`` holding N days at liberty.
  Walking the blocks oldest first, a block lies in the window when fewer than N
  days at liberty come before it; the end is ``index + N`` moved on by them.
  Custody known at the report date only counts (a spell still running is in
  custody up to that date), so the window is **full** only when its end is on
  or before the report date; otherwise the person has less than the full
  after-window and is shown apart, with the days at liberty seen so far.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from iom.scoring.engine.facts import CustodyPeriod

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Block:
    """Days in custody, both ends inclusive."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True, slots=True)
class Windows:
    index: date
    before_start: date  # exclusive
    before_custody_days: int
    after_end: date  # inclusive; may lie after the report date
    after_custody_days: int  # inside (index, min(after_end, report date)]
    after_liberty_days: int  # days at liberty seen in the after-window by the report date
    full_after: bool


def custody_blocks(custody: Iterable[CustodyPeriod], report_date: date) -> list[Block]:
    """Custody up to the report date as separate blocks, overlapping or touching spells
    merged (a day is in custody once however many spells cover it)."""
    spans = []
    for period in custody:
        release = period.actual_release_date
        last = report_date if release is None or release > report_date else release - _ONE_DAY
        if period.start_date <= last:
            spans.append((period.start_date, last))
    blocks: list[Block] = []
    for first, last in sorted(spans):
        if blocks and first <= blocks[-1].last + _ONE_DAY:
            blocks[-1] = Block(blocks[-1].first, max(last, blocks[-1].last))
        else:
            blocks.append(Block(first, last))
    return blocks


def person_windows(custody: Iterable[CustodyPeriod], index: date, report_date: date,
                   days: int) -> Windows:
    blocks = custody_blocks(custody, report_date)
    start, before_custody = _before(blocks, index, days)
    end, _ = _after(blocks, index, days)
    seen_to = min(end, report_date)
    custody_seen = sum(_overlap(b, index, seen_to) for b in blocks)
    liberty_seen = max(0, (seen_to - index).days - custody_seen)
    return Windows(index, start, before_custody, end, custody_seen, liberty_seen,
                   full_after=end <= report_date)


def _before(blocks: list[Block], index: date, days: int) -> tuple[date, int]:
    custody_after = 0
    for block in sorted((_clip(b, None, index) for b in blocks if b.first <= index),
                        key=lambda b: b.last, reverse=True):
        liberty_after = (index - block.last).days - custody_after
        if liberty_after >= days:
            break
        custody_after += block.days
    return index - timedelta(days=days + custody_after), custody_after


def _after(blocks: list[Block], index: date, days: int) -> tuple[date, int]:
    custody_before = 0
    for block in (_clip(b, index + _ONE_DAY, None) for b in blocks if b.last > index):
        liberty_before = (block.first - index).days - 1 - custody_before
        if liberty_before >= days:
            break
        custody_before += block.days
    return index + timedelta(days=days + custody_before), custody_before


def _clip(block: Block, first: date | None, last: date | None) -> Block:
    return Block(max(block.first, first) if first else block.first,
                 min(block.last, last) if last else block.last)


def _overlap(block: Block, after: date, last: date) -> int:
    """Days of the block d with after < d <= last."""
    lo, hi = max(block.first, after + _ONE_DAY), min(block.last, last)
    return max(0, (hi - lo).days + 1)
