"""Pure scorers: plain Python, no Django, each returning its value, band and working.

Every scorer takes a person's facts and an as-at date and uses only what had
happened and was recorded by that date. The Polars twin in iom.scoring.batch
gives identical results for millions of people.
"""

from iom.scoring.engine.config import (
    ScoringConfig,
    default_config,
    load_config,
    reference_version,
)
from iom.scoring.engine.crime_severity import crime_severity
from iom.scoring.engine.facts import CustodyPeriod, Event, IntelEntry, Ogrs3Inputs, PersonFacts
from iom.scoring.engine.iom_matrix import iom_matrix
from iom.scoring.engine.ogrs3 import ogrs3, ogrs3_from_history
from iom.scoring.engine.person import SCORE_NAMES, score_person
from iom.scoring.engine.results import (
    Contribution,
    CssResult,
    EmergingResult,
    ErrorCode,
    Ogrs3Result,
    RiskResult,
    ScoreError,
    ScoreResult,
)
from iom.scoring.engine.risk import emerging_threat, risk_of_reoffending

__all__ = [
    "SCORE_NAMES",
    "Contribution",
    "CssResult",
    "CustodyPeriod",
    "EmergingResult",
    "ErrorCode",
    "Event",
    "IntelEntry",
    "Ogrs3Inputs",
    "Ogrs3Result",
    "PersonFacts",
    "RiskResult",
    "ScoreError",
    "ScoreResult",
    "ScoringConfig",
    "crime_severity",
    "default_config",
    "emerging_threat",
    "iom_matrix",
    "load_config",
    "ogrs3",
    "ogrs3_from_history",
    "reference_version",
    "risk_of_reoffending",
    "score_person",
]
