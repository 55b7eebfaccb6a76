"""Test data of the scoring app, for its own tests and the reporting tests.

- Small builders for hand-written people in the table tests (``event``, ``custody``,
  ``intel``, ``person``).
- Hypothesis strategies for people and their histories, and their table form
  (``people``, ``to_tables``). They aim at the edges: birthdays on the as-at date and
  on 29 February, events on window boundaries and recorded after the as-at date,
  custody across the window's start or still running, people with no history at all.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import polars as pl
from hypothesis import strategies as st

from iom.scoring.engine.config import default_config
from iom.scoring.engine.dates import add_months, add_years
from iom.scoring.engine.facts import CustodyPeriod, Event, IntelEntry, PersonFacts


def event(
    event_id: int,
    event_type: str,
    day: date,
    ho_code: str | None = None,
    *,
    recorded: date | None = None,
    offence_day: date | None = None,
    domestic_abuse: bool = False,
    ogrs3_category: str | None = None,
) -> Event:
    """An event recorded on the day it happened unless `recorded` says otherwise."""
    return Event(event_id, event_type, day, offence_day, ho_code, None, domestic_abuse,
                 recorded or day, ogrs3_category)


def custody(
    custody_id: int, start: date, release: date | None, custody_type: str = "sentence"
) -> CustodyPeriod:
    return CustodyPeriod(custody_id, custody_type, start, release, release)


def intel(
    intel_id: int, recorded: date, grade: str, *, system: str = "5x5x5",
    crime_type: str = "acquisitive",
) -> IntelEntry:
    """`grade` is the pair as written on the form: "A1", "C3" (5x5x5) or "1A" (3x5x2)."""
    handling = "1" if system == "5x5x5" else "P"
    return IntelEntry(intel_id, recorded, system, grade[0], grade[1], handling, crime_type)


def person(
    *events: Event,
    custody_periods: tuple[CustodyPeriod, ...] = (),
    intelligence: tuple[IntelEntry, ...] = (),
    born: date | None = date(1990, 1, 1),
    gender: str | None = "M",
    substance: str | None = None,
) -> PersonFacts:
    return PersonFacts(1, born, gender, substance, tuple(events), custody_periods,
                       intelligence)


AS_AT = date(2026, 11, 1)
EVENT_TYPES = ("arrest", "charge", "conviction", "caution", "breach", "recall")
CRIME_TYPES = ("acquisitive", "violence", "domestic_abuse", "drugs", "other")
SUBSTANCES = ("heroin", "crack", "cocaine", "alcohol", "cannabis", "amphetamine")
_CODES = (*default_config().offence_names, "999Z")  # one code outside the reference list
# Recorded OGRS 3 categories: every one, and one outside the reference.
_CATEGORIES = (*default_config().ogrs3.offence_parameters, "no_such_category")


def boundary_dates(as_at: date) -> list[date]:
    """The days either side of every window edge the scorers use."""
    edges = [add_months(as_at, -m) for m in (1, 3, 6, 12, 24, 36)]
    edges += [add_years(as_at, -5), as_at - timedelta(days=28), as_at - timedelta(days=56)]
    edges += [as_at - timedelta(days=28 + 28), as_at]
    return [e + timedelta(days=k) for e in edges for k in (-1, 0, 1)]


def dates_near(as_at: date) -> st.SearchStrategy[date]:
    return st.one_of(
        st.sampled_from(boundary_dates(as_at)),
        st.dates(min_value=as_at - timedelta(days=9 * 365), max_value=as_at + timedelta(days=30)),
    )


def births(as_at: date) -> st.SearchStrategy[date | None]:
    leap_days = [date(y, 2, 29) for y in range(1956, 2017, 4)]
    same_day = [add_years(as_at, -n) for n in (9, 10, 11, 18, 50)]  # 29 Feb: the 28th
    return st.one_of(
        st.sampled_from(leap_days + same_day),
        st.dates(min_value=date(1950, 1, 1), max_value=date(2018, 12, 31)),
        st.none(),
    )


@st.composite
def events(draw: st.DrawFn, as_at: date, event_id: int) -> Event:
    kind = draw(st.sampled_from(EVENT_TYPES))
    happened = draw(dates_near(as_at))
    code = None if kind in ("breach", "recall") else draw(st.sampled_from(_CODES))
    offence = None if code is None else happened - timedelta(days=draw(st.integers(0, 400)))
    lag = draw(st.sampled_from([0, 0, 1, 10, 29, 90]))
    category = draw(st.one_of(st.none(), st.none(), st.sampled_from(_CATEGORIES)))
    return Event(event_id, kind, happened, offence, code, None, draw(st.booleans()),
                 happened + timedelta(days=lag), category)


@st.composite
def custody_periods(draw: st.DrawFn, as_at: date, custody_id: int) -> CustodyPeriod:
    start = draw(dates_near(as_at))
    length = draw(st.integers(1, 2500))
    release = draw(st.one_of(st.none(), st.just(start + timedelta(days=length))))
    return CustodyPeriod(custody_id, draw(st.sampled_from(["remand", "sentence"])), start,
                         start + timedelta(days=length), release)


@st.composite
def intel_entries(draw: st.DrawFn, as_at: date, intel_id: int) -> IntelEntry:
    system = draw(st.sampled_from(["5x5x5", "3x5x2"]))
    if system == "5x5x5":
        source, grade = draw(st.sampled_from("ABCDE")), draw(st.sampled_from("12345"))
        handling = draw(st.sampled_from("12345"))
    else:
        source, grade = draw(st.sampled_from("123")), draw(st.sampled_from("ABCDE"))
        handling = draw(st.sampled_from("PC"))
    return IntelEntry(intel_id, draw(dates_near(as_at)), system, source, grade, handling,
                      draw(st.sampled_from(CRIME_TYPES)))


@st.composite
def people(draw: st.DrawFn, as_at: date = AS_AT, max_size: int = 12) -> list[PersonFacts]:
    count = draw(st.integers(1, max_size))
    result, next_id = [], 1
    for person_id in range(1, count + 1):
        n_events = draw(st.integers(0, 25))
        evs = [draw(events(as_at, next_id + i)) for i in range(n_events)]
        next_id += n_events
        n_custody = draw(st.integers(0, 2))
        cus = _non_overlapping(
            [draw(custody_periods(as_at, next_id + i)) for i in range(n_custody)]
        )
        intel = [draw(intel_entries(as_at, next_id + i)) for i in range(draw(st.integers(0, 6)))]
        next_id += 10
        result.append(PersonFacts(
            person_id, draw(births(as_at)), draw(st.sampled_from(["M", "F", "M", None])),
            draw(st.one_of(st.none(), st.sampled_from(SUBSTANCES))),
            tuple(evs), tuple(cus), tuple(intel)))
    return result


def _non_overlapping(periods: list[CustodyPeriod]) -> list[CustodyPeriod]:
    """docs/data.md: one person's periods do not overlap; keep the earliest of a clash."""
    kept: list[CustodyPeriod] = []
    for period in sorted(periods, key=lambda p: p.start_date):
        if kept and (kept[-1].actual_release_date is None
                     or kept[-1].actual_release_date > period.start_date):
            continue
        kept.append(period)
    return kept


