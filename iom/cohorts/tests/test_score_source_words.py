"""The line under a candidate list that says where its scores came from."""

from __future__ import annotations

from datetime import date

from iom.cohorts.candidates.facts import ScoreSource


def test_one_person_scored_afresh_is_a_person():
    assert ScoreSource(run=None, scored_afresh=1).describe(date(2026, 12, 4)) == \
        "1 person scored afresh as at 4 December 2026"


def test_many_are_people_with_thousands_marked():
    assert ScoreSource(run=None, scored_afresh=12345).describe(date(2026, 12, 4)) == \
        "12,345 people scored afresh as at 4 December 2026"


def test_nobody_to_score_says_so():
    assert ScoreSource(run=None, scored_afresh=0).describe(date(2026, 12, 4)) == \
        "no one to score"
