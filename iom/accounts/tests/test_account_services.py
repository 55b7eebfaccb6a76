"""The account services: each change is checked whole, logged, and kept to the
administrator's own partnership."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from iom.accounts import services
from iom.accounts.models import (
    ApiToken,
    District,
    Organisation,
    OrganisationKind,
    Partnership,
    Role,
    User,
)
from iom.audit.models import AccessLogEntry
from iom.core.errors import DomainError, Forbidden, NotFound

pytestmark = pytest.mark.django_db

THROUGH = "test"
GOOD_PASSWORD = "amber-kettle-harbour-91"


@dataclass
class World:
    partnership: Partnership
    district: District
    police: Organisation
    charity: Organisation
    admin: User
    officer: User
    practitioner: User
    other_district: District
    other_organisation: Organisation
    other_user: User
    service: User


def build_world() -> World:
    """Two partnerships, so that every refusal across the boundary can be tried."""
    home = Partnership.objects.create(name="Northshire")
    away = Partnership.objects.create(name="Southshire")
    district = District.objects.create(partnership=home, name="North district")
    police = Organisation.objects.create(partnership=home, name="Northshire Police",
                                         kind=OrganisationKind.POLICE, is_statutory=True)
    charity = Organisation.objects.create(partnership=home, name="Hope Trust",
                                          kind=OrganisationKind.VOLUNTARY, is_statutory=False)
    away_org = Organisation.objects.create(partnership=away, name="Southshire Police",
                                           kind=OrganisationKind.POLICE, is_statutory=True)
    return World(
        partnership=home, district=district, police=police, charity=charity,
        admin=User.objects.create(username="admin1", organisation=police, role=Role.ADMIN),
        officer=User.objects.create(username="officer1", organisation=police,
                                    district=district, role=Role.OFFENDER_MANAGER),
        practitioner=User.objects.create(username="worker1", organisation=charity,
                                         role=Role.PRACTITIONER),
        other_district=District.objects.create(partnership=away, name="South district"),
        other_organisation=away_org,
        other_user=User.objects.create(username="away1", organisation=away_org,
                                       role=Role.OFFENDER_MANAGER),
        service=User.objects.create(username="case-system", organisation=police,
                                    role=Role.OFFENDER_MANAGER, is_service_account=True),
    )


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def last_log() -> AccessLogEntry:
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert entry is not None
    return entry


def new_user(world: World, **overrides: object) -> User:
    fields: dict[str, object] = {
        "username": "newuser", "first_name": "Sam", "last_name": "Taylor",
        "email": "sam.taylor@example.org", "organisation": world.charity, "district": None,
        "role": Role.PRACTITIONER, "password": GOOD_PASSWORD,
    }
    fields.update(overrides)
    return services.create_user(acting_user=world.admin, through=THROUGH, **fields)  # type: ignore[arg-type]


# --- Organisations ---------------------------------------------------------------------------


def test_create_organisation_stores_it_in_the_admins_partnership_and_logs(world):
    made = services.create_organisation(acting_user=world.admin, through=THROUGH,
                                        name="  Riverside Housing ", kind="housing",
                                        is_statutory=False)
    assert made.partnership == world.partnership
    assert (made.name, made.active, made.is_statutory) == ("Riverside Housing", True, False)
    entry = last_log()
    assert (entry.action, entry.user_id, entry.through) == ("create", world.admin.pk, THROUGH)
    assert entry.records == [{"kind": "organisation", "id": made.pk}]
    assert entry.detail["new"]["kind"] == "housing"


@pytest.mark.parametrize(("name", "kind", "field"), [
    ("", "police", "name"),
    ("hope trust", "voluntary", "name"),
    ("New body", "not-a-kind", "kind"),
])
def test_create_organisation_refuses_bad_input_and_stores_nothing(world, name, kind, field):
    count, logs = Organisation.objects.count(), AccessLogEntry.objects.count()
    with pytest.raises(DomainError) as caught:
        services.create_organisation(acting_user=world.admin, through=THROUGH, name=name,
                                     kind=kind, is_statutory=True)
    assert caught.value.problems[0].field == field
    assert (Organisation.objects.count(), AccessLogEntry.objects.count()) == (count, logs)


def test_update_organisation_logs_old_and_new_values(world):
    services.update_organisation(acting_user=world.admin, through=THROUGH,
                                 organisation=world.charity, name="Hope Trust",
                                 kind="voluntary", is_statutory=False, active=False)
    world.charity.refresh_from_db()
    assert world.charity.active is False
    assert last_log().detail == {"old": {"active": True}, "new": {"active": False}}


def test_update_organisation_of_another_partnership_is_not_found(world):
    with pytest.raises(NotFound):
        services.update_organisation(acting_user=world.admin, through=THROUGH,
                                     organisation=world.other_organisation, name="Taken",
                                     kind="police", is_statutory=True, active=True)
    world.other_organisation.refresh_from_db()
    assert world.other_organisation.name == "Southshire Police"


def test_only_an_administrator_can_call_the_services(world):
    with pytest.raises(Forbidden):
        services.create_district(acting_user=world.officer, through=THROUGH, name="East")
    assert not District.objects.filter(name="East").exists()


# --- Districts -----------------------------------------------------------------------------


def test_create_and_rename_district(world):
    made = services.create_district(acting_user=world.admin, through=THROUGH, name="East")
    assert made.partnership == world.partnership
    services.rename_district(acting_user=world.admin, through=THROUGH, district=made,
                             name="East and Coast")
    made.refresh_from_db()
    assert made.name == "East and Coast"
    assert last_log().detail == {"old": {"name": "East"}, "new": {"name": "East and Coast"}}


def test_rename_district_refuses_a_name_in_use(world):
    made = services.create_district(acting_user=world.admin, through=THROUGH, name="East")
    with pytest.raises(DomainError) as caught:
        services.rename_district(acting_user=world.admin, through=THROUGH, district=made,
                                 name="north DISTRICT")
    assert caught.value.problems[0].field == "name"


def test_rename_district_of_another_partnership_is_not_found(world):
    with pytest.raises(NotFound):
        services.rename_district(acting_user=world.admin, through=THROUGH,
                                 district=world.other_district, name="Mine now")


# --- Users ---------------------------------------------------------------------------------


def test_create_user_stores_a_hashed_password_and_logs_without_it(world):
    made = new_user(world, district=world.district)
    assert made.check_password(GOOD_PASSWORD)
    assert GOOD_PASSWORD not in made.password
    entry = last_log()
    assert entry.action == "create"
    assert entry.records == [{"kind": "user", "id": made.pk}]
    assert entry.detail["new"]["username"] == "newuser"
    assert GOOD_PASSWORD not in str(entry.detail)


@pytest.mark.parametrize(("overrides", "field"), [
    ({"password": "short"}, "password"),
    ({"password": "password1234"}, "password"),
    ({"username": "OFFICER1"}, "username"),
    ({"username": "has space"}, "username"),
    ({"email": "not-an-email"}, "email"),
    ({"first_name": " "}, "first_name"),
    ({"role": "emperor"}, "role"),
])
def test_create_user_refuses_bad_input_and_stores_nothing(world, overrides, field):
    count, logs = User.objects.count(), AccessLogEntry.objects.count()
    with pytest.raises(DomainError) as caught:
        new_user(world, **overrides)
    assert caught.value.problems[0].field == field
    assert (User.objects.count(), AccessLogEntry.objects.count()) == (count, logs)


def test_create_user_refuses_a_district_of_another_partnership(world):
    with pytest.raises(DomainError) as caught:
        new_user(world, district=world.other_district)
    assert caught.value.problems[0].field == "district"
    assert not User.objects.filter(username="newuser").exists()


def test_create_user_in_another_partnerships_organisation_is_not_found(world):
    with pytest.raises(NotFound):
        new_user(world, organisation=world.other_organisation)
    assert not User.objects.filter(username="newuser").exists()


def test_create_user_refuses_an_inactive_organisation(world):
    Organisation.objects.filter(pk=world.charity.pk).update(active=False)
    world.charity.refresh_from_db()
    with pytest.raises(DomainError) as caught:
        new_user(world)
    assert caught.value.problems[0].field == "organisation"


def test_update_user_changes_role_and_placement_and_logs_the_difference(world):
    services.update_user(acting_user=world.admin, through=THROUGH, user=world.practitioner,
                         role=Role.HOUSING_OFFICER, organisation=world.charity,
                         district=world.district, active=False)
    world.practitioner.refresh_from_db()
    assert (world.practitioner.role, world.practitioner.district, world.practitioner.is_active) \
        == (Role.HOUSING_OFFICER, world.district, False)
    assert last_log().detail == {
        "old": {"role": "practitioner", "district_id": None, "is_active": True},
        "new": {"role": "housing_officer", "district_id": world.district.pk, "is_active": False},
    }


def test_update_user_of_another_partnership_is_not_found(world):
    with pytest.raises(NotFound):
        services.update_user(acting_user=world.admin, through=THROUGH, user=world.other_user,
                             role=Role.ADMIN, organisation=world.police, district=None,
                             active=True)
    world.other_user.refresh_from_db()
    assert world.other_user.role == Role.OFFENDER_MANAGER


def test_update_user_refuses_a_district_of_another_partnership(world):
    with pytest.raises(DomainError) as caught:
        services.update_user(acting_user=world.admin, through=THROUGH, user=world.officer,
                             role=Role.OFFENDER_MANAGER, organisation=world.police,
                             district=world.other_district, active=True)
    assert caught.value.problems[0].field == "district"
    world.officer.refresh_from_db()
    assert world.officer.district == world.district


def test_an_admin_cannot_remove_their_own_admin_access(world):
    with pytest.raises(DomainError) as caught:
        services.update_user(acting_user=world.admin, through=THROUGH, user=world.admin,
                             role=Role.ANALYST, organisation=world.police, district=None,
                             active=True)
    assert caught.value.problems[0].field == "role"


def test_set_intelligence_permission_grants_and_removes_the_named_permission(world):
    services.set_intelligence_permission(acting_user=world.admin, through=THROUGH,
                                         user=world.practitioner, granted=True)
    assert User.objects.get(pk=world.practitioner.pk).has_perm("accounts.view_intelligence")
    assert last_log().detail == {"old": {"view_intelligence": False},
                                 "new": {"view_intelligence": True}}
    services.set_intelligence_permission(acting_user=world.admin, through=THROUGH,
                                         user=world.practitioner, granted=False)
    assert not User.objects.get(pk=world.practitioner.pk).has_perm("accounts.view_intelligence")


def test_set_intelligence_permission_for_another_partnership_is_not_found(world):
    with pytest.raises(NotFound):
        services.set_intelligence_permission(acting_user=world.admin, through=THROUGH,
                                             user=world.other_user, granted=True)
    assert not world.other_user.user_permissions.exists()


def test_reset_two_factor_removes_the_users_devices(world):
    TOTPDevice.objects.create(user=world.officer, name="Phone", confirmed=True)
    removed = services.reset_two_factor(acting_user=world.admin, through=THROUGH,
                                        user=world.officer)
    assert removed == 1
    assert not TOTPDevice.objects.filter(user=world.officer).exists()
    assert last_log().detail == {"two_factor_reset": True, "devices_removed": 1}


def test_reset_two_factor_for_another_partnership_is_not_found(world):
    TOTPDevice.objects.create(user=world.other_user, name="Phone", confirmed=True)
    with pytest.raises(NotFound):
        services.reset_two_factor(acting_user=world.admin, through=THROUGH,
                                  user=world.other_user)
    assert TOTPDevice.objects.filter(user=world.other_user).exists()


# --- API tokens ----------------------------------------------------------------------------


def test_issue_api_token_stores_only_the_hash(world):
    token, key = services.issue_api_token(acting_user=world.admin, through=THROUGH,
                                          user=world.service, name="Case system")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == ApiToken.hash_key(key)
    assert key not in {stored.key_hash, stored.prefix, stored.name}
    assert key.startswith(stored.prefix)
    assert key not in str(last_log().detail)


def test_issue_api_token_refuses_a_missing_name(world):
    with pytest.raises(DomainError) as caught:
        services.issue_api_token(acting_user=world.admin, through=THROUGH, user=world.service,
                                 name="  ")
    assert caught.value.problems[0].field == "name"
    assert not ApiToken.objects.exists()


def test_issue_api_token_for_another_partnership_is_not_found(world):
    with pytest.raises(NotFound):
        services.issue_api_token(acting_user=world.admin, through=THROUGH,
                                 user=world.other_user, name="Mine")
    assert not ApiToken.objects.exists()


def test_revoke_api_token_marks_it_revoked_and_logs(world):
    token, _ = services.issue_api_token(acting_user=world.admin, through=THROUGH,
                                        user=world.service, name="Case system")
    services.revoke_api_token(acting_user=world.admin, through=THROUGH, token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    entry = last_log()
    assert (entry.action, entry.records) == ("update", [{"kind": "api_token", "id": token.pk}])


def test_an_administrator_cannot_issue_a_token_acting_as_a_person(world):
    """Finding 4: a token "for" the offender manager would let the administrator
    read what only the offender manager may, logged under the officer's name."""
    logs = AccessLogEntry.objects.count()
    with pytest.raises(DomainError) as caught:
        services.issue_api_token(acting_user=world.admin, through=THROUGH,
                                 user=world.officer, name="Case system")
    assert caught.value.code == "not_a_service_account"
    assert caught.value.message.startswith("officer1 is a person, not a service account.")
    assert not ApiToken.objects.exists()
    assert AccessLogEntry.objects.count() == logs


