"""OGRS 3: probability of proven reoffending within one and two years.

Exactly as reference/ogrs3.md: full-precision figures, ARNS validation rules,
the probability rounded half up to 5 decimals (on its exact binary value, as
ARNS's BigDecimal does), then to a whole percent half up, shown as 1..99.
"""

from __future__ import annotations

import math
from datetime import date
from typing import TypeVar

from iom.scoring.engine.config import NEED_DETAILS, Ogrs3Config, ScoringConfig, default_config
from iom.scoring.engine.dates import whole_years
from iom.scoring.engine.facts import Event, Ogrs3Inputs, PersonFacts
from iom.scoring.engine.results import Contribution, ErrorCode, Ogrs3Result, ScoreError
from iom.scoring.engine.words import day

NAME = "ogrs3"
_T = TypeVar("_T")
MIN_AGE = 10  # ARNS MIN_CONVICTION_AGE; there is no age band below 10
_REQUIRED = (
    "gender",
    "date_of_birth",
    "date_of_current_conviction",
    "date_at_start_of_followup",
    "total_number_of_sanctions",
    "age_at_first_sanction",
)
_GENDER_WORDS = {"M": "male", "F": "female"}
# Veltkamp's splitter 2**27 + 1: splits a double into two halves whose
# products with 100000 are exact, so that the rounding below sees the exact
# value of p x 100000 and not a rounded one.
_SPLITTER = 134217729.0
_FIVE_DP = 100000.0


def ogrs3(
    inputs: Ogrs3Inputs, *, config: ScoringConfig | None = None, as_at: date | None = None
) -> Ogrs3Result:
    """Score explicit inputs; every invalid input gives a named error, never an exception."""
    cfg = config or default_config()
    return _score(inputs, cfg, as_at or inputs.date_at_start_of_followup, ())


def ogrs3_from_history(
    facts: PersonFacts, as_at: date, config: ScoringConfig | None = None
) -> Ogrs3Result:
    """Derive the inputs from the offending history known at `as_at`, then score.

    1. Sanctions are the convictions and cautions known at `as_at`.
    2. The current offence is the latest conviction (latest date, then highest
       event id); no conviction gives NO_CONVICTION.
    3. Sanctions up to the current conviction's date are counted (by occasion:
       one per day, by default); the earliest gives the age at first sanction.
    4. Follow-up starts on `as_at`: the person is assessed as at that date.
    """
    cfg = config or default_config()
    sanctions = [e for e in facts.events_known_at(as_at)
                 if e.event_type in cfg.ogrs3.sanction_event_types]
    convictions = [e for e in sanctions if e.event_type == "conviction"]
    if not convictions:
        error = ScoreError(ErrorCode.NO_CONVICTION, f"No conviction known by {day(as_at)}.")
        return _failed(cfg, as_at, [error], None, ())
    current = max(convictions, key=lambda e: (e.event_date, e.event_id))
    counted = [e for e in sanctions if e.event_date <= current.event_date]
    first = min(counted, key=lambda e: (e.event_date, e.event_id))
    total = _count_sanctions(counted, cfg.ogrs3)
    dob = facts.date_of_birth
    inputs = Ogrs3Inputs(
        gender=facts.gender,
        date_of_birth=dob,
        date_of_current_conviction=current.event_date,
        date_at_start_of_followup=as_at,
        total_number_of_sanctions=total,
        age_at_first_sanction=whole_years(dob, first.event_date) if dob else None,
        offence_code=current.ho_code,
        offence_category=current.ogrs3_category,
    )
    return _score(inputs, cfg, as_at, _derivation(inputs, current, first, cfg), current.event_id)


def _count_sanctions(counted: list[Event], config: Ogrs3Config) -> int:
    if config.count_sanctions_by == "occasion":
        return len({e.event_date for e in counted})
    return len(counted)


