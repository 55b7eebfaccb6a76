"""One JSON log line per request (logs.py says what a line may hold)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from iom.api.auth import TOKEN_ATTRIBUTE

request_logger = logging.getLogger("iom.requests")


class RequestLogMiddleware:
    """One line per request, once the response is ready: inside AccessContextMiddleware,
    so the line has the request's id and user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        # The user as the request ended: signed in by it, or an API token's (iom/api/auth.py).
        user = getattr(request, "user", None)
        token = getattr(request, TOKEN_ATTRIBUTE, None)
        request_logger.info(
            "%s %s", request.method, match.view_name if match else "-",
            extra={"user_id": user.pk if user is not None and user.is_authenticated else None,
                   "channel": "api" if token is not None else "web",
                   "token_id": token.pk if token is not None else None,
                   "method": request.method, "path": request.path,
                   "route": match.view_name if match else None,
                   "status": response.status_code,
                   "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
        return response
