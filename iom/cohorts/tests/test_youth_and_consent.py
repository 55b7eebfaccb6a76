"""The youth strand and refused consent at placement (004 1.24, 1.28): youth justice
leads for a person aged 10 to 17, the consent must be a parent or guardian's, and a
refusal moves the person to catch and control instead of dropping them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from iom.accounts.models import Role, User
from iom.cohorts.lifecycle import CohortState, Strand
from iom.cohorts.tests.factories import PLACED, decide, fresh, place, refer, to_panel
from iom.core.errors import DomainError
from iom.governance.models import ConsentStatus, GivenBy
from iom.governance.services import record_consent
from iom.people import services as people_services

pytestmark = pytest.mark.django_db


def _youth_at_panel(world: Any) -> Any:
    young = people_services.create_nominal(
        acting_user=None, through="test", organisation=world.orgs["police"],
        fields={"forename": "Young", "surname": "Person", "date_of_birth": date(2010, 5, 1),
                "gender": "M", "partnership": world.north})
    world.users["youth"] = User.objects.create_user(
        username="youth_worker", password="Not-used-in-tests-4821",
        organisation=world.orgs["youth_justice"], role=Role.PRACTITIONER,
        first_name="Youth", last_name="Tester")
    case = to_panel(world, refer(world, young))
    decide(world, case)
    return case


def _consent(world: Any, case: Any, status: str, given_by: str = GivenBy.PARENT_OR_GUARDIAN
             ) -> None:
    record_consent(nominal=case.nominal, organisation=world.orgs["youth_justice"],
                   status=status, decided_on=PLACED, given_by=given_by,
                   guardian_name="A Parent" if given_by == GivenBy.PARENT_OR_GUARDIAN else "",
                   acting_user=world.users["police"], through="test")


def test_youth_justice_leads_with_a_parent_or_guardians_consent(world):
    case = _youth_at_panel(world)
    assert case.strand == Strand.DETER_YOUNG_OFFENDER
    with pytest.raises(DomainError) as refused:
        place(world, case, cohort_type="deter_young_offender")  # probation as the lead
    assert "Youth justice leads" in str(refused.value.problems)
    _consent(world, case, ConsentStatus.GIVEN, GivenBy.PERSON)
    with pytest.raises(DomainError) as refused:
        place(world, case, cohort_type="deter_young_offender", lead="youth_justice",
              professional="youth")
    assert "parent or guardian" in str(refused.value.problems)
    assert fresh(case).state == CohortState.AWAITING_PANEL
    _consent(world, case, ConsentStatus.GIVEN)
    placed = place(world, case, cohort_type="deter_young_offender", lead="youth_justice",
                   professional="youth")
    assert placed.state == CohortState.ON_COHORT
    assert placed.strand == Strand.DETER_YOUNG_OFFENDER
    assert placed.lead_agency == world.orgs["youth_justice"]


def test_a_parent_refusing_consent_moves_the_youth_to_catch_and_control(world):
    case = _youth_at_panel(world)
    _consent(world, case, ConsentStatus.REFUSED)
    placed = place(world, case, cohort_type="deter_young_offender", lead="youth_justice",
                   professional="youth")
    assert placed.state == CohortState.ON_COHORT  # kept on the cohort, not dropped
    assert placed.strand == Strand.CATCH_AND_CONTROL
