"""What every policy shares: exclusions and overrides (000 ISA s1, 001 s4), the youth
strand (004 1.28), what-if comparison, the command, and refusals of bad input."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from iom.audit.models import AccessLogEntry
from iom.cohorts.candidates import candidates_for, compare_policies
from iom.cohorts.policy.schemes import POLICY_DIR, load_policies, scheme_names, scheme_terms
from iom.cohorts.tests.factories import (
    AS_AT,
    Scores,
    custody,
    event,
    found,
    mappa,
    on_probation,
    person,
    registered,
    store_scores,
    suggested,
    youth_order,
)
from iom.core.errors import DomainError

RECENT = date(2025, 4, 1)


def _tier_1(world, **kwargs):
    """Someone with OGRS 3 of 95, scored with everyone made so far in a fresh run."""
    someone = person(world, **kwargs)
    made = world.__dict__.setdefault("tier_1_people", [])
    made.append(someone)
    store_scores(world, dict.fromkeys(made, Scores(ogrs3=95, risk=800)))
    return someone


@pytest.mark.parametrize(("level", "excluded"), [(1, False), (2, True), (3, True)])
def test_mappa_level_2_or_3_excludes_and_can_be_overridden(world, level, excluded):
    someone = _tier_1(world)
    event(world, someone, RECENT, "46")
    mappa(world, someone, level)
    candidate = found(candidates_for(world.users["police"], "derbyshire-2015", AS_AT), someone)
    assert candidate is not None
    hits = [e for e in candidate.exclusions if e.label == "MAPPA level 2 or 3"]
    assert bool(hits) is excluded
    assert candidate.included is not excluded
    if excluded:
        assert hits[0].overridable
        assert any("recorded partnership agreement" in r for r in candidate.reasons())


def test_public_protection_detail_is_withheld_from_other_agencies(world):
    """A council officer's list reads a MAPPA-managed person exactly as one without:
    not even that "a public protection exclusion" exists reaches them."""
    someone = _tier_1(world)
    event(world, someone, RECENT, "46")
    mappa(world, someone, 2)
    seen = found(candidates_for(world.users["housing"], "derbyshire-2015", AS_AT), someone)
    assert seen is not None
    assert seen.exclusions == [] and seen.included
    assert not any("protection" in r.lower() or "mappa" in r.lower() for r in seen.reasons())
    police = found(candidates_for(world.users["police"], "derbyshire-2015", AS_AT), someone)
    assert [e.label for e in police.exclusions] == ["MAPPA level 2 or 3"]


@pytest.mark.parametrize(("ended", "excluded"), [(None, True), (date(2025, 1, 1), False)])
def test_only_a_current_sex_offender_registration_excludes(world, ended, excluded):
    someone = _tier_1(world)
    event(world, someone, RECENT, "46")
    registered(world, someone, end=ended)
    candidate = found(candidates_for(world.users["police"], "derbyshire-2015", AS_AT), someone)
    assert candidate is not None
    labels = [e.label for e in candidate.exclusions]
    assert ("Current registered sex offender" in labels) is excluded


def test_no_conviction_in_6_months_at_liberty_counts_time_out_of_custody(world):
    at_liberty, inside = _tier_1(world), _tier_1(world)
    for someone in (at_liberty, inside):
        event(world, someone, date(2024, 10, 1), "46")  # 8 months before the as-at date
    custody(world, inside, date(2024, 11, 1), date(2025, 3, 1))
    listed = candidates_for(world.users["police"], "derbyshire-2015", AS_AT)
    labels = {p.pk: [e.label for e in found(listed, p).exclusions] for p in (at_liberty, inside)}
    assert labels[at_liberty.pk] == ["No conviction in the last 6 months at liberty"]
    assert labels[inside.pk] == []


@pytest.mark.parametrize(("born", "listed_as"), [
    (date(2015, 6, 3), None),  # 9 the day before the as-at date's birthday
    (date(2015, 6, 2), "deter_young_offender"),  # 10 today
    (date(2007, 6, 3), "deter_young_offender"),  # 17, 18 tomorrow
    (date(2007, 6, 2), None),  # 18 today: an adult, judged on the adult criteria
])
def test_the_youth_strand_is_for_ages_10_to_17(world, born, listed_as):
    someone = person(world, born=born)
    youth_order(world, someone)
    event(world, someone, RECENT, "46")
    store_scores(world, {someone: Scores(ogrs3=40, risk=800)})
    listed = candidates_for(world.users["police"], "london", AS_AT)
    assert suggested(listed, someone) == listed_as


def test_a_youth_without_a_current_order_is_a_near_miss_at_most(world):
    someone = person(world, born=date(2010, 1, 1))
    store_scores(world, {someone: Scores(risk=800)})
    candidate = found(candidates_for(world.users["police"], "london", AS_AT), someone)
    assert candidate is None or candidate.suggested_cohort_type is None


def test_compare_shows_in_and_out_under_each_policy_side_by_side(world):
    burglar = person(world)
    event(world, burglar, date(2024, 9, 2), "28E")
    event(world, burglar, RECENT, "46")
    on_probation(world, burglar)
    store_scores(world, {burglar: Scores(ogrs3=60)})
    comparison = compare_policies(world.users["police"], "derbyshire-2021", "london@1", AS_AT)
    row = next(r for r in comparison.rows if r.nominal_id == burglar.pk)
    assert row.first.included
    assert row.first.cohort_type == ("fixed", "Fixed")
    assert row.second.included
    store_scores(world, {burglar: Scores(ogrs3=52)}, date(2025, 6, 3))
    other = compare_policies(world.users["police"], "derbyshire-2015", "derbyshire-2021",
                             date(2025, 6, 3))
    row = next(r for r in other.rows if r.nominal_id == burglar.pk)
    assert not row.first.included
    assert any("OGRS 3" in reason for reason in row.first.reasons)
    assert row.second.included
    assert row in other.only_second


def test_the_command_writes_one_row_per_candidate(world):
    someone = _tier_1(world)
    event(world, someone, RECENT, "46")
    out = StringIO()
    call_command("candidates", "--policy", "derbyshire-2015", "--as-at", "2025-06-02",
                 "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [(r["pnc_id"], r["suggested_cohort_type"]) for r in rows] == [
        (someone.pnc_id, "tier_1")]
    assert rows[0]["OGRS 3 2-year score 90 or more"] == "met"
    assert AccessLogEntry.objects.filter(nominal_id=someone.pk, user_id__isnull=True,
                                         action="export").exists()
    out = StringIO()
    call_command("candidates", "--policy", "derbyshire-2015", "--compare", "london",
                 "--as-at", "2025-06-02", stdout=out)
    header, first = out.getvalue().splitlines()[:2]
    assert "London (version 1): in" in header
    assert first.startswith(someone.pnc_id)


def test_unknown_policies_and_versions_are_refused_clearly(world):
    with pytest.raises(DomainError, match="Unknown scheme policy 'leeds'"):
        candidates_for(world.users["police"], "leeds", AS_AT)
    with pytest.raises(DomainError, match="london has no version 7"):
        candidates_for(world.users["police"], "london", AS_AT, version=7)
    with pytest.raises(DomainError, match="Unknown scheme policy"):
        scheme_terms("leeds")
    with pytest.raises(CommandError, match="Unknown scheme policy"):
        call_command("candidates", "--policy", "leeds", "--as-at", "2025-06-02")


def test_the_four_policies_load_and_keep_their_lifecycle_terms():
    assert [n for n, _ in scheme_names()] == [
        "derbyshire-2015", "derbyshire-2021", "london", "west-yorkshire"]
    assert scheme_terms("derbyshire-2015").rules.partner_referral_min_needs == 2
    assert scheme_terms("derbyshire-2021").floor == ("fixed", 0.6)
    assert scheme_terms("london").rules.youth_ages == (10, 17)


def _copy_with(tmp_path: Path, old: str, new: str, name: str = "london.toml") -> Path:
    text = (POLICY_DIR / name).read_text(encoding="utf-8")
    assert old in text
    (tmp_path / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("old", "new", "message"), [
    ("at_least = 75", 'at_least = "75"', "london.toml: criteria.ogrs_75_plus.at_least: must be"),
    ("near = 5", "neer = 5", "london.toml: criteria.ogrs_75_plus.neer: is not a known key"),
    ('score = "ogrs3"', 'score = "ogrs4"', "london.toml: criteria.ogrs_75_plus.score: unknown "
                                           "value 'ogrs4'"),
    ('offences = "robbery_burglary"', 'offences = "robbery"', "no offence list 'robbery'"),
    ('events = ["conviction"]', 'events = ["sentence"]', "exclusions.no_recent_conviction."
                                                         "events: unknown value"),
    ("mappa_levels = [2, 3]", "mappa_levels = [4]", "exclusions.mappa.mappa_levels: MAPPA"),
    ('name = "london"', 'name = "londres"', "london.toml: name: the file must be called"),
    ("version = 1", "version = 1\nversion = 2", "london.toml: is not valid TOML"),
])
def test_a_malformed_policy_file_is_refused_naming_file_key_and_problem(
        tmp_path, old, new, message):
    with pytest.raises(DomainError, match=message.replace("(", r"\(")):
        load_policies(_copy_with(tmp_path, old, new))


def test_a_second_version_sits_beside_the_first(tmp_path):
    _copy_with(tmp_path, "at_least = 75", "at_least = 75")
    text = (tmp_path / "london.toml").read_text(encoding="utf-8")
    (tmp_path / "london.v2.toml").write_text(
        text.replace("version = 1", "version = 2").replace("at_least = 75", "at_least = 70"),
        encoding="utf-8")
    loaded = load_policies(tmp_path)
    assert loaded["london", 1].rules["ogrs_75_plus"].at_least == 75
    assert loaded["london", 2].rules["ogrs_75_plus"].at_least == 70
