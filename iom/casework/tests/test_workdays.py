"""Working days across England and Wales bank holidays, substitute days included."""

from __future__ import annotations

from datetime import date

import pytest

from iom.casework.workdays import (
    add_working_days,
    bank_holiday_name,
    is_working_day,
    next_working_day,
    working_days_after,
)


@pytest.mark.parametrize(("start", "count", "expected"), [
    (date(2024, 3, 4), 7, date(2024, 3, 13)),     # an ordinary fortnight
    (date(2024, 12, 20), 7, date(2025, 1, 3)),    # Christmas, Boxing Day and New Year
    (date(2022, 12, 23), 1, date(2022, 12, 28)),  # 27 December 2022 is a substitute day
    (date(2021, 12, 24), 1, date(2021, 12, 29)),  # both 27 and 28 December 2021 substitute
    (date(2025, 4, 17), 1, date(2025, 4, 22)),    # Good Friday and Easter Monday
    (date(2023, 5, 5), 1, date(2023, 5, 9)),      # the Coronation bank holiday
])
def test_adding_working_days(start, count, expected):
    assert add_working_days(start, count) == expected


def test_substitute_days_are_holidays():
    assert not is_working_day(date(2022, 12, 27))
    assert bank_holiday_name(date(2022, 12, 27)) is not None
    assert is_working_day(date(2022, 12, 29))


def test_counting_between_dates():
    assert working_days_after(date(2024, 12, 24), date(2024, 12, 27)) == 1
    assert working_days_after(date(2025, 4, 17), date(2025, 4, 22)) == 1
    assert working_days_after(date(2025, 1, 10), date(2025, 1, 1)) == 0
    assert next_working_day(date(2025, 4, 18)) == date(2025, 4, 22)