def _derivation(
    inputs: Ogrs3Inputs, current: Event, first: Event, cfg: ScoringConfig
) -> tuple[Contribution, ...]:
    name = cfg.offence_names.get(current.ho_code or "", "unknown offence")
    recorded = (f" Exact OGRS 3 category recorded with the conviction: "
                f"{cfg.ogrs3.offence_names.get(current.ogrs3_category, current.ogrs3_category)}."
                if current.ogrs3_category else "")
    unit = "sanction occasions" if cfg.ogrs3.count_sanctions_by == "occasion" else "sanctions"
    return (
        Contribution("ogrs3_current_offence", 0.0, current.event_id,
                     f"Current offence: latest conviction, {day(current.event_date)}, "
                     f"HO code {current.ho_code} ({name}).{recorded}"),
        Contribution("ogrs3_first_sanction", 0.0, first.event_id,
                     f"First sanction: {first.event_type} on {day(first.event_date)}, "
                     f"aged {inputs.age_at_first_sanction}."),
        Contribution("ogrs3_sanction_count", 0.0, None,
                     f"{inputs.total_number_of_sanctions} {unit} (convictions and cautions) "
                     f"up to and including {day(current.event_date)}."),
        Contribution("ogrs3_followup", 0.0, None,
                     "Follow-up starts on the as-at date, "
                     f"{_said(inputs.date_at_start_of_followup)}."),
    )


def _said(when: date | None) -> str:
    return day(when) if when is not None else "not given"


def _score(
    inputs: Ogrs3Inputs,
    cfg: ScoringConfig,
    as_at: date | None,
    derivation: tuple[Contribution, ...],
    event_id: int | None = None,
) -> Ogrs3Result:
    category, errors = validate(inputs, cfg.ogrs3)
    if errors or category is None:
        return _failed(cfg, as_at, errors, inputs, derivation)
    parts = _parameters(inputs, category, cfg.ogrs3, event_id)
    x = sum(p.amount for p in parts)  # left to right from 0.0, as ARNS sums them
    p1 = logistic(cfg.ogrs3.intercept_1y + x)
    p2 = logistic(cfg.ogrs3.intercept_2y + x)
    pct1, pct2 = whole_percent(p1), whole_percent(p2)
    summary = Contribution(
        "ogrs3_probability", 0.0, None,
        f"x = {x:.4f}; 1 year: logistic({cfg.ogrs3.intercept_1y:.4f} + x) is "
        f"{p1 * 100:.2f}%, shown {pct1}%; 2 years: logistic({cfg.ogrs3.intercept_2y:.4f} + x) "
        f"is {p2 * 100:.2f}%, shown {pct2}%.")
    return Ogrs3Result(
        name=NAME, value=p2, band=risk_band(pct2, cfg.ogrs3),
        working=(*derivation, *parts, summary), reference_version=cfg.version, as_at=as_at,
        probability_1y=p1, probability_2y=p2, percent_1y=pct1, percent_2y=pct2, inputs=inputs)


def _failed(
    cfg: ScoringConfig,
    as_at: date | None,
    errors: list[ScoreError],
    inputs: Ogrs3Inputs | None,
    working: tuple[Contribution, ...],
) -> Ogrs3Result:
    return Ogrs3Result(
        name=NAME, value=None, band=None, working=working, reference_version=cfg.version,
        as_at=as_at, error=errors[0], errors=tuple(errors), inputs=inputs)


def _parameters(
    inputs: Ogrs3Inputs, category: str, c: Ogrs3Config, event_id: int | None
) -> tuple[Contribution, ...]:
    # validate() has checked that every input is present and in range.
    dob, gender = _present(inputs.date_of_birth), _present(inputs.gender)
    total = _present(inputs.total_number_of_sanctions)
    first_age = _present(inputs.age_at_first_sanction)
    age_fu = whole_years(dob, _present(inputs.date_at_start_of_followup))
    age_conv = whole_years(dob, _present(inputs.date_of_current_conviction))
    band = age_band(age_fu, c)
    table = c.male_age if gender == "M" else c.female_age
    sanction = c.first_sanction if total == 1 else c.repeat_offender
    copas = c.copas * math.log(total / (10 + age_conv - first_age))
    code = f" (HO code {inputs.offence_code})" if inputs.offence_code else ""
    return (
        Contribution("ogrs3_age_gender", table[band], None,
                     f"{_GENDER_WORDS[gender]}, aged {age_fu} at the start of "
                     f"follow-up: band {band}."),
        Contribution("ogrs3_sanction", sanction, None,
                     "First sanction." if total == 1 else f"Repeat: {total} sanctions."),
        Contribution("ogrs3_copas_rate", copas, None,
                     f"{c.copas} x ln({total} / (10 + {age_conv} - {first_age}))."),
        Contribution("ogrs3_offence", c.offence_parameters[category], event_id,
                     f"Current offence category: {c.offence_names[category]}{code}."),
    )


