"""Nothing is public by default: every page needs a signed-in, verified user."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from iom.core import context

# /healthz answers liveness to anyone and its detail to administrators only
# (iom/operations/views.py).
OPEN_PREFIXES = ("/assets/", "/api/", "/accounts/login/", "/favicon.ico", "/healthz")
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


class AccessContextMiddleware:
    """Start each request's access context (iom.core.context): a request id and
    the signed-in user, and the page's name once its URL is resolved.

    API requests get theirs from the token check (iom.api.auth), which runs
    inside this one and names the token.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        started = context.AccessContext(channel="web", through="", user_id=user_id)
        setattr(request, context.REQUEST_ATTRIBUTE, started.request_id)
        with context.acting(started):
            return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable[..., HttpResponse],
                     args: Any, kwargs: Any) -> None:
        context.set_through(context.web_through(request))