def to_tables(persons: list[PersonFacts]) -> dict[str, pl.DataFrame]:
    """The four tables of docs/data.md holding exactly these people."""
    return {
        "people": _frame([_person_row(p) for p in persons], _PEOPLE),
        "events": _frame([{"person_id": p.person_id, **_as_dict(e)}
                          for p in persons for e in p.events], _EVENTS),
        "custody": _frame([{"person_id": p.person_id, **_as_dict(c)}
                           for p in persons for c in p.custody], _CUSTODY),
        "intelligence": _frame([{"person_id": p.person_id, **_as_dict(i)}
                                for p in persons for i in p.intelligence], _INTEL),
    }


def _person_row(p: PersonFacts) -> dict[str, Any]:
    return {"person_id": p.person_id, "date_of_birth": p.date_of_birth, "gender": p.gender,
            "primary_substance": p.primary_substance}


def _as_dict(item: Any) -> dict[str, Any]:
    return {name: getattr(item, name) for name in item.__slots__}


def _frame(rows: list[dict[str, Any]], schema: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)


_PEOPLE = {"person_id": pl.Int64, "date_of_birth": pl.Date, "gender": pl.Enum(["M", "F"]),
           "primary_substance": pl.Enum(SUBSTANCES)}
_EVENTS = {"person_id": pl.Int64, "event_id": pl.Int64, "event_type": pl.Enum(EVENT_TYPES),
           "event_date": pl.Date, "offence_date": pl.Date, "ho_code": pl.String,
           "disposal": pl.String, "domestic_abuse": pl.Boolean, "recorded_date": pl.Date,
           "ogrs3_category": pl.String}
_CUSTODY = {"person_id": pl.Int64, "custody_id": pl.Int64,
            "custody_type": pl.Enum(["remand", "sentence"]), "start_date": pl.Date,
            "expected_release_date": pl.Date, "actual_release_date": pl.Date}
_INTEL = {"person_id": pl.Int64, "intel_id": pl.Int64, "recorded_date": pl.Date,
          "grading_system": pl.Enum(["5x5x5", "3x5x2"]), "source_grade": pl.String,
          "intel_grade": pl.String, "handling_code": pl.String,
          "crime_type": pl.Enum(CRIME_TYPES)}
