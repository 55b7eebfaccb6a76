"""Consent given again (004 1.24, "until such time that they agree to co-operate"):
once the person consents again and no organisation still refuses, they move back
from catch and control by themselves, to the Deter Young Offender strand for a
youth under a policy with the youth strand, otherwise the standard one. While
another organisation still refuses, they stay in catch and control."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from iom.audit.models import AccessLogEntry
from iom.cohorts.lifecycle import CohortState, Step, Strand, services
from iom.cohorts.models import CohortMembership, Transition
from iom.cohorts.tests.factories import THROUGH, fresh, on_cohort, youth_on_cohort
from iom.cohorts.tests.policy_versions import install_version_2
from iom.governance.models import ConsentBasis, ConsentStatus, GivenBy
from iom.governance.services import record_consent
from iom.people.models import Nominal

pytestmark = pytest.mark.django_db
REFUSED = date(2025, 2, 3)
AGAIN = date(2025, 3, 3)


def _consent(world: Any, person: Nominal, status: str, on: date, org: str = "voluntary",
             **extra: Any) -> Any:
    return record_consent(nominal=person, organisation=world.orgs[org], status=status,
                          decided_on=on, acting_user=world.users["police"], through=THROUGH,
                          **extra)


def _parent(world: Any, case: CohortMembership, status: str, on: date) -> Any:
    return _consent(world, case.nominal, status, on, org="youth_justice",
                    given_by=GivenBy.PARENT_OR_GUARDIAN, guardian_name="A Parent")


def _strand_steps(case: CohortMembership) -> list[Transition]:
    return list(Transition.objects.filter(membership=case, step=Step.CHANGE_STRAND)
                .order_by("decided_on", "pk"))


def _logged(transition: Transition) -> bool:
    ref = {"kind": "cohort_step", "id": transition.pk}
    return any(ref in e.records for e in AccessLogEntry.objects.filter(action="update"))


@pytest.mark.parametrize("status", [ConsentStatus.REFUSED, ConsentStatus.WITHDRAWN])
def test_consent_given_again_moves_the_person_back_to_the_standard_strand(world, status):
    case = on_cohort(world, world.consented)
    _consent(world, world.consented, status, REFUSED)
    assert fresh(case).strand == Strand.CATCH_AND_CONTROL
    version = fresh(case).version
    _consent(world, world.consented, ConsentStatus.GIVEN, AGAIN)
    back = fresh(case)
    assert back.strand == Strand.STANDARD and back.state == CohortState.ON_COHORT
    assert back.version > version
    [_, step] = _strand_steps(case)
    assert step.decided_on == AGAIN and step.decided_by == world.users["police"]
    assert "given again" in step.reason and "Northshire Mentors" in step.reason
    assert step.detail == {"consent": step.detail["consent"], "automatic": "yes",
                           "from_strand": Strand.CATCH_AND_CONTROL.label,
                           "to_strand": Strand.STANDARD.label}
    assert _logged(step)


def test_a_youth_goes_back_to_the_deter_young_offender_strand(world):
    case = youth_on_cohort(world)
    _parent(world, case, ConsentStatus.WITHDRAWN, REFUSED)
    assert fresh(case).strand == Strand.CATCH_AND_CONTROL
    _parent(world, case, ConsentStatus.GIVEN, AGAIN)
    assert fresh(case).strand == Strand.DETER_YOUNG_OFFENDER
    assert _strand_steps(case)[-1].detail["to_strand"] == Strand.DETER_YOUNG_OFFENDER.label


def test_the_youth_strand_is_that_of_the_cases_policy_version(world, tmp_path, monkeypatch):
    case = youth_on_cohort(world)
    install_version_2(tmp_path, monkeypatch)  # version 2 runs no youth strand
    _parent(world, case, ConsentStatus.REFUSED, REFUSED)
    _parent(world, case, ConsentStatus.GIVEN, AGAIN)
    assert fresh(case).strand == Strand.DETER_YOUNG_OFFENDER


def test_the_person_stays_in_catch_and_control_while_another_organisation_refuses(world):
    case = on_cohort(world, world.consented)
    _consent(world, world.consented, ConsentStatus.REFUSED, REFUSED)
    _consent(world, world.consented, ConsentStatus.WITHDRAWN, REFUSED, org="housing")
    _consent(world, world.consented, ConsentStatus.GIVEN, AGAIN)
    assert fresh(case).strand == Strand.CATCH_AND_CONTROL
    assert len(_strand_steps(case)) == 1
    _consent(world, world.consented, ConsentStatus.GIVEN, date(2025, 3, 10), org="housing")
    assert fresh(case).strand == Strand.STANDARD
    assert "Northshire Homes" in _strand_steps(case)[-1].reason


def test_consent_that_replaces_no_refusal_leaves_a_coordinators_choice(world):
    case = on_cohort(world, world.consented)
    services.change_strand(membership=case, version=fresh(case).version,
                           to=Strand.CATCH_AND_CONTROL, on=REFUSED,
                           reason="Police allocation on intelligence of refusal to engage",
                           acting_user=world.users["police"], through=THROUGH)
    _consent(world, world.consented, ConsentStatus.GIVEN, AGAIN, org="housing")
    _consent(world, world.consented, ConsentStatus.REFUSED, AGAIN, org="drug_alcohol",
             basis=ConsentBasis.CONTRACT)
    _consent(world, world.consented, ConsentStatus.GIVEN, AGAIN, org="drug_alcohol",
             basis=ConsentBasis.CONTRACT)
    assert fresh(case).strand == Strand.CATCH_AND_CONTROL
    assert len(_strand_steps(case)) == 1


def test_consent_given_again_off_the_cohort_changes_nothing(world):
    from iom.cohorts.tests.factories import refer, to_panel

    waiting = to_panel(world, refer(world, world.unconsented))
    _consent(world, world.unconsented, ConsentStatus.REFUSED, REFUSED)
    _consent(world, world.unconsented, ConsentStatus.GIVEN, AGAIN)
    assert fresh(waiting).strand == Strand.STANDARD and not _strand_steps(waiting)
