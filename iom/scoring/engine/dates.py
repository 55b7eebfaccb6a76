"""Calendar arithmetic shared by the scorers and their Polars twins.

The batch twin computes every window boundary with these same functions (the
as-at date is one date for a whole batch), so both sides agree to the day.
"""

from __future__ import annotations

import calendar
from datetime import date


def whole_years(born: date, on: date) -> int:
    """Birthdays passed by `on`. A 29 February birthday counts on 1 March in
    a non-leap year, as Java's Period.between and the OGRS 3 calculators do."""
    before_birthday = (on.month, on.day) < (born.month, born.day)
    return on.year - born.year - int(before_birthday)


def add_months(day: date, months: int) -> date:
    """Calendar months; a day past the end of the target month becomes its last
    day (29 Feb 2024 - 12 months = 28 Feb 2023)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)
