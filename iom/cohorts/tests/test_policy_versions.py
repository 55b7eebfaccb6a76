"""A case keeps the policy version it was placed under (ADR 0005): once a newer
version with other lifecycle figures is installed, the case's reviews, panel
quorum, placement, deselection dates and custody removal still follow its own
version, while a new referral takes the newest."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from iom.cohorts import selectors
from iom.cohorts.lifecycle import CohortState, Meeting, Strand, services
from iom.cohorts.policy.rules import add_months
from iom.cohorts.policy.schemes import scheme_terms
from iom.cohorts.tests.factories import (
    PLACED,
    THROUGH,
    decide,
    fresh,
    on_cohort,
    place,
    refer,
    to_panel,
    youth_on_cohort,
)
from iom.cohorts.tests.policy_versions import NAME, install_version_2
from iom.core.errors import DomainError
from iom.people.models import Nominal

pytestmark = pytest.mark.django_db


@pytest.fixture
def version_2(tmp_path, monkeypatch):
    return lambda: install_version_2(tmp_path, monkeypatch)


def test_scheme_terms_gives_the_version_asked_for_and_otherwise_the_newest(version_2):
    version_2()
    assert scheme_terms(NAME, 1).rules.review_every_months == 1
    assert scheme_terms(NAME, 2).rules.review_every_months == 2
    assert scheme_terms(NAME).version == 2
    with pytest.raises(DomainError, match="has no version 3"):
        scheme_terms(NAME, 3)


def test_a_new_referral_takes_the_newest_version_and_its_terms(world, version_2):
    version_2()
    case = on_cohort(world)
    assert case.policy_version == 2
    assert case.next_review_due == add_months(PLACED, 2)


def test_a_review_keeps_the_period_of_the_cases_version(world, version_2):
    case = on_cohort(world)
    version_2()
    day = date(2025, 3, 3)
    services.review(membership=case, version=fresh(case).version, on=day,
                    notes="Monthly review at the panel: engaging well", acting_user=world.users[
                        "police"], through=THROUGH)
    assert fresh(case).policy_version == 1
    assert fresh(case).next_review_due == add_months(day, 1)


def test_placement_after_a_new_version_uses_the_cases_version(world, version_2):
    case = to_panel(world, refer(world))
    decide(world, case)
    version_2()
    placed = place(world, case)
    assert placed.next_review_due == add_months(PLACED, 1)


def _second_person(world) -> Nominal:
    from iom.people import services as people_services

    return people_services.create_nominal(
        acting_user=None, through=THROUGH, organisation=world.orgs["police"],
        fields={"forename": "Second", "surname": "Person", "date_of_birth": date(1988, 2, 2),
                "gender": "M", "partnership": world.north})


def test_a_tasking_decision_needs_the_quorum_of_the_cases_version(world, version_2):
    kept = to_panel(world, refer(world))
    version_2()
    decide(world, kept, meeting=Meeting.TASKING)  # 3 agencies: version 1's quorum
    newer = to_panel(world, refer(world, _second_person(world)))
    assert newer.policy_version == 2
    with pytest.raises(DomainError) as refused:
        decide(world, newer, meeting=Meeting.TASKING)
    assert "at least 4 agencies present" in str(refused.value.problems)


def test_deselection_dates_follow_the_cases_version(world, version_2):
    case = on_cohort(world)
    version_2()
    clock = selectors.exit_clock(fresh(case), date(2025, 5, 1))
    assert clock is not None
    assert (clock.notice_from, clock.exit_from) == (date(2025, 4, 10), date(2025, 7, 10))
    user = world.users["police"]
    services.consider_deselection(membership=case, version=fresh(case).version,
                                  on=date(2025, 4, 14), reason="No offending since placement",
                                  acting_user=user, through=THROUGH)
    services.notify_deselection(membership=case, version=fresh(case).version,
                                on=date(2025, 4, 15), reason="Told at the April review",
                                acting_user=user, through=THROUGH)
    assert fresh(case).state == CohortState.DESELECTION_NOTIFIED


def test_custody_removal_counts_the_months_of_the_cases_version(world, version_2):
    case = on_cohort(world)
    today = timezone.localdate()
    services.record_custody(nominal=world.person, acting_user=world.users["police"],
                            through=THROUGH, fields={
                                "custody_type": "sentence", "start_date": today,
                                "expected_release_date": add_months(today, 18),
                                "establishment": "HMP Northshire"})
    version_2()
    services.remove_for_custody(membership=case, version=fresh(case).version, on=today,
                                reason="Sentenced to three years at the Crown Court",
                                acting_user=world.users["police"], through=THROUGH)
    assert fresh(case).state == CohortState.REMOVED_CUSTODY


def test_a_strand_change_follows_the_youth_strand_of_the_cases_version(world, version_2):
    case = youth_on_cohort(world)
    assert case.strand == Strand.DETER_YOUNG_OFFENDER
    version_2()  # version 2 runs no youth strand
    for to, day in ((Strand.CATCH_AND_CONTROL, date(2025, 2, 3)),
                    (Strand.DETER_YOUNG_OFFENDER, date(2025, 2, 10))):
        services.change_strand(membership=case, version=fresh(case).version, to=to, on=day,
                               reason="Police allocation agreed at the tasking meeting",
                               acting_user=world.users["police"], through=THROUGH)
    assert fresh(case).strand == Strand.DETER_YOUNG_OFFENDER