def _present(value: _T | None) -> _T:
    if value is None:
        raise ValueError("input missing after validation")  # validate() rules this out
    return value


def validate(inputs: Ogrs3Inputs, c: Ogrs3Config) -> tuple[str | None, list[ScoreError]]:
    """The ARNS checks, in a fixed order; returns the OGRS 3 category and the errors."""
    errors = _missing(inputs)
    if inputs.gender is not None and inputs.gender not in _GENDER_WORDS:
        errors.append(ScoreError(ErrorCode.UNKNOWN_GENDER,
                                 f"Gender must be M or F, not {inputs.gender!r}.", ("gender",)))
    total = inputs.total_number_of_sanctions
    if total is not None and total < 1:
        errors.append(ScoreError(ErrorCode.TOTAL_SANCTIONS_BELOW_ONE,
                                 f"Total number of sanctions must be 1 or more, not {total}.",
                                 ("total_number_of_sanctions",)))
    elif total is not None and total > c.max_total_sanctions:
        errors.append(ScoreError(ErrorCode.TOTAL_SANCTIONS_OUT_OF_RANGE,
                                 "Total number of sanctions must be at most "
                                 f"{c.max_total_sanctions}.",
                                 ("total_number_of_sanctions",)))
    category, offence_error = offence_category(inputs, c)
    if offence_error:
        errors.append(offence_error)
    first = inputs.age_at_first_sanction
    if first is not None and first < 0:
        errors.append(ScoreError(ErrorCode.AGE_AT_FIRST_SANCTION_NEGATIVE,
                                 f"Age at first sanction cannot be negative ({first}).",
                                 ("age_at_first_sanction",)))
    errors += _date_errors(inputs)
    return category, errors


def _missing(inputs: Ogrs3Inputs) -> list[ScoreError]:
    missing = [name for name in _REQUIRED if getattr(inputs, name) is None]
    if inputs.offence_category is None and inputs.offence_code is None:
        missing.append("offence_category or offence_code")
    if not missing:
        return []
    message = "Mandatory input field(s) missing: " + ", ".join(missing) + "."
    return [ScoreError(ErrorCode.MISSING_INPUT, message, tuple(missing))]


def offence_category(inputs: Ogrs3Inputs, c: Ogrs3Config) -> tuple[str | None, ScoreError | None]:
    category, code = inputs.offence_category, inputs.offence_code
    if category is not None and category not in c.offence_parameters:
        return None, ScoreError(ErrorCode.UNKNOWN_OFFENCE_CATEGORY,
                                f"Unknown OGRS 3 offence category {category!r}.",
                                ("offence_category",))
    if code is None:
        return category, None
    mapped = c.offence_map.get(code)
    if mapped is None:
        return None, ScoreError(ErrorCode.OFFENCE_CODE_NOT_MAPPED,
                                f"No offence code to actuarial weighting mapping found for {code}.",
                                ("offence_code",))
    if mapped == NEED_DETAILS:
        return _exact_category(category, code)
    if category is not None and category != mapped:
        return None, ScoreError(ErrorCode.OFFENCE_CATEGORY_AND_CODE_DISAGREE,
                                f"Category {category!r} differs from {mapped!r}, the category "
                                f"of HO code {code}.", ("offence_category", "offence_code"))
    return mapped, None