def test_a_token_names_who_issued_it(world):
    token, _ = services.issue_api_token(acting_user=world.admin, through=THROUGH,
                                        user=world.service, name="Case system")
    assert ApiToken.objects.get(pk=token.pk).issued_by == world.admin
    assert last_log().detail["new"]["issued_by_id"] == world.admin.pk
    assert token.acts_lawfully


def test_an_administrator_may_issue_their_own_token(world):
    token, _ = services.issue_api_token(acting_user=world.admin, through=THROUGH,
                                        user=world.admin, name="My scripts")
    assert (token.user, token.issued_by, token.acts_lawfully) == (world.admin, world.admin, True)


def test_a_token_for_a_person_from_someone_else_does_not_act(world):
    """Tokens made before the rule (issuer unknown) or around it act for nobody."""
    for issuer in (None, world.admin):
        token = ApiToken.objects.create(user=world.officer, issued_by=issuer, name="Old",
                                        key_hash=f"{issuer and issuer.pk}".ljust(64, "x"),
                                        prefix="iom_old0")
        assert not token.acts_lawfully
    own = ApiToken.objects.create(user=world.officer, issued_by=world.officer, name="Mine",
                                  key_hash="m" * 64, prefix="iom_mine")
    assert own.acts_lawfully


def test_an_unused_account_becomes_a_service_account_without_a_password(world):
    world.practitioner.set_password(GOOD_PASSWORD)
    world.practitioner.save()
    services.set_service_account(acting_user=world.admin, through=THROUGH,
                                 user=world.practitioner, service_account=True)
    world.practitioner.refresh_from_db()
    assert world.practitioner.is_service_account
    assert not world.practitioner.has_usable_password()
    assert last_log().detail == {"old": {"is_service_account": False},
                                 "new": {"is_service_account": True}}


