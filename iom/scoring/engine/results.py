"""What every scorer returns: a value, its band, and the working behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from iom.scoring.engine.facts import Ogrs3Inputs


class ErrorCode(StrEnum):
    """Why a score could not be given. Each is a named, specific reason."""

    # OGRS 3 input validation (reference/ogrs3.md, "Validation (ARNS rules)").
    MISSING_INPUT = "MISSING_INPUT"
    INVALID_VALUE = "INVALID_VALUE"
    UNKNOWN_GENDER = "UNKNOWN_GENDER"
    TOTAL_SANCTIONS_BELOW_ONE = "TOTAL_SANCTIONS_BELOW_ONE"
    TOTAL_SANCTIONS_OUT_OF_RANGE = "TOTAL_SANCTIONS_OUT_OF_RANGE"
    UNKNOWN_OFFENCE_CATEGORY = "UNKNOWN_OFFENCE_CATEGORY"
    OFFENCE_CODE_NOT_MAPPED = "OFFENCE_CODE_NOT_MAPPED"
    NEED_DETAILS_OF_EXACT_OFFENCE = "NEED_DETAILS_OF_EXACT_OFFENCE"
    OFFENCE_CATEGORY_AND_CODE_DISAGREE = "OFFENCE_CATEGORY_AND_CODE_DISAGREE"
    AGE_AT_FIRST_SANCTION_NEGATIVE = "AGE_AT_FIRST_SANCTION_NEGATIVE"
    CONVICTION_DATE_NOT_AFTER_BIRTH = "CONVICTION_DATE_NOT_AFTER_BIRTH"
    FOLLOWUP_DATE_NOT_AFTER_BIRTH = "FOLLOWUP_DATE_NOT_AFTER_BIRTH"
    AGE_AT_CURRENT_CONVICTION_BELOW_10 = "AGE_AT_CURRENT_CONVICTION_BELOW_10"
    AGE_AT_FIRST_SANCTION_AFTER_CURRENT_CONVICTION = (
        "AGE_AT_FIRST_SANCTION_AFTER_CURRENT_CONVICTION"
    )
    AGE_AT_FOLLOWUP_BELOW_10 = "AGE_AT_FOLLOWUP_BELOW_10"
    COPAS_DENOMINATOR_NOT_POSITIVE = "COPAS_DENOMINATOR_NOT_POSITIVE"
    # OGRS 3 from offending history.
    NO_CONVICTION = "NO_CONVICTION"
    # Left out for this reader: its inputs may include records they may not see.
    WITHHELD = "WITHHELD"


@dataclass(frozen=True, slots=True)
class ScoreError:
    code: ErrorCode
    message: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Contribution:
    """One line of a score's working: which rule, how much, from which event."""

    rule: str
    amount: float
    event_id: int | None
    detail: str


@dataclass(frozen=True, kw_only=True)
class ScoreResult:
    name: str
    value: float | None
    band: str | None
    working: tuple[Contribution, ...]
    reference_version: str
    as_at: date | None  # None only for OGRS 3 on explicit inputs without a follow-up date
    error: ScoreError | None = None


@dataclass(frozen=True, kw_only=True)
class Ogrs3Result(ScoreResult):
    """OGRS 3: `value` is the 2-year probability; the band is on the 2-year percent."""

    probability_1y: float | None = None
    probability_2y: float | None = None
    percent_1y: int | None = None
    percent_2y: int | None = None
    errors: tuple[ScoreError, ...] = ()
    inputs: Ogrs3Inputs | None = None  # as given, or as derived from history


@dataclass(frozen=True, kw_only=True)
class CssResult(ScoreResult):
    """Crime Severity Score; `complete` is False when an offence had no weight."""

    complete: bool = True
    window_start: date | None = None
    custody_days: int = 0
    unweighted_event_ids: tuple[int, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RiskResult(ScoreResult):
    """Risk of reoffending: `value` is the best graded profile's score."""

    profile: str | None = None
    profile_scores: tuple[tuple[str, int], ...] = field(default=())


@dataclass(frozen=True, kw_only=True)
class EmergingResult(ScoreResult):
    """Emerging threat: `value` is the rise in the risk score over the period."""

    score_now: int = 0
    score_before: int = 0
    grade_now: str = ""
    grade_before: str = ""
    period_start: date | None = None
