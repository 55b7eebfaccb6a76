"""The youth strand as the seeds read (004 1.28-1.30; 001 s5; 000 App A).

004 1.28: a Deter Young Offender is "a young person between 10 - 17 years of age who
has been sentenced to a relevant community order or commenced the community element of
a Detention and Training Order", selected as "posing the highest risk of causing serious
harm to others and likelihood of re-offending". 1.30: "The selection criteria may
therefore include young people who have been convicted for the first time."
000 App A: "YOS cases assessed as posing a high risk of re-offending" are allocated.
The records hold the likelihood of re-offending as OGRS 3 (valid from age 10) and the
police grade; either is enough with the order (docs/policies.md).
"""

from __future__ import annotations

from datetime import date

import pytest

from iom.cohorts.candidates import candidates_for
from iom.cohorts.tests.factories import (
    AS_AT,
    Scores,
    criterion,
    event,
    found,
    person,
    store_scores,
    suggested,
    youth_order,
)
from iom.people.models import OrderLicence

POLICIES = ["derbyshire-2015", "derbyshire-2021", "london", "west-yorkshire"]
FIFTEEN = date(2010, 2, 14)
RECENT = date(2025, 3, 3)


@pytest.mark.parametrize("policy", POLICIES)
def test_a_15_year_old_with_ogrs_78_and_a_dwelling_burglary_is_listed(world, policy):
    """First conviction (1.30), a referral order (1.28), OGRS 3 78%: no police grade."""
    someone = person(world, born=FIFTEEN)
    event(world, someone, RECENT, "28E")  # burglary in a dwelling, the first conviction
    youth_order(world, someone)
    store_scores(world, {someone: Scores(ogrs3=78)})
    for viewer in ("police", "probation"):  # probation has no intelligence sight
        listed = candidates_for(world.users[viewer], policy, AS_AT)
        assert suggested(listed, someone) == "deter_young_offender", viewer
    met, why = criterion(found(listed, someone), "OGRS 3 2-year score 75 or more")
    assert met and "78" in why


@pytest.mark.parametrize("policy", POLICIES)
def test_a_youth_at_ogrs_70_to_74_is_a_near_miss_and_below_is_not_listed(world, policy):
    close, far = person(world, born=FIFTEEN), person(world, born=FIFTEEN)
    for someone in (close, far):
        event(world, someone, RECENT, "28E")
        youth_order(world, someone)
    store_scores(world, {close: Scores(ogrs3=71), far: Scores(ogrs3=60)})
    listed = candidates_for(world.users["police"], policy, AS_AT)
    candidate = found(listed, close)
    assert candidate is not None and candidate.near_miss
    assert candidate.nearest_cohort_type is not None
    assert candidate.nearest_cohort_type[0] == "deter_young_offender"
    assert found(listed, far) is None


def test_the_police_grade_still_lists_a_youth_with_a_low_ogrs(world):
    someone = person(world, born=FIFTEEN)
    event(world, someone, RECENT, "46")
    youth_order(world, someone)
    store_scores(world, {someone: Scores(ogrs3=40, risk=800)})
    listed = candidates_for(world.users["police"], "london", AS_AT)
    assert suggested(listed, someone) == "deter_young_offender"


def test_the_community_part_of_a_detention_and_training_order_counts(world):
    """1.28: "or commenced the community element of a Detention and Training Order",
    held as a licence."""
    someone = person(world, born=FIFTEEN)
    event(world, someone, RECENT, "28E")
    OrderLicence.objects.create(nominal=someone, kind="licence", start_date=date(2025, 4, 1),
                                originating_organisation=world.orgs["youth_justice"])
    store_scores(world, {someone: Scores(ogrs3=80)})
    listed = candidates_for(world.users["police"], "derbyshire-2021", AS_AT)
    assert suggested(listed, someone) == "deter_young_offender"


def test_without_a_current_order_a_high_ogrs_youth_is_not_suggested(world):
    """1.28 asks for a sentence to a relevant order; a high score alone is not enough."""
    someone = person(world, born=FIFTEEN)
    event(world, someone, RECENT, "28E")
    store_scores(world, {someone: Scores(ogrs3=88)})
    listed = candidates_for(world.users["police"], "derbyshire-2015", AS_AT)
    assert suggested(listed, someone) is None


def test_the_youth_messages_say_the_ages_the_policy_sets() -> None:
    from dataclasses import replace

    from iom.cohorts.policy.rules import LifecycleRules, is_youth, youth_ages_said

    assert youth_ages_said(LifecycleRules()) == "aged 10 to 17"
    older = replace(LifecycleRules(), youth_ages=(12, 18))
    assert youth_ages_said(older) == "aged 12 to 18"
    assert is_youth(18, older) and not is_youth(11, older)
