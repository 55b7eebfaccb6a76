"""Changing strand (004 1.7-1.10, 1.24, 1.28): refused or withdrawn consent moves a
person on the cohort to catch and control instead of dropping them; coordinators
change the strand with a reason in the browser and through the API; a youth's
partner referral needs a parent or guardian's consent; the youth placement form
starts with youth justice and the Deter Young Offender cohort."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from iom.accounts.models import Role, User
from iom.audit.models import AccessLogEntry
from iom.cohorts.lifecycle import CohortState, Step, Strand, services
from iom.cohorts.models import CohortMembership, Transition
from iom.cohorts.tests.factories import THROUGH, decide, fresh, on_cohort, refer, to_panel
from iom.core.errors import DomainError
from iom.governance.models import ConsentBasis, ConsentStatus, GivenBy
from iom.governance.services import record_consent
from iom.people import services as people_services
from iom.people.models import Nominal

pytestmark = pytest.mark.django_db
LATER = date(2025, 2, 3)


def _consent(world: Any, person: Nominal, status: str, on: date = LATER, org: str = "voluntary",
             **extra: Any) -> Any:
    return record_consent(nominal=person, organisation=world.orgs[org], status=status,
                          decided_on=on, acting_user=world.users["police"], through=THROUGH,
                          **extra)


def _strand_steps(case: CohortMembership) -> list[Transition]:
    return list(Transition.objects.filter(membership=case, step=Step.CHANGE_STRAND))


def _logged(transition: Transition) -> bool:
    ref = {"kind": "cohort_step", "id": transition.pk}
    return any(ref in e.records for e in AccessLogEntry.objects.filter(action="update"))


@pytest.mark.parametrize("status", [ConsentStatus.REFUSED, ConsentStatus.WITHDRAWN])
def test_refusing_consent_on_the_cohort_moves_the_person_to_catch_and_control(world, status):
    case = on_cohort(world, world.consented)
    version = case.version
    _consent(world, world.consented, status)
    moved = fresh(case)
    assert moved.state == CohortState.ON_COHORT  # kept on the cohort, not dropped
    assert moved.strand == Strand.CATCH_AND_CONTROL
    assert moved.version > version
    [step] = _strand_steps(case)
    assert step.decided_on == LATER and step.decided_by == world.users["police"]
    assert step.from_state == step.to_state == CohortState.ON_COHORT
    assert "Northshire Mentors" in step.reason and "catch and control" in step.reason
    assert step.detail["to_strand"] == Strand.CATCH_AND_CONTROL.label
    assert _logged(step)


def test_consent_given_or_a_contract_or_no_managed_case_changes_nothing(world):
    case = on_cohort(world, world.consented)
    _consent(world, world.consented, ConsentStatus.GIVEN)
    _consent(world, world.consented, ConsentStatus.REFUSED, basis=ConsentBasis.CONTRACT)
    assert fresh(case).strand == Strand.STANDARD and not _strand_steps(case)
    waiting = to_panel(world, refer(world, world.unconsented))
    _consent(world, world.unconsented, ConsentStatus.REFUSED)
    assert fresh(waiting).strand == Strand.STANDARD and not _strand_steps(waiting)


def test_a_second_refusal_does_not_move_the_person_again(world):
    case = on_cohort(world, world.consented)
    _consent(world, world.consented, ConsentStatus.REFUSED)
    _consent(world, world.consented, ConsentStatus.WITHDRAWN, on=LATER + timedelta(days=1))
    assert len(_strand_steps(case)) == 1


def _change(world: Any, case: CohortMembership, to: str, *, version: int | None = None,
            reason: str = "The person now agrees to co-operate with the partnership") -> Any:
    return services.change_strand(
        membership=case, version=fresh(case).version if version is None else version, to=to,
        on=LATER + timedelta(days=7), reason=reason, acting_user=world.users["police"],
        through=THROUGH)


def test_leaving_catch_and_control_needs_consent_again(world):
    case = on_cohort(world, world.consented)
    _consent(world, world.consented, ConsentStatus.REFUSED)
    with pytest.raises(DomainError) as refused:
        _change(world, case, Strand.STANDARD)
    assert "still refuses consent to share with Northshire Mentors" in str(
        refused.value.problems)
    assert fresh(case).strand == Strand.CATCH_AND_CONTROL
    _consent(world, world.consented, ConsentStatus.GIVEN, on=LATER + timedelta(days=5))
    assert fresh(case).strand == Strand.STANDARD  # by itself: test_consent_given_again.py
    _change(world, case, Strand.CATCH_AND_CONTROL, reason="Police allocation after the panel")
    step = _change(world, case, Strand.STANDARD)
    assert fresh(case).strand == Strand.STANDARD
    assert step.decided_by == world.users["police"] and _logged(step)
    assert step.detail == {"from_strand": Strand.CATCH_AND_CONTROL.label,
                           "to_strand": Strand.STANDARD.label}


def test_a_strand_change_is_refused_when_wrong_stale_or_off_the_cohort(world):
    case = on_cohort(world)
    with pytest.raises(DomainError) as refused:
        _change(world, case, Strand.DETER_YOUNG_OFFENDER, reason="short")
    problems = str(refused.value.problems)
    assert "aged 10 to 17" in problems and "at least 10 characters" in problems
    with pytest.raises(DomainError, match="already in rehabilitate"):
        _change(world, case, Strand.STANDARD)
    stale = fresh(case).version
    _change(world, case, Strand.CATCH_AND_CONTROL)
    with pytest.raises(DomainError) as conflict:
        _change(world, case, Strand.STANDARD, version=stale)
    assert conflict.value.code == "conflict"
    waiting = to_panel(world, refer(world, world.unconsented))
    with pytest.raises(DomainError) as illegal:
        _change(world, waiting, Strand.CATCH_AND_CONTROL)
    assert illegal.value.code == "illegal_transition"


def _days_ago(n: int) -> str:
    return (timezone.localdate() - timedelta(days=n)).isoformat()


def test_a_coordinator_changes_the_strand_in_the_browser(client, world):
    case = on_cohort(world)
    client.force_login(world.users["police"])
    url = f"/people/{world.person.pk}/case/step/change_strand/"
    page = client.get(url).content.decode()
    assert "Catch and control" in page and "New strand" in page
    profile = client.get(f"/people/{world.person.pk}/").content.decode()
    assert url in profile
    response = client.post(url, {"version": fresh(case).version, "on": _days_ago(1),
                                 "strand": "catch_and_control",
                                 "reason": "Police allocation after intelligence of refusal"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert fresh(case).strand == Strand.CATCH_AND_CONTROL
    response = client.post(url, {"version": fresh(case).version, "on": _days_ago(1),
                                 "strand": "deter_young_offender",
                                 "reason": "Moving to the youth strand by mistake"})
    assert response.status_code == 200 and "aged 10 to 17" in response.content.decode()


def test_the_api_changes_the_strand(client, world, token_for):
    case = on_cohort(world)
    url = f"/api/cohorts/people/{world.person.pk}/steps"
    body = {"step": "change_strand", "version": fresh(case).version, "on": _days_ago(1),
            "strand": "catch_and_control", "reason": "Refused to share information with us"}
    response = client.post(url, body, content_type="application/json",
                           HTTP_AUTHORIZATION=token_for("police"))
    assert response.status_code == 201, response.json()
    assert response.json()["case"]["strand"] == "catch_and_control"
    response = client.post(url, body, content_type="application/json",
                           HTTP_AUTHORIZATION=token_for("police"))
    assert response.status_code == 409
    response = client.post(url, {**body, "version": fresh(case).version},
                           content_type="application/json",
                           HTTP_AUTHORIZATION=token_for("mentor"))
    assert response.status_code == 404


def _youth(world: Any) -> Nominal:
    return people_services.create_nominal(
        acting_user=None, through=THROUGH, organisation=world.orgs["police"],
        fields={"forename": "Young", "surname": "Referred", "date_of_birth": date(2010, 5, 1),
                "gender": "M", "partnership": world.north})


def test_a_youths_partner_referral_needs_a_parent_or_guardians_consent(world):
    young = _youth(world)
    _consent(world, young, ConsentStatus.GIVEN, on=date(2025, 1, 2))
    with pytest.raises(DomainError) as refused:
        refer(world, young, org="voluntary")
    assert "parent or guardian's consent" in str(refused.value.problems)
    assert not CohortMembership.objects.filter(nominal=young).exists()
    _consent(world, young, ConsentStatus.GIVEN, on=date(2025, 1, 3),
             given_by=GivenBy.PARENT_OR_GUARDIAN, guardian_name="A Parent")
    case = refer(world, young, org="voluntary")
    assert case.strand == Strand.DETER_YOUNG_OFFENDER
    assert case.referral.consent_status == "given"


def test_a_parent_refusing_at_referral_puts_the_youth_in_catch_and_control(world):
    young = _youth(world)
    _consent(world, young, ConsentStatus.REFUSED, on=date(2025, 1, 2),
             given_by=GivenBy.PARENT_OR_GUARDIAN, guardian_name="A Parent")
    assert refer(world, young, org="voluntary").strand == Strand.CATCH_AND_CONTROL


def test_the_youth_placement_form_starts_with_youth_justice_and_deter(client, world):
    case = to_panel(world, refer(world, _youth(world)))
    decide(world, case)
    User.objects.create_user(username="yj_worker", password="Not-used-in-tests-4821",
                             organisation=world.orgs["youth_justice"], role=Role.PRACTITIONER)
    client.force_login(world.users["police"])
    client.post(f"/people/{case.nominal_id}/reason/",
                {"purpose": "Case management: new referral or allocation"})
    form = client.get(f"/people/{case.nominal_id}/case/placement/").context["form"]
    assert form.initial["cohort_type"] == "deter_young_offender"
    assert form.initial["lead_agency"] == world.orgs["youth_justice"].pk
    adult = to_panel(world, refer(world))
    decide(world, adult)
    form = client.get(f"/people/{world.person.pk}/case/placement/").context["form"]
    assert "lead_agency" not in form.initial and "cohort_type" not in form.initial


def test_recording_a_refusal_on_the_sharing_page_moves_the_person(client, world):
    case = on_cohort(world, world.consented)
    client.force_login(world.users["police"])
    client.post(f"/people/{world.consented.pk}/reason/",
                {"purpose": "other", "detail": "Recording the signed consent form"})
    response = client.post(f"/governance/people/{world.consented.pk}/sharing/", {
        "form": "consent", "consent-organisation": world.orgs["voluntary"].pk,
        "consent-basis": "consent", "consent-status": "withdrawn",
        "consent-decided_on": "2025-06-01", "consent-given_by": "person"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert fresh(case).strand == Strand.CATCH_AND_CONTROL
    [step] = _strand_steps(case)
    assert step.decided_on == date(2025, 6, 1) and "withdrawn" in step.reason


def test_an_expired_guardian_consent_does_not_place_a_youth_in_deter(world):
    """The panel reads current consent through the one policy rule: consent that has
    expired by the placement day is not current, so the youth goes to catch and control."""
    from datetime import date, timedelta

    from iom.cohorts.tests.factories import PLACED, decide, place, refer, to_panel
    from iom.governance import policy
    from iom.governance.models import ConsentStatus, GivenBy
    from iom.governance.services import record_consent
    from iom.people import services as people_services

    young = people_services.create_nominal(
        acting_user=None, through="test", organisation=world.orgs["police"],
        fields={"forename": "Young", "surname": "Expired", "date_of_birth": date(2010, 5, 1),
                "gender": "M", "partnership": world.north})
    world.users["youth"] = world.users["police"].__class__.objects.create_user(
        username="youth_worker_expired", password="Not-used-in-tests-4821",
        organisation=world.orgs["youth_justice"], role="practitioner")
    case = to_panel(world, refer(world, young))
    decide(world, case)
    record_consent(nominal=young, organisation=world.orgs["youth_justice"],
                   status=ConsentStatus.GIVEN, decided_on=PLACED - timedelta(days=30),
                   expires_on=PLACED - timedelta(days=1),
                   given_by=GivenBy.PARENT_OR_GUARDIAN, guardian_name="A Parent",
                   acting_user=world.users["police"], through="test")
    assert not policy.has_current_consent(young, world.orgs["youth_justice"], PLACED)
    placed = place(world, case, cohort_type="deter_young_offender", lead="youth_justice",
                   professional="youth")
    assert placed.strand == "catch_and_control"
