"""Bearer-token authentication for API clients, and each call's access context.

A token acts as its user, and only as a service account or as the person who
issued it to themselves: nobody can act through a token as somebody else.
Every access-log entry made during the call names the token and its issuer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from iom.accounts.models import ApiToken, User
from iom.core import context

TOKEN_ATTRIBUTE = "iom_api_token"  # noqa: S105 - an attribute name, not a secret


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = (
            ApiToken.objects.select_related("user__organisation__partnership", "issued_by")
            .filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True)
            .first()
        )
        if found is None or not found.user.is_active or not found.acts_lawfully:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        setattr(request, TOKEN_ATTRIBUTE, found)
        return found.user


def acting_user(request: HttpRequest) -> User:
    user: Any = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def api_context(request: HttpRequest, operation: str) -> context.AccessContext:
    """The access context of one API call: the operation, the token and the
    reason stated in the X-Access-Reason header."""
    token: ApiToken | None = getattr(request, TOKEN_ATTRIBUTE, None)
    started = context.current()
    issuer = token.issued_by if token is not None else None
    return context.AccessContext(
        channel="api",
        through=f"API {request.method} {request.path} ({operation})",
        request_id=started.request_id if started else context.new_request_id(),
        user_id=token.user_id if token is not None else None,
        reason=context.stated_reason(request),
        token_id=token.pk if token is not None else None,
        token_name=str(token) if token is not None else None,
        token_issued_by_id=issuer.pk if issuer is not None else None,
        token_issued_by=issuer.get_username() if issuer is not None else None,
    )


Operation = Callable[..., Any]


def in_access_context(operation: Operation) -> Operation:
    """Run an API operation, once its token is checked, in its access context.

    Installed on the whole API (``api.add_decorator`` in iom/api/urls.py), so
    that every operation has it without saying so.
    """

    @wraps(operation)
    def run(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        with context.acting(api_context(request, operation.__name__)):
            return operation(request, *args, **kwargs)

    return run
