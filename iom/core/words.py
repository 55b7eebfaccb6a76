"""Dates and times as GOV.UK writes them, for text built in Python (the template
filters in ``iom.core.templatetags.iom`` use the same functions).

GOV.UK style: "3 December 2026" (no leading zero, month in full), times "2:30pm",
"9am", "midday" and "midnight" (www.gov.uk/guidance/style-guide/a-to-z-of-gov-uk-style).
"""

from __future__ import annotations

from datetime import date, datetime, time


def long_date(day: date) -> str:
    """3 December 2026."""
    return f"{day.day} {day:%B %Y}"


def short_date(day: date) -> str:
    """3 Dec 2026, for tables where the full month does not fit."""
    return f"{day.day} {day:%b %Y}"


def clock_time(moment: time | datetime) -> str:
    """9am, 2:30pm, midday, midnight."""
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def date_and_time(moment: datetime) -> str:
    """3 December 2026 at 2:30pm (in the time zone the caller converted to)."""
    return f"{long_date(moment.date())} at {clock_time(moment)}"
