"""A run's summary (one row per person) says exactly what its stored scores say.

Cohort candidates read the summary when a run has one and group the stored
scores otherwise, so both must give the same frame to the last digit.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from iom.cohorts.candidates.facts import _stored_rows
from iom.cohorts.tests.factories import AS_AT, Scores, event, person, store_scores
from iom.people.models import Nominal
from iom.scoring.models import StoredScoreSummary
from iom.scoring.selectors import run_has_summary, run_scores_pivoted, run_scores_summarised
from iom.scoring.services import score_partnership, summarise_run


def _both(run: object) -> tuple[pl.DataFrame, pl.DataFrame]:
    ids = Nominal.objects.values("pk")
    summarised = _stored_rows(run_scores_summarised(run, ids), pl.Float64)  # type: ignore[arg-type]
    pivoted = _stored_rows(run_scores_pivoted(run, ids), pl.String)  # type: ignore[arg-type]
    return summarised.sort("person_id"), pivoted.sort("person_id")


@pytest.mark.django_db
def test_a_scoring_run_writes_a_summary_equal_to_its_stored_scores(world):
    for code, on in [("28E", date(2025, 3, 1)), ("46", date(2024, 11, 5)), ("34A", None)]:
        someone = person(world)
        if on is not None:
            event(world, someone, on, code)
            event(world, someone, date(2019, 2, 4), "28E")
    run = score_partnership(people=Nominal.objects.all(), as_at=AS_AT, through="test")

    assert run_has_summary(run)
    assert StoredScoreSummary.objects.filter(run=run).count() == Nominal.objects.count()
    summarised, pivoted = _both(run)
    assert summarised.height == Nominal.objects.count()
    assert summarised["score_ogrs3"].is_not_null().any()
    assert summarised.equals(pivoted)


@pytest.mark.django_db
def test_an_older_run_is_summarised_from_its_stored_scores(world):
    scored = {person(world): Scores(ogrs3=ogrs3, iom_matrix=matrix, crime_severity=css, risk=risk)
              for ogrs3, matrix, css, risk in [(91, 85.5, 1520.25, 1200), (None, None, None, None),
                                               (50, 12.0, 0.0, 300)]}
    run = store_scores(world, scored)
    assert not run_has_summary(run)
    before, _ = _both(run)
    assert before.is_empty()

    assert summarise_run(run=run) == len(scored)
    assert summarise_run(run=run) == 0  # already summarised: left alone
    summarised, pivoted = _both(run)
    assert summarised.height == len(scored)
    assert summarised.equals(pivoted)
