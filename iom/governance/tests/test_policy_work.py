"""The access policy's case-work rules (``iom/governance/policy.py``, rules 9 to 11)
as tables: who runs meetings and the cohort, whom a meeting reaches, who refers as
which organisation, who signs for whom, who owns and updates an action, and who changes
a case's team. The apps' selectors and services ask these; the tables hold the answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
import time_machine

from conftest import World
from iom.accounts.models import OrganisationKind, Role
from iom.accounts.tests.factories import UserFactory
from iom.core.errors import Forbidden
from iom.governance import policy

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 15)

# persona -> (statutory case worker, meeting reach, supervisor)
WORK = {
    "police": (True, policy.MeetingReach.PARTNERSHIP, False),
    "probation": (True, policy.MeetingReach.PARTNERSHIP, False),
    "housing": (True, policy.MeetingReach.PARTNERSHIP, False),
    "mentor": (False, policy.MeetingReach.ATTENDED, False),
    "analyst": (False, policy.MeetingReach.NONE, False),
    "dpo": (False, policy.MeetingReach.NONE, False),
    "admin": (False, policy.MeetingReach.NONE, False),
    "outsider": (True, policy.MeetingReach.PARTNERSHIP, False),
}


@dataclass(frozen=True)
class Owned:
    owner_user_id: int | None
    owner_organisation_id: int | None


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("persona", list(WORK))
def test_who_does_the_statutory_work_and_which_meetings_they_reach(world: World,
                                                                  persona: str) -> None:
    statutory, reach, supervisor = WORK[persona]
    user = world.users[persona]
    assert policy.meeting_reach(user) is reach
    assert policy.is_casework_supervisor(user) is supervisor
    if statutory:
        policy.require_statutory_case_worker(user, "arrange and run meetings")
    else:
        with pytest.raises(Forbidden, match=r"^Only statutory partners arrange and run "
                                            r"meetings\.$"):
            policy.require_statutory_case_worker(user, "arrange and run meetings")


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.COORDINATOR])
def test_supervisors_and_coordinators_supervise_case_work(world: World, role: Role) -> None:
    user = UserFactory.create(username=f"sup_{role}", organisation=world.orgs["police"],
                              role=role)
    assert policy.is_casework_supervisor(user)
    user.organisation.active = False
    assert not policy.is_casework_supervisor(user)


@time_machine.travel(TODAY, tick=False)
def test_a_partner_refers_only_as_itself_a_statutory_partner_as_any_partner(
        world: World) -> None:
    police, mentor, orgs = world.users["police"], world.users["mentor"], world.orgs
    assert policy.may_refer_as(police, orgs["voluntary"].pk)
    assert policy.may_refer_as(police, orgs["police"].pk)
    assert policy.may_refer_as(mentor, orgs["voluntary"].pk)
    assert not policy.may_refer_as(mentor, orgs["police"].pk)
    assert list(policy.referring_organisations(mentor)) == [orgs["voluntary"]]
    assert set(policy.referring_organisations(police)) == {
        o for key, o in orgs.items() if key != "west_police"}


@time_machine.travel(TODAY, tick=False)
def test_an_attendee_signs_for_themselves_a_statutory_partner_records_paper(
        world: World) -> None:
    police, mentor = world.users["police"], world.users["mentor"]
    assert policy.may_record_signature(mentor, mentor.pk)
    assert not policy.may_record_signature(mentor, police.pk)
    assert policy.may_record_signature(police, mentor.pk)
    assert policy.may_record_signature(police, None)  # a guest signing on paper


@time_machine.travel(TODAY, tick=False)
def test_an_organisation_owns_an_action_only_about_a_person_it_sees(world: World) -> None:
    voluntary, police = world.orgs["voluntary"], world.orgs["police"]
    assert policy.organisation_sees_nominal(voluntary, world.consented)
    assert not policy.organisation_sees_nominal(voluntary, world.unconsented)
    assert not policy.organisation_sees_nominal(voluntary, world.person)
    assert policy.organisation_sees_nominal(police, world.person)
    assert not policy.organisation_sees_nominal(police, world.foreign)


@time_machine.travel(TODAY, tick=False)
def test_owners_and_statutory_partners_update_an_action(world: World) -> None:
    mentor, housing, orgs = world.users["mentor"], world.users["housing"], world.orgs
    assert policy.may_work_action(mentor, Owned(mentor.pk, None))
    assert policy.may_work_action(mentor, Owned(None, orgs["voluntary"].pk))
    assert not policy.may_work_action(mentor, Owned(housing.pk, None))
    assert not policy.may_work_action(mentor, Owned(None, orgs["police"].pk))
    assert policy.may_work_action(housing, Owned(mentor.pk, None))  # statutory partner


@time_machine.travel(TODAY, tick=False)
def test_only_a_deciding_agency_changes_a_case_team(world: World) -> None:
    deciding = (OrganisationKind.POLICE, OrganisationKind.PROBATION)
    users = world.users
    assert policy.is_statutory_case_worker_of(users["police"], deciding)
    assert policy.is_statutory_case_worker_of(users["probation"], deciding)
    assert not policy.is_statutory_case_worker_of(users["housing"], deciding)
    assert not policy.is_statutory_case_worker_of(users["mentor"], (OrganisationKind.VOLUNTARY,))
    assert not policy.is_statutory_case_worker_of(users["analyst"], deciding)
