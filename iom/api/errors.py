"""One JSON error shape for the whole API, every 4xx alike (docs/api.md, "Errors"):

    {"error": {"code": "...", "message": "...", "fields": [{"field": "...", "message": "..."}]}}

The handlers below turn every exception an operation can end with into it, and
``ERRORS`` declares it for every operation's 4xx in the OpenAPI document. What
Django answers before an operation runs (no such URL, a method the URL does not
take, a body too large) is put in the same shape by ``ApiErrorShapeMiddleware``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from iom.core.errors import DomainError, Forbidden, NotFound, ReasonRequired


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorCode(StrEnum):
    """The codes of the transport; a refusal by the domain carries its own code
    (``DomainError.code``: "invalid", "conflict", "meeting_state" and so on)."""

    MALFORMED = "malformed"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    REASON_REQUIRED = "reason_required"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    TOO_LARGE = "too_large"
    INVALID = "invalid"
    TOO_MANY = "too_many_requests"
    ERROR = "error"


class ErrorBody(Schema):
    code: str = Field(description="what went wrong, for programs: " + ", ".join(ErrorCode)
                      + ", or the domain's own code for a refusal")
    message: str = Field(description="what went wrong, for people")
    fields: list[FieldErrorOut] = Field(
        [], description="each field that is wrong (a body field, query parameter, path "
        "parameter or header) and why")


class ErrorOut(Schema):
    error: ErrorBody


# Every operation declares these with ``response={200: ..., **ERRORS}``.
ERROR_STATUSES = (400, 401, 403, 404, 405, 409, 413, 422, 429)
ERRORS: dict[int, type[Schema]] = dict.fromkeys(ERROR_STATUSES, ErrorOut)
STATUS_CODES = {400: ErrorCode.MALFORMED, 401: ErrorCode.UNAUTHENTICATED,
                403: ErrorCode.FORBIDDEN, 404: ErrorCode.NOT_FOUND,
                405: ErrorCode.METHOD_NOT_ALLOWED, 409: ErrorCode.CONFLICT,
                413: ErrorCode.TOO_LARGE, 422: ErrorCode.INVALID, 429: ErrorCode.TOO_MANY}
MESSAGES = {400: "The request cannot be read.", 401: "A valid API token is required.",
            403: "You cannot do this.", 404: "Not found.",
            405: "This URL does not take this method.", 409: "The record has changed.",
            413: "The request is too large.", 422: "The request is not valid.",
            429: "Too many requests."}


def body(status: int, code: str | None = None, message: str | None = None,
         fields: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code or STATUS_CODES.get(status, ErrorCode.ERROR),
                      "message": message or MESSAGES.get(status, "The request failed."),
                      "fields": fields or []}}


def error(api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str,
          fields: list[dict[str, str]] | None = None) -> HttpResponse:
    return api.create_response(request, body(status, code, message, fields), status=status)


def _location(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path", "header")]
    return ".".join(parts) or "body"


def _message(found: dict[str, Any]) -> str:
    # pydantic prefixes the message of a validator's ValueError; ours are sentences.
    return str(found.get("msg", "Not valid.")).removeprefix("Value error, ")


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = [{"field": _location(e.get("loc", [])), "message": _message(e)}
                  for e in exc.errors]
        return error(api, request, 422, ErrorCode.INVALID, MESSAGES[422], fields)

    @api.exception_handler(DomainError)
    def on_domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        fields = [{"field": p.field, "message": p.message} for p in exc.problems]
        # Someone else changed the record since the client read it: nothing was stored.
        status = 409 if exc.code == "conflict" else 422
        return error(api, request, status, exc.code, exc.message, fields)

    @api.exception_handler(NotFound)
    def on_not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
        return error(api, request, 404, ErrorCode.NOT_FOUND, MESSAGES[404])

    @api.exception_handler(Http404)
    def on_http_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error(api, request, 404, ErrorCode.NOT_FOUND, MESSAGES[404])

    @api.exception_handler(Forbidden)
    def on_forbidden(request: HttpRequest, exc: Forbidden) -> HttpResponse:
        return error(api, request, 403, ErrorCode.FORBIDDEN, str(exc) or MESSAGES[403])

    @api.exception_handler(ReasonRequired)
    def on_reason(request: HttpRequest, exc: ReasonRequired) -> HttpResponse:
        return error(api, request, 403, ErrorCode.REASON_REQUIRED,
                     "This person is not on your caseload: send the reason for viewing them "
                     "in the X-Access-Reason header (at least 10 characters).",
                     [{"field": "X-Access-Reason", "message": "Required."}])

    @api.exception_handler(AuthenticationError)
    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error(api, request, 401, ErrorCode.UNAUTHENTICATED, MESSAGES[401])

    @api.exception_handler(HttpError)
    def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        return error(api, request, status, STATUS_CODES.get(status, ErrorCode.ERROR),
                     str(exc) or MESSAGES.get(status, "The request failed."))


class ApiErrorShapeMiddleware:
    """Put any 4xx under /api/ that is not already JSON into the one error shape.

    Django answers some requests before an operation runs: a URL that matches no
    operation (404), a method the URL does not take (405), a body too large or
    unreadable (400). Their own bodies are HTML or empty.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or not 400 <= response.status_code < 500:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        shaped = HttpResponse(json.dumps(body(response.status_code)),
                              status=response.status_code, content_type="application/json")
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if response.has_header(header):
                shaped[header] = response[header]
        return shaped
