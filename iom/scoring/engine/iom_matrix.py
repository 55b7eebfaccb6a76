"""The Derbyshire IOM Matrix (seed 000, Strategy Appendix B).

Total = offence weightings x (convictions + arrests)
      + intelligence in the last 4 weeks and 4-8 weeks, by grading (A1-B2 x5, C1-E5 x3)
      + arrests in the last 12 months x 6
      + breaches or recalls over 24 months (over 3: +5, over 6: +10).
Bands: 0-79 not eligible, 80-89 professional discretion, 90+ to panel.
Windows and mappings the seed leaves open are configuration (docs/scores.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from iom.scoring.engine.config import (
    IntelligenceConfig,
    MatrixConfig,
    ScoringConfig,
    default_config,
)
from iom.scoring.engine.dates import add_months
from iom.scoring.engine.facts import Event, IntelEntry, PersonFacts
from iom.scoring.engine.results import Contribution, ScoreResult
from iom.scoring.engine.words import day, words_for

NAME = "iom_matrix"
NOT_ELIGIBLE = "not_eligible"
PROFESSIONAL_DISCRETION = "professional_discretion"
TO_PANEL = "to_panel"


def iom_matrix(facts: PersonFacts, as_at: date, config: ScoringConfig | None = None) -> ScoreResult:
    cfg = config or default_config()
    m = cfg.matrix
    known = facts.events_known_at(as_at)
    lines = [
        *_offence_lines(known, as_at, m, cfg.offence_names),
        *_intelligence_lines(facts.intelligence, as_at, m, cfg.intelligence),
        *_arrest_lines(known, as_at, m),
        *_compliance_lines(known, as_at, m),
    ]
    total = int(sum(line.amount for line in lines))
    return ScoreResult(name=NAME, value=float(total), band=matrix_band(total, m),
                       working=tuple(lines), reference_version=cfg.version, as_at=as_at)


def matrix_band(total: int, m: MatrixConfig) -> str:
    if total >= m.to_panel_from:
        return TO_PANEL
    return PROFESSIONAL_DISCRETION if total >= m.professional_discretion_from else NOT_ELIGIBLE


def is_high_grade(entry: IntelEntry, grading: IntelligenceConfig) -> bool:
    """A1-B2 or its 3x5x2 equivalent (configuration); everything else is C1-E5."""
    grade = entry.source_grade + entry.intel_grade
    if entry.grading_system == "5x5x5":
        return grade in grading.high_grades_5x5x5
    return entry.grading_system == "3x5x2" and grade in grading.high_grades_3x5x2


def _offence_lines(
    known: tuple[Event, ...], as_at: date, m: MatrixConfig, names: Mapping[str, str]
) -> list[Contribution]:
    after = add_months(as_at, -m.offence_window_months)
    kinds = m.conviction_event_types | m.arrest_event_types
    return [_offence_line(e, m, names) for e in known
            if e.event_type in kinds and after < e.event_date <= as_at]


def _offence_line(event: Event, m: MatrixConfig, names: Mapping[str, str]) -> Contribution:
    code = event.ho_code or ""
    offence = names.get(code, "unknown code")
    row = m.offence_map.get(code, "")
    kind = "conviction" if event.event_type in m.conviction_event_types else "arrest"
    if not row:
        return Contribution(f"matrix_{kind}_no_row", 0.0, event.event_id,
                            f"{event.event_type} {day(event.event_date)}, HO code {code or 'none'} "
                            f"({offence}): no matrix row.")
    weight = m.row_weights[row]
    return Contribution(f"matrix_{kind}", float(weight), event.event_id,
                        f"{event.event_type} {day(event.event_date)}, HO code {code} ({offence}): "
                        f"row {words_for(row)}, weighting {weight}.")


def _intelligence_lines(
    entries: tuple[IntelEntry, ...], as_at: date, m: MatrixConfig, grading: IntelligenceConfig
) -> list[Contribution]:
    # The seed's "up to 4 weeks" and "from 4 - 8 weeks" include their last day:
    # an entry exactly 4 weeks old is recent, one exactly 8 weeks old still counts.
    recent_from = as_at - timedelta(days=m.intelligence_recent_days)
    older_from = as_at - timedelta(days=m.intelligence_older_days)
    lines = []
    for entry in entries:
        if not older_from <= entry.recorded_date <= as_at:
            continue
        period = "up to 4 weeks" if entry.recorded_date >= recent_from else "4 to 8 weeks"
        high = is_high_grade(entry, grading)
        weight = m.intelligence_high_weight if high else m.intelligence_other_weight
        grade = f"{entry.grading_system} {entry.source_grade}{entry.intel_grade}"
        lines.append(Contribution(
            "matrix_intelligence", float(weight), entry.intel_id,
            f"Intelligence {day(entry.recorded_date)} ({period}), {grade}: "
            f"{'A1-B2' if high else 'C1-E5'}, weight {weight}."))
    return lines


def _arrest_lines(known: tuple[Event, ...], as_at: date, m: MatrixConfig) -> list[Contribution]:
    after = add_months(as_at, -m.arrests_months)
    return [Contribution("matrix_arrest_12_months", float(m.arrest_weight), e.event_id,
                         f"Arrest {day(e.event_date)} in the last {m.arrests_months} months: "
                         f"x {m.arrest_weight}.")
            for e in known if e.event_type in m.arrest_event_types and after < e.event_date]


def _compliance_lines(known: tuple[Event, ...], as_at: date, m: MatrixConfig) -> list[Contribution]:
    after = add_months(as_at, -m.compliance_months)
    counted = [
        e for e in known if e.event_type in m.compliance_event_types and after < e.event_date
    ]
    lines = [Contribution("matrix_breach_or_recall", 0.0, e.event_id,
                          f"{e.event_type} {day(e.event_date)} counted.") for e in counted]
    steps = [(over, points) for over, points in m.compliance_steps if len(counted) > over]
    if steps and not m.compliance_cumulative:
        steps = [max(steps, key=lambda step: step[1])]
    lines += [Contribution("matrix_compliance", float(points), None,
                           f"{len(counted)} breaches or recalls in {m.compliance_months} months: "
                           f"over {over}, +{points}.") for over, points in steps]
    return lines