def _exact_category(category: str | None, code: str) -> tuple[str | None, ScoreError | None]:
    """A need-details code scores only with the exact offence's category (recorded
    with the conviction, or given); without one the scorer refuses to guess."""
    if category is not None:
        return category, None
    return None, ScoreError(ErrorCode.NEED_DETAILS_OF_EXACT_OFFENCE,
                            f"HO code {code} covers offences in more than one OGRS 3 "
                            "category: the exact offence is needed.", ("offence_code",))


def _date_errors(inputs: Ogrs3Inputs) -> list[ScoreError]:
    dob, conv = inputs.date_of_birth, inputs.date_of_current_conviction
    followup, first = inputs.date_at_start_of_followup, inputs.age_at_first_sanction
    errors: list[ScoreError] = []
    if dob is None:
        return errors
    if conv is not None:
        errors += _conviction_errors(dob, conv, first)
    if followup is not None and followup <= dob:
        errors.append(ScoreError(ErrorCode.FOLLOWUP_DATE_NOT_AFTER_BIRTH,
                                 "The date at start of follow-up must be after the date of birth.",
                                 ("date_of_birth", "date_at_start_of_followup")))
    elif followup is not None and whole_years(dob, followup) < MIN_AGE:
        errors.append(ScoreError(ErrorCode.AGE_AT_FOLLOWUP_BELOW_10,
                                 "Age at the start of follow-up must be 10 or more.",
                                 ("date_of_birth", "date_at_start_of_followup")))
    return errors


def _conviction_errors(dob: date, conv: date, first: int | None) -> list[ScoreError]:
    if conv <= dob:
        return [ScoreError(ErrorCode.CONVICTION_DATE_NOT_AFTER_BIRTH,
                           "The date of current conviction must be after the date of birth.",
                           ("date_of_birth", "date_of_current_conviction"))]
    age = whole_years(dob, conv)
    if age < MIN_AGE:
        return [ScoreError(ErrorCode.AGE_AT_CURRENT_CONVICTION_BELOW_10,
                           f"Age at current conviction must be 10 or more, not {age}.",
                           ("date_of_birth", "date_of_current_conviction"))]
    if first is not None and first > age:
        return [ScoreError(ErrorCode.AGE_AT_FIRST_SANCTION_AFTER_CURRENT_CONVICTION,
                           f"Age at first sanction ({first}) is after age at current "
                           f"conviction ({age}).",
                           ("date_of_birth", "date_of_current_conviction",
                            "age_at_first_sanction"))]
    return []


def age_band(age: int, c: Ogrs3Config) -> str:
    for band in c.age_bands:
        if band.lowest <= age and (band.highest is None or age <= band.highest):
            return band.label
    raise ValueError(f"no OGRS 3 age band for age {age}")  # validate() rules this out


def logistic(z: float) -> float:
    """e^z / (1 + e^z), the form ARNS uses; an overflow tends to probability 1."""
    e = math.exp(z) if z < 709.0 else math.inf
    return 1.0 if math.isinf(e) else e / (1.0 + e)


def five_dp_units(p: float) -> int:
    """p rounded half up to 5 decimals, as a count of 0.00001, from p's exact value.

    hi = fl(p x 100000) and lo = the exact rounding error of that product
    (Dekker's two-product), so hi + lo is exactly p x 100000. hi's fraction is a
    multiple of its ulp and |lo| <= ulp/2, so lo only decides an exact tie.
    """
    hi = p * _FIVE_DP
    split = p * _SPLITTER
    p_hi = split - (split - p)
    lo = (p_hi * _FIVE_DP - hi) + (p - p_hi) * _FIVE_DP
    whole = math.floor(hi)
    fraction = hi - whole
    return whole + int(fraction > 0.5 or (fraction == 0.5 and lo >= 0.0))


def whole_percent(p: float) -> int:
    """Percent as users see it: half up from the 5-decimal value.

    0 or less shows 1, over 99 shows 99.
    """
    percent = (five_dp_units(p) + 500) // 1000
    return min(max(percent, 1), 99)


def risk_band(percent_2y: int, c: Ogrs3Config) -> str:
    band = c.risk_bands[0][0]
    for name, lowest in c.risk_bands:
        if percent_2y >= lowest:
            band = name
    return band
