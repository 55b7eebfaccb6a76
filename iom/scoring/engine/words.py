"""The scorers' codes as the words a reader sees, and dates in GOV.UK style.

The engine keeps short codes (``very_high``, ``css_weight``) for the API, the
batch twin and the stored scores; everything it writes for people to read, and
every page that shows a band or a working line, goes through these names
(docs/scores.md gives each band and rule). Pure: no Django, as the rest of the engine.
"""

from __future__ import annotations

from datetime import date

# Bands and grades, by the score they belong to (docs/scores.md).
BAND_NAMES: dict[str, str] = {
    # OGRS 3, from the 2-year percent
    "low": "low", "medium": "medium", "high": "high", "very_high": "very high",
    # Crime Severity Score
    "indicator": "indicator for IOM", "below_indicator": "below the indicator",
    "incomplete": "incomplete",
    # IOM Matrix
    "not_eligible": "not eligible", "professional_discretion": "professional discretion",
    "to_panel": "to panel",
    # Risk of reoffending grades, and the emerging threat
    "not_brought_on": "not brought on", "emerging": "emerging threat", "none": "no rise flagged",
}

# The rule of each line of a score's working.
RULE_NAMES: dict[str, str] = {
    "ogrs3_current_offence": "Current offence", "ogrs3_first_sanction": "First sanction",
    "ogrs3_sanction_count": "Sanctions counted", "ogrs3_followup": "Follow-up",
    "ogrs3_age_gender": "Age and gender", "ogrs3_sanction": "First or repeat sanction",
    "ogrs3_copas_rate": "Copas rate", "ogrs3_offence": "Offence category",
    "ogrs3_probability": "Probability",
    "css_window": "Window", "css_weight": "Offence weight",
    "css_unweighted": "Offence without a weight",
    "matrix_conviction": "Conviction", "matrix_arrest": "Arrest",
    "matrix_arrest_12_months": "Arrests in the last 12 months",
    "matrix_breach_or_recall": "Breach or recall", "matrix_compliance": "Compliance",
    "matrix_intelligence": "Intelligence",
    "risk_arrest": "Arrest", "risk_charge": "Charge", "risk_caution": "Caution",
    "risk_conviction": "Conviction", "risk_breach": "Breach", "risk_recall": "Recall",
    "risk_intelligence": "Intelligence", "risk_substance": "Substance misuse",
    "risk_profiles": "Profile scores",
    "emerging_rise": "Rise since the period began",
}

# Risk-of-reoffending profiles and crime types, as words.
PROFILE_NAMES: dict[str, str] = {"domestic_abuse": "domestic abuse"}


def words_for(code: str | None, names: dict[str, str] | None = None) -> str:
    """A code as words: its name if known, otherwise its underscores as spaces."""
    if not code:
        return ""
    known = {**BAND_NAMES, **PROFILE_NAMES, **(names or {})}
    return known.get(code, code.replace("_", " "))


def band_name(code: str | None) -> str:
    return words_for(code)


def rule_name(code: str) -> str:
    name = RULE_NAMES.get(code)
    if name:
        return name
    text = words_for(code)
    return text[:1].upper() + text[1:]


def day(when: date) -> str:
    """GOV.UK style: 3 December 2026."""
    return f"{when.day} {when:%B %Y}"


def percent(probability: float) -> str:
    """A probability as a whole percent, as the scorers round it (half up)."""
    return f"{int(probability * 100 + 0.5)}%"


def score_in_words(title: str, value: float | None, band: str | None,
                   percent_2y: int | None = None) -> str:
    """One score for a sentence: "OGRS 3 60% (high)", "IOM Matrix 32 (not eligible)".

    OGRS 3's value is a probability, so it is said as the 2-year percent it is
    banded on; the others are points.
    """
    if value is None:
        return f"{title} not scored"
    shown = f"{percent_2y}%" if percent_2y is not None else f"{value:g}"
    return f"{title} {shown}" + (f" ({band_name(band)})" if band else "")
