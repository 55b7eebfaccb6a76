"""The administration pages: for administrators of the partnership only."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from iom.accounts.models import ApiToken, District, Organisation, Role, TwoFactorEnrolment, User
from iom.audit.models import AccessLogEntry

from .test_account_services import GOOD_PASSWORD, World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings) -> World:
    settings.IOM_REQUIRE_2FA = False
    return build_world()


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.admin)
    return client


def pages(world: World) -> list[str]:
    """Every page of the area, as GET requests."""
    user, org, district = world.officer.pk, world.charity.pk, world.district.pk
    token = ApiToken.objects.create(user=world.officer, name="Case system",
                                    key_hash="a" * 64, prefix="iom_abcd")
    return [
        reverse("admin_area:index"),
        reverse("admin_area:organisations"),
        reverse("admin_area:organisation-create"),
        reverse("admin_area:organisation-edit", args=[org]),
        reverse("admin_area:districts"),
        reverse("admin_area:district-create"),
        reverse("admin_area:district-rename", args=[district]),
        reverse("admin_area:users"),
        reverse("admin_area:users") + f"?organisation={org}&role=practitioner",
        reverse("admin_area:user-create"),
        reverse("admin_area:user-edit", args=[user]),
        reverse("admin_area:user-reset-two-factor", args=[user]),
        reverse("admin_area:user-tokens", args=[user]),
        reverse("admin_area:token-issue", args=[user]),
        # Not a page, but must refuse a GET all the same.
        reverse("admin_area:token-revoke", args=[user, token.pk]),
    ]


def test_every_page_opens_for_an_administrator(admin_client, world):
    for url in pages(world)[:-1]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        # The Content Security Policy forbids inline styles and scripts.
        assert b"style=" not in response.content, url
        assert b"<script>" not in response.content, url


@pytest.mark.parametrize("persona", ["officer", "practitioner"])
def test_every_page_is_not_found_for_anyone_else(client, world, persona):
    client.force_login(getattr(world, persona))
    for url in pages(world):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "Anything"}).status_code == 404, url


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    response = client.get(reverse("admin_area:users"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_another_partnerships_records_are_not_found(admin_client, world):
    other_token = ApiToken.objects.create(user=world.other_user, name="Theirs",
                                          key_hash="b" * 64, prefix="iom_efgh")
    for url in [
        reverse("admin_area:organisation-edit", args=[world.other_organisation.pk]),
        reverse("admin_area:district-rename", args=[world.other_district.pk]),
        reverse("admin_area:user-edit", args=[world.other_user.pk]),
        reverse("admin_area:user-tokens", args=[world.other_user.pk]),
        reverse("admin_area:user-reset-two-factor", args=[world.other_user.pk]),
    ]:
        assert admin_client.get(url).status_code == 404, url
    revoke = reverse("admin_area:token-revoke", args=[world.other_user.pk, other_token.pk])
    assert admin_client.post(revoke).status_code == 404
    mixed = reverse("admin_area:token-revoke", args=[world.officer.pk, other_token.pk])
    assert admin_client.post(mixed).status_code == 404
    assert ApiToken.objects.get(pk=other_token.pk).revoked_at is None


def test_organisation_list_shows_kind_statutory_and_users(admin_client, world):
    page = admin_client.get(reverse("admin_area:organisations")).content.decode()
    assert "Hope Trust" in page
    assert "Voluntary sector" in page
    assert "Southshire Police" not in page


def test_adding_an_organisation(admin_client, world):
    response = admin_client.post(reverse("admin_area:organisation-create"), {
        "name": "Riverside Housing", "kind": "housing", "is_statutory": "no"})
    assert response.status_code == 302
    made = Organisation.objects.get(name="Riverside Housing")
    assert (made.partnership, made.is_statutory) == (world.partnership, False)


def test_a_refused_organisation_shows_the_error_on_its_field(admin_client, world):
    response = admin_client.post(reverse("admin_area:organisation-create"), {
        "name": "Hope Trust", "kind": "voluntary", "is_statutory": "no"})
    assert response.status_code == 200
    assert "An organisation with this name already exists." in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()


def test_editing_an_organisation(admin_client, world):
    response = admin_client.post(
        reverse("admin_area:organisation-edit", args=[world.charity.pk]),
        {"name": "Hope Trust", "kind": "voluntary", "is_statutory": "no"})
    assert response.status_code == 302
    world.charity.refresh_from_db()
    assert world.charity.active is False  # an unticked box is "inactive"


def test_adding_and_renaming_a_district(admin_client, world):
    admin_client.post(reverse("admin_area:district-create"), {"name": "East"})
    east = District.objects.get(name="East", partnership=world.partnership)
    response = admin_client.post(reverse("admin_area:district-rename", args=[east.pk]),
                                 {"name": "East Coast"})
    assert response.status_code == 302
    east.refresh_from_db()
    assert east.name == "East Coast"


def test_users_list_filters_by_organisation_and_role(admin_client, world):
    url = reverse("admin_area:users")
    page = admin_client.get(url, {"organisation": world.charity.pk}).content.decode()
    assert "worker1" in page
    assert "officer1" not in page
    page = admin_client.get(url, {"role": Role.OFFENDER_MANAGER}).content.decode()
    assert "officer1" in page
    assert "worker1" not in page
    assert "away1" not in page


def test_adding_a_user(admin_client, world):
    response = admin_client.post(reverse("admin_area:user-create"), {
        "username": "newuser", "first_name": "Sam", "last_name": "Taylor",
        "email": "sam@example.org", "organisation": world.charity.pk, "district": "",
        "role": Role.PRACTITIONER, "password": GOOD_PASSWORD})
    assert response.status_code == 200
    made = User.objects.get(username="newuser")
    assert made.check_password(GOOD_PASSWORD)
    # The page shows, once and uncached, the code with which they set up two-factor.
    assert "no-store" in response["Cache-Control"]
    code = response.context["code"]
    assert code in response.content.decode()
    assert made.two_factor_enrolments.get().code_hash == TwoFactorEnrolment.hash_code(code)


def test_a_weak_password_is_shown_on_the_password_field(admin_client, world):
    response = admin_client.post(reverse("admin_area:user-create"), {
        "username": "newuser", "first_name": "Sam", "last_name": "Taylor",
        "email": "sam@example.org", "organisation": world.charity.pk,
        "role": Role.PRACTITIONER, "password": "short"})
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.filter(username="newuser").exists()


def test_editing_a_user_changes_role_and_intelligence_permission(admin_client, world):
    response = admin_client.post(
        reverse("admin_area:user-edit", args=[world.practitioner.pk]),
        {"organisation": world.charity.pk, "district": world.district.pk,
         "role": Role.HOUSING_OFFICER, "active": "on", "view_intelligence": "on"})
    assert response.status_code == 302
    changed = User.objects.get(pk=world.practitioner.pk)
    assert (changed.role, changed.district, changed.is_active) == (
        Role.HOUSING_OFFICER, world.district, True)
    assert changed.has_perm("accounts.view_intelligence")


def test_a_refused_user_edit_changes_nothing(admin_client, world):
    response = admin_client.post(
        reverse("admin_area:user-edit", args=[world.admin.pk]),
        {"organisation": world.police.pk, "role": Role.ANALYST, "active": "on",
         "view_intelligence": "on"})
    assert response.status_code == 200
    assert "You cannot remove your own administrator access." in response.content.decode()
    assert not User.objects.get(pk=world.admin.pk).has_perm("accounts.view_intelligence")


def test_reset_two_factor_asks_first_then_removes_devices(admin_client, world):
    TOTPDevice.objects.create(user=world.officer, name="Phone", confirmed=True)
    url = reverse("admin_area:user-reset-two-factor", args=[world.officer.pk])
    assert "Are you sure" in admin_client.get(url).content.decode()
    assert TOTPDevice.objects.filter(user=world.officer).exists()
    response = admin_client.post(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert not TOTPDevice.objects.filter(user=world.officer).exists()
    enrolment = world.officer.two_factor_enrolments.get()
    assert enrolment.is_usable
    assert enrolment.code_hash == TwoFactorEnrolment.hash_code(response.context["code"])


def test_issued_token_is_shown_once_stored_hashed_and_works_on_the_api(admin_client, client,
                                                                       world):
    url = reverse("admin_area:token-issue", args=[world.service.pk])
    response = admin_client.post(url, {"name": "Case system"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["key"]
    assert key in response.content.decode()
    assert "will not be shown again" in response.content.decode()
    stored = ApiToken.objects.get(user=world.service)
    assert stored.key_hash == ApiToken.hash_key(key)
    assert key not in {stored.key_hash, stored.prefix}
    listing = admin_client.get(reverse("admin_area:user-tokens", args=[world.service.pk]))
    assert key not in listing.content.decode()

    api = client.get("/api/people?q=x", HTTP_AUTHORIZATION="Bearer " + key)
    assert api.status_code == 200
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert entry is not None
    assert (entry.user_id, entry.token_id, entry.token_issued_by_id, entry.token_issued_by) \
        == (world.service.pk, stored.pk, world.admin.pk, "admin1")
    assert entry.token_name == f"Case system ({stored.prefix}...)"


def test_a_revoked_token_no_longer_works(admin_client, client, world):
    issued = admin_client.post(reverse("admin_area:token-issue", args=[world.service.pk]),
                               {"name": "Case system"})
    key = issued.context["key"]
    token = ApiToken.objects.get(user=world.service)
    response = admin_client.post(
        reverse("admin_area:token-revoke", args=[world.service.pk, token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = client.get("/api/people?q=x", HTTP_AUTHORIZATION="Bearer " + key)
    assert api.status_code == 401


def test_an_administrator_cannot_issue_a_token_for_a_case_worker(admin_client, world):
    """Finding 4: the administrator issued a token "for" the offender manager and
    read what only the officer may, logged under the officer's name alone."""
    listing = admin_client.get(reverse("admin_area:user-tokens", args=[world.officer.pk]))
    page = listing.content.decode()
    assert "is a person, not a service account" in page
    assert reverse("admin_area:token-issue", args=[world.officer.pk]) not in page
    response = admin_client.post(reverse("admin_area:token-issue", args=[world.officer.pk]),
                                 {"name": "Case system"})
    assert response.status_code == 200
    assert "key" not in response.context
    assert ("officer1 is a person, not a service account. An administrator cannot issue a "
            "token that acts as another person") in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not ApiToken.objects.filter(user=world.officer).exists()


