"""One JSON error shape for the whole API:

    {"error": {"code": "...", "message": "...", "fields": [{"field": "...", "message": "..."}]}}
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from iom.core.errors import DomainError, Forbidden, NotFound, ReasonRequired


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorBody(Schema):
    code: str
    message: str
    fields: list[FieldErrorOut] = []


class ErrorOut(Schema):
    error: ErrorBody


def error(api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str,
          fields: list[dict[str, str]] | None = None) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "fields": fields or []}}
    return api.create_response(request, body, status=status)


def _location(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "body"


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = [{"field": _location(e.get("loc", [])), "message": str(e.get("msg"))}
                  for e in exc.errors]
        return error(api, request, 422, "invalid", "The request is not valid.", fields)

    @api.exception_handler(DomainError)
    def on_domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        fields = [{"field": p.field, "message": p.message} for p in exc.problems]
        # Someone else changed the record since the client read it: nothing was stored.
        status = 409 if exc.code == "conflict" else 422
        return error(api, request, status, exc.code, exc.message, fields)

    @api.exception_handler(NotFound)
    def on_not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
        return error(api, request, 404, "not_found", "Not found.")

    @api.exception_handler(Forbidden)
    def on_forbidden(request: HttpRequest, exc: Forbidden) -> HttpResponse:
        return error(api, request, 403, "forbidden", str(exc) or "You cannot do this.")

    @api.exception_handler(ReasonRequired)
    def on_reason(request: HttpRequest, exc: ReasonRequired) -> HttpResponse:
        return error(api, request, 403, "reason_required",
                     "This person is not on your caseload: send the reason for viewing them "
                     "in the X-Access-Reason header (at least 10 characters).",
                     [{"field": "X-Access-Reason", "message": "Required."}])

    @api.exception_handler(AuthenticationError)
    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error(api, request, 401, "unauthenticated", "A valid API token is required.")

    @api.exception_handler(HttpError)
    def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error(api, request, exc.status_code, "error", str(exc))
