"""The impact dashboard, the board pack page and its downloads: aggregates only.

Every page asks the one access policy first (``can_view_impact`` or
``can_view_board_pack``) and reads its own partnership only; nothing here
names or lists a person.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from iom.accounts.models import Partnership, User
from iom.governance import policy
from iom.governance.web import through_of

from . import charts
from .exports import pack_csv, pack_pdf, pack_xlsx, shown, table_rows
from .forms import ImpactFilterForm
from .pack import impact_pack, log_export, reporting_config
from .services import store_impact

View = Callable[..., HttpResponse]
FORMATS = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _allowed(check: Callable[[User], bool]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):  # type: ignore[arg-type]
                raise Http404
            return view(request, *args, **kwargs)
        return wrapped
    return decorate


def _partnership(request: HttpRequest) -> Partnership:
    user: User = request.user  # type: ignore[assignment]
    assert user.organisation is not None
    return user.organisation.partnership


def _form(request: HttpRequest, *, full: bool) -> ImpactFilterForm:
    return ImpactFilterForm(request.GET, partnership=_partnership(request),
                            today=timezone.localdate(), full=full)


def _page(request: HttpRequest, *, full: bool, template: str) -> HttpResponse:
    form = _form(request, full=full)
    context: dict[str, Any] = {"form": form, "full": full}
    if form.is_valid():
        pack = impact_pack(form.scope(), user=request.user,  # type: ignore[arg-type]
                           through=through_of(request))
        marker = reporting_config().suppressed_marker
        context.update(pack=pack, marker=marker, query=request.GET.urlencode(),
                       tables=[(t, table_rows(t, marker)) for t in pack.tables],
                       chart=charts.before_after_chart(pack.table("before_after"),
                                                       pack.table("before_after_partial"),
                                                       marker),
                       did=pack.table("did"), shown=shown,
                       recalculate=_hidden(form) if full else None)
    return render(request, template, context, status=200 if form.is_valid() else 400)


@require_GET
@_allowed(policy.can_view_impact)
def impact(request: HttpRequest) -> HttpResponse:
    return _page(request, full=True, template="reporting/impact.html")


@require_POST
@_allowed(policy.can_view_impact)
def recalculate(request: HttpRequest) -> HttpResponse:
    """Work the figures of the dashboard's choices out again now, then show them."""
    form = ImpactFilterForm(request.POST, partnership=_partnership(request),
                            today=timezone.localdate(), full=True)
    if not form.is_valid():
        return HttpResponse("The choices are not valid.", status=400,
                            content_type="text/plain; charset=utf-8")
    store_impact(scope=form.scope(), acting_user=request.user,  # type: ignore[arg-type]
                 through=through_of(request))
    return redirect(reverse("reporting:impact") + "?" + urlencode(_hidden(form)))


def _hidden(form: ImpactFilterForm) -> dict[str, str]:
    """The dashboard's choices, to post back or link to."""
    return {name: "" if value is None else str(value)
            for name, value in form.cleaned_data.items()}


@require_GET
@_allowed(policy.can_view_board_pack)
def board_pack(request: HttpRequest) -> HttpResponse:
    return _page(request, full=False, template="reporting/board_pack.html")


@require_GET
@_allowed(policy.can_view_board_pack)
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    form = _form(request, full=policy.can_view_impact(request.user))  # type: ignore[arg-type]
    if not form.is_valid():
        return HttpResponse("The period is not valid: " + "; ".join(
            f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items()), status=400,
            content_type="text/plain; charset=utf-8")
    scope = form.scope()
    through = through_of(request)
    pack = impact_pack(scope, user=request.user, through=through)  # type: ignore[arg-type]
    marker = reporting_config().suppressed_marker
    body = (pack_csv(pack) if fmt == "csv" else pack_pdf(pack, marker)
                         if fmt == "pdf" else pack_xlsx(pack, marker))
    log_export(scope, user=request.user, through=through, fmt=fmt)  # type: ignore[arg-type]
    response = HttpResponse(body, content_type=FORMATS[fmt])
    name = f"board-{scope.date_from:%Y%m%d}-{scope.date_to:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
