"""The DPO's pages for subject access requests (DPA 2018 s45): the list, a request,
what is held and the pack's download."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from iom.accounts.models import User
from iom.audit.models import Action
from iom.audit.services import RecordRef
from iom.core.dates import GovukDateField
from iom.core.errors import DomainError, NotFound
from iom.people.forms import GovukFormMixin

from . import policy, subject_access
from .models import RequestState, SubjectAccessRequest
from .sar_pdf import KIND_TITLES, details
from .sar_pdf import render as render_pdf
from .views import _dpo
from .web import log_read, through_of

SAR_REASON = "Subject access request (DPA 2018 s45)"


class OpenRequestForm(GovukFormMixin, forms.Form):
    submit_label = "Open the request"
    person = forms.IntegerField(widget=forms.HiddenInput)
    received_on = GovukDateField(label="Date the request was received")
    note = forms.CharField(required=False, max_length=300, label="Note (how it was made)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


@require_http_methods(["GET", "POST"])
def subject_access_list(request: HttpRequest) -> HttpResponse:
    user = _dpo(request)
    people = policy.nominals_for_audit(user)
    form = OpenRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        nominal = people.filter(pk=form.cleaned_data["person"]).first()
        if nominal is None:
            raise Http404
        try:
            found = subject_access.open_request(
                nominal=nominal, received_on=form.cleaned_data["received_on"],
                note=form.cleaned_data["note"], acting_user=user, through=through_of(request))
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return redirect("governance:subject-access", pk=found.pk)
    requests = list(SubjectAccessRequest.objects.filter(nominal__in=people).select_related(
        "nominal")[:200])
    query = request.GET.get("q", "").strip()
    hits: list[Any] = []
    if query:
        from iom.people import selectors

        hits = selectors.search_people(people, query)
        log_read(user=user, nominal=None, through=through_of(request), action=Action.SEARCH,
                 records=[RecordRef("nominal", h.nominal.pk) for h in hits],
                 reason=SAR_REASON, detail={"query": query})
    today = timezone.localdate()
    log_read(user=user, nominal=None, through=through_of(request), reason=SAR_REASON,
             records=[RecordRef("subject_access", r.pk) for r in requests])
    return render(request, "governance/subject_access_list.html", {
        "requests": requests, "form": form, "hits": hits, "query": query, "today": today})


def _request_for(user: User, pk: int) -> SubjectAccessRequest:
    try:
        return policy.access_subject_access_request(user, pk)
    except NotFound as exc:
        raise Http404 from exc


def _held_rows(found: SubjectAccessRequest, user: User) -> list[dict[str, Any]]:
    """The records for the review: everything held, for the DPO while the request is
    open (policy rule 8); nothing once it is answered (the sight has ended)."""
    if found.state != RequestState.OPEN:
        return []
    records = subject_access.held_records(
        found.nominal, sight=policy.subject_access_sight(user, found.nominal))
    withheld = {(w.kind, w.record_id): w for w in found.withholdings.all()}
    return [{"record": r, "withheld": withheld.get(r.key), "summary": details(r),
             "suggest": r.kind in subject_access.REVIEW_SUGGESTED,
             "label": KIND_TITLES.get(r.kind, r.kind.replace("_", " ").capitalize()),
             "recorded_on": date.fromisoformat(r.recorded_at[:10]) if r.recorded_at else None}
            for r in records]


@require_http_methods(["GET", "POST"])
def subject_access_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _dpo(request)
    found = _request_for(user, pk)
    if request.method == "POST":
        kind, record_id = request.POST.get("kind", ""), request.POST.get("record_id", "")
        action = request.POST.get("do")
        try:
            if action == "release":
                subject_access.release(request=found, kind=kind, record_id=record_id,
                                       acting_user=user, through=through_of(request))
            elif action == "answered":
                subject_access.mark_answered(found, acting_user=user,
                                             through=through_of(request))
            else:
                subject_access.withhold(
                    request=found, kind=kind, record_id=record_id,
                    reason=request.POST.get("reason", ""),
                    may_say_withheld=request.POST.get("say") != "no", acting_user=user,
                    through=through_of(request))
        except DomainError as error:
            messages.error(request, str(error.problems[0].message if error.problems
                                        else error.message))
        else:
            messages.success(request, "The request is marked as answered."
                             if action == "answered" else "Saved.")
        return redirect("governance:subject-access", pk=found.pk)
    rows = _held_rows(found, user)
    log_read(user=user, nominal=found.nominal, through=through_of(request),
             reason=policy.SUBJECT_ACCESS_SIGHT if rows else SAR_REASON,
             records=[RecordRef("subject_access", found.pk), *(
                 RecordRef("nominal" if r["record"].kind == "person" else r["record"].kind,
                           r["record"].id) for r in rows)])
    return render(request, "governance/subject_access.html", {
        "sar": found, "rows": rows, "today": timezone.localdate(),
        "withheld_count": found.withholdings.count()})


PACK_TYPES = {"pdf": "application/pdf", "json": "application/json", "zip": "application/zip"}


def pack(found: SubjectAccessRequest, user: User, fmt: str, through: str) -> bytes:
    """The pack in one format for the DPO on an open request, its disclosure logged."""
    if found.state != RequestState.OPEN:
        raise DomainError("This request has been answered: open a new request to send "
                          "the person another copy.")
    export = subject_access.build_export(
        found.nominal, found, sight=policy.subject_access_sight(user, found.nominal))
    content = (render_pdf(export) if fmt == "pdf" else subject_access.export_json(export)
               if fmt == "json" else subject_access.export_zip(export))
    subject_access.log_disclosure(export, nominal=found.nominal, acting_user=user,
                                  through=through, fmt=fmt)
    return content


def subject_access_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    user = _dpo(request)
    found = _request_for(user, pk)
    if fmt not in PACK_TYPES:
        raise Http404
    try:
        content = pack(found, user, fmt, through_of(request))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("governance:subject-access", pk=found.pk)
    response = HttpResponse(content, content_type=PACK_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="subject-access-{found.pk}.{fmt}"'
    return response
