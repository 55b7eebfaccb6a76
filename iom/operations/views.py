"""``/healthz``: liveness for anyone, the full report for a signed-in administrator.

Anyone (a load balancer, a monitoring probe) gets ``{"status": "ok"}`` with 200 while the
process answers and its database does, and 503 when the database does not. A signed-in
administrator (two-factor verified where two-factor sign-in is on) gets every check of
iom/operations/health.py, with 503 when any fails. Neither says anything about a person.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from iom.governance import policy

from . import health


def _sees_detail(request: HttpRequest) -> bool:
    user = request.user
    if not policy.can_administer(user):  # type: ignore[arg-type]
        return False
    return not settings.IOM_REQUIRE_2FA or bool(user.is_verified())  # type: ignore[union-attr]


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    if _sees_detail(request):
        report = health.full_report()
        return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
    alive = health.liveness()
    return JsonResponse({"status": "ok" if alive.ok else "unavailable"},
                        status=200 if alive.ok else 503)
