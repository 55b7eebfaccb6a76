"""A person's scores as spreadsheet sheets: the scores, their working and the stored history,
from the results the scores page shows that reader (docs/adr/0014-spreadsheet-downloads.md).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from iom.core.spreadsheets import Sheet, Value
from iom.people.models import Nominal
from iom.scoring.engine import words
from iom.scoring.engine.results import ScoreResult

from .services import result_detail

SCORE_COLUMNS = ["Score", "Value", "1-year probability (%)", "2-year probability (%)",
                 "Band or grade", "Profile", "Risk score over the period", "Reference data",
                 "Not available"]


def score_sheets(nominal: Nominal, as_at: date, scores: list[tuple[str, str, ScoreResult]],
                 history: dict[str, Any], *, without_intelligence: bool) -> list[Sheet]:
    """``scores``: (title, name, result) as the page lists them; ``history``: the page's."""
    above = [f"Scores of {nominal.full_name} as at {as_at:%-d %B %Y}",
             "Each score uses only what had happened and was recorded by this date."]
    if without_intelligence:
        above.append("Your organisation cannot see police intelligence, so these scores are "
                     "worked out from the records you can see, and a score that may use "
                     "intelligence is not shown.")
    return [
        Sheet("Scores", SCORE_COLUMNS, [_score(t, n, r) for t, n, r in scores], above=above),
        Sheet("Working", ["Score", "Rule", "Detail", "Record", "Amount"],
              [[title, words.rule_name(c.rule), c.detail, c.event_id or None,
                round(c.amount, 4)] for title, _, r in scores for c in r.working]),
        _history(history),
    ]


def _score(title: str, name: str, result: ScoreResult) -> list[Value]:
    if result.error is not None:
        return [title, None, None, None, None, "", "", result.reference_version,
                result.error.message]
    detail = result_detail(result)
    value = None if name == "ogrs3" or result.value is None else round(result.value, 2)
    return [title, value, detail.get("percent_1y"), detail.get("percent_2y"),
            _capfirst(words.band_name(result.band)),
            _profile(detail), _over_period(detail), result.reference_version, ""]


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def _profile(detail: dict[str, Any]) -> str:
    if not detail.get("profile"):
        return ""
    scores = ", ".join(f"{words.words_for(p)} {v}" for p, v in detail["profiles"].items())
    return f"{_capfirst(words.words_for(detail['profile']))} ({scores})"


def _over_period(detail: dict[str, Any]) -> str:
    if "score_now" not in detail:
        return ""
    return (f"{detail['score_before']} ({words.band_name(detail['grade_before'])}) on "
            f"{detail['period_start']} to {detail['score_now']} "
            f"({words.band_name(detail['grade_now'])})")


def _history(history: dict[str, Any]) -> Sheet:
    def ogrs(stored: Any) -> Value:
        found = stored.detail.get("percent_2y") if stored is not None else None
        return found if found else "Not scored"  # as the page says it

    if history["with_risk"]:
        return Sheet("History", ["As at", "Risk score", "Grade", "OGRS 3 (2 years) %"],
                     [[day, round(value) if value is not None else None,
                       _capfirst(words.band_name(band)), ogrs(stored)]
                      for day, value, band, stored in history["rows"]],
                     above=["Stored scores, newest first"])
    return Sheet("History", ["As at", "OGRS 3 (2 years) %"],
                 [[day, ogrs(stored)] for day, _, _, stored in history["rows"]],
                 above=["Stored scores, newest first"])
