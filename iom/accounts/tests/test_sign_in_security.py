"""Two-factor sign-in, lock-out, idle sessions, CSP and deployment checks."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db
PASSWORD = "Not-used-in-tests-4821"


def _sign_in(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_two_factor_is_set_up_at_first_sign_in_then_required(client, world, settings):
    settings.IOM_REQUIRE_2FA = True
    assert _sign_in(client, "police_om").status_code == 302
    # Signed in with a password only: every page sends the user to two-factor.
    response = client.get(f"/people/{world.person.pk}/")
    assert response.status_code == 302 and response["Location"].endswith("/two-factor/")
    page = client.get("/accounts/two-factor/")
    assert b"Set up two-factor sign-in" in page.content
    device = TOTPDevice.objects.get(user=world.users["police"])
    wrong = client.post("/accounts/two-factor/", {"token": "000000"})
    assert b"wrong or has expired" in wrong.content
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait; skip the wait
    assert client.post("/accounts/two-factor/", {"token": _code(device)}).status_code == 302
    assert client.get(f"/people/{world.person.pk}/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


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