def test_a_token_someone_else_gave_a_person_is_refused_by_the_api(client, world):
    key = ApiToken.new_key()
    ApiToken.objects.create(user=world.officer, issued_by=world.admin, name="Made before",
                            key_hash=ApiToken.hash_key(key), prefix=key[:8])
    assert client.get("/api/people?q=x", HTTP_AUTHORIZATION="Bearer " + key).status_code == 401


def test_a_token_list_says_who_issued_each_and_which_do_not_work(admin_client, world):
    ApiToken.objects.create(user=world.officer, issued_by=None, name="Old system",
                            key_hash="c" * 64, prefix="iom_old0")
    page = admin_client.get(reverse("admin_area:user-tokens",
                                    args=[world.officer.pk])).content.decode()
    assert "Not recorded" in page
    assert "Does not work: acts as a person" in page


def test_the_user_list_marks_service_accounts(admin_client, world):
    page = admin_client.get(reverse("admin_area:users")).content.decode()
    assert page.count("Service account</strong>") == 1  # case-system only


def test_an_unused_account_is_made_a_service_account_on_its_page(admin_client, world):
    url = reverse("admin_area:user-edit", args=[world.practitioner.pk])
    form = {"organisation": world.charity.pk, "district": "", "role": "practitioner",
            "active": "on", "service_account": "on"}
    assert admin_client.post(url, form).status_code == 302
    world.practitioner.refresh_from_db()
    assert world.practitioner.is_service_account
    issue = reverse("admin_area:token-issue", args=[world.practitioner.pk])
    assert "key" in admin_client.post(issue, {"name": "Referral system"}).context


def test_a_used_account_is_not_made_a_service_account(admin_client, world):
    TOTPDevice.objects.create(user=world.officer, name="Phone", confirmed=True)
    url = reverse("admin_area:user-edit", args=[world.officer.pk])
    form = {"organisation": world.police.pk, "district": world.district.pk,
            "role": "offender_manager", "active": "on", "view_intelligence": "on",
            "service_account": "on"}
    response = admin_client.post(url, form)
    assert response.status_code == 200
    assert "cannot become a service account" in response.content.decode()
    world.officer.refresh_from_db()
    # Both changes or neither: the permission is not left granted behind the refusal.
    assert not world.officer.is_service_account
    assert not world.officer.user_permissions.exists()


def test_changes_through_the_pages_are_logged_with_the_page(admin_client, world):
    admin_client.post(reverse("admin_area:district-create"), {"name": "East"})
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert entry is not None
    assert entry.user_id == world.admin.pk
    assert "admin_area:district-create" in entry.through
