"""UK working days: Monday to Friday, less the bank holidays of England and Wales.

The bank holidays come from the maintained ``holidays`` library (substitute
days included), never from a list kept by hand.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

SATURDAY = 5


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    found = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return frozenset(found.keys())


def bank_holiday_name(day: date) -> str | None:
    found = holidays.country_holidays("GB", subdiv="ENG", years=day.year)
    name = found.get(day)
    return str(name) if name else None


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < SATURDAY and day not in _bank_holidays(day.year)


def next_working_day(day: date) -> date:
    """The day itself if it is a working day, else the next one."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, count: int) -> date:
    """The date ``count`` working days after ``start`` (``start`` itself not counted)."""
    day = start
    for _ in range(count):
        day = next_working_day(day + timedelta(days=1))
    return day


def working_days_after(start: date, end: date) -> int:
    """How many working days fall after ``start`` up to and including ``end``."""
    if end <= start:
        return 0
    return sum(1 for n in range(1, (end - start).days + 1)
               if is_working_day(start + timedelta(days=n)))
