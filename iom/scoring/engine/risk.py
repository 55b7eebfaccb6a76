"""Risk-of-reoffending score and emerging threat, in the manner of seed 003.

Seed 003 describes a score built from "intelligence, crimes, arrests and
substance misuse", with different scoring for different crime types, graded
below 350 (not brought on), Low 350, Medium 500 and High 1000, and an emerging
threat category for "a significant increase in offender score". Its formula is
not public, so ours is open (docs/scores.md) and all its figures are
configuration (reference/scoring.toml, [risk] and [emerging]).

Every line is a whole number of points, rounded half up on its own, so totals
are exact integers and the Polars twin gives the same grades without any
floating-point doubt at a threshold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from iom.scoring.engine.config import RiskConfig, ScoringConfig, default_config
from iom.scoring.engine.dates import add_months
from iom.scoring.engine.facts import Event, IntelEntry, PersonFacts
from iom.scoring.engine.iom_matrix import is_high_grade
from iom.scoring.engine.results import Contribution, EmergingResult, RiskResult
from iom.scoring.engine.words import band_name, day, words_for

NAME = "risk_of_reoffending"
EMERGING_NAME = "emerging_threat"
NOT_BROUGHT_ON = "not_brought_on"
EMERGING = "emerging"
NOT_EMERGING = "none"
COMPLIANCE = "compliance"  # breaches and recalls: no offence code
DOMESTIC_ABUSE = "domestic_abuse"


@dataclass(frozen=True)
class RiskLine:
    """One fact's points under every profile."""

    rule: str
    source_id: int | None
    recorded_date: date | None
    points: Mapping[str, int]
    detail: str


@dataclass(frozen=True)
class RiskScore:
    lines: tuple[RiskLine, ...]
    totals: Mapping[str, int]
    profile: str
    score: int
    grade: str


def risk_of_reoffending(
    facts: PersonFacts, as_at: date, config: ScoringConfig | None = None
) -> RiskResult:
    cfg = config or default_config()
    return _result(risk_score(facts, as_at, cfg), as_at, cfg)


def emerging_threat(
    facts: PersonFacts, as_at: date, config: ScoringConfig | None = None
) -> EmergingResult:
    """The rise in the graded risk score since `period_days` ago, and what caused it."""
    cfg = config or default_config()
    e = cfg.emerging
    before_date = as_at - timedelta(days=e.period_days)
    now, before = risk_score(facts, as_at, cfg), risk_score(facts, before_date, cfg)
    rise = now.score - before.score
    ranks = [NOT_BROUGHT_ON, *[name for name, _ in reversed(cfg.risk.grades)]]
    crossed = ranks.index(now.grade) > ranks.index(before.grade)
    flagged = rise >= e.min_rise or (e.on_grade_crossing and crossed)
    causes = [line for line in now.lines if line.recorded_date is not None
              and line.recorded_date > before_date and line.points[now.profile]]
    summary = Contribution(
        "emerging_rise", float(rise), None,
        f"Graded risk score {now.score} ({band_name(now.grade)}) on {day(as_at)}, {before.score} "
        f"({band_name(before.grade)}) on {day(before_date)}: rise {rise}; threshold {e.min_rise}"
        f"{', grade crossed' if crossed else ''}.")
    return EmergingResult(
        name=EMERGING_NAME, value=float(rise), band=EMERGING if flagged else NOT_EMERGING,
        working=(summary, *_contributions(causes, now.profile)), reference_version=cfg.version,
        as_at=as_at, score_now=now.score, score_before=before.score, grade_now=now.grade,
        grade_before=before.grade, period_start=before_date)


def risk_score(facts: PersonFacts, as_at: date, cfg: ScoringConfig) -> RiskScore:
    r = cfg.risk
    event_bands = recency_bands(as_at, r.event_recency)
    intel_bands = recency_bands(as_at, r.intelligence_recency)
    lines = (
        *(line for e in facts.events_known_at(as_at) if (line := _event_line(e, event_bands, cfg))),
        *(line for i in facts.intelligence
          if i.known_at(as_at) and (line := _intel_line(i, intel_bands, cfg))),
        *_substance_lines(facts.primary_substance, r),
    )
    totals = {p: sum(line.points[p] for line in lines) for p in r.profiles}
    profile = max(r.graded_profiles, key=lambda p: (totals[p], -r.graded_profiles.index(p)))
    return RiskScore(lines, totals, profile, totals[profile], grade(totals[profile], r))