@pytest.mark.parametrize("used", ["signed_in", "two_factor", "self"])
def test_a_persons_account_cannot_become_a_service_account(world, used):
    user = world.admin if used == "self" else world.officer
    if used == "signed_in":
        User.objects.filter(pk=user.pk).update(last_login=timezone.now())
        user.refresh_from_db()
    if used == "two_factor":
        TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    with pytest.raises(DomainError) as caught:
        services.set_service_account(acting_user=world.admin, through=THROUGH, user=user,
                                     service_account=True)
    assert caught.value.problems[0].field == "service_account"
    user.refresh_from_db()
    assert not user.is_service_account


def test_revoke_api_token_of_another_partnership_is_not_found(world):
    token = ApiToken.objects.create(user=world.other_user, name="Theirs", key_hash="x" * 64,
                                    prefix="iom_abcd")
    with pytest.raises(NotFound):
        services.revoke_api_token(acting_user=world.admin, through=THROUGH, token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_saving_without_changes_writes_no_log_entry(world):
    logs = AccessLogEntry.objects.count()
    services.update_user(acting_user=world.admin, through=THROUGH, user=world.officer,
                         role=Role.OFFENDER_MANAGER, organisation=world.police,
                         district=world.district, active=True)
    services.set_intelligence_permission(acting_user=world.admin, through=THROUGH,
                                         user=world.officer, granted=False)
    assert AccessLogEntry.objects.count() == logs
