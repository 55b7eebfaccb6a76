"""Nothing is public by default: every page needs a signed-in, verified user."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

OPEN_PREFIXES = ("/assets/", "/api/", "/accounts/login/", "/favicon.ico")
UNVERIFIED_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/")


class RequireSignInMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': path})}")
        verified = user.is_verified()  # type: ignore[attr-defined]
        if settings.IOM_REQUIRE_2FA and not verified and not path.startswith(UNVERIFIED_PREFIXES):
            return redirect("accounts:two-factor")
        return self.get_response(request)
