"""Personas and people shared by every test (STYLE.md rule 10), built with the
accounts and people factories (``iom/<app>/tests/factories.py``).

The Northshire partnership has statutory partners (police, probation, a
prison, the city council, youth justice) and non-statutory ones (a drug and
alcohol service, a housing association, a mentoring charity). Westmoor is a
second partnership, whose officer is the outsider.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from hypothesis import HealthCheck, settings

from iom.accounts.models import (
    ApiToken,
    District,
    Organisation,
    OrganisationKind,
    Partnership,
    Role,
    User,
)
from iom.accounts.tests.factories import (
    DistrictFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)
from iom.governance.models import Consent, ConsentStatus, Involvement
from iom.people import services
from iom.people.models import Nominal
from iom.people.tests.factories import NominalFactory

# Property tests prove rules, not speed (speed is measured in bench/): on a loaded
# machine an example may take longer than Hypothesis's default deadline, which is not a
# failure of the rule. Each test's own settings still choose its number of examples.
settings.register_profile("iom", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("iom")


@dataclass
class World:
    north: Partnership
    west: Partnership
    district: District
    orgs: dict[str, Organisation]
    users: dict[str, User]
    person: Nominal
    consented: Nominal
    unconsented: Nominal
    foreign: Nominal


def _org(partnership: Partnership, key: str, name: str) -> Organisation:
    return OrganisationFactory.create(partnership=partnership, name=name, kind=key)


def _user(username: str, org: Organisation | None, role: Role) -> User:
    return UserFactory.create(username=username, organisation=org, role=role)


def _person(partnership: Partnership, org: Organisation, forename: str, surname: str,
            pnc: str | None = None) -> Nominal:
    return NominalFactory.create(organisation=org, partnership=partnership, forename=forename,
                          surname=surname, pnc_id=pnc)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--today", metavar="YYYY-MM-DD", default=None,
        help="run every test as if today were this date (10:00 in London, the clock "
             "ticking); CI runs the suite under awkward dates to prove it date-proof")


def pytest_configure(config: pytest.Config) -> None:
    today = config.getoption("--today")
    if not today:
        return
    import time_machine

    moment = datetime.combine(date.fromisoformat(today), time(10, 0),
                              tzinfo=ZoneInfo("Europe/London"))
    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The test database as pytest-django makes it; on PostgreSQL, before it is dropped,
    end any session still connected to it (one was left idle by a live-server
    thread's last cohort read), which would otherwise make the drop fail with "being
    accessed by other users". With IOM_TEST_RUNTIME_ROLE set, the tests run as that
    non-owner role (iom/audit/testing.py)."""
    from django.db import connection

    from iom.audit.testing import stop_runtime_role, use_runtime_role

    with django_db_blocker.unblock():
        use_runtime_role()
    yield
    with django_db_blocker.unblock():
        stop_runtime_role()
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture(autouse=True)
def _access_log_stays_append_only(request: pytest.FixtureRequest, django_db_blocker: Any):
    """Keep the access log's database guard on for every test.

    Transactional tests end with a flush of every table, which the guard
    refuses: asking for ``transactional_db`` here makes this fixture's
    teardown (which lifts the guard) run before that flush, and every
    database test puts the guard back before it starts.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        yield
        return
    from iom.audit.testing import restore_append_only, suspend_append_only

    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        restore_append_only()
    transactional = bool(marker.kwargs.get("transaction"))
    if transactional:
        request.getfixturevalue("transactional_db")
    yield
    if transactional:
        suspend_append_only()


@pytest.fixture
def world(db: None, settings: object) -> World:
    settings.IOM_REQUIRE_2FA = False  # type: ignore[attr-defined]
    north = PartnershipFactory.create(name="Northshire")
    west = PartnershipFactory.create(name="Westmoor")
    district = DistrictFactory.create(partnership=north, name="Northshire City")
    orgs = {
        "police": _org(north, OrganisationKind.POLICE, "Northshire Police"),
        "probation": _org(north, OrganisationKind.PROBATION, "Northshire Probation"),
        "prison": _org(north, OrganisationKind.PRISON, "HMP Northshire"),
        "council": _org(north, OrganisationKind.COUNCIL, "Northshire City Council"),
        "youth_justice": _org(north, OrganisationKind.YOUTH_JUSTICE, "Northshire Youth Justice"),
        "drug_alcohol": _org(north, OrganisationKind.DRUG_ALCOHOL, "Northshire Recovery"),
        "housing": _org(north, OrganisationKind.HOUSING, "Northshire Homes"),
        "voluntary": _org(north, OrganisationKind.VOLUNTARY, "Northshire Mentors"),
        "west_police": _org(west, OrganisationKind.POLICE, "Westmoor Police"),
    }
    users = {
        "police": _user("police_om", orgs["police"], Role.OFFENDER_MANAGER),
        "probation": _user("probation_officer", orgs["probation"], Role.PROBATION_OFFICER),
        "housing": _user("housing_officer", orgs["council"], Role.HOUSING_OFFICER),
        "mentor": _user("mentor_vol", orgs["voluntary"], Role.PRACTITIONER),
        "analyst": _user("analyst_police", orgs["police"], Role.ANALYST),
        "dpo": _user("dpo_police", orgs["police"], Role.DATA_PROTECTION_OFFICER),
        "admin": _user("admin_iom", orgs["police"], Role.ADMIN),
        "outsider": _user("outsider_west", orgs["west_police"], Role.OFFENDER_MANAGER),
    }
    person = _person(north, orgs["police"], "Jonathan", "Smith", "2012/0012345A")
    consented = _person(north, orgs["police"], "Carl", "Mentored")
    unconsented = _person(north, orgs["police"], "Dean", "Unconsented")
    foreign = _person(west, orgs["west_police"], "Wes", "Elsewhere")
    for nominal in (consented, unconsented):
        Involvement.objects.create(nominal=nominal, organisation=orgs["voluntary"],
                                   start_date=date(2025, 1, 1))
    Consent.objects.create(nominal=consented, organisation=orgs["voluntary"],
                           status=ConsentStatus.GIVEN, decided_on=date(2025, 1, 2))
    services.allocate(nominal=person, user=users["police"], acting_user=None, through="test",
                      start=date(2025, 1, 1))
    return World(north, west, district, orgs, users, person, consented, unconsented, foreign)


@pytest.fixture
def token_for(world: World):
    """Issue an API token for a persona and return the Authorization header value.

    The persona's own token: a token acts only as the one who issued it or as
    a service account.
    """

    def issue(persona: str) -> str:
        key = ApiToken.new_key()
        user = world.users[persona]
        ApiToken.objects.create(user=user, issued_by=user, name="test",
                                key_hash=ApiToken.hash_key(key), prefix=key[:8])
        return f"Bearer {key}"

    return issue


def grant_intelligence(user: User) -> None:
    user.user_permissions.add(Permission.objects.get(codename="view_intelligence",
                                                     content_type__app_label="accounts"))
