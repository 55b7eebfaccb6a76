"""Referral: the form, consent for partner referrals, the strands, and refusals."""

from __future__ import annotations

from datetime import date

import pytest

from iom.audit.models import AccessLogEntry
from iom.cohorts.lifecycle import CohortState, Strand
from iom.cohorts.models import CohortMembership, Referral, Transition
from iom.cohorts.tests.factories import REFERRED, refer
from iom.core.errors import DomainError
from iom.governance.models import ConsentStatus
from iom.governance.services import record_consent
from iom.people import services as people_services

pytestmark = pytest.mark.django_db


def _nothing_stored() -> None:
    assert not CohortMembership.objects.exists()
    assert not Referral.objects.exists()


def _youth(world, born: date):
    return people_services.create_nominal(
        acting_user=None, through="test", organisation=world.orgs["police"],
        fields={"forename": "Young", "surname": "Person", "date_of_birth": born, "gender": "M",
                "partnership": world.north})


def test_a_police_referral_opens_a_case_and_is_logged(world):
    case = refer(world, primary_substance="crack", ogrs_2y="91", previously_iom="no")
    assert case.state == CohortState.REFERRED and case.strand == Strand.STANDARD
    assert (case.policy_name, case.policy_version) == ("derbyshire-2021", 1)
    referral = case.referral
    assert referral.needs == ["drugs", "ete"] and referral.ogrs_2y == 91
    assert referral.previously_iom is False and referral.consent_status == "not_needed"
    step = Transition.objects.get(membership=case)
    assert (step.from_state, step.to_state, step.decided_on) == ("", "referred", REFERRED)
    assert step.decided_by == world.users["police"]
    entry = AccessLogEntry.objects.filter(nominal_id=world.person.pk, action="create").first()
    assert entry is not None and {"kind": "cohort_case", "id": case.pk} in entry.records


def test_an_unknown_policy_is_refused_and_nothing_stored(world):
    with pytest.raises(DomainError, match="Unknown scheme policy 'narnia'"):
        refer(world, policy="narnia")
    _nothing_stored()


def test_missing_and_wrong_fields_are_named(world):
    with pytest.raises(DomainError) as caught:
        refer(world, current_offences="", ogrs_2y="120", needs=["flying"])
    assert {p.field for p in caught.value.problems} == {"current_offences", "ogrs_2y", "needs"}
    _nothing_stored()


def test_inconsistent_dates_are_refused(world):
    with pytest.raises(DomainError, match="future"):
        refer(world, on=date(2099, 1, 1))
    with pytest.raises(DomainError, match="before the person was born"):
        refer(world, on=date(1980, 1, 1))
    _nothing_stored()


def test_one_open_case_at_a_time(world):
    refer(world)
    with pytest.raises(DomainError, match="already has an open case"):
        refer(world)
    assert CohortMembership.objects.count() == 1


def test_a_partner_referral_needs_a_consent_decision(world):
    with pytest.raises(DomainError, match="consent decision for Northshire Mentors"):
        refer(world, world.unconsented, org="voluntary")
    _nothing_stored()
    case = refer(world, world.consented, org="voluntary")
    assert case.strand == Strand.STANDARD and case.referral.consent_status == "given"


def test_refused_consent_moves_the_person_to_catch_and_control(world):
    record_consent(nominal=world.unconsented, organisation=world.orgs["voluntary"],
                   status=ConsentStatus.REFUSED, decided_on=date(2025, 1, 2),
                   acting_user=world.users["police"], through="test")
    case = refer(world, world.unconsented, org="voluntary")
    assert case.strand == Strand.CATCH_AND_CONTROL
    assert case.referral.consent_status == "refused"


def test_derbyshire_2015_partner_referrals_need_two_of_the_four_needs(world):
    with pytest.raises(DomainError, match="at least 2 of"):
        refer(world, world.consented, org="voluntary", policy="derbyshire-2015",
              needs=["drugs", "mentoring"])
    case = refer(world, world.consented, org="voluntary", policy="derbyshire-2015",
                 needs=["drugs", "accommodation"])
    assert case.state == CohortState.REFERRED


def test_a_partner_referral_may_rest_on_a_risk_to_the_community(world):
    case = refer(world, world.consented, org="voluntary", policy="derbyshire-2015",
                 needs=[], risk_to_community=True)
    assert case.referral.risk_to_community is True


def test_police_referrals_need_no_named_needs_under_2015(world):
    assert refer(world, policy="derbyshire-2015", needs=[]).state == CohortState.REFERRED


def test_a_youth_goes_to_the_deter_young_offender_strand(world):
    case = refer(world, _youth(world, date(2010, 5, 1)))
    assert case.strand == Strand.DETER_YOUNG_OFFENDER


def test_a_child_under_ten_cannot_be_referred(world):
    with pytest.raises(DomainError, match="under 10"):
        refer(world, _youth(world, date(2016, 5, 1)))
    _nothing_stored()
