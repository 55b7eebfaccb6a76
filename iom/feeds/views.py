"""Pages: upload a feed file, follow its run, read the problems; the alerts inbox."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from iom.accounts.models import User
from iom.audit.services import RecordRef
from iom.core.errors import DomainError, NotFound
from iom.governance import policy
from iom.governance.corrections import corrections_reported_in
from iom.governance.web import casework_only, log_read, through_of

from . import selectors, services, uploads
from .forms import AcknowledgeForm, UploadForm
from .models import RunStatus
from .retention import keep_until
from .worker import worker_alive

PEOPLE_PER_PAGE = 25
STEPS = [RunStatus.QUEUED, RunStatus.CHECKING, RunStatus.WRITING, RunStatus.DONE]


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _coordinator(request: HttpRequest) -> User:
    user = _user(request)
    if not policy.can_import_feeds(user):
        raise NotFound
    return user


@casework_only
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    user = _coordinator(request)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        try:
            run = uploads.receive_upload(upload=form.cleaned_data["file"],
                                          full_snapshot=form.cleaned_data["full_snapshot"],
                                          acting_user=user, through=through_of(request))
        except DomainError as refused:
            form.add_domain_error(refused)
        else:
            return redirect("feeds:run", run_id=run.pk)
    return render(request, "feeds/upload.html", {"form": form})


@casework_only
@require_GET
def runs(request: HttpRequest) -> HttpResponse:
    user = _coordinator(request)
    services.end_stalled_runs()
    page = Paginator(selectors.runs_visible_to(user), 25).get_page(request.GET.get("page"))
    return render(request, "feeds/runs.html", {"page": page})


@casework_only
@require_GET
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    user = _coordinator(request)
    services.end_stalled_runs()
    run = selectors.access_run(user, run_id)
    context: dict[str, Any] = {
        "run": run, "problems": run.problems.all()[:100], "alerts": selectors.alerts_by_kind(run),
        "steps": _steps(run.status), "refresh": not run.is_finished,
        "keep_until": keep_until(run),
        "no_worker": run.status == RunStatus.QUEUED and not worker_alive(),
        "corrections": corrections_reported_in(run.pk),
    }
    return render(request, "feeds/run.html", context)


def _steps(status: str) -> list[dict[str, Any]]:
    if status in (RunStatus.REJECTED, RunStatus.FAILED):
        return []
    reached = STEPS.index(RunStatus(status)) if status in STEPS else len(STEPS) - 1
    return [{"label": step.label, "done": i < reached or status == RunStatus.DONE,
             "current": i == reached and status != RunStatus.DONE}
            for i, step in enumerate(STEPS)]


@casework_only
@require_GET
def problems_csv(request: HttpRequest, run_id: int) -> HttpResponse:
    user = _coordinator(request)
    run = selectors.access_run(user, run_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="run-{run.pk}-problems.csv"'
    writer = csv.writer(response)
    writer.writerow(["row", "column", "reason"])
    writer.writerows(run.problems.values_list("row_number", "column", "reason"))
    log_read(user=user, nominal=None, through=through_of(request),
             records=[RecordRef("import_run", run.pk)], reason="Feed problems report")
    return response


@casework_only
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's alerts grouped by person, a page of people at a time, with the totals
    over every page (the header's badge counts the same unread alerts)."""
    user = _user(request)
    show = "all" if request.GET.get("show") == "all" else "open"
    alerts = selectors.inbox_alerts(user, everything=show == "all")
    page = Paginator(selectors.inbox_people(alerts), PEOPLE_PER_PAGE).get_page(
        request.GET.get("page"))
    people = [row["nominal_id"] for row in page]
    grouped: dict[int, list[Any]] = {pk: [] for pk in people}
    for alert in alerts.filter(nominal_id__in=people):
        grouped[alert.nominal_id].append(alert)
    for nominal_id in people:
        log_read(user=user, nominal=None, through=through_of(request), reason="Alerts inbox",
                 records=[RecordRef("nominal", nominal_id)])
    rows = [{"nominal": found[0].nominal, "alerts": found, **row}
            for row in page if (found := grouped[row["nominal_id"]])]
    return render(request, "feeds/inbox.html", {
        "page": page, "rows": rows, "show": show,
        "counts": selectors.inbox_counts(alerts)})


@casework_only
@require_http_methods(["GET", "POST"])
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    user = _user(request)
    alert = selectors.access_alert(user, alert_id)
    form = AcknowledgeForm(request.POST) if request.method == "POST" else AcknowledgeForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.acknowledge_alert(alert=alert, note=form.cleaned_data["note"],
                                       acting_user=user, through=through_of(request))
        except DomainError as exc:
            form.add_error("note", exc.message)
        else:
            messages.success(request, "Alert acknowledged")
            return redirect("feeds:inbox")
    services.mark_read(alert=alert)
    log_read(user=user, nominal=alert.nominal, through=through_of(request),
             records=[RecordRef("feed_alert", alert.pk)], reason="Alert from a feed import")
    return render(request, "feeds/alert.html", {"alert": alert, "form": form})

