"""Before-and-after measures of one person (pure): the table the batch twin is held to.

Proven offences (convictions and cautions by default) are placed by their
offence date, or the event date where none is recorded; arrests by the event
date. Only events known at the report date count (happened and recorded by
then). Severity is the ONS Crime Severity Score weight of each proven offence,
from the same reference set as the score (an offence without a weight adds 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from iom.scoring.engine.config import ScoringConfig
from iom.scoring.engine.facts import Event, PersonFacts

from .config import ReportingConfig
from .windows import Windows, person_windows


@dataclass(frozen=True, slots=True)
class PersonMeasures:
    person_id: int
    windows: Windows
    proven_before: int
    proven_after: int
    arrests_before: int
    arrests_after: int
    css_before: float
    css_after: float
    days_to_first_proven: int | None  # calendar days from selection to the first offence after

    def frequency_before(self, window_days: int) -> float:
        return self.proven_before * 365 / window_days

    def frequency_after(self) -> float | None:
        days = self.windows.after_liberty_days
        return self.proven_after * 365 / days if days else None


def placed_on(event: Event) -> date:
    return event.offence_date or event.event_date


def person_measures(facts: PersonFacts, index: date, report_date: date,
                    cfg: ReportingConfig, scoring: ScoringConfig) -> PersonMeasures:
    w = person_windows(facts.custody, index, report_date, cfg.window_days)
    known = facts.events_known_at(report_date)
    after_to = min(w.after_end, report_date)
    proven = [e for e in known if e.event_type in cfg.proven_event_types]
    before = [e for e in proven if w.before_start < placed_on(e) <= index]
    after = [e for e in proven if index < placed_on(e) <= after_to]
    arrests = [e for e in known if e.event_type in cfg.arrest_event_types]
    first = min((placed_on(e) for e in after), default=None)
    return PersonMeasures(
        person_id=facts.person_id, windows=w,
        proven_before=len(before), proven_after=len(after),
        arrests_before=sum(w.before_start < e.event_date <= index for e in arrests),
        arrests_after=sum(index < e.event_date <= after_to for e in arrests),
        css_before=_css(before, scoring), css_after=_css(after, scoring),
        days_to_first_proven=(first - index).days if first else None,
    )


def _css(events: list[Event], scoring: ScoringConfig) -> float:
    c = scoring.css
    units = sum(w.units for e in events if (w := c.weights.get(e.ho_code or "")) is not None)
    return units / c.scale
