"""The worked examples of docs/scores.md, worked by hand there, held here.

If a setting in reference/scoring.toml changes a figure below, the document
must change with it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from iom.scoring.engine import crime_severity, default_config
from iom.scoring.engine.facts import PersonFacts
from iom.scoring.engine.iom_matrix import iom_matrix
from iom.scoring.engine.risk import emerging_threat, risk_of_reoffending
from iom.scoring.tests.factories import custody, event, intel, person

AS_AT = date(2026, 11, 1)

CSS_EXAMPLES = {
    "no custody": (
        person(event(1, "conviction", date(2021, 11, 1), "46"),
               event(2, "conviction", date(2023, 3, 15), "28A"),
               event(3, "conviction", date(2024, 6, 10), "34B"),
               event(4, "conviction", date(2025, 1, 2), "46"),
               event(5, "arrest", date(2026, 2, 1), "29")),
        1197.0, "below_indicator", date(2021, 11, 1), 0),
    "custody partly inside": (
        person(event(1, "conviction", date(2021, 8, 1), "30A"),
               event(2, "conviction", date(2021, 9, 20), "29"),
               event(3, "conviction", date(2023, 6, 1), "34B"),
               custody_periods=(custody(1, date(2021, 5, 1), date(2022, 5, 1)),)),
        2873.0, "indicator", date(2021, 8, 3), 180),
    "still in custody, one offence without a weight": (
        person(event(1, "conviction", date(2021, 7, 31), "28A"),
               event(2, "conviction", date(2021, 8, 10), "28A"),
               event(3, "conviction", date(2026, 3, 1), "8N"),
               event(4, "conviction", date(2026, 4, 1), "92A"),
               custody_periods=(custody(1, date(2026, 5, 1), None, "remand"),)),
        935.0, "incomplete", date(2021, 7, 31), 185),
    "custody in the added days": (
        person(event(1, "conviction", date(2021, 10, 5), "34A"),
               custody_periods=(custody(1, date(2021, 1, 1), date(2021, 12, 1)),)),
        0.0, "below_indicator", date(2021, 10, 17), 29),
}


@pytest.mark.parametrize("name", CSS_EXAMPLES)
def test_crime_severity_examples(name: str) -> None:
    facts, value, band, start, days = CSS_EXAMPLES[name]
    result = crime_severity(facts, AS_AT)
    assert (result.value, result.band, result.window_start, result.custody_days) == (
        value, band, start, days)


def test_custody_in_the_added_days_with_iteration() -> None:
    facts = CSS_EXAMPLES["custody in the added days"][0]
    cfg = default_config()
    iterated = cfg.with_changes(css=replace(cfg.css, iterate_extension=True))
    result = crime_severity(facts, AS_AT, iterated)
    assert (result.value, result.window_start, result.custody_days) == (
        746.0, date(2021, 10, 3), 58)


def _burglar() -> PersonFacts:
    return person(
        event(1, "arrest", date(2026, 7, 1), "28A"),
        event(2, "conviction", date(2026, 10, 15), "28A"),
        intelligence=(intel(1, date(2026, 10, 20), "A1"),),
        substance="heroin",
    )


def test_risk_example() -> None:
    result = risk_of_reoffending(_burglar(), AS_AT)
    assert dict(result.profile_scores) == {"acquisitive": 451, "violence": 98,
                                           "domestic_abuse": 32}
    assert (result.value, result.band, result.profile) == (451.0, "low", "acquisitive")


def test_emerging_threat_example() -> None:
    result = emerging_threat(_burglar(), AS_AT)
    assert (result.score_before, result.grade_before, result.value, result.band) == (
        171, "not_brought_on", 280.0, "emerging")
    assert sorted(c.amount for c in result.working[1:]) == [24.0, 256.0]


def test_matrix_example() -> None:
    assert iom_matrix(_burglar(), AS_AT).value == 27.0
