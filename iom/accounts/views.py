from __future__ import annotations

from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .forms import EnrolmentCodeForm, SignInForm, TokenForm
from .models import TwoFactorEnrolment, User
from .redirects import safe_next, stays_on_site


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_redirect_url(self, request: HttpRequest | None = None) -> str:
        """Django checks the ``next`` itself; a ``next`` nested inside it is checked too.

        (``request`` is only in the type stubs; Django passes none and uses its own.)
        """
        url = super().get_redirect_url()
        return url if url and stays_on_site(self.request, url) else ""


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


ENROLMENT_KEY = "iom_two_factor_enrolment"  # the session's accepted set-up code


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Check the user's authenticator app, or set one up.

    With two-factor sign-in required, setting one up takes the one-time code an
    administrator gave the user (``TwoFactorEnrolment``), asked before any key is
    shown: a password alone never enrols an authenticator.
    """
    user: User = request.user  # type: ignore[assignment]
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed is not None:
        return _check(request, confirmed)
    enrolment = _accepted_enrolment(request, user)
    if settings.IOM_REQUIRE_2FA and enrolment is None:
        return _ask_for_enrolment_code(request, user)
    return _set_up(request, user, enrolment)


def _check(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(safe_next(request, "home"))
        form.add_error("token", "The security code is wrong or has expired")
    return render(request, "accounts/two_factor.html", {"form": form})


def _accepted_enrolment(request: HttpRequest, user: User) -> TwoFactorEnrolment | None:
    accepted = request.session.get(ENROLMENT_KEY)
    if accepted is None:
        return None
    found = TwoFactorEnrolment.objects.filter(pk=int(accepted), user=user).first()
    return found if found is not None and found.is_usable else None


def _ask_for_enrolment_code(request: HttpRequest, user: User) -> HttpResponse:
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enrolment = services.enrolment_for_code(user=user, code=form.cleaned_data["code"])
        if enrolment is not None:
            # A fresh key from here on: any key shown before the code was given is void.
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            request.session[ENROLMENT_KEY] = enrolment.pk
            return redirect(request.get_full_path())
        form.add_error("code", "The set-up code is wrong, already used or has expired. "
                               "Ask your administrator for a new one.")
    return render(request, "accounts/two_factor.html", {"form": form, "asking_code": True})


def _set_up(request: HttpRequest, user: User,
            enrolment: TwoFactorEnrolment | None) -> HttpResponse:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            _confirm(request, device, enrolment)
            messages.success(request, "Two-factor sign-in is set up.")
            otp_login(request, device)
            return redirect(safe_next(request, "home"))
        form.add_error("token", "The security code is wrong or has expired")
    return render(request, "accounts/two_factor.html", {
        "form": form, "setting_up": True, "secret": device.bin_key.hex(),
        "qr": mark_safe(_qr_svg(device.config_url))})  # noqa: S308 - our own SVG


@transaction.atomic
def _confirm(request: HttpRequest, device: TOTPDevice,
             enrolment: TwoFactorEnrolment | None) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    if enrolment is not None:
        enrolment.used_at = timezone.now()
        enrolment.save(update_fields=["used_at"])
    request.session.pop(ENROLMENT_KEY, None)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html")


def locked_out(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return render(request, "accounts/locked_out.html", status=429)
