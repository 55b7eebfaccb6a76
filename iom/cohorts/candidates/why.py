"""Plain-English reasons for one person's rule results, from their row of facts.

Only the listed people's rows reach here, so this is the one place that works
row by row; every decision has already been made by the Polars columns.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from iom.cohorts.candidates import facts
from iom.cohorts.candidates.evaluate import INTELLIGENCE_SCORE_NAMES, Facts
from iom.cohorts.policy.rules import add_months
from iom.cohorts.policy.schemes import SCORES, Rule
from iom.core.words import long_date
from iom.governance.policy import Sight

PROTECTED = "Held by police and probation only"
WITHHELD = "Not shown: this score uses police intelligence, which your organisation cannot see"


def _number(value: float) -> str:
    return f"{value:g}"


def band_text(band: str | None) -> str:
    return (band or "none").replace("_", " ")


def why(rule: Rule, row: dict[str, Any], f: Facts, *, sight: Sight) -> str:
    """The reason, worded for a reader with this sight (the row was already cut to it)."""
    if rule.kind in {"score", "band"} and not sight.intelligence and (
            rule.score in INTELLIGENCE_SCORE_NAMES):
        return WITHHELD
    if rule.kind == "score":
        return _score_why(rule, row)
    if rule.kind == "band":
        band = row.get(f"band_{rule.score}")
        wanted = " or ".join(band_text(b) for b in rule.bands)
        return f"{SCORES[rule.score]} band is {band_text(band)} (wanted: {wanted})"
    if rule.kind == "offence":
        return _offence_why(rule, row, f)
    if rule.kind in {"protection", "custody"}:
        return _protection_or_custody_why(rule, row, sight)
    return _order_why(rule, row, f)


def _protection_or_custody_why(rule: Rule, row: dict[str, Any], sight: Sight) -> str:
    if rule.kind == "custody":
        return _custody_why(rule, row)
    return _protection_why(row) if sight.public_protection else PROTECTED


def _custody_why(rule: Rule, row: dict[str, Any]) -> str:
    months = rule.sentence_under_months
    if row.get(f"short_sentence_{months}") or 0:
        return f"Serving a sentence of under {months} months"
    return f"Not serving a sentence of under {months} months with its length recorded"


def _order_why(rule: Rule, row: dict[str, Any], f: Facts) -> str:
    count = row.get(f.order_columns[facts.order_signature(rule)]) or 0
    if rule.serving_sentence and (row.get("serving_sentence") or 0):
        return "Serving a custodial sentence"
    if count:
        named = "of the kinds named" + (
            " with the electronic monitoring (acquisitive crime) condition"
            if rule.acquisitive_crime_tag else "")
        return f"1 current order {named}" if count == 1 else (
            f"{count} current orders {named}")
    return "No such current order"


def _score_why(rule: Rule, row: dict[str, Any]) -> str:
    value = row.get(f"score_{rule.score}")
    name = SCORES[rule.score]
    if rule.at_least is not None and rule.at_most is not None:
        wanted = f"{_number(rule.at_least)} to {_number(rule.at_most)}"
    elif rule.at_least is not None:
        wanted = f"{_number(rule.at_least)} or more"
    else:
        wanted = f"{_number(rule.at_most or 0)} or less"
    if value is None:
        return f"{name}: not scored (wanted {wanted})"
    return f"{name} {_number(value)} (wanted {wanted}){_which(rule, row)}"


def _which(rule: Rule, row: dict[str, Any]) -> str:
    """For OGRS 3, which one the decision used: computed here or supplied by probation."""
    if rule.score != "ogrs3" or not row.get("ogrs3_source"):
        return ""
    if row["ogrs3_source"] == "supplied":
        return (f", supplied by probation ({row['supplied_source']}, assessed "
                f"{long_date(row['supplied_on'])})")
    return ", computed here"


def _offence_why(rule: Rule, row: dict[str, Any], f: Facts) -> str:
    last: date | None = row.get(f.offence_columns[facts.offence_signature(rule)])
    start = _start(rule, row, f.as_at)
    what = "offence" if rule.dated_by == "offence" else "conviction"
    custody = row.get(f"custody_days_{rule.months}", 0) if rule.at_liberty else 0
    window = (f"the {rule.months} months at liberty run back to {long_date(start)}"
              + (f" ({custody} days in custody added)" if custody else "")
              if rule.at_liberty else f"the {rule.months} months run back to {long_date(start)}")
    if last is None:
        return f"No matching {what} on record; {window}"
    inside = "inside" if last > start else "before"
    return f"Latest matching {what} on {long_date(last)}, {inside} the window: {window}"


def _start(rule: Rule, row: dict[str, Any], as_at: date) -> date:
    if rule.at_liberty:
        found: date = row[f"liberty_{rule.months}"]
        return found
    return add_months(as_at, -rule.months)


def _protection_why(row: dict[str, Any]) -> str:
    parts = []
    if row.get("mappa_level"):
        parts.append(f"managed under MAPPA level {row['mappa_level']}")
    if row.get("sex_offender"):
        parts.append("registered as a sex offender (current)")
    return ("; ".join(parts) or "no current MAPPA management or registration").capitalize()
