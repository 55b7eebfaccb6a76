"""ONS Crime Severity Score of a person's convictions (seed 001 s4.1).

The sum of the severity weights of the person's convictions in the five years
before the as-at date, the window lengthened by half the time spent in custody
inside it. docs/scores.md gives the exact reading with worked examples.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from iom.scoring.engine.config import CssConfig, ScoringConfig, default_config
from iom.scoring.engine.dates import add_years
from iom.scoring.engine.facts import CustodyPeriod, Event, PersonFacts
from iom.scoring.engine.results import Contribution, CssResult
from iom.scoring.engine.words import day

NAME = "crime_severity"
INDICATOR = "indicator"  # 1500 or more: a strong indicator for IOM (seed 001)
BELOW = "below_indicator"
INCOMPLETE = "incomplete"  # below 1500 so far, but some offences had no weight


def crime_severity(
    facts: PersonFacts, as_at: date, config: ScoringConfig | None = None
) -> CssResult:
    cfg = config or default_config()
    c = cfg.css
    five_years_back = add_years(as_at, -c.years)
    custody_days, start = window_start(facts.custody, five_years_back, as_at, c)
    counted = [e for e in facts.events_known_at(as_at)
               if e.event_type in c.event_types and start < counted_date(e, c) <= as_at]
    lines = [_line(e, c, cfg.offence_names) for e in counted]
    unweighted = tuple(e.event_id for e in counted if e.ho_code not in c.weights)
    units = sum(w.units for e in counted if (w := c.weights.get(e.ho_code or "")) is not None)
    return CssResult(
        name=NAME,
        value=float(units) / float(c.scale),  # the same two roundings as the batch twin
        band=_band(units, bool(unweighted), c),
        working=(_window_line(five_years_back, custody_days, start, c), *lines),
        reference_version=cfg.version,
        as_at=as_at,
        complete=not unweighted,
        window_start=start,
        custody_days=custody_days,
        unweighted_event_ids=unweighted,
    )


def counted_date(event: Event, c: CssConfig) -> date:
    """The date that places a conviction in the window (conviction date by default)."""
    if c.date_basis == "offence_date" and event.offence_date is not None:
        return event.offence_date
    return event.event_date


def window_start(
    custody: tuple[CustodyPeriod, ...], five_years_back: date, as_at: date, c: CssConfig
) -> tuple[int, date]:
    """Custody days counted and the day before the window's first day.

    1. Count the days in custody inside (five_years_back, as_at].
    2. Move the start back by half of them, rounded up to a whole day.
    3. With `iterate_extension`, count again inside the longer window and
       repeat until the start stops moving (it only moves back, and custody
       is finite, so this ends).
    """
    periods = [p for p in custody if p.custody_type in c.custody_types and p.start_date <= as_at]
    days = custody_days_inside(periods, five_years_back, as_at)
    start = five_years_back - timedelta(days=(days + 1) // 2)
    while c.iterate_extension:
        longer = custody_days_inside(periods, start, as_at)
        if longer == days:
            break
        days, start = longer, five_years_back - timedelta(days=(longer + 1) // 2)
    return days, start


def custody_days_inside(periods: list[CustodyPeriod], after: date, as_at: date) -> int:
    """Days d with after < d <= as_at spent in custody (the release day is at liberty)."""
    total = 0
    for period in periods:
        first = max(period.start_date, after + timedelta(days=1))
        release = period.actual_release_date
        last = as_at if release is None or release > as_at else release - timedelta(days=1)
        total += max(0, (last - first).days + 1)
    return total


def _band(units: int, has_unweighted: bool, c: CssConfig) -> str:
    if units >= c.indicator * c.scale:
        return INDICATOR
    return INCOMPLETE if has_unweighted else BELOW


def _window_line(five_years_back: date, days: int, start: date, c: CssConfig) -> Contribution:
    extension = (five_years_back - start).days
    return Contribution(
        "css_window", 0.0, None,
        f"Window: convictions after {day(start)} up to the as-at date. Five years back is "
        f"{day(five_years_back)}; {days} days in custody inside the window, halved and rounded "
        f"up, add {extension} days.")


def _line(event: Event, c: CssConfig, names: Mapping[str, str]) -> Contribution:
    code = event.ho_code or ""
    offence = names.get(code, "unknown code")
    weight = c.weights.get(code)
    if weight is None:
        return Contribution(
            "css_unweighted", 0.0, event.event_id,
            f"Conviction {day(event.event_date)}, HO code {code or 'none'} ({offence}): "
            f"no weight in set {c.weight_set}; the score is incomplete.")
    return Contribution(
        "css_weight", weight.weight, event.event_id,
        f"Conviction {day(event.event_date)}, HO code {code} ({offence}): weight {weight.weight} "
        f"(set {c.weight_set}, certainty {weight.certainty}).")
