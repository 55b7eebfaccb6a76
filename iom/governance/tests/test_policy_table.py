"""The one access policy as a table: personas x record kinds x consent states x involvement.

Each row says what the policy must answer (iom/governance/policy.py, its rules
1 to 6), so a change to any rule shows here as a changed row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import time_machine

from conftest import World, grant_intelligence
from iom.accounts.models import Role, User
from iom.core.errors import Forbidden, NotFound
from iom.governance import policy
from iom.governance.models import Consent, ConsentBasis, ConsentStatus, GivenBy, Involvement
from iom.people.models import Nominal

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 15)


@dataclass(frozen=True)
class Sees:
    person: bool
    intelligence: bool
    protection: bool
    statutory: bool  # a statutory case worker: creates people, records consent, runs meetings


# persona (organisation key, role) -> what they see of a person of their partnership
PERSONAS: dict[str, tuple[str, Role, Sees]] = {
    "police offender manager": ("police", Role.OFFENDER_MANAGER, Sees(True, True, True, True)),
    "probation officer": ("probation", Role.PROBATION_OFFICER, Sees(True, False, True, True)),
    "prison offender manager": ("prison", Role.OFFENDER_MANAGER, Sees(True, False, False, True)),
    "council housing officer": ("council", Role.HOUSING_OFFICER, Sees(True, False, False, True)),
    "youth justice officer": ("youth_justice", Role.PRACTITIONER,
                              Sees(True, False, False, True)),
    "IOM coordinator": ("police", Role.COORDINATOR, Sees(True, True, True, True)),
    "police analyst": ("police", Role.ANALYST, Sees(False, False, False, False)),
    "data-protection officer": ("police", Role.DATA_PROTECTION_OFFICER,
                                Sees(False, False, False, False)),
    "administrator": ("police", Role.ADMIN, Sees(False, False, False, False)),
    # police of another partnership: police sight, but none of this partnership's people
    "outsider": ("west_police", Role.OFFENDER_MANAGER, Sees(False, True, True, True)),
}


def _user(world: World, name: str, org: str, role: Role) -> User:
    return User.objects.create_user(username="table_" + name.replace(" ", "_"),
                                    password="x-Unused-4821",
                                    organisation=world.orgs[org], role=role)


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_statutory_and_other_roles(world: World, persona: str) -> None:
    org, role, sees = PERSONAS[persona]
    user = _user(world, persona, org, role)
    person = world.person
    visible = policy.nominals_visible_to(user).filter(pk=person.pk).exists()
    assert visible is sees.person
    if sees.person:
        assert policy.access_nominal(user, person.pk) == person
    else:
        with pytest.raises(NotFound):
            policy.access_nominal(user, person.pk)
    sight = policy.sight_of(user)
    assert (sight.intelligence, sight.public_protection) == (sees.intelligence, sees.protection)
    assert policy.intelligence_visible_to(user, person).query is not None
    assert policy.is_statutory_case_worker(user) is (sees.statutory and role not in {
        Role.ANALYST, Role.DATA_PROTECTION_OFFICER, Role.ADMIN})
    assert policy.nominals_visible_to(user).filter(pk=world.foreign.pk).exists() is (
        persona == "outsider")


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("kind", [*sorted(policy.RECORD_KINDS_FOR_STATUTORY_WRITE),
                                  "intelligence", "protection"])
@pytest.mark.parametrize("persona", ["police offender manager", "probation officer",
                                     "council housing officer", "mentor"])
def test_who_writes_each_record_kind(world: World, persona: str, kind: str) -> None:
    if persona == "mentor":
        user, person = world.users["mentor"], world.consented
        allowed = False
    else:
        org, role, sees = PERSONAS[persona]
        user, person = _user(world, persona, org, role), world.person
        allowed = {"intelligence": sees.intelligence, "protection": sees.protection}.get(
            kind, True)
    assert policy.may_write_kind(user, kind) is allowed  # the profile's add links
    if allowed:
        assert policy.access_nominal_for_change(user, person.pk, kind) == person
    else:
        with pytest.raises(Forbidden):
            policy.access_nominal_for_change(user, person.pk, kind)


def test_the_named_permission_gives_intelligence_sight(world: World) -> None:
    probation = world.users["probation"]
    assert not policy.sight_of(probation).intelligence
    grant_intelligence(probation)
    probation = User.objects.get(pk=probation.pk)  # permissions are cached per object
    assert policy.sight_of(probation).intelligence


# A non-statutory partner: consent states x involvement --------------------------------

CONSENTS = {
    "none": None,
    "given": {"status": ConsentStatus.GIVEN},
    "given under a contract": {"status": ConsentStatus.GIVEN, "basis": ConsentBasis.CONTRACT},
    "refused": {"status": ConsentStatus.REFUSED},
    "withdrawn after given": "withdrawn",
    "expired": {"status": ConsentStatus.GIVEN, "expires_on": TODAY - timedelta(days=1)},
    "expires today": {"status": ConsentStatus.GIVEN, "expires_on": TODAY},
    "given for a youth by a guardian": {"status": ConsentStatus.GIVEN,
                                            "given_by": GivenBy.PARENT_OR_GUARDIAN,
                                            "guardian_name": "A Guardian"},
    "decided in the future": "future",
}
CURRENT = {"given", "given under a contract", "expires today", "given for a youth by a guardian"}
INVOLVEMENT = {"current": (date(2026, 1, 1), None), "ended": (date(2025, 1, 1),
                                                              date(2026, 1, 1)),
               "not yet": (date(2026, 7, 1), None), "none": None}


def _consent(world: World, person: Nominal, state: str) -> None:
    org = world.orgs["drug_alcohol"]
    spec = CONSENTS[state]
    if spec is None:
        return
    if spec == "withdrawn":
        Consent.objects.create(nominal=person, organisation=org, status=ConsentStatus.GIVEN,
                               decided_on=date(2026, 1, 2))
        spec = {"status": ConsentStatus.WITHDRAWN}
    decided = date(2026, 12, 1) if spec == "future" else date(2026, 2, 1)
    if spec == "future":
        spec = {"status": ConsentStatus.GIVEN}
    Consent.objects.create(nominal=person, organisation=org, decided_on=decided,
                           **spec)  # type: ignore[arg-type]


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("involvement", list(INVOLVEMENT))
@pytest.mark.parametrize("consent", list(CONSENTS))
def test_a_partner_sees_a_person_only_while_involved_and_with_current_consent(
        world: World, consent: str, involvement: str) -> None:
    user = _user(world, "recovery worker", "drug_alcohol", Role.PRACTITIONER)
    person = world.unconsented  # involved with the mentors only
    span = INVOLVEMENT[involvement]
    if span is not None:
        Involvement.objects.create(nominal=person, organisation=world.orgs["drug_alcohol"],
                                   start_date=span[0], end_date=span[1])
    _consent(world, person, consent)
    expected = consent in CURRENT and involvement == "current"
    assert policy.nominals_visible_to(user).filter(pk=person.pk).exists() is expected
    assert policy.has_current_consent(person, world.orgs["drug_alcohol"]) is (
        consent in CURRENT)
    assert not policy.is_statutory_case_worker(user)
    sight = policy.sight_of(user)
    assert not sight.intelligence and not sight.public_protection
