"""Who is acting, and through what, for the request or command now running.

The edge sets this once: the web middleware (``iom.accounts.middleware``), the
API's token check (``iom.api.auth``) and the management command base
(``iom.core.management.logged``). ``iom.audit.services.record_access`` writes
it into every access-log entry, so that an entry made through an API token
names the token and who issued it, whatever the code in between passed on.

It holds plain values (ids and names, never model instances) so that every
app may read it, ``core`` included.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace

from django.http import HttpRequest

# The request's id kept on the request itself too, for the lines Django's own
# ``django.request`` logger writes after the context has ended (a 404 or a 500):
# iom.operations.logs reads it back from the record's request.
REQUEST_ATTRIBUTE = "iom_request_id"


def new_request_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class AccessContext:
    """One request's or command's facts for the access log.

    through: the channel, e.g. "GET /people/12/ (people:detail)",
        "API GET /api/people/12 (read_profile)" or "command nightly_scores".
    reason: the reason the caller stated for the request (the API's
        X-Access-Reason header); web pages keep their reasons per person.
    token_*: the API token the request came with, and who issued it.
    """

    channel: str  # "web", "api" or "command"
    through: str
    request_id: str = field(default_factory=new_request_id)
    user_id: int | None = None
    reason: str | None = None
    token_id: int | None = None
    token_name: str | None = None
    token_issued_by_id: int | None = None
    token_issued_by: str | None = None


_current: ContextVar[AccessContext | None] = ContextVar("iom_access_context", default=None)


def current() -> AccessContext | None:
    return _current.get()


@contextmanager
def acting(context: AccessContext) -> Iterator[AccessContext]:
    """Run the block with this context; the one before comes back afterwards."""
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def set_through(through: str) -> None:
    """Name the channel once it is known (the web's URL is resolved after the
    middleware starts the context)."""
    context = _current.get()
    if context is not None:
        _current.set(replace(context, through=through))


def web_through(request: HttpRequest) -> str:
    """A page's name for the log: method, path and the view's URL name."""
    match = request.resolver_match
    name = match.view_name if match else "?"
    return f"{request.method} {request.path} ({name})"


def through_of(request: HttpRequest) -> str:
    """Which page, endpoint or command an access came through, for the log.

    The context's through when the edge set one; a request handled without
    the middleware (a view called directly in a test) is named from itself.
    """
    context = _current.get()
    if context is not None and context.through:
        return context.through
    return web_through(request)


REASON_HEADER = "X-Access-Reason"


def stated_reason(request: HttpRequest) -> str | None:
    """The reason the caller gave for this request: the X-Access-Reason header.

    The only place the header is read: the API edge reads it here once, into
    the call's context, and every operation reads it back from there.
    """
    context = _current.get()
    if context is not None and context.channel == "api":
        return context.reason
    return request.headers.get(REASON_HEADER)
