"""IOM Matrix (seed 000 Strategy Appendix B), risk-of-reoffending grades and emerging
threat (seed 003), each worked by hand from the seed's rules and scoring.toml.

Matrix figures quoted from the seed: weightings "Burglary dwelling 8", "Burglary
other 5", "Theft other 2", "Robbery 10"; "A1 - B2 (5)", "C1 - E5 (3)";
"Intelligence up to 4 weeks", "Intelligence from 4 - 8 weeks"; "Number of
Arrests in last 12 months x 6"; "Compliance over 24 months: Over 3 breaches or
recalls Yes - 5, Over 6 breaches or recalls Yes 10"; "0-79 Not eligible for
Panel, 80-89 Professional Discretion, 90+ To Panel".
Seed 003: "Not brought onto IOM Case < 350; Low 350 <= score < 500; Medium
500 <= score < 1000; High 1000 <= score".
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from iom.scoring.engine import (
    EmergingResult,
    ScoreResult,
    default_config,
    emerging_threat,
    iom_matrix,
    risk_of_reoffending,
)
from iom.scoring.engine.facts import Event, PersonFacts
from iom.scoring.engine.risk import grade
from iom.scoring.tests.factories import event, intel, person

AS_AT = date(2026, 11, 1)
# 24 months back: 1 Nov 2024; 12 months back: 1 Nov 2025; 4 weeks back: 4 Oct 2026;
# 8 weeks back: 6 Sep 2026.


def convictions(codes: list[str], start: date = date(2025, 1, 1)) -> list[Event]:
    return [event(i + 1, "conviction", start + timedelta(days=i), c) for i, c in enumerate(codes)]


def matrix(facts: PersonFacts) -> ScoreResult:
    return iom_matrix(facts, AS_AT)


def ids(result: ScoreResult, rule: str) -> list[int | None]:
    return [c.event_id for c in result.working if c.rule == rule]


# --- Matrix: offence weightings and bands ----------------------------------------------

@pytest.mark.parametrize(("codes", "total", "band"), [
    (["28E"] * 9 + ["30A", "39"], 79, "not_eligible"),  # 9 x 8 + 5 + 2
    (["28E"] * 10, 80, "professional_discretion"),  # 10 x 8
    (["28E"] * 10 + ["30A", "39", "39"], 89, "professional_discretion"),  # 80 + 5 + 2 + 2
    (["28E"] * 10 + ["34B"], 90, "to_panel"),  # 80 + 10
    ([], 0, "not_eligible"),
])
def test_bands_at_their_edges(codes: list[str], total: int, band: str) -> None:
    result = matrix(person(*convictions(codes)))
    assert (result.value, result.band) == (float(total), band)
    assert ids(result, "matrix_conviction") == list(range(1, len(codes) + 1))


def test_band_thresholds_are_the_seeds() -> None:
    m = default_config().matrix
    assert (m.professional_discretion_from, m.to_panel_from) == (80, 90)


def test_convictions_and_arrests_both_take_the_weighting() -> None:
    # Burglary dwelling: conviction 8 + arrest 8, and the arrest is in the last 12 months: + 6.
    facts = person(event(1, "conviction", date(2025, 3, 1), "28E"),
                   event(2, "arrest", date(2026, 3, 1), "28E"))
    result = matrix(facts)
    assert result.value == 22.0
    assert ids(result, "matrix_conviction") == [1]
    assert ids(result, "matrix_arrest") == [2]
    assert ids(result, "matrix_arrest_12_months") == [2]


@pytest.mark.parametrize(("day", "points"), [
    (date(2024, 11, 1), 0),  # exactly 24 months back: outside (configured window)
    (date(2024, 11, 2), 8),
    (AS_AT, 8),
    (date(2026, 11, 2), 0),  # after the as-at date
])
def test_offence_window_edges(day: date, points: int) -> None:
    assert matrix(person(event(1, "conviction", day, "28E"))).value == float(points)


def test_offence_with_no_matrix_row_is_listed_at_zero() -> None:
    result = matrix(person(event(1, "conviction", date(2025, 3, 1), "8L")))
    assert result.value == 0.0
    assert ids(result, "matrix_conviction_no_row") == [1]


@pytest.mark.parametrize(("day", "points"), [
    (date(2025, 11, 1), 0),  # exactly 12 months back: not in the last 12 months
    (date(2025, 11, 2), 6),
    (AS_AT, 6),
])
def test_arrests_in_last_12_months_times_6(day: date, points: int) -> None:
    # HO 8L (harassment) has no matrix row, so only the x 6 line scores.
    assert matrix(person(event(1, "arrest", day, "8L"))).value == float(points)


def test_events_recorded_after_the_as_at_date_are_ignored() -> None:
    facts = person(event(1, "arrest", date(2026, 10, 1), "34B", recorded=date(2026, 11, 2)))
    assert matrix(facts).value == 0.0
    assert iom_matrix(facts, date(2026, 11, 2)).value == 16.0  # 10 + 6


# --- Matrix: intelligence ---------------------------------------------------------------

@pytest.mark.parametrize(("grade_text", "system", "points"), [
    ("A1", "5x5x5", 5), ("A2", "5x5x5", 5), ("B1", "5x5x5", 5), ("B2", "5x5x5", 5),
    ("A3", "5x5x5", 3), ("B3", "5x5x5", 3), ("C1", "5x5x5", 3), ("E5", "5x5x5", 3),
    ("1A", "3x5x2", 5), ("1B", "3x5x2", 3), ("2A", "3x5x2", 3), ("3E", "3x5x2", 3),
])
def test_intelligence_grading(grade_text: str, system: str, points: int) -> None:
    facts = person(intelligence=(intel(4, date(2026, 10, 20), grade_text, system=system),))
    result = matrix(facts)
    assert result.value == float(points)
    assert ids(result, "matrix_intelligence") == [4]


@pytest.mark.parametrize(("day", "points", "period"), [
    (date(2026, 10, 5), 5, "up to 4 weeks"),
    (date(2026, 10, 4), 5, "up to 4 weeks"),  # exactly 4 weeks old
    (date(2026, 10, 3), 5, "4 to 8 weeks"),
    (date(2026, 9, 6), 5, "4 to 8 weeks"),  # exactly 8 weeks old
    (date(2026, 9, 5), 0, None),  # older than 8 weeks
    (AS_AT, 5, "up to 4 weeks"),
    (date(2026, 11, 2), 0, None),  # recorded after the as-at date
])
def test_intelligence_windows(day: date, points: int, period: str | None) -> None:
    result = matrix(person(intelligence=(intel(4, day, "A1"),)))
    assert result.value == float(points)
    if period:
        (line,) = [c for c in result.working if c.rule == "matrix_intelligence"]
        assert period in line.detail


# --- Matrix: compliance over 24 months --------------------------------------------------

def breaches(count: int, start: date = date(2025, 1, 1)) -> list[Event]:
    kinds = ("breach", "recall")
    return [event(i + 1, kinds[i % 2], start + timedelta(days=i)) for i in range(count)]


@pytest.mark.parametrize(("count", "cumulative", "points"), [
    (3, True, 0), (4, True, 5), (6, True, 5), (7, True, 15),  # each row its own question
    (7, False, 10),  # the other reading: only the highest row
    (4, False, 5),
])
def test_breaches_and_recalls(count: int, cumulative: bool, points: int) -> None:
    cfg = default_config()
    cfg = cfg.with_changes(matrix=replace(cfg.matrix, compliance_cumulative=cumulative))
    result = iom_matrix(person(*breaches(count)), AS_AT, cfg)
    assert result.value == float(points)
    assert ids(result, "matrix_breach_or_recall") == list(range(1, count + 1))


def test_breach_exactly_24_months_ago_is_not_counted() -> None:
    # Four breaches, the first on 1 Nov 2024: only three are inside, so nothing scores.
    assert matrix(person(*breaches(4, date(2024, 11, 1)))).value == 0.0
    assert matrix(person(*breaches(4, date(2024, 11, 2)))).value == 5.0


# --- Risk of reoffending: grades (seed 003) ---------------------------------------------

@pytest.mark.parametrize(("score", "expected"), [
    (0, "not_brought_on"), (349, "not_brought_on"), (350, "low"), (499, "low"),
    (500, "medium"), (999, "medium"), (1000, "high"), (5000, "high"),
])
def test_grade_thresholds(score: int, expected: str) -> None:
    assert grade(score, default_config().risk) == expected


def _robbery_and_intel(with_arrest: bool) -> PersonFacts:
    facts: list[Event] = [event(1, "conviction", date(2026, 10, 1), "34B")]
    if with_arrest:
        facts.append(event(2, "arrest", date(2026, 7, 1), "46"))
    return person(*facts, intelligence=(intel(3, date(2026, 10, 20), "A1"),))


def test_hand_worked_score_exactly_350_is_low() -> None:
    # Acquisitive profile: robbery conviction 32 x gravity 10 x 100 % share x 100 %
    # recency = 320; A1-B2 acquisitive intelligence this month 24; shoplifting arrest four
    # months ago 8 x 1 x 100 % x 80 % = 6.4 -> 6. Total 350. Violence profile: 64 + 4.8 -> 5
    # + 1.28 -> 1 = 70.
    result = risk_of_reoffending(_robbery_and_intel(with_arrest=True), AS_AT)
    assert (result.value, result.band, result.profile) == (350.0, "low", "acquisitive")
    assert dict(result.profile_scores)["violence"] == 70
    assert [(c.event_id, c.amount) for c in result.working if c.event_id] == [
        (1, 320.0), (2, 6.0), (3, 24.0)]


def test_hand_worked_score_344_is_not_brought_on() -> None:
    result = risk_of_reoffending(_robbery_and_intel(with_arrest=False), AS_AT)
    assert (result.value, result.band) == (344.0, "not_brought_on")


def test_hand_worked_high() -> None:
    # Three recent robbery convictions 3 x 320 + heroin 120 (acquisitive) = 1080.
    facts = person(*convictions(["34B"] * 3, date(2026, 10, 1)), substance="heroin")
    result = risk_of_reoffending(facts, AS_AT)
    assert (result.value, result.band) == (1080.0, "high")
    assert any(c.rule == "risk_substance" and c.amount == 120.0 for c in result.working)


def test_hand_worked_medium_from_the_violence_profile() -> None:
    # Assault with injury (8N, violence, gravity 5): 32 x 5 = 160 each, 100 % in the violence
    # profile; three recent = 480; alcohol 96 (violence) = 576. Acquisitive: 3 x 32 + 32 = 128.
    facts = person(*convictions(["8N"] * 3, date(2026, 10, 1)), substance="alcohol")
    result = risk_of_reoffending(facts, AS_AT)
    assert (result.value, result.band, result.profile) == (576.0, "medium", "violence")


# --- Emerging threat (seed 003: "a significant increase in offender score") -------------

def emerging(facts: PersonFacts, **changes: object) -> EmergingResult:
    cfg = default_config()
    if changes:
        cfg = cfg.with_changes(emerging=replace(cfg.emerging, **changes))  # type: ignore[arg-type]
    return emerging_threat(facts, AS_AT, cfg)


def test_rise_over_the_period_is_flagged_with_its_cause() -> None:
    # Now: robbery 20 Oct 320 + heroin 120 = 440 (low); 28 days before (4 Oct): 120.
    facts = person(event(9, "conviction", date(2026, 10, 20), "34B"), substance="heroin")
    result = emerging(facts)
    assert (result.score_now, result.score_before, result.value) == (440, 120, 320.0)
    assert (result.band, result.period_start) == ("emerging", date(2026, 10, 4))
    assert [c.event_id for c in result.working if c.rule == "risk_conviction"] == [9]


@pytest.mark.parametrize(("min_rise", "band"), [(320, "emerging"), (321, "none")])
def test_rise_threshold_is_inclusive(min_rise: int, band: str) -> None:
    facts = person(event(9, "conviction", date(2026, 10, 20), "34B"), substance="heroin")
    assert emerging(facts, min_rise=min_rise, on_grade_crossing=False).band == band


def test_small_rise_is_not_flagged() -> None:
    # Burglary 1 Jun (80 % on both dates: 256 x 0.8 = 204.8 -> 205); shoplifting 20 Oct 32.
    facts = person(event(1, "conviction", date(2026, 6, 1), "28E"),
                   event(2, "conviction", date(2026, 10, 20), "46"))
    result = emerging(facts)
    assert (result.score_now, result.score_before, result.band) == (237, 205, "none")


def test_small_rise_across_a_grade_is_flagged_when_configured() -> None:
    # Before (4 Oct): robbery 20 Sep 320 + A1 intelligence 2 Oct 24 = 344, not brought on.
    # Now: the same 344 + shoplifting arrest 25 Oct 8 = 352, low. Rise 8.
    facts = person(event(1, "conviction", date(2026, 9, 20), "34B"),
                   event(2, "arrest", date(2026, 10, 25), "46"),
                   intelligence=(intel(3, date(2026, 10, 2), "A1"),))
    crossed = emerging(facts)
    assert (crossed.score_before, crossed.score_now, crossed.band) == (344, 352, "emerging")
    assert [c.event_id for c in crossed.working if c.event_id] == [2]
    assert emerging(facts, on_grade_crossing=False).band == "none"


def test_late_recorded_event_is_a_cause_only_once_known() -> None:
    # Robbery on 1 Sep recorded 20 Oct: unknown on 4 Oct, so the rise is 320.
    facts = person(event(5, "conviction", date(2026, 9, 1), "34B", recorded=date(2026, 10, 20)))
    result = emerging(facts)
    assert (result.score_before, result.score_now, result.band) == (0, 320, "emerging")
    assert [c.event_id for c in result.working if c.event_id] == [5]
