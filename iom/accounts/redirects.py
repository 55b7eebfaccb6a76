"""Where a ``next`` may send a user: only to this site, at every step of signing in.

A ``next`` can carry another ``next`` (the sign-in page's ``next`` is the two-factor
page, whose own ``next`` is where the user was going), so each one nested inside is
checked too: ``/accounts/two-factor/?next=https://elsewhere`` is on this site, but
following it would leave it.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

MOST_NESTED = 5  # deeper than any link we make; anything deeper is refused


def stays_on_site(request: HttpRequest, url: str, depth: int = 0) -> bool:
    """True if the URL, and every ``next`` inside it, leads to a page of this site."""
    if depth > MOST_NESTED or not url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return False
    inner = parse_qs(urlsplit(url).query).get("next", [])
    return all(stays_on_site(request, value, depth + 1) for value in inner)


def safe_next(request: HttpRequest, default: str) -> str:
    """The ``next`` the request asks for if it stays on this site, else ``default``."""
    asked = request.POST.get("next") or request.GET.get("next") or ""
    return asked if asked and stays_on_site(request, asked) else resolve_url(default)
