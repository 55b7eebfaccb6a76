"""Two-factor sign-in, lock-out, idle sessions, CSP and deployment checks."""

import os
import secrets
import subprocess
import sys
from io import StringIO
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from iom.accounts.models import TwoFactorEnrolment
from iom.accounts.services import issue_enrolment_code

pytestmark = pytest.mark.django_db
PASSWORD = "Not-used-in-tests-4821"


def _sign_in(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _enrolment_code(user) -> str:
    return issue_enrolment_code(acting_user=None, through="test", user=user)[1]


def test_two_factor_is_set_up_at_first_sign_in_then_required(client, world, settings):
    settings.IOM_REQUIRE_2FA = True
    code = _enrolment_code(world.users["police"])
    assert _sign_in(client, "police_om").status_code == 302
    # Signed in with a password only: every page sends the user to two-factor.
    response = client.get(f"/people/{world.person.pk}/")
    assert response.status_code == 302 and response["Location"].endswith("/two-factor/")
    asked = client.get("/accounts/two-factor/")
    assert b"Set-up code" in asked.content and b"iom-qr" not in asked.content
    assert client.post("/accounts/two-factor/", {"code": code.lower()}).status_code == 302
    page = client.get("/accounts/two-factor/")
    assert b"Set up two-factor sign-in" in page.content and b"iom-qr" in page.content
    device = TOTPDevice.objects.get(user=world.users["police"])
    wrong = client.post("/accounts/two-factor/", {"token": "000000"})
    assert b"wrong or has expired" in wrong.content
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait; skip the wait
    assert client.post("/accounts/two-factor/", {"token": _code(device)}).status_code == 302
    assert client.get(f"/people/{world.person.pk}/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert TwoFactorEnrolment.objects.get(user=world.users["police"]).used_at is not None


def test_a_password_alone_cannot_set_up_an_authenticator(client, world, settings):
    settings.IOM_REQUIRE_2FA = True
    _sign_in(client, "police_om")
    page = client.get("/accounts/two-factor/")
    assert b"iom-qr" not in page.content and b"Key:" not in page.content
    assert not TOTPDevice.objects.filter(user=world.users["police"]).exists()
    refused = client.post("/accounts/two-factor/", {"code": "ABCD-EFGH-JKLM"})
    assert b"wrong, already used or has expired" in refused.content
    assert client.post("/accounts/two-factor/", {"token": "123456"}).status_code == 200
    assert not TOTPDevice.objects.filter(user=world.users["police"]).exists()
    assert client.get(f"/people/{world.person.pk}/").status_code == 302


def test_a_set_up_code_works_once_and_only_until_it_expires(client, world, settings):
    settings.IOM_REQUIRE_2FA = True
    police = world.users["police"]
    with time_machine.travel("2026-12-01 09:00Z", tick=False):
        stale = _enrolment_code(police)
    with time_machine.travel("2026-12-05 09:00Z", tick=False):  # 96 hours on: expired
        _sign_in(client, "police_om")
        refused = client.post("/accounts/two-factor/", {"code": stale})
        assert b"wrong, already used or has expired" in refused.content
        first = _enrolment_code(police)
        second = _enrolment_code(police)  # a new code stops the earlier one working
        assert b"wrong, already used" in client.post("/accounts/two-factor/",
                                                     {"code": first}).content
        assert client.post("/accounts/two-factor/", {"code": second}).status_code == 302
        assert b"iom-qr" in client.get("/accounts/two-factor/").content
        device = TOTPDevice.objects.get(user=police, confirmed=False)
        assert client.post("/accounts/two-factor/", {"token": _code(device)}).status_code == 302
    assert TwoFactorEnrolment.objects.filter(user=police, used_at__isnull=True).count() == 0


def test_the_first_administrator_gets_a_code_from_the_command(world):
    out = StringIO()
    call_command("two_factor_enrolment", "admin_iom", stdout=out)
    code = out.getvalue().split(": ")[1].split(" ")[0]
    enrolment = TwoFactorEnrolment.objects.get(user=world.users["admin"])
    assert enrolment.code_hash == TwoFactorEnrolment.hash_code(code) and enrolment.is_usable


def test_repeated_failed_sign_ins_lock_the_account(client, world):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "police_om", "wrong-password")
    response = _sign_in(client, "police_om")
    assert response.status_code in (403, 429)
    assert b"locked" in response.content


def test_pages_carry_a_strict_content_security_policy(client, world):
    client.force_login(world.users["police"])
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert b"<script>" not in response.content and b"style=" not in response.content


def test_sessions_expire_when_idle():
    assert django_settings.SESSION_SAVE_EVERY_REQUEST
    assert django_settings.SESSION_COOKIE_AGE <= 60 * 60


def _run_settings(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**os.environ, **env}, capture_output=True, text=True, check=False,
        cwd=django_settings.BASE_DIR,
    )


def test_production_settings_pass_deploy_checks():
    result = _run_settings({"IOM_ENV": "production", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                            "IOM_ACCESS_LOG_KEY": secrets.token_urlsafe(32),
                            "DJANGO_ALLOWED_HOSTS": "iom.example.org"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_two_factor_off():
    result = _run_settings({"IOM_ENV": "production", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                            "IOM_REQUIRE_2FA": "false"})
    assert result.returncode != 0
    assert "IOM_REQUIRE_2FA cannot be false" in result.stderr


def test_lock_out_is_per_username_so_one_address_does_not_lock_out_everyone(client, world):
    proxy = {"REMOTE_ADDR": "10.0.0.1"}  # every user behind one reverse proxy
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "police_om", "password": "wrong"}, **proxy)
    other = client.post("/accounts/login/", {"username": "probation_officer",
                                             "password": PASSWORD}, **proxy)
    assert other.status_code == 302
    client.logout()
    elsewhere = client.post("/accounts/login/", {"username": "police_om", "password": PASSWORD},
                            REMOTE_ADDR="192.0.2.7")
    assert elsewhere.status_code in (403, 429)  # the account stays locked from anywhere


@pytest.mark.parametrize("next_url", [
    "https://elsewhere.example/", "//elsewhere.example/", "/\\elsewhere.example/",
    "/accounts/two-factor/?next=https://elsewhere.example/",
    "/accounts/two-factor/?next=/accounts/two-factor/%3Fnext%3Dhttps://elsewhere.example/",
])
def test_no_next_leads_off_the_site_at_any_step(client, world, settings, next_url):
    settings.IOM_REQUIRE_2FA = True
    signed_in = client.post(f"/accounts/login/?next={quote(next_url)}",
                            {"username": "police_om", "password": PASSWORD})
    assert "elsewhere" not in signed_in["Location"]
    device = TOTPDevice.objects.create(user=world.users["police"], name="app", confirmed=True)
    verified = client.post(f"/accounts/two-factor/?next={quote(next_url)}",
                           {"token": _code(device)})
    assert verified.status_code == 302
    assert "elsewhere" not in verified["Location"]


def test_a_next_on_the_site_is_still_followed_after_two_factor(client, world, settings):
    settings.IOM_REQUIRE_2FA = True
    _sign_in(client, "police_om")
    device = TOTPDevice.objects.create(user=world.users["police"], name="app", confirmed=True)
    verified = client.post("/accounts/two-factor/?next=/people/", {"token": _code(device)})
    assert verified["Location"] == "/people/"
