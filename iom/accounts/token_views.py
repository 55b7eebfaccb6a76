"""A person's own API tokens: issued by themselves, acting as themselves.

The way for a case worker's scripts or tools to use the API: every use is
logged under their name, naming the token and themselves as its issuer.
Other systems use a service account's token, from the administration area.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from iom.core.errors import DomainError, Forbidden, NotFound
from iom.governance.web import through_of

from . import services
from .admin_forms import ApiTokenForm
from .models import User


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def own_tokens(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/own_tokens.html",
                  {"tokens": services.own_api_tokens(_user(request))})


@never_cache
@require_http_methods(["GET", "POST"])
def own_token_issue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = services.issue_own_api_token(acting_user=user,
                                                      through=through_of(request),
                                                      name=form.cleaned_data["name"])
        except Forbidden as exc:
            raise Http404 from exc
        except DomainError as error:
            form.add_domain_error(error)
        else:
            # Shown on this response only, and the page is not cached.
            return render(request, "accounts/own_token_issued.html",
                          {"token": token, "key": key})
    return render(request, "admin_area/form.html", {
        "form": form, "title": "Issue yourself an API token",
        "back": reverse("accounts:own-tokens"),
        "intro": "The token lets your own scripts or tools use the API as you, with exactly "
                 "what you may see and do. Every use is recorded under your name, naming "
                 "the token. Keep it as safe as your password.",
    })


@require_POST
def own_token_revoke(request: HttpRequest, token_pk: int) -> HttpResponse:
    user = _user(request)
    try:
        token = services.access_own_api_token(user, token_pk)
        services.revoke_own_api_token(acting_user=user, through=through_of(request),
                                      token=token)
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, f'Revoked the token "{token.name}". It no longer works.')
    return redirect("accounts:own-tokens")
