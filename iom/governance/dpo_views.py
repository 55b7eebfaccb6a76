"""Pages for information governance: the DPO's start page, legal bases, the sharing
register and corrections, and for case workers their notices and the correction of a
record their organisation supplied. Subject access, retention review and breaches have
pages of their own (``sar_views``, ``retention_views``, ``breach_views``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from iom.accounts.models import Organisation, User
from iom.audit.models import AccessLogEntry
from iom.audit.services import RecordRef
from iom.core.errors import DomainError, NotFound
from iom.people.forms import RECORD_FIELDS, GovukFormMixin, record_form_class

from . import breaches, corrections, notices, policy, services
from .models import (
    Breach,
    CorrectionAction,
    LegalBasis,
    Notice,
    RecordCorrection,
    SharingBasis,
    SubjectAccessRequest,
)
from .views import AUDIT_REASON, _dpo
from .web import casework_only, log_read, person_for_view, through_of

# Legal basis per organisation (ISA s4) ----------------------------------------------


class BasisForm(GovukFormMixin, forms.Form):
    submit_label = "Save the legal basis"
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(),
                                          label="Organisation")
    basis = forms.ChoiceField(choices=LegalBasis.choices, widget=forms.RadioSelect,
                              label="Legal basis for sharing")
    legislation = forms.CharField(required=False, max_length=300,
                                  label="Act and section relied on")
    purposes = forms.CharField(required=False, max_length=300, label="Purposes (ISA s6)")

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.setup_helper()


@require_http_methods(["GET", "POST"])
def legal_bases(request: HttpRequest) -> HttpResponse:
    user = _dpo(request)
    organisations = policy.partner_organisations(user).order_by("name")
    form = BasisForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_sharing_basis(
                organisation=data["organisation"], basis=data["basis"],
                legislation=data["legislation"], purposes=data["purposes"], acting_user=user,
                through=through_of(request))
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Saved.")
            return redirect("governance:legal-bases")
    bases = {b.organisation_id: b for b in SharingBasis.objects.filter(
        organisation__in=organisations)}
    rows = [{"organisation": o, "basis": bases.get(o.pk)} for o in organisations]
    return render(request, "governance/legal_bases.html", {"rows": rows, "form": form})


# The sharing register per person ------------------------------------------------------


def sharing_register_rows(nominal: Any, today: date) -> list[dict[str, Any]]:
    """Per organisation: its basis, involvement, consent today and what it has read."""
    organisations = list(Organisation.objects.filter(partnership_id=nominal.partnership_id,
                                                     active=True).order_by("name"))
    bases = {b.organisation_id: b for b in SharingBasis.objects.filter(
        organisation__in=organisations)}
    read: dict[str, dict[str, Any]] = defaultdict(lambda: {"kinds": set(), "count": 0,
                                                           "last": None})
    for org_name, records, at in AccessLogEntry.objects.filter(nominal_id=nominal.pk).exclude(
            organisation="").values_list("organisation", "records", "at").iterator():
        slot = read[org_name]
        slot["count"] += 1
        slot["kinds"].update(str(r.get("kind")) for r in records)
        slot["last"] = max(slot["last"], at) if slot["last"] else at
    rows = []
    for org in organisations:
        involvement = nominal.involvements.filter(organisation=org).first()
        consent = policy.consent_decision(nominal, org, today)
        seen = read.get(org.name, {"kinds": set(), "count": 0, "last": None})
        rows.append({
            "organisation": org, "basis": bases.get(org.pk), "involvement": involvement,
            "consent": consent,
            "consent_current": policy.is_current_consent(consent, today),
            "sees": policy.nominals_visible_to_organisation(org).filter(pk=nominal.pk).exists(),
            "kinds": sorted(seen["kinds"]), "count": seen["count"], "last": seen["last"]})
    return rows


def sharing_register(request: HttpRequest, pk: int) -> HttpResponse:
    user = _dpo(request)
    try:
        nominal = policy.access_nominal_for_audit(user, pk)
    except NotFound as exc:
        raise Http404 from exc
    rows = sharing_register_rows(nominal, timezone.localdate())
    log_read(user=user, nominal=nominal, through=through_of(request), reason=AUDIT_REASON,
             records=[RecordRef("consent", r["consent"].pk) for r in rows if r["consent"]])
    return render(request, "governance/register.html", {"nominal": nominal, "rows": rows})


# Corrections: the DPO's view of the notices ---------------------------------------------


def correction_notices(request: HttpRequest) -> HttpResponse:
    user = _dpo(request)
    assert user.organisation is not None
    today = timezone.localdate()
    found = list(Notice.objects.filter(
        correction__isnull=False,
        nominal__partnership_id=user.organisation.partnership_id).select_related(
        "correction", "recipient", "nominal").order_by("respond_by", "id")[:500])
    rows: list[dict[str, Any]] = [{"notice": n, "status": corrections.notice_status(n, today)}
                                  for n in found]
    counts = {s: sum(1 for r in rows if r["status"] == s)
              for s in ("outstanding", "overdue", "acknowledged")}
    show = request.GET.get("show", "")
    if show in counts:
        rows = [r for r in rows if r["status"] == show]
    recent = list(RecordCorrection.objects.filter(
        nominal__partnership_id=user.organisation.partnership_id).select_related(
        "organisation", "nominal").prefetch_related("citations")[:50])
    log_read(user=user, nominal=None, through=through_of(request), reason=AUDIT_REASON,
             records=[RecordRef("notice", r["notice"].pk) for r in rows])
    return render(request, "governance/correction_notices.html", {
        "rows": rows, "counts": counts, "show": show, "corrections": recent})


# A user's own notices -----------------------------------------------------------------


@casework_only
def my_notices(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    found = list(notices.notices_for(user)[:200])
    log_read(user=user, nominal=None, through=through_of(request), reason="Notices inbox",
             records=[RecordRef("notice", n.pk) for n in found])
    return render(request, "governance/notices.html", {
        "notices": [(n, notices.words_for(n, user)) for n in found]})


@casework_only
@require_POST
def acknowledge_notice(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    found = notices.notices_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    notices.acknowledge(notice=found, acting_user=user, through=through_of(request))
    messages.success(request, "Notice acknowledged.")
    return redirect("governance:notices")


# Correcting a record ---------------------------------------------------------------------


class CorrectionReasonForm(GovukFormMixin, forms.Form):
    submit_label = "Save and tell every reader"
    action = forms.ChoiceField(choices=[(CorrectionAction.CORRECT, "Correct the values below"),
                                        (CorrectionAction.WITHDRAW, "Withdraw the record")],
                               widget=forms.RadioSelect, label="What to do",
                               initial=CorrectionAction.CORRECT)
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             label="Why (every earlier reader is told)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()
        self.helper.form_tag = False
        self.helper.inputs = []  # one button, after the record's values


@casework_only
@require_http_methods(["GET", "POST"])
def correct_record(request: HttpRequest, pk: int, kind: str, record_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    nominal, why = person_for_view(request, pk)
    record = corrections.correctable_record(user, nominal, kind, record_id)
    values_form = record_form_class(kind)(request.POST or None, instance=record,
                                          prefix="record")
    values_form.helper.form_tag = False  # type: ignore[attr-defined]
    values_form.helper.inputs = []  # type: ignore[attr-defined]
    reason_form = CorrectionReasonForm(request.POST or None, prefix="why")
    if request.method == "POST" and reason_form.is_valid() and (
            reason_form.cleaned_data["action"] == CorrectionAction.WITHDRAW
            or values_form.is_valid()):
        action = reason_form.cleaned_data["action"]
        # The values as the record's own form read them (a date from its day, month and
        # year boxes), checked again by the service.
        raw: dict[str, Any] = {name: values_form.cleaned_data[name]
                               for name in RECORD_FIELDS[kind]
                               if name in getattr(values_form, "cleaned_data", {})}
        try:
            corrections.correct_record(
                user=user, nominal=nominal, kind=kind, record_id=record.pk, action=action,
                reason=reason_form.cleaned_data["reason"], through=through_of(request),
                fields=raw if action == CorrectionAction.CORRECT else None)
        except DomainError as error:
            reason_form.add_domain_error(error)
            for problem in error.problems:
                if problem.field in values_form.fields:
                    values_form.add_error(problem.field, problem.message)
        else:
            messages.success(request, "Saved. Everyone who received the record has been told.")
            return redirect("people:profile", pk=nominal.pk)
    history = list(RecordCorrection.objects.filter(kind=kind, record_id=record.pk))
    log_read(user=user, nominal=nominal, through=through_of(request), reason=why,
             records=[RecordRef(kind, record.pk)])
    return render(request, "governance/correct.html", {
        "nominal": nominal, "kind": kind, "label": corrections.KIND_LABELS.get(kind, kind),
        "record": record, "values_form": values_form, "reason_form": reason_form,
        "history": history})


def index(request: HttpRequest) -> HttpResponse:
    """The DPO's start page: what needs doing, with the count of each."""
    from . import retention

    user = _dpo(request)
    assert user.organisation is not None
    partnership = user.organisation.partnership_id
    today, now = timezone.localdate(), timezone.now()
    open_requests = SubjectAccessRequest.objects.filter(nominal__partnership_id=partnership,
                                                        state="open")
    notices_all = Notice.objects.filter(correction__isnull=False,
                                        nominal__partnership_id=partnership,
                                        acknowledged_at__isnull=True)
    verdicts = retention.assess_people(policy.nominals_for_audit(user), today)
    counts = dict(verdicts.group_by("verdict").len().iter_rows())
    open_breaches = [b for b in Breach.objects.filter(partnership_id=partnership)
                     if breaches.clock(b, now).state in {"running", "overdue"}]
    return render(request, "governance/index.html", {
        "requests_open": open_requests.count(),
        "requests_overdue": open_requests.filter(due_on__lt=today).count(),
        "notices_outstanding": notices_all.count(),
        "notices_overdue": notices_all.filter(respond_by__lt=today).count(),
        "retention_review": counts.get("review", 0), "retention_dispose": counts.get("dispose", 0),
        "breaches_open": len(open_breaches),
        "bases_missing": policy.partner_organisations(user).filter(
            sharing_basis__isnull=True).count()})