def grade(score: int, r: RiskConfig) -> str:
    for name, lowest in r.grades:
        if score >= lowest:
            return name
    return NOT_BROUGHT_ON


def recency_bands(as_at: date, table: tuple[tuple[int, int], ...]) -> tuple[tuple[date, int], ...]:
    """(boundary, percent) pairs: a date after the boundary takes the percent."""
    return tuple((add_months(as_at, -months), percent) for months, percent in table)


def recency_percent(day: date, bands: tuple[tuple[date, int], ...]) -> int:
    for boundary, percent in bands:
        if day > boundary:
            return percent
    return 0


def event_crime_type(event: Event, r: RiskConfig) -> str:
    if event.ho_code is None:
        return COMPLIANCE
    if event.domestic_abuse:
        return DOMESTIC_ABUSE
    return r.crime_types.get(event.ho_code, "other")


def scaled(points: int, percent: int, recency: int) -> int:
    """points x percent% x recency%, rounded half up to a whole point."""
    return (points * percent * recency + 5000) // 10000


def _event_line(
    event: Event, bands: tuple[tuple[date, int], ...], cfg: ScoringConfig
) -> RiskLine | None:
    r = cfg.risk
    base = r.event_points.get(event.event_type)
    recency = recency_percent(event.event_date, bands)
    if base is None or recency == 0:
        return None
    kind = event_crime_type(event, r)
    gravity = r.gravity.get(event.ho_code, 1) if event.ho_code else 1
    points = {p: scaled(base * gravity, shares.get(kind, 0), recency)
              for p, shares in r.profiles.items()}
    name = cfg.offence_names.get(event.ho_code or "", "no offence code")
    return RiskLine(
        f"risk_{event.event_type}", event.event_id, event.recorded_date, points,
        f"{event.event_type} {day(event.event_date)}, {name}: {base} points x gravity {gravity}, "
        f"{words_for(kind)}, recency {recency}%.")


def _intel_line(
    entry: IntelEntry, bands: tuple[tuple[date, int], ...], cfg: ScoringConfig
) -> RiskLine | None:
    r = cfg.risk
    recency = recency_percent(entry.recorded_date, bands)
    if recency == 0:
        return None
    high = is_high_grade(entry, cfg.intelligence)
    base = r.intelligence_high_points if high else r.intelligence_other_points
    points = {p: scaled(base, shares.get(entry.crime_type, 0), recency)
              for p, shares in r.profiles.items()}
    return RiskLine(
        "risk_intelligence", entry.intel_id, entry.recorded_date, points,
        f"intelligence {day(entry.recorded_date)} ({words_for(entry.crime_type)}, "
        f"{'A1-B2' if high else 'C1-E5'}): {base} points, recency {recency}%.")


def _substance_lines(substance: str | None, r: RiskConfig) -> tuple[RiskLine, ...]:
    if not substance:
        return ()
    points = {p: table.get(substance, 0) for p, table in r.substance_points.items()}
    points |= {p: 0 for p in r.profiles if p not in points}
    return (RiskLine("risk_substance", None, None, points,
                     f"primary substance: {words_for(substance)}."),)


def _contributions(
    lines: list[RiskLine] | tuple[RiskLine, ...], profile: str
) -> list[Contribution]:
    return [Contribution(line.rule, float(line.points[profile]), line.source_id,
                         f"{line.detail} ({words_for(profile)} profile)")
            for line in lines if line.points[profile]]


def _result(score: RiskScore, as_at: date, cfg: ScoringConfig) -> RiskResult:
    shown = ", ".join(f"{words_for(p)} {t}" for p, t in score.totals.items())
    ungraded = [p for p in score.totals if p not in cfg.risk.graded_profiles]
    summary = Contribution(
        "risk_profiles", 0.0, None,
        f"Profile scores: {shown}. The graded score is the {score.profile} profile's"
        + (f"; {', '.join(words_for(p) for p in ungraded)} is a priority score, not graded."
           if ungraded else "."))
    return RiskResult(
        name=NAME, value=float(score.score), band=score.grade,
        working=(summary, *_contributions(score.lines, score.profile)),
        reference_version=cfg.version, as_at=as_at, profile=score.profile,
        profile_scores=tuple(score.totals.items()))
