"""ONS Crime Severity Score against reference/crime_severity.md and seed 001 s4.1.

Weights are the figures of crime_severity_weights.csv (set A, the configured
set). The window cases are worked by hand from seed 001 s4.1: "the type and
number of convictions during the preceding five years at liberty. Any terms of
imprisonment during this time should be halved and that amount of time added
to the five years", with "an ONS CSS score of 1500 plus" as the indicator.
Our reading (docs/scores.md): the five years are the days after the date five
calendar years back up to and including the as-at date; a custody day is any
day from the start up to the day before release; half of the custody days is
rounded up to a whole day.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import date

import pytest

from iom.scoring.engine import CssResult, crime_severity, default_config
from iom.scoring.engine.config import REFERENCE_DIR, _css
from iom.scoring.engine.facts import Event, PersonFacts
from iom.scoring.tests.factories import custody, event, person

AS_AT = date(2026, 11, 1)  # five calendar years back: 1 November 2021


def conviction(event_id: int, day: date, code: str, **kwargs: object) -> Event:
    return event(event_id, "conviction", day, code, **kwargs)  # type: ignore[arg-type]


def css(facts: PersonFacts, as_at: date = AS_AT) -> CssResult:
    return crime_severity(facts, as_at)


# --- Set A weights (reference/crime_severity.md s2, "Set A"; crime_severity_weights.csv) ---

SET_A = [
    ("1/4.1/4.10/4.2", 7978.79308113648),  # homicide, press figure 7,979
    ("2", 4662.78644445245),  # attempted murder
    ("76", 4392.0),  # aiding suicide
    *((code, 438.0) for code in ("28A", "28B", "28C", "28D", "28E", "28F", "28G", "28H")),
    ("29", 2127.0), ("29A", 2127.0),  # aggravated residential burglary
    *((code, 117.0) for code in ("30A", "30B", "30C", "30D")),
    ("31", 1513.0), ("31A", 1513.0),  # aggravated business burglary
    ("34A", 746.0), ("34B", 746.0),  # robbery, set A
    ("39", 86.0),  # theft from the person
    ("46", 13.0),  # shoplifting
    ("44", 10.0),  # bicycle theft
    ("92A", 497.0),  # drug trafficking
    ("92E", 3.0),  # cannabis possession, press figure 3
]


@pytest.mark.parametrize(("code", "weight"), SET_A)
def test_each_set_a_weight_scores_one_conviction(code: str, weight: float) -> None:
    result = css(person(conviction(7, date(2025, 1, 10), code)))
    assert result.value == weight
    assert result.complete
    (line,) = [c for c in result.working if c.rule == "css_weight"]
    assert (line.amount, line.event_id) == (weight, 7)


def test_set_a_holds_exactly_the_published_codes() -> None:
    assert {code for code, _ in SET_A} == set(default_config().css.weights)


@pytest.mark.parametrize("code", ["8N", "105A", "8L", "9A"])
def test_set_b_codes_are_not_mixed_into_set_a(code: str) -> None:
    # s2 "Set B": "Do not mix A and B in one score"; s5: unweighted, not silently 0.
    result = css(person(conviction(3, date(2025, 1, 10), code)))
    assert (result.value, result.complete, result.band) == (0.0, False, "incomplete")
    assert result.unweighted_event_ids == (3,)
    assert any(c.rule == "css_unweighted" and c.event_id == 3 for c in result.working)


def test_set_b_weights_when_set_b_is_chosen() -> None:
    # s2 "Set B" table: 34B 993.55, 8N 203.07, 105A 12.99, 8L 39.64, 9A 7.576.
    section = tomllib.loads((REFERENCE_DIR / "scoring.toml").read_text())["css"]
    set_b = _css(REFERENCE_DIR, {**section, "weight_set": "B"})
    cfg = default_config().with_changes(css=set_b)
    codes = ["34B", "8N", "105A", "8L", "9A"]
    facts = person(*(conviction(i, date(2025, 1, 10 + i), c) for i, c in enumerate(codes)))
    result = crime_severity(facts, AS_AT, cfg)
    assert result.value == pytest.approx(993.55 + 203.07 + 12.99 + 39.64 + 7.576, abs=1e-9)
    assert result.complete


# --- The indicator: "1500 plus" (seed 001 s4.1; crime_severity.md introduction) -------

def _burglary_spree(last_code: str) -> PersonFacts:
    # 438 + 438 + 497 + 117 = 1490, then one more conviction.
    codes = ["28E", "28F", "92A", "30C", last_code]
    return person(*(conviction(i, date(2024, 3, i + 1), c) for i, c in enumerate(codes)))


@pytest.mark.parametrize(("last_code", "total", "band"), [
    ("44", 1500.0, "indicator"),  # + 10: exactly 1500 is "1500 plus"
    ("92E", 1493.0, "below_indicator"),  # + 3
    ("39", 1576.0, "indicator"),  # + 86
])
def test_indicator_at_1500(last_code: str, total: float, band: str) -> None:
    result = css(_burglary_spree(last_code))
    assert (result.value, result.band) == (total, band)


def test_below_1500_with_an_unweighted_offence_is_incomplete() -> None:
    facts = person(conviction(1, date(2025, 1, 1), "28E"), conviction(2, date(2025, 2, 1), "8N"))
    result = css(facts)
    assert (result.value, result.band, result.complete) == (438.0, "incomplete", False)


def test_1500_plus_stays_an_indicator_even_when_incomplete() -> None:
    facts = person(conviction(1, date(2025, 1, 1), "29A"), conviction(2, date(2025, 2, 1), "8N"))
    result = css(facts)
    assert (result.value, result.band, result.complete) == (2127.0, "indicator", False)


# --- The five-year window without custody ---------------------------------------------

@pytest.mark.parametrize(("day", "counted"), [
    (date(2021, 11, 1), False),  # exactly five years before: outside
    (date(2021, 11, 2), True),  # the first day inside
    (AS_AT, True),  # on the as-at date
    (date(2026, 11, 2), False),  # after the as-at date
])
def test_five_year_window_edges(day: date, counted: bool) -> None:
    result = css(person(conviction(1, day, "28E")))
    assert result.value == (438.0 if counted else 0.0)
    assert result.window_start == date(2021, 11, 1)


def test_worked_example_without_custody() -> None:
    facts = person(
        conviction(1, date(2021, 10, 31), "29A"),  # too old
        conviction(2, date(2022, 1, 10), "28E"),  # 438
        conviction(3, date(2025, 5, 5), "34B"),  # 746
        conviction(4, date(2026, 10, 31), "46"),  # 13
        event(5, "arrest", date(2026, 1, 1), "29A"),  # arrests are not convictions
        event(6, "caution", date(2026, 1, 1), "39"),  # nor are cautions
    )
    result = css(facts)
    assert (result.value, result.band, result.custody_days) == (1197.0, "below_indicator", 0)
    assert [c.event_id for c in result.working if c.rule == "css_weight"] == [2, 3, 4]


def test_convictions_recorded_after_the_as_at_date_are_ignored() -> None:
    facts = person(
        conviction(1, date(2026, 10, 1), "29A", recorded=date(2026, 11, 2)),
        conviction(2, date(2026, 10, 1), "28E", recorded=AS_AT),
    )
    assert css(facts).value == 438.0
    assert css(facts, date(2026, 11, 2)).value == 438.0 + 2127.0


def test_score_as_at_a_past_date_ignores_later_convictions() -> None:
    facts = person(conviction(1, date(2023, 1, 1), "28E"), conviction(2, date(2025, 1, 1), "29A"))
    assert css(facts, date(2024, 12, 31)).value == 438.0


# --- Custody halved and added (seed 001 s4.1) ------------------------------------------

def test_custody_spanning_the_window_start() -> None:
    # In custody 1 May 2021, released 1 May 2022. Inside the five years (2 Nov 2021 to
    # 30 Apr 2022): 29 + 31 + 31 + 28 + 31 + 30 = 180 days. Half is 90 days, so the
    # window starts 90 days before 1 Nov 2021: convictions after 3 Aug 2021 count.
    facts = person(
        conviction(1, date(2021, 8, 3), "34B"),  # outside
        conviction(2, date(2021, 8, 4), "28E"),  # inside the added 90 days
        custody_periods=(custody(1, date(2021, 5, 1), date(2022, 5, 1)),),
    )
    result = css(facts)
    assert (result.custody_days, result.window_start) == (180, date(2021, 8, 3))
    assert result.value == 438.0


def test_custody_still_running_on_the_as_at_date() -> None:
    # In custody since 1 May 2026, not released: 1 May to 1 Nov 2026 is
    # 31 + 30 + 31 + 31 + 30 + 31 + 1 = 185 days; half rounded up 93; start 31 Jul 2021.
    facts = person(
        conviction(1, date(2021, 7, 31), "34B"),
        conviction(2, date(2021, 8, 1), "28E"),
        custody_periods=(custody(1, date(2026, 5, 1), None),),
    )
    result = css(facts)
    assert (result.custody_days, result.window_start, result.value) == (
        185, date(2021, 7, 31), 438.0)


def test_two_custody_terms_add_up() -> None:
    # 10 days (1-10 Jan 2023, released 11 Jan) and 21 days (1-21 Mar 2024, released
    # 22 Mar): 31 days, half rounded up 16; start 16 Oct 2021.
    facts = person(
        conviction(1, date(2021, 10, 16), "28E"),
        conviction(2, date(2021, 10, 17), "34B"),
        custody_periods=(custody(1, date(2023, 1, 1), date(2023, 1, 11)),
                         custody(2, date(2024, 3, 1), date(2024, 3, 22), "remand")),
    )
    result = css(facts)
    assert (result.custody_days, result.window_start, result.value) == (
        31, date(2021, 10, 16), 746.0)


def test_release_day_is_at_liberty() -> None:
    # In 31 Oct 2026, released on the as-at date: one day in custody, half rounded up 1.
    facts = person(custody_periods=(custody(1, date(2026, 10, 31), AS_AT),))
    result = css(facts)
    assert (result.custody_days, result.window_start) == (1, date(2021, 10, 31))


def test_custody_outside_the_window_adds_nothing() -> None:
    facts = person(
        conviction(1, date(2021, 10, 20), "28E"),
        custody_periods=(custody(1, date(2019, 1, 1), date(2021, 11, 2)),  # 1 Nov: outside
                         custody(2, date(2026, 11, 2), None)),  # after the as-at date
    )
    result = css(facts)
    assert (result.custody_days, result.value) == (0, 0.0)


def test_custody_found_in_the_added_time_does_not_extend_again_by_default() -> None:
    # seed 001: "terms of imprisonment during this time" -- the five years only.
    # 100 days inside (24 Jul to 31 Oct 2026) add 50; a term in the added 50 days
    # (1-20 Oct 2021) is not counted unless iterate_extension is set.
    facts = person(
        conviction(1, date(2021, 9, 5), "28E"),
        custody_periods=(custody(1, date(2021, 10, 1), date(2021, 10, 21)),
                         custody(2, date(2026, 7, 24), date(2026, 11, 1))),
    )
    once = css(facts)
    assert (once.custody_days, once.window_start, once.value) == (100, date(2021, 9, 12), 0.0)
    cfg = default_config()
    again = crime_severity(facts, AS_AT, cfg.with_changes(css=replace(cfg.css,
                                                                     iterate_extension=True)))
    # 100 + 20 days = 120, half 60: the window starts 2 Sep 2021 and takes the burglary.
    assert (again.custody_days, again.window_start, again.value) == (
        120, date(2021, 9, 2), 438.0)


def test_working_names_the_window() -> None:
    facts = person(custody_periods=(custody(1, date(2021, 5, 1), date(2022, 5, 1)),))
    (line,) = [c for c in css(facts).working if c.rule == "css_window"]
    assert "3 August 2021" in line.detail and "180 days" in line.detail
