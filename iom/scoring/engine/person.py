"""All five scores for one person as at a date."""

from __future__ import annotations

from datetime import date

from iom.scoring.engine.config import ScoringConfig, default_config
from iom.scoring.engine.crime_severity import crime_severity
from iom.scoring.engine.facts import PersonFacts
from iom.scoring.engine.iom_matrix import iom_matrix
from iom.scoring.engine.ogrs3 import ogrs3_from_history
from iom.scoring.engine.results import ScoreResult
from iom.scoring.engine.risk import emerging_threat, risk_of_reoffending

SCORE_NAMES = ("ogrs3", "crime_severity", "iom_matrix", "risk_of_reoffending", "emerging_threat")


def score_person(
    facts: PersonFacts, as_at: date, config: ScoringConfig | None = None
) -> dict[str, ScoreResult]:
    cfg = config or default_config()
    return {
        "ogrs3": ogrs3_from_history(facts, as_at, cfg),
        "crime_severity": crime_severity(facts, as_at, cfg),
        "iom_matrix": iom_matrix(facts, as_at, cfg),
        "risk_of_reoffending": risk_of_reoffending(facts, as_at, cfg),
        "emerging_threat": emerging_threat(facts, as_at, cfg),
    }
