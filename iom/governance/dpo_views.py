"""Pages for information governance: legal bases, the sharing register, corrections,
notices, subject access (the DPO's pages), and for case workers their notices and
the correction of a record their organisation supplied."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from iom.accounts.models import Organisation, User
from iom.audit.models import AccessLogEntry, Action
from iom.audit.services import RecordRef
from iom.core.dates import GovukDateField
from iom.core.errors import DomainError, NotFound
from iom.people.forms import RECORD_FIELDS, GovukFormMixin, record_form_class

from . import breaches, corrections, notices, policy, services, subject_access
from .models import (
    Breach,
    BreachState,
    CorrectionAction,
    LegalBasis,
    Notice,
    RecordCorrection,
    RequestState,
    RetentionOutcome,
    SharingBasis,
    SubjectAccessRequest,
)
from .sar_pdf import KIND_TITLES, details
from .sar_pdf import render as render_pdf
from .views import AUDIT_REASON, _dpo
from .web import casework_only, log_read, person_for_view, through_of

SAR_REASON = "Subject access request (DPA 2018 s45)"


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


# Subject access ----------------------------------------------------------------------


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


# Retention review ----------------------------------------------------------------------


RETENTION_REASON = "Retention review (000 ISA s8, MoPI)"


def _reviewer(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not policy.can_review_retention(user):
        raise Http404
    return user


def retention_queue(request: HttpRequest) -> HttpResponse:
    import polars as pl

    from iom.people.models import Nominal

    from . import retention

    user = _reviewer(request)
    today = timezone.localdate()
    assessed = retention.assess_people(policy.nominals_for_retention(user), today)
    show = request.GET.get("show", "review")
    if show not in retention.VERDICTS:
        show = "review"
    counts = dict(assessed.group_by("verdict").len().iter_rows())
    chosen = assessed.filter(pl.col("verdict") == show).sort("next_review").head(200)
    people = Nominal.objects.in_bulk(chosen["nominal_id"].to_list())
    labels = retention.rules().groups
    rows = [{**r, "nominal": people[r["nominal_id"]], "group": labels[r["group"]].label}
            for r in chosen.iter_rows(named=True) if r["nominal_id"] in people]
    log_read(user=user, nominal=None, through=through_of(request), reason=RETENTION_REASON,
             records=[RecordRef("nominal", r["nominal_id"]) for r in rows])
    return render(request, "governance/retention_queue.html", {
        "rows": rows, "counts": {v: counts.get(v, 0) for v in retention.VERDICTS},
        "show": show})


class RetentionForm(GovukFormMixin, forms.Form):
    submit_label = "Record the decision"
    outcome = forms.ChoiceField(choices=RetentionOutcome.choices, widget=forms.RadioSelect,
                                label="Decision")
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             label="Reason")
    review_again_on = GovukDateField(required=False, label="Review again on (retain only)",
                                     subject="the date to review again")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


@require_http_methods(["GET", "POST"])
def retention_person(request: HttpRequest, pk: int) -> HttpResponse:
    from . import retention

    user = _reviewer(request)
    nominal = policy.nominals_for_retention(user).filter(pk=pk).first()
    if nominal is None:
        raise Http404
    form = RetentionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            retention.decide(nominal=nominal, outcome=form.cleaned_data["outcome"],
                             reason=form.cleaned_data["reason"],
                             review_again_on=form.cleaned_data["review_again_on"],
                             acting_user=user, through=through_of(request))
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Decision recorded.")
            return redirect("governance:retention")
    assessed = retention.assess_people(policy.nominals_for_retention(user).filter(pk=pk),
                                       timezone.localdate()).row(0, named=True)
    decisions = list(nominal.retention_decisions.select_related("decided_by"))
    log_read(user=user, nominal=nominal, through=through_of(request), reason=RETENTION_REASON,
             records=[RecordRef("retention_decision", d.pk) for d in decisions])
    return render(request, "governance/retention_person.html", {
        "nominal": nominal, "assessed": assessed, "form": form, "decisions": decisions,
        "group": retention.rules().groups[assessed["group"]].label})


def tombstones(request: HttpRequest) -> HttpResponse:
    user = _dpo(request)
    assert user.organisation is not None
    from .models import Tombstone

    found = Tombstone.objects.filter(partnership_id=user.organisation.partnership_id)[:200]
    return render(request, "governance/tombstones.html", {"tombstones": found})


# Breaches -----------------------------------------------------------------------------


class BreachForm(GovukFormMixin, forms.Form):
    submit_label = "Record the breach"
    summary = forms.CharField(max_length=200, label="Summary")
    what_happened = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}),
                                    label="What happened")
    discovered_at = forms.DateTimeField(
        label="When it was discovered", help_text="The date and time it was found",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local",
                                          "class": "govuk-input govuk-input--width-20"}))
    entries = forms.CharField(required=False, label="Access log entries it is about",
                              help_text="Entry numbers from a person's access log, "
                                        "separated by commas")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()

    def clean_entries(self) -> list[int]:
        raw = self.cleaned_data.get("entries", "")
        out = []
        for part in [p.strip() for p in raw.replace(";", ",").split(",") if p.strip()]:
            if not part.isdigit():
                raise forms.ValidationError(f"{part!r} is not an entry number.")
            out.append(int(part))
        return out


class BreachUpdateForm(GovukFormMixin, forms.Form):
    submit_label = "Save"
    containment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  label="Containment: what was done")
    reportable = forms.ChoiceField(choices=[("", "Not yet assessed"), ("yes", "Reportable"),
                                            ("no", "Not reportable")], required=False,
                                   widget=forms.RadioSelect, label="Reportable to the ICO")
    reportable_reason = forms.CharField(required=False, max_length=500, label="Why")
    reported_at = forms.DateTimeField(
        required=False, label="Reported to the ICO at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local",
                                          "class": "govuk-input govuk-input--width-20"}))
    state = forms.ChoiceField(choices=BreachState.choices, widget=forms.RadioSelect,
                              label="State")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


def _entries_visible(user: User, ids: list[int]) -> list[int]:
    """Entries the DPO may pick: about people of their partnership, or about nobody."""
    assert user.organisation is not None
    people = policy.nominals_for_audit(user).values("pk")
    allowed = AccessLogEntry.objects.filter(pk__in=ids).filter(
        Q(nominal_id__in=people) | Q(nominal_id__isnull=True))
    return list(allowed.values_list("pk", flat=True))


@require_http_methods(["GET", "POST"])
def breach_list(request: HttpRequest) -> HttpResponse:
    user = _dpo(request)
    assert user.organisation is not None
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ids = form.cleaned_data["entries"]
        visible = _entries_visible(user, ids)
        try:
            if len(visible) != len(set(ids)):
                missing = sorted(set(ids) - set(visible))[0]
                raise DomainError.on_field("entries", f"No access log entry {missing}.")
            found = breaches.record_breach(
                user=user, summary=form.cleaned_data["summary"],
                what_happened=form.cleaned_data["what_happened"],
                discovered_at=form.cleaned_data["discovered_at"], entry_ids=visible,
                through=through_of(request))
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return redirect("governance:breach", pk=found.pk)
    now = timezone.now()
    found_all = list(Breach.objects.filter(partnership_id=user.organisation.partnership_id))
    rows = [{"breach": b, "clock": breaches.clock(b, now)} for b in found_all]
    return render(request, "governance/breaches.html", {"rows": rows, "form": form})


@require_http_methods(["GET", "POST"])
def breach_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _dpo(request)
    assert user.organisation is not None
    found = Breach.objects.filter(pk=pk, partnership_id=user.organisation.partnership_id).first()
    if found is None:
        raise Http404
    initial = {"containment": found.containment, "state": found.state,
               "reportable": "" if found.reportable is None else
               ("yes" if found.reportable else "no"),
               "reportable_reason": found.reportable_reason, "reported_at": found.reported_at}
    form = BreachUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            breaches.update_breach(
                breach=found, user=user, through=through_of(request),
                containment=data["containment"],
                reportable={"yes": True, "no": False}.get(data["reportable"]),
                reportable_reason=data["reportable_reason"], reported_at=data["reported_at"],
                state=data["state"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Saved.")
            return redirect("governance:breach", pk=found.pk)
    people = list(found.people.all())
    entries = list(AccessLogEntry.objects.filter(pk__in=found.entries).order_by("at"))
    log_read(user=user, nominal=None, through=through_of(request), reason=AUDIT_REASON,
             records=[RecordRef("breach", found.pk)]
             + [RecordRef("nominal", p.pk) for p in people])
    return render(request, "governance/breach.html", {
        "breach": found, "clock": breaches.clock(found), "form": form, "people": people,
        "entries": entries})


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
